"""``nngui race --json`` captions and ``--at``: a suggestion replayed on the command line gives its numbers exactly."""

import json

import pytest

from nngui.cli import race as cli_race
from nngui.cli.race import parse_run, run_spec
from nngui.engine import OptimizerConfig, Race, Experiment
from nngui.engine.experiment import CHAPTER_RUNS


def race(argv, capsys):
    code = cli_race.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def runs_of(argv, capsys):
    code, out, err = race([*argv, "--json"], capsys)
    assert (code, err) == (0, "")
    return json.loads(out)["runs"]


def test_a_suggestion_replayed_with_at_gives_loss_with_bit_for_bit(capsys):
    shared = ["--run", "sgd", "--run", "sgd:lr=8"]
    runs = runs_of([*shared, "--epochs", "1000"], capsys)
    found = [run["caption"] for run in runs]
    assert [c["kind"] for c in found] == ["plateau", "oscillating"]
    for number, caption in enumerate(found, start=1):
        tried = caption["tried"]
        assert caption["try"] is not None and tried["from_epoch"] == 1000
        assert tried["loss_with"] <= 0.95 * tried["loss_without"]
        end = str(tried["from_epoch"] + tried["epochs"])
        replayed = runs_of([*shared, "--epochs", end, "--at", f"{tried['from_epoch']}:{number}:{caption['try']}"],
                           capsys)
        assert replayed[number - 1]["loss"] == tried["loss_with"]
        assert runs_of([*shared, "--epochs", end], capsys)[number - 1]["loss"] == tried["loss_without"]
    assert found[1]["try"] == "sgd:lr=4"
    assert "Tried: 300 more epochs at learning rate 4 reach loss 0.995, against 1.31 as it is." in found[1]["sentence"]


def test_a_diverged_runs_suggestion_is_tried_from_epoch_0(capsys):
    caption = runs_of(["--run", "sgd:lr=20", "--epochs", "200"], capsys)[0]["caption"]
    assert caption["kind"] == "diverging" and caption["try"] == "sgd:lr=2"
    tried = caption["tried"]
    assert tried["from_epoch"] == 0
    again = runs_of(["--run", "sgd:lr=20", "--epochs", str(tried["epochs"]), "--at", "0:1:sgd:lr=2"], capsys)
    assert again[0]["loss"] == tried["loss_with"]


def test_no_suggestion_when_nothing_tried_helped(capsys):
    caption = runs_of(["--run", "decay:decay=0.01", "--epochs", "1000"], capsys)[0]["caption"]
    assert caption["kind"] == "plateau" and caption["try"] is None and caption["tried"] is None
    assert "none beat 300 more epochs as it is" in caption["sentence"]


def test_at_changes_a_run_as_the_window_does_keeping_step_and_momentum(capsys):
    runs = runs_of(["--book", "--epochs", "60", "--at", "30:3:momentum:lr=0.5,decay=0.001,momentum=0.5"], capsys)
    race_ = Race(Experiment(runs=CHAPTER_RUNS, book=True, epochs=60))
    race_.run(30)
    race_.set_optimizer(2, OptimizerConfig("momentum", 0.5, 1e-3, 0.5))
    race_.run(30)
    assert [run["loss"] for run in runs] == [t.last_record.loss for t in race_.trainers]
    assert runs[2]["steps"] == 60 and runs[2]["optimizer"]["momentum"] == 0.5


@pytest.mark.parametrize("config", [OptimizerConfig("sgd", 0.5, 0.0, 0.0), OptimizerConfig("decay", 1.0, 1e-4, 0.0),
                                    OptimizerConfig("momentum", 0.15, 0.0, 0.9),
                                    OptimizerConfig("momentum", 1.0, 1e-3, 0.95)])
def test_a_spec_reads_back_exactly(config):
    assert parse_run(run_spec(config)) == config


@pytest.mark.parametrize("at, message", [
    ("100:1:sgd", "--at 100:1:...: EPOCH must be below --epochs (100), got 100"),
    ("5:4:sgd", "--at 5:4:...: RUN must be 1 to 3 (the runs in --run order), got 4"),
    ("5:0:sgd", "argument --at: '5:0:sgd': RUN: must be 1 or more, got 0"),
    ("5:1:adam", "argument --at: '5:1:adam': SPEC 'adam': unknown kind 'adam'"),
    ("x:1:sgd", "argument --at: 'x:1:sgd': EPOCH: expected a whole number, got 'x'"),
    ("5", "argument --at: '5': expected EPOCH:RUN:SPEC"),
    ("5:1:sgd:lr=500", "argument --at: '5:1:sgd:lr=500': SPEC 'sgd:lr=500': lr: must be between 0.0001 and 100"),
])
def test_bad_at_values_are_refused_in_one_line_naming_the_flag(at, message, capsys):
    code, out, err = race(["--epochs", "100", "--at", at], capsys)
    assert code == 2 and out == ""
    assert err.startswith("nngui race: error: " + message), err
    assert err.count("\n") == 1
