"""Experiment files: round trips, atomic saves, and every refusal naming its field."""

import json
import os

import pytest

from nngui.engine import (DatasetConfig, Experiment, ExperimentError, NetworkConfig,
                          OptimizerConfig)
from nngui.files import experiment_io

EXPERIMENTS = [
    Experiment(),
    Experiment(book=True),
    Experiment(DatasetConfig("moons", 250, 2, 0.15, 0.3), NetworkConfig((16, 8), "tanh"),
               (OptimizerConfig("decay", 0.05, 0.01, 0.5),), seed=2**32 - 1, epochs=1),
    Experiment(DatasetConfig("blobs", 2, 6, 0.0, 0.9), NetworkConfig((1, 256, 3, 4), "sigmoid"),
               (OptimizerConfig("sgd", 0.0001, 0.0, 0.0),), seed=12345, epochs=10_000_000),
    Experiment(DatasetConfig("circles", 2000, 5, 1.0), NetworkConfig([7], "relu"),
               (OptimizerConfig("momentum", 100, 1, 0.99),), seed=1, epochs=3),
]


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_save_then_load_gives_the_same_experiment(tmp_path, experiment):
    path = tmp_path / "run.json"
    experiment_io.save(path, experiment)
    assert experiment_io.load(path) == experiment
    assert experiment_io.load(str(path)) == experiment
    assert experiment_io.loads(experiment_io.dumps(experiment)) == experiment
    assert experiment_io.from_dict(json.loads(json.dumps(experiment_io.to_dict(experiment)))) == experiment


def test_the_file_is_versioned_json_with_every_field():
    data = json.loads(experiment_io.dumps(Experiment()))
    assert data == {
        "format": "nngui-experiment", "version": 3,
        "dataset": {"name": "spiral", "samples": 100, "classes": 3, "noise": 0.2, "test_split": 0.0},
        "network": {"hidden": [64], "activation": "relu", "init": "lesson"},
        "runs": [{"kind": "momentum", "learning_rate": 1.0, "decay": 0.001, "momentum": 0.9}],
        "seed": 0, "epochs": 10001, "book": False, "batch_size": None,
    }


def test_title_and_description_travel_with_the_experiment(tmp_path):
    path = tmp_path / "lesson.json"
    experiment = EXPERIMENTS[2]
    experiment_io.save(path, experiment, "Zwei Monde × tanh", "Line one.\nLine \"two\".")
    assert experiment_io.read(path) == experiment_io.ExperimentFile(experiment, "Zwei Monde × tanh", "Line one.\nLine \"two\".")
    assert "Zwei Monde × tanh" in path.read_text(encoding="utf-8")
    # a file without them reads back with empty ones
    experiment_io.save(path, experiment)
    assert experiment_io.read(path) == experiment_io.ExperimentFile(experiment, "", "")


def test_values_are_normalised_at_construction():
    optimizer = OptimizerConfig("sgd", learning_rate=2, decay=0, momentum=0)
    assert type(optimizer.learning_rate) is float and type(optimizer.decay) is float
    network = NetworkConfig([32, 16])
    assert network.hidden == (32, 16)
    assert json.loads(experiment_io.dumps(Experiment(runs=(optimizer,))))["runs"][0]["learning_rate"] == 2.0


def test_hidden_layers_stay_on_one_line_of_the_file():
    text = experiment_io.dumps(Experiment(network=NetworkConfig((64, 32))))
    assert '    "hidden": [64, 32],\n' in text
    assert text.endswith("}\n")


def test_saving_replaces_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "run.json"
    path.write_text("old")
    os.chmod(path, 0o640)
    experiment_io.save(path, EXPERIMENTS[2])
    assert experiment_io.load(path) == EXPERIMENTS[2]
    assert os.listdir(tmp_path) == ["run.json"]
    assert os.stat(path).st_mode & 0o777 == 0o640


