"""``nngui train``: the course's lines, the JSON summary, experiment files, exit codes and one-line errors."""

import contextlib
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from nngui.cli.train import EXIT_DIVERGED, main
from nngui.engine import DatasetConfig, Experiment, NetworkConfig, OptimizerConfig, Trainer
from nngui.files.experiment_io import to_dict
from nngui.files import experiment_io

REPO = Path(__file__).resolve().parents[2]

COURSE_LINES = """\
epoch: 0, acc: 0.360, loss: 1.099, lr: 1.0
epoch: 1000, acc: 0.837, loss: 0.447, lr: 0.5002501250625312
epoch: 2000, acc: 0.897, loss: 0.282, lr: 0.33344448149383127
epoch: 3000, acc: 0.923, loss: 0.192, lr: 0.25006251562890724
epoch: 4000, acc: 0.940, loss: 0.158, lr: 0.2000400080016003
epoch: 5000, acc: 0.947, loss: 0.145, lr: 0.16669444907484582
epoch: 6000, acc: 0.943, loss: 0.138, lr: 0.1428775539362766
epoch: 7000, acc: 0.947, loss: 0.132, lr: 0.12501562695336915
epoch: 8000, acc: 0.950, loss: 0.128, lr: 0.11112345816201799
epoch: 9000, acc: 0.957, loss: 0.124, lr: 0.1000100010001
epoch: 10000, acc: 0.957, loss: 0.121, lr: 0.09091735612328393
"""


def run(argv):
    """``(exit code, stdout, stderr)`` of ``nngui train argv``, in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def book_run():
    """The course's full 10001-epoch run, once for the module."""
    return run(["--book", "--every", "1000"])


def test_book_mode_prints_exactly_the_course_lines(book_run):
    code, out, err = book_run
    assert (code, err) == (0, "")
    assert out == COURSE_LINES


def test_every_prints_the_course_line_every_k_epochs_and_the_last():
    code, out, err = run(["--epochs", "10", "--every", "4"])
    assert (code, err) == (0, "")
    trainer = Trainer(Experiment(epochs=10))
    records = [trainer.train_epoch() for _ in range(10)]
    assert out.splitlines() == [records[i].course_line() for i in (0, 4, 8, 9)]


def test_every_zero_and_the_default_print_only_the_last_line():
    expected = Trainer(Experiment(epochs=5)).run(5).course_line() + "\n"
    assert run(["--epochs", "5", "--every", "0"]) == (0, expected, "")
    assert run(["--epochs", "5"]) == (0, expected, "")


def test_json_is_the_last_line_and_agrees_with_a_trainer_run():
    argv = ["--dataset", "circles", "--samples", "40", "--classes", "4", "--test-split", "0.25",
            "--hidden", "16,8", "--activation", "tanh", "--optimizer", "decay", "--learning-rate", "0.7",
            "--decay", "0.01", "--momentum", "0.5", "--epochs", "30", "--seed", "9", "--every", "10", "--json"]
    code, out, err = run(argv)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    summary = json.loads(lines[-1])
    experiment = Experiment(DatasetConfig("circles", 40, 4, 0.2, 0.25), NetworkConfig((16, 8), "tanh"),
                            (OptimizerConfig("decay", 0.7, 0.01, 0.5),), seed=9, epochs=30)
    trainer = Trainer(experiment)
    records = [trainer.train_epoch() for _ in range(30)]
    last = records[-1]
    assert lines[:-1] == [records[i].course_line() for i in (0, 10, 20, 29)]
    assert summary["epoch"] == 29
    assert summary["accuracy"] == last.accuracy and summary["loss"] == last.loss
    # the course's printed rate: the one the epoch before used, 0.7 / (1 + 0.01 * 28)
    assert summary["learning_rate"] == last.start_learning_rate == 0.7 * (1 / (1 + 0.01 * 28))
    assert summary["test_loss"] == last.test_loss and summary["test_accuracy"] == last.test_accuracy
    assert math.isfinite(summary["test_loss"])
    assert summary["diverged"] is False and summary["divergence"] is None
    assert summary["config"] == to_dict(experiment)
    assert experiment_io.from_dict(summary["config"]) == experiment


def test_json_alone_prints_one_line_with_nulls_for_a_missing_test_split():
    code, out, err = run(["--epochs", "2", "--json"])
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 1
    summary = json.loads(out)
    assert summary["test_loss"] is None and summary["test_accuracy"] is None
    assert summary["learning_rate"] == 1.0 and summary["epoch"] == 1


def test_divergence_reports_the_trainers_reason_and_exits_with_its_own_code():
    code, out, err = run(["--optimizer", "sgd", "--learning-rate", "20", "--json"])
    assert code == EXIT_DIVERGED == 3
    trainer = Trainer(Experiment(runs=(OptimizerConfig("sgd", 20.0),)))
    last = trainer.run(10001)
    assert trainer.divergence and last.epoch < 500
    assert err == trainer.divergence + "\n"
    summary = json.loads(out.splitlines()[-1])
    assert summary["diverged"] is True and summary["divergence"] == trainer.divergence
    assert summary["epoch"] == last.epoch


