"""The lesson model: which lesson, which step, and an event on each move (no Qt)."""

from __future__ import annotations

import pytest

from nngui.engine import Experiment
from nngui.teaching.lessons import Lesson, Step
from nngui.model import AppModel, LessonModel

LESSON = Lesson("Three steps", (Step("One", Experiment()), Step("Two"), Step("Three")))


def test_a_lesson_opens_at_its_first_step_and_moves_one_step_at_a_time():
    model, seen = LessonModel(), []
    model.step_changed.connect(seen.append)
    assert not model.active and model.step is None and model.position() == ""
    model.open(LESSON, "three.json")
    assert model.active and model.step.text == "One" and model.position() == "step 1 of 3"
    assert model.previous() is False          # nothing before the first step
    assert model.next() and model.next() and model.position() == "step 3 of 3"
    assert model.next() is False              # nothing after the last
    assert model.previous() and model.step.text == "Two"
    assert seen == [0, 1, 2, 1]
    assert model.source == "three.json"


def test_closing_ends_the_lesson_once():
    model, closed = LessonModel(), []
    model.closed.connect(lambda: closed.append(True))
    model.open(LESSON)
    model.close()
    model.close()
    assert closed == [True] and not model.active and model.next() is False


def test_only_a_lesson_can_be_opened():
    with pytest.raises(TypeError):
        LessonModel().open({"title": "not a lesson"})


def test_the_app_model_holds_the_lesson():
    app = AppModel()
    app.lesson.open(LESSON)
    assert app.lesson.step.experiment == Experiment()