def test_a_failed_save_keeps_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "run.json"
    experiment_io.save(path, Experiment())
    before = path.read_bytes()

    def crash(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(ExperimentError, match="No space left on device") as caught:
        experiment_io.save(path, EXPERIMENTS[3])
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["run.json"]


def test_saving_into_a_missing_folder_names_the_file(tmp_path):
    path = tmp_path / "nowhere" / "run.json"
    with pytest.raises(ExperimentError, match="^" + str(path) + ": cannot write the file"):
        experiment_io.save(path, Experiment())


def base():
    return json.loads(experiment_io.dumps(Experiment()))


def _section(data, section):
    if not section:
        return data
    if section == "runs[0]":
        return data["runs"][0]
    return data[section]


def edited(section, key, value):
    data = base()
    _section(data, section)[key] = value
    return data


def removed(section, key):
    data = base()
    del _section(data, section)[key]
    return data


REFUSED = [
    (edited("runs[0]", "learning_rate", 500), "runs[0].learning_rate: must be between 0.0001 and 100, got 500"),
    (edited("runs[0]", "learning_rate", 0.00001), "runs[0].learning_rate: must be between 0.0001 and 100, "
                                                    "got 1e-05"),
    (edited("runs[0]", "learning_rate", "1.0"), 'runs[0].learning_rate: must be a number, got "1.0"'),
    (edited("runs[0]", "learning_rate", True), "runs[0].learning_rate: must be a number, got true"),
    (edited("runs[0]", "decay", 1.5), "runs[0].decay: must be between 0 and 1, got 1.5"),
    (edited("runs[0]", "decay", -0.001), "runs[0].decay: must be between 0 and 1, got -0.001"),
    (edited("runs[0]", "momentum", 1), "runs[0].momentum: must be between 0 and 0.99, got 1"),
    (edited("runs[0]", "momentum", None), "runs[0].momentum: must be a number, got null"),
    (edited("runs[0]", "kind", "adam"), 'runs[0].kind: must be one of sgd, decay, momentum; got "adam"'),
    (edited("dataset", "name", "mnist"), "dataset.name: must be one of spiral, vertical, circles, xor, blobs, "
                                         'moons, custom; got "mnist"'),
    (edited("dataset", "samples", 100.0), "dataset.samples: must be a whole number, got 100.0"),
    (edited("dataset", "samples", 1), "dataset.samples: must be between 2 and 2000, got 1"),
    (edited("dataset", "samples", 2001), "dataset.samples: must be between 2 and 2000, got 2001"),
    (edited("dataset", "classes", 7), "dataset.classes: must be between 2 and 6, got 7"),
    (edited("dataset", "classes", False), "dataset.classes: must be a whole number, got false"),
    (edited("dataset", "noise", 1.01), "dataset.noise: must be between 0 and 1, got 1.01"),
    (edited("dataset", "test_split", 0.91), "dataset.test_split: must be between 0 and 0.9, got 0.91"),
    (edited("network", "hidden", []), "network.hidden: must have 1 to 4 hidden layers, got 0"),
    (edited("network", "hidden", [8, 8, 8, 8, 8]), "network.hidden: must have 1 to 4 hidden layers, got 5"),
    (edited("network", "hidden", [64, 257]), "network.hidden[1]: must be between 1 and 256, got 257"),
    (edited("network", "hidden", [0]), "network.hidden[0]: must be between 1 and 256, got 0"),
    (edited("network", "hidden", [64.0]), "network.hidden[0]: must be a whole number, got 64.0"),
    (edited("network", "hidden", 64), "network.hidden: must be a list of neuron counts like [64] or [64, 32], "
                                      "got 64"),
    (edited("network", "activation", "softplus"), "network.activation: must be one of relu, tanh, sigmoid; "
                                                  'got "softplus"'),
    (edited(None, "seed", -1), "seed: must be between 0 and 4294967295, got -1"),
    (edited(None, "seed", 2**32), "seed: must be between 0 and 4294967295, got 4294967296"),
    (edited(None, "seed", 1.0), "seed: must be a whole number, got 1.0"),
    (edited(None, "epochs", 0), "epochs: must be between 1 and 10000000, got 0"),
    (edited(None, "epochs", 10_000_001), "epochs: must be between 1 and 10000000, got 10000001"),
    (edited(None, "book", 1), "book: must be true or false, got 1"),
    (edited(None, "book", "yes"), 'book: must be true or false, got "yes"'),
    (edited(None, "title", 3), "title: must be text, got 3"),
    (edited(None, "description", "x" * 4001), "description: must be at most 4000 characters, got 4001"),
    (edited(None, "colour", "red"), "colour: unknown key (expected one of format, version, title, description, "
                                    "dataset, network, runs, seed, epochs, book, batch_size)"),
    (edited("runs[0]", "lr", 1.0), "runs[0].lr: unknown key (expected one of kind, learning_rate, decay, "
                                     "momentum)"),
    (removed("dataset", "noise"), "dataset.noise: missing"),
    (removed(None, "epochs"), "epochs: missing"),
    (removed(None, "network"), "network: missing"),
    (edited(None, "dataset", [1, 2]), "dataset: must be an object, got [1, 2]"),
    (edited(None, "format", "something-else"), 'format: must be "nngui-experiment" (is this an nngui experiment '
                                               'file?), got "something-else"'),
    (removed(None, "format"), 'format: missing (an nngui experiment file starts with "format": '
                              '"nngui-experiment")'),
    (edited(None, "version", 4), "version: this nngui reads version 1, 2 or 3, got 4"),
    (edited(None, "version", "1"), 'version: this nngui reads version 1, 2 or 3, got "1"'),
    (edited(None, "version", 1.0), "version: this nngui reads version 1, 2 or 3, got 1.0"),
    (edited(None, "version", True), "version: this nngui reads version 1, 2 or 3, got true"),
    ([base()], "an experiment file holds one JSON object, got a list of 1 items"),
    ("spiral", 'an experiment file holds one JSON object, got "spiral"'),
]


@pytest.mark.parametrize("data,message", REFUSED)
def test_every_bad_value_is_refused_with_one_message_naming_the_field(data, message):
    with pytest.raises(ExperimentError) as caught:
        experiment_io.loads(json.dumps(data))
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)
    with pytest.raises(ValueError):
        experiment_io.from_dict(data)


