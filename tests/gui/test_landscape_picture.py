"""The landscape's picture: bilinear upsampling, log-spaced bands, contour lines where the bands meet."""

import numpy as np
import pytest

from nngui.gui.training.landscape_worker import band_image, band_levels, contour_lines, ramp_colors, upsample


def test_upsampling_keeps_the_grid_s_values_and_interpolates_linearly_between():
    grid = np.array([[0.0, 2.0], [4.0, 10.0]])
    fine = upsample(grid, 2)
    assert fine.shape == (3, 3)
    np.testing.assert_array_equal(fine[::2, ::2], grid)
    # the middle of the cell: the mean of its corners, (0 + 2 + 4 + 10) / 4
    assert fine[1, 1] == pytest.approx(4.0)
    assert fine[0, 1] == pytest.approx(1.0) and fine[1, 0] == pytest.approx(2.0)


def test_band_levels_are_geometric_from_the_lowest_to_the_highest_loss():
    levels = band_levels(np.array([[0.1, 1.0], [np.nan, 10.0]]), bands=2)
    np.testing.assert_allclose(levels, [0.1, 1.0, 10.0])


def test_each_point_takes_its_band_s_colour_and_nan_is_white():
    levels = np.array([0.1, 1.0, 10.0])
    colors = ramp_colors(2)
    image = band_image(np.array([[0.1, 0.5, 1.5, 10.0, np.nan]]), levels)
    np.testing.assert_array_equal(image[0, :4], colors[[0, 0, 1, 1]])
    np.testing.assert_array_equal(image[0, 4], [255, 255, 255])


def test_a_contour_line_runs_where_the_loss_crosses_a_level():
    # the loss rises left to right, 0 … 4: the level 2 is crossed at x = 2, on every row
    fine = np.tile(np.arange(5.0), (3, 1))
    x, y = contour_lines(fine, np.array([0.5, 2.0, 8.0]), np.arange(5.0), np.array([0.0, 1.0, 2.0]))
    finite = np.isfinite(x)
    np.testing.assert_allclose(x[finite], 2.0)
    assert set(np.round(y[finite], 6)) >= {0.0, 2.0}
