"""Screenshots of a lesson, one a step, as the class sees them: the lesson bar, the runs, the captions.

Run under a virtual X server at the size wanted, from the repository::

    xvfb-run -a -s "-screen 0 1024x768x24" .venv/bin/python docs/make_lesson_screenshots.py \\
        resources/lessons/05-momentum-race.json /tmp/lesson-05
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/make_lesson_screenshots.py \\
        resources/lessons/05-momentum-race.json /tmp/lesson-05-big --maximized --projector

writes ``<prefix>-step1.png``, ``<prefix>-step2.png``, … Each step that plays is trained at full
speed to its epoch (the lesson's own pace is for the class) before its picture is taken; a step
that claims something of the loss surface has its paths walked to the preset's last step.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs"))
# a settings folder of its own: the first-launch window, and the user's settings untouched
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="nngui-shots-")

from nngui.gui.window import app as app_module  # noqa: E402
from nngui.gui.qt import QtCore, QtWidgets  # noqa: E402
from make_screenshots import grab  # noqa: E402  (one way to shoot the screen)

SETTLE_MS = 700


def walk_surface(view):
    """A step that claims something of the loss surface is shot with its paths walked to the preset's end."""
    while view.race is not None and not view.race.finished and view.race.steps < view.step_limit:
        view.step()


def drive(args):
    window = next(w for w in QtWidgets.QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    if args.maximized:
        # a bare X server has no window manager to maximize with: fill the screen by hand
        window.setGeometry(window.screen().availableGeometry())
    if args.projector:
        window.projector.projector_action.trigger()
    lessons = window.lessons
    lessons.open(lessons.model.lesson, lessons.model.source)   # again, at the window's final size
    window.model.set_pace(None)
    state = {"step": 1}

    steps = len(lessons.model.lesson.steps)

    def shoot():
        try:
            take()
        except Exception:   # a slot's exception would leave the window open, and the script waiting
            traceback.print_exc()
            state["failed"] = True
            window.close()

    def take():
        grab(f"{args.prefix}-step{state['step']}.png")
        # (on the last step Next goes on to the next lesson: this lesson's pictures are all taken)
        if state["step"] >= steps or not lessons.next_action.isEnabled():
            window.close()
            return
        state["step"] += 1
        step = lessons.model.lesson.steps[state["step"] - 1]
        lessons.next_action.trigger()
        window.model.set_pace(None)
        if step.view == "surface" and step.claims:
            walk_surface(window.surface_view)
        if step.play_to_epoch is not None and window.controller.playing:
            return   # shot when training stops
        QtCore.QTimer.singleShot(SETTLE_MS, shoot)

    def on_stopped(stop):
        if stop.reason in ("limit", "diverged", "error"):
            QtCore.QTimer.singleShot(SETTLE_MS, shoot)

    window.controller.stopped.connect(on_stopped)
    QtCore.QTimer.singleShot(SETTLE_MS, shoot)
    return state


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lesson", help="the lesson file")
    parser.add_argument("prefix", help="write <prefix>-step1.png, <prefix>-step2.png, …")
    parser.add_argument("--maximized", action="store_true", help="let the window fill the screen")
    parser.add_argument("--projector", action="store_true", help="in projector mode (F5)")
    args = parser.parse_args()
    state = {}
    QtCore.QTimer.singleShot(0, lambda: state.update(drive(args)))
    code = app_module.main(["--lesson", args.lesson])
    return 1 if state.get("failed") else code


if __name__ == "__main__":
    sys.exit(main())
