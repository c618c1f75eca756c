"""The race's decision boundaries: one live map per run, side by side, each titled with its run's name and accuracy.

Two runs sit in a row; three or four take a row when the area is wide and two rows when it
is closer to square — whichever gives each map more room. Clicking a map selects its run
(the network drawing and the status line follow it); a frame in the run's colour shows which.
"""

from __future__ import annotations

import math
from functools import partial

from nngui.engine.experiment import MAX_RUNS

from .boundary_view import BoundaryView
from nngui.gui.plots.plots import TITLE_POINT_SIZE
from nngui.gui.qt import FOREGROUND, QtCore, QtGui, QtWidgets
from nngui.gui.plots.run_label import RunLabel
from nngui.gui.plots.run_styles import RUN_WIDTH, RunStyle
from nngui.gui.plots.run_styles import pen as run_pen

#: The selection frame's width in pixels (unselected maps keep a clear frame as wide, so nothing moves).
FRAME_WIDTH = 3
#: The most the maps' titles grow with the text (projector mode's 1.6×): at 1.25× (15 pt, bold, the size of
#: the status line) three names fit their maps' width at 1024 pixels, the accuracy on a second line.
TITLE_SCALE_LIMIT = 1.25
#: The line sample before a map's title (shorter than the legend's: a map's width is precious).
TITLE_SAMPLE_LENGTH = 26
#: The widest things after a name: the title's layout is decided with them, so numbers never flip it.
WIDEST_SUFFIXES = (" · 100.0 %", " · diverged")
#: What a map's axes take from its cell, in pixels, when choosing between a row and two rows.
AXES_ROOM = 45
SELECT_KEYS = (QtCore.Qt.Key.Key_Space, QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter)
GRID_TIP = "One decision boundary per run, all on the same data. Click one to follow that run."


def grid_shape(runs: int, width: float, height: float, title_height=0,
               axes: tuple[float, float] = (AXES_ROOM, AXES_ROOM)) -> tuple[int, int]:
    """``(rows, columns)`` for ``runs`` maps in a ``width`` × ``height`` area: the shape with the larger maps.

    One or two runs: a row. Three or four: a row, or two rows of two (a tie keeps the row).
    ``title_height`` is a title's height, or a function of the columns giving it (a narrower
    map's title may take more lines); ``axes`` is what a map's axes (and frame) take of its
    cell's width and height. Only the area decides (never the shape in use), so the choice
    cannot feed on itself.
    """
    if runs <= 2:
        return 1, max(runs, 1)
    titles = title_height if callable(title_height) else (lambda columns: title_height)

    def side(rows, columns):
        return min(width / columns - axes[0], height / rows - titles(columns) - axes[1])

    row, square = (1, runs), (2, 2)
    return square if side(*square) > side(*row) else row


def title_suffix(accuracy: float | None, diverged: bool = False) -> str:
    """What follows a map's name: `` · 95.7 %``, `` · diverged``, or nothing before any epoch."""
    if diverged:
        return " · diverged"
    if accuracy is None or not math.isfinite(accuracy):
        return ""
    return f" · {accuracy * 100:.1f} %"


def title_point_size(text_scale: float) -> float:
    """A map's title's size in points at ``text_scale``: it grows with the text, up to ``TITLE_SCALE_LIMIT``."""
    return TITLE_POINT_SIZE * min(text_scale, max(TITLE_SCALE_LIMIT, 1.0))


def title_text(label: str, accuracy: float | None, diverged: bool = False) -> str:
    """A map's title: ``SGD + momentum 0.9 · 95.7 %``, ``SGD · diverged``, or the name alone before any epoch."""
    return label + title_suffix(accuracy, diverged)


class _Cell(QtWidgets.QFrame):
    """One run's title above its map, inside the frame that shows the selection."""

    def __init__(self, number: int, parent=None):
        super().__init__(parent)
        self.setObjectName(f"boundaryCell{number}")
        # a name is long when it carries the numbers that tell twins apart: it keeps its end
        self.title = RunLabel("", None, self, sample_length=TITLE_SAMPLE_LENGTH, wrap=True,
                              elide=QtCore.Qt.TextElideMode.ElideLeft)
        self.title.setObjectName(f"boundaryTitle{number}")
        self.view = BoundaryView(self, title=None)
        # every map shows the same plane: the tooltip names its axes, and at projector sizes the maps are
        # framed pictures without numbers (a class reads the boundaries' shapes); their room is the data's
        self.view.set_axes(names=False, numbers_at_large_text=False)
        name = f"boundaryView{number}"
        self.view.setObjectName(name)
        self.view.setAccessibleName(name)
        self.base_tip = self.view.toolTip()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(FRAME_WIDTH + 1, FRAME_WIDTH, FRAME_WIDTH + 1, FRAME_WIDTH + 1)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        self.set_frame(None)

    def set_frame(self, color: str | None) -> None:
        """A frame in ``color`` (selected), or a clear one as wide."""
        border = color or "transparent"
        self.setStyleSheet(f"QFrame#{self.objectName()} {{ border: {FRAME_WIDTH}px solid {border}; "
                           "border-radius: 5px; }")


