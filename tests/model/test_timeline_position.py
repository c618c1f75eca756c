"""The timeline position in the model: None is live, else the epoch looked back at; new settings go live."""

import pytest

from nngui.engine import Experiment, OptimizerConfig
from nngui.model import AppModel


@pytest.fixture
def model():
    m = AppModel(Experiment())
    m.events = []
    m.timeline_changed.connect(m.events.append)
    return m


def test_it_starts_live_and_says_each_change_once(model):
    assert model.timeline is None
    model.set_timeline(12)
    model.set_timeline(12)
    model.set_timeline(0)
    model.set_timeline(None)
    model.set_timeline(None)
    assert model.events == [12, 0, None]


@pytest.mark.parametrize("epoch", [-1, 2.5, 3.0, True, "4", float("nan")])
def test_a_bad_epoch_is_refused_naming_the_timeline_and_nothing_changes(model, epoch):
    model.set_timeline(7)
    with pytest.raises(ValueError, match="^timeline: an epoch is a whole number"):
        model.set_timeline(epoch)
    assert model.timeline == 7 and model.events == [7]


def test_new_settings_or_a_new_race_go_live_but_the_epoch_limit_does_not(model):
    model.set_timeline(5)
    model.experiment.set_epochs(2000)
    assert model.timeline == 5
    model.experiment.set_run(0, learning_rate=0.5)
    assert model.timeline is None
    model.set_timeline(5)
    model.experiment.add_run(OptimizerConfig("sgd", 1.0, 0.0, 0.0))
    assert model.timeline is None and model.events == [5, None, 5, None]
