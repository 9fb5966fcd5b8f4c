"""A page's serial and page number read from the digits printed up its right margin
(layout edition 6 on), for a page whose QR codes a stain, a tear or a pen stroke
took.

The digits are printed in a known font, at a known size and place
(model/layout.py serial_line), so each is read by matching the font's own ten
digits drawn at that size: normalised cross-correlation, which a copier's grey,
a stain's tint or faded toner do not change. A digit is taken only when one of
the ten matches it well and clearly better than every other; the line only when
all its digits are taken and its two check digits hold (model/serials.py
parse_printed_code). Anything less is no reading: the page stays as it was.
(pdfforms/read/scan/digits.py reads handwritten digits, a different task.)
"""

from __future__ import annotations

from functools import cache

import numpy as np

from ...model import fonts
from ...model.layout import (
    SERIAL_DIGIT_SPAN,
    SERIAL_FONT,
    SERIAL_SAMPLE,
    SERIAL_SIZE,
    Layout,
    PageLayout,
    width_of,
)
from ...model.serials import parse_printed_code
from .align import Alignment, align, confirmed, percentile, recover, sample

# Pixels a point the line is resampled at (288 dpi): a digit 23 pixels high, more
# than a 200 dpi scan has, so the resampling loses nothing the scan kept.
PER_POINT = 4.0
# How far, in points, the line may lie from where the fit of the corner marks puts
# it (a fit within MAX_RESIDUAL_MM is off by well under 1 pt at mid-page; the rest
# is room), searched for the line as a whole …
SEARCH = 2.0
# … and then for each digit around where the line was found (its own print jitter).
JITTER = 0.5
# Templates and line are both blurred this much (pixels at PER_POINT, a quarter of a
# point): a scan's noise averages out and a sharp template meets a blurred copy half
# way. More blur let more wrong digits win clearly (2.0: 10 in 47 worn pages).
BLUR = 1.0
# A digit is taken when its best template correlates at least this well, and this
# much better than the second best. Measured on the synthetic worn copies (the scan
# benchmark's WORN, 54 pages that could be fitted, seeds 20-24 of a script not kept):
# these thresholds read 28 lines whole and right and none wrong (2 digits won wrongly
# and clearly, in lines that other digits kept from being read); 0.5 and 0.05 read 33
# but one line wrong (its check digits then refused it); a clean page's digits score
# 0.9 and more, 0.3 clear of the next.
MIN_SCORE = 0.6
MIN_MARGIN = 0.08
# Below this spread of grey in the line's band there is nothing printed there: an
# edition before 6, a copy without a serial, or paper torn away.
MIN_CONTRAST = 40.0
# The percentiles of a page stretched to black and white (`stretched`): a page is
# mostly paper, and its marks, rules and text are more than 0.5 % of it.
STRETCH = (0.5, 90.0)


