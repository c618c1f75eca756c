"""Every legal experiment goes through the real window's Open and Save unchanged, and trains as it says.

The window's controls show the model's values exactly (no rounding), each hidden layer has
its own neuron count, the seed box holds every legal seed, and a refused file changes nothing.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings, strategies as st

from nngui.engine import DATASETS, DatasetConfig, Experiment, NetworkConfig, OptimizerConfig
from nngui.engine.batches import training_points
from nngui.engine.datasets import COORDINATE_LIMIT, CUSTOM
from nngui.engine.experiment import LIMITS, MAX_RUNS
from nngui.engine.layers import DEFAULT_INIT, INITS
from nngui.gui.qt import QtWidgets
from nngui.files import experiment_io


def _real(field):
    low, high = LIMITS[field]
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


@st.composite
def experiments(draw):
    name = draw(st.sampled_from(tuple(DATASETS)))
    info = DATASETS[name]
    classes = draw(st.integers(info.min_classes, info.max_classes))
    points = ()
    if name == CUSTOM:
        # the class's own points: any legal coordinates, every label a class of the set
        coordinate = st.floats(-COORDINATE_LIMIT, COORDINATE_LIMIT, allow_nan=False, allow_infinity=False)
        points = tuple(draw(st.lists(st.tuples(coordinate, coordinate, st.integers(0, classes - 1)),
                                     min_size=2, max_size=40)))
    dataset = DatasetConfig(name, draw(st.integers(2, 60)), classes, draw(_real("dataset.noise")),
                            draw(_real("dataset.test_split")), points)
    network = NetworkConfig(tuple(draw(st.lists(st.integers(1, 40), min_size=1, max_size=4))),
                            draw(st.sampled_from(("relu", "tanh", "sigmoid"))), draw(st.sampled_from(INITS)))
    runs = tuple(OptimizerConfig(draw(st.sampled_from(("sgd", "decay", "momentum"))), draw(_real("optimizer.learning_rate")),
                                 draw(_real("optimizer.decay")), draw(_real("optimizer.momentum")))
                 for _ in range(draw(st.integers(1, MAX_RUNS))))
    book = (name == "spiral" and dataset.test_split == 0 and network.init == DEFAULT_INIT and draw(st.booleans()))
    n = training_points(dataset.samples, dataset.classes, dataset.test_split, dataset.points)
    batch_size = None if book else draw(st.one_of(st.none(), st.integers(1, n)))
    return Experiment(dataset, network, runs, draw(st.integers(*LIMITS["seed"])),
                      draw(st.integers(*LIMITS["epochs"])), book, batch_size)


def _choose_file(monkeypatch, dialog, path):
    monkeypatch.setattr(QtWidgets.QFileDialog, dialog, lambda *args, **kwargs: (str(path), ""))


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(experiment=experiments())
def test_open_then_save_through_the_window_changes_nothing(window, user, monkeypatch, tmp_path, experiment):
    source, saved = tmp_path / "source.json", tmp_path / "saved.json"
    experiment_io.save(source, experiment)
    _choose_file(monkeypatch, "getOpenFileName", source)
    window.files.open_action.trigger()
    assert window.experiment() == experiment
    # what the controls show is exactly the model's value
    run = experiment.runs[window.model.selected_run]
    for name, value in (("learningRateSpin", run.learning_rate), ("decaySpin", run.decay),
                        ("momentumSpin", run.momentum), ("noiseSpin", experiment.dataset.noise),
                        ("testSplitSpin", experiment.dataset.test_split), ("seedSpin", experiment.seed)):
        box = user.find(name)
        assert box.value() == value and box.parse(box.lineEdit().text()) == value, name
    for layer, neurons in enumerate(experiment.network.hidden):
        assert user.find(f"neuronsSpin{layer + 1}").value() == neurons
    assert user.find("runList").count() == len(experiment.runs)
    assert user.find("batchSizeSpin").value() == (experiment.batch_size or 0)
    assert user.find("initCombo").currentData() == experiment.network.init
    _choose_file(monkeypatch, "getSaveFileName", saved)
    window.files.save_action.trigger()
    assert experiment_io.load(saved) == experiment
    assert saved.read_text() == source.read_text()


def test_a_file_the_old_window_rounded_now_trains_exactly_as_written(window, user, monkeypatch, tmp_path):
    path = tmp_path / "exact.json"
    data = experiment_io.to_dict(Experiment())
    data["network"]["hidden"] = [32, 16]
    data["dataset"]["noise"] = 0.123456
    data["runs"] = [{"kind": "momentum", "learning_rate": 0.123456789, "decay": 1.23e-7, "momentum": 0.987654}]
    data["seed"] = 3_000_000_000
    path.write_text(json.dumps(data))
    _choose_file(monkeypatch, "getOpenFileName", path)
    window.files.open_action.trigger()
    user.qtbot.waitUntil(lambda: window.data is not None and window.latest is not None
                         and window.latest.runs[0].sizes == (2, 32, 16, 3))
    assert user.find("learningRateSpin").lineEdit().text() == "0.123456789"
    assert user.find("decaySpin").lineEdit().text() == "1.23e-07"
    assert user.find("seedSpin").lineEdit().text() == "3000000000"
    with user.stopped("step") as blocker:
        user.click("stepButton")
    trained = blocker.args[0].snapshot.runs[0]
    assert trained.optimizer == OptimizerConfig("momentum", 0.123456789, 1.23e-7, 0.987654)
    assert trained.record.learning_rate == 0.123456789 / (1 + 1.23e-7 * 0)


def test_each_hidden_layer_has_its_own_neuron_count(window, user):
    user.type_into("hiddenLayersSpin", "3")
    assert window.experiment().network.hidden == (64, 64, 64)
    user.type_into("neuronsSpin2", "16")
    user.type_into("neuronsSpin3", "8")
    assert window.experiment().network.hidden == (64, 16, 8)
    assert not user.find("neuronsSpin4").isVisible()
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.runs[0].sizes == (2, 64, 16, 8, 3))
    assert window.network_view.sizes == (2, 64, 16, 8, 3)
