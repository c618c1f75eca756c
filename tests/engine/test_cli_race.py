"""``nngui race``: every run prints what ``nngui train`` prints for it; specs, defaults, JSON, divergence, errors."""

import contextlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nngui.cli import train as cli, race as cli_race
from nngui.engine import CHAPTER_RUNS, DatasetConfig, Experiment, NetworkConfig, OptimizerConfig
from nngui.files.experiment_io import optimizer_dict, to_dict
from nngui.files import experiment_io

REPO = Path(__file__).resolve().parents[2]
CHAPTER_LABELS = ("SGD", "SGD + decay", "SGD + momentum 0.9")


def run(main, argv, capsys):
    """``(exit code, stdout, stderr)`` of a command's ``main(argv)``, in this process."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def race(argv, capsys):
    return run(cli_race.main, argv, capsys)


def train(argv, capsys):
    return run(cli.main, argv, capsys)


def train_flags(config: OptimizerConfig):
    return ["--optimizer", config.kind, "--learning-rate", repr(config.learning_rate),
            "--decay", repr(config.decay), "--momentum", repr(config.momentum)]


def lines_of(out, label, width):
    """The course lines of the run named ``label``, without the name."""
    prefix = label.ljust(width) + "  "
    return [line[len(prefix):] for line in out.splitlines() if line.startswith(prefix) and "epoch: " in line]


def captured(argv):
    """``(exit code, stdout, stderr)`` of ``nngui race argv`` without capsys (for fixtures shared by a module)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_race.main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def full_book_race():
    """The chapter's three runs in book mode, the course's 10001 epochs, once for the module."""
    return captured(["--book", "--every", "1000"])


def test_the_full_book_race_ends_as_the_course_does(full_book_race):
    code, out, err = full_book_race
    assert (code, err) == (0, "")
    width = max(map(len, CHAPTER_LABELS))
    momentum = lines_of(out, "SGD + momentum 0.9", width)
    assert len(momentum) == 11
    assert momentum[0] == "epoch: 0, acc: 0.360, loss: 1.099, lr: 1.0"
    assert momentum[-1] == "epoch: 10000, acc: 0.957, loss: 0.121, lr: 0.09091735612328393"
    # one clock: the runs' lines interleave epoch by epoch
    epochs = [int(re.search(r"epoch: (\d+)", line).group(1)) for line in out.splitlines() if "epoch: " in line]
    assert epochs == [epoch for epoch in range(0, 10001, 1000) for _ in CHAPTER_LABELS]
    table = out.split("\n\n")[1].splitlines()
    assert table[0].split() == ["run", "epoch", "acc", "loss", "lr"]
    assert table[3] == "SGD + momentum 0.9  10000  0.957  0.121  0.09091735612328393"


def test_the_readme_shows_the_full_book_race_as_it_prints(full_book_race):
    readme = (REPO / "README.md").read_text()
    block = readme.split("$ ./run.sh race --book --every 1000\n", 1)[1].split("```", 1)[0]
    shown = [line for line in block.splitlines() if line != "..."]
    printed = full_book_race[1].splitlines()
    assert shown and all(line in printed for line in shown)
    # it starts and ends where the output does, and shows the whole table
    assert shown[:3] == printed[:3] and shown[-5:] == printed[-5:]


@pytest.fixture(scope="module")
def short_book_race():
    return captured(["--book", "--epochs", "2001", "--every", "500"])


@pytest.mark.parametrize("index", range(3))
def test_each_chapter_run_of_a_book_race_prints_exactly_its_train_lines(index, short_book_race, capsys):
    code, out, err = short_book_race
    assert (code, err) == (0, "")
    config = CHAPTER_RUNS[index]
    expected = train(["--book", "--epochs", "2001", "--every", "500", *train_flags(config)], capsys)
    assert expected[0] == 0
    ours = lines_of(out, CHAPTER_LABELS[index], max(map(len, CHAPTER_LABELS)))
    assert ours == expected[1].splitlines() and len(ours) == 5


