"""A student's class in its own process, as a race in the window uses it: the portable channel, looking back
(its state checkpointed in its process), settings changed mid-race, a copy for a try, the lines it ran."""

from __future__ import annotations

import ast
import copy
import dataclasses
import threading
from pathlib import Path

import numpy as np
import pytest

from nngui.check.remote import RemoteOptimizer, StudentFailed, student_optimizer
from nngui.engine import CHAPTER_RUNS, Experiment, Race
from nngui.surfaces.checkpoints import RaceTimeline

SUBMISSIONS = Path(__file__).parent / "submissions"
CLASS = "Optimizer_SGD_Decay_Momentum"


def student(name, config, class_name=CLASS):
    return dataclasses.replace(config, student=f"{SUBMISSIONS / name}::{class_name}")


def race_of(*runs):
    """A race of ``runs`` whose student runs are trained by their class, as the window's worker makes it."""
    experiment = Experiment(runs=runs, epochs=100)
    return Race(experiment, {i: student_optimizer for i, run in enumerate(runs) if run.student})


def parameters(trainer):
    return [a for pair in trainer.network.parameters() for a in pair]


def same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(parameters(a), parameters(b), strict=True))


def close(*races):
    for race in races:
        for trainer in race.trainers:
            getattr(trainer.optimizer, "close", lambda: None)()


def train(race, timeline, epochs):
    for _ in range(epochs):
        race.train_epoch()
        timeline.record()


# --- the channel -------------------------------------------------------------------------------


def test_prints_go_nowhere_and_the_channel_carries_the_numbers_bit_for_bit():
    race = race_of(CHAPTER_RUNS[2], student("print_flood.py", CHAPTER_RUNS[2]))
    race.run(15)
    assert race.diverged == (False, False) and same(race.trainers[0], race.trainers[1])
    close(race)


def test_a_class_that_ends_its_process_mid_call_says_so(tmp_path):
    source = (SUBMISSIONS / "lesson_sgd.py").read_text()
    (tmp_path / "leaves.py").write_text(source.replace("    def update_params(self, layer):\n",
                                                       "    def update_params(self, layer):\n"
                                                       "        import os; os._exit(3)\n"))
    config = dataclasses.replace(CHAPTER_RUNS[0], student=f"{tmp_path / 'leaves.py'}::Optimizer_SGD")
    race = race_of(config)
    race.run(3)
    assert race.trainers[0].epoch == 0
    assert race.trainers[0].divergence == ("Optimizer_SGD stopped at epoch 0: the student's code ended its "
                                           "process during update_params")
    optimizer = race.trainers[0].optimizer
    assert optimizer._process.poll() is not None and not optimizer._reader.is_alive()


def test_close_stops_the_process_and_its_reading_thread():
    optimizer = RemoteOptimizer(SUBMISSIONS / "lesson_momentum.py", CLASS, {"learning_rate": 1.0})
    reader = optimizer._reader
    assert reader.is_alive() and reader in threading.enumerate()
    optimizer.close()
    assert optimizer._process.poll() is not None and not reader.is_alive()
    with pytest.raises(StudentFailed, match="has ended"):
        optimizer.pre_update_params()


# --- looking back --------------------------------------------------------------------------------


def test_looking_back_on_a_differing_class_replays_that_class_not_the_lessons_sgd():
    # step counted once per layer: with decay the rate falls twice as fast as the lesson's
    config = student("mistake_step_per_layer.py", CHAPTER_RUNS[1])
    race = race_of(CHAPTER_RUNS[1], config)
    timeline = RaceTimeline(race, capacity=8)   # few checkpoints: a look back replays epochs from one
    train(race, timeline, 40)
    looked = timeline.snapshot_at(27)
    own = race_of(CHAPTER_RUNS[1], config)       # the class's own training, stopped at 27
    own.run(27)
    mine, theirs = looked.runs[1], own.snapshot().runs[1]
    assert mine.epoch == 27 and mine.label == CLASS
    for a, b in zip(mine.parameters, theirs.parameters, strict=True):
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert mine.optimizer_state == theirs.optimizer_state and mine.steps == 2 * 27
    lesson = looked.runs[0]   # the lesson's SGD + decay at the same epoch: other numbers
    assert not np.array_equal(mine.parameters[0][0], lesson.parameters[0][0])
    assert mine.optimizer_state.current_learning_rate != lesson.optimizer_state.current_learning_rate
    # the live run went on untouched
    assert race.trainers[1].epoch == 40
    timeline.close()
    close(race, own)


