"""Ctrl-C (or SIGTERM) while the window is open: close it as its close button would, then end with 130 (143).

Python's own Ctrl-C raises ``KeyboardInterrupt`` in whatever Python code runs next, and
inside Qt's event loop that is some slot: PySide prints a traceback and the window goes
on. While the app runs, Ctrl-C instead wakes the event loop through a socket
(``signal.set_wakeup_fd``) and queues one call that closes every window (each saves the
settings and stops its training thread) and leaves every event loop. ``app.main`` then
raises ``KeyboardInterrupt`` for the entry point's one line, ``nngui: interrupted``.
"""

from __future__ import annotations

import contextlib
import signal
import socket

from nngui.cli import console

from nngui.gui.qt import QtCore, QtWidgets

_interrupted = False
_signum = None  # the signal that ended the app


def interrupted() -> bool:
    """Whether Ctrl-C (or SIGTERM) ended the app."""
    return _interrupted


def stop() -> KeyboardInterrupt:
    """What to raise for the entry point's one line: ``KeyboardInterrupt``, or ``console.Terminated`` for SIGTERM."""
    return console.Terminated() if _signum == signal.SIGTERM else KeyboardInterrupt()


def _on_sigint(signum, frame):
    global _interrupted, _signum
    if _interrupted:
        console.exit_now(signum)  # a second one: closing did not finish, end at once
    _interrupted, _signum = True, signum
    QtCore.QTimer.singleShot(0, _close_everything)


def _close_everything():
    QtWidgets.QApplication.closeAllWindows()
    QtCore.QCoreApplication.exit(console.EXIT_INTERRUPTED)


@contextlib.contextmanager
def ctrl_c_closes_windows(app):
    """While inside, Ctrl-C closes the windows and leaves the event loops (see the module)."""
    global _interrupted, _signum
    _interrupted, _signum = False, None
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        yield  # started ignoring Ctrl-C (a background job): so it stays
        return
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    notifier = QtCore.QSocketNotifier(reader.fileno(), QtCore.QSocketNotifier.Type.Read, app)
    # reading the byte is all: Python runs the handler before this slot, in the main thread
    notifier.activated.connect(lambda *args: _drain(reader))
    previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    previous = signal.signal(signal.SIGINT, _on_sigint)
    # SIGTERM (a logout, kill) closes the windows the same way, unless it was ignored
    previous_term = signal.getsignal(signal.SIGTERM)
    if previous_term is not signal.SIG_IGN:
        signal.signal(signal.SIGTERM, _on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if previous_term is not signal.SIG_IGN:
            signal.signal(signal.SIGTERM, previous_term)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        notifier.deleteLater()
        reader.close()
        writer.close()


def _drain(reader):
    with contextlib.suppress(OSError):
        while reader.recv(64):
            pass
