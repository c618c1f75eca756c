"""How each run of a race is drawn: a colour **and** a line style, so runs stay apart in greyscale too.

Run 1 … 4 take four dark, saturated colours (Paul Tol's "muted" indigo, wine and green, and a
violet) that stay at least ~4.5:1 against white for a washed-out projector, stay apart under
protanopia, deuteranopia and tritanopia, and are none of the class colours the decision
boundary paints with (theme.py). Each also has its own dash pattern — solid, dashed, dotted,
dash-dot — so a greyscale printout or a student who cannot tell the colours apart still can.

A pinned run (a finished run kept for reference) is drawn in dark grey with its own run's
dash pattern, thinner than the live runs and beneath them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from nngui.gui.window import themes
from nngui.gui.qt import QtCore, QtGui

#: A live run's curve width in pixels; its dots and dashes are drawn at this width (×1.5 on a projector).
RUN_WIDTH = 2.0
#: A pinned run's curve: thinner than the live ones.
PIN_WIDTH = 1.5


@dataclass(frozen=True)
class RunStyle:
    """A run's colour, dash pattern and how to say them.

    ``dashes`` is a Qt dash pattern in units of the pen width (dash, gap, dash, gap, …);
    empty for a solid line; ``name`` says it (``dashed``). ``symbol`` marks the run's test
    curve (a pyqtgraph symbol); ``color_name`` says the colour in a tooltip.
    """

    color: str
    dashes: tuple[float, ...]
    name: str
    symbol: str = "o"
    color_name: str = ""

    def describe(self) -> str:
        """``wine, dashed line``: how a person tells this run's curves apart."""
        return f"{self.color_name}, {self.name} line" if self.color_name else f"{self.name} line"


RUN_STYLES = (
    RunStyle("#332288", (), "solid", "o", "indigo"),
    RunStyle("#882255", (5.0, 2.5), "dashed", "s", "wine"),
    RunStyle("#117733", (1.0, 1.6), "dotted", "t", "green"),
    RunStyle("#B010E0", (5.0, 2.0, 1.0, 2.0), "dash-dot", "d", "violet"),
)


def run_style(index: int) -> RunStyle:
    """The style of run ``index`` (0-based, in race order); repeats past four. Its colour is the current theme's."""
    style = RUN_STYLES[index % len(RUN_STYLES)]
    color = themes.current().run_colors[index % len(RUN_STYLES)]
    return style if color == style.color else replace(style, color=color)


def run_styles(count: int) -> tuple[RunStyle, ...]:
    """The styles of a race of ``count`` runs."""
    return tuple(run_style(i) for i in range(count))


def pinned_style(style_index: int, pin_number: int = 0) -> RunStyle:
    """A pinned run's style: dark grey with the dash pattern of run ``style_index``.

    ``pin_number`` (the pin's place among the pins shown) alternates two greys, so two
    pins of runs that shared a dash pattern still differ.
    """
    style = run_style(style_index)
    greys = themes.current().pin_colors
    return RunStyle(greys[pin_number % len(greys)], style.dashes, style.name, style.symbol,
                    "grey" if pin_number % len(greys) == 0 else "lighter grey")


def lightened(color: str, amount: float, toward: str | None = None) -> QtGui.QColor:
    """``color`` mixed with the plot background (white in the light theme): ``amount`` 0 keeps it, 1 is the background.

    Opaque on purpose: Qt strokes a long translucent path many times slower than an opaque one.
    """
    c = QtGui.QColor(color)
    if not amount:
        return c
    b = QtGui.QColor(toward or themes.current().plot_background)
    mix = lambda v, w: round(v + amount * (w - v))  # noqa: E731
    return QtGui.QColor(mix(c.red(), b.red()), mix(c.green(), b.green()), mix(c.blue(), b.blue()))


def pen(style: RunStyle, width: float = RUN_WIDTH, scale: float = 1.0, *, lighten: float = 0.0) -> QtGui.QPen:
    """A cosmetic pen for ``style`` at ``width × scale`` pixels, ``lighten`` of the way to the background
    (as much of it as the theme's ``fade`` keeps).

    Dashes and dots are measured in pen widths, so a thicker pen (projector mode) keeps
    the pattern's look at a larger size. Flat caps keep the dots and gaps the pattern says.
    """
    result = QtGui.QPen(lightened(style.color, lighten * themes.current().fade))
    result.setWidthF(width * scale)
    result.setCosmetic(True)
    if style.dashes:
        result.setDashPattern(list(style.dashes))
        result.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
    return result


#: The size of a run's swatch in lists (a line sample in its colour and dash pattern).
SWATCH_SIZE = (28, 14)


def run_icon(index: int) -> QtGui.QIcon:
    """A small line sample of run ``index``: its colour and dash pattern, as the plots draw it."""
    width, height = SWATCH_SIZE
    pixmap = QtGui.QPixmap(width * 2, height * 2)   # drawn at twice the size: sharp on high-DPI screens
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(QtCore.Qt.GlobalColor.transparent)
    painter = QtGui.QPainter(pixmap)
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    painter.setPen(pen(run_style(index), RUN_WIDTH, 1.25))
    painter.drawLine(QtCore.QPointF(1, height / 2), QtCore.QPointF(width - 1, height / 2))
    painter.end()
    return QtGui.QIcon(pixmap)
