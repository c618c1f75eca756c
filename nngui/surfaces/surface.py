"""Loss surfaces of two weights, and the lesson's ``SGD`` walking on them.

Each surface is a loss ``f(x, y)`` with its gradient written beside it and a plotting
range. A point on a surface is the two weights of a tiny layer (``TwoWeights``), so the
very ``SGD`` class that trains the network moves it, with the lesson's protocol::

    layer.backward(surface)          # dweights = the gradient at the point
    optimizer.pre_update_params()
    optimizer.update_params(layer)
    optimizer.post_update_params()

A ``SurfaceRace`` walks 1 to 4 runs (the race's ``OptimizerConfig``s) from one start, one
step of each per tick of its clock. A run that leaves the plotted range, or whose point
is no longer a finite number, stops there with a note; the others go on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from nngui.engine.checks import ExperimentError
from nngui.engine.experiment import MAX_RUNS, OptimizerConfig, run_labels
from nngui.engine.optimizers import SGD

#: More steps than this is a typing slip, not a lesson (a class follows a few hundred).
MAX_STEPS = 10_000


# --- the functions, each beside its gradient ------------------------------------------------

def valley(x, y):
    """A long narrow valley: steep across (y), nearly flat along (x); minimum 0 at (0, 0)."""
    return 0.1 * x**2 + 5.0 * y**2


def valley_gradient(x, y):
    return 0.2 * x, 10.0 * y


def rosenbrock(x, y):
    """Rosenbrock's curved valley ``(1 − x)² + 100 (y − x²)²``; minimum 0 at (1, 1)."""
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def rosenbrock_gradient(x, y):
    return -2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)


def two_minima(x, y):
    """Two basins: a shallow local minimum near x = 0.93 and a deeper global one near x = −1.06."""
    return (x**2 - 1) ** 2 + 0.5 * x + y**2


def two_minima_gradient(x, y):
    return 4 * x * (x**2 - 1) + 0.5, 2 * y


def saddle(x, y):
    """A saddle point at (0, 0) between two minima at (0, ±1): downhill in y, uphill in x."""
    return 0.5 * x**2 + 0.25 * y**4 - 0.5 * y**2


def saddle_gradient(x, y):
    return x, y**3 - y


@dataclass(frozen=True)
class Surface:
    """A loss of two weights: its formula, gradient, plotting range and minima (the global first)."""

    name: str
    title: str
    formula: str
    loss: Callable
    gradient: Callable
    bounds: tuple[float, float, float, float]   # x_min, x_max, y_min, y_max
    minima: tuple[tuple[float, float], ...]
    start: tuple[float, float]                  # a start that shows the surface's character

    def contains(self, x, y) -> bool:
        """Whether (x, y) lies in the plotted range (edges included)."""
        x_min, x_max, y_min, y_max = self.bounds
        return x_min <= x <= x_max and y_min <= y <= y_max

    def describe_bounds(self) -> str:
        x_min, x_max, y_min, y_max = self.bounds
        return f"x from {_short(x_min)} to {_short(x_max)}, y from {_short(y_min)} to {_short(y_max)}"

    def grid(self, resolution: int):
        """``(xs, ys, values)``: the loss at ``resolution`` × ``resolution`` points spanning the range.

        ``values[i, j]`` is the loss at ``(xs[j], ys[i])`` (rows are y, as an image's).
        """
        x_min, x_max, y_min, y_max = self.bounds
        xs = np.linspace(x_min, x_max, resolution)
        ys = np.linspace(y_min, y_max, resolution)
        return xs, ys, self.loss(xs[None, :], ys[:, None])


# the two basins' bottoms: the outer roots of the cubic 4x³ − 4x + 0.5 (the middle one is the ridge)
_TWO_MINIMA_X = tuple(sorted(float(r.real) for r in np.roots([4.0, 0.0, -4.0, 0.5]))[::2])

SURFACES = {surface.name: surface for surface in (
    Surface("valley", "Long narrow valley", "0.1 x² + 5 y²", valley, valley_gradient,
            (-10.0, 10.0, -5.0, 5.0), ((0.0, 0.0),), (-8.0, 3.0)),
    Surface("rosenbrock", "Rosenbrock valley", "(1 − x)² + 100 (y − x²)²", rosenbrock, rosenbrock_gradient,
            (-2.0, 2.0, -1.0, 3.0), ((1.0, 1.0),), (-1.5, 2.0)),
    Surface("two-minima", "Local and global minimum", "(x² − 1)² + 0.5 x + y²", two_minima,
            two_minima_gradient, (-2.0, 2.0, -2.0, 2.0),
            ((_TWO_MINIMA_X[0], 0.0), (_TWO_MINIMA_X[1], 0.0)), (1.9, 1.5)),
    Surface("saddle", "Saddle point", "0.5 x² + 0.25 y⁴ − 0.5 y²", saddle, saddle_gradient,
            (-2.0, 2.0, -2.0, 2.0), ((0.0, 1.0), (0.0, -1.0)), (1.8, 0.01)),
)}


def get_surface(name) -> Surface:
    """The surface called ``name``; ``ExperimentError`` naming ``function`` for any other word."""
    if name not in SURFACES:
        raise ExperimentError("function", f"unknown function {name!r}, expected one of {', '.join(SURFACES)}")
    return SURFACES[name]


