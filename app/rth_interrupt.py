"""PyInstaller runtime hook, run before all others: Ctrl-C while the bundle starts is one line and exit 130.

PyInstaller's own runtime hooks run before the app's first line, and PySide6's imports
Qt: a Ctrl-C there printed a KeyboardInterrupt traceback, or aborted the interpreter in
shiboken's initialisation. From here on it ends the process at once, as ``nngui.console``
does until a command runs.
"""

from nngui import console

console.catch_interrupts()
