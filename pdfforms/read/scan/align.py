"""Aligning a scanned page with its layout by the four corner marks.

The marks are found near where the layout puts them and the layout is mapped
onto them by a least-squares affine fit, which absorbs rotation, "fit to page"
scaling and shift. The fit's residual is reported; a page that cannot be aligned
goes to review whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...model.layout import MARK_SIZE, Layout, PageLayout, Transform

# A corner mark is found when a mark-sized square is at least this dark on
# average, and a page is aligned when the fit's residual is under MAX_RESIDUAL.
MARK_DARKNESS = 0.55


MAX_RESIDUAL_MM = 1.5

# The check of a fit that its marks cannot confirm (three marks; a photo's
# four, which a homography always fits): the sides of the layout's boxes must
# be printed lines where the fit puts them, give or take OUTLINE_REACH points
# (and the line's own width and blur), for OUTLINE_FOUND of them. Measured on
# the photo profile and the test set's pages (benchmarks/results.md, "Issue 17:
# phone photos and alignment").
OUTLINE_REACH = 2.0
OUTLINE_FOUND = 0.85


@dataclass
class Alignment:
    """A page's fit: layout point → pixel (column, row), and how far the marks lie from it."""

    transform: Transform
    residual_mm: float
    marks: int = 4  # how many corner marks the fit stands on (three always fit exactly)