def test_book_mode_needs_the_spiral_and_every_point():
    data = base()
    data["book"] = True
    data["dataset"].update(name="moons", classes=2)
    with pytest.raises(ExperimentError, match="^book: book mode reproduces the course's spiral"):
        experiment_io.from_dict(data)
    data["dataset"].update(name="spiral", test_split=0.2)
    with pytest.raises(ExperimentError, match="^book: .*set test_split to 0"):
        experiment_io.from_dict(data)


def test_dataset_class_limits_come_from_the_set():
    data = edited("dataset", "name", "xor")
    with pytest.raises(ExperimentError, match="^dataset.classes: xor has exactly 2 classes, got 3$"):
        experiment_io.from_dict(data)
    data["dataset"]["classes"] = 2
    assert experiment_io.from_dict(data).dataset.classes == 2


@pytest.mark.parametrize("text,message", [
    ("{", "invalid JSON at line 1, column 2: Expecting property name enclosed in double quotes"),
    # the column and the wording of a trailing comma differ between Python versions; the line does not
    ('{"format": "nngui-experiment",\n "version": 1,}', "invalid JSON at line 2, column "),
    ("", "invalid JSON at line 1, column 1: Expecting value"),
    ('{"seed": NaN}', "invalid JSON: NaN is not a number JSON allows"),
    ('{"seed": Infinity}', "invalid JSON: Infinity is not a number JSON allows"),
    ('{"seed": -Infinity}', "invalid JSON: -Infinity is not a number JSON allows"),
    ('{"seed": 1' + "0" * 5000 + "}", "invalid JSON: a whole number of 5001 digits is too long"),
    ('{"format": "nngui-experiment", "format": "nngui-experiment"}', "format: appears twice in the same object"),
    (experiment_io.dumps(Experiment()).replace('"learning_rate": 1.0', '"learning_rate": 1e999'),
     "runs[0].learning_rate: must be a finite number, got Infinity"),
    ("[" * 100_000, "the JSON is nested more than 16 levels deep"),
    ('{"a": ' + "[" * 17 + "]" * 17 + "}", "the JSON is nested more than 16 levels deep"),
])
def test_broken_text_is_refused_before_any_field(text, message):
    with pytest.raises(ExperimentError) as caught:
        experiment_io.loads(text)
    assert str(caught.value).startswith(message)


def test_brackets_inside_strings_do_not_count_as_nesting():
    text = experiment_io.dumps(Experiment(), "[[[[[[[[[[[[[[[[[[[[ \\\" {{{{{{{{{{{{{{{{{{{{", "]\\\\")
    assert experiment_io.parse(text).title == '[[[[[[[[[[[[[[[[[[[[ \\" {{{{{{{{{{{{{{{{{{{{'
    assert experiment_io.parse(text).description == "]\\\\"


def test_sixteen_levels_are_fine_for_the_depth_check():
    # valid JSON nested exactly 16 deep passes the depth check and fails later, on its content
    with pytest.raises(ExperimentError, match="^format: missing"):
        experiment_io.loads('{"a": ' + "[" * 15 + "]" * 15 + "}")


