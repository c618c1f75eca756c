"""Projector mode (F5), full screen (F11) and the dark theme: the View menu's looks.

Projector mode is for a class at the back of a room, on a 1024×768 projector:

- full screen, the menus and the toolbar hidden (F5 or Esc leaves it);
- every font ``FONT_SCALE`` (1.6) × its normal size — the status line, panels, legends, axis
  labels, tick labels and map captions all follow the application's font — but the projector
  bar's, the teacher's buttons (``BAR_FONT_SCALE``, 1.25);
- curves ``LINE_SCALE`` × thicker, the maps' points ``POINT_SCALE`` × larger;
- the high-contrast theme (``themes.HIGH_CONTRAST``): black text, strong map tints, dark lines;
- the control column collapses to a bar of Play, Step and Reset with a Controls button that
  shows the column again (the plots step aside while it is shown), so the maps and plots get
  the room; the status line keeps to one line;
- the pace (slower: −, faster: +) and the look-back slider move into that bar; the stage
  (``stage.py``) stacks the race's maps in a row above the plots, which stand side by side, and
  a race's maps take the network drawing's room (at 1.6× a class reads the maps, not 387
  weights); a single run keeps its drawing; the plots give their title rows to the data (each y
  axis's label names its plot); tick labels keep apart at any size (``ticks.py``);
- B blanks the screen to black, as slide programs do; B or any key brings it back.

Leaving it gives back exactly what was there before: every size, font, colour, visibility,
the window's state and place, the splitters' sizes. The choice is a view preference kept in
the settings, so a teacher's next launch opens in projector mode again (the training
settings still start at the chapter's defaults).

The dark theme (``darkThemeAction``) is for screens in a dim room; it is remembered in the
settings and is never the projector's look (projector mode always uses its high-contrast theme).
"""

from __future__ import annotations

from nngui.model import PACES

from . import themes
from nngui.gui.controls.panels import short_pace_label

from .actions import make_action, make_button
from nngui.gui.qt import QtCore, QtGui, QtWidgets

#: Text grows by this factor (10.5 pt → 16.8 pt with the normal theme).
FONT_SCALE = 1.6
#: The projector bar's text grows by this factor only (10.5 pt → 13.1 pt): its buttons are the teacher's, the
#: class reads the status line, the maps and the plots; the bar stays low and fits an 800-pixel screen.
BAR_FONT_SCALE = 1.25
#: Curves grow by this factor (2 px → 3 px).
LINE_SCALE = 1.5
#: Scatter points in the decision boundary grow by this factor (8 px → 11.2 px).
POINT_SCALE = 1.4
SETTINGS_KEY = "view/projector"
DARK_KEY = "view/dark"
MESSAGE_MS = 4000
#: When to check that full screen was granted (a window manager answers within a few frames).
FULL_SCREEN_CHECK_MS = 300

PROJECTOR_TIP = ("Projector mode (F5): full screen, larger text everywhere, thicker curves and larger points, "
                 "high contrast, the controls folded away; F5 or Esc gives back the normal look")
FULL_SCREEN_TIP = "Full screen (F11): use the whole screen; press again to leave it"
DARK_TIP = ("Dark theme: light text and lines on a dark background, for a screen in a dim room "
            "(projector mode keeps its high-contrast light look)")
LEAVE_TIP = "Leave projector mode or full screen (Esc)"
PLOTS_TIP = ("In projector mode a race shows its loss plot alone under the maps, so both keep their size; "
             "check to show the accuracy and learning-rate plots and the captions too")
CONTROLS_TIP = "Show or hide the data, network and optimizer controls beside the maps"
BLANK_TIP = "Blank the screen to black (B), as slide programs do; B or any key brings it back"


