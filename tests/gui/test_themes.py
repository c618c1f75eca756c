"""The themes: colours that survive a washed-out projector, a readable dark theme, and the window following them."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.gui.window import themes
from nngui.gui.qt import QtCore, QtGui, QtWidgets, pg


def _linear(color):
    c = np.array(QtGui.QColor(color).getRgb()[:3]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def luminance(color):
    return float(_linear(color) @ [0.2126, 0.7152, 0.0722])


def contrast(a, b):
    """The WCAG contrast ratio of two colours (1 … 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lab(color):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ _linear(color)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a, b):
    return float(np.linalg.norm(lab(a) - lab(b)))


def test_the_helpers_measure_known_values():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert delta_e("#000000", "#FFFFFF") == pytest.approx(100.0, abs=0.1)


@pytest.mark.parametrize("theme", list(themes.THEMES.values()), ids=list(themes.THEMES))
def test_weight_colours_are_none_of_the_class_colours(theme):
    for weight in (theme.positive_weight, theme.negative_weight):
        for cls in theme.class_colors:
            assert delta_e(weight, cls) >= 20, (weight, cls)
    assert delta_e(theme.positive_weight, theme.negative_weight) >= 40


@pytest.mark.parametrize("theme", list(themes.THEMES.values()), ids=list(themes.THEMES))
def test_runs_never_wear_a_class_colour_and_differ_from_each_other(theme):
    for run in theme.run_colors:
        assert min(delta_e(run, cls) for cls in theme.class_colors) >= 15, run
    pairs = [(a, b) for i, a in enumerate(theme.run_colors) for b in theme.run_colors[i + 1:]]
    assert min(delta_e(a, b) for a, b in pairs) >= 20


def test_the_projector_theme_survives_a_washed_out_projector():
    hc = themes.HIGH_CONTRAST
    background = hc.plot_background
    # text at least 7:1 (WCAG AAA), every colour that draws data at least 3:1: no light grey, no pastel line
    assert contrast(hc.text, hc.window) >= 7 and contrast(hc.plot_foreground, background) >= 7
    data = [*hc.class_colors, *hc.run_colors, *hc.pin_colors, hc.positive_weight, hc.negative_weight,
            hc.neutral_edge, hc.point_outline]
    for color in data:
        assert contrast(color, background) >= 3.0, color
    for color in (*hc.run_colors, *hc.pin_colors):
        assert contrast(color, background) >= 4.5, color
    # the maps: the weakest tint is already a third of the class colour, never a pastel wash
    assert hc.map_tint[0] >= 0.3 and hc.map_tint[1] >= 0.75
    assert hc.weight_min_strength >= 0.4 and hc.fade <= 0.5
    light = themes.LIGHT
    assert hc.map_tint[0] > light.map_tint[0] and hc.weight_min_strength > light.weight_min_strength


def test_the_dark_theme_is_readable():
    dark = themes.DARK
    assert contrast(dark.text, dark.window) >= 7
    assert contrast(dark.text, dark.base) >= 7
    assert contrast(dark.muted_text, dark.window) >= 4.5
    assert contrast(dark.banner_text, dark.banner_background) >= 7
    assert contrast(dark.plot_foreground, dark.plot_background) >= 7
    for color in (*dark.run_colors, *dark.pin_colors):
        assert contrast(color, dark.plot_background) >= 4.5, color
    for color in (*dark.class_colors, dark.positive_weight, dark.negative_weight):
        assert contrast(color, dark.plot_background) >= 3.0, color


def test_follow_takes_only_a_method_of_the_widget(qtbot):
    widget = QtWidgets.QLabel()
    qtbot.addWidget(widget)
    with pytest.raises(ValueError):
        themes.follow(widget, print)


def _dark_action(window):
    return window.findChild(QtGui.QAction, "darkThemeAction")


def _colors(window):
    return {
        "window": QtWidgets.QApplication.instance().palette().color(QtGui.QPalette.ColorRole.Window).name(),
        "plots": {p.backgroundBrush().color().name() for p in window.findChildren(pg.PlotWidget)},
        "curves": [window.loss_plot.run_curve(i, "train").opts["pen"].color().name()
                   for i in range(len(window.experiment().runs))],
        "legend": [entry.text_color().name() for entry in window.run_legend.entries()[:len(window.experiment().runs)]],
        "points": sorted({b.color().name() for b in window.boundary_grid.view(0).scatter.data["brush"]}),
        "pins": [curve.opts["pen"].color().name() for curve in window.loss_plot.pin_curves()],
        "network": window.network_view.palette().color(QtGui.QPalette.ColorRole.Window).name(),
        "banner": window.message_banner.styleSheet(),
        "status": window.status_label.palette().color(QtGui.QPalette.ColorRole.WindowText).name(),
    }


