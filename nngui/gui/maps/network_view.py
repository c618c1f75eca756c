"""The network drawing: neurons by layer and every connection coloured by its weight's sign.

Geometry (neuron centres and the line of every drawn connection) is computed on resize
or a new architecture; new weights only regroup the lines into a few pens, so a
repaint is a handful of ``drawLines`` calls whatever the network's size.
"""

from __future__ import annotations

import time

import numpy as np

from nngui.gui.window import themes
from nngui.gui.qt import QtCore, QtGui, QtWidgets

MAX_SHOWN = 32          # a layer with more neurons shows this many, evenly spread
MAGNITUDE_BINS = 8      # widths/opacities a connection can take
MIN_WIDTH, MAX_WIDTH = 0.5, 4.0
# the colours (and how pale the weakest weight is drawn) are the theme's: themes.Theme
MARGIN_X, TOP = 36, 30
# new weights repaint at most as often as keeps painting under this share of the main thread
PAINT_BUDGET = 0.2
#: A click this close to a connection (pixels) chooses its weight.
EDGE_HIT_PIXELS = 5.0


def shown_neurons(n: int, limit: int = MAX_SHOWN) -> np.ndarray:
    """Indices of the neurons drawn for a layer of ``n``: all, or ``limit`` evenly spread ones."""
    if n <= limit:
        return np.arange(n)
    return np.unique(np.round(np.linspace(0, n - 1, limit)).astype(np.int64))


def magnitude_bins(weights: np.ndarray, scale: float) -> np.ndarray:
    """Bin 0 … MAGNITUDE_BINS-1 of each ``|w| / scale``."""
    if not scale > 0 or not np.isfinite(scale):
        return np.zeros(weights.shape, dtype=np.int64)
    with np.errstate(invalid="ignore"):
        relative = np.abs(weights) / scale
    # NaN (a diverged run) draws faintest, an infinite weight boldest
    scaled = np.nan_to_num(relative * MAGNITUDE_BINS, nan=0.0, posinf=MAGNITUDE_BINS)
    return np.clip(scaled, 0, MAGNITUDE_BINS - 1).astype(np.int64)


def _edge_pens(theme=None):
    # opaque colours pre-mixed with the background: Qt strokes a batch of wide
    # translucent lines as one path, twenty times slower than opaque ones
    theme = theme or themes.current()
    background = theme.background_rgb().astype(float)
    pens = {}
    for sign, color in ((1, theme.positive_weight), (-1, theme.negative_weight)):
        rgb = np.array(QtGui.QColor(color).getRgb()[:3], float)
        for b in range(MAGNITUDE_BINS):
            level = (b + 0.5) / MAGNITUDE_BINS
            strength = theme.weight_min_strength + (1 - theme.weight_min_strength) * level
            mixed = np.round(background + strength * (rgb - background)).astype(int)
            c = QtGui.QColor(*mixed)
            pen = QtGui.QPen(c, MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * level)
            pen.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
            pens[sign, b] = pen
    return pens


def nearest_edge(point, starts, ends):
    """Index of the segment ``starts[i] → ends[i]`` nearest ``point`` and its distance (``(n, 2)`` arrays)."""
    point = np.asarray(point, float)
    direction = ends - starts
    length2 = np.maximum(np.einsum("ij,ij->i", direction, direction), 1e-12)
    t = np.clip(np.einsum("ij,ij->i", point - starts, direction) / length2, 0.0, 1.0)
    distance = np.hypot(*(starts + t[:, None] * direction - point).T)
    best = int(np.argmin(distance))
    return best, float(distance[best])


