"""A page photographed by a phone: its corner marks found anywhere in the frame,
a perspective fit, and the page drawn upright from it.

A photo of a form on a table has the page anywhere in the frame, at any size,
as a trapezoid, with the table around it. `align` (align.py) looks for the
marks near where a page filling its image has them and fits an affine map, so
it finds none here. This module:

1. looks for the marks' shape (a solid dark square, light around it) over the
   whole frame, shrunk, at every size a mark may have;
2. takes the four that make a page: a convex quadrilateral, marks of like size,
   the QR code's square where the bottom-right mark says it is;
3. fits the homography from the layout's mark centres onto them (four points,
   eight unknowns: numpy solves it) and draws the page upright at SCAN_DPI
   through it, so that everything after (the affine `align`, the paper map,
   the ink thresholds, the reviewer's crops) sees a page like a scanner's;
4. checks the fit against what else is printed: the box outlines of the layout
   must lie on ink on the page drawn upright (`outline_match`). Four points
   always fit a homography exactly, so nothing else can tell a look-alike
   (a black square on the table, a mark covered and another square taken for
   it) from a mark: a page whose outlines do not match is not read, it goes to
   review ("alignment").
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from ...model.identity import Identity
from ...model.layout import (
    MARK_INSET,
    MARK_SIZE,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    QR_SIZE,
    Layout,
    PageLayout,
    RectItem,
)
from ..guards import SCAN_DPI
from .align import OUTLINE_FOUND, Alignment, align, outline_match
from .identify import identify_page
from .pages import PageImage

# The frame is searched shrunk to REDUCED pixels on its long side: a page that
# spans 40 % of a frame's long side has marks of 5 pixels there (A4's long side
# is 60 marks), one that fills it of 16.
REDUCED = 1000
# Mark sizes looked for on the shrunk frame (pixels, a geometric series).
MARK_PX = (4.5, 40.0)
# A mark: its middle (0.6 of its side) at least MARK_INK darker than the paper
# around it, its whole square SQUARE_SHARE as dark as its middle, and the ring
# around it out to 1.8 of its side at most RING_SHARE as dark (a mark's
# corners, turned 45°, reach into the ring: 0.08 of it). Shares, not levels:
# a black mark under a dim light (augraphy's LightingGradient) was 0.59 darker
# than its paper.
MARK_INK = 0.35
SQUARE_SHARE = 0.8
RING_SHARE = 0.35
# The most mark-like squares kept, of which four are chosen: CANDIDATES of each
# size twice the last (from MARK_PX[0]): a bold title's strokes are mark-like at
# a fifth of the marks' size and would crowd the marks out of one list.
CANDIDATES = 8
# Four marks of a page lie, on average, 47 of their sides apart (533 and 780
# points between their centres, 14-point marks): so many, within these bounds.
APART = (20.0, 110.0)
# ... and make a page seen from a phone: opposite sides at most OPPOSITE times
# the other's length (a 25° tilt from 30 cm makes 1.3), the width across the
# height (533 / 780 = 0.68 flat) within ASPECT.
OPPOSITE = 1.8
ASPECT = (0.45, 1.0)
SIZE_SPREAD = 3.0  # the largest of the four marks against the smallest (tilt; a size is
# known to a step or two of the series only)
# The QR code's square, seen through a fit, is dark over QR_INK of its area
# (modules are about half dark; a blank corner has a line of words at most).
QR_INK = (0.2, 0.8)
FITS_CHECKED = 4  # the best-looking fits checked at full resolution, in order


@dataclass
class Rectified:
    """A photo's page drawn upright at SCAN_DPI, its alignment there, and the fit."""

    pixels: np.ndarray
    alignment: Alignment
    homography: np.ndarray  # layout point → photo pixel (column, row), 3×3
    outlines: float  # share of the box outlines found where the fit puts them


