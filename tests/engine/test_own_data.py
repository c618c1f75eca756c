"""The class's own data: the custom data set, its file format (version 3), CSV in and out, ``--data``."""

import contextlib
import io
import json
import math
import os

import numpy as np
import pytest

from nngui.cli.train import main as train_main
from nngui.cli.race import main as race_main
from nngui.engine import DatasetConfig, Experiment, ExperimentError, Race, make_start
from nngui.files import csv_data
from nngui.engine.datasets import COORDINATE_LIMIT, POINTS_RANGE
from nngui.files.history_csv import HEADER, history_csv
from nngui.engine.start import dataset_points
from nngui.files import experiment_io

POINTS = ((0.0, 0.0, 0), (1.0, 1.0, 1), (0.5, -0.5, 1), (-0.25, 0.75, 0))


def custom(points=POINTS, classes=2, **fields):
    return Experiment(dataset=DatasetConfig("custom", classes=classes, points=points, **fields))


# --- the data set ---------------------------------------------------------------------------

def test_the_given_points_are_the_data_in_their_order():
    start = make_start(custom())
    assert start.X.tolist() == [[0.0, 0.0], [1.0, 1.0], [0.5, -0.5], [-0.25, 0.75]]
    assert start.y.tolist() == [0, 1, 1, 0]
    assert start.X.dtype == np.float64 and start.y.dtype == np.int64
    assert not start.X.flags.writeable


def test_whole_numbers_and_lists_are_stored_as_tuples_of_floats_and_ints():
    dataset = DatasetConfig("custom", classes=2, points=[[0, 0, 0], [1, 2, 1]])
    assert dataset.points == ((0.0, 0.0, 0), (1.0, 2.0, 1))
    assert all(type(x) is float and type(y) is float and type(label) is int for x, y, label in dataset.points)


def test_the_test_split_holds_out_round_split_times_points_and_keeps_one_to_train():
    points = tuple((i / 10, -i / 10, i % 2) for i in range(10))
    start = make_start(custom(points, test_split=0.3))
    assert len(start.X_test) == 3 and len(start.X_train) == 7
    # every point is in exactly one part
    together = sorted(map(tuple, np.concatenate([start.X_train, start.X_test]).tolist()))
    assert together == sorted((x, y) for x, y, _ in points)
    two = make_start(custom(POINTS[:2], test_split=0.9))
    assert len(two.X_train) == 1 and len(two.X_test) == 1


def test_book_mode_is_the_course_spiral_only():
    with pytest.raises(ExperimentError, match="^book: book mode reproduces the course's spiral"):
        Experiment(dataset=DatasetConfig("custom", classes=2, points=POINTS), book=True)


@pytest.mark.parametrize("points, classes, message", [
    (POINTS[:1], 2, "dataset.points: must hold 2 to 5000 points, got 1"),
    (((0, 0, 0),) * 5001, 2, "dataset.points: must hold 2 to 5000 points, got 5001"),
    ((), 2, "dataset.points: must hold 2 to 5000 points, got 0"),
    ("0,0,0", 2, 'dataset.points: must be a list of [x, y, label] points, got "0,0,0"'),
    (((0, 0, 0), (1, 1)), 2, "dataset.points[1]: must be [x, y, label], got [1, 1]"),
    (((0, 0, 0), (math.nan, 1, 1)), 2, "dataset.points[1].x: must be a finite number, got NaN"),
    (((0, 0, 0), (1, 1e300, 1)), 2, "dataset.points[1].y: must be between -100 and 100, got 1e+300"),
    (((0, 0, 0), (1, 1, 2)), 2, "dataset.points[1].label: must be between 0 and 1, got 2"),
    (((0, 0, 0), (1, 1, 1.0)), 2, "dataset.points[1].label: must be a whole number, got 1.0"),
    (((0, 0, 0), (1, 1, True)), 2, "dataset.points[1].label: must be a whole number, got true"),
    (((0, 0, -1), (1, 1, 1)), 2, "dataset.points[0].label: must be between 0 and 1, got -1"),
])
def test_bad_points_are_refused_naming_the_point(points, classes, message):
    with pytest.raises(ExperimentError) as caught:
        DatasetConfig("custom", classes=classes, points=points)
    assert str(caught.value) == message


