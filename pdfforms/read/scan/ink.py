"""Reading an aligned scanned page: its paper, its noise, and the ink in and around every box.

The page's paper (a grey closing: tints and shadows are paper) and its noise floor
are measured; each tick box is found by its printed border and the ink inside it
is decided ticked, empty or uncertain, and ink around it or its option's words
that no mark explains sends it to a person; text boxes are decided written or
empty, and written ones are cropped for a person to transcribe (see ocr.py for
where machine reading would plug in). What lies between paper and firm ink is
never "empty".

The thresholds below were set on synthetic scans (pdfforms/testing/scans.py) and
are checked by `make bench` on thousands of pages; each says how it was measured.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...model.layout import MARK_SIZE, Layout, PageLayout, Transform, Widget
from ...model.messages import text as msg
from ..guards import SCAN_DPI
from .align import grid_size, percentile, sample

# Ink is what the scan has that the blank form does not: each measured area is
# compared with the same area of the blank form drawn at the same resolution
# (its printed border widened by DILATE samples, for what alignment and blur
# leave), relative to the paper under it (paper_map: uneven light, tints and
# shadows are paper, not ink). A sample is "strong" ink when it is STRONG_INK
# darker than the paper, "faint" when a 3×3 mean of it is FAINT_INK darker:
# firm pencil shows there, scanner noise (σ ≤ 15 grey levels) does not.
STRONG_INK = 0.25
FAINT_INK = 0.06
DILATE = 3
# The paper map (paper_map): dark things narrower than PAPER_WINDOW are ink.
# Wider than a large-print box (20 pt) inked in whole, so that stays ink;
# narrower than a grid row's grey band (27 pt), so that stays paper. Worked out
# on the page shrunk PAPER_POOL times (2.8 samples a point at 200 dpi).
PAPER_WINDOW = 24.0
PAPER_POOL = 4
# The page's own noise floor (page_floor): how dark bare paper gets, after the
# paper map. A sample is a "trace" of ink when its 3×3 mean is TRACE_OVER_FLOOR
# times the floor, and at least TRACE_MIN: the line between "nothing there" and
# "something faint". A scanner that whitens the page lowers the floor, and a
# pencil left 12–16 grey levels under the paper is seen. A page whose floor
# passes MAX_FLOOR is too textured, noisy, blurred or blotchy to tell such a
# trace from paper: it is read as textured paper (below), and goes to review
# whole (`poor_scan`) only when even its fine floor passes MAX_FINE_FLOOR.
TRACE_OVER_FLOOR = 1.5
TRACE_MIN = 0.02
MAX_FLOOR = 0.06
# Textured paper (recycled or cheap paper's grain and mottle, a noisy scan): its
# mottle is wider than a pen's stroke and narrower than the paper map's window,
# so the paper map leaves it as "ink" and raises the floor (0.09–0.26 on
# augraphy's paper textures, synth.PAPER "texture"). On such a page every
# measured area is also looked at finely: what is left of its ink once the
# local background is taken away (a grey opening TEXTURE_WINDOW points wide:
# strokes narrower than that stay, mottle wider goes). Its own floor, measured
# in the margins as the page floor is, was 0.04–0.10 on those pages (0.09–0.13
# on textured pages scanned clean, without blur to soften the grain; past
# MAX_FINE_FLOOR a pencil's stroke is no longer above it). A box is
# ticked there only when its inside also has fine strokes darker than
# TEXTURE_OVER_FLOOR times that floor over TEXTURE_TICKED of it, and empty when
# they cover at most TEXTURE_EMPTY: on 296 empty boxes of textured test pages
# at most 0.4 %, on ticks, crosses, slashes, pencil and dots 4.7 % and more
# (a dot least). What is fainter than the texture (a whitened pencil: 0–3 %,
# as empty boxes) cannot be seen on such paper at all, so an empty box is only
# believed there in a one-answer question whose answer is firmly marked
# (read_marks); everything else goes to a person (`paper_texture`).
TEXTURE_WINDOW = 2.25
TEXTURE_OVER_FLOOR = 2.0
TEXTURE_TICKED = 0.03
TEXTURE_EMPTY = 0.01
MAX_FINE_FLOOR = 0.16
# Points inside a tick box's border that are left out: closer in, the printed
# border (blurred, and shifted by what alignment leaves) reads as ink.
BOX_INSET = 2.5
SAMPLES_PER_POINT = 4.0
# The printed border's echo. A JPEG's blocks ring beside a sharp line, and a blur
# leaves a halo: inside an empty box that is a faint, even line along a side,
# ECHO_BAND points or less from the inside's edge (a JPEG's 8 × 8 block reaches
# 2.9 pt at 200 dpi from the printed line, whose inner edge is 1.4 pt outside the
# inside). At quality 35 it was 6 grey levels (0.024) over the whole side, past
# TRACE_MIN, and sent empty boxes to a person as faint marks. A person's mark is
# not an even line along a side: so, for the trace only, each row and column of
# that band loses its median (a mark over less than half of it keeps all its
# ink), up to ECHO_INK. Strong and faint ink, which tick a box, are measured
# as they are.
ECHO_BAND = 1.5
ECHO_INK = 0.04
# Decisions on the share of a tick box's inside that is ink (strong, faint,
# trace): ticked when the strong or faint share reaches its TICKED value,
# empty when all three stay under their EMPTY value, uncertain (to review)
# between: what lies between paper and firm ink is never "empty". FILLED marks
# a box blacked out, which next to a tick is read as a correction (see
# read_marks). Set on synthetic scans (pdfforms/testing/scans.py); benchmarks/results.md has
# the spread. Faint ink alone decides from 12 %: pencil that blur left under
# STRONG_INK covered 33 % and more, the smeared edge of a tint or a shadow
# across an empty box 6–10 %. An empty box's traces stayed under 0.7 % on
# ordinary pages (99th percentile 0.2 %); a whitened pencil left 13 % and
# more (test profile, 80 questionnaires). A speck of dust in an empty box
# leaves 2–4 % and goes to a person: a hard pencil that a whitening scanner
# all but erased left 2.7 % (stress profile).
TICKED_STRONG, TICKED_FAINT = 0.04, 0.12
EMPTY_STRONG, EMPTY_FAINT, EMPTY_TRACE = 0.01, 0.012, 0.02
FILLED = 0.65
# Finding a tick box before measuring it (_register): its printed border (a
# line 1 pt wide whose middle lies BORDER_INSET inside the widget's rectangle,
# measured on the drawn form) is looked for up to REG_REACH points away from
# where the corner marks put it: a fold or a wrinkle moves a box by up to half
# its side (7.5 pt). Each side must be dark (BORDER_INK) along BORDER_FOUND of
# its length. The box is measured where it was found (to half a point).
REG_REACH = 9.0
BORDER_INSET = 0.6
BORDER_INK = 0.3
BORDER_FOUND = 0.75
# Ink near a box (read_marks): in a ring RING points wide around it, and
# LABEL_PAD points around its option's words, clear ink (ZONE_INK, read at
# ZONE_SAMPLES_PER_POINT, beyond the form's print widened by ZONE_WIDEN, at
# the best of shifts up to ZONE_SLACK, then ZONE_REACH, for what the fit, blur
# and a wrinkle leave beside printed words) that no box explains sends the
# question to a person once it covers ZONE_AREA pt² (a line 1 pt wide and 2 pt
# long; a speck of dust stays under 1 pt²), or faint ink (a 3×3 mean of
# FAINT_INK or the page's trace, ZONE_FAINT_WIDEN from the print) covers
# ZONE_FAINT_AREA pt²: the edge of a tint or a shadow, a shallow crease, a
# watermark's letters. Around words, clear ink must also reach WORDS_LEAK of
# the words' own printed ink: what blur and JPEG leave at their edges grows
# with them ("1177/online services" left up to 1.75 pt² on clean pages). A
# marked box explains clear ink up to OVERSHOOT points past its border (a
# tick's stroke runs on); every box explains its own border (BORDER_GAP). On
# the empty boxes of ordinary test pages, unexplained ink stayed under 1.5 pt²
# (99th percentile 1.4); rings left 12 pt² and more, underlines mostly over
# 8 pt², a short line under a scale's number 2–4 pt².
RING = 8.0
LABEL_PAD = 6.0
ZONE_SAMPLES_PER_POINT = 2.0
ZONE_INK = 0.25
ZONE_WIDEN = 0.5
ZONE_SLACK = 0.5
ZONE_REACH = 2.0
ZONE_AREA = 2.0
ZONE_FAINT_AREA = 6.0
ZONE_FAINT_WIDEN = 1.5
# A marked box's strokes have a faint rim (blur), and a pencil's run on faintly
# past their clear ink: where a marked box explains clear ink (OVERSHOOT), faint
# ink up to ZONE_HALO points from its clear ink is the strokes' own. Faint ink
# there away from any stroke (a crease, a tint's edge) still counts.
ZONE_HALO = 1.5
WORDS_LEAK = 0.05
OVERSHOOT = 4.0
BORDER_GAP = 0.8
# Whose ink it is (_theirs): a box's ring and the pad around its words reach
# towards its neighbours (a grid's rows stand 13 pt apart, a ring reaches 8 pt),
# so ink there may be a neighbour's: a ring drawn around the box above, the tail
# of the tick beside, writing run over a text box's border. Each sample counts
# for the tick box, the option words or the text box it lies nearest to, and for
# no other: the page is cut between them as a map is between towns, and each box
# answers only for its own part. A ring around a box lies mostly nearer that box
# than any other; what lies nearer a neighbour is asked about with the
# neighbour. Only for a box whose inside reads empty: around a box that reads
# marked, ink from anywhere (a stamp's, a stain's) may be what marked it, and
# all of it is counted.
# Ink that goes on beyond the box (_beyond): a mark stays in its box, or runs out
# of it on a side or two (a tick's tail); a toner band, a stain or a stamp under
# the box darkens its surroundings as much as its inside. So the strong ink in
# strips BEYOND_FROM to BEYOND_TO points outside each of the four sides is
# measured for every box whose inside is not empty, and the median side's share
# is compared with the inside's: at BEYOND_SHARE of it or more (and BEYOND_INK at
# least) the box goes to a person (`ink_around_box`). On 200 questionnaires of
# the test profile (benchmarks/results.md, "Issue 17: whose ink it is"), 1,403
# people's marks measured a median of 0 (99th percentile 0.2); the 13 over 0.3
# were all on stamped, watermarked, creased, copied or worn pages, and already
# went to a person for what lay around them. The one box it changed was an empty
# box under a copier's toner band (0.40) that read as ticked.
BEYOND_FROM, BEYOND_TO = 1.5, 4.5
BEYOND_SHARE, BEYOND_INK = 0.3, 0.04
# A line through a box (_line_through): a fold's crease, a scratch or a long
# stroke runs straight on beyond the box on both sides, where a mark does not.
# Along every line through the box's inside, within LINE_TILT degrees of the
# page's rows or columns (a sheet is folded along its width or its length, and
# a crease drifts a few degrees), the ink beyond the form's print is measured
# on both sides, from LINE_FROM points past the box (a tick's stroke runs on up
# to OVERSHOOT) for LINE_REACH points; other boxes are left out. The line's
# ink on a side is the median along it (of the darker of two neighbouring
# samples: a groove may lie between rows), less the mean of the same medians
# LINE_APART points to either side (the paper's grain, light and tint are there
# too; a crease is not), so printed words, a neighbour's mark, a speck or the
# texture do not count. A box whose inside is not empty and that such a line
# crosses, with LINE_INK on both sides, goes to a person (`ink_around_box`):
# the line may be all that is in it. On 120 questionnaires of the test profile
# (benchmarks/results.md, "Issue 17: silent errors"), the marks people made
# measured at most 0.066 on pages without a crease, fold, stamp or wear (0.074
# on a stamped, shadowed, textured page). Of 33 empty boxes that creases and
# folds made look marked, 27 measured 0.082–0.30; the other 6 (0.016–0.067, a
# crease beside the box more than through it) went to a person by the ink
# around them, at their words, or an uncertain box beside them.
LINE_FROM = OVERSHOOT + 2.0
LINE_REACH = 24.0
LINE_TILT = 6.0
LINE_APART = 3.0
LINE_INK = 0.08
# Text boxes: the same measures over the box inside a 3 pt margin: written when
# the strong or faint share reaches TEXT_WRITTEN, empty when all three stay
# under TEXT_EMPTY.
TEXT_WRITTEN_STRONG, TEXT_WRITTEN_FAINT = 0.003, 0.006
TEXT_EMPTY_STRONG, TEXT_EMPTY_FAINT, TEXT_EMPTY_TRACE = 0.0015, 0.0045, 0.006
TEXT_MARGIN = 3.0


# --------------------------------------------------------------------------- limits


# --------------------------------------------------------------------------- loading


# --------------------------------------------------------------------------- identify


# --------------------------------------------------------------------------- align


# --------------------------------------------------------------------------- read


def _dilate(a: np.ndarray, r: int) -> np.ndarray:
    """Grey dilation by a (2r+1)² square, done one axis at a time."""
    rows = a.copy()
    for d in range(1, r + 1):
        np.maximum(rows[d:], a[:-d], out=rows[d:])
        np.maximum(rows[:-d], a[d:], out=rows[:-d])
    out = rows.copy()
    for d in range(1, r + 1):
        np.maximum(out[:, d:], rows[:, :-d], out=out[:, d:])
        np.maximum(out[:, :-d], rows[:, d:], out=out[:, :-d])
    return out


def _mean3(a: np.ndarray) -> np.ndarray:
    """The mean of every 3×3 window, the edge rows and columns repeated beyond the
    ends: the nine neighbours added in the same order as the sum of nine shifted
    views, into one array (np.pad and a new array for every sum cost more than the
    additions on a box's few hundred samples)."""
    h, w = a.shape
    padded = np.empty((h + 2, w + 2), dtype=a.dtype)
    padded[1:-1, 1:-1] = a
    padded[0, 1:-1] = a[0]
    padded[-1, 1:-1] = a[-1]
    padded[:, 0] = padded[:, 1]
    padded[:, -1] = padded[:, -2]
    total = padded[:h, :w] + padded[:h, 1 : w + 1]
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            if dy or dx == 2:
                total += padded[dy : dy + h, dx : dx + w]
    total /= np.float32(9.0)
    return total


def _running(a: np.ndarray, k: int, axis: int, op) -> np.ndarray:
    """The max (op=np.maximum) or min of every k-long window along an axis, centred
    (beyond the ends, nothing: the window is cut short).

    The windows of 2, 4, 8, … samples are each two of the one before; a window of
    k is then the two windows of the largest such length that cover it from its
    two ends. Max and min do no arithmetic, so the overlap changes nothing: the
    same values as a running max within blocks of k (van Herk's and Gil-Werman's
    way, which this replaced), in a quarter of its time on a page's paper map.
    """
    a = np.moveaxis(a, axis, 0)
    n, r = a.shape[0], k // 2
    fill = -np.inf if op is np.maximum else np.inf
    padded = np.full((n + 2 * r,) + a.shape[1:], fill, dtype=a.dtype)
    padded[r : r + n] = a
    span, best = 1, padded
    while 2 * span <= k:
        best = op(best[:-span], best[span:])
        span *= 2
    return np.moveaxis(op(best[:n], best[k - span : k - span + n]), 0, axis)


def _block_sums(pixels: np.ndarray, n: int) -> np.ndarray:
    """The sum of every n×n block of 8-bit pixels (n ≤ 16: a sum fits 16 bits), by
    adding rows and then columns in turn: the same sums as numpy's sum over two
    axes of a 4-d view, in a tenth of its time (it walks the view element by element)."""
    rows = pixels.reshape(pixels.shape[0] // n, n, pixels.shape[1])
    down = rows[:, 0, :].astype(np.uint16)
    for i in range(1, n):
        down += rows[:, i, :]
    cols = down.reshape(down.shape[0], down.shape[1] // n, n)
    total = cols[:, :, 0].copy()
    for i in range(1, n):
        total += cols[:, :, i]
    return total


def _closed(pixels: np.ndarray, transform: Transform) -> np.ndarray:
    """The paper map's closing, on the page shrunk PAPER_POOL times (float32)."""
    n = PAPER_POOL
    rows, cols = (pixels.shape[0] // n) * n, (pixels.shape[1] // n) * n
    pooled = _block_sums(pixels[:rows, :cols], n).astype(np.float32) / np.float32(n * n)
    px_per_pt = transform.scale
    k = max(3, int(round(PAPER_WINDOW * px_per_pt / n)) | 1)
    closed = _running(_running(pooled, k, 0, np.maximum), k, 1, np.maximum)
    return _running(_running(closed, k, 0, np.minimum), k, 1, np.minimum)


def paper_map(pixels: np.ndarray, transform: Transform) -> np.ndarray:
    """The paper's own brightness under every pixel of a page (float32).

    A grey closing: every dark thing narrower than PAPER_WINDOW (strokes, ticks,
    a box inked in whole, printed lines and words) is lifted to the paper around
    it, while whatever is wider stays: uneven light, a tint or a stamp pad's
    smudge, a shadow, grey paper. The edge of a shadow stays an edge, where a
    smooth map would smear it into "ink". It is worked out on the page shrunk by
    PAPER_POOL (a mean, which also quietens the sensor's noise) and drawn back
    to the page's size between its samples.
    """
    from PIL import Image

    n = PAPER_POOL
    rows, cols = (pixels.shape[0] // n) * n, (pixels.shape[1] // n) * n
    closed = _closed(pixels, transform)
    # Pillow puts a shrunk sample i at the middle of the pixels it stands for,
    # n·i + (n − 1)/2, as the mean above does; the last few rows and columns
    # (beyond a whole n) take the paper beside them
    full = Image.fromarray(closed, "F").resize((cols, rows), Image.Resampling.BILINEAR)
    out = np.empty(pixels.shape, dtype=np.float32)
    out[:rows, :cols] = np.asarray(full, dtype=np.float32)
    out[rows:, :cols] = out[rows - 1 : rows, :cols]
    out[:, cols:] = out[:, cols - 1 : cols]
    return np.maximum(out, np.float32(1.0), out=out)


def _dark_of(pixels: np.ndarray, paper: np.ndarray) -> np.ndarray:
    """How much darker than `paper` (float32, overwritten) `pixels` are, in 255ths."""
    dark = paper - pixels
    # in place: a page's float maps are 16 MB each, and a new one costs its page faults
    dark *= np.divide(np.float32(255.0), paper, out=paper)
    np.clip(dark, 0.0, 255.0, out=dark)
    dark += np.float32(0.5)
    return dark.astype(np.uint8)


def darkness_map(pixels: np.ndarray, transform: Transform) -> np.ndarray:
    """How much darker than its paper each pixel of a page is, in 255ths (uint8)."""
    return _dark_of(pixels, paper_map(pixels, transform))


# The side of the square tiles a page's darkness is worked out in (pixels, a
# multiple of PAPER_POOL): about 23 points at 200 dpi. Smaller tiles waste less
# of the page around what is read, larger ones cost fewer calls. On 20 pages of
# the 51-page file of benchmarks/results.md ("Scans: where a page's time goes"),
# replaying what the reader read: 32 px 12.9 ms a page (26 % of the tiles worked
# out), 64 px 11.9 ms (34 %), 96 px 11.3 ms (38 %), 128 px 13.5 ms (47 %); the whole
# map took 19.5 ms. 64 and 96 are alike within the machine's noise.
TILE = 64


class DarkMap:
    """A page's darkness_map, worked out only in the tiles that are read.

    A page's boxes, their rings and words, its text boxes and the margins the
    noise floor is measured in are about a third of it: the rest is never read.
    The closing (the paper, on the page shrunk PAPER_POOL times) is worked out
    whole, as paper_map does: it is small, and a tile's paper depends on the
    paper up to PAPER_WINDOW around it. Each tile's paper is then drawn back to
    full size by the same Pillow resampling with the same coefficients (its box
    starts on a whole shrunk sample), and its darkness is the same float32
    arithmetic: every value read is the byte darkness_map gives there
    (tests/test_scan_stream.py compares whole pages).

    It stands in for the map where `align.sample` reads it: `shape`, and `region`
    for the rows and columns a grid of samples spans.
    """

    def __init__(self, pixels: np.ndarray, transform: Transform):
        from PIL import Image

        self.pixels = pixels
        self.shape = pixels.shape
        n = PAPER_POOL
        self._rows, self._cols = (pixels.shape[0] // n) * n, (pixels.shape[1] // n) * n
        self._closed = Image.fromarray(_closed(pixels, transform), "F")
        self._dark = np.empty(pixels.shape, dtype=np.uint8)
        self._done = np.zeros((-(-self.shape[0] // TILE), -(-self.shape[1] // TILE)), dtype=bool)
        # reads of places read once (the margins the noise floor is measured in):
        # worked out exactly where they lie, not in whole tiles, and not kept
        self.passing = False

    def region(self, r0: int, r1: int, c0: int, c1: int) -> tuple[np.ndarray, int, int]:
        """Rows r0…r1 and columns c0…c1 (inclusive) worked out: (an array holding
        them, the page row and column of its first element)."""
        if self.passing:
            return self._compute(r0, r1 + 1, c0, c1 + 1), r0, c0
        self._ensure(r0, r1, c0, c1)
        return self._dark, 0, 0

    def __getitem__(self, index):
        """`map[rows, cols]` with 2-d arrays of pixel indices that rise or fall along
        each axis (their extremes at the corners), as `sample`'s do."""
        rows, cols = index
        r, c = _corners(rows), _corners(cols)
        source, top, left = self.region(int(r.min()), int(r.max()), int(c.min()), int(c.max()))
        return source[rows - top, cols - left]

    def _ensure(self, r0: int, r1: int, c0: int, c1: int) -> None:
        """Work out every tile of rows r0…r1 and columns c0…c1 not yet worked out."""
        b0, b1, a0, a1 = r0 // TILE, r1 // TILE + 1, c0 // TILE, c1 // TILE + 1
        todo = ~self._done[b0:b1, a0:a1]
        if not todo.any():
            return
        for i in np.flatnonzero(todo.any(axis=1)):
            missing = np.flatnonzero(todo[i])
            # one run of tiles a row: the done ones between are done again, the same bytes
            band = (b0 + i, a0 + missing[0], a0 + missing[-1] + 1)
            self._work(*band)
            self._done[band[0], band[1] : band[2]] = True

    def _work(self, band: int, a0: int, a1: int) -> None:
        y0, y1 = band * TILE, min((band + 1) * TILE, self.shape[0])
        x0, x1 = a0 * TILE, min(a1 * TILE, self.shape[1])
        self._dark[y0:y1, x0:x1] = self._compute(y0, y1, x0, x1)

    def _compute(self, y0: int, y1: int, x0: int, x1: int) -> np.ndarray:
        """The darkness of rows y0…y1 − 1 and columns x0…x1 − 1 (not kept)."""
        from PIL import Image

        n = PAPER_POOL
        # the paper where the shrunk page covers it; the last few rows and columns
        # (beyond a whole n) take the paper beside them, as in paper_map
        ya, yb = min(y0, self._rows - 1), min(y1, self._rows)
        xa, xb = min(x0, self._cols - 1), min(x1, self._cols)
        # a box from a whole shrunk sample to a whole shrunk sample, as a tile's: each
        # pixel's paper is mixed with paper_map's coefficients
        ya, xa = ya - ya % n, xa - xa % n
        yb, xb = min(-(-yb // n) * n, self._rows), min(-(-xb // n) * n, self._cols)
        paper = self._closed.resize(
            (xb - xa, yb - ya), Image.Resampling.BILINEAR, box=(xa / n, ya / n, xb / n, yb / n)
        )
        paper = np.asarray(paper, dtype=np.float32)
        if (ya, yb, xa, xb) != (y0, y1, x0, x1):
            take_rows = np.minimum(np.arange(y0, y1), self._rows - 1) - ya
            take_cols = np.minimum(np.arange(x0, x1), self._cols - 1) - xa
            paper = paper[np.ix_(take_rows, take_cols)]
        else:
            paper = paper.copy()  # Pillow's buffer is read-only
        np.maximum(paper, np.float32(1.0), out=paper)
        return _dark_of(self.pixels[y0:y1, x0:x1], paper)

    def full(self) -> np.ndarray:
        """The whole map (every tile): for tests and for a look at a page."""
        self._ensure(0, self.shape[0] - 1, 0, self.shape[1] - 1)
        return self._dark


def _corners(grid: np.ndarray) -> np.ndarray:
    """The four corners of a 2-d array (of one row or column, its two ends)."""
    return grid[:: max(1, grid.shape[0] - 1), :: max(1, grid.shape[1] - 1)]


def _darkness(dark: np.ndarray, transform: Transform, rect, per_point: float) -> np.ndarray:
    """How much darker than its paper each sample of a layout rectangle is, 0…1."""
    return sample(dark, transform, *rect, per_point).astype(np.float32) * np.float32(1 / 255)


@dataclass
class Reference:
    """The blank form's page, drawn at scan resolution: what an empty area looks like."""

    pixels: np.ndarray
    transform: Transform  # layout point → pixel
    _expected: dict = field(default_factory=dict, repr=False)
    _dark: DarkMap | None = field(default=None, repr=False)

    def darkness(self, rect: tuple[float, float, float, float], per_point: float) -> np.ndarray:
        if self._dark is None:
            # worked out where it is read, as a scan's (a worker's first file
            # waited 0.15 s for three whole pages of it)
            self._dark = DarkMap(self.pixels, self.transform)
        return _darkness(self._dark, self.transform, rect, per_point)

    def expected(
        self,
        rect: tuple[float, float, float, float],
        per_point: float = SAMPLES_PER_POINT,
        widen: float = DILATE / SAMPLES_PER_POINT,
    ) -> np.ndarray:
        """Ink the blank form has in a rectangle, widened by `widen` points (cached)."""
        key = (rect, per_point, widen)
        if key not in self._expected:
            radius = int(round(widen * per_point))
            self._expected[key] = _dilate(self.darkness(rect, per_point), radius)
        return self._expected[key]


def _shifted(rect, offset) -> tuple[float, float, float, float]:
    dx, dy = offset
    return (rect[0] + dx, rect[1] + dy, rect[2] + dx, rect[3] + dy)


@dataclass
class PageInk:
    """One aligned page, ready to measure: its darkness, its blank form, its noise."""

    pixels: np.ndarray
    transform: Transform  # layout point → pixel, as the corner marks put it
    reference: Reference
    dark: DarkMap | np.ndarray  # darkness_map of the page (worked out where it is read)
    floor: float = 0.0  # the page's paper noise (see page_floor)
    # the floor of its fine ink (see TEXTURE_WINDOW), measured only on a page whose
    # floor passes MAX_FLOOR: None on ordinary paper
    fine_floor: float | None = None

    @property
    def textured(self) -> bool:
        """Read as textured paper: its floor passes MAX_FLOOR (see TEXTURE_WINDOW)."""
        return self.fine_floor is not None

    @property
    def poor(self) -> bool:
        """Too noisy even in fine: a person reads the page whole (`poor_scan`)."""
        return self.fine_floor is not None and self.fine_floor > MAX_FINE_FLOOR

    @property
    def trace(self) -> float:
        """The faintest darkness (3×3 mean) that is more than this page's paper."""
        return max(TRACE_MIN, TRACE_OVER_FLOOR * self.floor)

    @property
    def faint(self) -> float:
        """Faint ink: FAINT_INK, or the page's trace where its paper is that noisy."""
        return max(FAINT_INK, self.trace)

    def darkness(self, rect, per_point: float, offset=(0.0, 0.0)) -> np.ndarray:
        """How much darker than its paper each sample of a layout rectangle is."""
        return _darkness(self.dark, self.transform, _shifted(rect, offset), per_point)

    def excess(
        self,
        rect: tuple[float, float, float, float],
        per_point: float = SAMPLES_PER_POINT,
        offset: tuple[float, float] = (0.0, 0.0),
        widen: float = DILATE / SAMPLES_PER_POINT,
    ) -> np.ndarray:
        """Darkness beyond the blank form's in a layout rectangle; `offset` (points)
        moves where it is read on the scan, for a box found away from where the fit
        puts it."""
        found = self.darkness(rect, per_point, offset)
        return np.clip(found - self.reference.expected(rect, per_point, widen), 0.0, 1.0)

    def fine_share(self, rect, offset=(0.0, 0.0)) -> float:
        """The share of a rectangle holding fine ink (see TEXTURE_WINDOW) darker than
        TEXTURE_OVER_FLOOR times the page's fine floor."""
        smooth = _mean3(_fine(self.excess(rect, offset=offset)))
        return float((smooth > max(TRACE_MIN, TEXTURE_OVER_FLOOR * self.fine_floor)).mean())

    def shares(self, rect, offset=(0.0, 0.0), echo: bool = False) -> tuple[float, float, float]:
        """(strong, faint, trace) shares of a rectangle (see STRONG_INK, faint, trace);
        `echo`: a printed border's echo along its sides is no trace (ECHO_BAND)."""
        excess = self.excess(rect, offset=offset)
        smooth = _mean3(excess)
        traced = smooth - _echo(smooth) if echo else smooth
        return (
            float((excess > STRONG_INK).mean()),
            float((smooth > self.faint).mean()),
            float((traced > self.trace).mean()),
        )


def _echo(smooth: np.ndarray, per_point: float = SAMPLES_PER_POINT) -> np.ndarray:
    """The even line along each side of a rectangle's darkness (see ECHO_BAND): in
    the band by each side, every column's (left and right) and row's (top and
    bottom) median, at most ECHO_INK; 0 elsewhere."""
    band = int(round(ECHO_BAND * per_point))
    rows, cols = smooth.shape
    echo = np.zeros_like(smooth)
    if rows < 2 * band + 1 or cols < 2 * band + 1:
        return echo
    along_rows = np.minimum(
        np.median(smooth[[*range(band), *range(rows - band, rows)]], axis=1), ECHO_INK
    )
    along_cols = np.minimum(
        np.median(smooth[:, [*range(band), *range(cols - band, cols)]], axis=0), ECHO_INK
    )
    echo[:band] = along_rows[:band, np.newaxis]
    echo[rows - band :] = along_rows[band:, np.newaxis]
    echo[:, :band] = np.maximum(echo[:, :band], along_cols[:band])
    echo[:, cols - band :] = np.maximum(echo[:, cols - band :], along_cols[band:])
    return np.maximum(echo, 0.0)


def page_ink(
    pixels: np.ndarray, transform: Transform, reference: Reference, layout: Layout
) -> PageInk:
    """An aligned page with its paper map and its measured noise floor."""
    ink = PageInk(pixels, transform, reference, DarkMap(pixels, transform))
    ink.floor = page_floor(ink, layout)
    if ink.floor > MAX_FLOOR:
        ink.fine_floor = page_floor(ink, layout, fine=True)
    return ink


def _fine(excess: np.ndarray, per_point: float = SAMPLES_PER_POINT) -> np.ndarray:
    """What is left of ink once the local background (a grey opening TEXTURE_WINDOW
    points wide) is taken away: strokes stay, the paper's mottle goes."""
    k = max(3, int(round(TEXTURE_WINDOW * per_point)) | 1)
    background = excess
    for axis in (0, 1):
        background = _running(background, k, axis, np.minimum)
    for axis in (0, 1):
        background = _running(background, k, axis, np.maximum)
    return np.clip(excess - background, 0.0, 1.0)


def page_floor(ink: PageInk, layout: Layout, fine: bool = False) -> float:
    """How dark bare paper gets on this page: its noise floor, after the paper map.

    The blank side margins hold no ink. They are cut into squares the size of a
    tick box's window; in each, the darkest 1 % of samples (3×3 means) is as
    far as paper alone goes. The median over the squares is the page's floor,
    so a speck of dust, a hair or a crease through a few squares does not raise
    it. A scan's noise, grain, blur and JPEG raise it; a scanner that whitens
    the paper lowers it, and with it the darkness a mark needs to be seen
    (PageInk.trace). `fine`: the same of the page's fine ink (see TEXTURE_WINDOW).
    """
    from ...model.layout import CONTENT_BOTTOM, CONTENT_TOP, MARGIN_X, MARK_INSET

    side = 10.0
    count = int((CONTENT_TOP - CONTENT_BOTTOM) // side)
    if count < 1:
        return 0.0
    tops = []
    tiles = ink.dark if isinstance(ink.dark, DarkMap) else None
    for x0 in (MARK_INSET + MARK_SIZE + 3, layout.width - MARGIN_X + 3):
        strip = (x0, CONTENT_TOP - count * side, x0 + side, CONTENT_TOP)
        if tiles is not None:
            tiles.passing = True  # a strip 10 pt wide: a sixth of its tiles' width
        try:
            excess = ink.excess(strip)
        finally:
            if tiles is not None:
                tiles.passing = False
        smooth = _mean3(_fine(excess) if fine else excess)
        squares = smooth.reshape(count, -1)  # a square is side × SAMPLES_PER_POINT rows
        k = int(0.99 * (squares.shape[1] - 1))  # the 99th percentile, nearest sample
        tops.extend(np.partition(squares, k, axis=1)[:, k].tolist())
    return float(np.median(tops))


@dataclass
class BoxReading:
    widget: Widget
    strong: float  # share of the box's inside that is clearly ink
    faint: float  # share that is at least faint ink
    trace: float = 0.0  # share darker than the page's paper gets (PageInk.trace)
    # where the box was found (to half a point), from where the fit put it
    offset: tuple[float, float] = (0.0, 0.0)
    found: bool = True  # its printed border was found
    around: float = 0.0  # ink around the box that nothing explains (1: enough to ask)
    at_words: float = 0.0  # ink on or around its option's words that nothing explains
    words: tuple[float, float, float, float] | None = None  # where its option's words are
    # on textured paper (PageInk.textured): the share of its inside holding fine
    # strokes (PageInk.fine_share); None on ordinary paper
    fine: float | None = None
    # on textured paper, an empty box that nothing firm beside it vouches for: what
    # is fainter than the texture cannot be seen (read_marks)
    unseen: bool = False
    # the ink of the strongest straight line through the box that runs on beyond it
    # on both sides (_line_through; measured when its inside is not empty), in
    # LINE_INKs: 1 is a line
    line: float = 0.0
    # the strong ink just outside the box, on the median of its four sides
    # (_beyond; measured when its inside is not empty)
    beyond: float = 0.0

    @property
    def ink(self) -> float:
        return self.strong

    @property
    def inside(self) -> str:
        """What the inside of the box alone says: ticked, filled, empty or uncertain."""
        if not self.found:
            return "uncertain"
        if self.fine is not None:
            return self._textured()
        if self.strong >= TICKED_STRONG or self.faint >= TICKED_FAINT:
            return "filled" if self.strong >= FILLED else "ticked"
        if self.strong <= EMPTY_STRONG and self.faint <= EMPTY_FAINT and self.trace <= EMPTY_TRACE:
            return "empty"
        return "uncertain"

    def _textured(self) -> str:
        """The inside on textured paper: the texture's own specks and mottle fill some
        of a box with "ink" (up to 15 % strong on empty boxes), so a mark must also
        be fine strokes (TEXTURE_TICKED), and a box is empty only when neither
        measure sees a mark."""
        if self.strong >= FILLED:
            return "filled"
        firm = self.strong >= TICKED_STRONG or self.faint >= TICKED_FAINT
        if firm and self.fine >= TEXTURE_TICKED:
            return "ticked"
        # where the two measures disagree (ink as a whole, but no fine strokes: a
        # dot that a noisy page's fine floor swallows, or the texture's own
        # blotch), neither is believed
        if self.fine <= TEXTURE_EMPTY and not firm:
            return "empty"
        return "uncertain"

    @property
    def state(self) -> str:
        """The box's decision: as its inside says, unless ink near it is unexplained."""
        inside = self.inside
        if self.around >= 1 or self.crossed:
            return "uncertain"
        if self.at_words >= 1 and inside not in ("ticked", "filled"):
            return "uncertain"
        if self.unseen and inside == "empty":
            return "uncertain"
        return inside

    @property
    def crossed(self) -> bool:
        """A line runs through the box and on beyond it, or its ink goes on all round
        it (BEYOND_SHARE): its ink may be the line's, a band's or a stain's."""
        if self.inside == "empty":
            return False
        spread = self.beyond >= max(BEYOND_INK, BEYOND_SHARE * self.strong)
        return self.line >= 1 or spread

    @property
    def seen(self) -> str:
        """What a person is asked to look at, for the review item (a code)."""
        if not self.found:
            return "box_not_found"
        if self.around >= 1 or self.crossed:
            return "ink_around_box"
        if self.at_words >= 1 and self.inside not in ("ticked", "filled"):
            return "ink_at_words"
        if self.unseen and self.inside == "empty":
            return "paper_texture"
        return "faint_mark"

    @property
    def note(self) -> str:
        return msg(f"ink.{self.seen}")

    @property
    def confidence(self) -> float:
        """0.5 in the middle of the uncertain band, towards 1 as a reading nears a decision."""
        up = max(self.strong / TICKED_STRONG, self.faint / TICKED_FAINT)
        return round(min(1.0, max(0.0, up)), 3)


# What a box of a one-answer question read as marked more than once shows a person:
# which of the marks is the answer (a cancelled one may look like a tick) is theirs
# to say, so none of them is put forward (a review item without `marked` or
# `confidence`).
MULTIPLE_SEEN = "multiple_marks"
# What the reader saw, in words (the catalogue's "ink.…"): a review item's note.
NOTES = (
    "box_not_found",
    "ink_around_box",
    "ink_at_words",
    "faint_mark",
    "paper_texture",
    MULTIPLE_SEEN,
)


def _register(ink: PageInk, w: Widget) -> tuple[tuple[float, float], bool]:
    """Where the box's printed border is, near where the fit puts it: (offset, found).

    The four sides of the border are looked for at every offset up to REG_REACH
    (a fold or a wrinkle moves part of a sheet, which the corner marks cannot
    tell). A side is there when BORDER_FOUND of its length is dark; the offset
    where all four are most there wins, the nearest one among equals.
    """
    spp = ZONE_SAMPLES_PER_POINT
    reach = REG_REACH
    rect = (w.x - reach, w.y - reach, w.x + w.w + reach, w.y + w.h + reach)
    dark = ink.darkness(rect, spp) >= BORDER_INK
    # a side may lie half a sample either way: count a sample dark if its neighbour is
    thick_cols = dark.copy()
    thick_cols[:, 1:] |= dark[:, :-1]
    thick_cols[:, :-1] |= dark[:, 1:]
    thick_rows = dark.copy()
    thick_rows[1:] |= dark[:-1]
    thick_rows[:-1] |= dark[1:]
    n_rows, n_cols = dark.shape
    step_x, step_y = (rect[2] - rect[0]) / n_cols, (rect[3] - rect[1]) / n_rows

    def col(x: float) -> int:
        return int((x - rect[0]) / step_x)

    def row(y: float) -> int:  # rows run from the top (rect[3]) down
        return int((rect[3] - y) / step_y)

    shifts = int(reach * spp) - 1
    offsets = np.arange(-shifts, shifts + 1)
    # the border's middle lines, and the stretch of each side that is measured
    # (its ends left out, where the corners are)
    left, right = col(w.x + BORDER_INSET), col(w.x + w.w - BORDER_INSET)
    top, bottom = row(w.y + w.h - BORDER_INSET), row(w.y + BORDER_INSET)
    end = max(1, int(round(2.0 * spp)))
    down = np.vstack([np.zeros((1, n_cols)), np.cumsum(thick_cols, axis=0)])
    across = np.hstack([np.zeros((n_rows, 1)), np.cumsum(thick_rows, axis=1)])
    sy, sx = offsets[:, None], offsets[None, :]
    r0, r1 = top + end + sy, bottom - end + 1 + sy
    c0, c1 = left + end + sx, right - end + 1 + sx
    length_v, length_h = bottom - top + 1 - 2 * end, right - left + 1 - 2 * end

    def vertical(c):
        return (down[r1, c] - down[r0, c]) / length_v

    def horizontal(r):
        return (across[r, c1] - across[r, c0]) / length_h

    score = np.minimum(
        np.minimum(vertical(left + sx), vertical(right + sx)),
        np.minimum(horizontal(top + sy), horizontal(bottom + sy)),
    )
    best = float(score.max())
    if best < BORDER_FOUND:
        return (0.0, 0.0), False
    near = score >= best - 0.05
    distance = sx**2 + sy**2
    i, j = np.unravel_index(int(np.argmin(np.where(near, distance, np.inf))), score.shape)
    # offsets are in samples, x to the right and y down the rows: points, y up
    return (float(offsets[j]) * step_x, -float(offsets[i]) * step_y), True


def read_box(ink: PageInk, w: Widget) -> BoxReading:
    """The inside of a tick box, measured where its printed border is found."""
    offset, found = _register(ink, w)
    i = BOX_INSET
    rect = (w.x + i, w.y + i, w.x + w.w - i, w.y + w.h - i)
    strong, faint, trace = ink.shares(rect, offset, echo=True)
    reading = BoxReading(w, strong, faint, trace, offset, found)
    if ink.textured:
        reading.fine = ink.fine_share(rect, offset)
    return reading


def _grow(rect, by: float) -> tuple[float, float, float, float]:
    return (rect[0] - by, rect[1] - by, rect[2] + by, rect[3] + by)


def _unexplained(
    ink: PageInk,
    zone,
    offset,
    allowed,
    borders,
    spp: float = ZONE_SAMPLES_PER_POINT,
    owner: int | None = None,
    owners: dict | None = None,
) -> float:
    """How much ink a layout rectangle, read `offset` points away, has that nothing
    explains, in pt² of clear ink, measured against the zone's threshold: 1 is
    just enough to send the question to a person.

    Explained are the `allowed` rectangles (where the fit puts things: boxes, and
    the strokes running out of a marked box) and the form's own print (widened by
    ZONE_WIDEN). Faint ink is only explained by the `borders` rectangles, and
    where strokes may run on, beside their clear ink (ZONE_HALO): a tick's
    overshoot is clear ink with a faint rim, and a crease or a tint's edge
    through a marked box is still there beside it. Around printed words, what the fit,
    blur and JPEG leave grows with the words' ink, so the threshold does too
    (WORDS_LEAK).

    What the fit and blur leave beside printed words and lines can look like
    ink. So when there seems to be some, it is measured again with the scan
    moved by up to ZONE_SLACK points either way, then (a wrinkle moves the
    words beside a box a little differently from the box) up to ZONE_REACH,
    and the least is kept: ink that no shift puts on the form's print is ink
    someone added. A shift cannot hide a ring or a line: it would leave the
    printed words, which hold more ink, unexplained instead.

    With `owners` (read_marks: every tick box's box and words, and every text box,
    by its index) and `owner` (this box's index), ink nearer another owner is left
    out (_theirs).
    """
    # whole samples, so that the scan can be moved by whole samples
    zone = tuple(float(v) for v in np.round(np.asarray(zone) * spp) / spp)
    slack = int(round(ZONE_REACH * spp))
    wide = _grow(zone, slack / spp)
    found = ink.darkness(wide, spp, offset)
    if ink.textured:
        # the paper's mottle is not ink: its fine strokes are (see TEXTURE_WINDOW)
        found = _fine(found, spp)
    expected = ink.reference.expected(zone, spp, ZONE_WIDEN)
    # faint ink is looked for further from the print: a blurred scan's words
    # have a faint rim that no shift removes
    expected_far = ink.reference.expected(zone, spp, ZONE_FAINT_WIDEN)
    n_rows, n_cols = expected.shape
    # where each sample lies in the fit's frame, as the `allowed` rectangles are
    xs = zone[0] + offset[0] + (np.arange(n_cols) + 0.5) / spp
    ys = zone[3] + offset[1] - (np.arange(n_rows) + 0.5) / spp

    free, free_faint = _uncovered(xs, ys, allowed), _uncovered(xs, ys, borders)
    faint_level = ink.faint
    if ink.textured:
        faint_level = max(FAINT_INK, TEXTURE_OVER_FLOOR * ink.fine_floor)
    printed = float(ink.reference.expected(zone, spp, 0.0).sum()) / spp**2
    enough = max(ZONE_AREA, WORDS_LEAK * printed)

    # where a marked box's strokes may run on (its `allowed` rectangle, beyond the
    # borders): there faint ink beside its clear ink is the strokes' own (ZONE_HALO)
    runs_on = ~free & free_faint
    some_run_on = bool(runs_on.any())
    halo = max(1, int(round(ZONE_HALO * spp)))

    def area(dy: int, dx: int) -> float:
        """The clear ink's share of `enough`, or 1 if faint ink covers ZONE_FAINT_AREA."""
        moved = found[slack + dy : slack + dy + n_rows, slack + dx : slack + dx + n_cols]
        strokes = moved - expected > ZONE_INK
        clear = float((strokes & free).sum()) / spp**2 / enough
        if clear >= 1:
            return clear
        far = _mean3(np.clip(moved - expected_far, 0, 1))
        faint_free = free_faint
        if some_run_on:  # (with no marked box near, there is no rim to take away)
            rim = runs_on & (_dilate(strokes.astype(np.uint8), halo) > 0)
            faint_free = free_faint & ~rim
        faint = float(((far > faint_level) & faint_free).sum()) / spp**2
        return 1.0 if faint >= ZONE_FAINT_AREA else clear

    least = area(0, 0)
    if least < 1:
        return least
    if owners is not None and owner is not None:
        theirs = _theirs(xs, ys, owner, owners)
        if theirs.any():
            free &= ~theirs
            free_faint &= ~theirs
            least = area(0, 0)
            if least < 1:
                return least
    near = int(round(ZONE_SLACK * spp))
    shifts = sorted(
        ((dy, dx) for dy in range(-slack, slack + 1) for dx in range(-slack, slack + 1)),
        key=lambda s: (max(abs(s[0]), abs(s[1])) > near, s[0] ** 2 + s[1] ** 2),
    )
    for dy, dx in shifts[1:]:
        least = min(least, area(dy, dx))
        if least < 1:
            break
    return least


def _distance(xs: np.ndarray, ys: np.ndarray, rects) -> np.ndarray:
    """Each sample's distance (points) to the nearest of `rects` (0 inside one)."""
    best = np.full((len(ys), len(xs)), np.inf)
    for x0, y0, x1, y1 in rects:
        dx = np.maximum(np.maximum(x0 - xs, 0.0), xs - x1)
        dy = np.maximum(np.maximum(y0 - ys, 0.0), ys - y1)
        best = np.minimum(best, np.hypot(dx[None, :], dy[:, None]))
    return best


def _theirs(xs: np.ndarray, ys: np.ndarray, owner: int, owners: dict) -> np.ndarray:
    """Which samples of a grid (columns at `xs`, rows at `ys`, the top first, in the
    fit's frame) lie nearer another owner (a tick box or its words, a text box)
    than `owner` and its words (see "Whose ink it is" among the constants).
    `owners`: each widget's index → its rectangles in the fit's frame."""
    mine = _distance(xs, ys, owners[owner])
    # only the shapes that could be nearer than this box's own farthest sample
    reach = float(mine.max())
    others = [
        r
        for i, rects in owners.items()
        if i != owner
        for r in rects
        if r[0] - reach <= xs[-1]
        and r[2] + reach >= xs[0]
        and r[1] - reach <= ys[0]
        and r[3] + reach >= ys[-1]
    ]
    if not others:
        return np.zeros(mine.shape, dtype=bool)
    return _distance(xs, ys, others) < mine


def _line_through(ink: PageInk, w: Widget, offset, others) -> float:
    """The ink of the strongest straight line through the box's inside that runs on
    beyond it on both sides (see LINE_INK): the lesser of its two sides' medians,
    each less the medians LINE_APART to either side of it."""
    spp = ZONE_SAMPLES_PER_POINT
    x0, y0, x1, y1 = w.x, w.y, w.x + w.w, w.y + w.h
    near, far = LINE_FROM, LINE_FROM + LINE_REACH
    drift = far * np.tan(np.radians(LINE_TILT))
    best = 0.0
    for across in (False, True):  # lines along the rows, then along the columns
        if not across:
            sides = [
                (x0 - far, y0 - drift, x0 - near, y1 + drift),
                (x1 + near, y0 - drift, x1 + far, y1 + drift),
            ]
        else:
            sides = [
                (x0 - drift, y1 + near, x1 + drift, y1 + far),
                (x0 - drift, y0 - far, x1 + drift, y0 - near),
            ]
        blocks = []
        for rect in sides:
            excess = ink.excess(rect, spp, offset, ZONE_WIDEN)
            if ink.textured:
                excess = _fine(excess, spp)
            free = _free(rect, spp, others, offset)
            excess = np.where(free, excess, np.nan)
            # rows of a block run across the line, columns along it (left to right,
            # or down the page); the first block lies before the box, the second after
            blocks.append(excess.T if across else excess)
        # both from the box outwards
        left, right = blocks[0][:, ::-1], blocks[1]
        n_rows, n_cols = right.shape
        pad = int(round(drift * spp))
        inside = np.arange(pad + int(BOX_INSET * spp), n_rows - pad - int(BOX_INSET * spp))
        every = np.arange(n_rows - 1)
        apart = int(round(LINE_APART * spp))
        if not inside.size:
            continue
        steps = np.arange(n_cols) + near * spp
        cols = np.arange(n_cols)[None, None, :]
        # every tilt at once: a line per tilt (first axis) and row (second)
        tilts = np.radians(np.linspace(-LINE_TILT, LINE_TILT, 7))
        shift = np.rint(steps[None, :] * np.tan(tilts)[:, None]).astype(int)
        contrast = []
        for block, sign in ((right, -1), (left, 1)):
            rows = np.clip(every[None, :, None] + sign * shift[:, None, :], 0, n_rows - 2)
            line = np.fmax(block[rows, cols], block[rows + 1, cols]).reshape(-1, n_cols)
            seen = np.isfinite(line).sum(axis=1) >= n_cols // 2
            median = np.where(seen, _row_medians(line), np.nan).reshape(len(tilts), -1)
            # against the same line LINE_APART to either side: the paper's grain
            # and light are there too, a crease is not
            beside = (
                median[:, np.clip(inside - apart, 0, None)]
                + median[:, np.clip(inside + apart, None, every[-1])]
            ) / 2
            contrast.append(median[:, inside] - beside)
        both = np.nan_to_num(np.fmin(contrast[0], contrast[1]), nan=0.0)
        best = max(best, float(both.max()))
    return best


def _row_medians(a: np.ndarray) -> np.ndarray:
    """np.nanmedian(a, axis=1), the same numbers: each row sorted once (NaN sorts
    last) and its middle taken by its count of numbers. numpy's nanmedian goes by
    masked arrays on small rows, and took a quarter of a page's reading time."""
    ordered = np.sort(a, axis=1)
    count = np.isfinite(a).sum(axis=1)
    low = np.take_along_axis(ordered, np.maximum((count - 1) // 2, 0)[:, None], axis=1)
    high = np.take_along_axis(ordered, (count // 2)[:, None], axis=1)
    return np.where(count > 0, (low[:, 0] + high[:, 0]) / 2, np.nan)


def _beyond(ink: PageInk, w: Widget, offset) -> float:
    """The share of strong ink in strips just outside the box's four sides (BEYOND_FROM
    to BEYOND_TO points past its border, the corners left out), the median side's."""
    near, far = BEYOND_FROM, BEYOND_TO
    x0, y0, x1, y1 = w.x, w.y, w.x + w.w, w.y + w.h
    sides = [
        (x0 - far, y0 + 1, x0 - near, y1 - 1),
        (x1 + near, y0 + 1, x1 + far, y1 - 1),
        (x0 + 1, y0 - far, x1 - 1, y0 - near),
        (x0 + 1, y1 + near, x1 - 1, y1 + far),
    ]
    strong = [float((ink.excess(rect, offset=offset) > STRONG_INK).mean()) for rect in sides]
    return float(np.median(strong))


def _free(rect, spp: float, others, offset) -> np.ndarray:
    """Samples of a layout rectangle, read `offset` away, that none of `others` covers
    (`others` where the fit puts things, as _unexplained's `allowed`)."""
    w, h = grid_size(*rect, spp)
    xs = rect[0] + offset[0] + (np.arange(w) + 0.5) / w * (rect[2] - rect[0])
    ys = rect[3] + offset[1] - (np.arange(h) + 0.5) / h * (rect[3] - rect[1])
    return _uncovered(xs, ys, others)


def _uncovered(xs: np.ndarray, ys: np.ndarray, rects) -> np.ndarray:
    """Which samples of a grid (columns at `xs`, rising; rows at `ys`, falling, the
    top first) none of the layout rectangles `rects` covers."""
    free = np.ones((len(ys), len(xs)), dtype=bool)
    # only the few rectangles that reach the grid cover a sample of it: the others
    # are passed over at once, not measured one by one
    r = np.asarray(rects, dtype=float).reshape(-1, 4)
    near = (r[:, 2] >= xs[0]) & (r[:, 0] <= xs[-1]) & (r[:, 3] >= ys[-1]) & (r[:, 1] <= ys[0])
    for x0, y0, x1, y1 in r[near]:
        cols = (xs >= x0) & (xs <= x1)
        rows = (ys >= y0) & (ys <= y1)
        if cols.any() and rows.any():
            free[np.ix_(rows, cols)] = False
    return free


def label_rects(layout_page: PageLayout) -> dict[int, tuple[float, float, float, float]]:
    """Where each tick box's option words are printed (by its index on the page).

    The words follow the box on its right, a line or more (a long option wraps);
    a scale's number stands centred above its box. A grid's options are its
    column heads, shared by all its rows: they are no one box's words.
    """
    from ...model.layout import width_of

    out = {}
    for index, w in enumerate(layout_page.widgets):
        if w.kind not in ("checkbox", "radio"):
            continue
        found = []
        for t in layout_page.texts:
            right_of = t.align == "left" and abs(t.x - (w.x + w.w + 8)) < 1.0
            # a right-to-left page is mirrored: the words end left of the box
            left_of = t.align == "right" and abs(t.x - (w.x - 8)) < 1.0
            above = t.align == "center" and abs(t.x - (w.x + w.w / 2)) < 1.0
            if (right_of or left_of) and w.y - 3 * t.size <= t.y <= w.y + w.h:
                found.append(t)
            elif above and w.y + w.h <= t.y <= w.y + w.h + 2 * t.size and t.text == w.on:
                found.append(t)
        if not found:
            continue
        # the first line beside the box, and the lines under it that go on its words
        found.sort(key=lambda t: -t.y)
        lines = [found[0]]
        words = w.option_label
        said = found[0].text
        for t in found[1:]:
            if said != words and words.startswith(f"{said} {t.text}".strip()[: len(words)]):
                lines.append(t)
                said = f"{said} {t.text}"
        share = {"left": 0.0, "center": 0.5, "right": 1.0}  # of its width left of its x
        x0 = min(t.x - width_of(t.text, t.font, t.size) * share[t.align] for t in lines)
        x1 = max(t.x + width_of(t.text, t.font, t.size) * (1 - share[t.align]) for t in lines)
        y0 = min(t.y - 0.25 * t.size for t in lines)
        y1 = max(t.y + 0.8 * t.size for t in lines)
        out[index] = (x0, y0, x1, y1)
    return out


@dataclass
class PageMarks:
    """What one aligned page says: raw field values and what needs a person."""

    fields: dict[str, str | None] = field(default_factory=dict)
    multiple: dict[str, list[str]] = field(default_factory=dict)
    # every box of a `multiple` group read as marked: a person chooses (MULTIPLE_SEEN)
    twice: list[tuple[str, BoxReading]] = field(default_factory=list)
    uncertain: list[tuple[str, BoxReading]] = field(default_factory=list)
    firm: dict[str, list[str]] = field(default_factory=dict)  # marked beside an uncertain box
    corrected: list[tuple[str, list[str]]] = field(default_factory=list)
    written: list[Widget] = field(default_factory=list)
    unsure_text: list[tuple[Widget, float]] = field(default_factory=list)


def read_text_ink(ink: PageInk, w: Widget) -> tuple[float, float, float]:
    """(strong, faint, trace) ink shares of a text box inside its margin."""
    m = TEXT_MARGIN
    return ink.shares((w.x + m, w.y + m, w.x + w.w - m, w.y + w.h - m))


def text_state(strong: float, faint: float, trace: float = 0.0) -> str:
    if strong >= TEXT_WRITTEN_STRONG or faint >= TEXT_WRITTEN_FAINT:
        return "written"
    if strong <= TEXT_EMPTY_STRONG and faint <= TEXT_EMPTY_FAINT and trace <= TEXT_EMPTY_TRACE:
        return "empty"
    return "uncertain"


def crop(
    pixels: np.ndarray,
    transform: Transform,
    w: Widget,
    offset: tuple[float, float] = (0.0, 0.0),
    around: float = 2.0,
    rect: tuple[float, float, float, float] | None = None,
) -> np.ndarray:
    """A box (or `rect`), upright, `around` points wider, at about SCAN_DPI, for a person."""
    x0, y0, x1, y1 = _shifted(rect or w.rect, offset)
    box = (x0 - around, y0 - around, x1 + around, y1 + around)
    fast = _picture(pixels, transform, *box, SCAN_DPI / 72)
    if fast is not None:
        return fast
    return sample(pixels, transform, *box, SCAN_DPI / 72, True)


def _picture(
    pixels: np.ndarray, transform: Transform, x0: float, y0: float, x1: float, y1: float, per_point
) -> np.ndarray | None:
    """`sample(…, smooth=True)` of a rectangle that lies inside the page, by Pillow's
    affine transform: the same samples at the same places, each the bilinear mix of
    its four pixels (rounded its own way: within a grey level of sample's), in C
    rather than in a score of numpy passes (half the time).
    None for a rectangle that reaches past the page's edge, where sample repeats the
    edge's pixels and Pillow would draw black."""
    from PIL import Image

    if pixels.dtype != np.uint8 or pixels.ndim != 2:
        return None
    w, h = grid_size(x0, y0, x1, y1, per_point)  # sample's grid
    cols, rows = transform.points(np.array([x0, x1, x0, x1]), np.array([y0, y0, y1, y1]))
    if cols.min() < 0 or rows.min() < 0:
        return None
    if cols.max() > pixels.shape[1] - 1 or rows.max() > pixels.shape[0] - 1:
        return None
    # sample's output pixel (i, j) is the layout point (x0 + (j + ½)·dx, y1 − (i + ½)·dy),
    # mapped to pixel (column, row) coordinates with pixel k's middle at k; Pillow's
    # output pixel (j, i) reads its input at (a·(j + ½) + b·(i + ½) + c, …), pixel k's
    # middle at k + ½
    (a, b, c), (d, e, f) = transform.matrix
    dx, dy = (x1 - x0) / w, (y1 - y0) / h
    # only the pixels the rectangle covers (and one more each side): Pillow's
    # transform costs a third more from a whole page
    top, left = int(rows.min()), int(cols.min())
    bottom = min(pixels.shape[0], int(rows.max()) + 2)
    right = min(pixels.shape[1], int(cols.max()) + 2)
    coefficients = (
        a * dx,
        -b * dy,
        a * x0 + b * y1 + c + 0.5 - left,
        d * dx,
        -e * dy,
        d * x0 + e * y1 + f + 0.5 - top,
    )
    image = Image.fromarray(pixels[top:bottom, left:right]).transform(
        (w, h), Image.Transform.AFFINE, coefficients, Image.Resampling.BILINEAR
    )
    return np.asarray(image)


def review_rect(reading: BoxReading) -> tuple[float, float, float, float]:
    """What a person is shown for an uncertain box: the box, with its words and what
    lies around it when that is what was seen."""
    rect = reading.widget.rect
    words = reading.words
    if reading.seen in ("ink_around_box", "ink_at_words", "box_not_found"):
        rect = _grow(rect, RING)
        if words is not None:
            rect = (
                min(rect[0], words[0] - LABEL_PAD),
                min(rect[1], words[1] - LABEL_PAD),
                max(rect[2], words[2] + LABEL_PAD),
                max(rect[3], words[3] + LABEL_PAD),
            )
    return rect


def read_marks(ink: PageInk, layout_page: PageLayout) -> PageMarks:
    """Decide every box of a page.

    Each tick box is first found (its printed border, near where the fit puts
    it) and its inside measured. Then the ink around it, and on and around its
    option's words, is compared with the blank form: ink there that no marked
    box explains (a tick runs a little past its own border) is something a
    person drew on purpose, a ring or a line, or something lying over the page,
    and the question goes to a person with what was seen.

    A box blacked out entirely next to a ticked box in the same radio group is a
    correction: people cross out a wrong answer that way, so the tick counts and
    the filled box does not. A filled box alone counts as marked. Two or more
    ticks in one radio group are `multiple_marks`, never a guess.
    """
    out = PageMarks()
    groups: dict[str, list[BoxReading]] = {}
    readings: dict[int, BoxReading] = {}
    for index, w in enumerate(layout_page.widgets):
        if w.kind in ("checkbox", "radio"):
            reading = read_box(ink, w)
            readings[index] = reading
            groups.setdefault(w.field, []).append(reading)
        else:
            strong, faint, trace = read_text_ink(ink, w)
            out.fields[w.field] = None
            state = text_state(strong, faint, trace)
            if state == "empty" and ink.textured:
                # faint writing can hide in the texture: a person looks
                state = "uncertain"
            if state == "written":
                out.written.append(w)
            elif state == "uncertain":
                out.unsure_text.append(
                    (w, max(strong / TEXT_WRITTEN_STRONG, faint / TEXT_WRITTEN_FAINT))
                )
    # What explains ink outside a box: the strokes of a marked box run on a little
    # past its border; every other widget's own border and inside are its own.
    allowed, borders = [], []
    for index, w in enumerate(layout_page.widgets):
        reading = readings.get(index)
        marked = reading is not None and reading.inside in ("ticked", "filled")
        box = _shifted(w.rect, reading.offset) if reading is not None else w.rect
        allowed.append(_grow(box, OVERSHOOT if marked else BORDER_GAP))
        borders.append(_grow(box, BORDER_GAP))
    words = label_rects(layout_page)
    # who owns the ink near a box (_theirs): every tick box with its words, and
    # every text box (writing runs over its border)
    owners = {}
    for index, w in enumerate(layout_page.widgets):
        reading = readings.get(index)
        if reading is None:
            owners[index] = [w.rect]
            continue
        box = _shifted(w.rect, reading.offset)
        shape = [box] + ([_shifted(words[index], reading.offset)] if index in words else [])
        owners[index] = shape
    for index, reading in readings.items():
        w = reading.widget
        if not reading.found:
            continue
        if reading.inside != "empty":
            others = [a for i, a in enumerate(allowed) if i != index]
            reading.line = _line_through(ink, w, reading.offset, others) / LINE_INK
            reading.beyond = _beyond(ink, w, reading.offset)
        zone = _grow(w.rect, RING)
        # only an empty box leaves a neighbour its ink: around a box that reads
        # marked, any ink (a stamp's, a stain's) may be what marked it
        mine = dict(owner=index, owners=owners) if reading.inside == "empty" else {}
        reading.around = _unexplained(ink, zone, reading.offset, allowed, borders, **mine)
        if index in words:
            reading.words = words[index]
            near = _grow(words[index], LABEL_PAD)
            reading.at_words = _unexplained(ink, near, reading.offset, allowed, borders, **mine)
    if ink.textured:
        _vouch(groups)
    for name, readings_of in groups.items():
        uncertain = [r for r in readings_of if r.state == "uncertain"]
        marked = [r for r in readings_of if r.state in ("ticked", "filled")]
        kind = readings_of[0].widget.kind
        out.fields[name] = None
        if uncertain:
            for r in uncertain:
                out.uncertain.append((name, r))
            out.firm[name] = [r.widget.on for r in marked]
            continue
        if kind == "checkbox":
            if marked:
                out.fields[name] = "Yes"
            continue
        ticks = [r for r in marked if r.state == "ticked"]
        filled = [r for r in marked if r.state == "filled"]
        every = marked
        if ticks and filled:
            out.corrected.append((name, [r.widget.on for r in filled]))
            marked = ticks
        if len(marked) == 1:
            out.fields[name] = marked[0].widget.on
        elif len(marked) > 1:
            out.multiple[name] = [r.widget.on for r in marked]
            out.twice += [(name, r) for r in every]
    return out


def _vouch(groups: dict[str, list[BoxReading]]) -> None:
    """On textured paper, which empty boxes to believe (the others are `unseen`).

    A mark fainter than the paper's texture cannot be told from it, so an empty
    box there is believed only where a firm mark beside it vouches for it: in a
    one-answer question (a radio group) whose answer is firmly ticked (a box inked
    in whole may be a correction), the other boxes are its unchosen options,
    marked with the same hand. A question with no firm mark, and the
    unmarked options of a many-answer question, go to a person.
    """
    for readings_of in groups.values():
        radio = readings_of[0].widget.kind == "radio"
        # a box inked in whole vouches for nothing: it may be a cancelled answer,
        # and the real one a pencil the texture hides beside it
        if radio and any(r.state == "ticked" for r in readings_of):
            continue
        for r in readings_of:
            r.unseen = True


# A page that is this empty (share of ink pixels) and has no QR code is a blank
# back side of a duplex scan.
BLANK_PAGE = 0.002


def ink_share(pixels: np.ndarray) -> float:
    paper = percentile(pixels, 90)
    return float((pixels < paper * (1 - STRONG_INK)).mean()) if paper > 0 else 1.0
