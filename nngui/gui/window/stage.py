"""The stage: the one place that lays out the window, in its normal and its projector layout.

Components never place themselves: they hand their widgets to the window, which gives them
to the stage. From the top:

- the projector bar (projector mode only) and the lesson bar (while a lesson is given);
- the status line and the warning banner, the whole width;
- the control column at the left (folded away in projector mode), then the views' tabs
  (registered under stable keys: ``NETWORK``, ``SURFACE``, ``LANDSCAPE``) beside the plots,
  with the look-back slider under them (on the projector bar in projector mode);
- the captions, one line per run.

Normal mode keeps the views and the plots side by side. Projector mode stacks them: the
race's maps in a row across the screen, the plots in a row under them, so each gets the full
width of a 1024-pixel projector; a race's maps take the network drawing's room there, a single
run's map stands beside its drawing (the drawing is wide and low, the map square), and a view
other than the network's (a loss surface, the landscape) takes the plots' room while in front.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nngui.gui.qt import QtCore, QtWidgets

#: Stable keys of the views' tabs (a lesson step names a view by one of these).
NETWORK, SURFACE, LANDSCAPE = "network", "surface", "landscape"
#: The decision boundaries' share of the height beside the network drawing: one run, a race.
SINGLE_MAP_SHARE = 0.6
RACE_MAP_SHARE = 0.72
#: The views' share of the stage's width beside the plots in normal mode: a race's maps are the star,
#: two columns of them need about twice the plots' width.
VIEW_STRETCH, PLOT_STRETCH = 2, 1
#: A race's maps keep the network drawing under them only where the views are at least this tall:
#: below it the drawing gives them its room, so each map still draws the data 160 pixels a side.
RACE_DRAWING_MIN_HEIGHT = 640
#: Projector mode: the maps' share of the stage's height above the plots (the maps are what a class watches).
PROJECTOR_MAP_SHARE = 0.58
#: Projector mode with a race: the maps' data side asked for, and the least the loss plot's data keeps under them.
PROJECTOR_MAP_DATA = 260
PROJECTOR_LOSS_FLOOR = 200
PROJECTOR_LOSS_HEIGHT = 250
#: Projector mode: the handle between the maps and the plots, in pixels.
PROJECTOR_HANDLE_WIDTH = 2
#: Projector mode: the code panel's share of the window's height while it is open.
PROJECTOR_DOCK_SHARE = 0.55
#: The room between the bars, the status line and the stage, in pixels: normally, in projector mode.
SPACING, PROJECTOR_SPACING = 4, 2


@dataclass
class StageParts:
    """What the stage places: every widget the window shows in its central area."""

    status_line: QtWidgets.QWidget
    banner: QtWidgets.QWidget
    panels: list
    boundary_grid: QtWidgets.QWidget
    network_view: QtWidgets.QWidget
    legend: QtWidgets.QWidget
    plots: tuple
    timeline_bar: QtWidgets.QWidget
    captions: QtWidgets.QWidget


class Stage(QtCore.QObject):
    """Builds the window's central widget (``central``) from ``parts`` and switches it between its layouts.

    The window sets ``central`` as its central widget and adds its docks and toolbars itself; the
    stage follows the docks (``follow_dock``) and asks for a dock's height with ``dock_room_wanted``.
    """

    #: (dock, share of the window's height, least height in pixels)
    dock_room_wanted = QtCore.Signal(object, float, int)

    def __init__(self, parts: StageParts, parent=None):
        super().__init__(parent)
        self.parts = parts
        self._views: dict[str, QtWidgets.QWidget] = {}
        self._top_bars: list[QtWidgets.QWidget] = []
        self.splitter = self.view_splitter = None   # made in _build; events may come before
        self._docks: list[QtWidgets.QDockWidget] = []
        self._runs = 0
        self.projector = False
        # projector mode with a race shows the loss plot alone under the maps unless asked for all
        self.all_plots = False
        self._build()

    # --- building -------------------------------------------------------------------------

    def _build(self):
        parts = self.parts
        column = QtWidgets.QWidget()
        column.setObjectName("controlColumn")
        panels = QtWidgets.QVBoxLayout(column)
        panels.setContentsMargins(0, 0, 4, 4)
        for panel in parts.panels:
            panels.addWidget(panel)
        panels.addStretch(1)
        scroll = QtWidgets.QScrollArea()
        scroll.setObjectName("controlScroll")
        scroll.setWidget(column)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed, QtWidgets.QSizePolicy.Policy.Preferred)
        self.control_scroll = scroll
        self.fit_control_column()

        views = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        views.setObjectName("viewSplitter")
        views.addWidget(parts.boundary_grid)
        views.addWidget(parts.network_view)
        views.setStretchFactor(0, 3)
        views.setStretchFactor(1, 2)
        self.view_splitter = views
        views.installEventFilter(self)
        # the maps' room follows their width until the teacher moves the handle (then it is theirs)
        self._maps_fitted = True
        views.splitterMoved.connect(lambda *_: setattr(self, "_maps_fitted", False))

        plot_column = QtWidgets.QWidget()
        plot_column.setObjectName("plotColumn")
        plot_layout = QtWidgets.QVBoxLayout(plot_column)
        plot_layout.setContentsMargins(0, 0, 0, 0)
        plot_layout.setSpacing(2)
        # the legend's row; in projector mode it also holds the button that shows the plots a race
        # sets aside there (the projector bar and the status line have no room left at 1.6×)
        legend_row = QtWidgets.QHBoxLayout()
        legend_row.setContentsMargins(0, 0, 0, 0)
        legend_row.addWidget(parts.legend, 1)
        self._legend_row = legend_row
        plot_layout.addLayout(legend_row)
        plots = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        plots.setObjectName("plotSplitter")
        for plot in parts.plots:
            plots.addWidget(plot)
        plot_layout.addWidget(plots, 1)
        self.plot_column, self.plot_splitter = plot_column, plots

        # the network race's maps and drawing are the first view; other views (surfaces, the
        # network's landscape) are further tabs beside it, the plots stay beside them
        tabs = QtWidgets.QTabWidget()
        tabs.setObjectName("viewTabs")
        tabs.setDocumentMode(True)
        tabs.setToolTip("The views: the network's decision boundaries and drawing, and the views beside them")
        self.view_tabs = tabs
        self._tab_policies: dict = {}
        tabs.currentChanged.connect(lambda _index: self._on_view_changed())
        self.add_view(NETWORK, views, "Network")
        for button, tip in (("ScrollLeftButton", "Show the views' earlier tabs"),
                            ("ScrollRightButton", "Show the views' later tabs")):
            # a narrow window scrolls the tab bar: its own buttons say what they do too
            arrow = tabs.tabBar().findChild(QtWidgets.QToolButton, button)
            if arrow is not None:
                arrow.setToolTip(tip)
                arrow.setAccessibleName(tip)

        stage = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        stage.setObjectName("stageSplitter")
        stage.addWidget(tabs)
        stage.addWidget(plot_column)
        stage.setStretchFactor(0, VIEW_STRETCH)
        stage.setStretchFactor(1, PLOT_STRETCH)
        for splitter in (views, plots, stage):
            splitter.setChildrenCollapsible(False)
        self.splitter = stage
        stage.installEventFilter(self)

        central = QtWidgets.QWidget()
        central.setObjectName("stage")
        # the keyboard's home: Enter in a number box hands focus back here, so Space and R work next
        central.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        layout = QtWidgets.QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 0)
        layout.setSpacing(SPACING)
        self._bars = QtWidgets.QVBoxLayout()
        self._bars.setContentsMargins(0, 0, 0, 0)
        self._bars.setSpacing(4)
        layout.addLayout(self._bars)
        # the status line and any warning span the whole width: long lines fit even at 1024 pixels
        self._plots_toggle = None
        layout.addWidget(parts.status_line)
        layout.addWidget(parts.banner)
        body = QtWidgets.QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(4)
        body.addWidget(scroll)
        # the timeline runs under the views and plots; the controls keep their full height
        stage_column = QtWidgets.QVBoxLayout()
        stage_column.setSpacing(2)
        stage_column.addWidget(stage, 1)
        stage_column.addWidget(parts.timeline_bar)
        body.addLayout(stage_column, 1)
        self.stage_column = stage_column
        layout.addLayout(body, 1)
        layout.addWidget(parts.captions)
        self.central = central

    # --- what is placed where -----------------------------------------------------------------

    def add_bar(self, bar: QtWidgets.QWidget, order: int) -> None:
        """A bar across the top, above the status line; bars stand by ``order`` (lowest first)."""
        bar.setProperty("stageOrder", order)
        self._top_bars.append(bar)
        self._top_bars.sort(key=lambda b: b.property("stageOrder"))
        self._bars.insertWidget(self._top_bars.index(bar), bar)

    def follow_dock(self, dock: QtWidgets.QDockWidget) -> None:
        """A dock the window placed under the stage (the code panel): its room is the stage's to share."""
        dock.room_wanted.connect(lambda share, least: self.dock_room_wanted.emit(dock, share, least))
        self._docks.append(dock)
        dock.visibilityChanged.connect(lambda _shown: self._on_dock_visibility_changed())
        # its action says it is coming before the dock shows (``toggled`` comes before ``triggered``, which
        # shows it): the plots make room first, or the window would grow past the screen for a moment
        dock.toggleViewAction().toggled.connect(lambda shown: shown and self._fit_plot_room(docked=True))

    def _on_dock_visibility_changed(self) -> None:
        self._show_network_view()
        self._fit_plot_room()

    def _fit_plot_room(self, docked: bool | None = None) -> None:
        # projector mode: the code panel takes the plots' room while it is open (at 1.6× a lesson's step,
        # the maps, the plots and the code do not all fit 768 pixels), and gives it back when it closes;
        # the plots are the network's training too: beside a loss surface or the landscape they step aside
        if not self.projector or not self.control_scroll.isHidden():
            return
        if docked is None:
            docked = any(dock.isVisible() for dock in self._docks)
        aside = docked or not self.network_in_front()
        if self.plot_column.isHidden() != aside:
            self.plot_column.setVisible(not aside)
            if aside:   # the window learns its new least size now, before the panel asks for its room
                QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
                self.central.layout().activate()
            else:
                self.share_room()
                # again once the splitter has laid out the column it shows again (its plots' sizes are stale now)
                QtCore.QTimer.singleShot(0, self, lambda: self.projector and self.plot_column.isVisible()
                                         and self.share_room())
        for dock in self._docks:
            if dock.isVisible() and not dock.isFloating():
                # the code is what the class reads now: it takes most of the height, the maps stay above
                QtCore.QTimer.singleShot(0, self, lambda dock=dock: self.projector and dock.isVisible()
                                         and self.dock_room_wanted.emit(dock, PROJECTOR_DOCK_SHARE, 0))

    def add_view(self, key: str, widget: QtWidgets.QWidget, title: str, tip: str = "") -> int:
        """Add a view as a tab under ``key``; the tab bar shows once there are two."""
        if key in self._views:
            raise ValueError(f"a view is registered under {key!r} already")
        self._views[key] = widget
        index = self.view_tabs.addTab(widget, title)
        if tip:
            self.view_tabs.setTabToolTip(index, tip)
        self.view_tabs.tabBar().setVisible(not self.lean() and self.view_tabs.count() > 1)
        self._fit_tab_policies()
        return index

    def _on_view_changed(self) -> None:
        self._fit_tab_policies()
        self._fit_plot_room()

    def network_in_front(self) -> bool:
        """Whether the network's view (the maps and the drawing) is the front tab."""
        return self.view_tabs.currentWidget() is self._views.get(NETWORK)

    def _fit_tab_policies(self) -> None:
        # a tab widget asks for the largest least size of all its pages: the views not shown ask for
        # none (Qt's Ignored), so the maps' room never depends on a view behind them
        current = self.view_tabs.currentWidget()
        ignored = QtWidgets.QSizePolicy.Policy.Ignored
        for widget in self._views.values():
            if widget is current:
                policy = self._tab_policies.pop(widget, None)
                if policy is not None:
                    widget.setSizePolicy(policy)
            elif widget not in self._tab_policies:
                self._tab_policies[widget] = widget.sizePolicy()
                widget.setSizePolicy(ignored, ignored)

    def view(self, key: str) -> QtWidgets.QWidget | None:
        return self._views.get(key)

    def view_keys(self) -> list[str]:
        return list(self._views)

    def view_title(self, key: str) -> str:
        return self.view_tabs.tabText(self.view_tabs.indexOf(self._views[key])).replace("&", "")

    def show_view(self, key: str) -> QtWidgets.QWidget | None:
        """Bring the view registered under ``key`` to the front; None if there is none."""
        widget = self._views.get(key)
        if widget is not None:
            self.view_tabs.setCurrentWidget(widget)
        return widget

    def fit_control_column(self) -> None:
        """Make the panels' column as wide as its contents at the current font, plus a scroll bar."""
        scroll = self.control_scroll
        scroll.setMinimumWidth(scroll.widget().sizeHint().width() + scroll.verticalScrollBar().sizeHint().width())

    # --- a race's maps --------------------------------------------------------------------------

    def fit_runs(self, runs: int) -> None:
        """Share the views' room between the maps and the network drawing for ``runs`` runs."""
        if runs != self._runs:
            # a race's maps share the room: give them most of it, the network drawing the rest
            total = sum(self.view_splitter.sizes()) or 1
            share = RACE_MAP_SHARE if runs > 1 else SINGLE_MAP_SHARE
            self.view_splitter.setSizes([round(total * share), round(total * (1 - share))])
            self._maps_fitted = True
        self._runs = runs
        self._show_network_view()
        self._fit_view_orientation()
        if self.projector:
            self._fit_projector_views()
            if self.plot_column.isVisible():
                self.share_room()

    def _show_network_view(self) -> None:
        # in projector mode a race's maps take the network drawing's room (at 1.6× a class reads the
        # maps, not 387 weights), and in a short window too; a single run keeps its drawing, and so
        # does a race while the code panel is open (a click on a connection picks the weight it shows)
        docked = any(dock.isVisible() for dock in self._docks)
        shown = self._runs <= 1 or (not self.projector and (docked or self.view_splitter.height()
                                                            >= RACE_DRAWING_MIN_HEIGHT))
        if self.parts.network_view.isHidden() == shown:
            self.parts.network_view.setVisible(shown)

    def _fit_maps_to_their_width(self) -> None:
        # normal mode, a race's maps above the drawing: where the column's width holds the maps smaller than
        # their share of the height, the room under them goes to the drawing, not to empty frames
        views, grid = self.view_splitter, self.parts.boundary_grid
        if (self.projector or self._runs <= 1 or not self._maps_fitted or self.parts.network_view.isHidden()
                or views.orientation() != QtCore.Qt.Orientation.Vertical or grid.width() <= 0):
            return
        total = sum(views.sizes())
        share = round(total * RACE_MAP_SHARE)
        maps = max(grid.height_for(grid.width(), share), grid.minimumSizeHint().height())
        if abs(views.sizes()[0] - maps) > 1:
            views.setSizes([maps, total - maps])

    def map_beside_drawing(self) -> bool:
        """Projector mode with one run: its map stands at the left of the network drawing (the drawing is
        wide and low, the map square), not above it, where the map was left a sliver."""
        return self.projector and self._runs <= 1

    def _fit_view_orientation(self) -> None:
        Qt = QtCore.Qt.Orientation
        orientation = Qt.Horizontal if self.map_beside_drawing() else Qt.Vertical
        if self.view_splitter.orientation() != orientation:
            self.view_splitter.setOrientation(orientation)

    def eventFilter(self, watched, event):
        if watched is self.view_splitter and event.type() == QtCore.QEvent.Type.Resize:
            self._show_network_view()   # the window grew or shrank: the drawing's place is decided again
            QtCore.QTimer.singleShot(0, self, self._fit_maps_to_their_width)
        elif watched is self.splitter and event.type() == QtCore.QEvent.Type.Resize and self.projector \
                and self.plot_column.isVisible():
            # full screen comes when the window manager grants it: the shares follow the new size
            QtCore.QTimer.singleShot(0, self, lambda: self.projector and self.share_room())
        return False

    # --- projector mode ---------------------------------------------------------------------

    def set_projector(self, on: bool, bar: QtWidgets.QWidget, lend_slot) -> None:
        """The projector layout (maps above plots, the slider on ``bar``) or back to the normal one."""
        self.projector = on
        vertical, horizontal = QtCore.Qt.Orientation.Vertical, QtCore.Qt.Orientation.Horizontal
        self.splitter.setOrientation(vertical if on else horizontal)
        # a thin handle between the maps and the plots: its pixels go to the maps
        if on:
            self._handle_width = self.splitter.handleWidth()
        self.splitter.setHandleWidth(PROJECTOR_HANDLE_WIDTH if on else getattr(self, "_handle_width", -1))
        self.central.layout().setSpacing(PROJECTOR_SPACING if on else SPACING)
        self.plot_splitter.setOrientation(horizontal if on else vertical)
        self._lend_timeline(on, bar, lend_slot)
        self._show_network_view()
        self._fit_view_orientation()
        self._fit_projector_views()
        self._fit_plot_room()

    def add_plots_toggle(self, button: QtWidgets.QWidget) -> None:
        """The button that shows a race's plots set aside in projector mode: at the end of the legend's row
        (the projector bar has no room left at 1.6× on 1024 pixels), shown in projector mode only."""
        self._plots_toggle = button
        self._legend_row.addWidget(button, 0, QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignTop)
        button.setVisible(self.projector and self._runs > 1)

    def lean(self) -> bool:
        """Whether the stage shows a race's loss plot alone (projector mode, unless all plots are asked for)."""
        return self.projector and self._runs > 1 and not self.all_plots

    def show_all_plots(self, shown: bool) -> None:
        """Projector mode: the accuracy and learning-rate plots and the captions too (``shown``), or the loss plot alone."""
        self.all_plots = shown
        self._fit_projector_views()
        if self.projector and self.plot_column.isVisible():
            self.share_room()

    def _fit_projector_views(self) -> None:
        # at 1.6× on 1024×768 a race's three maps (260 px of data each, two-line titles) and a loss
        # plot 250 px tall fill the screen: the accuracy and learning-rate plots and the captions
        # step aside (the button beside the legend says so, and shows them on request); the normal
        # layout shows all
        lean = self.lean()
        if self._plots_toggle is not None:
            self._plots_toggle.setVisible(self.projector and self._runs > 1)
        # the legend keys the plots shown: the planned learning rates only with their plot
        self.parts.legend.set_planned_key(not lean)
        self._fit_map_shape()
        for plot in self.parts.plots[1:]:
            if plot.isHidden() != lean:
                plot.setVisible(not lean)
        if self.parts.captions.isHidden() != lean:
            self.parts.captions.setVisible(not lean)
        # the tabs' row too (a lesson's step still brings its view to the front)
        self.view_tabs.tabBar().setVisible(not lean and self.view_tabs.count() > 1)

    def _lend_timeline(self, lend: bool, bar_widget, slot) -> None:
        """The look-back slider into the projector bar (``slot``: where in its layout), or back under the views."""
        bar, layout = self.parts.timeline_bar, bar_widget.layout()
        # out of the layout it is in through Python first: PySide keeps a wrapper for the bar's place
        # in a layout, and forgets it only then (a place Qt deletes as the bar moves would leave the
        # wrapper behind, and the next object made at its address crashed the window when deleted)
        (self.stage_column if lend else layout).removeWidget(bar)
        if lend:
            self._timeline_room = (bar.sizePolicy(), bar.label.minimumWidth())
            # the slider takes the bar's free room: the wider it is, the finer a teacher can scrub; the
            # words beside it ask for no room of their own (they say "live" until a look back)
            bar.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, self._timeline_room[0].verticalPolicy())
            bar.label.setMinimumWidth(0)
            layout.insertWidget(slot, bar, 1)
        else:
            policy, label_width = self._timeline_room
            bar.setSizePolicy(policy)
            bar.label.setMinimumWidth(max(label_width, bar.label.minimumWidth()))
            self.stage_column.addWidget(bar)
        # a widget given a new parent is hidden until the event loop shows it: show it now, so the
        # layouts (and the splitters' sizes given back after them) count it at once
        bar.show()
        # the slider takes the bar's free room while it is there, the spacer before Leave all of it otherwise
        # (found by index, never through layout.itemAt(): the layout keeps every item wrapper it hands
        # out, and the slider's item, deleted by Qt when the slider moves, would leave one behind)
        spacer = layout.indexOf(bar_widget.leave_button) - 1
        layout.setStretch(spacer, 0 if lend else 1)

    def _fit_map_shape(self) -> None:
        # a race's maps stand in a row above the plots; beside the control column they may take two rows
        row = self.projector and self._runs > 1 and self.control_scroll.isHidden()
        self.parts.boundary_grid.set_minimum_shape((1, self._runs) if row else None)

    def share_room(self) -> None:
        """Projector mode: the maps take ``PROJECTOR_MAP_SHARE`` of the height, the plots share a row equally."""
        self.central.layout().activate()
        total = sum(self.splitter.sizes())
        maps = round(total * PROJECTOR_MAP_SHARE)
        grid = self.parts.boundary_grid
        beside = self.map_beside_drawing()
        if (self._runs > 1 or beside) and grid.height() > 0:
            # the maps take the room for their data 260 px a side (a race's in a row, one run's beside its
            # network drawing), so long as the loss plot keeps 200 px of data under them; the plots take the rest
            around_grid = self.view_tabs.height() - grid.height()
            # (the room to draw the data in, the view box, is 260 px a side: the data fill a share of it)
            data_side = PROJECTOR_MAP_DATA * max(grid.view(0).data_share) + 1
            maps = around_grid + grid.minimum_size((1, max(self._runs, 1)), data_side).height()
            loss = self.parts.plots[0]
            box = loss.getPlotItem().getViewBox()
            # (floored: the data area's height is fractional, and it keeps whole pixels of its own)
            around_loss = self.plot_column.height() - math.floor(box.height()) if box.height() > 0 else 0
            # a larger screen: the maps grow to their share; the loss plot keeps 250 px where it can, 200 at least
            want = max(maps, round(total * PROJECTOR_MAP_SHARE))
            maps = max(min(want, total - around_loss - PROJECTOR_LOSS_HEIGHT),
                       min(maps, total - around_loss - PROJECTOR_LOSS_FLOOR), 0)
        self.splitter.setSizes([maps, total - maps])
        if beside:
            self._fit_map_beside_drawing()
        width = sum(self.plot_splitter.sizes())
        count = self.plot_splitter.count()
        self.plot_splitter.setSizes([width // count] * (count - 1) + [width - (count - 1) * (width // count)])

    def _fit_map_beside_drawing(self) -> None:
        # the map as wide as its height lets its data be drawn (equal units) and its title take one line;
        # the drawing the rest (a title of one line gives the map a taller room: a second look fits that)
        grid, views = self.parts.boundary_grid, self.view_splitter
        for _ in range(2):
            self.central.layout().activate()
            total, height = sum(views.sizes()), views.height()
            if total <= 0 or height <= 0:
                return
            # the data's side that fills this height, and the width that draws it, with its title on one
            # line; the drawing keeps its least width
            side = grid.data_side_for((1, 1), height=height)
            drawing = self.parts.network_view
            least_drawing = drawing.minimumSizeHint().width() if drawing.isVisible() else 0
            width = max(grid.minimum_size((1, 1), side).width(), grid.one_line_title_width())
            width = max(min(width, total - least_drawing), 0)
            if views.sizes()[0] == width:
                return
            views.setSizes([width, total - width])

    def show_controls(self, shown: bool) -> None:
        """Projector mode: the control column in place of the plots (at 1.6× all do not fit 1024 pixels)."""
        # (one leaves before the other comes, so the window never has to be wider than the screen)
        if shown:
            self.plot_column.hide()
            self.parts.boundary_grid.set_minimum_shape(None)
            # the splitter and the layouts learn that the plots left before the column comes
            QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
            self.splitter.setSizes([sum(self.splitter.sizes()), 0])
            self.control_scroll.show()
        else:
            self.control_scroll.hide()
            self._fit_map_shape()
            # the plots come back, unless the code panel keeps their room or another view is in front
            self._fit_plot_room()
        self.central.layout().activate()
