"""Version 3 experiment files: the batch size and the initialisation, optional; versions 1 and 2 still read."""

import json

import pytest
from hypothesis import given, settings, strategies as st

from nngui.engine import DatasetConfig, Experiment, ExperimentError, NetworkConfig, OptimizerConfig
from nngui.files import experiment_io
from nngui.engine.batches import training_points

V2 = {
    "format": "nngui-experiment", "version": 2,
    "dataset": {"name": "spiral", "samples": 100, "classes": 3, "noise": 0.2, "test_split": 0.0},
    "network": {"hidden": [64], "activation": "relu"},
    "runs": [{"kind": "momentum", "learning_rate": 1.0, "decay": 0.001, "momentum": 0.9}],
    "seed": 0, "epochs": 10001, "book": False,
}


@pytest.mark.parametrize("experiment", [
    Experiment(batch_size=10),
    Experiment(network=NetworkConfig((8, 8, 8, 8), "relu", "he"), batch_size=300),
    Experiment(DatasetConfig("moons", 50, 2, 0.1, 0.5), NetworkConfig((4,), "tanh", "glorot"),
               (OptimizerConfig("sgd", 0.5, 0.0, 0.0),), batch_size=1),
])
def test_batch_size_and_init_round_trip(tmp_path, experiment):
    path = tmp_path / "run.json"
    experiment_io.save(path, experiment)
    assert experiment_io.load(path) == experiment
    data = json.loads(path.read_text())
    assert data["version"] == 3
    assert (data["batch_size"], data["network"]["init"]) == (experiment.batch_size, experiment.network.init)


@pytest.mark.parametrize("version", [2, 3])
def test_a_file_without_them_is_full_batch_from_the_lessons_start(version):
    experiment = experiment_io.from_dict(dict(V2, version=version))
    assert experiment == Experiment()
    assert experiment.batch_size is None and experiment.network.init == "lesson"


def test_a_version_1_file_still_reads():
    data = {k: v for k, v in V2.items() if k != "runs"}
    data.update(version=1, optimizer=V2["runs"][0])
    assert experiment_io.from_dict(data) == Experiment()


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(version=2, batch_size=10), "batch_size: unknown key"),
    (lambda d: d["network"].update(init="he") or d.update(version=2), "network.init: unknown key"),
    (lambda d: d.update(batch_size=0), "batch_size: must be between 1 and 300"),
    (lambda d: d.update(batch_size="10"), 'batch_size: must be a whole number of points, or null for full batch; '
                                          'got "10"'),
    (lambda d: d["network"].update(init="xavier"), 'network.init: must be one of lesson, he, glorot; got "xavier"'),
    (lambda d: d.update(book=True, batch_size=10), "batch_size: book mode trains on all points at once"),
])
def test_bad_values_are_refused_naming_the_field(change, message):
    data = json.loads(json.dumps(dict(V2, version=3)))
    change(data)
    with pytest.raises(ExperimentError) as error:
        experiment_io.read_dict(data)
    assert str(error.value).startswith(message)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(samples=st.integers(2, 2000), classes=st.integers(2, 6), split=st.sampled_from((0.0, 0.1, 0.5, 0.9)),
       init=st.sampled_from(("lesson", "he", "glorot")), data=st.data())
def test_every_legal_batch_size_and_init_round_trips(samples, classes, split, init, data):
    n = training_points(samples, classes, split)
    batch_size = data.draw(st.one_of(st.none(), st.integers(1, n)))
    experiment = Experiment(DatasetConfig("blobs", samples, classes, 0.1, split), NetworkConfig((8,), "relu", init),
                            batch_size=batch_size)
    assert experiment_io.loads(experiment_io.dumps(experiment)) == experiment
    with pytest.raises(ExperimentError, match=f"between 1 and {n} "):
        Experiment(experiment.dataset, batch_size=n + 1)
