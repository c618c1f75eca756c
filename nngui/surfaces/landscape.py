"""The network's own loss landscape: the training loss over a plane of weight space.

A network of the chapter has hundreds of weights; the loss is a surface over all of them.
To see a piece of it, take the plane through the shared starting weights spanned by the two
directions the runs moved in most — the first two principal directions of every checkpoint's
offset from the start, all runs together (Li et al., "Visualizing the Loss Landscape of Neural
Nets", 2018) — and compute the loss at each point of a grid on that plane. Each run's path is
projected onto the plane. The plane holds only part of the paths' movement: ``explained`` says
how much, so nobody mistakes the projection for the whole truth.

Every grid point is a whole network; the loss of a batch of them comes from one batched call
of the engine's own ``predict_proba`` (weights stacked networks × inputs × outputs).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nngui.engine.history import frozen
from nngui.engine.losses import cross_entropy
from nngui.engine.network import predict_proba

#: Grid points per side of the plane: odd, so the start sits exactly in the middle.
LANDSCAPE_RESOLUTION = 41
#: The grid reaches this far beyond the paths' farthest point along each axis.
MARGIN = 1.25
#: The second axis spans at least this share of the first's range (a nearly straight path stays visible).
MIN_SECOND_SPAN = 0.25
#: Half the grid's side, in weight units, when no run has moved yet.
NO_MOVEMENT_SPAN = 1.0
#: Singular values below this share of the largest count as no movement (rounding, not training).
RANK_TOLERANCE = 1e-5
#: Seed of the random direction(s) used when the paths span fewer than two.
RANDOM_DIRECTION_SEED = 0
#: Memory for one batch of grid networks' activations and weights.
BATCH_BYTES = 24 * 2 ** 20


class LandscapeCancelled(Exception):
    """Raised when the caller's ``cancelled()`` says the result is no longer wanted."""


def flatten(parameters) -> np.ndarray:
    """``[(weights, biases), ...]`` as one float64 vector: each layer's weights, then its biases."""
    return np.concatenate([np.ravel(a).astype(np.float64) for layer in parameters for a in layer])


def parameter_shapes(parameters) -> tuple:
    """``((weights shape, biases shape), ...)``, to turn vectors back into layers."""
    return tuple((np.shape(w), np.shape(b)) for w, b in parameters)


def unflatten(vectors, shapes) -> list:
    """A stack of flat vectors (networks × parameters) as stacked layers ``[(W, b), ...]``.

    ``W`` is networks × inputs × outputs and ``b`` networks × 1 × outputs: views, no copies.
    """
    vectors = np.asarray(vectors)
    count, layers, at = len(vectors), [], 0
    for weights_shape, biases_shape in shapes:
        arrays = []
        for shape in (weights_shape, biases_shape):
            size = math.prod(shape)
            arrays.append(vectors[:, at:at + size].reshape(count, *shape))
            at += size
        layers.append(tuple(arrays))
    if at != vectors.shape[1]:
        raise ValueError(f"parameters: {vectors.shape[1]} numbers, but the layers hold {at}")
    return layers


@dataclass(frozen=True)
class Plane:
    """A plane of weight space: ``origin + a · axes[0] + b · axes[1]``.

    ``axes`` are orthonormal rows. ``explained`` is the share of the paths' squared offsets
    from the origin that lies in the plane (nan when nothing moved), ``shares`` that of each
    axis; ``rank`` how many directions (0, 1, 2) came from the paths — the rest are random,
    at right angles (their share 0).
    """

    origin: np.ndarray
    axes: np.ndarray
    explained: float
    rank: int
    shares: tuple[float, float] = (math.nan, math.nan)

    def project(self, points) -> np.ndarray:
        """Coordinates ``(a, b)`` of each point (rows of flat vectors) on the plane."""
        return (np.atleast_2d(points) - self.origin) @ self.axes.T

    def point(self, a, b) -> np.ndarray:
        """The flat weights at plane coordinates ``(a, b)``."""
        return self.origin + a * self.axes[0] + b * self.axes[1]


