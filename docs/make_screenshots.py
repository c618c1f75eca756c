"""Screenshots of the app as a person sees it: before and after training, the whole screen.

Run under a virtual X server at the size wanted, from the repository::

    xvfb-run -a -s "-screen 0 1024x768x24" .venv/bin/python docs/make_screenshots.py /tmp/shot-1024x768
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/make_screenshots.py /tmp/shot-1920x1080 --maximized

writes ``<prefix>-before.png`` and ``<prefix>-after.png`` (the chapter's setting after its 10,001 epochs).
``--projector`` shoots projector mode (F5), ``--dark`` the dark theme; ``--every-view`` also writes
``<prefix>-after-<view>.png`` for each view tab and ``<prefix>-after-controls.png`` with the control
column shown (in projector mode, where it is folded away)::

    xvfb-run -a -s "-screen 0 1024x768x24" .venv/bin/python docs/make_screenshots.py /tmp/proj --compare --projector --every-view

Full screen and window frames come from a window manager; with one (openbox here) the shots
show what a desktop shows::

    xvfb-run -a -s "-screen 0 1024x768x24" sh -c "openbox & .venv/bin/python docs/make_screenshots.py /tmp/proj --projector"
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# a settings folder of its own: the first-launch window, and the user's settings untouched
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="nngui-shots-")

from nngui.gui.window import app as app_module  # noqa: E402
from nngui.gui.qt import QtCore, QtGui, QtWidgets  # noqa: E402


def grab(path):
    screen = QtGui.QGuiApplication.primaryScreen()
    screen.grabWindow(0).save(str(path))
    print(f"{path} ({screen.size().width()}×{screen.size().height()})")


def drive(args):
    prefix = args.prefix
    window = next(w for w in QtWidgets.QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    if args.maximized:
        window.showMaximized()
        # a bare X server has no window manager to maximize with: fill the screen by hand
        if window.geometry().height() < window.screen().availableGeometry().height() * 0.9:
            window.setGeometry(window.screen().availableGeometry())
    if args.experiment:
        window.files.open_experiment(args.experiment)
    if args.compare:
        window.compare_action.trigger()
    if args.projector:
        window.projector.projector_action.trigger()
    if args.dark:
        window.projector.dark_theme_action.trigger()
    window.model.experiment.set_epochs(args.epochs)
    window.model.set_pace(None)   # the picture, not the class's pace

    def before():
        grab(f"{prefix}-before.png")
        window.controller.stopped.connect(after)
        window.play_action.trigger()

    def after(stop):
        if stop.reason in ("limit", "diverged", "error"):
            # one more frame so the last snapshot is painted everywhere
            QtCore.QTimer.singleShot(400, finish)

    def finish():
        grab(f"{prefix}-after.png")
        if args.every_view:
            QtCore.QTimer.singleShot(0, lambda: shoot_views(0))
        else:
            window.close()

    def shoot_views(index):
        tabs = window.view_tabs
        if index < tabs.count():
            tabs.setCurrentIndex(index)
            slug = "".join(c if c.isalnum() else "-" for c in tabs.tabText(index).lower()).strip("-")
            QtCore.QTimer.singleShot(600, lambda: (grab(f"{prefix}-after-{slug}.png"), shoot_views(index + 1)))
            return
        tabs.setCurrentIndex(0)
        bar = window.projector.bar.controls_button
        if window.projector.on and not bar.isChecked():
            bar.click()
            QtCore.QTimer.singleShot(600, lambda: (grab(f"{prefix}-after-controls.png"), window.close()))
        else:
            window.close()

    QtCore.QTimer.singleShot(800, before)


def screenshot_options(doc, prefix_help, epochs):
    """The options every screenshot script takes: the files' prefix, the epochs to train, maximized, projector mode."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("prefix", help=prefix_help)
    parser.add_argument("--epochs", type=int, default=epochs, help=f"train this many epochs ({epochs})")
    parser.add_argument("--maximized", action="store_true", help="let the window fill the screen")
    parser.add_argument("--projector", action="store_true", help="in projector mode (F5)")
    return parser


def run_app(drive, args, app_args=()):
    """Start the app with ``app_args`` and call ``drive(args)`` once its event loop runs; the app's exit status."""
    QtCore.QTimer.singleShot(0, lambda: drive(args))
    return app_module.main(list(app_args))


def main():
    parser = screenshot_options(__doc__, "write <prefix>-before.png and <prefix>-after.png", 10001)
    parser.add_argument("--experiment", help="open this experiment file first")
    parser.add_argument("--compare", action="store_true", help="race the chapter's three optimizers (Compare)")
    parser.add_argument("--dark", action="store_true", help="in the dark theme (View ▸ Dark theme)")
    parser.add_argument("--every-view", action="store_true",
                        help="also shoot each view tab, and the control column shown")
    return run_app(drive, parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