def test_json_gives_each_run_what_train_json_gives_it(capsys):
    shared = ["--dataset", "circles", "--samples", "40", "--classes", "4", "--test-split", "0.25",
              "--hidden", "16,8", "--activation", "tanh", "--epochs", "30", "--seed", "9"]
    specs = ["sgd:lr=0.7", "decay:lr=0.7,decay=0.01", "momentum:lr=0.7,decay=0.01,momentum=0.5",
             "momentum:decay=0"]
    runs = (OptimizerConfig("sgd", 0.7, 0.0, 0.0), OptimizerConfig("decay", 0.7, 0.01, 0.0),
            OptimizerConfig("momentum", 0.7, 0.01, 0.5), OptimizerConfig("momentum", 1.0, 0.0, 0.9))
    code, out, err = race([*shared, *[f"--run={spec}" for spec in specs], "--json"], capsys)
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 1
    summary = json.loads(out)
    experiment = Experiment(DatasetConfig("circles", 40, 4, 0.2, 0.25), NetworkConfig((16, 8), "tanh"),
                            runs, seed=9, epochs=30)
    assert summary["config"] == to_dict(experiment)
    assert [entry["label"] for entry in summary["runs"]] == list(experiment.labels)
    for entry, config in zip(summary["runs"], runs, strict=True):
        assert list(entry) == ["label", "optimizer", "epoch", "accuracy", "loss", "learning_rate",
                               "test_accuracy", "test_loss", "diverged", "divergence", "steps", "caption"]
        assert entry["optimizer"] == optimizer_dict(config)
        alone = json.loads(train([*shared, *train_flags(config), "--json"], capsys)[1])
        assert alone.pop("config")["runs"] == [optimizer_dict(config)]
        assert {key: entry[key] for key in alone} == alone
        assert entry["test_loss"] is not None and entry["diverged"] is False


def test_a_diverging_run_is_marked_and_the_others_train_on(capsys):
    argv = ["--epochs", "300", "--run", "sgd:lr=100", "--run", "momentum"]
    code, out, err = race([*argv, "--json"], capsys)
    assert (code, err) == (0, "")
    diverged, steady = json.loads(out)["runs"]
    assert steady["diverged"] is False and steady["epoch"] == 299
    code, alone_out, alone_err = train(["--epochs", "300", "--optimizer", "sgd", "--learning-rate", "100",
                                        "--json"], capsys)
    assert code == cli.EXIT_DIVERGED
    alone = json.loads(alone_out)
    del alone["config"]
    assert diverged["diverged"] is True and {key: diverged[key] for key in alone} == alone
    assert diverged["divergence"] == alone_err.strip() and diverged["epoch"] < 100
    # the text report: the table marks it, and the reason follows under its name
    code, out, err = race(argv, capsys)
    assert (code, err) == (0, "")
    rows = {line.split("  ")[0]: line for line in out.splitlines()}
    assert rows["SGD"].endswith("diverged") and not rows["SGD + momentum 0.9"].endswith("diverged")
    assert f"SGD: {alone_err.strip()}" in out.splitlines()


def test_every_run_diverging_still_exits_0(capsys):
    code, out, err = race(["--run", "sgd:lr=100", "--run", "momentum:lr=50,decay=0", "--json"], capsys)
    assert (code, err) == (0, "")
    assert [entry["diverged"] for entry in json.loads(out)["runs"]] == [True, True]


def test_specs_default_to_the_chapters_numbers_and_store_unused_ones_as_0():
    assert tuple(map(cli_race.parse_run, ["sgd", "decay", "momentum"])) == CHAPTER_RUNS
    assert cli_race.parse_run("momentum:decay=0") == OptimizerConfig("momentum", 1.0, 0.0, 0.9)
    assert cli_race.parse_run("momentum:lr=1,decay=1e-3,momentum=0.5") == OptimizerConfig("momentum", 1.0, 1e-3, 0.5)
    assert cli_race.parse_run("decay:decay=0.01, lr = 2") == OptimizerConfig("decay", 2.0, 0.01, 0.0)
    assert cli_race.parse_run("sgd:lr=0.25") == OptimizerConfig("sgd", 0.25, 0.0, 0.0)


def config_of(argv, capsys):
    code, out, err = race([*argv, "--epochs", "1", "--json"], capsys)
    assert (code, err) == (0, "")
    return json.loads(out)["config"]


def test_without_runs_the_chapters_three_else_the_files_and_runs_replace_them(tmp_path, capsys):
    assert config_of([], capsys)["runs"] == [optimizer_dict(run) for run in CHAPTER_RUNS]
    assert config_of(["--run", "sgd", "--run", "decay", "--run", "momentum"], capsys) == config_of([], capsys)
    path = tmp_path / "two.json"
    two = (OptimizerConfig("sgd", 0.5, 0.0, 0.0), OptimizerConfig("momentum", 0.5, 0.0, 0.5))
    experiment_io.save(path, Experiment(DatasetConfig("moons", 30, 2, 0.1), runs=two, seed=3, epochs=5))
    config = config_of(["--config", str(path)], capsys)
    assert config["runs"] == [optimizer_dict(run) for run in two] and config["dataset"]["name"] == "moons"
    config = config_of(["--config", str(path), "--run", "decay:lr=2"], capsys)
    assert config["runs"] == [optimizer_dict(OptimizerConfig("decay", 2.0, 1e-3, 0.0))]
    assert (config["seed"], config["dataset"]["name"]) == (3, "moons")


