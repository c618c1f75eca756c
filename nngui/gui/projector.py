"""Projector mode: larger text, thicker curves and larger points, for a class at the back of the room.

The whole look lives here: ``apply_projector_mode(window, on)`` scales the application's
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


def is_projector_mode(window) -> bool:
    """Whether ``window`` is in projector mode."""
    return getattr(window, "_normal_font", None) is not None


def apply_projector_mode(window, on: bool) -> None:
    """Switch ``window`` (a MainWindow) to the projector look, or back to exactly the normal one."""
    app = QtWidgets.QApplication.instance()
    if on == is_projector_mode(window):
        return
    if on:
        window._normal_font = QtGui.QFont(app.font())
        font = QtGui.QFont(window._normal_font)
        font.setPointSizeF(window._normal_font.pointSizeF() * FONT_SCALE)
    else:
        font, window._normal_font = window._normal_font, None
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
    window.boundary_view.set_scale(text, point)
    window.fit_control_column()
    action = window.findChild(QtGui.QAction, "projectorAction")
    if action is not None and action.isChecked() != on:
        action.blockSignals(True)
        action.setChecked(on)
        action.blockSignals(False)


def _on_projector_toggled(window, on: bool) -> None:
    apply_projector_mode(window, on)
    window.settings.update({SETTINGS_KEY: on})
    window.statusBar().showMessage("Projector mode on: press F5 again for the normal look." if on
                                   else "Projector mode off.", 4000)


def _on_full_screen_toggled(window, on: bool) -> None:
    if on and not window.isFullScreen():
        window._state_before_full_screen = window.windowState() & ~QtCore.Qt.WindowState.WindowFullScreen
        window.showFullScreen()
    elif not on and window.isFullScreen():
        window.setWindowState(getattr(window, "_state_before_full_screen", QtCore.Qt.WindowState.WindowNoState))


def sync_full_screen_action(window) -> None:
    """Tick or untick the Full screen action to match the window (after F11, a window manager, …)."""
    action = getattr(window, "full_screen_action", None)
    if action is not None and action.isChecked() != window.isFullScreen():
        action.blockSignals(True)
        action.setChecked(window.isFullScreen())
        action.blockSignals(False)


def _checkable(window, name, text, tip, shortcut, slot):
    action = QtGui.QAction(text, window)
    action.setObjectName(name)
    action.setCheckable(True)
    action.setToolTip(tip)
    action.setStatusTip(tip)
    action.setShortcut(QtGui.QKeySequence(shortcut))
    action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
    action.toggled.connect(lambda on: slot(window, on))
    window.addAction(action)
    return action


def make_view_menu(window) -> QtWidgets.QMenu:
    """The View menu (before Help) with Projector mode (F5) and Full screen (F11); restores projector mode."""
    bar = window.menuBar()
    menu = QtWidgets.QMenu("&View", bar)
    menu.setObjectName("viewMenu")
    help_menu = bar.findChild(QtWidgets.QMenu, "helpMenu")
    if help_menu is not None:
        bar.insertMenu(help_menu.menuAction(), menu)
    else:
        bar.addMenu(menu)
    window.projector_action = _checkable(window, "projectorAction", "&Projector mode", PROJECTOR_TIP,
                                         "F5", _on_projector_toggled)
    window.full_screen_action = _checkable(window, "fullScreenAction", "&Full screen", FULL_SCREEN_TIP,
                                           "F11", _on_full_screen_toggled)
    menu.addAction(window.projector_action)
    menu.addAction(window.full_screen_action)
    if window.settings.flag(SETTINGS_KEY):
        apply_projector_mode(window, True)
    return menu
