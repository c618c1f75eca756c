"""An epoch can be given up between two calls of the protocol: the window closes within seconds whatever the setting."""

from __future__ import annotations

import pytest

from nngui.engine import Experiment


def test_an_epoch_can_be_stopped_between_two_calls():
    # the window closing mid-epoch of a very large setting: the worker asks after every call
    from nngui.engine import Race
    from nngui.engine.trainer import EpochStopped
    race = Race(Experiment(batch_size=10))
    asked = []

    def stop():
        asked.append(True)
        return len(asked) >= 3

    with pytest.raises(EpochStopped):
        race.train_epoch(stop)
    assert len(asked) == 3  # forward, backward, then stopped after pre_update_params: one batch not even done
    # never asked, nothing changes: the same epoch as without the hook
    with_hook, without = Race(Experiment(batch_size=10)), Race(Experiment(batch_size=10))
    assert with_hook.train_epoch(lambda: False) == without.train_epoch()
