"""Render resources/icons/nngui.svg into the PNG sizes the app and its packages use.

Run from the repository root after editing the SVG: ``python app/make_icons.py``.
The PNGs are committed, so neither the app nor a build needs this script.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """Draw the SVG on a transparent square image of ``size`` pixels."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    """Write ``nngui-<size>.png`` for every size next to the SVG."""
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage text/painting needs one
    renderer = QSvgRenderer(str(ICONS / "nngui.svg"))
    if not renderer.isValid():
        print(f"cannot read {ICONS / 'nngui.svg'}", file=sys.stderr)
        return 1
    for size in SIZES:
        target = ICONS / f"nngui-{size}.png"
        if not render(renderer, size).save(str(target), "PNG"):
            print(f"cannot write {target}", file=sys.stderr)
            return 1
        print(target.relative_to(ICONS.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
