"""The experiment model's locks: one place that refuses every edit of a locked part, and lets its owner through."""

from __future__ import annotations

import pytest

from nngui.engine import Experiment, OptimizerConfig
from nngui.engine.checks import ExperimentError
from nngui.model import AppModel
from nngui.model.locks import PART_FIELDS
from nngui.teaching.lessons import LOCKABLE


def test_every_lockable_part_but_the_pace_names_experiment_fields():
    assert set(PART_FIELDS) | {"pace"} == set(LOCKABLE)
    for fields in PART_FIELDS.values():
        assert all(hasattr(Experiment(), field) for field in fields)


@pytest.mark.parametrize("part,edit", [
    ("dataset", lambda m: m.set_dataset(samples=50)),
    ("dataset", lambda m: m.set_seed(3)),
    ("dataset", lambda m: m.set_batch_size(30)),
    ("dataset", lambda m: m.add_points([(0.1, 0.2)], 0)),
    ("network", lambda m: m.set_layer_size(0, 8)),
    ("runs", lambda m: m.set_run(0, learning_rate=0.5)),
    ("runs", lambda m: m.add_run()),
    ("compare", lambda m: m.compare_chapter()),
    ("epoch_limit", lambda m: m.set_epochs(10)),
    ("runs", lambda m: m.load(Experiment(runs=(OptimizerConfig("sgd", 2.0, 0.0, 0.0),)))),
])
def test_an_edit_of_a_locked_part_is_refused_and_changes_nothing(part, edit):
    model = AppModel().experiment
    events = []
    model.changed.connect(events.append)
    before = model.experiment
    model.locks.set((part,), "the lesson (step 2 of 3)")
    with pytest.raises(ExperimentError) as refused:
        edit(model)
    assert "locked by the lesson (step 2 of 3)" in str(refused.value)
    assert model.experiment is before and events == [] and not model.can_undo()
    # its owner changes it on purpose
    with model.locks.opened():
        edit(model)
    assert model.experiment != before


def test_undo_across_a_lock_is_refused_and_leaves_both_stacks_as_they_were():
    model = AppModel().experiment
    model.set_dataset(samples=50)
    model.set_run(0, learning_rate=0.5)
    model.locks.set(("dataset",))
    assert model.undo().new.runs[0].learning_rate == 1.0       # the runs are free
    with pytest.raises(ExperimentError, match="the data is locked"):
        model.undo()                                          # back to 100 samples: refused
    assert model.experiment.dataset.samples == 50 and model.can_undo() and model.can_redo()
    assert model.redo().new.runs[0].learning_rate == 0.5
    model.locks.clear()
    model.undo()
    assert model.undo().new.dataset.samples == 100


def test_a_locked_pace_is_kept_and_said():
    app = AppModel()
    said, paces = [], []
    app.refused.connect(said.append)
    app.pace_changed.connect(paces.append)
    app.set_pace(10)
    app.experiment.locks.set(("pace",))
    app.set_pace(5)
    assert app.pace == 10 and paces == [10, 10] and said == [
        "Not applied: pace: the pace is locked by the lesson (Lessons ▸ Close lesson unlocks every control)"]
    app.set_pace(10)   # no change: nothing to refuse
    assert len(said) == 1
    with app.experiment.locks.opened():
        app.set_pace(5)
    assert app.pace == 5
