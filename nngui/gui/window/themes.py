"""The window's colour themes: the normal light one, a high-contrast one for projectors, a dark one for screens.

A ``Theme`` is a frozen set of named colours; one theme is current at a time.

How a view follows the theme (the whole API):

- ``current()`` is the theme in force: read its colours when you draw or build pens
  (``current().plot_background``, ``current().class_colors``, ``current().positive_weight`` …).
- ``signals.theme_changed`` (a Qt signal carrying the new ``Theme``) is emitted after
  ``set_theme`` has changed the application's palette and style sheet. A view connects a
  method of its own (so the connection ends with the view) and redraws in the new colours;
  ``follow(widget, method)`` does the connecting.
- ``style_plot(plot_widget)`` gives any pyqtgraph ``PlotWidget`` the theme's background, axis
  and title colours; the window calls it for every plot it holds (views added with
  ``MainWindow.add_view`` included) whenever the theme changes, so a plot need do nothing.
- Qt widgets (labels, buttons, panels) take the application palette and need nothing.

Projector mode switches to ``HIGH_CONTRAST`` and back; the View menu's dark theme switches
between ``LIGHT`` and ``DARK`` (see ``projector.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nngui.gui.qt import QtCore, QtGui, QtWidgets, pg
from . import theme as _light
from .theme import CLASS_COLORS, NEGATIVE_COLOR, OKABE_ITO, POSITIVE_COLOR, TEXT_COLOR, WINDOW_COLOR


@dataclass(frozen=True)
class Theme:
    """Every colour the window draws with, by what it is for (``#RRGGBB`` strings)."""

    name: str
    # the Qt palette
    window: str
    base: str
    alternate_base: str
    text: str
    muted_text: str
    disabled_text: str
    button: str
    mid: str
    dark: str
    highlight: str
    highlighted_text: str
    tooltip_base: str
    group_border: str
    group_background: str
    # plots and maps
    plot_background: str
    plot_foreground: str
    class_colors: tuple[str, ...]
    #: the runs of a race: dark on a light background, light on a dark one (never a class colour)
    run_colors: tuple[str, str, str, str]
    #: pinned runs' greys, by pin order
    pin_colors: tuple[str, str]
    #: how much of a faded line's fading (a planned learning rate) the theme keeps: 1 all, less on a projector
    fade: float
    #: the decision boundary's tint toward the class colour, where unsure and where sure (0 … 1)
    map_tint: tuple[float, float]
    point_outline: str
    point_outline_width: float
    # the network drawing: weight colours are none of the class colours
    positive_weight: str
    negative_weight: str
    weight_names: tuple[str, str]
    #: the faintest a weak weight is drawn (its colour's share against the background)
    weight_min_strength: float
    neutral_edge: str
    neuron_fill: str
    neuron_outline: str
    # the warning banner
    banner_background: str
    banner_text: str
    banner_border: str

    @property
    def dark_background(self) -> bool:
        return QtGui.QColor(self.plot_background).lightnessF() < 0.5

    def class_color(self, index: int) -> str:
        """The colour of class ``index`` (0-based); the palette repeats past its length."""
        return self.class_colors[index % len(self.class_colors)]

    def background_rgb(self) -> np.ndarray:
        """The plot background as a float32 ``(3,)`` array of 0 … 255 (what map tints fade toward)."""
        return np.array(QtGui.QColor(self.plot_background).getRgb()[:3], dtype=np.float32)

    def banner_style(self, point_size: float | None = None) -> str:
        """The warning banner's style sheet (its text at ``point_size``; None: the application's)."""
        size = f" font-size: {point_size:.2f}pt;" if point_size else ""
        return (f"QLabel {{ background: {self.banner_background}; color: {self.banner_text}; "
                f"border: 1px solid {self.banner_border}; border-radius: 4px; padding: 6px 10px; "
                f"font-weight: bold;{size} }}")


#: Today's look: light grey window, white plots, Okabe–Ito classes.
LIGHT = Theme(
    name="light",
    window=WINDOW_COLOR, base="#FFFFFF", alternate_base="#EEF0F3", text=TEXT_COLOR, muted_text="#555555",
    disabled_text="#9A9EA5", button="#E9EBEE", mid="#B8BCC2", dark="#8E939A", highlight=OKABE_ITO["blue"],
    highlighted_text="#FFFFFF", tooltip_base="#FFFFE8", group_border="#C9CDD3", group_background="#FFFFFF",
    plot_background="#FFFFFF", plot_foreground="#333333", class_colors=CLASS_COLORS,
    run_colors=("#332288", "#882255", "#117733", "#B010E0"), pin_colors=("#4D4D4D", "#7A7A7A"),
    fade=1.0, map_tint=(0.12, 0.55), point_outline="#303030", point_outline_width=0.8,
    positive_weight=POSITIVE_COLOR, negative_weight=NEGATIVE_COLOR, weight_names=("indigo", "crimson"),
    weight_min_strength=0.18, neutral_edge="#B0B4BA", neuron_fill="#FFFFFF", neuron_outline="#3A3A3A",
    banner_background="#FFF3D6", banner_text="#3D2B00", banner_border="#E69F00",
)

#: For a washed-out projector: black text on white, strong map tints, no pale line or light grey for data.
HIGH_CONTRAST = Theme(
    name="high contrast",
    window="#FFFFFF", base="#FFFFFF", alternate_base="#F0F0F0", text="#000000", muted_text="#262626",
    disabled_text="#595959", button="#E4E4E4", mid="#767676", dark="#404040", highlight="#0B3D91",
    highlighted_text="#FFFFFF", tooltip_base="#FFFFFF", group_border="#000000", group_background="#FFFFFF",
    plot_background="#FFFFFF", plot_foreground="#000000",
    # Okabe–Ito's darker members; the light sky blue and yellow give way to darker blue and purple
    class_colors=(OKABE_ITO["blue"], "#C87800", OKABE_ITO["bluish_green"], "#B8569E", "#1C4E80",
                  OKABE_ITO["vermillion"]),
    run_colors=("#332288", "#882255", "#117733", "#9400C8"), pin_colors=("#262626", "#4D4D4D"),
    fade=0.4, map_tint=(0.3, 0.8), point_outline="#000000", point_outline_width=1.3,
    positive_weight=POSITIVE_COLOR, negative_weight=NEGATIVE_COLOR, weight_names=("indigo", "crimson"),
    weight_min_strength=0.45, neutral_edge="#6E6E6E", neuron_fill="#FFFFFF", neuron_outline="#000000",
    banner_background="#FFE08A", banner_text="#000000", banner_border="#000000",
)

#: For a screen in a dim room: light text and lines on near-black.
DARK = Theme(
    name="dark",
    window="#1E1F22", base="#26282B", alternate_base="#2E3034", text="#E6E6E6", muted_text="#B4B4B4",
    disabled_text="#7A7D83", button="#34363A", mid="#55585E", dark="#141517", highlight="#3D8FD6",
    highlighted_text="#FFFFFF", tooltip_base="#303236", group_border="#4A4D52", group_background="#26282B",
    plot_background="#17181A", plot_foreground="#D8D8D8",
    class_colors=("#3D9BE0", OKABE_ITO["orange"], "#1FBF8F", "#DB8EC0", "#7FC8F2", "#F07A2A"),
    run_colors=("#A99BF0", "#FF8FA3", "#6CD98A", "#E08CFF"), pin_colors=("#C8C8C8", "#9A9A9A"),
    fade=0.9, map_tint=(0.15, 0.6), point_outline="#F0F0F0", point_outline_width=0.8,
    positive_weight="#9FA8FF", negative_weight="#FF5C7A", weight_names=("periwinkle", "pink"),
    weight_min_strength=0.22, neutral_edge="#5C6066", neuron_fill="#26282B", neuron_outline="#D0D0D0",
    banner_background="#4A3A12", banner_text="#FFE7A8", banner_border="#E69F00",
)

THEMES = {theme.name: theme for theme in (LIGHT, HIGH_CONTRAST, DARK)}


class _Signals(QtCore.QObject):
    theme_changed = QtCore.Signal(object)


#: ``signals.theme_changed(theme)``: emitted once the application shows ``theme``.
signals = _Signals()
_current = [LIGHT]


def current() -> Theme:
    """The theme in force."""
    return _current[0]


def follow(widget: QtCore.QObject, method) -> None:
    """Call ``method(theme)`` (a bound method of ``widget``) whenever the theme changes.

    Qt ends the connection when ``widget`` is destroyed.
    """
    if getattr(method, "__self__", None) is not widget:
        raise ValueError("follow() takes a method of the widget itself, so the connection ends with it")
    signals.theme_changed.connect(method)


def palette(theme: Theme) -> QtGui.QPalette:
    """The Qt palette of ``theme``."""
    if theme is LIGHT:
        return _light.palette()   # the very palette the app starts with
    pal = QtGui.QPalette()
    role, group = QtGui.QPalette.ColorRole, QtGui.QPalette.ColorGroup
    colors = {
        role.Window: theme.window, role.WindowText: theme.text, role.Base: theme.base,
        role.AlternateBase: theme.alternate_base, role.ToolTipBase: theme.tooltip_base,
        role.ToolTipText: theme.text, role.PlaceholderText: theme.disabled_text, role.Text: theme.text,
        role.Button: theme.button, role.ButtonText: theme.text, role.BrightText: "#FFFFFF",
        role.Light: "#FFFFFF" if not theme.dark_background else theme.mid, role.Midlight: theme.alternate_base,
        role.Mid: theme.mid, role.Dark: theme.dark, role.Shadow: "#000000" if theme.dark_background else "#5A5F66",
        role.Highlight: theme.highlight, role.HighlightedText: theme.highlighted_text,
        role.Link: theme.highlight, role.LinkVisited: OKABE_ITO["reddish_purple"],
    }
    for r, c in colors.items():
        pal.setColor(r, QtGui.QColor(c))
    for r in (role.WindowText, role.Text, role.ButtonText):
        pal.setColor(group.Disabled, r, QtGui.QColor(theme.disabled_text))
    pal.setColor(group.Disabled, role.Base, QtGui.QColor(theme.alternate_base))
    return pal


def stylesheet(theme: Theme) -> str:
    """Small additions to Fusion in ``theme``'s colours: bold group titles, roomy buttons, the status line."""
    if theme is LIGHT:
        return _light.stylesheet()
    border = "2px" if theme is HIGH_CONTRAST else "1px"
    return f"""
QGroupBox {{ font-weight: bold; border: {border} solid {theme.group_border}; border-radius: 4px;
             margin-top: 1.1em; padding-top: 0.35em; background: {theme.group_background}; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; color: {theme.text}; }}
QPushButton {{ padding: 4px 12px; min-height: 1.5em; }}
QPushButton:checked {{ background: {theme.highlight}; color: {theme.highlighted_text}; }}
QLabel#statusLabel {{ font-family: monospace; color: {theme.text}; padding: 2px 4px; }}
QToolTip {{ color: {theme.text}; background: {theme.tooltip_base}; border: 1px solid {theme.mid}; }}
"""


def set_theme(theme: Theme, app: QtWidgets.QApplication | None = None) -> None:
    """Show ``theme`` everywhere: the application's palette and style sheet, new plots' defaults; then
    ``signals.theme_changed``. Nothing happens when it is already current."""
    if theme is current():
        return
    _current[0] = theme
    app = app or QtWidgets.QApplication.instance()
    if app is not None:
        app.setPalette(palette(theme))
        app.setStyleSheet(stylesheet(theme))
    pg.setConfigOptions(background=theme.plot_background, foreground=theme.plot_foreground)
    signals.theme_changed.emit(theme)


def style_plot(widget: pg.PlotWidget, theme: Theme | None = None) -> None:
    """``widget``'s background, axes, axis labels and title in ``theme``'s colours (the current one by default)."""
    theme = theme or current()
    widget.setBackground(theme.plot_background)
    item = widget.getPlotItem()
    for side in ("left", "bottom", "right", "top"):
        axis = item.getAxis(side)
        axis.setPen(theme.plot_foreground)
        axis.setTextPen(theme.plot_foreground)
    title = item.titleLabel
    if title.text:
        title.setText(title.text, color=theme.plot_foreground)


def snapshot() -> tuple:
    """What ``restore`` needs to bring back exactly the look in force now (theme, palette, style sheet)."""
    app = QtWidgets.QApplication.instance()
    return (current(), QtGui.QPalette(app.palette()), app.styleSheet(),
            pg.getConfigOption("background"), pg.getConfigOption("foreground"))


def restore(saved: tuple) -> None:
    """Bring back a ``snapshot``: the same theme, palette and style sheet as then; then ``theme_changed``."""
    theme, pal, sheet, background, foreground = saved
    app = QtWidgets.QApplication.instance()
    _current[0] = theme
    app.setPalette(pal)
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)
    pg.setConfigOptions(background=background, foreground=foreground)
    signals.theme_changed.emit(theme)