def test_looking_back_on_a_class_with_momentum_restores_the_buffers_its_process_keeps():
    config = student("lesson_momentum.py", CHAPTER_RUNS[2])
    race = race_of(CHAPTER_RUNS[2], config)
    timeline = RaceTimeline(race, capacity=8)
    train(race, timeline, 30)
    assert all(state > 0 for state in (len(timeline.runs[1].checkpoints), ))
    for epoch in (30, 19, 5):
        looked = timeline.snapshot_at(epoch)
        # the lesson's class is the lesson's SGD: the run looked back at is the engine's, bit for bit
        for a, b in zip(looked.runs[0].parameters, looked.runs[1].parameters, strict=True):
            assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
        assert looked.runs[1].optimizer_state == looked.runs[0].optimizer_state
    timeline.close()
    close(race)


def test_a_class_whose_object_cannot_be_pickled_is_looked_back_at_by_replaying_from_epoch_0(tmp_path):
    source = (SUBMISSIONS / "mistake_step_per_layer.py").read_text().replace(
        "        self.step = 0\n", "        self.step = 0\n        self.log = lambda text: None\n", 1)
    (tmp_path / "lambda.py").write_text(source)
    config = dataclasses.replace(CHAPTER_RUNS[1], student=f"{tmp_path / 'lambda.py'}::{CLASS}")
    race = race_of(CHAPTER_RUNS[1], config)
    timeline = RaceTimeline(race, capacity=8)
    train(race, timeline, 12)
    assert timeline.runs[1].checkpoints.epochs == (0,) and len(timeline.runs[0].checkpoints) > 1
    own = race_of(CHAPTER_RUNS[1], config)
    own.run(9)
    looked = timeline.snapshot_at(9).runs[1]
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(looked.parameters, own.snapshot().runs[1].parameters))
    assert looked.steps == 18
    timeline.close()
    close(race, own)


# --- settings changed mid-race ---------------------------------------------------------------------


def test_a_new_learning_rate_mid_race_takes_effect_at_the_next_epoch_as_for_the_engines_sgd():
    config = student("lesson_momentum.py", CHAPTER_RUNS[2])
    race = race_of(CHAPTER_RUNS[2], config)
    timeline = RaceTimeline(race)
    train(race, timeline, 10)
    faster = dataclasses.replace(CHAPTER_RUNS[2], learning_rate=0.5, momentum=0.5)
    assert race.set_optimizer(0, faster) == ()
    assert race.set_optimizer(1, dataclasses.replace(faster, student=config.student)) == ()
    timeline.note_setting(0, faster)
    timeline.note_setting(1, race.trainers[1].optimizer_config)
    train(race, timeline, 10)
    assert same(race.trainers[0], race.trainers[1])
    assert race.trainers[1].optimizer.learning_rate == 0.5 and race.trainers[1].optimizer.momentum == 0.5
    # without momentum the buffers go, in the student's process too: switched on again, they start from rest
    plain = dataclasses.replace(faster, kind="decay")
    race.set_optimizer(0, plain)
    race.set_optimizer(1, dataclasses.replace(plain, student=config.student))
    train(race, timeline, 3)
    race.set_optimizer(0, faster)
    race.set_optimizer(1, dataclasses.replace(faster, student=config.student))
    train(race, timeline, 5)
    assert same(race.trainers[0], race.trainers[1])
    # and looking back replays the changes at the epochs they were made
    looked = timeline.snapshot_at(15)
    for a, b in zip(looked.runs[0].parameters, looked.runs[1].parameters, strict=True):
        assert np.array_equal(a[0], b[0])
    timeline.close()
    close(race)


