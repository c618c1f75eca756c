"""PyInstaller runtime hook, run before all others: Ctrl-C while the bundle starts is one line and exit 130.

PyInstaller's own runtime hooks run before the app's first line, and PySide6's imports
Qt: a Ctrl-C there printed a KeyboardInterrupt traceback, or aborted the interpreter in
shiboken's initialisation. From here on it ends the process at once, as
``nngui.cli.console.exit_now`` does (same line, same status) until a command runs. Only
modules already loaded are used: ``_signal`` is ``signal``'s C half, without the enums
that take milliseconds to build, and the app's package is not imported yet.
"""

import _signal
import os


def _exit_now(signum, frame):
    try:
        os.write(2, b"nngui: interrupted\n")
    except OSError:
        pass
    os._exit(130)


if _signal.getsignal(_signal.SIGINT) is not _signal.SIG_IGN:
    _signal.signal(_signal.SIGINT, _exit_now)
