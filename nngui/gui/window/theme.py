"""A clean light theme that reads on a projector, and a colour-blind-safe palette (Okabe–Ito)."""

from __future__ import annotations

from nngui.gui.qt import QtCore, QtGui, QtWidgets

# Okabe & Ito (2008): distinguishable under the common colour-vision deficiencies.
# Blue, orange and bluish green first: the three-class spiral never shows red against green.
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}

CLASS_COLORS = (
    OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"], OKABE_ITO["sky_blue"], OKABE_ITO["vermillion"],
)

SERIES_COLORS = {
    "train": OKABE_ITO["blue"],
    "test": OKABE_ITO["orange"],
    "lr": OKABE_ITO["bluish_green"],
    "planned": "#8C8C8C",
}

# the network drawing: one colour per weight sign
POSITIVE_COLOR = "#23238E"  # indigo: none of the class colours
NEGATIVE_COLOR = "#B2182B"  # crimson

TEXT_COLOR = "#222222"
MUTED_TEXT_COLOR = "#555555"
WINDOW_COLOR = "#F4F5F7"
BASE_FONT_POINT_SIZE = 10.5


def class_color(index: int) -> str:
    """The colour of class ``index`` (0-based); the palette repeats past six classes."""
    return CLASS_COLORS[index % len(CLASS_COLORS)]


def configure_before_app() -> None:
    """High-DPI settings that Qt reads only before the QApplication exists."""
    if QtCore.QCoreApplication.instance() is None:
        QtGui.QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            QtCore.Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)


def palette() -> QtGui.QPalette:
    """A light palette with dark text and a blue highlight."""
    pal = QtGui.QPalette()
    role, group = QtGui.QPalette.ColorRole, QtGui.QPalette.ColorGroup
    colors = {
        role.Window: WINDOW_COLOR, role.WindowText: TEXT_COLOR, role.Base: "#FFFFFF",
        role.AlternateBase: "#EEF0F3", role.ToolTipBase: "#FFFFE8", role.ToolTipText: TEXT_COLOR,
        role.PlaceholderText: "#8A8A8A", role.Text: TEXT_COLOR, role.Button: "#E9EBEE",
        role.ButtonText: TEXT_COLOR, role.BrightText: "#FFFFFF", role.Light: "#FFFFFF",
        role.Midlight: "#F0F0F0", role.Mid: "#B8BCC2", role.Dark: "#8E939A", role.Shadow: "#5A5F66",
        role.Highlight: OKABE_ITO["blue"], role.HighlightedText: "#FFFFFF",
        role.Link: OKABE_ITO["blue"], role.LinkVisited: OKABE_ITO["reddish_purple"],
    }
    for r, c in colors.items():
        pal.setColor(r, QtGui.QColor(c))
    for r in (role.WindowText, role.Text, role.ButtonText):
        pal.setColor(group.Disabled, r, QtGui.QColor("#9A9EA5"))
    pal.setColor(group.Disabled, role.Base, QtGui.QColor("#F2F2F2"))
    return pal


def stylesheet() -> str:
    """Small additions to Fusion: bold group titles, roomy buttons, a readable status line."""
    return f"""
QGroupBox {{ font-weight: bold; border: 1px solid #C9CDD3; border-radius: 4px;
             margin-top: 1.1em; padding-top: 0.35em; background: #FFFFFF; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; color: {TEXT_COLOR}; }}
QPushButton {{ padding: 4px 12px; min-height: 1.5em; }}
QPushButton:checked {{ background: {OKABE_ITO["blue"]}; color: white; }}
QLabel#statusLabel {{ font-family: monospace; color: {TEXT_COLOR}; padding: 2px 4px; }}
QToolTip {{ color: {TEXT_COLOR}; background: #FFFFE8; border: 1px solid #B8BCC2; }}
"""


def apply_theme(app: QtWidgets.QApplication) -> None:
    """Fusion style, the light palette, a 10.5 pt base font and the stylesheet, on ``app``."""
    app.setStyle("Fusion")
    app.setPalette(palette())
    font = app.font()
    font.setPointSizeF(BASE_FONT_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(stylesheet())
