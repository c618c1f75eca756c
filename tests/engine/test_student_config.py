"""A run trained by a student's class is named by its setting (``OptimizerConfig.student``), checked like every field."""

from __future__ import annotations

import dataclasses

import pytest

from nngui.engine import CHAPTER_RUNS, Experiment, ExperimentError, OptimizerConfig
from nngui.files import experiment_io
from nngui.model import REBUILD, SETTINGS
from nngui.model.experiment_model import ExperimentModel

STUDENT = "/home/ada/optimizer.py::Optimizer_SGD"


def test_a_students_run_is_named_after_its_class_and_twins_are_told_apart():
    run = dataclasses.replace(CHAPTER_RUNS[2], student=STUDENT)
    assert run.name == run.student_class == "Optimizer_SGD"
    assert run.describe() == "Optimizer_SGD: lr 1, decay 0.001, momentum 0.9"
    experiment = Experiment(runs=(CHAPTER_RUNS[0], run, dataclasses.replace(run, learning_rate=0.5)))
    assert experiment.labels == ("SGD", "Optimizer_SGD (lr 1)", "Optimizer_SGD (lr 0.5)")
    assert OptimizerConfig().student == "" and OptimizerConfig().name == "SGD + momentum 0.9"


@pytest.mark.parametrize("student", ["optimizer.py", "::Optimizer_SGD", "a.py::", "a.py::1st", "a.py::Not a name",
                                     "a\nb.py::Optimizer", 42, None, "x" * 5000 + "::A"])
def test_a_student_that_is_not_a_file_and_a_class_is_refused_naming_the_field(student):
    with pytest.raises(ExperimentError) as error:
        OptimizerConfig(student=student)
    assert error.value.field == "optimizer.student"


def test_a_file_holds_the_students_run_as_the_lessons_sgd_with_its_numbers():
    run = dataclasses.replace(CHAPTER_RUNS[1], learning_rate=0.25, student=STUDENT)
    experiment = Experiment(runs=(CHAPTER_RUNS[0], run))
    text = experiment_io.dumps(experiment)
    assert "Optimizer_SGD" not in text and "optimizer.py" not in text
    assert experiment_io.loads(text) == Experiment(runs=(CHAPTER_RUNS[0], dataclasses.replace(run, student="")))
    # and a file cannot name a class: opening one never runs code
    data = experiment_io.to_dict(experiment)
    data["runs"][1]["student"] = STUDENT
    with pytest.raises(ExperimentError, match="runs\\[1\\]"):
        experiment_io.from_dict(data)


def test_another_class_for_a_run_starts_the_race_again_its_numbers_apply_at_the_next_epoch():
    model = ExperimentModel(Experiment(runs=(CHAPTER_RUNS[0], dataclasses.replace(CHAPTER_RUNS[2], student=STUDENT))))
    change = model.set_run(1, learning_rate=0.5)
    assert change.effect == SETTINGS and change.run == 1 and model.experiment.runs[1].student == STUDENT
    assert model.set_run(1, student="").effect == REBUILD
    assert model.set_run(1, student=STUDENT).effect == REBUILD
    model.remove_run(0)
    assert model.experiment.runs[0].student == STUDENT and model.experiment.labels == ("Optimizer_SGD",)
