"""The readers' one map from layout points to what came back (model/layout.Transform)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pdfforms.model.layout import PAGE_HEIGHT, PAGE_WIDTH, Transform


def _turned(degrees: float, factor: float, dx: float, dy: float) -> Transform:
    """A page turned, scaled and shifted, as a print "fit to page" fed in askew is."""
    t = math.radians(degrees)
    c, s = factor * math.cos(t), factor * math.sin(t)
    return Transform(np.array([[c, -s, dx], [s, c, dy]]))


def test_scaling_maps_points_and_rectangles():
    fit = Transform.scaling(0.94, 0.96)
    assert fit.point(100.0, 200.0) == pytest.approx((94.0, 192.0))
    assert fit.rect(100.0, 200.0, 110.0, 215.0) == pytest.approx((94.0, 192.0, 103.4, 206.4))
    assert Transform.scaling().point(12.5, 700.25) == (12.5, 700.25)


def test_a_page_drawn_to_fill_its_image_has_its_top_left_corner_at_pixel_zero():
    per_point = 200 / 72  # a page drawn at 200 dpi
    drawn = Transform.drawn(PAGE_HEIGHT, per_point)
    assert drawn.point(0.0, PAGE_HEIGHT) == pytest.approx((0.0, 0.0))
    assert drawn.point(PAGE_WIDTH, 0.0) == pytest.approx(
        (PAGE_WIDTH * per_point, PAGE_HEIGHT * per_point)
    )
    assert drawn.scale == pytest.approx(per_point)
    # rows run down the page: a box higher on the page is at a smaller row
    assert drawn.point(50.0, 700.0)[1] < drawn.point(50.0, 100.0)[1]


def test_a_turned_rectangle_is_held_by_the_box_around_its_corners():
    fit = _turned(3.0, 1.02, 10.0, -4.0)
    corners = [fit.point(x, y) for x, y in ((100, 200), (140, 200), (100, 215), (140, 215))]
    x0, y0, x1, y1 = fit.rect(100.0, 200.0, 140.0, 215.0)
    assert x0 == min(p[0] for p in corners) and x1 == max(p[0] for p in corners)
    assert y0 == min(p[1] for p in corners) and y1 == max(p[1] for p in corners)
    assert fit.scale == pytest.approx(1.02)


def test_one_point_and_many_points_are_the_same_map():
    fit = _turned(-2.5, 2.77, 31.0, 2350.0)
    xs = np.array([[0.0, 100.0], [595.0, 12.25]])
    ys = np.array([[0.0, 841.0], [3.5, 400.0]])
    cols, rows = fit.points(xs, ys)
    for i in range(2):
        for j in range(2):
            assert (cols[i, j], rows[i, j]) == pytest.approx(
                fit.point(xs[i, j], ys[i, j]), rel=1e-12
            )


def test_each_reader_keeps_the_arithmetic_its_thresholds_were_measured_with():
    # The flattened reader always mapped a point by the matrix product, the scan
    # reader its grids of samples element by element; both round to whole pixels
    # afterwards, where the last bit can tip a pixel. The map must keep both.
    rng = np.random.default_rng(14)
    for _ in range(200):
        matrix = np.array([[1.0, 0.0, 0.0], [0.0, -1.0, 842.0]]) * 2.77 + rng.normal(
            scale=0.01, size=(2, 3)
        )
        fit = Transform(matrix)
        x, y = rng.uniform(0, 595), rng.uniform(0, 842)
        product = fit.matrix @ np.array([x, y, 1.0])
        assert fit.point(x, y) == (float(product[0]), float(product[1]))
        xs, ys = np.array([x]), np.array([y])
        cols, rows = fit.points(xs, ys)
        m = matrix
        assert cols[0] == m[0, 0] * x + m[0, 1] * y + m[0, 2]
        assert rows[0] == m[1, 0] * x + m[1, 1] * y + m[1, 2]
