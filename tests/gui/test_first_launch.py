"""The first window fits the screen's available area with its frame (title bar and borders) counted."""

from __future__ import annotations

from nngui.gui.files import session
from nngui.gui.qt import QtCore, QtGui

QRect, QMargins = QtCore.QRect, QtCore.QMargins


def _framed(inner: QRect, frame: QMargins) -> QRect:
    return inner.marginsAdded(frame)


def test_a_1024x768_screen_holds_the_window_and_its_frame():
    available, frame = QRect(0, 0, 1024, 768), QMargins(4, 28, 4, 4)
    inner = session.first_geometry(available, frame)
    assert inner == QRect(4, 28, 1016, 736)
    assert _framed(inner, frame) == available
    # without the frame counted the window alone would take the screen: its frame 32 px taller than it
    assert not session.fits(_framed(session.first_geometry(available, QMargins()), frame), available)


def test_a_large_screen_gets_the_default_size_centred_below_a_panel():
    available, frame = QRect(0, 32, 1920, 1048), QMargins(1, 32, 1, 1)
    inner = session.first_geometry(available, frame)
    assert inner.size() == QtCore.QSize(*session.DEFAULT_SIZE)
    outer = _framed(inner, frame)
    assert session.fits(outer, available)
    assert abs((outer.left() - available.left()) - (available.right() - outer.right())) <= 1
    assert abs((outer.top() - available.top()) - (available.bottom() - outer.bottom())) <= 1


def test_the_first_window_fits_and_a_late_frame_is_made_to_fit(qtbot, close_window, new_window):
    window = new_window(show=False)
    window.show()
    qtbot.waitExposed(window)
    available = window.screen().availableGeometry()
    # the offscreen platform draws a 2 px frame: once it is known the window is fitted to it
    qtbot.waitUntil(lambda: session.fits(window.frameGeometry(), available))
    # a window manager frames the window after it is shown: a 28 px title bar now sticks out below
    frame = QMargins(3, 28, 3, 3)
    window.setGeometry(available)
    window.frameGeometry = lambda: window.geometry().marginsAdded(frame)
    window.check_first_place()
    assert session.fits(window.frameGeometry(), available)
    assert window.geometry().height() == min(session.DEFAULT_SIZE[1], available.height() - 31)
    del window.frameGeometry
    close_window(window)


def test_the_frame_is_guessed_only_where_a_window_manager_draws_one(monkeypatch):
    assert QtGui.QGuiApplication.platformName() == "offscreen"
    assert session.guessed_frame() == QMargins()
    monkeypatch.setattr(QtGui.QGuiApplication, "platformName", staticmethod(lambda: "xcb"))
    assert session.guessed_frame() == QMargins(*session.FRAME_GUESS)