def test_bytes_are_read_as_utf8_with_or_without_a_byte_order_mark():
    text = experiment_io.dumps(Experiment(), "Café")
    assert experiment_io.parse(text.encode("utf-8")).title == "Café"
    assert experiment_io.parse(b"\xef\xbb\xbf" + text.encode("utf-8")).title == "Café"
    with pytest.raises(ExperimentError, match=r"^the file is not UTF-8 text \(byte 0\)$"):
        experiment_io.parse(b"\xff\xfe{}")


def test_pickles_are_never_unpickled():
    import pickle
    with pytest.raises(ExperimentError):
        experiment_io.parse(pickle.dumps(Experiment()))


def test_more_than_one_megabyte_is_refused_without_parsing(tmp_path):
    padding = " " * 1_000_001
    with pytest.raises(ExperimentError, match="^the file is larger than 1 MB"):
        experiment_io.loads(experiment_io.dumps(Experiment()) + padding)
    with pytest.raises(ExperimentError, match="^the file is larger than 1 MB"):
        experiment_io.parse((experiment_io.dumps(Experiment()) + padding).encode())
    path = tmp_path / "big.json"
    path.write_text(experiment_io.dumps(Experiment()) + padding)
    with pytest.raises(ExperimentError, match="^" + str(path) + ": the file is larger than 1 MB"):
        experiment_io.load(path)
    # multi-byte characters count by their bytes
    with pytest.raises(ExperimentError, match="^the file is larger than 1 MB"):
        experiment_io.loads(experiment_io.dumps(Experiment(), "x").replace('"x"', '"' + "é" * 600_000 + '"'))


def test_loading_names_the_file_then_the_field(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(edited("runs[0]", "learning_rate", 500)))
    with pytest.raises(ExperimentError) as caught:
        experiment_io.load(path)
    assert str(caught.value) == f"{path}: runs[0].learning_rate: must be between 0.0001 and 100, got 500"
    assert caught.value.field == "runs[0].learning_rate" and caught.value.source == str(path)
    with pytest.raises(ExperimentError, match="^" + str(tmp_path / "missing.json") + ": cannot read the file: "
                                                                                     "No such file"):
        experiment_io.load(tmp_path / "missing.json")
    with pytest.raises(ExperimentError, match="^" + str(tmp_path) + ": cannot read the file"):
        experiment_io.load(tmp_path)


@pytest.mark.parametrize("build,message", [
    (lambda: OptimizerConfig(learning_rate=500), "optimizer.learning_rate: must be between 0.0001 and 100, got 500"),
    (lambda: OptimizerConfig(kind="SGD"), 'optimizer.kind: must be one of sgd, decay, momentum; got "SGD"'),
    (lambda: DatasetConfig(samples=True), "dataset.samples: must be a whole number, got true"),
    (lambda: DatasetConfig(name="moons"), "dataset.classes: moons has exactly 2 classes, got 3"),
    (lambda: NetworkConfig(hidden=(64, 300)), "network.hidden[1]: must be between 1 and 256, got 300"),
    (lambda: NetworkConfig(activation="elu"), 'network.activation: must be one of relu, tanh, sigmoid; got "elu"'),
    (lambda: Experiment(dataset="spiral"), 'dataset: must be a DatasetConfig, got "spiral"'),
    (lambda: Experiment(epochs=2.5), "epochs: must be a whole number, got 2.5"),
    (lambda: Experiment(book=1), "book: must be true or false, got 1"),
    (lambda: Experiment(DatasetConfig("xor", classes=2), book=True), "book: book mode reproduces the course's spiral; "
                                                                     "choose dataset 'spiral'"),
])
def test_the_dataclasses_refuse_what_a_file_would(build, message):
    with pytest.raises(ExperimentError) as caught:
        build()
    assert str(caught.value) == message


def test_dataclasses_stay_frozen_with_their_properties():
    optimizer = OptimizerConfig("decay", 0.5, 0.01, 0.9)
    assert (optimizer.effective_decay, optimizer.effective_momentum, optimizer.label) == (0.01, 0.0, "SGD + decay")
    with pytest.raises(AttributeError):
        optimizer.learning_rate = 3
    assert Experiment() == Experiment(DatasetConfig(), NetworkConfig(), (OptimizerConfig(),), 0, 10001, False)


def _version_1(optimizer):
    data = base()
    del data["runs"], data["batch_size"], data["network"]["init"]   # version 3's keys
    data.update(version=1, optimizer=optimizer)
    return data