def test_only_your_own_data_set_has_points():
    with pytest.raises(ExperimentError, match="^dataset.points: only the data set 'custom'"):
        DatasetConfig("spiral", points=POINTS)


def test_dataset_points_of_a_drawn_set_are_its_points_and_of_yours_the_given_ones():
    experiment = Experiment(dataset=DatasetConfig("moons", samples=5, classes=2, noise=0.1))
    start = make_start(experiment)
    points = dataset_points(experiment)
    assert [(x, y) for x, y, _ in points] == [tuple(p) for p in start.X.tolist()]
    assert [label for *_, label in points] == start.y.tolist()
    # made into your own, they are the same data: the same X and y
    own = make_start(custom(points))
    assert np.array_equal(own.X, start.X) and np.array_equal(own.y, start.y)
    yours = custom()
    assert dataset_points(yours) is yours.dataset.points


# --- the file, version 3 ------------------------------------------------------------------------

def test_the_points_travel_in_the_file_exactly_and_only_for_your_own_data(tmp_path):
    points = ((0.1 + 0.2, -1 / 3, 0), (99.99999999999999, -100.0, 2), (1e-300, 5e-324, 1))
    experiment = custom(points, classes=3, test_split=0.25)
    data = json.loads(experiment_io.dumps(experiment))
    assert data["version"] == 3 and data["dataset"]["points"] == [list(p) for p in points]
    path = tmp_path / "own.json"
    experiment_io.save(path, experiment)
    assert experiment_io.load(path) == experiment
    assert "points" not in json.loads(experiment_io.dumps(Experiment()))["dataset"]


def test_versions_1_and_2_still_open_and_a_version_2_file_cannot_have_points():
    data = json.loads(experiment_io.dumps(Experiment()))
    data["version"] = 2
    del data["batch_size"], data["network"]["init"]   # keys of version 3
    assert experiment_io.from_dict(data) == Experiment()
    data["dataset"].update(name="custom", classes=2, points=[list(p) for p in POINTS])
    with pytest.raises(ExperimentError, match=r"^dataset.points: unknown key \(expected one of name, samples"):
        experiment_io.from_dict(data)
    data["version"] = 3
    assert experiment_io.from_dict(data) == custom()


@pytest.mark.parametrize("points, message", [
    ({"x": 1}, "dataset.points: must be a list of [x, y, label] points, got an object"),
    ([[0, 0, 0], "1,1,1"], 'dataset.points[1]: must be [x, y, label], got "1,1,1"'),
    ([[0, 0, 0], [1, 1, "1"]], 'dataset.points[1].label: must be a whole number, got "1"'),
    ([[0, 0, 0], [1, None, 1]], "dataset.points[1].y: must be a number, got null"),
])
def test_bad_points_in_a_file_are_refused_naming_the_point(points, message):
    data = json.loads(experiment_io.dumps(custom()))
    data["dataset"]["points"] = points
    with pytest.raises(ExperimentError) as caught:
        experiment_io.from_dict(data)
    assert str(caught.value) == message


def test_a_spiral_in_a_file_with_points_is_refused():
    data = json.loads(experiment_io.dumps(Experiment()))
    data["dataset"]["points"] = [list(p) for p in POINTS]
    with pytest.raises(ExperimentError, match="^dataset.points: only the data set 'custom'"):
        experiment_io.from_dict(data)


# --- CSV ----------------------------------------------------------------------------------------