def test_a_setting_the_class_has_no_attribute_for_is_named(tmp_path):
    source = (SUBMISSIONS / "lesson_sgd.py").read_text()
    (tmp_path / "sgd.py").write_text(source)
    config = dataclasses.replace(CHAPTER_RUNS[0], student=f"{tmp_path / 'sgd.py'}::Optimizer_SGD")
    race = race_of(CHAPTER_RUNS[0], config)
    race.run(2)
    assert race.set_optimizer(1, dataclasses.replace(config, learning_rate=0.25)) == ()
    assert race.trainers[1].optimizer.learning_rate == 0.25
    # SGD + momentum asks for a momentum the lesson's plain SGD class does not have
    momentum = dataclasses.replace(config, kind="momentum", decay=1e-3, momentum=0.5)
    assert race.set_optimizer(1, momentum) == ("decay", "momentum")
    assert race.trainers[1].optimizer.momentum == 0.0   # the class's own, mirrored: it has none
    close(race)


# --- a copy for a try, the lines a call ran ----------------------------------------------------------


def test_a_copied_run_goes_on_in_a_process_of_its_own_exactly_as_the_run():
    config = student("mistake_step_per_layer.py", CHAPTER_RUNS[2])
    race = race_of(config)
    race.run(6)
    twin = copy.deepcopy(race.trainers[0], {id(race.experiment): race.experiment})
    assert twin.optimizer._process.pid != race.trainers[0].optimizer._process.pid
    twin.run(7)
    race.run(7)
    assert same(twin, race.trainers[0]) and twin.optimizer.step == race.trainers[0].optimizer.step == 26
    twin.optimizer.close()
    close(race)


def method_lines(path, method):
    """The line numbers of ``method`` of the file's class, from its ``def`` to its last line."""
    tree = ast.parse(Path(path).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == method:
            return set(range(node.lineno, node.end_lineno + 1))
    raise LookupError(method)


def test_the_lines_a_call_ran_are_recorded_only_while_asked():
    path = SUBMISSIONS / "lesson_momentum.py"
    race = race_of(student("lesson_momentum.py", CHAPTER_RUNS[2]))
    trainer = race.trainers[0]
    optimizer, walk = trainer.optimizer, trainer.walk_epoch()
    next(walk), next(walk)   # forward, backward
    next(walk)               # pre_update_params
    assert optimizer.lines == ()
    with optimizer.recording_lines():
        next(walk)           # update_params(layer 1)
        lines = optimizer.lines
    update = method_lines(path, "update_params")
    assert lines and set(lines) <= update
    text = path.read_text().splitlines()
    assert any("layer.weights += weights_updates" in text[n - 1] for n in lines)
    assert not any("else:" in text[n - 1] for n in lines)  # momentum: the branch without it did not run
    with optimizer.recording_lines():
        next(walk)           # update_params(layer 2)
        next(walk)           # post_update_params
        assert set(optimizer.lines) <= method_lines(path, "post_update_params")
    next(walk, None)
    close(race)


def test_a_run_whose_class_cannot_be_copied_gets_a_copy_that_stops_at_its_first_call_saying_why(tmp_path):
    source = (SUBMISSIONS / "lesson_momentum.py").read_text().replace(
        "        self.step = 0\n", "        self.step = 0\n        self.log = lambda text: None\n", 1)
    (tmp_path / "lambda.py").write_text(source)
    race = race_of(dataclasses.replace(CHAPTER_RUNS[2], student=f"{tmp_path / 'lambda.py'}::{CLASS}"))
    race.run(3)
    twin = copy.deepcopy(race.trainers[0], {id(race.experiment): race.experiment})
    twin.run(2)
    assert twin.epoch == 3 and twin.divergence == (f"{CLASS} stopped at epoch 3: {CLASS} cannot be copied: its "
                                                   "object cannot be pickled")
    race.run(2)
    assert race.trainers[0].epoch == 5 and race.trainers[0].divergence is None
    close(race)
