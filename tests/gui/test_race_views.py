"""The race's legend strip and decision boundaries, driven like a user: sizes, fonts, clicks, keys."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.gui.maps.boundary_grid import TITLE_SCALE_LIMIT, BoundaryGrid, grid_shape, title_point_size
from nngui.gui.maps.boundary_view import point_diameter
from nngui.model.pins import PinnedRun
from nngui.gui.window.projector import FONT_SCALE, LINE_SCALE, POINT_SCALE
from nngui.gui.qt import QtCore, QtWidgets
from nngui.gui.plots.run_legend import RunLegend
from nngui.gui.plots.run_styles import RUN_STYLES, RUN_WIDTH, pinned_style, run_styles
from nngui.gui.plots.run_styles import pen as run_pen
from nngui.engine import HistoryView

LABELS = ("SGD", "SGD + decay", "SGD + momentum 0.9")
LONG = ("SGD + momentum 0.9 (lr 1, decay 0.001, momentum 0.9)", "SGD + momentum 0.9 (lr 1, decay 0.01, momentum 0.9)",
        "SGD + momentum 0.9 (lr 0.5)", "SGD")
PIN_LABELS = ("SGD: lr 1 (epochs 0–499), lr 0.5 (from 500) · 2,000 epochs",
              "SGD + momentum 0.9: lr 1, decay 0.001, momentum 0.9 · 10,001 epochs")


def history(n):
    return HistoryView(*(np.linspace(1, 0, n) for _ in range(6)))


PINS = [PinnedRun(PIN_LABELS[0], history(2000), 0), PinnedRun(PIN_LABELS[1], history(10_001), 2)]



def settle():
    """Let Qt lay out what changed (as the event loop does before the next paint)."""
    for _ in range(3):
        QtCore.QCoreApplication.sendPostedEvents()
        QtWidgets.QApplication.processEvents()


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
    assert [e.objectName() for e in legend.entries()] == ["runLegendRun1", "runLegendKeyTrain", "runLegendKeyTest",
                                                          "runLegendKeyPlanned"]
    assert all(e.toolTip() and e.accessibleName() == e.text() for e in legend.entries())
    with pytest.raises(ValueError):
        legend.set_runs(LABELS, run_styles(2))


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


# ----- the decision boundaries

BOUNDS = (-1.0, 1.0, -1.0, 1.0)


def grid_with(shown, labels=LABELS, width=900, height=320):
    grid = shown(BoundaryGrid(), width, height)
    grid.set_runs(labels, run_styles(len(labels)))
    rng = np.random.default_rng(0)
    grid.set_data(rng.uniform(-1, 1, (30, 2)), np.arange(30) % 3, 3, BOUNDS)
    settle()
    return grid


def test_one_named_map_per_run_in_run_order(shown):
    grid = grid_with(shown, LONG)
    for i in range(4):
        view = grid.findChild(QtWidgets.QWidget, f"boundaryView{i + 1}")
        assert view is grid.view(i) and view.accessibleName() == f"boundaryView{i + 1}"
        assert view.isVisible() and LONG[i] in view.toolTip()
        assert len(view.scatter.points()) == 30  # the same data in every map
    grid.set_runs(LABELS[:2], run_styles(2))
    assert [v.objectName() for v in grid.views()] == ["boundaryView1", "boundaryView2"]
    assert not grid.view(2).isVisible() and not grid.view(3).isVisible()
    with pytest.raises(ValueError):
        grid.set_runs(LABELS * 2, run_styles(6))


def test_titles_say_the_name_and_accuracy_in_the_runs_colour(shown):
    grid = grid_with(shown)
    assert [grid.title(i) for i in range(3)] == list(LABELS)
    grid.set_accuracy(2, 0.957)
    grid.set_accuracy(0, 0.31234)
    grid.set_accuracy(1, 0.5, diverged=True)
    settle()
    assert [grid.title(i) for i in range(3)] == ["SGD · 31.2 %", "SGD + decay · diverged", "SGD + momentum 0.9 · 95.7 %"]
    for i, style in enumerate(run_styles(3)):
        title = grid.findChild(QtWidgets.QWidget, f"boundaryTitle{i + 1}")
        assert title.text_color().name() == style.color.lower()
        assert title.sample_pen().dashPattern() == list(style.dashes)
        assert title.isVisible() and title.shown_text().replace("\n", " · ") == grid.title(i)
        assert grid.view(i).accessibleDescription() == grid.title(i)
    grid.set_accuracy(2, None)
    assert grid.title(2) == "SGD + momentum 0.9"


def test_a_narrow_map_puts_its_accuracy_on_a_second_line_and_never_cuts_it(shown):
    grid = grid_with(shown, LONG, width=700, height=300)
    for i in range(4):
        grid.set_accuracy(i, 0.9)
    settle()
    titles = [grid.findChild(QtWidgets.QWidget, f"boundaryTitle{i + 1}") for i in range(4)]
    # all alike, so the maps stay level
    assert len({t.height() for t in titles}) == 1 and all(t.two_lines() for t in titles)
    assert all(t.shown_text().endswith("\n90.0 %") for t in titles)
    assert titles[0].is_elided() and titles[0].toolTip() == LONG[0] + " · 90.0 %"
    assert len({grid.view(i).mapTo(grid, QtCore.QPoint(0, 0)).y() for i in range(4)}) == 1
    # room enough: one line each
    grid.set_runs(LABELS, run_styles(3))
    for i in range(3):
        grid.set_accuracy(i, 0.9)
    grid.resize(1200, 400)
    settle()
    assert [t.shown_text() for t in titles[:3]] == [f"{label} · 90.0 %" for label in LABELS]
    assert len({t.height() for t in titles[:3]}) == 1 and not titles[0].two_lines()


def frame_color(grid, index):
    """The colour drawn in the middle of run ``index``'s cell's top border."""
    cell = grid.view(index).parentWidget()
    image = cell.grab().toImage()
    return image.pixelColor(cell.width() // 2, 1).name()


def test_clicking_a_map_selects_its_run_and_frames_it_in_its_colour(shown, qtbot):
    grid = grid_with(shown)
    styles = run_styles(3)
    grid.set_selected(0)
    assert frame_color(grid, 0) == styles[0].color.lower()
    with qtbot.waitSignal(grid.run_selected) as blocker:
        qtbot.mouseClick(grid.view(2), QtCore.Qt.MouseButton.LeftButton)
    assert blocker.args == [2] and grid.selected == 2
    assert frame_color(grid, 2) == styles[2].color.lower()
    assert frame_color(grid, 0) != styles[0].color.lower()
    # a click where a user's lands (the map's viewport), and the keyboard, select too
    with qtbot.waitSignal(grid.run_selected) as blocker:
        qtbot.mouseClick(grid.view(1).viewport(), QtCore.Qt.MouseButton.LeftButton)
    assert blocker.args == [1]
    grid.view(0).setFocus()
    with qtbot.waitSignal(grid.run_selected) as blocker:
        qtbot.keyClick(grid.view(0), QtCore.Qt.Key.Key_Space)
    assert blocker.args == [0] and frame_color(grid, 0) == styles[0].color.lower()
    # a selection made elsewhere is shown without a signal
    with qtbot.assertNotEmitted(grid.run_selected):
        grid.set_selected(1)
    assert frame_color(grid, 1) == styles[1].color.lower()


def test_one_run_has_no_selection_frame(shown):
    grid = grid_with(shown, LABELS[:1])
    assert grid.view(0).isVisible() and frame_color(grid, 0) != RUN_STYLES[0].color.lower()


def test_each_map_takes_its_own_probabilities(shown):
    grid = grid_with(shown)
    grid.set_probabilities(1, np.full((20, 20, 3), 1 / 3, np.float32))
    assert grid.view(1).image.isVisible() and grid.view(1).image.image.shape == (20, 20, 3)
    assert grid.view(0).image.image is None
    grid.clear_probabilities(1)
    assert not grid.view(1).image.isVisible()


def cell_positions(grid):
    return [grid.view(i).mapTo(grid, QtCore.QPoint(0, 0)) for i in range(len(grid.labels))]


@pytest.mark.parametrize("runs", [3, 4])
def test_wide_area_a_row_square_area_two_rows(shown, runs):
    grid = grid_with(shown, LONG[:runs], width=1400, height=350)
    assert grid.shape == (1, runs)
    points = cell_positions(grid)
    assert len({p.y() for p in points}) == 1 and [p.x() for p in points] == sorted(p.x() for p in points)
    grid.resize(700, 700)
    settle()
    assert grid.shape == (2, 2)
    points = cell_positions(grid)
    assert len({p.y() for p in points}) == 2
    assert points[0].y() == points[1].y() < points[2].y()
    if runs == 3:
        # the third map sits centred under the first two
        middle = grid.width() / 2
        centre = points[2].x() + grid.view(2).width() / 2
        assert abs(centre - middle) < 20
    grid.resize(1400, 350)
    settle()
    assert grid.shape == (1, runs)


def test_two_runs_sit_side_by_side_even_in_a_tall_area(shown):
    grid = grid_with(shown, LABELS[:2], width=400, height=900)
    assert grid.shape == (1, 2)
    assert grid_shape(1, 100, 900) == (1, 1)
    assert grid_shape(4, 1000, 1000) == (2, 2) and grid_shape(4, 2000, 400) == (1, 4)


def test_the_grid_asks_the_same_room_whichever_shape_it_has(shown):
    grid = grid_with(shown, LONG, width=1400, height=350)
    wide = (grid.minimumSizeHint(), grid.sizeHint())
    grid.resize(700, 700)
    settle()
    assert grid.shape == (2, 2) and (grid.minimumSizeHint(), grid.sizeHint()) == wide


def test_projector_scale_reaches_every_map_and_title(shown):
    grid = grid_with(shown)
    title = grid.findChild(QtWidgets.QWidget, "boundaryTitle1")
    size = title.font().pointSizeF()
    grid.set_scale(FONT_SCALE, POINT_SCALE)
    # (titles grow with the text up to 1.25×: 15 pt, three names a row at 1024 pixels)
    assert title.font().pointSizeF() == pytest.approx(size * TITLE_SCALE_LIMIT) == pytest.approx(title_point_size(FONT_SCALE))
    for view in grid.views():
        assert view.point_scale == POINT_SCALE and view.text_scale == FONT_SCALE
        assert view.point_size == pytest.approx(point_diameter(min(view.data_pixels()), POINT_SCALE))
    grid.set_runs(LONG, run_styles(4))  # a map made after the scale was set takes it too
    assert grid.view(3).point_scale == POINT_SCALE
    assert grid.view(3).point_size == pytest.approx(point_diameter(min(grid.view(3).data_pixels()), POINT_SCALE))
    assert len(grid.view(3).scatter.points()) == 30


def test_the_maps_give_their_axes_room_to_the_data_and_keep_it_whole(shown):
    grid = grid_with(shown, width=900, height=420)
    view = grid.view(0)
    item = view.getPlotItem()
    # normal text: three numbers an axis, no names (the tooltip says the plane is x1 across, x2 up)
    assert "x1 across, x2 up" in view.toolTip()
    for side in ("left", "bottom"):
        assert item.getAxis(side).isVisible() and not item.getAxis(side).label.isVisible(), side
    assert not view.framed() and view.view_box.border.style() == QtCore.Qt.PenStyle.NoPen
    before = view.data_pixels()
    # projector mode: a framed picture, all its room the data's
    grid.set_scale(FONT_SCALE, POINT_SCALE)
    settle()
    assert not item.getAxis("left").isVisible() and not item.getAxis("bottom").isVisible()
    assert view.framed() and view.view_box.border.style() == QtCore.Qt.PenStyle.SolidLine
    assert view.view_box.border.widthF() >= 1
    box = view.view_box.geometry()
    assert view.width() - box.width() <= 4 or view.height() - box.height() <= 4   # one side touches the widget
    assert min(view.data_pixels()) > min(before)
    grid.set_scale(1.0, 1.0)
    settle()
    assert item.getAxis("left").isVisible() and item.getAxis("bottom").isVisible()
    assert not view.framed() and view.view_box.border.style() == QtCore.Qt.PenStyle.NoPen
    assert view.data_pixels() == pytest.approx(before, abs=0.5)


def test_maps_with_locked_aspect_settle_instead_of_resizing_forever(shown, projector_font, monkeypatch):
    """A narrower tick label widens an aspect-locked map, which changes its ticks again: it must settle.

    At this size and font the maps used to swap between two widths forever, freezing the window.
    """
    from nngui.engine import Experiment, Trainer
    from nngui.gui.qt import pg

    resizes = []
    original = pg.ViewBox.resizeEvent

    def counted(view_box, event):
        resizes.append(event.newSize())
        if len(resizes) < 500:  # past that it loops: stop it, so the test fails instead of hanging
            original(view_box, event)

    monkeypatch.setattr(pg.ViewBox, "resizeEvent", counted)
    projector_font()
    trainer = Trainer(Experiment(book=True))
    grid = shown(BoundaryGrid(), 600, 300)
    grid.set_runs(LABELS, run_styles(3))
    grid.set_scale(FONT_SCALE, POINT_SCALE)
    grid.set_data(trainer.X, trainer.y, 3, trainer.data_bounds())
    for i in range(3):
        grid.set_accuracy(i, 0.647)
    settle()
    resizes.clear()
    grid.resize(600, 340)
    settle()
    assert len(resizes) < 50