def test_a_csv_file_with_or_without_a_header_gives_its_points_and_classes():
    with_header = csv_data.parse_csv(b"x,y,label\n0,0,0\n1.5,-2e-1,2\n\n# a comment\n .25 , 3 , 1.0 \n")
    assert with_header == csv_data.CsvData(((0.0, 0.0, 0), (1.5, -0.2, 2), (0.25, 3.0, 1)), 3)
    without = csv_data.parse_csv("0,0,0\r\n1,1,1\r\n")
    assert without == csv_data.CsvData(((0.0, 0.0, 0), (1.0, 1.0, 1)), 2)
    # labels 0 and 3 make four classes
    assert csv_data.parse_csv("0,0,0\n1,1,3\n").classes == 4
    # a UTF-8 byte-order mark is not part of the header
    assert csv_data.parse_csv("\ufeffx,y,label\n0,0,0\n1,1,1\n".encode()).classes == 2


def test_exported_csv_reads_back_to_the_same_floats(tmp_path):
    points = ((0.1 + 0.2, -1 / 3, 0), (99.99999999999999, -100.0, 5), (5e-324, 1e-7, 1))
    path = tmp_path / "data.csv"
    csv_data.write_csv(path, points)
    assert path.read_text().splitlines()[0] == "x,y,label"
    assert csv_data.read_csv(path) == csv_data.CsvData(points, 6)


@pytest.mark.parametrize("content, message", [
    (b"x,y,label\n0,0,0\n1,nan,1\n", "line 3: y must be a number, got 'nan'"),
    (b"0,0,0\n1,1,1\n2,inf,1\n", "line 3: y must be a number, got 'inf'"),
    (b"0,0,0\n1e400,1,1\n", "line 2: x must be between -100 and 100, got '1e400'"),
    (b"0,0,0\n100.5,1,1\n", "line 2: x must be between -100 and 100, got '100.5'"),
    (b"0,0,0\n1,1,7\n", "line 2: label must be a class number 0 to 5, got '7'"),
    (b"0,0,0\n1,1,cat\n", "line 2: label must be a class number 0 to 5, got 'cat'"),
    (b"0,0,0\n1,1,1.5\n", "line 2: label must be a class number 0 to 5, got '1.5'"),
    (b"0,0,0\n1,1,-1\n", "line 2: label must be a class number 0 to 5, got '-1'"),
    (b"0,0,0\n1,1\n", "line 2: expected 3 values x,y,label, got 2"),
    (b"0,0,0\n1,1,1,1\n", "line 2: expected 3 values x,y,label, got 4"),
    (b"0,0,0\n1_000,1,1\n", "line 2: x must be a number, got '1_000'"),
    (b"0,0,0\n" + b"1" * 50 + b",1,1\n", "line 2: x must be a number, got '" + "1" * 40 + "…'"),
    (b"x,y,label\n0,0,0\n", "the file holds 1 point; a data set needs at least 2 (rows of x,y,label)"),
    (b"", "the file holds 0 points; a data set needs at least 2 (rows of x,y,label)"),
    (b"0,0,1\n1,1,1\n", "every point is of class 1: a data set needs points of at least two classes"),
    (b"0,0,0\n\x00\x01\x02", "this is not a CSV text file (it holds binary data)"),
    (b"0,0,0\n1,1,1\n\xff\xfe,1,1\n", "line 3: is not UTF-8 text"),
    (b"0,0,0\n1,\"1,1\n", "line 2: expected 3 values x,y,label, got 2"),
    (b"x,y,label\n" + b"0,0,0\n" * 5000 + b"1,1,1\n", "line 5002: more than 5000 points (the most a data set "
                                                      "may hold)"),
])
def test_a_bad_row_is_refused_with_its_line_number(content, message):
    with pytest.raises(ExperimentError) as caught:
        csv_data.parse_csv(content)
    assert str(caught.value) == message


