"""Every shipped lesson's words against the tried captions of its runs at each step: they never disagree."""

import pytest

from nngui.teaching.claims import caption_contradictions, step_epoch
from nngui.teaching.lessons import Lesson, Step, shipped_lessons
from nngui.engine import Experiment, OptimizerConfig

SHIPPED = [(path.stem, lesson) for path, lesson in shipped_lessons()]


@pytest.mark.parametrize("stem, lesson", SHIPPED, ids=[stem for stem, _ in SHIPPED])
def test_a_shipped_lessons_words_and_its_captions_agree(stem, lesson):
    assert caption_contradictions(lesson) == []


def test_the_check_reads_every_lesson_that_trains_a_network():
    shown = [stem for stem, lesson in SHIPPED if any(step_epoch(step) for step in lesson.steps)]
    assert len(shown) == 8   # all but lesson 7, whose runs are on the loss surface


def test_words_the_captions_contradict_are_found():
    low = Experiment(runs=(OptimizerConfig("sgd", 0.01, 0.0, 0.0),))
    lesson = Lesson("Too low", (Step("Plain SGD at 0.01.", low),
                                Step("The loss oscillates: the rate is too high.", play_to_epoch=600)))
    problems = caption_contradictions(lesson)
    assert [p.split(",")[0] for p in problems] == ["step 2 says 'oscillat'", "step 2 says 'too high'"]
    plain = Experiment(runs=(OptimizerConfig("sgd", 1.0, 0.0, 0.0),))
    right = Lesson("Just right", (Step("Learning rate 1 is just right.", plain, play_to_epoch=1000),))
    problem, = caption_contradictions(right)
    assert problem.startswith("step 1 calls a setting right, but a tried change beat SGD: ")