def _box_mean(dark: np.ndarray, k: int) -> np.ndarray:
    """Mean of every k×k window (integral image)."""
    integral = np.pad(dark, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    total = integral[k:, k:] - integral[:-k, k:] - integral[k:, :-k] + integral[:-k, :-k]
    return total / (k * k)


def _candidates(
    window: np.ndarray, k: int, area: float, count: int = 3
) -> list[tuple[float, float, float]]:
    """The darkest mark-sized squares of a search window: (darkness, row, col) of centres.

    A square whose dark blob is much smaller or larger than a mark (cut off by the
    edge of the scan, or part of something bigger) is no mark: its centre would
    pull the fit askew.
    """
    means = _box_mean(window, k)
    found = []
    for _ in range(count):
        best = np.unravel_index(int(np.argmax(means)), means.shape)
        darkness = float(means[best])
        if darkness < MARK_DARKNESS:
            break
        top, left = best
        pad = k // 2
        r0, c0 = max(0, top - pad), max(0, left - pad)
        patch = window[r0 : top + k + pad, c0 : left + k + pad]
        ys, xs = np.nonzero(patch > 0.5)
        # cut off: the blob runs into the edge of the window (the scan's edge, near
        # a corner). A whole mark near the edge is not: the margin around it, cut
        # short, sent the pages with a mark 2 mm from the scan's edge to review.
        inside = bool(len(ys)) and not (
            (r0 == 0 and ys.min() == 0)
            or (c0 == 0 and xs.min() == 0)
            or (r0 + patch.shape[0] >= window.shape[0] and ys.max() == patch.shape[0] - 1)
            or (c0 + patch.shape[1] >= window.shape[1] and xs.max() == patch.shape[1] - 1)
        )
        if len(ys) and inside and 0.6 * area <= len(ys) <= 1.5 * area:
            found.append((darkness, r0 + ys.mean(), c0 + xs.mean()))
        # blank out this one and its neighbourhood, to find the next
        means[max(0, top - k) : top + k, max(0, left - k) : left + k] = 0
    return found


def _plausible(matrix: np.ndarray, scale: float) -> bool:
    """Whether a fit is something paper does: a rotation of a few degrees, "fit to
    page" scaling, no shear, no mirror. Three marks always fit exactly, so this is
    what tells a wrong third mark from a right one.
    """
    linear = matrix[:, :2] / scale
    if np.linalg.det(linear) >= 0:  # the y axis flips from points to pixel rows
        return False
    sx, sy = np.linalg.norm(linear[:, 0]), np.linalg.norm(linear[:, 1])
    if not (0.85 < sx < 1.15 and 0.85 < sy < 1.15 and abs(sx - sy) < 0.03):
        return False
    cos = abs(float(linear[:, 0] @ linear[:, 1])) / (sx * sy)
    rotation = abs(np.degrees(np.arctan2(linear[1, 0], linear[0, 0])))
    return cos < 0.02 and rotation < 8


def percentile(pixels: np.ndarray, q: float) -> float:
    """np.percentile(pixels, q) (its linear method), the same float, counted in a
    histogram for 8-bit pixels: a page is 4 million of them, and sorting them
    (what np.percentile does) took an eighth of a page's reading time."""
    if pixels.dtype != np.uint8 or not pixels.size:
        return float(np.percentile(pixels, q))
    from PIL import Image

    # Pillow counts an 8-bit image's histogram in C, a quarter of the time of numpy's
    # bincount (which copies the pixels to 8 bytes each first): 4 ms a page, not 16
    counts = np.asarray(Image.fromarray(pixels.reshape(1, -1)).histogram(), dtype=np.int64)
    counts = counts.cumsum()
    index = q / 100 * (pixels.size - 1)  # np.percentile's virtual index, "linear"
    below = int(np.floor(index))
    t = index - below
    # the values at sorted positions below and below + 1 (counts[v] > k: v is the
    # value at position k)
    a = float(np.searchsorted(counts, below, side="right"))
    b = float(np.searchsorted(counts, min(below + 1, pixels.size - 1), side="right"))
    # numpy's _lerp, which takes the nearer end for the same rounding
    diff = b - a
    return b - diff * (1 - t) if t >= 0.5 else a + diff * t


def corner_candidates(
    pixels: np.ndarray, layout_page: PageLayout, layout: Layout
) -> tuple[float, list[tuple[list[float], list[tuple[float, float]]]]]:
    """Where each corner mark may be: (pixels per point, [(the mark's layout centre
    (x, y, 1), its candidates' pixel centres (col, row)), …] for the corners with any).

    Each corner's search area may hold other dark squares (a QR code's finder
    patterns, a blacked-out box, a shadow), so the three darkest mark-sized
    squares of each corner are kept.
    """
    rows, cols = pixels.shape
    scale = cols / layout.width  # pixels per point, if the page fills the image
    paper = percentile(pixels, 90) or 255.0
    k = max(4, int(round(MARK_SIZE * scale * 0.8)))  # a bit smaller than the mark
    reach = int(40 / 25.4 * 72 * scale)  # search ±40 mm around where a mark should be
    corners = []
    for mark in layout_page.marks:
        # where the mark would be on a page that fills the image (Transform.drawn's map,
        # worked out as it always was: it is cut to whole pixels)
        cx, cy = (mark.x + mark.w / 2) * scale, (layout.height - mark.y - mark.h / 2) * scale
        r0, r1 = max(0, int(cy) - reach), min(rows, int(cy) + reach)
        c0, c1 = max(0, int(cx) - reach), min(cols, int(cx) + reach)
        # how dark, 0…1: worked out only where the marks are looked for
        window = np.clip((paper - pixels[r0:r1, c0:c1].astype(np.float32)) / paper, 0, 1)
        if window.shape[0] <= k or window.shape[1] <= k:
            continue
        area = (MARK_SIZE * scale) ** 2
        found = [(col + c0, row + r0) for _, row, col in _candidates(window, k, area)]
        if found:
            corners.append(([mark.x + mark.w / 2, mark.y + mark.h / 2, 1.0], found))
    return scale, corners


def fits(scale: float, corners) -> list[tuple[float, np.ndarray]]:
    """Every plausible affine fit of one candidate a corner: (residual in pixels, the
    least-squares solution, layout (x, y, 1) → pixel), in the order tried."""
    import itertools

    src = np.array([c[0] for c in corners])
    out = []
    for choice in itertools.product(*(c[1] for c in corners)):
        dst = np.array(choice)
        solution, *_ = np.linalg.lstsq(src, dst, rcond=None)
        if not _plausible(solution.T, scale):
            continue
        out.append((float(np.sqrt(((src @ solution - dst) ** 2).sum(axis=1).mean())), solution))
    return out


def align(pixels: np.ndarray, layout_page: PageLayout, layout: Layout) -> Alignment | None:
    """Find the four corner marks and fit the layout onto them.

    The combination of candidates (corner_candidates) whose affine fit leaves the
    smallest residual is the page's alignment.
    """
    scale, corners = corner_candidates(pixels, layout_page, layout)
    if len(corners) < 3:
        return None
    best = None
    for residual, solution in fits(scale, corners):
        if best is None or residual < best[0]:
            best = (residual, solution)
    if best is None:
        return None
    residual_px, solution = best
    transform = Transform(solution.T)
    px_per_mm = transform.scale * 72 / 25.4
    return Alignment(transform, residual_px / px_per_mm, len(corners))


def confirmed(alignment: Alignment | None, pixels: np.ndarray, layout_page: PageLayout) -> bool:
    """Whether a page may be read off a fit: one on four marks whose residual is
    small, or one on three marks whose box outlines lie where it puts them."""
    if alignment is None or alignment.residual_mm > MAX_RESIDUAL_MM:
        return False
    if alignment.marks >= 4 or not layout_page.widgets:  # nothing on it to read wrongly
        return True
    return outline_match(pixels, alignment.transform, layout_page) >= OUTLINE_FOUND


def outline_match(pixels: np.ndarray, transform: Transform, layout_page: PageLayout) -> float:
    """Share of the sides of the layout's boxes that are printed lines on the page
    where `transform` puts them (give or take OUTLINE_REACH points): each side's
    strip, read across, has a sample under 0.65 of the brightest for most of its
    length."""
    found = total = 0
    reach = OUTLINE_REACH + 1.0
    for w in layout_page.widgets:
        strips = (
            ((w.x - reach, w.y + w.h * 0.2, w.x + reach, w.y + w.h * 0.8), 1),
            ((w.x + w.w - reach, w.y + w.h * 0.2, w.x + w.w + reach, w.y + w.h * 0.8), 1),
            ((w.x + w.w * 0.2, w.y - reach, w.x + w.w * 0.8, w.y + reach), 0),
            ((w.x + w.w * 0.2, w.y + w.h - reach, w.x + w.w * 0.8, w.y + w.h + reach), 0),
        )
        for rect, across in strips:
            strip = sample(pixels, transform, *rect, 3.0).astype(np.float32)
            darkest, brightest = strip.min(axis=across), strip.max(axis=across)
            total += 1
            found += int((darkest < 0.65 * brightest).mean() > 0.7)
    return found / total if total else 0.0


def recover(pixels: np.ndarray, layout_page: PageLayout, layout: Layout) -> Alignment | None:
    """A page that `align` could not fit (a mark cut off by the scan's edge, blotted by
    a stain, or a look-alike beside it): the fits of three of its marks, each
    confirmed by the box outlines of its layout (outline_match), the best of them.

    Three points always fit an affine map exactly: nothing but the rest of the
    print can tell a wrong third mark from a right one, so a fit that the box
    outlines do not confirm is none.
    """
    scale, corners = corner_candidates(pixels, layout_page, layout)
    if len(corners) < 3 or not layout_page.widgets:
        return None
    best = None
    for left_out in range(len(corners)):
        three = corners[:left_out] + corners[left_out + 1 :]
        if len(three) != 3:
            continue
        for residual, solution in fits(scale, three):
            transform = Transform(solution.T)
            share = outline_match(pixels, transform, layout_page)
            if share >= OUTLINE_FOUND and (best is None or share > best[0]):
                best = (share, residual, transform)
    if best is None:
        return None
    _, residual_px, transform = best
    return Alignment(transform, residual_px / (transform.scale * 72 / 25.4), 3)


def grid_size(x0: float, y0: float, x1: float, y1: float, per_point: float) -> tuple[int, int]:
    """How many samples across and down `sample` takes of a layout rectangle (two at least)."""
    return max(2, int(round((x1 - x0) * per_point))), max(2, int(round((y1 - y0) * per_point)))


# Rows of samples taken a chunk at a time: the index arithmetic of about this many
# samples stays in the processor's cache (a large text box's 1.1 million samples
# in one pass took three times as long)
CHUNK = 1 << 16


def sample(
    pixels: np.ndarray,
    transform: Transform,
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    per_point: float,
    smooth: bool = False,
) -> np.ndarray:
    """The layout rectangle (x0, y0)–(x1, y1), resampled upright (`transform`: layout
    point → pixel).

    Measuring takes the nearest pixel (fast, and ink shares do not care);
    `smooth` interpolates between the four nearest, for crops a person reads.
    `pixels` is an image, or anything with its `shape` and a `region` (ink.DarkMap).
    """
    w, h = grid_size(x0, y0, x1, y1, per_point)
    xs = x0 + (np.arange(w) + 0.5) / w * (x1 - x0)
    ys = y1 - (np.arange(h) + 0.5) / h * (y1 - y0)  # top row first
    if not smooth:
        return _nearest(pixels, transform.matrix, xs, ys)
    # a row of x's and a column of y's: numpy broadcasts them to the grid, the same
    # sums element by element as a meshgrid's, without making the grid first
    cols, rows = transform.points(xs[np.newaxis, :], ys[:, np.newaxis])
    last_row, last_col = pixels.shape[0] - 1, pixels.shape[1] - 1
    rows = np.clip(rows, 0, last_row)
    cols = np.clip(cols, 0, last_col)
    r0, c0 = np.floor(rows).astype(int), np.floor(cols).astype(int)
    r1, c1 = np.minimum(r0 + 1, last_row), np.minimum(c0 + 1, last_col)
    fr, fc = rows - r0, cols - c0
    top = pixels[r0, c0] * (1 - fc) + pixels[r0, c1] * fc
    bottom = pixels[r1, c0] * (1 - fc) + pixels[r1, c1] * fc
    out = top * (1 - fr) + bottom * fr
    if pixels.dtype.kind == "f":  # a map of measures (the paper), kept as it is
        return out.astype(np.float32)
    return np.rint(out).astype(np.uint8)


def _nearest(pixels, m: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The pixel nearest each point of the grid of `xs` × `ys` (layout points) that the
    affine map `m` (Transform.matrix) puts on the page, cut to the page.

    Each point's pixel is worked out as Transform.points does, element by element
    (the same sums in the same order), rounded and cut to the page. So the indices
    rise or fall along each axis of the grid, and their extremes are at its corners:
    a darkness map is asked for only the region the corners span (DarkMap.region).
    """
    last_row, last_col = pixels.shape[0] - 1, pixels.shape[1] - 1
    col_x, col_y, row_x, row_y = m[0, 0] * xs, m[0, 1] * ys, m[1, 0] * xs, m[1, 1] * ys

    def indices(across: slice, down: slice) -> tuple[np.ndarray, np.ndarray]:
        rows = np.add(row_x[np.newaxis, across], row_y[down, np.newaxis])
        rows += m[1, 2]
        cols = np.add(col_x[np.newaxis, across], col_y[down, np.newaxis])
        cols += m[0, 2]
        r = np.rint(rows, out=rows).astype(np.intp)
        c = np.rint(cols, out=cols).astype(np.intp)
        # cut to the page in place (np.clip's own checks cost more than the
        # arithmetic on a box's few hundred samples)
        np.minimum(np.maximum(r, 0, out=r), last_row, out=r)
        np.minimum(np.maximum(c, 0, out=c), last_col, out=c)
        return r, c

    h, w = len(ys), len(xs)
    if isinstance(pixels, np.ndarray):
        source, top, left = pixels, 0, 0
    else:
        # the grid's corners
        r, c = indices(slice(None, None, max(1, w - 1)), slice(None, None, max(1, h - 1)))
        source, top, left = pixels.region(int(r.min()), int(r.max()), int(c.min()), int(c.max()))
    flat = source.reshape(-1)
    stride = source.shape[1]
    out = np.empty((h, w), dtype=source.dtype)
    step = max(1, CHUNK // w)
    for i in range(0, h, step):
        r, c = indices(slice(None), slice(i, i + step))
        if top:
            r -= top
        if left:
            c -= left
        r *= stride
        r += c
        np.take(flat, r, out=out[i : i + step])
    return out