def test_a_version_1_file_opens_as_a_race_of_one_and_saves_as_version_3():
    optimizer = {"kind": "decay", "learning_rate": 0.123456789, "decay": 1.23e-7, "momentum": 0.987654}
    experiment = experiment_io.from_dict(_version_1(optimizer))
    assert experiment.runs == (OptimizerConfig("decay", 0.123456789, 1.23e-7, 0.987654),)
    saved = json.loads(experiment_io.dumps(experiment))
    assert saved["version"] == 3 and saved["runs"] == [optimizer] and "optimizer" not in saved


@pytest.mark.parametrize("data, message", [
    (_version_1({"kind": "sgd", "learning_rate": 500, "decay": 0.0, "momentum": 0.0}),
     "optimizer.learning_rate: must be between 0.0001 and 100, got 500"),
    (dict(_version_1({"kind": "sgd", "learning_rate": 1.0, "decay": 0.0, "momentum": 0.0}), runs=[]),
     "runs: unknown key (expected one of format, version, title, description, dataset, network, optimizer, "
     "seed, epochs, book)"),
    (edited(None, "runs", []), "runs: must have 1 to 4 runs, got 0"),
    (edited(None, "runs", base()["runs"] * 5), "runs: must have 1 to 4 runs, got 5"),
    (edited(None, "runs", {"kind": "sgd"}), "runs: must be a list of 1 to 4 optimizers, got an object"),
    (edited(None, "runs", [base()["runs"][0], 3]), "runs[1]: must be an object, got 3"),
    (edited(None, "runs", [base()["runs"][0], dict(base()["runs"][0], momentum=1.5)]),
     "runs[1].momentum: must be between 0 and 0.99, got 1.5"),
    (edited(None, "runs", [base()["runs"][0], {"kind": "sgd", "learning_rate": 1.0}]), "runs[1].decay: missing"),
])
def test_runs_are_checked_one_by_one_naming_the_run(data, message):
    with pytest.raises(ExperimentError) as caught:
        experiment_io.from_dict(data)
    assert str(caught.value) == message


def test_a_race_of_four_round_trips_exactly():
    runs = (OptimizerConfig("sgd", 0.123456789, 0.0, 0.0), OptimizerConfig("decay", 1.0, 1.23e-7, 0.0),
            OptimizerConfig("momentum", 0.5, 0.0, 0.987654), OptimizerConfig("momentum", 100.0, 1.0, 0.99))
    experiment = Experiment(runs=runs)
    assert experiment_io.loads(experiment_io.dumps(experiment)) == experiment
    assert experiment.labels == ("SGD", "SGD + decay", "SGD + momentum 0.987654", "SGD + momentum 0.99")


def test_twin_runs_get_names_that_tell_them_apart():
    from nngui.engine.experiment import run_labels
    assert run_labels((OptimizerConfig("sgd", 1.0), OptimizerConfig("sgd", 0.5), OptimizerConfig("sgd", 0.5))) == \
        ("SGD (lr 1)", "SGD (lr 0.5)", "SGD (lr 0.5) #2")
    # only the settings that differ between twins: short enough for a map's title
    assert run_labels((OptimizerConfig("momentum", 1.0, 0.0, 0.9), OptimizerConfig("momentum", 1.0, 1e-3, 0.9))) == \
        ("SGD + momentum 0.9 (decay 0)", "SGD + momentum 0.9 (decay 0.001)")
    assert run_labels((OptimizerConfig("decay", 1.0, 1e-3), OptimizerConfig("decay", 0.5, 1e-2),
                       OptimizerConfig("decay", 0.5, 1e-3), OptimizerConfig("sgd", 1.0))) == \
        ("SGD + decay (lr 1, decay 0.001)", "SGD + decay (lr 0.5, decay 0.01)", "SGD + decay (lr 0.5, decay 0.001)", "SGD")
    # twins alike in every setting: all of them, and a number
    assert run_labels((OptimizerConfig("momentum", 1.0, 1e-3, 0.9),) * 2) == \
        ("SGD + momentum 0.9 (lr 1, decay 0.001, momentum 0.9)", "SGD + momentum 0.9 (lr 1, decay 0.001, momentum 0.9) #2")
    assert OptimizerConfig("momentum", 1.0, 1e-3, 0.9).describe() == \
        "SGD + momentum 0.9: lr 1, decay 0.001, momentum 0.9"
    assert OptimizerConfig("sgd", 2.0, 1e-3, 0.9).describe() == "SGD: lr 2"
