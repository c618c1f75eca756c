"""The shipped surface presets: well-formed files that show what they claim."""

import json
from pathlib import Path

import pytest

from nngui.engine.checks import ExperimentError
from nngui.surfaces.presets import load_surface_presets, parse, read

SURFACES_DIR = Path(__file__).resolve().parents[2] / "resources" / "surfaces"
PRESETS = load_surface_presets(SURFACES_DIR)


def finished(name):
    preset = PRESETS[name]
    race = preset.race()
    race.run(preset.steps)
    return preset, race


def test_the_lessons_presets_are_there_and_found_as_a_resource():
    assert {"momentum-past-local-minimum", "too-high-learning-rate", "decay-settles"} <= set(PRESETS)
    assert load_surface_presets() == PRESETS


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_each_file_is_what_the_app_writes(name):
    preset = PRESETS[name]
    assert preset.name == name and preset.title and preset.description.endswith(".")
    assert (SURFACES_DIR / f"{name}.json").read_text(encoding="utf-8") == preset.dumps()


def test_momentum_carries_past_the_local_minimum_where_sgd_stops_in_it():
    preset, race = finished("momentum-past-local-minimum")
    (global_x, _), (local_x, _) = preset.surface.minima
    sgd, momentum = race.runs
    assert (sgd.config.kind, momentum.config.kind) == ("sgd", "momentum")
    assert sgd.config.learning_rate == momentum.config.learning_rate
    assert sgd.point == pytest.approx((local_x, 0.0), abs=1e-3)
    assert momentum.point == pytest.approx((global_x, 0.0), abs=1e-3)
    # momentum went through the ridge (x = 0.125) on its way, SGD never came near it
    assert min(x for x, _ in sgd.path) > 0.9
    assert not sgd.divergence and not momentum.divergence


def test_a_learning_rate_too_high_leaves_the_plot_and_lower_ones_do_not():
    preset, race = finished("too-high-learning-rate")
    rates = [run.config.learning_rate for run in race.runs]
    assert rates == sorted(rates)
    *calm, high = race.runs
    assert high.divergence.startswith("left the plot at step ")
    assert len(high.path) < preset.steps
    for run in calm:
        assert run.divergence is None and len(run.path) == preset.steps + 1
        assert run.loss < 0.2 < preset.surface.loss(*preset.start)
    # the too-high run bounces across the valley wider each step
    ys = [abs(y) for _, y in high.path]
    assert all(b > a for a, b in zip(ys, ys[1:]))


def test_decay_settles_where_a_constant_rate_keeps_bouncing():
    preset, race = finished("decay-settles")
    constant, decay = race.runs
    assert constant.config.effective_decay == 0 and decay.config.effective_decay > 0
    assert constant.config.learning_rate == decay.config.learning_rate
    start_y = abs(preset.start[1])
    last = constant.path[-20:]
    # the constant rate still jumps from one side of the valley to the other, as far as at the start
    assert all(abs(y) > 0.9 * start_y for _, y in last)
    assert all(a[1] * b[1] < 0 for a, b in zip(last, last[1:]))
    # decay has settled on the valley floor, and lower
    assert all(abs(y) < 1e-6 for _, y in decay.path[-20:])
    assert decay.loss < 0.05 * constant.loss


def test_momentum_reaches_rosenbrocks_minimum_where_sgd_crawls():
    preset, race = finished("rosenbrock-momentum")
    sgd, momentum = race.runs
    assert momentum.point == pytest.approx((1.0, 1.0), abs=0.02)
    assert sgd.point[0] < 0


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(function="himmelblau"),
     "function: unknown function 'himmelblau', expected one of valley, rosenbrock, two-minima, saddle"),
    (lambda d: d.update(start=[0.0, 9.0]), "start: (0, 9) is outside valley's plot"),
    (lambda d: d.update(start=[0.0]), "start: must be a list of two numbers [x, y], got [0.0]"),
    (lambda d: d.update(steps=0), "steps: must be between 1 and 10,000, got 0"),
    (lambda d: d.update(steps=1e9), "steps: must be a whole number"),
    (lambda d: d["runs"][1].update(learning_rate=-1), "runs[1].learning_rate: must be between"),
    (lambda d: d.update(runs=[]), "runs: must have 1 to 4 runs, got 0"),
    (lambda d: d.update(colour="red"), "colour: unknown key"),
    (lambda d: d.pop("steps"), "steps: missing"),
    (lambda d: d.update(version=2), "version: this nngui reads version 1, got 2"),
])
def test_a_broken_preset_is_refused_naming_the_field(change, message):
    data = PRESETS["decay-settles"].to_dict()
    change(data)
    with pytest.raises(ExperimentError) as error:
        parse(json.dumps(data))
    assert str(error.value).startswith(message)


def test_a_broken_file_names_the_file_and_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "nngui-surface",\n "version": 1,,}', encoding="utf-8")
    with pytest.raises(ExperimentError) as error:
        read(path)
    assert "broken.json: invalid JSON at line 2" in str(error.value)