def test_a_config_file_is_the_start_and_flags_override_it(tmp_path):
    path = tmp_path / "moons.json"
    experiment_io.save(path, Experiment(DatasetConfig("moons", 30, 2, 0.1), NetworkConfig((8,), "sigmoid"),
               (OptimizerConfig("sgd", 2.0, 0.0, 0.0),), seed=4, epochs=6))
    code, out, err = run(["--config", str(path), "--learning-rate", "0.5", "--epochs", "3", "--json"])
    assert (code, err) == (0, "")
    config = json.loads(out)["config"]
    assert config["dataset"] == {"name": "moons", "samples": 30, "classes": 2, "noise": 0.1, "test_split": 0.0}
    assert config["network"] == {"hidden": [8], "activation": "sigmoid", "init": "lesson"}
    assert config["runs"] == [{"kind": "sgd", "learning_rate": 0.5, "decay": 0.0, "momentum": 0.0}]
    assert (config["seed"], config["epochs"]) == (4, 3)


def test_book_can_be_switched_off_over_a_config(tmp_path):
    path = tmp_path / "book.json"
    experiment_io.save(path, Experiment(book=True, epochs=2))
    assert json.loads(run(["--config", str(path), "--json"])[1])["config"]["book"] is True
    assert json.loads(run(["--config", str(path), "--no-book", "--json"])[1])["config"]["book"] is False


def test_a_new_dataset_brings_its_own_noise_and_allowed_classes():
    config = json.loads(run(["--dataset", "xor", "--epochs", "1", "--json"])[1])["config"]
    assert config["dataset"] == {"name": "xor", "samples": 100, "classes": 2, "noise": 0.1, "test_split": 0.0}
    config = json.loads(run(["--dataset", "blobs", "--noise", "0.5", "--epochs", "1", "--json"])[1])["config"]
    assert config["dataset"]["classes"] == 3 and config["dataset"]["noise"] == 0.5


def test_defaults_are_the_chapters_final_setting():
    config = json.loads(run(["--epochs", "1", "--json"])[1])["config"]
    config["epochs"] = 10001
    assert config == to_dict(Experiment(DatasetConfig("spiral", 100, 3, 0.2), NetworkConfig((64,), "relu"),
                                        (OptimizerConfig("momentum", 1.0, 1e-3, 0.9),), seed=0, epochs=10001))


def bad_file(tmp_path, text):
    path = tmp_path / "bad.json"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("argv,message", [
    (["--learning-rate", "500"], "--learning-rate: must be between 0.0001 and 100, got 500"),
    (["--momentum", "1"], "--momentum: must be between 0 and 0.99, got 1"),
    (["--noise", "nan"], "--noise: must be a finite number, got NaN"),
    (["--samples", "x"], "argument --samples: invalid int value: 'x'"),
    (["--samples", "1"], "--samples: must be between 2 and 2000, got 1"),
    (["--hidden", "64,0"], "--hidden: layer 2: must be between 1 and 256, got 0"),
    (["--hidden", "a"], "argument --hidden: expected neurons per hidden layer like 64 or 64,32, got 'a'"),
    (["--hidden", "8,8,8,8,8"], "--hidden: must have 1 to 4 hidden layers, got 5"),
    (["--optimizer", "adam"], "argument --optimizer: invalid choice: 'adam'"),
    (["--epochs", "0"], "--epochs: must be between 1 and 10000000, got 0"),
    (["--seed", "-1"], "--seed: must be between 0 and 4294967295, got -1"),
    (["--every", "-1"], "argument --every: must be 0 or more, got -1"),
    (["--dataset", "moons", "--classes", "3"], "--classes: moons has exactly 2 classes, got 3"),
    (["--book", "--dataset", "moons"], "--book: book mode reproduces the course's spiral"),
    (["--book", "--test-split", "0.2"], "--book: book mode trains on every point"),
    (["--bogus"], "unrecognized arguments: --bogus"),
    (["--learn", "1"], "unrecognized arguments: --learn 1"),
    (["--config"], "argument --config: expected one argument"),
    (["extra"], "unrecognized arguments: extra"),
])
def test_a_bad_flag_exits_2_with_one_line_on_stderr(argv, message):
    code, out, err = run(argv)
    assert code == 2 and out == ""
    assert err.startswith("nngui train: error: " + message)
    assert err.count("\n") == 1 and err.endswith("\n")
    assert "Traceback" not in err


@pytest.mark.parametrize("text,message", [
    (None, "cannot read the file: No such file or directory"),
    ("{", "invalid JSON at line 1, column 2"),
    ("[" * 50_000, "the JSON is nested more than 16 levels deep"),
    (json.dumps(dict(to_dict(Experiment()), seed="0")), 'seed: must be a whole number, got "0"'),
    (experiment_io.dumps(Experiment()).replace('"book": false', '"book": false, "extra": 1'), "extra: unknown key"),
])
def test_a_bad_config_file_exits_2_naming_the_file_and_field(tmp_path, text, message):
    path = str(tmp_path / "missing.json") if text is None else bad_file(tmp_path, text)
    code, out, err = run(["--config", path])
    assert code == 2 and out == ""
    assert err.startswith(f"nngui train: error: {path}: {message}")
    assert err.count("\n") == 1


def test_help_documents_the_exit_codes():
    code, out, err = run(["--help"])
    assert (code, err) == (0, "")
    assert "3 training diverged" in out and "2 bad flag" in out and "--every K" in out


def test_python_dash_m_nngui_train_runs_and_refuses_in_a_real_process():
    done = subprocess.run([sys.executable, "-m", "nngui", "train", "--epochs", "3"], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == Trainer(Experiment(epochs=3)).run(3).course_line() + "\n"
    done = subprocess.run([sys.executable, "-m", "nngui", "train", "--decay", "2"], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "nngui train: error: --decay: must be between 0 and 1, got 2\n"