@cache
def _templates() -> np.ndarray:
    """The ten digits as printed, one cell each (advance × the digits' band), their
    baseline where the line's is, normalised for correlation: shape (10, h, w)."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    px = SERIAL_SIZE * PER_POINT
    font = ImageFont.truetype(str(fonts.path(SERIAL_FONT)), size=round(px))
    low, high = SERIAL_DIGIT_SPAN
    h = round((high - low) * px)
    w = round(width_of("0", SERIAL_FONT, SERIAL_SIZE) * PER_POINT)
    out = []
    for d in "0123456789":
        cell = Image.new("L", (w, h), 255)
        ImageDraw.Draw(cell).text((0, round(high * px)), d, font=font, fill=0, anchor="ls")
        cell = cell.filter(ImageFilter.GaussianBlur(BLUR))
        out.append(_normal(np.asarray(cell, dtype=np.float32)))
    return np.stack(out)


def _normal(a: np.ndarray) -> np.ndarray:
    a = a - a.mean(axis=(-2, -1), keepdims=True)
    norm = np.sqrt((a * a).sum(axis=(-2, -1), keepdims=True))
    return a / np.maximum(norm, 1e-6)


def _scores(strip: np.ndarray, top: int, left: int, reach: int) -> np.ndarray:
    """Correlation of each template with the strip at (top, left), shifted up to
    `reach` pixels each way: shape (10, 2·reach+1, 2·reach+1)."""
    t = _templates()
    h, w = t.shape[1:]
    window = strip[top - reach : top + reach + h, left - reach : left + reach + w]
    views = np.lib.stride_tricks.sliding_window_view(window, (h, w))  # (dy, dx, h, w)
    return np.einsum("yxhw,khw->kyx", _normal(views), t)


def line_strip(pixels: np.ndarray, alignment: Alignment, layout_page: PageLayout) -> np.ndarray:
    """The serial line's band resampled upright (its text left to right), with
    SEARCH + JITTER points of room around it."""
    r = layout_page.serial_line
    pad = SEARCH + JITTER + 1
    band = sample(
        pixels,
        alignment.transform,
        r.x - pad,
        r.y - pad,
        r.x + r.w + pad,
        r.y + r.h + pad,
        PER_POINT,
        smooth=True,
    )
    # sampled with the page upright the text runs up and the glyphs lean left: a
    # quarter turn clockwise puts it left to right
    from PIL import Image, ImageFilter

    upright = Image.fromarray(np.ascontiguousarray(np.rot90(band, -1)))
    return np.asarray(upright.filter(ImageFilter.GaussianBlur(BLUR)), dtype=np.float32)


def digit_scores(strip: np.ndarray) -> list[tuple[int, np.ndarray]] | None:
    """Each digit's place in the line (its index in SERIAL_SAMPLE) and the ten
    templates' correlations with it there; None when the band is empty."""
    if np.percentile(strip, 95) - np.percentile(strip, 1) < MIN_CONTRAST:
        return None
    pad = round((SEARCH + JITTER + 1) * PER_POINT)
    reach, jitter = round(SEARCH * PER_POINT), round(JITTER * PER_POINT)
    slots = [
        (i, pad + round(width_of(SERIAL_SAMPLE[:i], SERIAL_FONT, SERIAL_SIZE) * PER_POINT))
        for i, ch in enumerate(SERIAL_SAMPLE)
        if ch != " "
    ]
    # where the line lies: the shift at which the digits' best templates agree most
    found = []
    for _, left in slots:
        best = _scores(strip, pad, left, reach).max(axis=0)
        found.append(np.unravel_index(int(best.argmax()), best.shape))
    dy, dx = (int(np.median([f[k] for f in found])) - reach for k in (0, 1))
    return [
        (i, _scores(strip, pad + dy, left + dx, jitter).reshape(10, -1).max(axis=1))
        for i, left in slots
    ]


def read_line(strip: np.ndarray) -> str | None:
    """The digits of a serial line's strip (line_strip), or None when one of them is
    not clearly one digit."""
    found = digit_scores(strip)
    if found is None:
        return None
    digits = list(SERIAL_SAMPLE)
    for i, scores in found:
        order = np.argsort(scores)[::-1]
        best, second = scores[order[0]], scores[order[1]]
        if best < MIN_SCORE or best - second < MIN_MARGIN:
            return None
        digits[i] = str(int(order[0]))
    return "".join(digits)


def stretched(pixels: np.ndarray) -> np.ndarray:
    """The page's contrast stretched: its darkest ink black, its paper white. (Over the
    whole page, not around each point: a local paper level inside a corner mark,
    39 pixels across at 200 dpi, would be the mark's own grey.)"""
    lo, hi = percentile(pixels, STRETCH[0]), percentile(pixels, STRETCH[1])
    if hi - lo < MIN_CONTRAST:
        return pixels
    out = (pixels.astype(np.float32) - np.float32(lo)) * np.float32(255.0 / (hi - lo))
    return np.clip(out, 0, 255).astype(np.uint8)


def fit(
    pixels: np.ndarray, layout_page: PageLayout, layout: Layout
) -> tuple[np.ndarray, Alignment] | None:
    """The page and its fit, as the page is fitted to be read (align and `confirmed`,
    else `recover`'s three marks confirmed by the box outlines), or the same on the
    page with its contrast stretched when a worn copy's marks are too faint for that
    (a photocopy of a photocopy prints black as 60 % grey), or None."""
    for page in (pixels, None):
        page = stretched(pixels) if page is None else page
        alignment = align(page, layout_page, layout)
        if confirmed(alignment, page, layout_page):
            return page, alignment
        alignment = recover(page, layout_page, layout)
        if alignment is not None:
            return page, alignment
    return None


def read_serial(
    pixels: np.ndarray, layout_page: PageLayout, layout: Layout
) -> tuple[tuple[str, int], np.ndarray, Alignment] | None:
    """((serial, page number), the page as fitted, its fit) of an upright page of
    edition 6 or later, or None when the page has no serial line, cannot be fitted,
    its line is not clearly legible, or its check digits do not hold.
    `layout_page`: any page of a layout of edition 6 on (its marks and its line lie
    where every such page has them)."""
    if layout_page.serial_line is None:
        return None
    fitted = fit(pixels, layout_page, layout)
    if fitted is None:
        return None
    page, alignment = fitted
    text = read_line(line_strip(page, alignment, layout_page))
    found = parse_printed_code(text) if text is not None else None
    return (found, page, alignment) if found is not None else None
