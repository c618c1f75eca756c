"""Painting the class's own points on the decision-boundary maps.

With Paint on (``paintAction``), on any map: a click adds a point of the class chosen in
``paintClassCombo``, a drag paints a stroke of them (one point every ``STROKE_SPACING_PX``
pixels, shown as it is drawn and added as one edit when the button is released), and a
right-click removes the point nearest to it (within ``REMOVE_RADIUS_PX``). Every edit goes
through the model, so the points become the data set (``custom``), the race starts again
from epoch 0, and Undo (Ctrl+Z) takes a stroke back. With Paint off a click selects a run
as before.
"""

from __future__ import annotations

import numpy as np

from nngui.engine.checks import ExperimentError

from nngui.gui.qt import QtCore, QtGui, QtWidgets, pg
from nngui.gui.window.theme import class_color

#: A drag adds a point each time the mouse has moved this far from the last one, in pixels.
STROKE_SPACING_PX = 14
#: A right-click removes the nearest point only if it is at most this far away, in pixels.
REMOVE_RADIUS_PX = 16
PAINT_TIP = ("Paint your own points on the maps: click adds a point of the chosen class, drag paints "
             "several, right-click removes the nearest. The points become the data set (Ctrl+Z undoes).")
CLASS_TIP = "The class that Paint adds: its colour is the class's colour on the maps."


def _class_icon(index: int) -> QtGui.QIcon:
    pixmap = QtGui.QPixmap(14, 14)
    pixmap.fill(QtCore.Qt.GlobalColor.transparent)
    painter = QtGui.QPainter(pixmap)
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    painter.setPen(QtGui.QPen(QtGui.QColor("#303030"), 1))
    painter.setBrush(QtGui.QColor(class_color(index)))
    painter.drawEllipse(1, 1, 12, 12)
    painter.end()
    return QtGui.QIcon(pixmap)


