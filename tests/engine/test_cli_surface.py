"""``nngui surface``: the runs' paths as JSON or text, the same --run SPECs as race, one line for bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nngui.cli import surface as cli_surface
from nngui.cli.race import parse_run
from nngui.engine import OptimizerConfig
from nngui.surfaces.surface import SurfaceRace, get_surface

REPO = Path(__file__).resolve().parents[2]


def surface(argv, capsys):
    code = cli_surface.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_one_line_with_each_runs_path_from_the_engine(capsys):
    code, out, err = surface(["--function", "rosenbrock", "--start", "-1.5,2", "--run", "sgd:lr=0.001",
                              "--run", "momentum:lr=0.001,decay=0", "--steps", "25", "--json"], capsys)
    assert (code, err) == (0, "") and out.count("\n") == 1
    data = json.loads(out)
    assert set(data) == {"function", "start", "steps", "runs"}
    assert (data["function"], data["start"], data["steps"]) == ("rosenbrock", [-1.5, 2.0], 25)
    race = SurfaceRace(get_surface("rosenbrock"), (-1.5, 2.0),
                       [OptimizerConfig("sgd", 0.001, 0, 0), OptimizerConfig("momentum", 0.001, 0, 0.9)])
    race.run(25)
    assert [run["label"] for run in data["runs"]] == ["SGD", "SGD + momentum 0.9"]
    for printed, run in zip(data["runs"], race.runs):
        assert printed["path"] == [list(p) for p in run.path] and len(printed["path"]) == 26
        assert printed["path"][0] == [-1.5, 2.0]
        assert (printed["diverged"], printed["note"]) == (False, None)
    assert data["runs"][0]["optimizer"] == {"kind": "sgd", "learning_rate": 0.001, "decay": 0.0, "momentum": 0.0}


def test_the_first_step_by_hand(capsys):
    code, out, _ = surface(["--function", "valley", "--start", "-8,3", "--run", "sgd:lr=0.1", "--steps", "1",
                            "--json"], capsys)
    assert code == 0
    assert json.loads(out)["runs"][0]["path"] == [[-8.0, 3.0], [-7.84, 0.0]]


def test_a_diverging_run_says_so_and_the_others_go_on(capsys):
    code, out, err = surface(["--function", "valley", "--start", "-8,1.5", "--run", "sgd:lr=0.21",
                              "--run", "sgd:lr=0.1", "--steps", "40", "--json"], capsys)
    assert (code, err) == (0, "")
    high, low = json.loads(out)["runs"]
    assert high["diverged"] and high["note"] == "left the plot at step 13, heading to x = -4.58, y = -5.18"
    assert len(high["path"]) == 13 and len(low["path"]) == 41 and not low["diverged"]


def test_text_is_a_line_per_run(capsys):
    code, out, err = surface(["--preset", "too-high-learning-rate"], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "valley 0.1 x² + 5 y², from (-8, 1.5), 150 steps",
        "SGD (lr 0.1)   step 150: x = -0.386368, y = 0, loss = 0.014928",
        "SGD (lr 0.19)  step 150: x = -0.0239525, y = 2.05337e-07, loss = 5.73722e-05",
        "SGD (lr 0.21)  step 12: x = -4.78053, y = 4.70764, loss = 113.095  "
        "(left the plot at step 13, heading to x = -4.58, y = -5.18)",
    ]


def test_a_preset_with_flags_replacing_its_settings(capsys):
    code, out, _ = surface(["--preset", "decay-settles", "--steps", "3", "--run", "sgd:lr=0.1", "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and (data["function"], data["start"], data["steps"]) == ("valley", [-8.0, 3.0], 3)
    assert [run["label"] for run in data["runs"]] == ["SGD"]


def test_the_function_s_own_start_by_default(capsys):
    code, out, _ = surface(["--function", "saddle", "--run", "sgd:lr=0.1", "--steps", "2", "--json"], capsys)
    assert code == 0 and json.loads(out)["start"] == list(get_surface("saddle").start)


def test_specs_are_races(capsys):
    spec = "momentum:lr=0.5,momentum=0.5"
    code, out, _ = surface(["--function", "valley", "--run", spec, "--steps", "1", "--json"], capsys)
    assert json.loads(out)["runs"][0]["optimizer"] == {"kind": "momentum", "learning_rate": 0.5, "decay": 0.001,
                                                       "momentum": 0.5}
    assert parse_run(spec) == OptimizerConfig("momentum", 0.5, 0.001, 0.5)


@pytest.mark.parametrize("argv, message", [
    (["--function", "himmelblau", "--run", "sgd"],
     "--function: unknown function 'himmelblau', expected one of valley, rosenbrock, two-minima, saddle"),
    (["--function", "rosenbrock", "--start", "5,5", "--run", "sgd"],
     "--start: (5, 5) is outside rosenbrock's plot (x from -2 to 2, y from -1 to 3)"),
    (["--function", "rosenbrock", "--start", "1", "--run", "sgd"],
     "argument --start: expected X,Y like -1.5,2, got '1'"),
    (["--function", "rosenbrock", "--start", "inf,0", "--run", "sgd"],
     "--start: must be two finite numbers, got (inf, 0.0)"),
    (["--function", "valley", "--run", "sgd", "--steps", "0"], "--steps: must be between 1 and 10,000, got 0"),
    (["--function", "valley", "--run", "sgd", "--steps", "-5"], "--steps: must be between 1 and 10,000, got -5"),
    (["--function", "valley", "--run", "sgd", "--steps", "99999999999"],
     "--steps: must be between 1 and 10,000, got 99999999999"),
    (["--function", "valley", "--run", "adam"],
     "argument --run: 'adam': unknown kind 'adam', expected sgd, decay or momentum"),
    (["--function", "valley", "--run", "sgd:lr=0"],
     "argument --run: 'sgd:lr=0': lr: must be between 0.0001 and 100, got 0"),
    (["--function", "valley"], "--run: give 1 to 4 runs, e.g. --run sgd:lr=0.01 (or --preset NAME)"),
    (["--run", "sgd"], "--function: give a function (one of valley, rosenbrock, two-minima, saddle) or --preset NAME"),
    (["--function", "valley"] + ["--run", "sgd"] * 5, "--run: must have 1 to 4 runs, got 5"),
    (["--preset", "nope"], "--preset: unknown preset 'nope', expected one of decay-settles, "
                           "momentum-past-local-minimum, rosenbrock-momentum, too-high-learning-rate"),
])
def test_bad_input_is_one_line_and_exit_2(argv, message, capsys):
    code, out, err = surface(argv, capsys)
    assert (code, out) == (2, "")
    assert err == f"nngui surface: error: {message}\n"


def test_list_presets(capsys):
    code, out, _ = surface(["--list-presets"], capsys)
    assert code == 0
    assert "momentum-past-local-minimum: Momentum rolls past a local minimum (two-minima, 2 runs)" in out.splitlines()


def test_the_command_word_runs_it_and_never_imports_qt():
    code = ("import sys; from nngui.__main__ import main; code = main(['surface', '--preset', 'decay-settles', "
            "'--json']); bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'nngui.gui'))]; "
            "print(bad, file=sys.stderr); sys.exit(code or bool(bad))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "[]\n"
    assert json.loads(done.stdout)["function"] == "valley"


def test_the_readme_shows_the_rosenbrock_example_as_it_prints(capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = "$ ./run.sh surface "
    line = next(line for line in readme.splitlines() if line.startswith(command))
    shown = readme.split(line + "\n", 1)[1].split("```", 1)[0]
    code, out, _ = surface(line[len(command):].split(), capsys)
    assert code == 0 and out == shown