class BoundaryGrid(QtWidgets.QWidget):
    """1 to 4 ``BoundaryView``s named ``boundaryView1`` … in run order, made once and reused.

    ``run_selected(index)`` is emitted when the user clicks a map (or presses Space or
    Enter on it); ``set_selected`` shows a selection made elsewhere.
    """

    run_selected = QtCore.Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("boundaryGrid")
        self.setAccessibleName("boundaryGrid")
        self.setToolTip(GRID_TIP)
        self._grid = QtWidgets.QGridLayout(self)
        # the grid's size must not depend on the shape in use (see minimumSizeHint): the layout imposes none
        self._grid.setSizeConstraint(QtWidgets.QLayout.SizeConstraint.SetNoConstraint)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(2)
        self._cells: list[_Cell] = []
        self.labels: tuple[str, ...] = ()
        self.styles: tuple[RunStyle, ...] = ()
        self.selected = 0
        self.shape = (0, 0)
        self.text_scale = self.point_scale = 1.0
        self.minimum_shape: tuple[int, int] | None = None
        self._data_minimum: int | None = None
        self._titles: list[tuple[float | None, bool]] = []
        self._data = None
        self.set_runs(("",), (RunStyle(FOREGROUND, (), "solid"),))

    # --- runs -----------------------------------------------------------------------------

    def set_runs(self, labels, styles) -> None:
        """Show one map per run, titled ``labels[i]`` in ``styles[i]``'s colour with its line sample.

        Maps are made on first need and kept; a new race empties their probability maps.
        """
        labels, styles = tuple(labels), tuple(styles)
        if not 1 <= len(labels) <= MAX_RUNS or len(labels) != len(styles):
            raise ValueError(f"1 to {MAX_RUNS} runs with a style each, got {len(labels)} names, {len(styles)} styles")
        while len(self._cells) < len(labels):
            self._cells.append(self._make_cell(len(self._cells) + 1))
        self.labels, self.styles = labels, styles
        self._titles = [(None, False)] * len(labels)
        # every title decides alike whether the accuracy needs a line of its own: the maps stay level
        metrics = self._cells[0].title.fontMetrics()
        longest = max((label + suffix for label in labels for suffix in WIDEST_SUFFIXES),
                      key=metrics.horizontalAdvance)
        for cell in self._cells:
            cell.title.set_fit_text(longest)
        for i, cell in enumerate(self._cells):
            cell.setVisible(i < len(labels))
            cell.view.clear_probabilities()
            if i < len(labels):
                style = styles[i]
                cell.title.set_look(partial(run_pen, style, RUN_WIDTH), style.color)
                cell.view.setToolTip(f"{labels[i]}: {cell.base_tip} Click to follow this run in the network "
                                     "drawing and the status line.")
                self._show_title(i)
        self.selected = min(self.selected, len(labels) - 1)
        self._show_selection()
        self._place(force=True)

    def _make_cell(self, number: int) -> _Cell:
        cell = _Cell(number, self)
        font = QtGui.QFont(cell.title.font())
        font.setBold(True)
        font.setPointSizeF(title_point_size(self.text_scale))
        cell.title.setFont(font)
        cell.title.set_scale(self.text_scale, self.point_scale)
        cell.view.set_scale(self.text_scale, self.point_scale, self.data_minimum)
        if self._data is not None:
            cell.view.set_data(*self._data)
        for target in (cell.view, cell.view.viewport()):
            target.installEventFilter(self)
        return cell

    def set_data(self, X, y, n_classes: int, bounds, test_mask=None) -> None:
        """The same points in every map (see ``BoundaryView.set_data``)."""
        self._data = (X, y, n_classes, bounds, test_mask)
        for cell in self._cells:
            cell.view.set_data(*self._data)

    def set_probabilities(self, index: int, probabilities) -> None:
        """Colour run ``index``'s map by its probability grid."""
        self._cells[index].view.set_probabilities(probabilities)

    def clear_probabilities(self, index: int) -> None:
        """Hide run ``index``'s probability map (a diverged run), leaving the points."""
        self._cells[index].view.clear_probabilities()

    def set_accuracy(self, index: int, accuracy: float | None, diverged: bool = False) -> None:
        """Title run ``index``'s map with its accuracy (0 … 1; None: none yet), or say it diverged."""
        self._titles[index] = (accuracy, diverged)
        self._show_title(index)

    def _show_title(self, index: int) -> None:
        cell = self._cells[index]
        cell.title.set_text(self.labels[index], title_suffix(*self._titles[index]))
        cell.view.setAccessibleDescription(cell.title.text())

    # --- selection ------------------------------------------------------------------------

    def set_selected(self, index: int) -> None:
        """Show run ``index`` as the selected one (a frame in its colour; the others plain)."""
        if not 0 <= index < len(self.labels):
            raise IndexError(f"run {index} of {len(self.labels)}")
        self.selected = index
        self._show_selection()

    def _show_selection(self) -> None:
        many = len(self.labels) > 1  # one run: nothing to choose between
        for i, cell in enumerate(self._cells[:len(self.labels)]):
            cell.set_frame(self.styles[i].color if many and i == self.selected else None)

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind == QtCore.QEvent.Type.MouseButtonPress and event.button() == QtCore.Qt.MouseButton.LeftButton:
            self._select_by_user(watched)
        elif kind == QtCore.QEvent.Type.KeyPress and event.key() in SELECT_KEYS:
            self._select_by_user(watched)
        # never consumed: the map still pans, zooms and resets on double-click
        return False

    def _select_by_user(self, watched) -> None:
        for i, cell in enumerate(self._cells[:len(self.labels)]):
            if watched is cell.view or watched is cell.view.viewport():
                self.set_selected(i)
                self.run_selected.emit(i)
                return

    # --- access ---------------------------------------------------------------------------

    def view(self, index: int) -> BoundaryView:
        """Run ``index``'s map."""
        return self._cells[index].view

    def views(self) -> list[BoundaryView]:
        """The maps shown, in run order."""
        return [cell.view for cell in self._cells[:len(self.labels)]]

    def title(self, index: int) -> str:
        """Run ``index``'s title, whole (the map may show it elided)."""
        return self._cells[index].title.text()

    # --- size -----------------------------------------------------------------------------

    def set_scale(self, text_scale: float, point_scale: float) -> None:
        """Titles and axes at ``text_scale``, points (and title line samples) at ``point_scale``.

        The maps then ask (size hint) for their data ``DATA_MINIMUM`` pixels a side at normal text,
        ``PROJECTOR_DATA_MINIMUM`` at larger text; ``set_data_minimum`` makes that a least size.
        """
        self.text_scale, self.point_scale = text_scale, point_scale
        for cell in self._cells:
            font = QtGui.QFont(cell.title.font())
            font.setPointSizeF(title_point_size(text_scale))
            cell.title.setFont(font)
            cell.title.set_scale(text_scale, point_scale)
            cell.view.set_scale(text_scale, point_scale, self.data_minimum)
        self.updateGeometry()
        self._place(force=True)

    @property
    def data_minimum(self) -> int | None:
        """The data's least side on screen, in pixels, that each map keeps (None: ``DATA_FLOOR``)."""
        return self._data_minimum

    def set_data_minimum(self, pixels: int | None) -> None:
        """Keep at least ``pixels`` of data a side in each map (e.g. ``DATA_MINIMUM``,
        ``PROJECTOR_DATA_MINIMUM``; None: ``DATA_FLOOR``)."""
        self._data_minimum = None if pixels is None else int(pixels)
        for cell in self._cells:
            cell.view.set_scale(self.text_scale, self.point_scale, self.data_minimum)
        self.updateGeometry()
        self._place(force=True)

    def _title_height(self) -> int:
        return max((cell.title.height() for cell in self._cells[:len(self.labels)]), default=0)

    def _title_height_for(self, columns: int) -> int:
        """A title's height when the maps stand ``columns`` to a row across the grid's width."""
        width = round((self.width() - (columns - 1) * self._grid.spacing()) / columns - self._title_frame())
        return max((c.title.height_at(width) for c in self._cells[:len(self.labels)]), default=0)

    def one_line_title_width(self) -> int:
        """The least width of a map's cell (frame included) at which every title takes one line."""
        return max((c.title.one_line_width() for c in self._cells[:len(self.labels)]), default=0) + self._title_frame()

    def _title_frame(self) -> int:
        # what a cell's frame and margins take of its width beside its title
        cell = self._cells[0]
        return cell.width() - cell.title.width() if cell.title.width() > 0 else 2 * (FRAME_WIDTH + 4)

    def cell_minimum(self, data_side: float | None = None) -> QtCore.QSize:
        """The room for one map with its title and frame, its data ``data_side`` pixels a side (None: its least)."""
        cell = self._cells[0]
        least = cell.minimumSizeHint()   # the frame, the margins, the title and the map at its least
        if data_side is None:
            return least
        return least + cell.view.size_for_data(data_side) - cell.view.minimumSizeHint()

    def minimum_shapes(self) -> list[tuple[int, int]]:
        """The shapes the maps may take: a row, and for three or four runs also two rows of two."""
        n = len(self.labels)
        return [(1, n)] if n <= 2 else [(1, n), (2, 2)]

    def minimum_size(self, shape: tuple[int, int], data_side: float | None = None) -> QtCore.QSize:
        """The room for the maps laid out as ``shape`` (rows, columns), each with its data ``data_side``
        pixels a side (None: the least, ``data_minimum``)."""
        rows, columns = shape
        cell, spacing = self.cell_minimum(data_side), self._grid.spacing()
        return QtCore.QSize(columns * cell.width() + (columns - 1) * spacing, rows * cell.height() + (rows - 1) * spacing)

    def set_minimum_shape(self, shape: tuple[int, int] | None) -> None:
        """Ask the layout for room for ``shape`` (None: the narrowest shape)."""
        self.minimum_shape = shape
        self.updateGeometry()

    def minimumSizeHint(self) -> QtCore.QSize:
        """Room for every map at its least size in one shape, the same whichever is in use.

        The grid shows a row or two rows, whichever gives larger maps: in any area at least this
        large, the shape it picks fits too, so no map is ever cut.
        """
        return self._least(None)

    def sizeHint(self) -> QtCore.QSize:
        """Room for every map with its data ``data_target`` pixels a side (160 normally, 260 at projector sizes)."""
        return self._least(self._cells[0].view.data_target)

    def _least(self, data_side) -> QtCore.QSize:
        shapes = self.minimum_shapes()
        if self.minimum_shape in shapes:
            return self.minimum_size(self.minimum_shape, data_side)
        # the narrowest (two rows for three or four): beside the plots, width is what a screen lacks
        sizes = [self.minimum_size(shape, data_side) for shape in shapes]
        return min(sizes, key=lambda size: (size.width(), size.height()))

    def _shape_at(self, width: int, height: int) -> tuple[int, int]:
        """The shape the maps take in a ``width`` × ``height`` area: a row or two rows, whichever gives larger maps."""
        cell, view = self.cell_minimum(), self._cells[0].view
        side = min(view.data_minimum / max(share, 0.1) for share in view.data_share)  # the view box's least side
        # the cell's room beside the data's box: the same sum the least size was made of
        axes = (cell.width() - side, cell.height() - self._title_height() - side)
        return grid_shape(len(self.labels), width, height, self._title_height_for, axes)

    def height_for(self, width: int, height: int) -> int:
        """The height the maps use of a ``width`` × ``height`` area: all of it where they are as large as its
        height lets them be, less where its width holds them smaller (equal units keep their shape)."""
        shape = self._shape_at(width, height)
        return min(height, self.minimum_size(shape, self.data_side_for(shape, width=width)).height())

    def data_side_for(self, shape: tuple[int, int], width: float | None = None, height: float | None = None) -> float:
        """The data's side at which the maps laid out as ``shape`` take exactly ``width`` (or ``height``)
        pixels: their room grows linearly with it (``minimum_size``)."""
        room, along = (width, QtCore.QSize.width) if width is not None else (height, QtCore.QSize.height)
        low, high = (along(self.minimum_size(shape, side)) for side in (100, 200))
        return max(100 + (room - low) * 100 / max(high - low, 1), 1)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place()

    def _place(self, force: bool = False) -> None:
        """Lay the maps out as a row or two rows, whichever gives them more room at this size."""
        n = len(self.labels)
        shape = self._shape_at(self.width(), self.height())
        if shape == self.shape and not force:
            return
        self.shape = rows, columns = shape
        grid = self._grid
        for cell in self._cells:
            grid.removeWidget(cell)
        for column in range(grid.columnCount()):
            grid.setColumnStretch(column, 0)
        for row in range(grid.rowCount()):
            grid.setRowStretch(row, 0)
        # two grid columns per map, so an odd one out in the last row can sit centred
        for i, cell in enumerate(self._cells[:n]):
            row, column = divmod(i, columns)
            in_row = min(columns, n - row * columns)
            offset = columns - in_row
            grid.addWidget(cell, row, 2 * column + offset, 1, 2)
        for column in range(2 * columns):
            grid.setColumnStretch(column, 1)
        for row in range(rows):
            grid.setRowStretch(row, 1)