def check_start(surface: Surface, start) -> tuple[float, float]:
    """``start`` as two floats inside the surface's range; ``ExperimentError`` naming ``start`` otherwise."""
    try:
        x, y = (float(v) for v in start)
    except (TypeError, ValueError):
        raise ExperimentError("start", f"must be two numbers x, y, got {start!r}") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ExperimentError("start", f"must be two finite numbers, got ({x!r}, {y!r})")
    if not surface.contains(x, y):
        raise ExperimentError("start", f"({_exact(x)}, {_exact(y)}) is outside {surface.name}'s plot "
                                       f"({surface.describe_bounds()})")
    return x, y


def check_steps(steps) -> int:
    """``steps`` as a whole number from 1 to ``MAX_STEPS``."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise ExperimentError("steps", f"must be a whole number, got {steps!r}")
    if not 1 <= steps <= MAX_STEPS:
        raise ExperimentError("steps", f"must be between 1 and {MAX_STEPS:,}, got {steps}")
    return int(steps)


def _short(value) -> str:
    return f"{value:g}"


def _exact(value: float) -> str:
    """``value`` as typed, never rounded: ``10.0000001``; ``3`` for ``3.0``."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


# --- a point as a layer's two weights ------------------------------------------------------------

class TwoWeights:
    """One neuron's two weights ``(x, y)``, a layer as ``SGD.update_params`` moves it.

    ``weights`` is ``(2, 1)`` (two inputs, one neuron) like a ``Dense`` layer's, ``biases``
    ``(1, 1)``; the surface does not depend on the bias, so ``dbiases`` stays zero and the bias
    never moves. With momentum, ``SGD`` hangs ``weights_momentums`` on it as on any layer.
    """

    def __init__(self, x: float, y: float):
        self.weights = np.array([[x], [y]], dtype=np.float64)
        self.biases = np.zeros((1, 1))
        self.dweights = np.zeros_like(self.weights)
        self.dbiases = np.zeros_like(self.biases)

    @property
    def point(self) -> tuple[float, float]:
        return float(self.weights[0, 0]), float(self.weights[1, 0])

    def backward(self, surface: Surface) -> None:
        """``dweights``: the surface's gradient at the point."""
        dx, dy = surface.gradient(*self.point)
        self.dweights = np.array([[dx], [dy]], dtype=np.float64)

    def __repr__(self):
        x, y = self.point
        return f"TwoWeights(x={x:g}, y={y:g})"


# --- runs and a race of them ------------------------------------------------------------------

class SurfaceRun:
    """One optimizer's path on a surface: the start, then the point after each step."""

    def __init__(self, surface: Surface, start, config: OptimizerConfig, label: str = ""):
        self.surface = surface
        self.config = config
        self.label = label or config.name
        self.optimizer = SGD(config.learning_rate, config.effective_decay, config.effective_momentum)
        self.layer = TwoWeights(*start)
        self.path = [tuple(start)]
        #: why the run stopped (it left the plot, or its point is no longer finite), else None
        self.divergence: str | None = None

    def step(self) -> None:
        """One step of the lesson's protocol; a point outside the plot ends the run with a note."""
        layer, optimizer = self.layer, self.optimizer
        # a diverging run overflows on purpose: that is reported as its note, never printed
        with np.errstate(all="ignore"):
            layer.backward(self.surface)
            optimizer.pre_update_params()
            optimizer.update_params(layer)
            optimizer.post_update_params()
        x, y = layer.point
        step = optimizer.step
        if not (math.isfinite(x) and math.isfinite(y)):
            self.divergence = f"diverged at step {step}: the point is no longer a finite number"
        elif not self.surface.contains(x, y):
            self.divergence = f"left the plot at step {step}, heading to x = {x:.3g}, y = {y:.3g}"
        else:
            self.path.append((x, y))

    @property
    def point(self) -> tuple[float, float]:
        """The path's last point (where a diverged run was last inside the plot)."""
        return self.path[-1]

    @property
    def loss(self) -> float:
        return float(self.surface.loss(*self.point))

    def __repr__(self):
        return f"SurfaceRun({self.label}; {len(self.path) - 1} steps)"


class SurfaceRace:
    """1 to ``MAX_RUNS`` runs from one start on one surface, one step of each per ``step()``."""

    def __init__(self, surface: Surface, start, runs, labels=None):
        self.surface = surface
        self.start = check_start(surface, start)
        runs = tuple(runs)
        if not 1 <= len(runs) <= MAX_RUNS:
            raise ExperimentError("runs", f"must have 1 to {MAX_RUNS} runs, got {len(runs)}")
        self.labels = tuple(labels) if labels is not None else run_labels(runs)
        self.runs = tuple(SurfaceRun(surface, self.start, config, label)
                          for config, label in zip(runs, self.labels))
        #: ticks of the clock so far: every live run has made this many steps
        self.steps = 0

    @property
    def finished(self) -> bool:
        """Every run has stopped."""
        return all(run.divergence is not None for run in self.runs)

    def step(self) -> None:
        """One step of each live run, in run order."""
        for run in self.runs:
            if run.divergence is None:
                run.step()
        self.steps += 1

    def run(self, steps: int) -> None:
        """Up to ``steps`` ticks, fewer only if every run stops."""
        for _ in range(steps):
            if self.finished:
                break
            self.step()

    def paths(self) -> tuple[np.ndarray, ...]:
        """Each run's path as a fresh ``(points, 2)`` array."""
        return tuple(np.array(run.path, dtype=np.float64) for run in self.runs)

    def __len__(self):
        return len(self.runs)

    def __repr__(self):
        return f"SurfaceRace({self.surface.name}: {', '.join(self.labels)}; step {self.steps})"