@pytest.mark.parametrize("argv,message", [
    (["--run", "adam"], "argument --run: 'adam': unknown kind 'adam', expected sgd, decay or momentum"),
    (["--run", "sgd:decay=0.1"], "argument --run: 'sgd:decay=0.1': sgd does not use decay (it takes lr)"),
    (["--run", "decay:momentum=0.5"], "argument --run: 'decay:momentum=0.5': decay does not use momentum "
                                      "(it takes lr, decay)"),
    (["--run", "momentum:lr=abc"], "argument --run: 'momentum:lr=abc': lr: expected a number, got 'abc'"),
    (["--run", "momentum:lr=500"], "argument --run: 'momentum:lr=500': lr: must be between 0.0001 and 100, "
                                   "got 500"),
    (["--run", "momentum:momentum=1"], "argument --run: 'momentum:momentum=1': momentum: must be between 0 "
                                       "and 0.99, got 1"),
    (["--run", "decay:decay=nan"], "argument --run: 'decay:decay=nan': decay: must be a finite number"),
    (["--run", "momentum:lr=1,lr=2"], "argument --run: 'momentum:lr=1,lr=2': lr given twice"),
    (["--run", "decay:"], "argument --run: 'decay:': nothing after ':' (give decay alone, or decay:key=value,...)"),
    (["--run", "decay:lr=1,"], "argument --run: 'decay:lr=1,': expected key=value after decay:, got ''"),
    (["--run", "sgd:lr"], "argument --run: 'sgd:lr': expected key=value after sgd:, got 'lr'"),
    (["--run", "momentum:mom=0.5"], "argument --run: 'momentum:mom=0.5': unknown key 'mom', "
                                    "expected lr, decay or momentum"),
    (["--run"], "argument --run: expected one argument"),
    (["--run", "sgd"] * 5, "--run: must have 1 to 4 runs, got 5"),
    (["--learning-rate", "1"], "unrecognized arguments: --learning-rate 1"),
    (["--optimizer", "sgd"], "unrecognized arguments: --optimizer sgd"),
    (["--samples", "1"], "--samples: must be between 2 and 2000, got 1"),
    (["--book", "--dataset", "moons"], "--book: book mode reproduces the course's spiral"),
])
def test_bad_input_exits_2_with_one_line(argv, message, capsys):
    code, out, err = race(argv, capsys)
    assert code == 2 and out == ""
    assert err.startswith("nngui race: error: " + message)
    assert err.count("\n") == 1


def test_the_text_report_names_each_run_and_tabulates_the_last_epoch(capsys):
    code, out, err = race(["--epochs", "3", "--test-split", "0.2", "--run", "sgd", "--run", "sgd:lr=0.5"], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("SGD (lr 1)    epoch: 2, acc: ") and lines[1].startswith("SGD (lr 0.5)  epoch: 2")
    assert lines[2] == ""
    assert lines[3].split() == ["run", "epoch", "acc", "loss", "test", "acc", "test", "loss", "lr"]
    assert lines[4].startswith("SGD (lr 1)        2  0.") and lines[4].endswith("  1.0")
    assert lines[5].startswith("SGD (lr 0.5)      2  0.") and lines[5].endswith("  0.5")
    assert len(lines) == 6


def test_help_documents_specs_defaults_and_exit_codes(capsys):
    code, out, err = race(["--help"], capsys)
    assert (code, err) == (0, "")
    for text in ("--run SPEC", "KIND[:key=value,...]", "lr 1.0, decay 1e-3, momentum 0.9",
                 "the chapter's three", "0 trained", "2 bad flag", "--every K", "--book"):
        assert text in out
    assert "--learning-rate" not in out


def test_train_trains_the_first_run_of_a_file_with_several(tmp_path, capsys):
    path = tmp_path / "race.json"
    experiment_io.save(path, Experiment(runs=CHAPTER_RUNS, epochs=4))
    code, out, err = train(["--config", str(path), "--json"], capsys)
    assert (code, err) == (0, "")
    assert json.loads(out)["config"]["runs"] == [optimizer_dict(CHAPTER_RUNS[0])]
    entry = json.loads(race(["--config", str(path), "--json"], capsys)[1])["runs"][0]
    assert {key: entry[key] for key in ("epoch", "accuracy", "loss")} == {
        key: json.loads(out)[key] for key in ("epoch", "accuracy", "loss")}


def test_python_dash_m_nngui_race_runs_and_refuses_in_a_real_process():
    done = subprocess.run([sys.executable, "-m", "nngui", "race", "--epochs", "3", "--json"], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert [entry["label"] for entry in json.loads(done.stdout)["runs"]] == list(CHAPTER_LABELS)
    done = subprocess.run([sys.executable, "-m", "nngui", "race", "--run", "adam"], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == ("nngui race: error: argument --run: 'adam': unknown kind 'adam', "
                           "expected sgd, decay or momentum\n")
