"""Loss surfaces: gradients against finite differences, paths against the lesson's formulas by hand, divergence."""

import dataclasses
import math
import warnings

import numpy as np
import pytest

from nngui.engine import SGD, OptimizerConfig
from nngui.engine.checks import ExperimentError
from nngui.surfaces.surface import (MAX_STEPS, SURFACES, SurfaceRace, SurfaceRun, TwoWeights, check_start, check_steps,
                                  get_surface)

#: points inside every surface's range, none at a stationary point
POINTS = [(-1.3, 0.7), (0.4, -0.9), (1.1, 1.6), (-0.2, 0.05)]


@pytest.mark.parametrize("name", sorted(SURFACES))
@pytest.mark.parametrize("point", POINTS)
def test_each_gradient_is_the_loss_finite_differences(name, point):
    surface = SURFACES[name]
    x, y = point
    h = 1e-6
    numeric = ((surface.loss(x + h, y) - surface.loss(x - h, y)) / (2 * h),
               (surface.loss(x, y + h) - surface.loss(x, y - h)) / (2 * h))
    analytic = surface.gradient(x, y)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_the_minima_are_minima_and_the_first_is_the_lowest(name):
    surface = SURFACES[name]
    for x, y in surface.minima:
        assert surface.contains(x, y)
        np.testing.assert_allclose(surface.gradient(x, y), (0.0, 0.0), atol=1e-12)
        around = [surface.loss(x + dx, y + dy) for dx, dy in ((1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3))]
        assert min(around) > surface.loss(x, y)
    assert surface.loss(*surface.minima[0]) == min(surface.loss(*m) for m in surface.minima)
    assert surface.contains(*surface.start)


def test_rosenbrock_is_the_lessons_formula():
    surface = get_surface("rosenbrock")
    assert surface.loss(1.0, 1.0) == 0.0
    assert surface.loss(-1.5, 2.0) == (1 + 1.5) ** 2 + 100 * (2 - 2.25) ** 2 == 12.5
    assert surface.gradient(0.0, 0.0) == (-2.0, 0.0)


def test_two_minima_has_a_shallow_local_minimum_beside_a_deeper_global_one():
    surface = get_surface("two-minima")
    (gx, gy), (lx, ly) = surface.minima
    assert gx < 0 < lx and gy == ly == 0.0
    assert surface.loss(gx, gy) < -0.5 < 0.45 < surface.loss(lx, ly)
    # a ridge between them
    assert surface.loss(0.125, 0.0) > surface.loss(lx, ly) + 0.5


def test_the_grid_is_the_loss_with_rows_as_y():
    surface = get_surface("valley")
    xs, ys, values = surface.grid(5)
    assert list(xs) == [-10.0, -5.0, 0.0, 5.0, 10.0] and list(ys) == [-5.0, -2.5, 0.0, 2.5, 5.0]
    assert values.shape == (5, 5)
    assert values[0, 4] == 0.1 * 100 + 5 * 25  # y = -5, x = 10
    assert values[2, 2] == 0.0


# --- paths follow the lesson's formulas, computed here by hand ------------------------------------

def test_sgd_steps_on_the_valley_by_hand():
    race = SurfaceRace(get_surface("valley"), (-8.0, 3.0), [OptimizerConfig("sgd", 0.1, 0.0, 0.0)])
    race.run(3)
    # w -= lr * dw with dw = (0.2 x, 10 y)
    x, y, expected = -8.0, 3.0, [(-8.0, 3.0)]
    for _ in range(3):
        x, y = x - 0.1 * (0.2 * x), y - 0.1 * (10.0 * y)
        expected.append((x, y))
    np.testing.assert_allclose(race.paths()[0], expected, rtol=0, atol=1e-12)
    assert race.paths()[0][1].tolist() == [-7.84, 0.0]


def test_decay_steps_on_rosenbrock_by_hand():
    lr, decay = 0.001, 0.1
    race = SurfaceRace(get_surface("rosenbrock"), (-1.5, 2.0), [OptimizerConfig("decay", lr, decay, 0.0)])
    race.run(4)
    x, y, expected = -1.5, 2.0, [(-1.5, 2.0)]
    for step in range(4):
        rate = lr / (1 + decay * step)
        dx = -2 * (1 - x) - 400 * x * (y - x * x)
        dy = 200 * (y - x * x)
        x, y = x - rate * dx, y - rate * dy
        expected.append((x, y))
    np.testing.assert_allclose(race.paths()[0], expected, rtol=0, atol=1e-12)
    assert race.runs[0].optimizer.current_learning_rate == lr / (1 + decay * 3)


def test_momentum_steps_on_two_minima_by_hand():
    lr, decay, momentum = 0.02, 0.01, 0.9
    race = SurfaceRace(get_surface("two-minima"), (1.9, 1.5), [OptimizerConfig("momentum", lr, decay, momentum)])
    race.run(5)
    x, y, ux, uy, expected = 1.9, 1.5, 0.0, 0.0, [(1.9, 1.5)]
    for step in range(5):
        rate = lr / (1 + decay * step)
        dx, dy = 4 * x * (x * x - 1) + 0.5, 2 * y
        ux, uy = momentum * ux - rate * dx, momentum * uy - rate * dy
        x, y = x + ux, y + uy
        expected.append((x, y))
    np.testing.assert_allclose(race.paths()[0], expected, rtol=0, atol=1e-12)
    layer = race.runs[0].layer
    # the lesson's buffer, hung on the layer by the engine's own SGD
    np.testing.assert_allclose(layer.weights_momentums, [[ux], [uy]], rtol=0, atol=1e-12)
    assert (layer.biases == 0).all() and (layer.biases_momentums == 0).all()