def principal_plane(origin, paths, seed=RANDOM_DIRECTION_SEED) -> Plane:
    """The plane through ``origin`` spanned by the first two principal directions of the paths.

    ``paths`` are arrays of flat checkpoints (one row each), all runs together. The
    directions are the right singular vectors of every checkpoint's offset from ``origin``
    (the movement away from the start, not centred on the mean: the plane must pass through
    the start); ``explained`` is their share of the offsets' total squared length. Each axis
    points so that the first path's end has a coordinate ≥ 0. When the
    paths move in fewer than two directions, random directions at right angles fill in.
    """
    origin = np.asarray(origin, dtype=np.float64)
    offsets = np.concatenate([np.atleast_2d(p) - origin for p in paths]) if len(paths) else np.empty((0, origin.size))
    directions = np.empty((0, origin.size))
    explained, rank, shares = math.nan, 0, (math.nan, math.nan)
    total = float(np.sum(offsets * offsets))
    if total > 0:
        energy, right = _principal_directions(offsets)
        rank = int(min(2, np.count_nonzero(energy > RANK_TOLERANCE ** 2 * energy[0])))
        explained = float(min(1.0, energy[:rank].sum() / total))
        shares = tuple(float(energy[k] / total) if k < rank else 0.0 for k in range(2))
        directions = right[:rank]
    rng = np.random.default_rng(seed)
    axes = list(directions)
    while len(axes) < 2:
        axes.append(_orthonormal_to(axes, rng.standard_normal(origin.size)))
    axes = np.array(axes)
    # a singular vector's sign is arbitrary: point each axis the way the first path went
    # (or, where that path ends level with the start, towards its largest component)
    score = axes @ (np.atleast_2d(paths[0])[-1] - origin) if len(paths) else np.zeros(2)
    level = np.abs(score) <= RANK_TOLERANCE * max(1.0, np.abs(score).max())
    score[level] = axes[level, np.argmax(np.abs(axes[level]), axis=1)]
    axes *= np.where(score < 0, -1.0, 1.0)[:, None]
    return Plane(origin, axes, explained, rank, shares)


def _principal_directions(offsets):
    """The squared singular values of ``offsets`` (largest first) and their right singular vectors (rows).

    Through the eigenvectors of the smaller Gram matrix (``MᵀM`` or ``MMᵀ``): the same
    directions as an SVD, in a fraction of its time.
    """
    rows, columns = offsets.shape
    if columns <= rows:
        energy, vectors = np.linalg.eigh(offsets.T @ offsets)
        order = np.argsort(energy)[::-1][:2]
        return np.maximum(energy[order], 0.0), vectors[:, order].T
    energy, vectors = np.linalg.eigh(offsets @ offsets.T)
    order = np.argsort(energy)[::-1][:2]
    energy = np.maximum(energy[order], 0.0)
    right = vectors[:, order].T @ offsets
    norms = np.linalg.norm(right, axis=1)
    right = np.divide(right, norms[:, None], out=np.zeros_like(right), where=norms[:, None] > 0)
    return energy, right


def _orthonormal_to(axes, vector):
    for axis in axes:
        vector = vector - (vector @ axis) * axis
    return vector / np.linalg.norm(vector)


