"""Projector mode: larger text, thicker curves and larger points, for a class at the back of the room.

The whole look lives here: ``ProjectorMode.apply(on)`` scales the application's
font and asks each view to scale its own drawing; off, everything returns to the exact
sizes it had before. The choice is a view preference kept in the settings, so a teacher's
next launch opens in projector mode again (the training settings still start at the
chapter's defaults).
"""

from __future__ import annotations

from .qt import QtCore, QtGui, QtWidgets

#: Text grows by this factor (10.5 pt → about 14 pt with the normal theme).
FONT_SCALE = 1.35
#: Curves grow by this factor (2 px → 3 px).
LINE_SCALE = 1.5
#: Scatter points in the decision boundary grow by this factor (8 px → 11 px).
POINT_SCALE = 1.4
SETTINGS_KEY = "view/projector"

PROJECTOR_TIP = ("Projector mode (F5): larger text everywhere, thicker curves and larger points, "
                 "readable from the back of a classroom; press again for the normal look")
FULL_SCREEN_TIP = "Full screen (F11): use the whole screen; press again to leave it"


class ProjectorMode:
    """The window's projector look and full screen: their two View actions, and the font to go back to."""

    def __init__(self, window, settings):
        self.window = window
        self.settings = settings
        self._normal_font: QtGui.QFont | None = None
        self._state_before_full_screen = QtCore.Qt.WindowState.WindowNoState
        self.projector_action = self._checkable("projectorAction", "&Projector mode", PROJECTOR_TIP, "F5",
                                                self._on_projector_toggled)
        self.full_screen_action = self._checkable("fullScreenAction", "&Full screen", FULL_SCREEN_TIP, "F11",
                                                  self._on_full_screen_toggled)

    def actions(self):
        return [self.projector_action, self.full_screen_action]

    def _checkable(self, name, text, tip, shortcut, slot):
        action = QtGui.QAction(text, self.window)
        action.setObjectName(name)
        action.setCheckable(True)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.setShortcut(QtGui.QKeySequence(shortcut))
        action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        action.toggled.connect(slot)
        self.window.addAction(action)
        return action

    @property
    def on(self) -> bool:
        """Whether the window is in projector mode."""
        return self._normal_font is not None

    def restore(self) -> None:
        """Projector mode as the teacher left it last time."""
        if self.settings.flag(SETTINGS_KEY):
            self.apply(True)

    def apply(self, on: bool) -> None:
        """Switch to the projector look, or back to exactly the normal one."""
        app = QtWidgets.QApplication.instance()
        window = self.window
        if on == self.on:
            return
        if on:
            self._normal_font = QtGui.QFont(app.font())
            font = QtGui.QFont(self._normal_font)
            font.setPointSizeF(self._normal_font.pointSizeF() * FONT_SCALE)
        else:
            font, self._normal_font = self._normal_font, None
        app.setFont(font)
        # Qt posts the font change to every widget: deliver it now, so the sizes below see it
        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.ApplicationFontChange)
        if app.styleSheet():
            # under an application style sheet the widgets keep the fonts it polished them with:
            # setting it again polishes them afresh with the new font
            app.setStyleSheet(app.styleSheet())
        text, line, point = (FONT_SCALE, LINE_SCALE, POINT_SCALE) if on else (1.0, 1.0, 1.0)
        for plot in window.plots():
            plot.set_scale(text, line)
        window.run_legend.set_scale(text, line)
        window.boundary_grid.set_scale(text, point)
        window.landscape_view.set_scale(text, line)
        window.fit_control_column()
        if self.projector_action.isChecked() != on:
            self.projector_action.blockSignals(True)
            self.projector_action.setChecked(on)
            self.projector_action.blockSignals(False)

    def _on_projector_toggled(self, on: bool) -> None:
        self.apply(on)
        self.settings.update({SETTINGS_KEY: on})
        self.window.statusBar().showMessage("Projector mode on: press F5 again for the normal look." if on
                                            else "Projector mode off.", 4000)

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
