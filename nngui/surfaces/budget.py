"""How much memory a setting needs at its peak, known before it starts: a budget, not a surprise.

Every run of a race keeps, for each hidden layer, a handful of arrays of one number per
training point and neuron (the layer's inputs, its output, the activation's output, the
gradients flowing back): ``ARRAYS_PER_LAYER`` of them, measured. All runs keep theirs at
once (they train on one clock), so the training part is

    runs × Σ hidden neurons × points × 8 bytes × ARRAYS_PER_LAYER

The window also draws each run's decision boundary (float32 over a ``GRID_SIDE``² grid, one
run at a time) and may compute a loss landscape (networks in batches of ``LANDSCAPE_BATCH_BYTES``,
at least one whole network on every point). ``benchmarks/bench_memory.py`` prints the estimate
beside the measured peak.

The largest legal setting — 4 runs of 4 × 256 neurons on 2,000 × 6 points — needs about 1.7 GB,
past ``DEFAULT_LIMIT`` (1 GB): the commands refuse it unless given a higher ``--memory-limit``,
and the window says so when such a setting is made.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Arrays of points × neurons each hidden layer of each run keeps while it trains (measured: 4.1–4.4).
ARRAYS_PER_LAYER = 4.25
FLOAT_BYTES = 8
#: Python, numpy and the engine before any network is made (measured: about 38 MB).
BASE_BYTES = 40 * 10 ** 6
#: The window's decision boundaries: grid points per side, float32, two layers' arrays at a time.
GRID_SIDE = 200
GRID_ARRAYS = 2
GRID_FLOAT_BYTES = 4
#: The landscape's batch of grid networks (``nngui.surfaces.landscape.BATCH_BYTES``); at least one
#: network's forward pass on every point (a layer's output and its activation's: two arrays).
LANDSCAPE_BATCH_BYTES = 24 * 2 ** 20
LANDSCAPE_ARRAYS = 2
#: A setting that needs more than this is refused by the commands and flagged by the window.
DEFAULT_LIMIT = 10 ** 9


@dataclass(frozen=True)
class Estimate:
    """A setting's peak memory in bytes, by part, and the words that say where it comes from."""

    training: int
    grids: int
    landscape: int
    runs: int
    hidden: tuple[int, ...]
    points: int

    @property
    def total(self) -> int:
        return BASE_BYTES + self.training + self.grids + self.landscape

    def why(self) -> str:
        """``4 runs × 4 hidden layers of 256 neurons × 12,000 points``."""
        runs = f"{self.runs} run{'s' if self.runs != 1 else ''}"
        widths = sorted(set(self.hidden))
        if len(widths) == 1:
            layers = f"{len(self.hidden)} hidden layer{'s' if len(self.hidden) != 1 else ''} of {widths[0]:,} neurons"
        else:
            layers = f"hidden layers of {', '.join(f'{n:,}' for n in self.hidden)} neurons"
        return f"{runs} × {layers} × {self.points:,} points"


def points_of(experiment) -> int:
    """How many points the experiment's data set has (training and test together)."""
    dataset = experiment.dataset
    if dataset.points:
        return len(dataset.points)
    return dataset.samples * dataset.classes


def estimate(experiment, window: bool = False) -> Estimate:
    """The peak memory ``experiment`` needs: training alone (the commands), or in the window (``window``)."""
    hidden = tuple(experiment.network.hidden)
    runs, points = len(experiment.runs), points_of(experiment)
    training = round(runs * sum(hidden) * points * FLOAT_BYTES * ARRAYS_PER_LAYER)
    grids = landscape = 0
    if window:
        grids = GRID_SIDE ** 2 * max(hidden) * GRID_FLOAT_BYTES * GRID_ARRAYS
        one_network = sum(hidden) * points * FLOAT_BYTES * LANDSCAPE_ARRAYS
        landscape = max(LANDSCAPE_BATCH_BYTES, one_network)
    return Estimate(training, grids, landscape, runs, hidden, points)


def in_words(size: int) -> str:
    """``1.7 GB``, ``350 MB`` (decimal units, as a file manager shows them)."""
    if size >= 10 ** 9:
        return f"{size / 10 ** 9:.1f}".removesuffix(".0") + " GB"
    return f"{max(1, round(size / 10 ** 6)):,} MB"


def parse_size(text: str) -> int:
    """``"2GB"``, ``"1.5 GB"``, ``"800MB"``, ``"none"`` (no limit: 0) as bytes; ``ValueError`` otherwise."""
    words = text.strip().lower().replace(" ", "")
    if words in ("none", "0"):
        return 0
    for unit, factor in (("gb", 10 ** 9), ("g", 10 ** 9), ("mb", 10 ** 6), ("m", 10 ** 6)):
        if words.endswith(unit):
            number = words[:-len(unit)]
            if number and len(number) <= 12 and number.replace(".", "", 1).isdigit() and number.isascii():
                size = float(number) * factor
                if size >= 10 ** 6:
                    return int(size)
            break
    raise ValueError(f"expected a size like 2GB or 800MB (or none), got {text!r}")


def over_limit(experiment, limit: int = DEFAULT_LIMIT, window: bool = False) -> str | None:
    """None if ``experiment`` fits ``limit`` (0: no limit); else a sentence with the numbers."""
    needed = estimate(experiment, window)
    if not limit or needed.total <= limit:
        return None
    return (f"this setting needs about {in_words(needed.total)} of memory at its peak ({needed.why()}), "
            f"more than the {in_words(limit)} limit")
