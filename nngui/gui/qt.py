"""The one place that imports Qt: PySide6 first, so pyqtgraph never picks another binding.

Every gui module takes ``pg``, ``QtCore``, ``QtGui`` and ``QtWidgets`` from here.
"""

from __future__ import annotations

import os

import PySide6  # noqa: F401  (imported before pyqtgraph on purpose)
from PySide6 import QtCore, QtGui, QtWidgets

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pyqtgraph as pg  # noqa: E402

FOREGROUND = "#333333"

pg.setConfigOptions(antialias=True, background="w", foreground=FOREGROUND)

__all__ = ["FOREGROUND", "QtCore", "QtGui", "QtWidgets", "pg"]