def _names(colors):
    return [QtGui.QColor(c).name() for c in colors]


def test_the_dark_theme_colours_every_view_and_is_remembered(window, user, qtbot, close_window, new_window):
    qtbot.keyClick(window, QtCore.Qt.Key.Key_K, QtCore.Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3)
    user.click("stepButton")
    qtbot.waitUntil(lambda: window.latest.epoch == 1)
    window.show_message("a warning")
    qtbot.keyClick(window, QtCore.Qt.Key.Key_P, QtCore.Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(window.loss_plot.pin_curves()) == 3)
    light = _colors(window)
    action = _dark_action(window)
    menu = window.menuBar().findChild(QtWidgets.QMenu, "viewMenu")
    assert action in menu.actions() and action.isCheckable()

    action.trigger()
    dark = _colors(window)
    d = themes.DARK
    assert themes.current() is d
    assert dark["window"] == QtGui.QColor(d.window).name()
    assert dark["plots"] == {QtGui.QColor(d.plot_background).name()}
    assert dark["curves"] == _names(d.run_colors[:3]) == dark["legend"]
    assert dark["points"] == sorted(_names(d.class_colors[:3]))
    assert set(dark["pins"]) <= set(_names(d.pin_colors)) and dark["pins"]
    icon = window.runs_panel.run_list.item(0).icon().pixmap(QtCore.QSize(28, 14)).toImage()
    middle = icon.pixelColor(icon.width() // 2, icon.height() // 2)
    assert abs(middle.red() - QtGui.QColor(d.run_colors[0]).red()) < 40
    assert abs(middle.blue() - QtGui.QColor(d.run_colors[0]).blue()) < 40
    assert dark["network"] == QtGui.QColor(d.plot_background).name()
    assert d.banner_background in dark["banner"]
    assert contrast(dark["status"], dark["window"]) >= 7
    assert "periwinkle: positive weight" in window.network_view.caption()
    # a view beside the maps follows too: the loss surface names its runs in the theme's colours
    surface = window.findChild(QtWidgets.QWidget, "surfaceNotes")
    if surface is not None:
        assert d.run_colors[0] in surface.text() and themes.LIGHT.run_colors[0] not in surface.text()
    # the network drawing really paints on the dark background
    image = window.network_view.grab().toImage()
    assert image.pixelColor(2, 2).name() == QtGui.QColor(d.plot_background).name()

    # projector mode keeps its own high-contrast look, and gives the dark one back after
    window.findChild(QtGui.QAction, "projectorAction").trigger()
    assert themes.current() is themes.HIGH_CONTRAST and not action.isEnabled()
    window.findChild(QtGui.QAction, "projectorAction").trigger()
    assert themes.current() is d and action.isEnabled() and _colors(window) == dark

    assert window.settings.flag("view/dark")

    action.trigger()
    assert themes.current() is themes.LIGHT and not window.settings.flag("view/dark")
    assert _colors(window) == light

    # the choice is remembered: a window opened while it is set opens dark, and closing gives the look back
    window.settings.update({"view/dark": True})
    second = new_window(settings=window.settings, show=False)
    assert _dark_action(second).isChecked() and themes.current() is d
    close_window(second)
    second.deleteLater()
    assert themes.current() is themes.LIGHT
    assert _colors(window) == light


def test_the_captions_follow_the_dark_theme(window, user):
    # a light caption box on a dark screen hid the theme's light text
    panel = user.find("captionPanel")
    window.projector.dark_theme_action.trigger()
    background = panel.palette().color(QtGui.QPalette.ColorRole.Window)
    text = user.find("captionLabel").palette().color(QtGui.QPalette.ColorRole.WindowText)
    assert background.lightness() < 80 and text.lightness() > 180
    window.projector.dark_theme_action.trigger()
    background = panel.palette().color(QtGui.QPalette.ColorRole.Window)
    text = user.find("captionLabel").palette().color(QtGui.QPalette.ColorRole.WindowText)
    assert background.lightness() > 200 and text.lightness() < 60
