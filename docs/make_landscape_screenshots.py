"""Screenshots of the Landscape tab after the chapter's race (Compare) has trained a while.

Run under a virtual X server at the size wanted, from the repository::

    xvfb-run -a -s "-screen 0 1024x768x24" .venv/bin/python docs/make_landscape_screenshots.py /tmp/landscape-1024x768
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/make_landscape_screenshots.py /tmp/landscape-1920x1080 --maximized

writes ``<prefix>.png``: the race paused at ``--epochs`` (300), its landscape computed on the tab.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs"))
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="nngui-shots-")

from nngui.gui.qt import QtCore, QtWidgets  # noqa: E402
from make_screenshots import grab, run_app, screenshot_options  # noqa: E402


def drive(args):
    window = next(w for w in QtWidgets.QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    if args.maximized:
        window.setGeometry(window.screen().availableGeometry())
    if not args.single:
        window.compare_action.trigger()
    if args.projector:
        window.projector.projector_action.trigger()
    window.model.experiment.set_epochs(args.epochs)
    view = window.landscape_view

    def after(stop):
        if stop.reason in ("limit", "diverged", "error"):
            view.landscape_ready.connect(lambda _: QtCore.QTimer.singleShot(400, finish))
            window.view_tabs.setCurrentWidget(view)

    def finish():
        grab(f"{args.prefix}.png")
        window.close()

    def start():
        window.model.set_pace(None)   # the picture, not the class's pace
        window.controller.stopped.connect(after)
        window.play_action.trigger()

    QtCore.QTimer.singleShot(800, start)


def main():
    parser = screenshot_options(__doc__, "write <prefix>.png", 300)
    parser.add_argument("--single", action="store_true", help="one run (the window's first), not the race")
    return run_app(drive, parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
