"""Computing a landscape off the GUI thread: the engine's grid, then the picture's bands and contour lines.

One ``QThread`` per view, started with it and ended by ``shutdown()``. The GUI thread sends a
``LandscapeRequest`` (frozen values: the runs' trajectories from a snapshot and the training
points) through a queued signal; the worker answers with a ``LandscapePicture`` carrying the
request's number. Every new request (and ``cancel()``) makes older ones unwanted: the worker
stops them between batches of the grid, and the GUI drops any answer that is not the latest.
"""

from __future__ import annotations

import math
import time
import traceback
from dataclasses import dataclass

import numpy as np

from nngui.surfaces.landscape import LANDSCAPE_RESOLUTION, Landscape, LandscapeCancelled, network_landscape

from nngui.gui.qt import QtCore, QtGui, pg

#: The picture is drawn on a grid this many times finer than the computed one (bilinear in between).
UPSAMPLE = 4
#: The contour lines are traced on a grid this many times finer: the same bilinear surface, whose
#: level crossings on the coarser grid's edges are exact, at a quarter of the tracing time.
CONTOUR_UPSAMPLE = 2
#: Colour bands (filled contours) between the lowest and the highest loss on the plane.
BANDS = 10
#: Low loss light, high loss darker and warmer, like a relief map; never so dark that a run's path is lost.
RAMP = ("#FCFCF8", "#F1E6CC", "#DEC596", "#BF9C64")
NAN_COLOR = (255, 255, 255)
#: Waiting for a computation under way when the window closes.
SHUTDOWN_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class LandscapeRequest:
    """What one landscape is computed from: plain, frozen values."""

    request_id: int
    runs: tuple            # ((label, trajectory), ...): the runs' checkpoints, as in their snapshots
    activation: str
    X: np.ndarray          # training points
    y: np.ndarray
    epoch: int
    resolution: int = LANDSCAPE_RESOLUTION


@dataclass(frozen=True)
class LandscapePicture:
    """A computed landscape and how to draw it.

    ``image`` is RGB (rows: the second axis, upward), ``levels`` the loss at each band's edge
    (a geometric series), ``contour_x/_y`` the band edges as lines broken by NaN, ``seconds``
    the time the grid and the picture took.
    """

    request_id: int
    epoch: int
    landscape: Landscape
    image: np.ndarray
    levels: np.ndarray
    contour_x: np.ndarray
    contour_y: np.ndarray
    seconds: float


def upsample(grid: np.ndarray, factor: int) -> np.ndarray:
    """Bilinear interpolation of ``grid`` onto a ``factor`` times finer grid with the same corners."""
    rows, columns = grid.shape
    fine_rows = np.linspace(0, rows - 1, (rows - 1) * factor + 1)
    fine_columns = np.linspace(0, columns - 1, (columns - 1) * factor + 1)
    across = np.array([np.interp(fine_columns, np.arange(columns), row) for row in grid])
    return np.array([np.interp(fine_rows, np.arange(rows), column) for column in across.T]).T


def band_levels(loss: np.ndarray, bands: int = BANDS) -> np.ndarray:
    """``bands + 1`` loss values from the lowest to the highest finite loss, evenly spaced on a log scale."""
    finite = loss[np.isfinite(loss) & (loss > 0)]
    if not finite.size:
        return np.geomspace(0.1, 10, bands + 1)
    low, high = float(finite.min()), float(finite.max())
    if high <= low * (1 + 1e-9):
        low, high = low / 1.01, high * 1.01
    return np.geomspace(low, high, bands + 1)


def ramp_colors(count: int) -> np.ndarray:
    """``count`` colours along RAMP, as a uint8 ``(count, 3)`` array."""
    stops = np.array([QtGui.QColor(c).getRgb()[:3] for c in RAMP], dtype=float)
    at = np.linspace(0, len(stops) - 1, count)
    channels = [np.interp(at, np.arange(len(stops)), stops[:, k]) for k in range(3)]
    return np.column_stack(channels).round().astype(np.uint8)


