"""Guard against the PySide6-Essentials 6.12.0 / Python 3.11 crash.

That combination aborts the interpreter (``none_dealloc``) after thousands of Qt calls
that return None. The calls run in a subprocess, so an abort fails this test instead
of killing the whole test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version

import pytest

CALLS = 200_000

SCRIPT = f"""
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QLineF
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen

app = QGuiApplication([])
image = QImage(64, 64, QImage.Format.Format_ARGB32)
image.fill(QColor("white"))
painter = QPainter(image)
pens = [QPen(QColor("#0072B2"), 1.0), QPen(QColor("#D55E00"), 2.0)]
line = QLineF(0, 0, 63, 63)
for i in range({CALLS} // 2):
    painter.setPen(pens[i & 1])   # returns None
    painter.drawLine(line)        # returns None
painter.end()
print("survived", image.pixelColor(32, 32).name())
"""


def _version_tuple(text):
    return tuple(int(part) for part in text.split(".")[:3] if part.isdigit())


def test_many_qt_calls_returning_none_do_not_abort_the_interpreter():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    # the last line drawn crosses the centre, so the pixel there is painted
    assert result.stdout.split() == ["survived", "#d55e00"]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the crash is specific to Python 3.11")
def test_installed_pyside6_satisfies_the_pin_on_python_3_11():
    try:
        installed = version("PySide6-Essentials")
    except PackageNotFoundError:
        installed = version("PySide6")
    assert (6, 8) <= _version_tuple(installed) < (6, 12), (
        f"PySide6-Essentials {installed} on Python {sys.version.split()[0]}: "
        "pin PySide6-Essentials>=6.8,<6.12 for python<3.12")
