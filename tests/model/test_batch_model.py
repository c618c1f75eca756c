"""The model's batch size and initialisation: checked edits, what they ask of the runs, data that shrinks below a batch."""

from __future__ import annotations

import pytest

from nngui.engine import Experiment, ExperimentError
from nngui.model import REBUILD, AppModel, ExperimentModel


def test_a_batch_size_starts_the_runs_again_but_keeps_them_comparable(model):
    model.set_batch_size(10)
    assert model.experiment.batch_size == 10
    (change,) = model.events
    # same data and network, same start: pinned runs of another batch size are still worth comparing
    assert (change.effect, change.comparable) == (REBUILD, True)
    model.set_batch_size(0)
    assert model.experiment.batch_size is None and model.events[-1].effect == REBUILD


def test_an_initialisation_is_a_new_start(model):
    model.set_network(init="he")
    assert model.experiment.network.init == "he"
    (change,) = model.events
    assert (change.effect, change.comparable) == (REBUILD, False)


@pytest.mark.parametrize("batch_size, field", [(-1, "batch_size"), (301, "batch_size")])
def test_bad_batch_sizes_change_nothing(model, batch_size, field):
    before = model.experiment
    with pytest.raises(ExperimentError) as error:
        model.set_batch_size(batch_size)
    assert error.value.field == field
    assert model.experiment is before and model.events == [] and not model.can_undo()


def test_book_mode_refuses_mini_batches_and_other_inits_and_changes_nothing():
    model = ExperimentModel(Experiment(book=True))
    with pytest.raises(ExperimentError, match="batch_size: book mode trains on all points at once"):
        model.set_batch_size(10)
    with pytest.raises(ExperimentError, match="network.init: book mode starts from the course's weights"):
        model.set_network(init="glorot")
    assert model.experiment == Experiment(book=True)


def test_data_with_fewer_training_points_than_a_batch_goes_full_batch(model):
    model.set_batch_size(200)
    model.set_dataset(samples=50)          # 150 points: a batch of 200 is all of them
    assert model.experiment.batch_size is None
    assert model.events[-1].note == "New data, fewer points than a batch: full batch"
    model.set_batch_size(100)
    model.set_dataset(test_split=0.25)     # 112 training points: 100 still fits
    assert model.experiment.batch_size == 100
    for _ in range(3):
        model.undo()
    assert model.experiment.batch_size == 200 and model.experiment.dataset.samples == 100


def test_undo_takes_a_batch_size_back():
    app = AppModel()
    app.experiment.set_batch_size(32)
    app.experiment.undo()
    assert app.experiment.experiment.batch_size is None