def test_hostile_files_are_refused_without_being_read(tmp_path):
    big = tmp_path / "big.csv"
    big.write_bytes(b"0,0,0\n" * 200_000)
    with pytest.raises(ExperimentError, match=r"big.csv: the file is larger than 1 MB$"):
        csv_data.read_csv(big)
    with pytest.raises(ExperimentError, match="it is a directory, not a regular file"):
        csv_data.read_csv(tmp_path)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(ExperimentError, match=r"it is a named pipe \(FIFO\), not a regular file"):
        csv_data.read_csv(fifo)
    with pytest.raises(ExperimentError, match="cannot read the file"):
        csv_data.read_csv(tmp_path / "missing.csv")
    # one line of megabytes is refused by size, never parsed
    with pytest.raises(ExperimentError, match="larger than 1 MB"):
        csv_data.parse_csv(b"1" * 2_000_000)


def test_the_limits_are_the_ones_stated():
    assert POINTS_RANGE == (2, 5000) and COORDINATE_LIMIT == 100.0 and csv_data.MAX_BYTES == 1_000_000
    assert "2 to 5000 points" in csv_data.__doc__ and "±100" in csv_data.__doc__


# --- the history as CSV -------------------------------------------------------------------------

def test_the_history_csv_holds_every_epoch_of_every_run_exactly():
    race = Race(custom(test_split=0.5))
    race.run(3)
    lines = history_csv(race.labels, [t.history.view() for t in race.trainers]).splitlines()
    assert lines[0] == ",".join(HEADER) == "run,epoch,loss,accuracy,learning_rate,test_loss,test_accuracy"
    assert len(lines) == 1 + 3
    history = race.trainers[0].history.view()
    for i, line in enumerate(lines[1:]):
        run, epoch, loss, accuracy, rate, test_loss, test_accuracy = line.split(",")
        assert run == race.labels[0] and int(epoch) == i
        assert float(loss) == history.loss[i] and float(accuracy) == history.accuracy[i]
        assert float(rate) == history.learning_rate[i]
        assert float(test_loss) == history.test_loss[i] and float(test_accuracy) == history.test_accuracy[i]


def test_without_a_test_split_the_test_columns_are_empty():
    race = Race(custom())
    race.run(1)
    line = history_csv(race.labels, [race.trainers[0].history.view()]).splitlines()[1]
    assert line.endswith(",,")


# --- the command line ---------------------------------------------------------------------------

def run(main, argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def test_train_data_trains_on_the_file_points_as_the_custom_set_would(tmp_path):
    path = tmp_path / "class.csv"
    path.write_text("x,y,label\n" + "".join(f"{x},{y},{label}\n" for x, y, label in POINTS))
    code, out, err = run(train_main, ["--data", str(path), "--epochs", "5", "--json"])
    assert (code, err) == (0, "")
    summary = json.loads(out)
    assert summary["config"]["dataset"]["points"] == [list(p) for p in POINTS]
    race = Race(custom())
    race.run(5)
    assert summary["loss"] == race.trainers[0].last_record.loss
    code, out, err = run(race_main, ["--data", str(path), "--epochs", "2", "--json"])
    assert code == 0 and len(json.loads(out)["runs"]) == 3


@pytest.mark.parametrize("content, argv, message", [
    ("x,y,label\n0,0,0\n1,nan,1\n", [], "nngui train: error: --data: {path}: line 3: y must be a number, got 'nan'"),
    ("0,0,0\n1,1,1\n", ["--dataset", "spiral"],
     "nngui train: error: --data: the points come from the file; leave out --dataset spiral"),
    ("0,0,0\n1,1,2\n", ["--classes", "2"], "nngui train: error: --classes: the file's labels need at least 3 "
                                           "classes, got 2"),
])
def test_a_bad_data_file_exits_2_with_one_line(tmp_path, content, argv, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    code, out, err = run(train_main, ["--data", str(path), *argv])
    assert (code, out) == (2, "")
    assert err == message.format(path=path) + "\n"


def test_race_data_refuses_a_directory_in_one_line(tmp_path):
    code, out, err = run(race_main, ["--data", str(tmp_path)])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "it is a directory, not a regular file" in err