class ProjectorBar(QtWidgets.QWidget):
    """Projector mode's controls: Play, Step, Reset, the pace, a button that shows the control column, the way out."""

    def __init__(self, actions, pace_actions, leave_action, parent=None):
        super().__init__(parent)
        self.setObjectName("projectorBar")
        self.setAccessibleName("projectorBar")
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.buttons = {}
        for action in actions:
            name = action.objectName().replace("Action", "")
            self.buttons[name] = make_button(f"projector{name.title()}Button", action=action, tool=True)
            layout.addWidget(self.buttons[name])
        slower, faster = pace_actions
        # narrow signs on the bar (the menu's words are in the tooltips): the slider keeps its room
        self.slower_button = make_button("projectorSlowerButton", "−", slower.toolTip(), slower.trigger, tool=True)
        self.pace_label = QtWidgets.QLabel()
        self.pace_label.setObjectName("projectorPaceLabel")
        self.pace_label.setAccessibleName("projectorPaceLabel")
        self.pace_label.setToolTip("Epochs trained per second (− slower, + faster)")
        self.pace_label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.faster_button = make_button("projectorFasterButton", "+", faster.toolTip(), faster.trigger, tool=True)
        for widget in (self.slower_button, self.pace_label, self.faster_button):
            layout.addWidget(widget)
        self.controls_button = make_button("controlsButton", "Controls", CONTROLS_TIP, tool=True)
        self.controls_button.setCheckable(True)
        layout.addWidget(self.controls_button)
        # the note that a race's other plots stepped aside, and the way to show them (the stage places
        # it beside the legend, above the plots it is about)
        self.plots_button = make_button("allPlotsButton", "+ Accuracy, rate", PLOTS_TIP, tool=True)
        self.plots_button.setCheckable(True)
        layout.addStretch(1)
        self.leave_button = make_button("leaveProjectorButton", action=leave_action, tool=True)
        layout.addWidget(self.leave_button)
        self.hide()

    def show_pace(self, pace) -> None:
        self.pace_label.setText(short_pace_label(pace))

    def changeEvent(self, event):
        if event.type() == QtCore.QEvent.Type.FontChange:
            # the widest pace keeps its room: the buttons beside it do not move as the pace changes
            metrics = self.pace_label.fontMetrics()
            self.pace_label.setMinimumWidth(max(metrics.horizontalAdvance(short_pace_label(p)) for p in PACES) + 8)
        super().changeEvent(event)

    def timeline_slot(self) -> int:
        """Where the look-back slider stands in the bar while lent to it (after Controls)."""
        return self.layout().indexOf(self.controls_button) + 1


