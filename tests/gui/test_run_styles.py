"""Run styles: four colours that read on a washed-out projector and to colour-blind eyes, four dash patterns."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from nngui.gui.plots import run_styles
from nngui.gui.qt import QtCore
from nngui.gui.plots.run_styles import PIN_WIDTH, RUN_STYLES, RUN_WIDTH, pen, pinned_style, run_style, run_styles as styles
from nngui.gui.window.theme import CLASS_COLORS

# Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB
SIMULATIONS = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "typical": np.eye(3),
}


def linear(hex_color):
    c = np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb_linear):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(
        rgb_linear, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def contrast_on_white(hex_color):
    luminance = float(linear(hex_color) @ [0.2126, 0.7152, 0.0722])
    return 1.05 / (luminance + 0.05)


def test_four_runs_four_colours_none_of_them_a_class_colour():
    colors = [s.color.upper() for s in RUN_STYLES]
    assert len(set(colors)) == 4
    assert not set(colors) & {c.upper() for c in CLASS_COLORS}
    assert [run_style(i) for i in range(6)] == [*RUN_STYLES, *RUN_STYLES[:2]]
    assert styles(3) == RUN_STYLES[:3]


def test_colours_are_dark_enough_for_a_washed_out_projector():
    # WCAG asks 3:1 of lines and 4.5:1 of text: the titles are written in these colours
    for style in RUN_STYLES:
        assert contrast_on_white(style.color) >= 4.5, style


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_colours_stay_apart_for_colour_blind_viewers(vision):
    matrix = np.asarray(SIMULATIONS[vision])
    seen = [lab(matrix @ linear(s.color)) for s in RUN_STYLES]
    # a CIELAB distance of 20 is far beyond "just noticeable" (about 2.3)
    for a, b in itertools.combinations(range(4), 2):
        assert np.linalg.norm(seen[a] - seen[b]) > 20, (vision, RUN_STYLES[a].color, RUN_STYLES[b].color)


def test_each_run_has_its_own_line_style_for_greyscale():
    assert [s.name for s in RUN_STYLES] == ["solid", "dashed", "dotted", "dash-dot"]
    assert len({s.dashes for s in RUN_STYLES}) == 4
    assert len({s.symbol for s in RUN_STYLES}) == 4
    assert RUN_WIDTH >= 2  # dots are visible


def test_pen_draws_the_style_at_its_width_and_scale():
    dashed = pen(RUN_STYLES[1], 2.0, 1.5)
    assert dashed.color().name() == RUN_STYLES[1].color.lower()
    assert dashed.widthF() == 3.0 and dashed.isCosmetic()
    assert dashed.style() == QtCore.Qt.PenStyle.CustomDashLine
    assert dashed.dashPattern() == list(RUN_STYLES[1].dashes)
    assert dashed.capStyle() == QtCore.Qt.PenCapStyle.FlatCap
    solid = pen(RUN_STYLES[0])
    assert solid.style() == QtCore.Qt.PenStyle.SolidLine and solid.widthF() == RUN_WIDTH
    light = pen(RUN_STYLES[0], lighten=0.5)
    assert light.color().alpha() == 255  # opaque: translucent long paths are slow to stroke
    assert light.color().lightness() > solid.color().lightness()


def test_a_pinned_run_is_dark_grey_with_its_own_runs_dashes_and_thinner():
    for index in range(4):
        for number in range(3):
            style = pinned_style(index, number)
            color = style.color.lstrip("#")
            assert color[0:2] == color[2:4] == color[4:6], "grey"
            assert contrast_on_white(style.color) >= 4.0, "readable, never faint"
            assert style.dashes == RUN_STYLES[index].dashes
    assert pinned_style(0, 0).color != pinned_style(0, 1).color
    assert PIN_WIDTH < RUN_WIDTH
    assert run_styles.RUN_STYLES[2].describe() == "green, dotted line"
