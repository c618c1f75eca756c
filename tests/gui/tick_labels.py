"""The tick labels an axis draws now, as the tests measure them."""

from __future__ import annotations

from nngui.gui.qt import QtGui


def drawn_labels(axis):
    """The tick labels ``axis`` would draw now, in its own tick font: ``[(rect in the axis's coordinates, text)]``."""
    image = QtGui.QImage(10, 10, QtGui.QImage.Format.Format_ARGB32)
    with QtGui.QPainter(image) as painter:
        font = axis.style["tickFont"]
        if font is not None:
            painter.setFont(font)
        specs = axis.generateDrawSpecs(painter)
    return [(rect, text) for rect, _flags, text in specs[2]] if specs else []
