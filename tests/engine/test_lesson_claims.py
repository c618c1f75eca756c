"""Every sentence of every shipped lesson is true: its claims hold when its runs train headless."""

from __future__ import annotations

import pytest

from nngui.engine import Experiment, OptimizerConfig, Race
from nngui.teaching.claims import check_claim, check_lesson
from nngui.teaching.lessons import read_dict, shipped_lessons
from nngui.files import experiment_io

SHIPPED = shipped_lessons()


@pytest.mark.parametrize("lesson", [lesson for _, lesson in SHIPPED], ids=[path.stem for path, _ in SHIPPED])
def test_every_claim_of_the_shipped_lesson_holds(lesson):
    assert check_lesson(lesson) == []


@pytest.mark.parametrize("lesson", [lesson for _, lesson in SHIPPED], ids=[path.stem for path, _ in SHIPPED])
def test_every_claim_is_about_what_the_window_has_shown_by_then(lesson):
    """A claim's epoch has been trained when its step is reached: the sentence describes the screen."""
    reached = 0
    for index, step in enumerate(lesson.steps):
        if step.experiment is not None:
            reached = 0
        if step.play_to_epoch is not None:
            reached = max(reached, step.play_to_epoch)
        for claim in step.claims:
            assert claim.epochs_needed <= reached, (index, claim)
        assert step.claims or index == 0 or step.play_to_epoch is None, f"step {index + 1} plays but claims nothing"


def the_lesson(**claim):
    experiment = Experiment(runs=(OptimizerConfig("sgd", 20.0, 0.0, 0.0), OptimizerConfig("momentum", 1.0, 1e-3, 0.9)))
    return read_dict({"format": "nngui-lesson", "version": 1, "title": "t",
                      "steps": [{"text": "x", "experiment": experiment_io.to_dict(experiment), "claims": [claim]}]})


@pytest.mark.parametrize("claim,problem", [
    ({"run": 0, "diverges_at_epoch": 54}, "run 0 had not diverged by epoch 54"),
    ({"run": 0, "diverges_by_epoch": 54}, "run 0 had not diverged by epoch 54"),
    ({"run": 1, "diverges_by_epoch": 100}, "run 1 had not diverged by epoch 100"),
    ({"run": 0, "at_epoch": 100, "loss_below": 5}, "run 0 never reached epoch 100 (diverged at 55)"),
    ({"run": 1, "at_epoch": 0, "loss_below": 1.0}, "loss is 1.09859, not below 1.0"),
    ({"run": 1, "at_epoch": 0, "accuracy_above": 0.5}, "accuracy is 0.333333, not above 0.5"),
    ({"run": 1, "at_epoch": 1, "learning_rate_below": 0.5}, "learning_rate is 0.999001, not below 0.5"),
    ({"run": 1, "at_epoch": 0, "course_line": "epoch: 0, acc: 0.400, loss: 1.099, lr: 1.0"},
     "the course line is 'epoch: 0, acc: 0.333, loss: 1.099, lr: 1.0'"),
    ({"run": 1, "at_epoch": 10, "caption": "converged"}, "caption is starting"),
    ({"faster_than": [0, 1], "loss_below": 1.0, "by_epoch": 100}, "run 0 never reached loss_below 1.0 by epoch 100"),
])
def test_a_claim_that_does_not_hold_is_reported_with_what_the_run_did(claim, problem):
    problems = check_lesson(the_lesson(**claim))
    assert len(problems) == 1 and problems[0].startswith("step 1, claim 1: ")
    assert problem in problems[0]


def test_the_same_claims_hold_when_they_are_true():
    for claim in ({"run": 0, "diverges_at_epoch": 55}, {"run": 0, "diverges_by_epoch": 55},
                  {"run": 1, "at_epoch": 0, "loss_below": 1.1, "loss_above": 1.09, "accuracy_below": 0.34},
                  {"run": 1, "at_epoch": 0, "course_line": "epoch: 0, acc: 0.333, loss: 1.099, lr: 1.0"},
                  {"faster_than": [1, 0], "loss_below": 1.09, "by_epoch": 300}):
        assert check_lesson(the_lesson(**claim)) == [], claim


def test_faster_than_fails_when_the_slower_run_gets_there_first():
    lesson = read_dict({"format": "nngui-lesson", "version": 1, "title": "t", "steps": [{
        "text": "x", "experiment": experiment_io.to_dict(Experiment(runs=(OptimizerConfig("momentum", 1.0, 1e-3, 0.5),
                                                    OptimizerConfig("momentum", 1.0, 1e-3, 0.9)), book=True)),
        "claims": [{"faster_than": [0, 1], "loss_below": 1.05, "by_epoch": 600}]}]})
    race = Race(lesson.steps[0].experiment)
    race.run(601)
    problem = check_claim(race, lesson.steps[0].claims[0])
    assert problem is not None and problem.startswith("run 1 reached loss_below 1.05 at epoch")


def test_a_divergence_at_another_epoch_is_named():
    lesson = the_lesson(run=0, diverges_at_epoch=60)
    assert check_lesson(lesson) == ["step 1, claim 1: run 0 diverged at epoch 55, not 60"]