def homography(src, dst) -> np.ndarray:
    """The 3×3 projective map taking four points `src` onto `dst` (x, y each)."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        rows.append([x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y])
        rows.append([0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y])
        rhs += [u, v]
    h = np.linalg.solve(np.array(rows), np.array(rhs, dtype=float))
    return np.append(h, 1.0).reshape(3, 3)


def project(h: np.ndarray, xs, ys):
    """Points (arrays of one shape) through a 3×3 projective map."""
    w = h[2, 0] * xs + h[2, 1] * ys + h[2, 2]
    return (h[0, 0] * xs + h[0, 1] * ys + h[0, 2]) / w, (h[1, 0] * xs + h[1, 1] * ys + h[1, 2]) / w


def _running(a: np.ndarray, k: int, axis: int, op) -> np.ndarray:
    """The max or min of every k-long window along an axis (k odd), centred."""
    r = k // 2
    pad = [(0, 0)] * a.ndim
    pad[axis] = (r, r)
    padded = np.pad(a, pad, mode="edge")
    out = np.take(padded, range(0, a.shape[axis]), axis=axis).copy()
    for d in range(1, k):
        op(out, np.take(padded, range(d, d + a.shape[axis]), axis=axis), out=out)
    return out


def _darkness(small: np.ndarray, window: int) -> np.ndarray:
    """How much darker than the paper around it each pixel is, 0…1: a grey closing
    (dark things narrower than `window` lifted to what is around them) is the paper,
    so the light falling off across a photo and a hand's shadow are paper too."""
    f = small.astype(np.float32)
    step = max(1, window // 8)  # the closing on a coarser grid: smooth, and fast
    coarse = f[::step, ::step]
    k = max(3, (window // step) | 1)
    closed = _running(_running(coarse, k, 0, np.maximum), k, 1, np.maximum)
    closed = _running(_running(closed, k, 0, np.minimum), k, 1, np.minimum)
    paper = np.kron(closed, np.ones((step, step), dtype=np.float32))[: f.shape[0], : f.shape[1]]
    return np.clip((paper - f) / np.maximum(paper, 1.0), 0.0, 1.0)


def _window_sums(integral: np.ndarray, k: int) -> np.ndarray:
    """The sum of the k×k window centred on every pixel (clipped at the edges)."""
    rows, cols = integral.shape[0] - 1, integral.shape[1] - 1
    r = np.arange(rows)
    c = np.arange(cols)
    top, bottom = np.clip(r - k // 2, 0, rows), np.clip(r - k // 2 + k, 0, rows)
    left, right = np.clip(c - k // 2, 0, cols), np.clip(c - k // 2 + k, 0, cols)
    return (
        integral[bottom][:, right]
        - integral[top][:, right]
        - integral[bottom][:, left]
        + integral[top][:, left]
    )


def find_marks(dark: np.ndarray) -> list[tuple[float, float, float, float]]:
    """Mark-like squares on a shrunk frame's darkness: (score, col, row, side), best first.

    At each size, a square's middle must be dark and the ring around it light;
    the best few, apart from each other, are kept.
    """
    integral = np.pad(dark, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    found = []
    side = MARK_PX[0]
    while side <= MARK_PX[1]:
        inner, whole, outer = (
            max(3, int(round(0.6 * side))),
            int(round(side)),
            int(round(1.8 * side)) | 1,
        )
        middle = _window_sums(integral, inner) / inner**2
        ring = (_window_sums(integral, outer) - _window_sums(integral, whole)) / (
            outer**2 - whole**2
        )
        square = _window_sums(integral, whole) / whole**2
        mark = (middle >= MARK_INK) & (square >= SQUARE_SHARE * middle)
        score = np.where(mark & (ring <= RING_SHARE * middle), middle - ring, 0.0)
        for _ in range(CANDIDATES):
            best = np.unravel_index(int(np.argmax(score)), score.shape)
            if score[best] <= 0:
                break
            row, col = best
            found.append((float(score[best]), float(col), float(row), side))
            reach = int(side) + 1
            score[max(0, row - reach) : row + reach + 1, max(0, col - reach) : col + reach + 1] = 0
        side *= 1.2
    found.sort(key=lambda f: -f[0])
    kept: list[tuple[float, float, float, float]] = []
    per_size: dict[int, int] = {}
    for f in found:  # one square per place, at its best size
        size = int(np.log2(f[3] / MARK_PX[0]))
        if per_size.get(size, 0) < CANDIDATES and all(
            np.hypot(f[1] - k[1], f[2] - k[2]) > 0.8 * max(f[3], k[3]) for k in kept
        ):
            kept.append(f)
            per_size[size] = per_size.get(size, 0) + 1
    return kept


def _centres(layout_page: PageLayout) -> list[tuple[float, float]]:
    """The layout's mark centres as seen going round the page clockwise from the top
    left (top left, top right, bottom right, bottom left; points, y up)."""
    marks = sorted(
        ((m.x + m.w / 2, m.y + m.h / 2) for m in layout_page.marks), key=lambda p: (-p[1], p[0])
    )
    top, bottom = marks[:2], sorted(marks[2:])
    return [top[0], top[1], bottom[1], bottom[0]]


def _ink_share(dark: np.ndarray, h: np.ndarray, rect) -> float:
    """Share of a layout rectangle that is dark on the shrunk frame, seen through h."""
    x0, y0, x1, y1 = rect
    xs, ys = np.meshgrid(np.linspace(x0, x1, 24), np.linspace(y0, y1, 24))
    cols, rows = project(h, xs, ys)
    r = np.clip(np.rint(rows).astype(int), 0, dark.shape[0] - 1)
    c = np.clip(np.rint(cols).astype(int), 0, dark.shape[1] - 1)
    return float((dark[r, c] > MARK_INK).mean())


def _fits(dark: np.ndarray, layout_page: PageLayout) -> list[tuple[float, np.ndarray]]:
    """Homographies (layout point → shrunk-frame pixel) from four of the mark-like
    squares, the likeliest first: (score, h)."""
    marks = find_marks(dark)
    centres = _centres(layout_page)
    qr = layout_page.qr
    fits = []
    for four in itertools.combinations(marks, 4):
        sides = [f[3] for f in four]
        if max(sides) > SIZE_SPREAD * min(sides):
            continue
        pts = np.array([(f[1], f[2]) for f in four])
        middle = pts.mean(axis=0)
        # round the middle, clockwise as seen (rows run down): a convex four
        order = np.argsort(np.arctan2(pts[:, 1] - middle[1], pts[:, 0] - middle[0]))
        ring = pts[order]
        edges = np.roll(ring, -1, axis=0) - ring
        turns = (
            edges[:, 0] * np.roll(edges, -1, axis=0)[:, 1]
            - edges[:, 1] * np.roll(edges, -1, axis=0)[:, 0]
        )
        if not (turns > 0).all():
            continue
        # as far apart as marks of their size are on a page (A4's marks: 38 and 56
        # sides apart), give or take what the size series and a tilt leave
        apart = float(np.hypot(edges[:, 0], edges[:, 1]).mean()) / float(np.mean(sides))
        if not APART[0] <= apart <= APART[1]:
            continue
        lengths = np.hypot(edges[:, 0], edges[:, 1])
        if (
            max(lengths[0] / lengths[2], lengths[2] / lengths[0]) > OPPOSITE
            or max(lengths[1] / lengths[3], lengths[3] / lengths[1]) > OPPOSITE
        ):
            continue
        for start in range(4):  # which of the four is the top left
            seen = np.roll(ring, -start, axis=0)
            across = (lengths[start % 2] + lengths[start % 2 + 2]) / (
                lengths[1 - start % 2] + lengths[3 - start % 2]
            )
            if not ASPECT[0] <= across <= ASPECT[1]:
                continue
            try:
                h = homography(centres, seen)
            except np.linalg.LinAlgError:
                continue
            if qr is not None:
                share = _ink_share(dark, h, (qr.x, qr.y, qr.x + qr.w, qr.y + qr.h))
                if not QR_INK[0] <= share <= QR_INK[1]:
                    continue
            fits.append((sum(f[0] for f in four), h))
    fits.sort(key=lambda f: -f[0])
    return fits


def _upright(
    photo: np.ndarray,
    h: np.ndarray,
    width_pt: float,
    height_pt: float,
    per_point: float = SCAN_DPI / 72,
) -> np.ndarray:
    """The page (a layout rectangle from (0, 0)) drawn upright through h (layout point →
    photo pixel), `per_point` pixels a point: SCAN_DPI unless told."""
    from PIL import Image

    width, height = int(round(width_pt * per_point)), int(round(height_pt * per_point))
    # an upright pixel (u, v) is the layout point (u / s, height − v / s)
    drawn = np.array([[1 / per_point, 0, 0], [0, -1 / per_point, height_pt], [0, 0, 1]])
    m = h @ drawn
    m /= m[2, 2]
    pil = Image.fromarray(photo).transform(
        (width, height),
        Image.Transform.PERSPECTIVE,
        tuple(m.ravel()[:8]),
        Image.Resampling.BICUBIC if per_point > SCAN_DPI / 72 else Image.Resampling.BILINEAR,
        fillcolor=255,
    )
    return np.asarray(pil)


def _refine(photo: np.ndarray, col: float, row: float, side: float) -> tuple[float, float]:
    """A mark's centre on the whole photo: the middle of its dark pixels near where
    the shrunk frame found it (its side `side` photo pixels)."""
    half = int(side * 0.75) + 2
    r0, c0 = max(0, int(row) - half), max(0, int(col) - half)
    patch = photo[r0 : int(row) + half + 1, c0 : int(col) + half + 1].astype(np.float32)
    if not patch.size:
        return col, row
    paper, ink = float(patch.max()), float(patch.min())
    ys, xs = np.nonzero(patch < (paper + ink) / 2)
    if not len(ys):
        return col, row
    return c0 + float(xs.mean()), r0 + float(ys.mean())


def fits(photo: np.ndarray, layout_page: PageLayout):
    """Homographies (layout point → photo pixel) from four mark-like squares of a
    photo that make a page, the likeliest first (at most FITS_CHECKED), each
    refined on the whole photo."""
    from PIL import Image

    rows, cols = photo.shape
    shrink = max(rows, cols) / REDUCED if max(rows, cols) > REDUCED else 1.0
    size = (max(1, int(round(cols / shrink))), max(1, int(round(rows / shrink))))
    small = np.asarray(Image.fromarray(photo).resize(size, Image.Resampling.BOX))
    dark = _darkness(small, int(MARK_PX[1] * 2.2) | 1)
    centres = _centres(layout_page)
    for _, h in _fits(dark, layout_page)[:FITS_CHECKED]:
        seen = [project(h, x, y) for x, y in centres]
        side = MARK_SIZE * np.sqrt(abs(np.linalg.det(_jacobian(h, *centres[0])))) * shrink
        refined = [_refine(photo, c * shrink, r * shrink, side) for c, r in seen]
        try:
            yield homography(centres, refined)
        except np.linalg.LinAlgError:
            continue


def rectify(photo: np.ndarray, layout_page: PageLayout, layout: Layout) -> Rectified | None:
    """The page of a photo drawn upright, or None when no fit is sure.

    The likeliest fits are tried in turn: the page is drawn upright through each
    and aligned as a scan is; the first whose box outlines lie on printed lines
    is the page's. None found: the page is not read.
    """
    for h in fits(photo, layout_page):
        upright = _upright(photo, h, layout.width, layout.height)
        alignment = align(upright, layout_page, layout)
        if alignment is None:
            continue
        share = outline_match(upright, alignment.transform, layout_page)
        if share >= OUTLINE_FOUND:
            return Rectified(upright, alignment, h, share)
    return None


def _furniture() -> PageLayout:
    """The corner marks and the QR square, where model/layout.py puts them on every
    page of every form (its `_furniture`), for a photo not yet identified."""
    m, s = MARK_INSET, MARK_SIZE
    page = PageLayout(0)
    for x, y in ((m, m), (PAGE_WIDTH - m - s, m), (m, PAGE_HEIGHT - m - s)):
        page.marks.append(RectItem(x, y, s, s))
    page.marks.append(RectItem(PAGE_WIDTH - m - s, PAGE_HEIGHT - m - s, s, s))
    page.qr = RectItem(PAGE_WIDTH - m - s - 8 - QR_SIZE, m, QR_SIZE, QR_SIZE)
    return page


def identify(image: PageImage) -> Identity | None:
    """A photo's identity, its QR code read on the page drawn upright through a fit
    of its marks (a tilted, shrunk code defeats the reader on the photo itself).

    Only the identity is taken: the page is read from the photo later, through a
    fit that its form's box outlines confirm (`rectify`)."""
    furniture = _furniture()
    qr = furniture.qr
    pad = QR_SIZE * 0.3  # the code's quiet zone and what the fit leaves
    for h in fits(image.pixels, furniture):
        # the code's square alone, enlarged (a photo's modules are 4–6 pixels), first
        shifted = h @ np.array([[1, 0, qr.x - pad], [0, 1, qr.y - pad], [0, 0, 1]])
        square = _upright(image.pixels, shifted, QR_SIZE + 2 * pad, QR_SIZE + 2 * pad, 6.0)
        for candidate in (square, None):
            if candidate is None:
                candidate = _upright(image.pixels, h, PAGE_WIDTH, PAGE_HEIGHT)
            ident = identify_page(PageImage(image.file, image.index, candidate))
            if ident is not None:
                return ident
    return None


def _jacobian(h: np.ndarray, x: float, y: float) -> np.ndarray:
    """How a projective map stretches lengths at (x, y): its 2×2 derivative."""
    eps = 1.0
    x0, y0 = project(h, x, y)
    x1, y1 = project(h, x + eps, y)
    x2, y2 = project(h, x, y + eps)
    return np.array([[x1 - x0, x2 - x0], [y1 - y0, y2 - y0]]) / eps
