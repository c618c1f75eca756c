"""Axes whose tick labels never collide: the spacing follows the room and the labels' own size.

pyqtgraph chooses a tick spacing from the axis length alone and always draws the labels of
its first level, so with a large font on a narrow plot the numbers run together
("200040006000"). ``FittedAxis`` measures the labels it would draw with the font it draws
them in, and widens the spacing (1, 2, 5 × 10^k) until each label has its own room with a
gap between neighbours (``GAP_EMS``, ``GAP_LINES``). Only the major level carries labels; the minor level
is the grid between them.

A side axis given a ``short_label`` ("lr" for "learning rate") shows it while the whole label is
longer than the axis (a short plot at projector sizes), so the name is never cut.
"""

from __future__ import annotations

import math

from nngui.gui.qt import QtGui, QtWidgets, pg

#: Room between two neighbouring labels: widths of the letter "M" side by side (bottom axis) …
GAP_EMS = 1.0
#: … and line heights one above the other (left axis).
GAP_LINES = 0.25
#: The most spacings tried before giving up (each step at least doubles the spacing).
MAX_WIDENINGS = 12


def next_spacing(spacing: float) -> float:
    """The next round spacing above ``spacing``: 1 → 2 → 5 → 10 (× 10^k)."""
    exponent = math.floor(math.log10(spacing) + 1e-9)
    unit = 10.0 ** exponent
    mantissa = round(spacing / unit, 6)
    if mantissa < 2:
        return 2 * unit
    if mantissa < 5:
        return 5 * unit
    return 10 * unit


def minor_spacing(major: float) -> float:
    """The grid between labels: a fifth of 1 or 5 × 10^k, a half of 2 × 10^k."""
    mantissa = round(major / 10.0 ** math.floor(math.log10(major) + 1e-9), 6)
    return major / (2 if mantissa == 2 else 5)


def labels_fit(values, strings, spacing_px: float, metrics: QtGui.QFontMetricsF, horizontal: bool,
               gap_ems: float = GAP_EMS) -> bool:
    """Whether labels ``strings`` at ``spacing_px`` pixels apart each keep their room and a gap
    (``gap_ems`` widths of "M" side by side)."""
    if len(strings) < 2:
        return True
    if horizontal:
        # neighbours are centred on their ticks: half of each one's width faces the other
        widths = [metrics.horizontalAdvance(s) for s in strings]
        needed = max(a / 2 + b / 2 for a, b in zip(widths, widths[1:])) + gap_ems * metrics.horizontalAdvance("M")
    else:
        needed = metrics.height() * (1 + GAP_LINES)
    return spacing_px >= needed


class FittedAxis(pg.AxisItem):
    """An axis item whose tick labels keep apart at any font size and axis length."""

    # class defaults: pyqtgraph resizes the axis while it is still being built
    short_label = ""
    full_label = ""
    #: the gap between neighbouring labels along a horizontal axis, in widths of "M"
    gap_ems = GAP_EMS
    #: the most labels the axis shows (None: as many as keep apart); a map's axes show three: -1, 0, 1
    max_labels: int | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setStyle(maxTextLevel=0)

    def set_short_label(self, text: str) -> None:
        """Show ``text`` instead of the label while the label is longer than the axis."""
        self.short_label, self.full_label = text, self.labelText
        self._fit_label()

    def _fit_label(self) -> None:
        if not self.short_label or self.label is None or self.orientation not in ("left", "right"):
            return
        if self.labelText not in (self.full_label, self.short_label):
            self.full_label = self.labelText   # a new label was set since
        metrics = QtGui.QFontMetricsF(self.label.font())
        room = self.size().height()
        wanted = self.full_label if room <= 0 or metrics.horizontalAdvance(self.full_label) <= room else self.short_label
        if wanted != self.labelText:
            self.setLabel(wanted)

    def resizeEvent(self, ev=None):
        self._fit_label()
        super().resizeEvent(ev)

    def label_overhang(self) -> float:
        """How far a side axis's end labels reach past its ends: half a label's height."""
        return self.label_metrics().height() / 2 if self.orientation in ("left", "right") else 0.0

    def ink_overhang(self) -> float:
        """How far the ink of a side axis's end numbers reaches past its ends: half a line, less the room
        over a digit's top that every line keeps (the room a plot keeps above its data for its top number)."""
        if self.orientation not in ("left", "right"):
            return 0.0
        metrics = self.label_metrics()
        return metrics.height() / 2 - (metrics.ascent() - metrics.capHeight())

    def boundingRect(self):
        # pyqtgraph drops a label that leaves this rectangle, and with a grid it is the axis and the view
        # alone: a label centred on a tick near the top or bottom (accuracy's 0 and 1) was lost
        overhang = self.label_overhang()
        return super().boundingRect().adjusted(0, -overhang, 0, overhang)

    def label_metrics(self) -> QtGui.QFontMetricsF:
        """The metrics of the font the tick labels are drawn in."""
        font = self.style.get("tickFont")
        return QtGui.QFontMetricsF(font if font is not None else QtWidgets.QApplication.font())

    def tickSpacing(self, minVal, maxVal, size):
        levels = super().tickSpacing(minVal, maxVal, size)
        if self._tickSpacing is not None or not levels or size <= 0:
            return levels
        low, high = sorted((minVal, maxVal))
        span = high - low
        if span <= 0:
            return levels
        spacing = levels[0][0]
        metrics = self.label_metrics()
        horizontal = self.orientation in ("bottom", "top")
        scale = self.autoSIPrefixScale * self.scale
        widened = False
        for _ in range(MAX_WIDENINGS):
            first = math.ceil(low / spacing) * spacing
            count = int((high - first) / spacing + 1e-9) + 1
            values = [first + i * spacing for i in range(max(count, 0))]
            strings = self.tickStrings(values, scale, spacing)
            if labels_fit(values, strings, spacing / span * size, metrics, horizontal, self.gap_ems) \
                    and (self.max_labels is None or len(values) <= self.max_labels):
                break
            spacing = next_spacing(spacing)
            widened = True
        if not widened:
            return levels
        return [(spacing, 0), (minor_spacing(spacing), 0)]