class PaintTool(QtCore.QObject):
    """The paint action, the class chooser and the mouse handling on each map of ``grid``.

    ``model`` is the experiment model (edits go through it), ``data()`` the race's points (or
    None), ``notify(text, ms)`` shows a message in the status bar.
    """

    def __init__(self, model, grid, data, notify, parent=None):
        super().__init__(parent)
        self.model, self.grid, self._data, self._notify = model, grid, data, notify
        action = self.paint_action = QtGui.QAction("Paint points", self)
        action.setObjectName("paintAction")
        action.setCheckable(True)
        action.setToolTip(PAINT_TIP)
        action.setStatusTip(PAINT_TIP)
        action.toggled.connect(self._on_paint_action_toggled)
        combo = self.class_combo = QtWidgets.QComboBox()
        combo.setObjectName("paintClassCombo")
        combo.setAccessibleName("paintClassCombo")
        combo.setToolTip(CLASS_TIP)
        combo.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._views = []          # maps whose mouse this tool watches
        self._stroke = None       # (view, [(x, y), ...], preview item, last pixel position)
        self._show_classes(self.model.experiment.dataset.classes)
        self.model.changed.connect(self._on_model_changed, priority=-10)
        self.attach()

    @property
    def painting(self) -> bool:
        return self.paint_action.isChecked()

    def label(self) -> int:
        """The class a click adds (0-based)."""
        return max(self.class_combo.currentIndex(), 0)

    def make_toolbar(self) -> QtWidgets.QToolBar:
        """A toolbar with Paint and the class chooser."""
        toolbar = QtWidgets.QToolBar("Paint")
        toolbar.setObjectName("paintToolBar")
        toolbar.setMovable(False)
        toolbar.addAction(self.paint_action)
        button = toolbar.widgetForAction(self.paint_action)
        button.setObjectName("paintToolButton")
        button.setAccessibleName("paintToolButton")
        toolbar.addWidget(self.class_combo)
        return toolbar

    # --- following the model ----------------------------------------------------------------

    def _show_classes(self, classes: int) -> None:
        combo = self.class_combo
        if combo.count() == classes:
            return
        current = combo.currentIndex()
        blocked = combo.blockSignals(True)
        combo.clear()
        for k in range(classes):
            combo.addItem(_class_icon(k), f"Class {k + 1}")
        combo.setCurrentIndex(min(max(current, 0), classes - 1))
        combo.blockSignals(blocked)

    def _on_model_changed(self, change) -> None:
        self._show_classes(change.new.dataset.classes)
        self._end_stroke()
        # the window has shown the new race's maps by now: a new map is watched too
        self.attach()

    def attach(self) -> None:
        """Watch the mouse on every map shown (maps are made when a race first needs them)."""
        for view in self.grid.views():
            if view not in self._views:
                self._views.append(view)
                # installed after the grid's own filter, so it is asked first and can keep a click to itself
                view.viewport().installEventFilter(self)
                view.viewport().setProperty("paint_view_index", len(self._views) - 1)
        self._show_cursor()

    def _on_paint_action_toggled(self, on: bool) -> None:
        self._end_stroke()
        self._show_cursor()
        self._notify(
            "Paint: click adds a point, drag paints several, right-click removes the nearest." if on else
            "Paint is off: a click on a map selects its run.", 6000)

    def _show_cursor(self) -> None:
        for view in self._views:
            if self.painting:
                view.viewport().setCursor(QtCore.Qt.CursorShape.CrossCursor)
            else:
                view.viewport().unsetCursor()
            # the right button removes points while painting: no menu then
            view.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.PreventContextMenu if self.painting
                                      else QtCore.Qt.ContextMenuPolicy.ActionsContextMenu)

    # --- the mouse ----------------------------------------------------------------------------

    def eventFilter(self, watched, event) -> bool:
        if not self.painting:
            return False
        kind = event.type()
        Type, Button = QtCore.QEvent.Type, QtCore.Qt.MouseButton
        if kind in (Type.MouseButtonPress, Type.MouseButtonDblClick):
            view = self._view_of(watched)
            if view is None:
                return False
            if event.button() == Button.LeftButton:
                self._begin_stroke(view, event.position())
            elif event.button() == Button.RightButton:
                self._remove_nearest(view, event.position())
            return True
        if kind == Type.MouseMove:
            if self._stroke is not None and event.buttons() & Button.LeftButton:
                self._extend_stroke(event.position())
            return True
        if kind == Type.MouseButtonRelease:
            if event.button() == Button.LeftButton:
                self._finish_stroke()
            return True
        if kind == Type.ContextMenu:
            return True
        return False

    def _view_of(self, viewport):
        for view in self._views:
            if view.viewport() is viewport and view.isVisible():
                return view
        return None

    @staticmethod
    def _to_data(view, position: QtCore.QPointF) -> tuple[float, float]:
        point = view.view_box.mapSceneToView(view.mapToScene(position.toPoint()))
        return float(point.x()), float(point.y())

    def _begin_stroke(self, view, position) -> None:
        self._end_stroke()
        label = self.label()
        preview = pg.ScatterPlotItem(pxMode=True, size=view.point_size, symbol="o",
                                     brush=pg.mkBrush(class_color(label)), pen=pg.mkPen("#000000", width=1.2))
        preview.setZValue(20)
        view.getPlotItem().addItem(preview)
        self._stroke = (view, [], preview, None)
        self._extend_stroke(position, force=True)

    def _extend_stroke(self, position, force=False) -> None:
        view, points, preview, last = self._stroke
        if not force and last is not None:
            dx, dy = position.x() - last.x(), position.y() - last.y()
            if dx * dx + dy * dy < STROKE_SPACING_PX ** 2:
                return
        points.append(self._to_data(view, position))
        self._stroke = (view, points, preview, QtCore.QPointF(position))
        preview.setData(pos=np.array(points, dtype=float))

    def _finish_stroke(self) -> None:
        if self._stroke is None:
            return
        points = list(self._stroke[1])
        label = self.label()
        # the model's change ends the stroke (and the preview) before the new data is drawn
        if not self._edit(self.model.add_points, points, label):
            self._end_stroke()

    def _end_stroke(self) -> None:
        if self._stroke is not None:
            view, _, preview, _ = self._stroke
            view.getPlotItem().removeItem(preview)
            self._stroke = None

    def _remove_nearest(self, view, position) -> None:
        data = self._data()
        if data is None or len(data.X) == 0:
            return
        x, y = self._to_data(view, position)
        pixel_x, pixel_y = view.view_box.viewPixelSize()
        distance = np.hypot((data.X[:, 0] - x) / pixel_x, (data.X[:, 1] - y) / pixel_y)
        nearest = int(np.argmin(distance))
        if distance[nearest] > REMOVE_RADIUS_PX:
            self._notify("No point there to remove: right-click on a point.", 6000)
            return
        self._edit(self.model.remove_point, float(data.X[nearest, 0]), float(data.X[nearest, 1]))

    def _edit(self, apply, *args) -> bool:
        try:
            apply(*args)
        except ExperimentError as error:
            self._notify(f"Not applied: {error}", 8000)
            return False
        return True