def test_a_run_is_moved_by_the_engines_sgd_through_its_protocol(monkeypatch):
    calls = []
    for name in ("pre_update_params", "update_params", "post_update_params"):
        original = getattr(SGD, name)
        monkeypatch.setattr(SGD, name, lambda self, *a, _o=original, _n=name: (calls.append(_n), _o(self, *a))[1])
    run = SurfaceRun(get_surface("saddle"), (1.0, 0.5), OptimizerConfig("sgd", 0.1, 0.0, 0.0))
    run.step()
    run.step()
    assert calls == ["pre_update_params", "update_params", "post_update_params"] * 2
    assert type(run.optimizer) is SGD and run.optimizer.step == 2
    assert run.layer.weights.shape == (2, 1) and run.layer.biases.shape == (1, 1)


def test_two_weights_backward_is_the_gradient_at_its_point():
    layer = TwoWeights(0.5, -0.25)
    layer.backward(get_surface("rosenbrock"))
    np.testing.assert_array_equal(layer.dweights, [[-2 * 0.5 - 400 * 0.5 * (-0.5)], [200 * (-0.5)]])
    assert layer.point == (0.5, -0.25)


def test_every_run_has_its_own_buffers_and_the_clock_is_shared():
    config = OptimizerConfig("momentum", 0.01, 0.0, 0.9)
    race = SurfaceRace(get_surface("valley"), (-8.0, 3.0), [config, config])
    race.run(7)
    assert race.steps == 7 and [len(p) for p in race.paths()] == [8, 8]
    a, b = (run.layer for run in race.runs)
    assert a.weights_momentums is not b.weights_momentums
    np.testing.assert_array_equal(race.paths()[0], race.paths()[1])


def test_labels_are_the_races():
    race = SurfaceRace(get_surface("valley"), (0.0, 1.0), [OptimizerConfig("sgd", 0.1, 0, 0),
                                                           OptimizerConfig("sgd", 0.2, 0, 0)])
    assert race.labels == ("SGD (lr 0.1)", "SGD (lr 0.2)")


# --- divergence --------------------------------------------------------------------------------

def test_a_path_leaving_the_plot_stops_with_a_note_and_the_others_go_on(recwarn):
    runs = [OptimizerConfig("sgd", 0.21, 0, 0), OptimizerConfig("sgd", 0.1, 0, 0)]
    race = SurfaceRace(get_surface("valley"), (-8.0, 1.5), runs)
    race.run(100)
    high, low = race.runs
    # y is multiplied by 1 - 0.21 * 10 = -1.1 each step: 1.5 * 1.1^n passes 5 at n = 13
    assert len(high.path) == 13 and abs(high.path[-1][1]) == pytest.approx(1.5 * 1.1 ** 12)
    assert high.divergence == "left the plot at step 13, heading to x = -4.58, y = -5.18"
    assert all(get_surface("valley").contains(*p) for p in high.path)
    assert low.divergence is None and len(low.path) == 101 and race.steps == 100
    assert len(recwarn) == 0


def test_an_overflowing_gradient_stops_as_not_finite_without_a_warning(capfd):
    surface = dataclasses.replace(get_surface("valley"), gradient=lambda x, y: (np.float64(1e308) * 10 * x, y))
    race = SurfaceRace(surface, (1.0, 0.0), [OptimizerConfig("sgd", 0.1, 0, 0)])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        race.run(5)
    assert race.finished and race.steps == 1
    assert race.runs[0].divergence == "diverged at step 1: the point is no longer a finite number"
    assert race.runs[0].path == [(1.0, 0.0)]
    assert capfd.readouterr() == ("", "")


def test_a_too_high_rate_on_rosenbrock_leaves_without_a_warning():
    race = SurfaceRace(get_surface("rosenbrock"), (-2.0, 3.0), [OptimizerConfig("momentum", 100.0, 0, 0.99)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        race.run(50)
    assert race.finished and race.runs[0].divergence.startswith("left the plot at step 1,")


# --- bad input -----------------------------------------------------------------------------------

def test_an_unknown_function_names_the_field():
    with pytest.raises(ExperimentError) as error:
        get_surface("himmelblau")
    assert str(error.value) == ("function: unknown function 'himmelblau', expected one of valley, rosenbrock, "
                                "two-minima, saddle")


@pytest.mark.parametrize("start, problem", [
    ((3.0, 0.0), "(3, 0) is outside rosenbrock's plot (x from -2 to 2, y from -1 to 3)"),
    ((0.0, math.nan), "must be two finite numbers, got (0.0, nan)"),
    (("a", 1), "must be two numbers x, y, got ('a', 1)"),
    ((1.0,), "must be two numbers x, y, got (1.0,)"),
])
def test_a_start_outside_the_plot_or_not_a_point_is_refused(start, problem):
    with pytest.raises(ExperimentError) as error:
        SurfaceRace(get_surface("rosenbrock"), start, [OptimizerConfig("sgd", 0.001, 0, 0)])
    assert (error.value.field, error.value.problem) == ("start", problem)


def test_the_edges_are_inside():
    assert check_start(get_surface("rosenbrock"), (2, -1)) == (2.0, -1.0)


@pytest.mark.parametrize("steps", [0, -3, MAX_STEPS + 1, 2.5, True])
def test_steps_out_of_range_are_refused(steps):
    with pytest.raises(ExperimentError) as error:
        check_steps(steps)
    assert error.value.field == "steps"


def test_one_to_four_runs():
    with pytest.raises(ExperimentError, match="runs: must have 1 to 4 runs, got 0"):
        SurfaceRace(get_surface("valley"), (0, 0), [])
    with pytest.raises(ExperimentError, match="got 5"):
        SurfaceRace(get_surface("valley"), (0, 0), [OptimizerConfig()] * 5)
