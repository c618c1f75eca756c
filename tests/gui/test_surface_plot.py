"""The surface's contour lines and fill scale (numbers only, no window)."""

import numpy as np

from nngui.gui.maps.surface_plot import contour_levels, contour_segments, fill_values


def test_contour_segments_of_a_bowl_lie_on_its_circle():
    xs = np.linspace(-2, 2, 81)
    ys = np.linspace(-2, 2, 61)
    values = xs[None, :] ** 2 + ys[:, None] ** 2
    segments = contour_segments(xs, ys, values, 1.0)
    radius = np.hypot(segments[..., 0], segments[..., 1])
    # every end lies on a cell edge, interpolated linearly between corners 0.05 and 0.067 apart
    np.testing.assert_allclose(radius, 1.0, atol=3e-3)
    # the whole circle, once: the segments' lengths add up to its circumference
    lengths = np.linalg.norm(segments[:, 0] - segments[:, 1], axis=1)
    assert abs(lengths.sum() - 2 * np.pi) < 0.01
    # each segment stays within its cell
    assert lengths.max() <= np.hypot(0.05, 4 / 60)


def test_a_line_crossing_exactly_between_corners():
    xs = np.array([0.0, 1.0])
    ys = np.array([0.0, 1.0])
    values = np.array([[0.0, 2.0], [0.0, 2.0]])   # rises along x only
    np.testing.assert_array_equal(contour_segments(xs, ys, values, 1.0), [[[0.5, 0.0], [0.5, 1.0]]])


def test_a_saddle_cell_gives_two_segments_and_no_level_gives_none():
    xs = ys = np.array([0.0, 1.0])
    values = np.array([[0.0, 2.0], [2.0, 0.0]])
    assert contour_segments(xs, ys, values, 1.0).shape == (2, 2, 2)
    assert contour_segments(xs, ys, values, 5.0).shape == (0, 2, 2)


def test_the_fill_is_zero_at_the_bottom_and_levels_rise_from_it():
    values = np.array([[3.0, 4.0], [10.0, 1003.0]])
    filled = fill_values(values)
    assert filled[0, 0] == 0.0 and filled[1, 1] == np.log1p(1000.0)
    levels = contour_levels(filled, 4)
    assert len(levels) == 4 and 0 < levels[0] and (np.diff(levels) > 0).all()
