"""Screenshots of looking back: the chapter's race trained, then the timeline dragged to an earlier epoch.

Run under a virtual X server at the size wanted, from the repository::

    xvfb-run -a -s "-screen 0 1024x768x24" .venv/bin/python docs/make_timeline_screenshots.py /tmp/look-1024x768
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/make_timeline_screenshots.py \\
        /tmp/look-1920x1080 --maximized

writes ``<prefix>-live.png`` (the race after its epochs) and ``<prefix>-epoch-<k>.png`` (looking back at k).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs"))
# a settings folder of its own: the first-launch window, and the user's settings untouched
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="nngui-shots-")

from nngui.gui.qt import QtCore, QtWidgets  # noqa: E402
from make_screenshots import grab, run_app, screenshot_options  # noqa: E402  (one way to shoot the screen)


def drive(args):
    prefix = args.prefix
    window = next(w for w in QtWidgets.QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    if args.maximized:
        # a bare X server has no window manager to maximize with: fill the screen by hand
        window.setGeometry(window.screen().availableGeometry())
    window.compare_action.trigger()  # Ctrl+K: the chapter's three optimizers
    if args.projector:
        window.projector.projector_action.trigger()
    window.model.experiment.set_epochs(args.epochs)

    def play():
        window.model.set_pace(None)   # the picture, not the class's pace
        window.controller.stopped.connect(trained)
        window.play_action.trigger()

    def trained(stop):
        if stop.reason in ("limit", "diverged", "error"):
            window.controller.stopped.disconnect(trained)
            QtCore.QTimer.singleShot(400, live)

    def live():
        grab(f"{prefix}-live.png")
        window.timeline.shown_changed.connect(looked)
        slider = window.findChild(QtWidgets.QSlider, "timelineSlider")
        slider.setFocus()
        slider.setValue(args.look_back)  # as a drag would

    def looked(snapshot):
        QtCore.QTimer.singleShot(400, lambda: finish(snapshot.epoch))

    def finish(epoch):
        grab(f"{prefix}-epoch-{epoch}.png")
        window.close()

    QtCore.QTimer.singleShot(800, play)


def main():
    parser = screenshot_options(__doc__, "write <prefix>-live.png and <prefix>-epoch-<k>.png", 10001)
    parser.add_argument("--look-back", type=int, default=1500, help="then look back at this epoch (1500)")
    return run_app(drive, parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