class ProjectorMode(QtCore.QObject):
    """The View actions (projector mode, full screen, dark theme, blank screen) and what to give back after them.

    ``stage`` places everything (the window's one layout); ``frame`` (``FrameControls``) is what it may
    do to the window's frame: full screen, the window's state and place, the chrome it folds away,
    the blank screen; ``scale(text, line, point)`` sizes the views' text, curves and points;
    ``restyle()`` draws everything again after a theme change; ``notify(text, ms)`` shows a message
    in the status bar.
    """

    def __init__(self, stage, frame, settings, bar_actions, pace_actions, status_line, scale, restyle, notify):
        super().__init__(stage)
        self.stage, self.frame, self.settings, self.status_line = stage, frame, settings, status_line
        self._scale, self._notify = scale, notify
        self._saved: dict | None = None       # everything projector mode changed, as it was before
        self._startup_look = themes.snapshot()
        self._state_before_full_screen = QtCore.Qt.WindowState.WindowNoState
        self.projector_action = make_action(self, "projectorAction", "&Projector mode", PROJECTOR_TIP,
                                            self._on_projector_toggled, "F5", checkable=True)
        self.full_screen_action = make_action(self, "fullScreenAction", "&Full screen", FULL_SCREEN_TIP,
                                              self._on_full_screen_toggled, "F11", checkable=True)
        self.dark_theme_action = make_action(self, "darkThemeAction", "&Dark theme", DARK_TIP,
                                             self._on_dark_theme_toggled, checkable=True)
        self.leave_action = make_action(self, "leaveProjectorAction", "Leave", LEAVE_TIP,
                                        self._on_leave_triggered, "Esc")
        self.leave_action.setEnabled(False)
        self.blank_action = make_action(self, "blankAction", "&Blank the screen", BLANK_TIP,
                                        lambda: frame.blank(True), "B")
        self.bar = ProjectorBar(bar_actions, pace_actions, self.leave_action)
        self.bar.controls_button.toggled.connect(self._on_controls_toggled)
        self.bar.plots_button.toggled.connect(self._on_plots_toggled)
        stage.add_plots_toggle(self.bar.plots_button)
        self._restyle = restyle
        themes.signals.theme_changed.connect(self._restyle)

    def actions(self):
        """The View menu's entries."""
        return [self.projector_action, self.full_screen_action, self.dark_theme_action, self.blank_action]

    def shortcut_actions(self):
        """Every action with a key (the window adds them so the keys work wherever the focus is)."""
        return [*self.actions(), self.leave_action]

    def bar_point_size(self) -> float | None:
        """The projector bar's text size in points while in projector mode (None: not in it), for the other
        text that is the teacher's more than the class's (the warning banner, which the status line sums up)."""
        return self._saved["font"].pointSizeF() * BAR_FONT_SCALE if self._saved is not None else None

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
        self.leave_action.setEnabled(self.on or self.frame.is_full_screen())
        self.dark_theme_action.setEnabled(not self.on)
        if self.projector_action.isChecked() != on:
            self.projector_action.blockSignals(True)
            self.projector_action.setChecked(on)
            self.projector_action.blockSignals(False)

    def _enter(self) -> None:
        app = QtWidgets.QApplication.instance()
        stage, frame, status = self.stage, self.frame, self.status_line
        self._saved = {
            "font": QtGui.QFont(app.font()),
            "look": themes.snapshot(),
            "frame": frame.frame(),
            "shown": {widget: not widget.isHidden()
                      for widget in [*frame.hideable(), stage.plot_column, stage.parts.network_view]},
            "splitters": {splitter: splitter.sizes() for splitter in frame.splitters()},
            "status": (status.wordWrap(), status.minimumHeight(), status.maximumHeight()),
        }
        font = QtGui.QFont(self._saved["font"])
        font.setPointSizeF(self._saved["font"].pointSizeF() * FONT_SCALE)
        self._set_font(font)
        themes.set_theme(themes.HIGH_CONTRAST, app)
        # a style sheet's size (under the application's style sheet a widget's own font is overruled): it
        # reaches the look-back slider while it is lent to the bar, and leaves it with the bar
        self.bar.setStyleSheet(f"* {{ font-size: {self.bar_point_size():.2f}pt; }}")
        self._scale(FONT_SCALE, LINE_SCALE, POINT_SCALE)
        stage.fit_control_column()
        self.bar.controls_button.setChecked(False)
        self.bar.plots_button.setChecked(False)
        for widget in frame.hideable():
            widget.hide()
        stage.set_projector(True, self.bar, self.bar.timeline_slot())
        self.bar.show()
        # one line, as in the normal look (cut with "…" where it is longer): the maps keep the room
        status.setWordWrap(False)
        status.setFixedHeight(status.fontMetrics().lineSpacing() + 2)
        frame.full_screen()
        stage.share_room()
        # without a window manager (a bare X server) full screen is not granted: take the screen by hand
        QtCore.QTimer.singleShot(FULL_SCREEN_CHECK_MS, self, self._fill_screen)

    def _fill_screen(self) -> None:
        if self.on and self.frame.fill_screen():
            QtCore.QTimer.singleShot(0, self, lambda: self.on and self.stage.share_room())

    def _leave(self) -> None:
        saved, self._saved = self._saved, None
        stage, frame = self.stage, self.frame
        # out of full screen first: a window manager asked while the fonts and the layout change
        # under it can keep the window full screen (openbox did, every time, at 1024×768)
        if not saved["frame"][0] & QtCore.Qt.WindowState.WindowFullScreen:
            frame.set_window_state(saved["frame"][0])
        self.bar.hide()
        self.bar.setStyleSheet("")   # the application's font again
        self._set_font(saved["font"])
        themes.restore(saved["look"])
        wrap, low, high = saved["status"]
        self.status_line.setWordWrap(wrap)
        self.status_line.setMinimumHeight(low)
        self.status_line.setMaximumHeight(high)
        stage.set_projector(False, self.bar, self.bar.timeline_slot())
        for widget, shown in saved["shown"].items():
            widget.setVisible(shown)
        # the column measures its panels at the normal font once they are shown again
        stage.control_scroll.widget().layout().activate()
        self._scale(1.0, 1.0, 1.0)
        stage.fit_control_column()
        frame.restore_frame(*saved["frame"], saved["splitters"])

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

    def _on_projector_toggled(self, on: bool) -> None:
        self.apply(on)
        self.settings.update({SETTINGS_KEY: on})
        self._notify("Projector mode: press F5 or Esc for the normal look, B to blank the screen." if on
                     else "Projector mode off.", MESSAGE_MS)

    def _on_leave_triggered(self) -> None:
        if self.on:
            self.projector_action.setChecked(False)
        elif self.frame.is_full_screen():
            self.full_screen_action.setChecked(False)

    def _on_controls_toggled(self, shown: bool) -> None:
        if self.on:
            # at 1.6× the column, the maps and the plots do not all fit 1024 pixels: the plots step
            # aside while the controls are shown; the window keeps the screen (Qt would widen it by
            # the column where no window manager holds it)
            with self.frame.keeping_geometry():
                self.stage.show_controls(shown)

    def _on_plots_toggled(self, shown: bool) -> None:
        with self.frame.keeping_geometry():
            self.stage.show_all_plots(shown)

    # --- full screen and the dark theme -------------------------------------------------

    def _on_full_screen_toggled(self, on: bool) -> None:
        frame = self.frame
        if on and not frame.is_full_screen():
            self._state_before_full_screen = frame.frame()[0] & ~QtCore.Qt.WindowState.WindowFullScreen
            frame.full_screen()
        elif not on and frame.is_full_screen():
            frame.set_window_state(self._state_before_full_screen)

    def sync_full_screen_action(self) -> None:
        """Tick or untick the Full screen action to match the window (after F11, a window manager, …)."""
        action, full = self.full_screen_action, self.frame.is_full_screen()
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