def band_image(fine: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """RGB image: each point coloured by the band its loss falls in; NaN white."""
    colors = ramp_colors(len(levels) - 1)
    with np.errstate(invalid="ignore"):
        index = np.clip(np.searchsorted(levels, fine, side="right") - 1, 0, len(colors) - 1)
    image = colors[index]
    image[~np.isfinite(fine)] = NAN_COLOR
    return image


def contour_lines(fine: np.ndarray, levels, xs: np.ndarray, ys: np.ndarray):
    """The lines where the loss crosses each inner level, in plane coordinates, one array each for x and y.

    Separate lines are joined with NaN between them (drawn with ``connect="finite"``).
    """
    x_parts, y_parts = [], []
    step_x, step_y = xs[1] - xs[0], ys[1] - ys[0]
    data = np.where(np.isfinite(fine), fine, np.nanmax(fine) if np.isfinite(fine).any() else 0.0)
    for level in levels[1:-1]:
        for line in pg.functions.isocurve(data, level, connected=True, extendToEdge=True):
            # (row, column) pairs in pyqtgraph's pixel coordinates: sample i sits at i + ½
            points = np.asarray(line, dtype=float) - 0.5
            x_parts += [xs[0] + points[:, 1] * step_x, [np.nan]]
            y_parts += [ys[0] + points[:, 0] * step_y, [np.nan]]
    if not x_parts:
        return np.empty(0), np.empty(0)
    return np.concatenate(x_parts), np.concatenate(y_parts)


def make_picture(request: LandscapeRequest, cancelled=None) -> LandscapePicture:
    """The landscape of ``request`` and its picture (the whole computation, on the calling thread)."""
    started = time.perf_counter()
    landscape = network_landscape(request.runs, request.activation, request.X, request.y,
                                  request.resolution, cancelled)
    loss = np.asarray(landscape.loss, dtype=float)
    fine = upsample(loss, UPSAMPLE)
    levels = band_levels(fine)
    image = band_image(fine, levels)
    if cancelled is not None and cancelled():
        raise LandscapeCancelled()
    lines = upsample(loss, CONTOUR_UPSAMPLE)
    xs = np.linspace(landscape.alphas[0], landscape.alphas[-1], lines.shape[1])
    ys = np.linspace(landscape.betas[0], landscape.betas[-1], lines.shape[0])
    contour_x, contour_y = contour_lines(lines, levels, xs, ys)
    return LandscapePicture(request.request_id, request.epoch, landscape, image, levels, contour_x, contour_y,
                            time.perf_counter() - started)


class LandscapeWorker(QtCore.QObject):
    """Lives in the landscape thread: computes each request unless a newer one is wanted."""

    computed = QtCore.Signal(object)   # LandscapePicture
    failed = QtCore.Signal(int, str)   # request id, message

    def __init__(self):
        super().__init__()
        #: the request the GUI wants now; written by the GUI thread (one int: atomic under the GIL)
        self.wanted = 0

    @QtCore.Slot(object)
    def compute(self, request: LandscapeRequest):
        wanted = lambda: self.wanted != request.request_id  # noqa: E731
        if wanted():
            return
        try:
            picture = make_picture(request, wanted)
        except LandscapeCancelled:
            return
        except Exception as exc:  # a bad landscape must not end the thread
            traceback.print_exc()
            self.failed.emit(request.request_id, f"{type(exc).__name__}: {exc}")
            return
        self.computed.emit(picture)


class LandscapeComputer(QtCore.QObject):
    """The GUI's handle on the landscape thread: ``request()``, ``cancel()``, ``shutdown()``.

    ``ready`` and ``failed`` are emitted on the GUI thread, for the latest request only.
    """

    ready = QtCore.Signal(object)   # LandscapePicture
    failed = QtCore.Signal(str)
    _compute = QtCore.Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.latest = 0
        self.busy = False
        self._shut_down = False
        self.thread = QtCore.QThread()
        self.thread.setObjectName("landscapeThread")
        self.worker = LandscapeWorker()
        self.worker.moveToThread(self.thread)
        queued = QtCore.Qt.ConnectionType.QueuedConnection
        self._compute.connect(self.worker.compute, queued)
        self.worker.computed.connect(self._on_worker_computed, queued)
        self.worker.failed.connect(self._on_worker_failed, queued)
        self.thread.start()

    def request(self, runs, activation, X, y, epoch) -> int:
        """Compute a landscape of these runs; any earlier request is dropped. Returns its number."""
        self.latest += 1
        self.worker.wanted = self.latest
        self.busy = True
        self._compute.emit(LandscapeRequest(self.latest, tuple(runs), activation, X, y, epoch))
        return self.latest

    def cancel(self):
        """Drop whatever is being computed (a reset: its answer would show the old race)."""
        self.latest += 1
        self.worker.wanted = self.latest
        self.busy = False

    def shutdown(self):
        """Stop the computation under way (between two batches) and end the thread."""
        if self._shut_down:
            return
        self._shut_down = True
        self.cancel()
        self.thread.quit()
        if not self.thread.wait(SHUTDOWN_TIMEOUT_MS):
            self.thread.wait()

    def _on_worker_computed(self, picture: LandscapePicture):
        if picture.request_id == self.latest:
            self.busy = False
            self.ready.emit(picture)

    def _on_worker_failed(self, request_id, message):
        if request_id == self.latest:
            self.busy = False
            self.failed.emit(message)


def percent(share: float) -> str:
    """A share as a percentage for an axis label (``—`` when there is none)."""
    return "—" if not math.isfinite(share) else f"{100 * share:.0f}%"
