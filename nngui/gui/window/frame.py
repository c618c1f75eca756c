"""The window's frame: its first place, full screen and back, the blank screen: the main window's own.

``WindowFrame`` is a part of ``MainWindow`` (a base class of it), not a helper handed the
window: it holds what only a top-level window can do. Projector mode is given the few of
these it needs as ``FrameControls``, a bundle of the window's own methods, never the window.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

from nngui.gui.files import session
from nngui.gui.qt import QtCore, QtGui, QtWidgets

#: After leaving full screen, when to check that the window manager gave the window its old place back.
RESTORE_CHECKS_MS = (0, 100, 300, 1000)


@dataclass(frozen=True)
class FrameControls:
    """What projector mode may do to the window's frame and chrome (each the window's own method)."""

    frame: Callable[[], tuple]
    is_full_screen: Callable[[], bool]
    full_screen: Callable[[], None]
    set_window_state: Callable[[object], None]
    fill_screen: Callable[[], bool]
    keeping_geometry: Callable
    restore_frame: Callable[[object, object, dict], None]
    hideable: Callable[[], list]
    splitters: Callable[[], list]
    blank: Callable[[bool], None]


class BlankScreen(QtWidgets.QWidget):
    """Black over the whole window (B, as in slide programs); B, any other key or a click brings it back."""

    def __init__(self, parent):
        super().__init__(parent)
        self.setObjectName("blankScreen")
        self.setAccessibleName("blankScreen")
        self.setToolTip("The screen is blanked: press any key to bring it back")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor("black"))
        self.setPalette(palette)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self._focus = None
        parent.installEventFilter(self)
        self.hide()

    def blank(self, on: bool) -> None:
        if on == self.isVisible():
            return
        if on:
            self._focus = QtWidgets.QApplication.focusWidget()
            self.setGeometry(self.parentWidget().rect())
            self.show()
            self.raise_()
            self.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
        else:
            self.hide()
            if self._focus is not None:
                try:
                    self._focus.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
                except RuntimeError:
                    pass   # the widget that had the focus is gone
            self._focus = None

    def event(self, event):
        # every key comes here while blank, the window's shortcuts too: the next key only brings the picture back
        if event.type() == QtCore.QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event):
        self.blank(False)

    def mousePressEvent(self, event):
        self.blank(False)

    def eventFilter(self, watched, event):
        if watched is self.parentWidget() and event.type() == QtCore.QEvent.Type.Resize and self.isVisible():
            self.setGeometry(watched.rect())
        return False


class WindowFrame:
    """The frame operations of a ``QMainWindow`` (mixed into ``MainWindow``)."""

    _placed: QtCore.QRect | None = None
    _wanted: tuple | None = None
    _first_show_pending = False

    def frame_controls(self) -> FrameControls:
        """The window's frame operations for projector mode."""
        if not hasattr(self, "blank_screen"):
            self.blank_screen = BlankScreen(self)
        return FrameControls(
            frame=self.frame, is_full_screen=self.isFullScreen, full_screen=self.full_screen,
            set_window_state=self.setWindowState, fill_screen=self.fill_screen,
            keeping_geometry=self.keeping_geometry, restore_frame=self.restore_frame, hideable=self.hideable,
            splitters=self.splitters, blank=self.blank_screen.blank)

    # --- the first place ----------------------------------------------------------------------------

    def fit_on_first_show(self) -> None:
        """After the first show, once the frame is known: shrink and centre the window if its frame
        sticks out, and place it by its real frame while it is still where the first launch put it."""
        self._placed = self.geometry()   # where the first launch put it (the user may move it after)
        self._first_show_pending = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._first_show_pending:
            self._first_show_pending = False
            # a window manager frames a window late: look at the frame a few times
            for delay in session.FRAME_CHECKS_MS:
                QtCore.QTimer.singleShot(delay, self, self.check_first_place)

    def check_first_place(self) -> None:
        """The first launch's place, by the frame known now (see ``fit_on_first_show``)."""
        if self.windowState() & (QtCore.Qt.WindowState.WindowFullScreen | QtCore.Qt.WindowState.WindowMaximized):
            return
        available = (self.screen() or QtGui.QGuiApplication.primaryScreen()).availableGeometry()
        wanted = session.first_geometry(available, session.frame_margins(self))
        # placed with a guessed frame: once the real one is known (or known to be none), place it by that
        if not session.fits(self.frameGeometry(), available) or (self._placed and self.geometry() == self._placed):
            if self.geometry() != wanted:
                self.setGeometry(wanted)
            self._placed = wanted

    # --- full screen and back --------------------------------------------------------------------------

    def hideable(self) -> list[QtWidgets.QWidget]:
        """What projector mode folds away: the menus, the toolbars, the control column, the status bar's hints."""
        return [self.menuBar(), *self.findChildren(QtWidgets.QToolBar), self.stage.control_scroll, self.statusBar()]

    def splitters(self) -> list[QtWidgets.QSplitter]:
        # the ones shown (a hidden dock's splitter has no sizes yet: Qt gives it its own when shown)
        return [s for s in self.findChildren(QtWidgets.QSplitter) if s.isVisible()]

    def frame(self) -> tuple:
        """``(window state, geometry)`` now, to give back later with ``restore_frame``."""
        self._wanted = None   # a restore still being checked is over: the window moves on from here
        return self.windowState(), self.geometry()

    def full_screen(self) -> None:
        self._wanted = None
        self.showFullScreen()

    def fill_screen(self) -> bool:
        """Take the whole screen by hand where full screen was not granted (no window manager); True if it did."""
        screen = (self.screen() or QtGui.QGuiApplication.primaryScreen()).geometry()
        if self.geometry() == screen:
            return False
        self.setGeometry(screen)
        return True

    @contextmanager
    def keeping_geometry(self):
        """The window keeps its place and size through a change of layout (Qt would grow it to its least size)."""
        geometry = self.geometry()
        yield
        self.centralWidget().layout().activate()
        if self.geometry() != geometry:
            self.setGeometry(geometry)

    def restore_frame(self, state, geometry, splitters: dict) -> None:
        """Give back the window's ``state`` and ``geometry`` and the splitters' sizes, as they were.

        A window manager restores a window from full screen on its own time, and may put back the
        size it remembers rather than ours: the geometry is asked for again until it holds
        (``RESTORE_CHECKS_MS``), unless the user has moved on to another state meanwhile.
        """
        central = self.centralWidget().layout()
        # the window's least size follows its contents at the normal font (the timeline and the
        # network drawing back in their places) before it is given its old size
        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
        central.activate()
        self.layout().activate()
        Qt = QtCore.Qt.WindowState
        if not state & Qt.WindowFullScreen:
            self.setWindowState(state)
            self._wanted = (state, geometry)
            if not state & (Qt.WindowMaximized | Qt.WindowMinimized):
                self.setGeometry(geometry)
            for delay in RESTORE_CHECKS_MS:
                QtCore.QTimer.singleShot(delay, self, self._check_restored)
        # the layouts settle first, then the splitters get back their exact sizes. On the way back the
        # window passes through larger sizes (its least size at projector scale, where the maps ask
        # 260 px): the network drawing may show and hide again there, and a splitter hides the handle
        # of a hidden widget only on its next layout request. Deliver those now, or the saved sizes
        # are given with a stale handle counted and the maps lose its pixels. (Only the splitters' own
        # requests: the window's would grow it to a least size measured before the fonts settled.)
        for splitter in splitters:
            QtCore.QCoreApplication.sendPostedEvents(splitter, QtCore.QEvent.Type.LayoutRequest)
        central.activate()
        for splitter, sizes in splitters.items():
            splitter.setSizes(sizes)

    def _check_restored(self) -> None:
        wanted = self._wanted
        if wanted is None:
            return
        state, geometry = wanted
        Qt = QtCore.Qt.WindowState
        if self.windowState() & Qt.WindowFullScreen and not state & Qt.WindowFullScreen:
            # the window manager kept (or put back) full screen: ask again
            self.setWindowState(state)
        if (self.windowState() & ~Qt.WindowActive) == (state & ~Qt.WindowActive) == Qt.WindowNoState \
                and self.geometry() != geometry:
            self.setGeometry(geometry)