def loss_grid(plane: Plane, shapes, activation, X, y, alphas, betas, cancelled=None) -> np.ndarray:
    """Mean cross-entropy on ``(X, y)`` of the network at each ``(alphas[j], betas[i])``: shape betas × alphas.

    Networks are evaluated in batches through ``predict_proba``; ``cancelled()`` (if given) is
    asked between batches, and ``LandscapeCancelled`` raised when it says so.
    """
    alphas, betas = np.asarray(alphas, dtype=np.float64), np.asarray(betas, dtype=np.float64)
    grid_a, grid_b = np.meshgrid(alphas, betas)
    coordinates = np.column_stack([grid_a.ravel(), grid_b.ravel()])
    widest = max(max(w[-1] for w, _ in shapes), X.shape[1] if np.ndim(X) == 2 else 1)
    per_network = 8 * (2 * len(X) * widest + plane.origin.size)
    batch = max(1, BATCH_BYTES // per_network)
    losses = np.empty(len(coordinates))
    with np.errstate(all="ignore"):
        for at in range(0, len(coordinates), batch):
            if cancelled is not None and cancelled():
                raise LandscapeCancelled()
            chunk = coordinates[at:at + batch]
            vectors = plane.origin + chunk @ plane.axes
            probabilities = predict_proba(unflatten(vectors, shapes), activation, X)
            for k, network_probabilities in enumerate(probabilities):
                losses[at + k] = cross_entropy(network_probabilities, y)
    return losses.reshape(len(betas), len(alphas))


@dataclass(frozen=True)
class PathOnPlane:
    """One run's checkpoints projected on the plane: ``coordinates[k]`` is ``(a, b)`` after ``epochs[k]`` epochs."""

    index: int
    label: str
    epochs: np.ndarray
    coordinates: np.ndarray


@dataclass(frozen=True)
class Landscape:
    """The loss over a plane through the start, and the runs' paths on it.

    ``loss[i, j]`` is the training loss at ``(alphas[j], betas[i])``; the start is at
    ``(0, 0)``, the grid's middle. ``excluded`` lists ``(run index, label, why)`` of runs
    left out; ``notes`` say in words what the picture cannot.
    """

    plane: Plane
    alphas: np.ndarray
    betas: np.ndarray
    loss: np.ndarray
    paths: tuple[PathOnPlane, ...]
    excluded: tuple[tuple[int, str, str], ...]
    notes: tuple[str, ...]
    start_loss: float

    @property
    def explained(self) -> float:
        return self.plane.explained

    def explained_words(self) -> str:
        """How much of the paths' movement the plane holds, in words."""
        share = self.plane.explained
        if not self.paths:
            return "Every run diverged: there is no path to project."
        if not math.isfinite(share):
            return "No run has moved from the start yet: the axes are random directions."
        percent = 100 * share
        # "100%" only when it is (to rounding): a nearly flat path still says it is a projection
        if abs(share - 1) < 1e-9:
            text = "100"
        else:
            text = f"{percent:.1f}" if 99 < percent < 100 or percent < 1 else f"{percent:.0f}"
        return f"The plane holds {text}% of the paths' movement; what you see is a projection."


def network_landscape(runs, activation, X, y, resolution=LANDSCAPE_RESOLUTION, cancelled=None) -> Landscape:
    """The landscape of a race's runs: ``runs`` is ``[(label, checkpoints), ...]``.

    ``checkpoints`` is a run's trajectory, ``((epoch, parameters), ...)`` from epoch 0 (a
    snapshot's ``trajectory``); every run must start from the same weights. A run whose
    weights overflowed (a diverged run) is left out, with a note; ``(X, y)`` are the
    training points.
    """
    resolution = int(resolution)
    if resolution < 3 or resolution % 2 == 0:
        raise ValueError(f"resolution: an odd number of points ≥ 3, so the start is the middle one, not {resolution}")
    if not runs:
        raise ValueError("runs: at least one run's checkpoints are needed")
    first = runs[0][1]
    if not first or first[0][0] != 0:
        raise ValueError("runs: each run's checkpoints begin with epoch 0, the start")
    start_parameters = first[0][1]
    shapes = parameter_shapes(start_parameters)
    origin = flatten(start_parameters)
    paths, flat_paths, excluded, notes = [], [], [], []
    for index, (label, checkpoints) in enumerate(runs):
        if not checkpoints or checkpoints[0][0] != 0 or parameter_shapes(checkpoints[0][1]) != shapes:
            raise ValueError(f"runs: {label!r} does not begin at epoch 0 with the same network as the others")
        flat = np.array([flatten(parameters) for _, parameters in checkpoints])
        if not np.array_equal(flat[0], origin):
            raise ValueError(f"runs: {label!r} does not start from the same weights as the others")
        with np.errstate(over="ignore", invalid="ignore"):
            # weights so large that their squares overflow have diverged as surely as infinite ones
            overflowed = not (np.isfinite(flat).all() and math.isfinite(float(np.sum((flat - origin) ** 2))))
        if overflowed:
            why = "its weights overflowed to infinity or NaN (the run diverged)"
            excluded.append((index, label, why))
            notes.append(f"{label} is left out: {why}.")
            continue
        epochs = np.array([epoch for epoch, _ in checkpoints])
        flat_paths.append(flat)
        paths.append((index, label, epochs))
    plane = principal_plane(origin, flat_paths)
    if not flat_paths:
        notes.append("No path is left to show: the axes are random directions through the start.")
    elif plane.rank == 0:
        notes.append("No run has moved from the start yet: both axes are random directions. Train, then compute again.")
    elif plane.rank == 1:
        notes.append("The paths move along one direction only: the second axis is a random direction at right angles.")
    projected = tuple(PathOnPlane(index, label, frozen(epochs), frozen(plane.project(flat)))
                      for (index, label, epochs), flat in zip(paths, flat_paths))
    alphas, betas = _grid_axes(projected, resolution)
    X = np.asarray(X)
    loss = loss_grid(plane, shapes, activation, X, y, alphas, betas, cancelled)
    middle = resolution // 2
    return Landscape(plane, frozen(alphas), frozen(betas), frozen(loss), projected, tuple(excluded),
                     tuple(notes), float(loss[middle, middle]))


def _grid_axes(paths, resolution):
    """Symmetric coordinates around the start, wide enough for every path (the middle one exactly 0)."""
    reach = np.zeros(2)
    for path in paths:
        reach = np.maximum(reach, np.abs(path.coordinates).max(axis=0))
    if reach[0] == 0:
        reach[:] = NO_MOVEMENT_SPAN / MARGIN
    reach[1] = max(reach[1], MIN_SECOND_SPAN * reach[0])
    half = resolution // 2
    steps = (np.arange(resolution) - half) / half
    return MARGIN * reach[0] * steps, MARGIN * reach[1] * steps
