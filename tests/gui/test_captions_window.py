"""Captions in the real window: one line per run under the maps and plots, its changes tried when training stops."""

from __future__ import annotations

import dataclasses

import pytest

from nngui.engine import OptimizerConfig, Trainer
from nngui.engine.experiment import CHAPTER_RUNS
from nngui.gui.lessons.caption_panel import IDLE_TEXT
from nngui.gui.window.projector import FONT_SCALE
from nngui.teaching.tries import tried_caption


def tried(window, user, epoch):
    """Wait for the captions tried from ``epoch`` (the training thread tries them while idle)."""
    user.qtbot.waitUntil(lambda: window.captions.tried_epoch == epoch, timeout=20000)
    return window.captions.captions


def one_plain_run(window, user):
    """Leave the book and race one run of plain SGD at rate 1.0; wait until the window shows its epoch 0."""
    window.model.experiment.set_book(False)
    window.model.experiment.set_runs((OptimizerConfig("sgd", 1.0, 0.0, 0.0),))
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0
                         and len(window.latest.runs) == 1 and not window.experiment().book)


def test_a_deep_network_stuck_at_ln_classes_is_captioned_not_learning_and_says_what_its_tries_did(window, user):
    assert user.find("captionLabel").text() == IDLE_TEXT
    window.model.experiment.set_network(hidden=(16, 16, 16, 16))
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs[0].sizes) == 6)
    user.train(300)
    found, = tried(window, user, 300)
    label = user.find("captionLabel")
    assert label.text().startswith("Epoch 300: not learning: stuck at ln(3) = 1.099")
    # one line in a few words, cut to the width if need be; the whole sentence is the tooltip
    assert found.line.startswith(label.text().rstrip("…")) and label.toolTip() == found.sentence
    assert "too small for 4 hidden layers" in found.sentence
    assert found.tried is None and "each only guesses every class evenly" in found.sentence
    panel = user.find("captionPanel")
    assert panel.isVisible() and panel.geometry().bottom() <= window.centralWidget().height()
    assert label.width() <= window.width()


def test_the_window_shows_the_caption_the_command_line_gives_tried_from_the_paused_epoch(window, user):
    one_plain_run(window, user)
    user.train(1000)
    found, = tried(window, user, 1000)
    trainer = Trainer(dataclasses.replace(window.experiment(), epochs=1000))
    trainer.run(1000)
    assert found == tried_caption(trainer)
    assert found.tried.config == OptimizerConfig("momentum", 1.0, 0.0, 0.9)
    assert "Tried: 300 more epochs with momentum 0.9 reach loss 0.685, against 1.05 as it is." in found.sentence


def test_taking_the_suggestion_while_paused_tries_again_and_never_suggests_what_the_run_has(window, user):
    one_plain_run(window, user)
    user.train(1000)
    found, = tried(window, user, 1000)
    window.model.experiment.set_run(0, found.tried.config)
    user.qtbot.waitUntil(lambda: window.captions.tried_epoch == 1000
                         and window.captions.captions[0].optimizer == found.tried.config, timeout=20000)
    again, = window.captions.captions
    assert again.suggested != found.tried.config
    assert "with momentum 0.9" not in again.sentence


def test_a_race_gets_one_line_per_run_named_in_its_colour_and_the_panel_never_moves(window, user):
    window.model.experiment.set_runs((CHAPTER_RUNS[2], OptimizerConfig("sgd", 20.0, 0.0, 0.0)))
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 2)
    window.model.experiment.set_book(False)
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0
                         and not window.experiment().book)
    panel = user.find("captionPanel")
    user.train(1)
    at_first = panel.geometry()
    user.train(100)
    captions = tried(window, user, 100)
    assert [c.kind for c in captions] == ["learning", "diverging"]
    html = user.find("captionLabel").text()
    # each run named as its curves, maps and legend name it
    assert html.count("<br>") == 1 and "SGD + momentum 0.9</b> — Epoch 100: learning" in html
    assert ">SGD</b> — Epoch 56: diverged (1.10 → 6.14): learning rate 20 too high." in html
    assert "#882255" in html   # the second run's colour, as on its curves
    assert "SGD — Epoch 56: training stopped" in user.find("captionLabel").toolTip()
    user.train(2000)
    tried(window, user, 2000)
    assert panel.geometry() == at_first
    # a reset starts the captions again
    user.click("resetButton")
    user.qtbot.waitUntil(lambda: user.find("captionLabel").text() == IDLE_TEXT)


def test_looking_back_the_captions_describe_the_epoch_shown_tried_from_there(window, user):
    one_plain_run(window, user)
    user.train(1200)
    tried(window, user, 1200)
    window.model.set_timeline(1000)
    found, = tried(window, user, 1000)
    trainer = Trainer(dataclasses.replace(window.experiment(), epochs=1000))
    trainer.run(1000)
    assert found == tried_caption(trainer)
    assert user.find("captionLabel").text().startswith("Epoch 1,000: plateau at loss 1.057: learning rate 1 too low.")
    window.model.set_timeline(None)
    tried(window, user, 1200)


def test_captions_and_the_lesson_bar_grow_with_projector_mode(window, user):
    labels = [user.find(name) for name in ("captionLabel", "lessonTextLabel", "lessonTitleLabel")]
    normal = [label.font().pointSizeF() for label in labels]
    window.projector.projector_action.trigger()
    try:
        assert [label.font().pointSizeF() for label in labels] == pytest.approx([size * FONT_SCALE for size in normal])
        assert labels[2].font().bold()
    finally:
        window.projector.projector_action.trigger()
    assert [label.font().pointSizeF() for label in labels] == normal


def test_under_the_apps_style_sheet_projector_mode_still_reaches_the_captions_and_the_lesson(window, user, qapp):
    from nngui.teaching.lessons import shipped_lessons
    from nngui.gui.window import theme
    before = qapp.styleSheet()
    qapp.setStyleSheet(theme.stylesheet())
    try:
        window.lessons.open(shipped_lessons()[0][1])
        labels = [user.find(name) for name in ("captionLabel", "lessonTextLabel", "lessonTitleLabel")]
        normal = [label.font().pointSizeF() for label in labels]
        window.projector.projector_action.trigger()
        assert [label.font().pointSizeF() for label in labels] == pytest.approx([s * FONT_SCALE for s in normal])
        window.projector.projector_action.trigger()
        assert [label.font().pointSizeF() for label in labels] == pytest.approx(normal)
    finally:
        qapp.setStyleSheet(before)
