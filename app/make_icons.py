"""Render resources/icons/nngui.svg into the icon files the app and its packages use.

``python app/make_icons.py`` (from the repository root, after editing the SVG) writes the PNG
sizes next to the SVG; they are committed, because the window and the Linux menu entry use
them as they are.

``python app/make_icons.py --platform DIR`` writes ``DIR/nngui.ico`` (Windows: 16 to 256
pixels) and ``DIR/nngui.icns`` (macOS: 128 to 1024 pixels, and the Retina entries of 16 to
256). They are made at build time (``app/nngui.spec`` runs this script), never committed.
Both containers hold PNG images, which Windows Vista and later and macOS 10.7 and later
read; no Pillow needed.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
#: The sizes in a Windows .ico: the shell picks 16 to 48 for lists, 256 for large icons.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: The PNG-payload entries of a macOS .icns and their sizes in pixels (@2x: Retina); the same
#: set Pillow (and so PyInstaller's own conversion) writes. macOS scales them for 16 and 32.
ICNS_TYPES = (
    (b"ic07", 128), (b"ic08", 256), (b"ic09", 512), (b"ic10", 1024),   # 1024: 512@2x
    (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512),      # 16@2x, 32@2x, 128@2x, 256@2x
)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """Draw the SVG on a transparent square image of ``size`` pixels."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    """The image encoded as PNG."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"cannot encode a {image.width()} px image as PNG")
    buffer.close()
    return bytes(data)


def ico_file(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding one PNG image per size (ICONDIR, ICONDIRENTRY each, then the images)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256
        # width, height, colours in palette, reserved, colour planes, bits per pixel, size, offset
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset + len(images))
        images += data
    return header + entries + images


def icns_file(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding PNG images ('icns', total length, then type + length + PNG each)."""
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
                    for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_pngs(renderer: QSvgRenderer) -> int:
    """Write ``nngui-<size>.png`` for every size next to the SVG."""
    for size in SIZES:
        target = ICONS / f"nngui-{size}.png"
        if not render(renderer, size).save(str(target), "PNG"):
            print(f"cannot write {target}", file=sys.stderr)
            return 1
        print(target.relative_to(ICONS.parent.parent))
    return 0


def write_platform_icons(renderer: QSvgRenderer, folder: Path) -> int:
    """Write ``nngui.ico`` and ``nngui.icns`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = set(ICO_SIZES) | {size for _, size in ICNS_TYPES}
    pngs = {size: png_bytes(render(renderer, size)) for size in sorted(wanted)}
    for name, data in (("nngui.ico", ico_file({s: pngs[s] for s in ICO_SIZES})),
                       ("nngui.icns", icns_file(pngs))):
        (folder / name).write_bytes(data)
        print(folder / name)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Render the PNGs next to the SVG, or with ``--platform DIR`` the .ico and .icns into DIR."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platform", metavar="DIR", type=Path,
                        help="write nngui.ico and nngui.icns into DIR instead of the PNGs")
    args = parser.parse_args(argv)
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage text/painting needs one
    renderer = QSvgRenderer(str(ICONS / "nngui.svg"))
    if not renderer.isValid():
        print(f"cannot read {ICONS / 'nngui.svg'}", file=sys.stderr)
        return 1
    if args.platform is not None:
        return write_platform_icons(renderer, args.platform)
    return write_pngs(renderer)


if __name__ == "__main__":
    sys.exit(main())