class NetworkView(QtWidgets.QWidget):
    """Neurons by layer (inputs left, classes right) and their connections, drawn with QPainter.

    A click on a connection emits ``weight_chosen(layer, row, column)``: weight ``[row, column]`` of
    trainable layer ``layer`` (0 = input side), drawn marked once ``set_chosen_weight`` is called.
    """

    weight_chosen = QtCore.Signal(int, int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.sizes: tuple[int, ...] = ()
        self.parameters: tuple | None = None
        self.shown: list[np.ndarray] = []
        self.paint_count = 0
        self._positions: list[np.ndarray] = []     # per layer: (shown, 2) neuron centres
        self._lines: list[list[QtCore.QLineF]] = []  # per layer pair: row-major over (in, out)
        self._groups: list[tuple[QtGui.QPen, list]] = []
        self._radii: list[float] = []
        self.chosen_weight: tuple[int, int, int] | None = None
        self.theme = themes.current()
        self._pens = _edge_pens(self.theme)
        self._neutral_pen = QtGui.QPen(QtGui.QColor(self.theme.neutral_edge), 0.8)
        self._paint_started = 0.0
        self._paint_cost = 0.0
        self._repaint_timer = QtCore.QTimer(self)
        self._repaint_timer.setSingleShot(True)
        self._repaint_timer.timeout.connect(self.update)
        self.setMinimumSize(220, 120)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(self.theme.plot_background))
        self.setPalette(pal)
        self._update_tooltip()
        themes.follow(self, self.set_theme)

    def set_theme(self, theme) -> None:
        """Draw in ``theme``'s colours: background, weights, neurons, text."""
        self.theme = theme
        self._pens = _edge_pens(theme)
        self._neutral_pen = QtGui.QPen(QtGui.QColor(theme.neutral_edge), 0.8)
        pal = self.palette()
        pal.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(theme.plot_background))
        self.setPalette(pal)
        self._group_edges()
        self._update_tooltip()
        self.update()

    # ----- public API

    def set_architecture(self, sizes) -> None:
        """Draw the neurons of ``sizes`` (e.g. ``(2, 64, 3)``) with neutral connections, before any weights."""
        sizes = tuple(int(n) for n in sizes)
        if sizes != self.sizes:
            self.sizes = sizes
            self.shown = [shown_neurons(n) for n in sizes]
            self._layout()
        self.parameters = None
        self._group_edges()
        self._update_tooltip()
        self.update()

    def set_parameters(self, sizes, parameters) -> None:
        """Draw the weights ``parameters`` = ((W, b), …), W of shape (n_in, n_out), of a ``sizes`` network."""
        sizes = tuple(int(n) for n in sizes)
        if sizes != self.sizes:
            self.set_architecture(sizes)
        self.parameters = tuple(parameters)
        self._group_edges()
        self._request_repaint()

    def neuron_position(self, layer: int, index: int) -> QtCore.QPointF | None:
        """Centre of neuron ``index`` of ``layer`` in widget coordinates, or None if it is not drawn."""
        where = np.flatnonzero(self.shown[layer] == index)
        if len(where) == 0:
            return None
        x, y = self._positions[layer][where[0]]
        return QtCore.QPointF(x, y)

    def set_chosen_weight(self, layer: int, row: int, column: int) -> None:
        """Mark the connection of weight ``[row, column]`` of trainable layer ``layer`` (if it is drawn)."""
        self.chosen_weight = (int(layer), int(row), int(column))
        self.update()

    def edge_position(self, layer: int, row: int, column: int) -> QtCore.QPointF | None:
        """The middle of weight ``[row, column]``'s connection, or None if it is not drawn."""
        start, end = self.neuron_position(layer, row), self.neuron_position(layer + 1, column)
        if start is None or end is None:
            return None
        return (start + end) / 2

    def edge_at(self, point: QtCore.QPointF) -> tuple[int, int, int] | None:
        """``(layer, row, column)`` of the drawn connection within ``EDGE_HIT_PIXELS`` of ``point``, or None."""
        best = None
        for layer, (a, b) in enumerate(zip(self._positions[:-1], self._positions[1:])):
            starts = np.repeat(a, len(b), axis=0)
            ends = np.tile(b, (len(a), 1))
            index, distance = nearest_edge((point.x(), point.y()), starts, ends)
            if distance <= EDGE_HIT_PIXELS and (best is None or distance < best[0]):
                row, column = divmod(index, len(b))
                best = (distance, (layer, int(self.shown[layer][row]), int(self.shown[layer + 1][column])))
        return None if best is None else best[1]

    def hidden_count(self, layer: int) -> int:
        """How many neurons of ``layer`` are not drawn."""
        return self.sizes[layer] - len(self.shown[layer])

    def caption(self) -> str:
        """The legend line under the drawing: what colour, width and any subset mean."""
        positive, negative = self.theme.weight_names
        text = f"{positive}: positive weight · {negative}: negative weight · thicker = larger |w| in its layer"
        if any(self.hidden_count(i) for i in range(len(self.sizes))):
            text += f" · large layers: {MAX_SHOWN} evenly spread neurons and their true weights"
        return text

    # ----- geometry and pens

    def _small_font(self) -> QtGui.QFont:
        small = QtGui.QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() * 0.85, 7.0))
        return small

    def _caption_height(self) -> float:
        """Height of the wrapped caption at the current width: the drawing ends above it."""
        metrics = QtGui.QFontMetricsF(self._small_font())
        rect = metrics.boundingRect(QtCore.QRectF(0, 0, max(self.width() - 12, 40), 1000),
                                    int(QtCore.Qt.TextFlag.TextWordWrap), self.caption())
        return rect.height() + 6

    def _layout(self) -> None:
        self._positions, self._lines = [], []
        if not self.sizes:
            return
        w, h = max(self.width(), 1), max(self.height(), 1)
        n_layers = len(self.sizes)
        # room on the right for the classes' labels at the current font (larger in projector mode)
        right = max(MARGIN_X + 40, QtGui.QFontMetricsF(self._small_font()).horizontalAdvance("class 10") + 24)
        xs = np.linspace(MARGIN_X + 16, w - right, n_layers) if n_layers > 1 else np.array([w / 2])
        top, bottom = TOP + 4, h - self._caption_height() - 14
        self._radii = []
        for x, shown in zip(xs, self.shown):
            n = len(shown)
            step = (bottom - top) / max(n, 1)
            # each column sizes its own circles: a crowded hidden layer does not shrink the classes
            self._radii.append(float(np.clip(step * 0.36, 2.5, 11.0)))
            ys = top + step * (np.arange(n) + 0.5)
            self._positions.append(np.column_stack([np.full(n, x), ys]))
        for a, b in zip(self._positions[:-1], self._positions[1:]):
            self._lines.append([QtCore.QLineF(x0, y0, x1, y1) for x0, y0 in a for x1, y1 in b])

    def _group_edges(self) -> None:
        """Sort the drawn connections into (pen, lines) groups, faint ones first."""
        if not self._lines:
            self._groups = []
            return
        if self.parameters is None:
            self._groups = [(self._neutral_pen, [line for lines in self._lines for line in lines])]
            return
        buckets: dict[tuple[int, int], list] = {}
        for i, (lines, (weights, _biases)) in enumerate(zip(self._lines, self.parameters)):
            weights = np.asarray(weights)
            # scale by the largest |w| of the whole layer, drawn or not, so the widths stay honest
            with np.errstate(invalid="ignore"):
                finite = np.abs(weights[np.isfinite(weights)])
            scale = float(finite.max()) if finite.size else 0.0
            drawn = weights[np.ix_(self.shown[i], self.shown[i + 1])].ravel()
            bins = magnitude_bins(drawn, scale)
            key = np.where(drawn >= 0, bins, bins + MAGNITUDE_BINS)
            order = np.argsort(key, kind="stable")
            counts = np.bincount(key, minlength=2 * MAGNITUDE_BINS)
            start = 0
            for k, count in enumerate(counts):
                if count:
                    sign, b = (1, k) if k < MAGNITUDE_BINS else (-1, k - MAGNITUDE_BINS)
                    buckets.setdefault((b, sign), []).extend(lines[j] for j in order[start:start + count])
                    start += count
        self._groups = [(self._pens[sign, b], buckets[b, sign]) for b, sign in sorted(buckets)]

    def _request_repaint(self) -> None:
        """Repaint now, or once the painting budget allows (a big network costs milliseconds)."""
        wait = self._paint_started + self._paint_cost / PAINT_BUDGET - time.perf_counter()
        if wait <= 0:
            self.update()
        elif not self._repaint_timer.isActive():
            self._repaint_timer.start(int(wait * 1000) + 1)

    def _update_tooltip(self) -> None:
        self.setToolTip(
            "The network: inputs x1, x2 on the left, one circle per neuron, the classes on the right. "
            f"Each line is one weight: {self.theme.weight_names[0]} positive, {self.theme.weight_names[1]} negative; "
            "thicker and stronger means larger |w| "
            f"(relative to the largest in its layer). Layers over {MAX_SHOWN} neurons show {MAX_SHOWN} evenly "
            "spread neurons with their true weights; '+N more' counts the others. Click a connection to see its "
            "weight's update with the numbers plugged in (the code panel, F3).")

    def _paint_chosen(self, painter: QtGui.QPainter) -> None:
        if self.chosen_weight is None:
            return
        layer, row, column = self.chosen_weight
        if layer + 1 >= len(self.sizes):
            return
        start, end = self.neuron_position(layer, row), self.neuron_position(layer + 1, column)
        if start is None or end is None:
            return
        pen = QtGui.QPen(QtGui.QColor(self.theme.plot_foreground), 2.0, QtCore.Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(QtCore.QLineF(start, end))

    # ----- Qt events

    def changeEvent(self, event):
        # a new font (projector mode) changes the caption's height: lay the drawing out again
        if event.type() == QtCore.QEvent.Type.FontChange:
            self._layout()
            self._group_edges()
            self.update()
        super().changeEvent(event)

    def mousePressEvent(self, event):
        if event.button() == QtCore.Qt.MouseButton.LeftButton:
            edge = self.edge_at(event.position())
            if edge is not None:
                self.weight_chosen.emit(*edge)
                event.accept()
                return
        super().mousePressEvent(event)

    def resizeEvent(self, event):
        self._layout()
        self._group_edges()
        super().resizeEvent(event)

    def paintEvent(self, event):
        self.paint_count += 1
        self._paint_started = time.perf_counter()
        painter = QtGui.QPainter(self)
        try:
            painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            if self.sizes:
                self._paint(painter)
        finally:
            painter.end()
            self._paint_cost = time.perf_counter() - self._paint_started

    def _paint(self, painter: QtGui.QPainter) -> None:
        for pen, lines in self._groups:
            painter.setPen(pen)
            painter.drawLines(lines)
        self._paint_chosen(painter)
        n_layers = len(self.sizes)
        theme = self.theme
        outline = QtGui.QPen(QtGui.QColor(theme.neuron_outline), 1.0)
        text_pen = QtGui.QPen(QtGui.QColor(theme.text))
        muted_pen = QtGui.QPen(QtGui.QColor(theme.muted_text))
        small = self._small_font()
        painter.setFont(small)
        caption_height = self._caption_height()
        metrics = QtGui.QFontMetricsF(small)
        for layer, (positions, shown, r) in enumerate(zip(self._positions, self.shown, self._radii)):
            is_output = layer == n_layers - 1
            painter.setPen(outline)
            if is_output:
                for (x, y), index in zip(positions, shown):
                    painter.setBrush(QtGui.QColor(theme.class_color(int(index))))
                    painter.drawEllipse(QtCore.QPointF(x, y), r, r)
            else:
                painter.setBrush(QtGui.QColor(theme.neuron_fill))
                for x, y in positions:
                    painter.drawEllipse(QtCore.QPointF(x, y), r, r)
            x = positions[0][0]
            painter.setPen(text_pen)
            if layer == 0:
                for (px, py), index in zip(positions, shown):
                    label = f"x{index + 1}"
                    painter.drawText(QtCore.QPointF(px - r - 4 - metrics.horizontalAdvance(label),
                                                    py + metrics.ascent() / 2 - 1), label)
            elif is_output:
                for (px, py), index in zip(positions, shown):
                    painter.drawText(QtCore.QPointF(px + r + 4, py + metrics.ascent() / 2 - 1),
                                     f"class {index + 1}")
            title = ("input" if layer == 0 else "output" if is_output else f"hidden {layer}")
            title = f"{title} ({self.sizes[layer]})"
            # as wide as the title at this font (projector mode), kept inside the drawing
            title_width = max(120.0, metrics.horizontalAdvance(title) + 8)
            left = min(max(x - title_width / 2, 2.0), self.width() - title_width - 2)
            painter.drawText(QtCore.QRectF(left, 4, title_width, max(TOP - 6, metrics.height())),
                             QtCore.Qt.AlignmentFlag.AlignCenter, title)
            hidden = self.hidden_count(layer)
            if hidden:
                painter.setPen(muted_pen)
                painter.drawText(QtCore.QRectF(x - 80, self.height() - caption_height - metrics.height(), 160,
                                                metrics.height()),
                                 QtCore.Qt.AlignmentFlag.AlignCenter, f"… +{hidden} more")
        painter.setPen(muted_pen)
        painter.drawText(QtCore.QRectF(6, self.height() - caption_height + 2, self.width() - 12, caption_height),
                         QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.TextFlag.TextWordWrap, self.caption())
