"""Projector mode (F5), full screen (F11) and the dark theme: the View menu's looks.

Projector mode is for a class at the back of a room, on a 1024×768 projector:

- full screen, the menus and the toolbar hidden (F5 or Esc leaves it);
- every font ``FONT_SCALE`` (1.6) × its normal size — the status line, panels, legends, axis
  labels, tick labels and map captions all follow the application's font;
- curves ``LINE_SCALE`` × thicker, the maps' points ``POINT_SCALE`` × larger;
- the high-contrast theme (``themes.HIGH_CONTRAST``): black text, strong map tints, dark lines;
- the control column collapses to a bar of Play, Step and Reset with a Controls button that
  shows the column again (the plots step aside while it is shown), so the maps and plots get the room; the status line may take two lines;
- the look-back slider moves into that bar, and a race's maps take the network drawing's room
  (at 1.6× a class reads the maps, not 387 weights); a single run keeps its drawing;
  the plots give their title rows to the data (each y axis's label names its plot) and only the
  lowest says "epoch" under its numbers; tick labels keep apart at any size (``ticks.py``).

Leaving it gives back exactly what was there before: every size, font, colour, visibility,
the window's state and place, the splitters' sizes. The choice is a view preference kept in
the settings, so a teacher's next launch opens in projector mode again (the training
settings still start at the chapter's defaults).

The dark theme (``darkThemeAction``) is for screens in a dim room; it is remembered in the
settings and is never the projector's look (projector mode always uses its high-contrast theme).
"""

from __future__ import annotations

from . import themes
from nngui.gui.qt import QtCore, QtGui, QtWidgets

#: Text grows by this factor (10.5 pt → 16.8 pt with the normal theme).
FONT_SCALE = 1.6
#: Curves grow by this factor (2 px → 3 px).
LINE_SCALE = 1.5
#: Scatter points in the decision boundary grow by this factor (8 px → 11.2 px).
POINT_SCALE = 1.4
SETTINGS_KEY = "view/projector"
DARK_KEY = "view/dark"
#: Lines the status line may take in projector mode (its text no longer fits one at 1.6×).
STATUS_LINES = 2
#: The maps' share of the width beside the plots in projector mode (their titles are long at 1.6×).
MAP_SHARE = 0.6
MESSAGE_MS = 4000
#: The lowest plot's share of the plots' height in projector mode.
LOWEST_PLOT_SHARE = 0.4
#: When to check that full screen was granted (a window manager answers within a few frames).
FULL_SCREEN_CHECK_MS = 300

PROJECTOR_TIP = ("Projector mode (F5): full screen, larger text everywhere, thicker curves and larger points, "
                 "high contrast, the controls folded away; F5 or Esc gives back the normal look")
FULL_SCREEN_TIP = "Full screen (F11): use the whole screen; press again to leave it"
DARK_TIP = ("Dark theme: light text and lines on a dark background, for a screen in a dim room "
            "(projector mode keeps its high-contrast light look)")
LEAVE_TIP = "Leave projector mode or full screen (Esc)"
CONTROLS_TIP = "Show or hide the data, network and optimizer controls beside the maps"


class ProjectorBar(QtWidgets.QWidget):
    """Projector mode's controls: Play, Step, Reset, a button that shows the control column, and the way out."""

    def __init__(self, actions, leave_action, parent=None):
        super().__init__(parent)
        self.setObjectName("projectorBar")
        self.setAccessibleName("projectorBar")
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.buttons = {}
        for action in actions:
            name = action.objectName().replace("Action", "")
            self.buttons[name] = self._button(f"projector{name.title()}Button", action)
            layout.addWidget(self.buttons[name])
        self.controls_button = QtWidgets.QToolButton()
        self.controls_button.setObjectName("controlsButton")
        self.controls_button.setAccessibleName("controlsButton")
        self.controls_button.setText("Controls")
        self.controls_button.setCheckable(True)
        self.controls_button.setToolTip(CONTROLS_TIP)
        layout.addWidget(self.controls_button)
        layout.addStretch(1)
        self.leave_button = self._button("leaveProjectorButton", leave_action)
        layout.addWidget(self.leave_button)
        self.hide()

    def _button(self, name, action):
        button = QtWidgets.QToolButton()
        button.setDefaultAction(action)
        button.setObjectName(name)
        button.setAccessibleName(name)
        button.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return button


