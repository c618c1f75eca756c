"""A state the teacher can trust: closing a lesson puts back the experiment from before it; Compare is the chapter's."""

import dataclasses

import pytest

from nngui.engine import DatasetConfig, Experiment, NetworkConfig, OptimizerConfig
from nngui.engine.checks import ExperimentError
from nngui.engine.experiment import CHAPTER_RUNS
from nngui.model import AppModel
from nngui.model.app_model import ALREADY_COMPARING
from nngui.model.experiment_model import CHAPTER
from nngui.teaching.lessons import Lesson, Step

LESSON = Lesson("Mini-batches", (
    Step("Thirty points a batch", dataclasses.replace(Experiment(), batch_size=30, epochs=100), pace=10,
         lock=("dataset", "runs")),
    Step("Plain SGD", dataclasses.replace(Experiment(), runs=(OptimizerConfig("sgd", 1.0, 0.0, 0.0),),
                                          batch_size=30, epochs=100)),
))


def given(app):
    """What the window's lesson steps do on arriving at a step: load its experiment and pace, lock its parts."""
    def arrive(index):
        step = app.lesson.step
        with app.experiment.locks.opened():
            if step.experiment is not None:
                app.experiment.load(step.experiment, "Lesson")
            if step.pace is not None:
                app.set_pace(step.pace)
        app.experiment.locks.set(app.lesson.lesson.controls_at(index)[0])
    app.lesson.step_changed.connect(arrive)
    return app


def test_closing_a_lesson_puts_back_the_experiment_pace_and_undo_history_from_before_it():
    app = given(AppModel(Experiment(book=True)))
    app.experiment.set_run(0, learning_rate=0.5)
    app.experiment.set_seed(7)
    app.set_pace(30)
    before = app.experiment.experiment
    app.lesson.open(LESSON)
    assert app.experiment.experiment.batch_size == 30 and app.experiment.locks.parts == ("dataset", "runs")
    app.lesson.next()
    changes = []
    app.experiment.changed.connect(changes.append)
    app.lesson.close()
    assert app.experiment.experiment == before and app.pace == 30
    assert changes[-1].note == "Lesson closed, back to the experiment from before it"
    # Undo takes back the teacher's own edits, in order; the lesson's steps are not among them
    assert app.experiment.undo().new.seed == 0
    assert app.experiment.undo().new.runs[0].learning_rate == 1.0
    assert app.experiment.undo() is None


def test_a_second_lesson_opened_over_the_first_still_closes_to_the_state_before_both():
    app = given(AppModel(Experiment()))
    before = app.experiment.experiment
    app.lesson.open(LESSON)
    app.lesson.open(Lesson("Another", (Step("One", Experiment(epochs=5)),)))
    app.lesson.close()
    assert app.experiment.experiment == before and not app.experiment.can_undo()


def test_compare_gives_exactly_the_chapters_comparison_and_says_what_it_put_back():
    app = given(AppModel(Experiment(book=True)))
    app.experiment.set_book(False)
    app.experiment.set_batch_size(30)
    app.experiment.set_epochs(100)
    app.experiment.set_runs((OptimizerConfig("sgd", 0.5, 0.0, 0.0),))
    # first press: the chapter's runs on the teacher's own settings, each difference named
    change = app.compare_chapter()
    assert app.experiment.experiment == dataclasses.replace(CHAPTER, book=False, batch_size=30, epochs=100)
    assert change.note == ("The chapter's three optimizers, on your settings: batch size 30 (the chapter's: full "
                           "batch), epochs 100 (the chapter's: 10,001), course's numbers off (the chapter's: on); "
                           "Compare again for the chapter's own")
    # second press: the chapter's comparison exactly
    change = app.compare_chapter()
    assert app.experiment.experiment == CHAPTER
    assert (CHAPTER.dataset, CHAPTER.network, CHAPTER.batch_size, CHAPTER.epochs, CHAPTER.book, CHAPTER.runs) == \
        (DatasetConfig(), NetworkConfig(), None, 10001, True, CHAPTER_RUNS)
    assert change.note == ("The chapter's three optimizers, as the chapter runs them: batch size full batch (was 30), "
                           "epochs 10,001 (was 100), course's numbers on (was off); Undo brings yours back")
    # Undo brings back the teacher's own setting in one step
    assert app.experiment.undo().new.batch_size == 30


def test_compare_when_the_chapters_race_is_there_says_so():
    app = given(AppModel(Experiment(book=True)))
    told = []
    app.told.connect(told.append)
    app.compare_chapter()
    assert told == []
    assert app.compare_chapter() is None and told == [ALREADY_COMPARING]


def test_compare_keeps_what_a_lesson_locked_and_says_so():
    app = given(AppModel(Experiment(book=True)))
    app.lesson.open(Lesson("Locked data", (Step("Moons", Experiment(dataset=DatasetConfig("moons", 100, 2, 0.1),
                                                                    epochs=500), lock=("dataset",)),)))
    app.compare_chapter()
    change = app.compare_chapter()
    assert app.experiment.experiment.dataset.name == "moons" and app.experiment.experiment.runs == CHAPTER_RUNS
    assert change.note == ("The chapter's three optimizers, as the chapter runs them: epochs 10,001 (was 500); "
                           "Undo brings yours back; kept by the lesson: data Moons 100 × 2, noise 0.1, course's "
                           "numbers off")
    with pytest.raises(ExperimentError, match="the rest is locked by the lesson: data Moons"):
        app.compare_chapter()
    app.lesson.close()
    with pytest.raises(ExperimentError):
        app.lesson.open(LESSON)
        app.compare_chapter()   # the lesson locks the runs: refused, nothing changes
