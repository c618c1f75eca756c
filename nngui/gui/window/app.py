"""Start the desktop app: ``main(argv)`` makes the QApplication, themes it and shows the window.

``--self-test`` trains the default setting in the real window and exits (see ``selftest``).
Arguments it does not know are handed to Qt (``-platform offscreen``, ``-style …``).
Ctrl-C closes the window as its close button would and ends with exit status 130 (``interrupt``).
"""

from __future__ import annotations

import os
import sys

from nngui.threads import one_blas_thread

USAGE = """usage: nngui [--self-test] [--version] [--lesson FILE] [Qt options]

Watch a neural network learn: pick a 2-D data set and an optimizer (SGD, SGD + decay,
SGD + momentum), press Play (Space), and see the loss, accuracy, learning rate and
decision boundary change live. Step one epoch: → or S. Reset: R.

  --self-test   open the window, train 300 epochs, check every plot got data, exit 0
  --version     print the version and exit
  --lesson FILE open the window at the first step of a lesson file (PageDown: next step)
  nngui train … train without a window (nngui train --help)
  nngui surface … walk optimizers on a loss surface of two weights (nngui surface --help)
  nngui export … train without a window and write the slide pack (nngui export --help)
"""

ORGANIZATION = "nngui"
APPLICATION = "nngui"


def return_freed_memory_to_the_system() -> bool:
    """Have glibc hand large freed blocks back to the system at once (True if it could be asked).

    By default glibc raises its mmap threshold to the size of each large block freed, so
    the history's doubling, the plots' per-frame arrays and the decision grid soon come
    from a heap that only grows: a long run's memory creeps up by tens of MB. A fixed
    threshold (256 kB) keeps blocks that large in mmap, returned to the system when freed.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        return bool(libc.mallopt(m_mmap_threshold, 256 * 1024) and libc.mallopt(m_trim_threshold, 1024 * 1024))
    except (OSError, AttributeError):
        return False  # not glibc (musl, …): nothing to tune


def _no_display() -> bool:
    """True on Linux with neither a display nor a Qt platform chosen (Qt would abort)."""
    return (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
            and "-platform" not in sys.argv)


def _quiet_offscreen_platform(QtCore):
    """Drop the offscreen platform's one harmless complaint; every other Qt message goes to stderr."""
    def handler(mode, context, message):
        if "propagateSizeHints" in message:
            return
        category = context.category if context is not None else None
        prefix = f"{category}: " if category and category != "default" else ""
        print(f"{prefix}{message}", file=sys.stderr, flush=True)

    QtCore.qInstallMessageHandler(handler)


def _window_icon(QtGui):
    """The app's icon in every size shipped, or None when the resources are not found."""
    try:
        from nngui.resources import icon_paths
        paths = icon_paths()
    except (ImportError, FileNotFoundError):
        return None
    icon = QtGui.QIcon()
    for path in paths:
        icon.addFile(str(path))
    return None if icon.isNull() else icon


def take_lesson(argv):
    """``((Lesson, file name) or None, the other arguments)`` for ``--lesson FILE`` (or ``--lesson=FILE``).

    The file is read before any window opens; a bad one raises ValueError (an ``ExperimentError``)
    naming the file and the field.
    """
    from pathlib import Path

    for index, argument in enumerate(argv):
        if argument == "--lesson" or argument.startswith("--lesson="):
            if "=" in argument:
                path, rest = argument.partition("=")[2], argv[:index] + argv[index + 1:]
            elif index + 1 < len(argv):
                path, rest = argv[index + 1], argv[:index] + argv[index + 2:]
            else:
                raise ValueError("--lesson needs a lesson file: nngui --lesson FILE")
            from nngui.teaching import lessons
            return (lessons.read(path), Path(path).name), rest
    return None, list(argv)


def main(argv=None) -> int:
    """Run the app (or its self-test); the process's exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if "-h" in argv or "--help" in argv:
        print(USAGE, end="")
        return 0
    if "--version" in argv:
        from nngui import __version__
        print(f"nngui {__version__}")
        return 0
    try:
        lesson, argv = take_lesson(argv)
    except ValueError as error:
        print(f"nngui: {error}", file=sys.stderr)
        return 2
    self_test = "--self-test" in argv
    qt_args = [a for a in argv if a != "--self-test"]
    if _no_display():
        if not self_test:
            print("nngui: no display (neither DISPLAY nor WAYLAND_DISPLAY is set). Run it in a desktop "
                  "session, under xvfb-run -a, or with QT_QPA_PLATFORM=offscreen.", file=sys.stderr)
            return 2
        # the self-test needs no screen: checking what the window holds works offscreen
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    return_freed_memory_to_the_system()
    one_blas_thread()
    from . import theme
    from nngui.gui.qt import QtCore, QtGui, QtWidgets

    theme.configure_before_app()
    app = QtWidgets.QApplication.instance()
    if app is None:
        app = QtWidgets.QApplication([sys.argv[0] if sys.argv else "nngui", *qt_args])
    if app.platformName() == "offscreen":
        _quiet_offscreen_platform(QtCore)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    from nngui import __version__
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("nngui")
    theme.apply_theme(app)
    icon = _window_icon(QtGui)
    if icon is not None:
        app.setWindowIcon(icon)

    from . import interrupt
    with interrupt.ctrl_c_closes_windows(app):
        if self_test:
            from . import selftest
            code = selftest.main(app)
        else:
            from .main_window import MainWindow
            window = MainWindow()
            window.show()
            if lesson is not None:
                window.lessons.open(*lesson)
            code = app.exec()
    if interrupt.interrupted():
        raise interrupt.stop()  # the windows are closed: the entry point says so in one line
    return code
