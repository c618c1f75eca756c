"""The race's legend strip, driven like a user: sizes, fonts, clicks, keys."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.gui.pins import PinnedRun
from nngui.gui.projector import FONT_SCALE, LINE_SCALE
from nngui.gui.qt import QtCore, QtGui, QtWidgets
from nngui.gui.run_legend import RunLegend
from nngui.gui.run_styles import RUN_STYLES, RUN_WIDTH, pinned_style, run_styles
from nngui.gui.run_styles import pen as run_pen
from nngui.engine import HistoryView

LABELS = ("SGD", "SGD + decay", "SGD + momentum 0.9")
LONG = ("SGD + momentum 0.9 (lr 1, decay 0.001, momentum 0.9)", "SGD + momentum 0.9 (lr 1, decay 0.01, momentum 0.9)",
        "SGD + momentum 0.9 (lr 0.5)", "SGD")
PIN_LABELS = ("SGD: lr 1 (epochs 0–499), lr 0.5 (from 500) · 2,000 epochs",
              "SGD + momentum 0.9: lr 1, decay 0.001, momentum 0.9 · 10,001 epochs")


def history(n):
    return HistoryView(*(np.linspace(1, 0, n) for _ in range(6)))


PINS = [PinnedRun(PIN_LABELS[0], history(2000), 0), PinnedRun(PIN_LABELS[1], history(10_001), 2)]


@pytest.fixture
def shown(qtbot):
    def show(widget, width=480, height=360):
        qtbot.addWidget(widget)
        widget.resize(width, height)
        widget.show()
        qtbot.waitExposed(widget)
        return widget
    return show


def settle():
    """Let Qt lay out what changed (as the event loop does before the next paint)."""
    for _ in range(3):
        QtCore.QCoreApplication.sendPostedEvents()
        QtWidgets.QApplication.processEvents()


@pytest.fixture
def projector_font():
    """The application's font as projector mode makes it, then as it was."""
    app = QtWidgets.QApplication.instance()
    normal = QtGui.QFont(app.font())

    def enlarge():
        font = QtGui.QFont(normal)
        font.setPointSizeF(normal.pointSizeF() * FONT_SCALE)
        app.setFont(font)
        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.ApplicationFontChange)
    yield enlarge
    app.setFont(normal)
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.ApplicationFontChange)


# ----- the legend strip

def test_the_legend_names_every_run_with_its_line_then_the_pins(shown):
    legend = shown(RunLegend(), 900, 80)
    assert legend.objectName() == "runLegend" and legend.accessibleName() and legend.toolTip()
    legend.set_runs(LABELS, run_styles(3))
    legend.set_pins(PINS)
    legend.set_key(test=False)
    assert legend.names() == [*LABELS, *PIN_LABELS, "planned learning rate"]
    entries = legend.entries()
    for entry, style in zip(entries[:3], RUN_STYLES):
        pen = entry.sample_pen()
        expected = run_pen(style, RUN_WIDTH)
        assert (pen.color(), pen.widthF(), list(pen.dashPattern())) == (
            expected.color(), expected.widthF(), list(expected.dashPattern()))
        assert entry.text_color().name() == style.color.lower()
        assert entry.isVisible() and entry.toolTip().startswith(f"Run {entries.index(entry) + 1}: {entry.text()}")
    for entry, pin, number in zip(entries[3:5], PINS, range(2)):
        assert entry.sample_pen().color().name() == pinned_style(pin.style_index, number).color.lower()
        assert entry.sample_pen().dashPattern() == list(RUN_STYLES[pin.style_index].dashes)
        assert entry.font().italic() and "Pinned" in entry.toolTip()
    # a split brings the key to test curves; unpinning removes the pins' names
    legend.set_key(test=True)
    legend.set_pins(())
    assert legend.names() == [*LABELS, "train", "test", "planned learning rate"]
    legend.set_runs(LABELS[:1], run_styles(1))
    assert legend.names()[0] == "SGD" and len(legend.entries()) == 4


def entry_rects(legend):
    settle()
    return [entry.geometry() for entry in legend.entries()]


def assert_fits(legend, max_rows):
    rects = entry_rects(legend)
    inside = legend.rect()
    for rect in rects:
        assert inside.contains(rect), (rect, inside)
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.intersects(b), (a, b)
    rows = sorted({rect.y() for rect in rects})
    assert len(rows) <= max_rows
    # every entry is drawn at its full height (nothing clipped at the bottom)
    assert max(rect.bottom() for rect in rects) <= legend.height()
    return rows


@pytest.mark.parametrize("projector", [False, True])
@pytest.mark.parametrize("width", [700, 1000])
def test_four_long_runs_and_two_pins_fit_beside_the_panels_at_1024_pixels(qtbot, shown, projector_font,
                                                                          projector, width):
    if projector:
        projector_font()
    holder = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(holder)
    legend = RunLegend()
    layout.addWidget(legend)
    layout.addStretch(1)
    legend.set_runs(LONG, run_styles(4))
    legend.set_pins(PINS)
    legend.set_key(test=True)
    if projector:
        legend.set_scale(FONT_SCALE, LINE_SCALE)
    shown(holder, width, 400)
    assert_fits(legend, 3)
    for entry in legend.entries():
        # what is elided is said whole in the tooltip; the key is never cut
        assert entry.toolTip() and (not entry.is_elided() or entry.text() in entry.toolTip()
                                    or entry.toolTip().startswith(("Run", "Pinned")))
        if entry.text() in ("train", "test", "planned learning rate"):
            assert not entry.is_elided()
    # twins keep the end of their names, where they differ (at the projector's size on 700 pixels,
    # only the tooltips can say the whole of such long twins' names)
    first, second = (entry.shown_text() for entry in legend.entries()[:2])
    if not (projector and width < 1000):
        assert first != second and "0.001" in first and "0.01," in second


def test_a_narrow_legend_wraps_onto_a_second_line(shown):
    legend = shown(RunLegend(), 1000, 60)
    legend.set_runs(LABELS, run_styles(3))
    legend.set_key(test=True)
    assert len(assert_fits(legend, 1)) == 1
    legend.resize(330, 60)
    rows = assert_fits(legend, 3)
    assert len(rows) == 2 or len(rows) == 3
    assert not any(entry.is_elided() for entry in legend.entries())
    assert legend.heightForWidth(330) > legend.heightForWidth(1000)


def test_legend_samples_follow_projector_scale(shown):
    legend = shown(RunLegend(), 800, 60)
    legend.set_runs(LABELS, run_styles(3))
    normal = legend.entries()[1].sample_pen().widthF()
    width = legend.entries()[1].sizeHint().width()
    legend.set_scale(FONT_SCALE, LINE_SCALE)
    assert legend.entries()[1].sample_pen().widthF() == normal * LINE_SCALE
    assert legend.entries()[1].sizeHint().width() > width
    legend.set_scale(1.0, 1.0)
    assert legend.entries()[1].sizeHint().width() == width
