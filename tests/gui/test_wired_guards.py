"""Guards of the window no other test checked, each failing when its guard is removed (issue 18)."""

from __future__ import annotations

from nngui.model import AppModel


def test_the_draw_budget_measures_while_training_plays_and_rests_while_paused(window, user, qtbot):
    # the budget stretches the drawing timers only while it is told training runs
    assert not window.draw_budget.active
    user.type_into("epochLimitSpin", "0")
    user.click("playButton")
    qtbot.waitUntil(lambda: window.controller.playing)
    assert window.draw_budget.active
    user.pause()
    assert not window.draw_budget.active and window.draw_budget.factor() == 1.0


def test_selecting_a_run_outside_the_race_selects_the_nearest_one():
    app = AppModel()
    chosen = []
    app.selected_run_changed.connect(chosen.append)
    app.select_run(5)             # one run: there is no run 6
    assert app.selected_run == 0 and chosen == []
    app.experiment.compare_chapter()
    app.select_run(99)
    assert app.selected_run == 2 and chosen == [2]
    app.select_run(-4)
    assert app.selected_run == 0 and chosen == [2, 0]
