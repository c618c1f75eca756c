"""Captions in the real window: one sentence per run under the maps and plots, with the epoch."""

from __future__ import annotations

import pytest

from nngui.engine import OptimizerConfig
from nngui.engine.experiment import CHAPTER_RUNS
from nngui.gui.lessons.caption_panel import IDLE_TEXT
from nngui.gui.window.projector import FONT_SCALE


def test_a_deep_network_stuck_at_ln_classes_is_captioned_not_learning_with_what_to_try(window, user):
    assert user.find("captionLabel").text() == IDLE_TEXT
    window.model.experiment.set_network(hidden=(16, 16, 16, 16))
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs[0].sizes) == 6)
    user.train(300)
    text = user.find("captionLabel").text()
    assert text.startswith("Epoch 300: not learning at all: the loss sits at ln(3) = 1.099")
    assert "too small for 4 hidden layers. Try 1 or 2 hidden layers." in text
    panel = user.find("captionPanel")
    assert panel.isVisible() and panel.geometry().bottom() <= window.centralWidget().height()
    # the caption fits the window's width at 1024 pixels: it wraps, it is never cut
    assert user.find("captionLabel").width() <= window.width()


def test_a_race_gets_one_caption_per_run_named_in_its_colour(window, user):
    window.model.experiment.set_runs((CHAPTER_RUNS[2], OptimizerConfig("sgd", 20.0, 0.0, 0.0)))
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 2)
    window.model.experiment.set_book(False)
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0
                         and not window.experiment().book)
    user.train(100)
    kinds = [c.kind for c in window.captions.captions]
    assert kinds == ["learning", "diverging"]
    html = user.find("captionLabel").text()
    # each run named as its curves, maps and legend name it
    assert html.count("<br>") == 1 and "SGD + momentum 0.9</b> — Epoch 100: learning" in html
    assert ">SGD</b> — Epoch 56: training stopped: the loss blew up by epoch 55" in html
    assert "#882255" in html   # the second run's colour, as on its curves
    # a reset starts the captions again
    user.click("resetButton")
    user.qtbot.waitUntil(lambda: user.find("captionLabel").text() == IDLE_TEXT)


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