class ProjectorMode:
    """The window's View actions (projector mode, full screen, dark theme) and what to give back after them."""

    def __init__(self, window, settings):
        self.window = window
        self.settings = settings
        self._saved: dict | None = None       # everything projector mode changed, as it was before
        self._startup_look = themes.snapshot()
        self._state_before_full_screen = QtCore.Qt.WindowState.WindowNoState
        self.projector_action = self._checkable("projectorAction", "&Projector mode", PROJECTOR_TIP, "F5",
                                                self._on_projector_toggled)
        self.full_screen_action = self._checkable("fullScreenAction", "&Full screen", FULL_SCREEN_TIP, "F11",
                                                  self._on_full_screen_toggled)
        self.dark_theme_action = self._checkable("darkThemeAction", "&Dark theme", DARK_TIP, "",
                                                 self._on_dark_theme_toggled)
        self.leave_action = QtGui.QAction("Leave (Esc)", window)
        self.leave_action.setObjectName("leaveProjectorAction")
        self.leave_action.setToolTip(LEAVE_TIP)
        self.leave_action.setStatusTip(LEAVE_TIP)
        self.leave_action.setShortcut(QtGui.QKeySequence("Esc"))
        self.leave_action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        self.leave_action.setEnabled(False)
        self.leave_action.triggered.connect(self._on_leave_triggered)
        window.addAction(self.leave_action)
        self.bar = ProjectorBar([window.play_action, window.step_action, window.reset_action], self.leave_action)
        self.bar.controls_button.toggled.connect(self._on_controls_toggled)
        window.centralWidget().layout().insertWidget(0, self.bar)
        self._restyle = window.restyle
        themes.signals.theme_changed.connect(self._restyle)

    def actions(self):
        return [self.projector_action, self.full_screen_action, self.dark_theme_action]

    def _checkable(self, name, text, tip, shortcut, slot):
        action = QtGui.QAction(text, self.window)
        action.setObjectName(name)
        action.setCheckable(True)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if shortcut:
            action.setShortcut(QtGui.QKeySequence(shortcut))
            action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        action.toggled.connect(slot)
        self.window.addAction(action)
        return action

    @property
    def on(self) -> bool:
        """Whether the window is in projector mode."""
        return self._saved is not None

    def restore(self) -> None:
        """The looks as the teacher left them last time: the dark theme, projector mode."""
        if self.settings.flag(DARK_KEY):
            self.dark_theme_action.setChecked(True)
        if self.settings.flag(SETTINGS_KEY):
            self.apply(True)

    def close(self) -> None:
        """The window closes: give the application back its font and its look as they were at the start."""
        self.apply(False)
        try:
            themes.signals.theme_changed.disconnect(self._restyle)
        except (RuntimeError, TypeError):
            pass
        if themes.current() is not self._startup_look[0]:
            themes.restore(self._startup_look)

    # --- projector mode ---------------------------------------------------------------

    def apply(self, on: bool) -> None:
        """Switch to projector mode, or back to exactly the look before it."""
        if on == self.on:
            return
        if on:
            self._enter()
        else:
            self._leave()
        self.leave_action.setEnabled(self.on or self.window.isFullScreen())
        self.dark_theme_action.setEnabled(not self.on)
        if self.projector_action.isChecked() != on:
            self.projector_action.blockSignals(True)
            self.projector_action.setChecked(on)
            self.projector_action.blockSignals(False)

    def _hideable(self):
        """The widgets projector mode hides: the menus, the toolbars, the control column."""
        window = self.window
        return [window.menuBar(), *window.findChildren(QtWidgets.QToolBar), window.control_scroll]

    def _splitters(self):
        # the ones shown (a hidden dock's splitter has no sizes yet: Qt gives it its own when shown)
        return [s for s in self.window.findChildren(QtWidgets.QSplitter) if s.isVisible()]

    def _enter(self) -> None:
        app = QtWidgets.QApplication.instance()
        window = self.window
        status = window.status_label
        self._saved = {
            "font": QtGui.QFont(app.font()),
            "look": themes.snapshot(),
            "state": window.windowState(),
            "geometry": window.geometry(),
            "shown": {widget: not widget.isHidden()
                      for widget in [*self._hideable(), self._plot_column(), window.network_view]},
            "splitters": {splitter: splitter.sizes() for splitter in self._splitters()},
            "status": (status.wordWrap(), status.minimumHeight(), status.maximumHeight()),
        }
        font = QtGui.QFont(self._saved["font"])
        font.setPointSizeF(self._saved["font"].pointSizeF() * FONT_SCALE)
        self._set_font(font)
        themes.set_theme(themes.HIGH_CONTRAST, app)
        self._scale(FONT_SCALE, LINE_SCALE, POINT_SCALE)
        self.bar.controls_button.setChecked(False)
        for widget in self._hideable():
            widget.hide()
        self._lend_timeline(True)
        self.fit_runs(len(window.boundary_grid.views()))
        self.bar.show()
        status.setWordWrap(True)
        status.setFixedHeight(STATUS_LINES * status.fontMetrics().lineSpacing() + 8)
        window.showFullScreen()
        self._share_room()
        # without a window manager (a bare X server) full screen is not granted: take the screen by hand
        QtCore.QTimer.singleShot(FULL_SCREEN_CHECK_MS, window, self._fill_screen)

    def _lend_timeline(self, lend: bool) -> None:
        """The look-back slider into the projector bar (beside Controls), or back under the views."""
        window, bar, layout = self.window, self.window.timeline_bar, self.bar.layout()
        # out of the layout it is in through Python first: PySide keeps a wrapper for the bar's place
        # in a layout, and forgets it only then (a place Qt deletes as the bar moves would leave the
        # wrapper behind, and the next object made at its address crashed the window when deleted)
        (window.stage_column if lend else layout).removeWidget(bar)
        if lend:
            self._timeline_room = (bar.sizePolicy(), bar.label.minimumWidth())
            # the slider takes the bar's free room: the wider it is, the finer a teacher can scrub; the
            # words beside it ask for no room of their own (they say "live" until a look back)
            bar.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, self._timeline_room[0].verticalPolicy())
            bar.label.setMinimumWidth(0)
            layout.insertWidget(layout.indexOf(self.bar.controls_button) + 1, bar, 1)
        else:
            policy, label_width = self._timeline_room
            bar.setSizePolicy(policy)
            bar.label.setMinimumWidth(max(label_width, bar.label.minimumWidth()))
            window.stage_column.addWidget(bar)
        # a widget given a new parent is hidden until the event loop shows it: show it now, so the
        # layouts (and the splitters' sizes given back after them) count it at once
        bar.show()
        # the slider takes the bar's free room while it is there, the spacer before Leave all of it otherwise
        # (found by index, never through layout.itemAt(): the layout keeps every item wrapper it hands
        # out, and the slider's item, deleted by Qt when the slider moves, would leave one behind)
        spacer = layout.indexOf(self.bar.leave_button) - 1
        layout.setStretch(spacer, 0 if lend else 1)

    def fit_runs(self, runs: int) -> None:
        """In projector mode a race's maps take the network drawing's room; one run keeps its drawing."""
        if self.on:
            self.window.network_view.setVisible(runs <= 1)

    def _fill_screen(self) -> None:
        window = self.window
        screen = (window.screen() or QtGui.QGuiApplication.primaryScreen()).geometry()
        if self.on and window.geometry() != screen:
            window.setGeometry(screen)
            QtCore.QTimer.singleShot(0, window, lambda: self.on and self._share_room())

    def _share_room(self) -> None:
        """The maps take ``MAP_SHARE`` of the stage; the lowest plot, which alone says "epoch", that much taller."""
        window = self.window
        window.centralWidget().layout().activate()
        stage = window.stage
        total = sum(stage.sizes())
        stage.setSizes([round(total * MAP_SHARE), total - round(total * MAP_SHARE)])
        plots = window.findChild(QtWidgets.QSplitter, "plotSplitter")
        if plots is not None and plots.count() == 3:
            # the learning-rate plot, lowest, also says "epoch" and has a second axis to name at the
            # right (the effective step): it gets LOWEST_PLOT_SHARE of the height, the others the rest
            height = sum(plots.sizes())
            each = round(height * (1 - LOWEST_PLOT_SHARE) / 2)
            plots.setSizes([each, each, height - 2 * each])

    def _leave(self) -> None:
        saved, self._saved = self._saved, None
        window = self.window
        self.bar.hide()
        self._set_font(saved["font"])
        themes.restore(saved["look"])
        wrap, low, high = saved["status"]
        window.status_label.setWordWrap(wrap)
        window.status_label.setMinimumHeight(low)
        window.status_label.setMaximumHeight(high)
        self._lend_timeline(False)
        for widget, shown in saved["shown"].items():
            widget.setVisible(shown)
        # the column measures its panels at the normal font once they are shown again
        window.control_scroll.widget().layout().activate()
        self._scale(1.0, 1.0, 1.0)
        # the window's least size follows its contents at the normal font (the timeline and the
        # network drawing back in their places) before it is given its old size
        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
        window.centralWidget().layout().activate()
        window.layout().activate()
        if not saved["state"] & QtCore.Qt.WindowState.WindowFullScreen:
            window.setWindowState(saved["state"])
            if not saved["state"] & (QtCore.Qt.WindowState.WindowMaximized | QtCore.Qt.WindowState.WindowMinimized):
                window.setGeometry(saved["geometry"])
        # the layouts settle first, then the splitters get back their exact sizes
        window.centralWidget().layout().activate()
        for splitter, sizes in saved["splitters"].items():
            splitter.setSizes(sizes)

    @staticmethod
    def _set_font(font: QtGui.QFont) -> None:
        app = QtWidgets.QApplication.instance()
        app.setFont(font)
        # Qt posts the font change to every widget: deliver it now, so the sizes below see it
        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.ApplicationFontChange)
        if app.styleSheet():
            # under an application style sheet the widgets keep the fonts it polished them with:
            # setting it again polishes them afresh with the new font
            app.setStyleSheet(app.styleSheet())
        # the status bar measures its height for the new font only when asked to lay out again
        for bar in QtWidgets.QApplication.topLevelWidgets():
            if isinstance(bar, QtWidgets.QMainWindow):
                QtCore.QCoreApplication.sendEvent(bar.statusBar(), QtCore.QEvent(QtCore.QEvent.Type.LayoutRequest))

    def _scale(self, text: float, line: float, point: float) -> None:
        window = self.window
        plots = window.plots()
        for plot in plots:
            plot.set_scale(text, line)
            if text != 1.0:
                # the y axis's label names each plot: its title row goes to the data, and only the
                # lowest plot repeats "epoch" under its numbers
                item = plot.getPlotItem()
                item.setTitle(None)
                item.getAxis("bottom").showLabel(plot is plots[-1])
            else:
                plot.getPlotItem().getAxis("bottom").showLabel(True)
        window.run_legend.set_scale(text, line)
        window.boundary_grid.set_scale(text, point)
        window.landscape_view.set_scale(text, line)
        window.fit_control_column()

    def _on_projector_toggled(self, on: bool) -> None:
        self.apply(on)
        self.settings.update({SETTINGS_KEY: on})
        self.window.statusBar().showMessage("Projector mode: press F5 or Esc for the normal look." if on
                                            else "Projector mode off.", MESSAGE_MS)

    def _on_leave_triggered(self) -> None:
        if self.on:
            self.projector_action.setChecked(False)
        elif self.window.isFullScreen():
            self.full_screen_action.setChecked(False)

    def _on_controls_toggled(self, shown: bool) -> None:
        if self.on:
            # at 1.6× the column, the maps and the plots do not all fit 1024 pixels: the plots step
            # aside while the controls are shown
            # (one leaves before the other comes, so the window never has to be wider than the screen)
            window = self.window
            geometry = window.geometry()
            if shown:
                self._plot_column().hide()
                # the splitter and the layouts learn that the plots left before the column comes
                QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
                window.stage.setSizes([sum(window.stage.sizes()), 0])
                window.control_scroll.show()
            else:
                window.control_scroll.hide()
                self._plot_column().show()
                self._share_room()
            # the window keeps the screen (Qt would widen it by the column where no window manager holds it)
            window.centralWidget().layout().activate()
            if window.geometry() != geometry:
                window.setGeometry(geometry)

    def _plot_column(self) -> QtWidgets.QWidget:
        return self.window.stage.widget(self.window.stage.count() - 1)

    # --- full screen and the dark theme -------------------------------------------------

    def _on_full_screen_toggled(self, on: bool) -> None:
        window = self.window
        if on and not window.isFullScreen():
            self._state_before_full_screen = window.windowState() & ~QtCore.Qt.WindowState.WindowFullScreen
            window.showFullScreen()
        elif not on and window.isFullScreen():
            window.setWindowState(self._state_before_full_screen)

    def sync_full_screen_action(self) -> None:
        """Tick or untick the Full screen action to match the window (after F11, a window manager, …)."""
        action, full = self.full_screen_action, self.window.isFullScreen()
        if action.isChecked() != full:
            action.blockSignals(True)
            action.setChecked(full)
            action.blockSignals(False)
        self.leave_action.setEnabled(self.on or full)

    def _on_dark_theme_toggled(self, on: bool) -> None:
        self.settings.update({DARK_KEY: on})
        if self.on:
            return
        if on:
            themes.set_theme(themes.DARK)
        elif self._startup_look[0] is themes.LIGHT:
            themes.restore(self._startup_look)   # exactly the look the window opened with
        else:
            themes.set_theme(themes.LIGHT)
