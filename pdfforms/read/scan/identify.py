"""Which form, page and copy a scanned page is: its QR code, read with zxing-cpp.

The code's orientation also tells a page fed upside down or sideways, which is
turned upright here.

Most pages' codes decode at once from the page at half its resolution (a quarter
of the pixels); the rest are tried at full resolution, then where the code sits,
enlarged, then there again after each of the clean-ups a worn copy asks for
(`RETRIES`). A code that decodes is the code as printed, whatever was done to the
pixels: its Reed-Solomon check fails on a misread module rather than give another
payload, and the payload's own format is checked too (model/identity.py).
"""

from __future__ import annotations

import numpy as np

from ...model.identity import Identity, parse_qr
from .align import percentile
from .ink import STRONG_INK
from .pages import PageImage

# Half the resolution first: at the scanner's 200 dpi a module of the printed code
# (0.54 mm, version 3 in 18 mm) is 4.2 pixels, 2.1 at half, which zxing reads on
# ordinary scans; how many pages decode at half and the time it saves per page
# are in benchmarks/results.md ("Issue 17: page identity", benchmarks/scan_identify.py).
REDUCE = 2


# A page is blank (the back of a sheet, scanned by a duplex feeder) when less than
# this share of it is ink: darker than STRONG_INK below the paper around it. The
# paper is taken where each part of the page lies, not for the page as a whole: a
# stress-profile blank back under uneven light (a corner at 60 % of the light) was
# 2-5 % "ink" against the page's paper, and reported as a page not identified.
BLANK_SHARE = 0.002
# The paper's brightness is followed over this many millimetres at 50 dpi: wider
# than a stroke of ink or a tick box, narrower than the light's gradient.
PAPER_SPAN_MM = 6.0


def is_blank(pixels: np.ndarray) -> bool:
    """Whether a page has next to no ink on it (paper texture, dust and the front's
    print showing through faintly are no ink)."""
    from PIL import Image, ImageFilter

    k = max(1, round(pixels.shape[1] / 413))  # to about 50 dpi (A4 is 413 pixels wide)
    small = _reduced(pixels, k)
    size = max(3, int(PAPER_SPAN_MM / 25.4 * 50) | 1)
    paper = Image.fromarray(small).filter(ImageFilter.MaxFilter(size))
    paper = np.asarray(paper.filter(ImageFilter.BoxBlur(size // 2)), dtype=np.float32)
    level = np.repeat(np.repeat(paper * (1 - STRONG_INK), k, axis=0), k, axis=1)
    rows, cols = pixels.shape  # the reduced page rounds up: its last block may be partial
    return bool((pixels < level[:rows, :cols]).mean() < BLANK_SHARE)


def _decode(image: np.ndarray, binarizers=None, printed=None):
    """(identity, result) of the first of our codes zxing finds in `image` that
    `printed(result)` accepts (None: any), or (None, None)."""
    import zxingcpp

    for binarizer in binarizers or (
        zxingcpp.Binarizer.LocalAverage,
        zxingcpp.Binarizer.GlobalHistogram,
    ):
        # our codes are printed black on white: no inverted search
        for result in zxingcpp.read_barcodes(
            image,
            formats=zxingcpp.BarcodeFormat.QRCode,
            binarizer=binarizer,
            try_invert=False,
        ):
            ident = parse_qr(result.text)
            if ident is not None and (printed is None or printed(result)):
                return ident, result
    return None, None


def _printed(pixels: np.ndarray, result, scale: float, row0: int = 0, col0: int = 0) -> bool:
    """Whether a decoded code is printed on this side of the sheet: its darkest
    modules are ink (STRONG_INK below the paper around them), not the faint mirror
    image of the other side's code showing through the paper.

    zxing-cpp 3 reads mirrored codes too, and a blank back with 8 % of its front
    showing through gave its front's code (tests/test_scan_identity.py): the back
    was read as its front's page. `scale`, `row0`, `col0` map the decoded image's
    pixels back to the page's.
    """
    p = result.position
    xs = [q.x / scale + col0 for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)]
    ys = [q.y / scale + row0 for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)]
    pad = (max(xs) - min(xs)) * 0.15  # the quiet zone around it: paper
    r0, r1 = max(0, int(min(ys) - pad)), min(pixels.shape[0], int(max(ys) + pad) + 1)
    c0, c1 = max(0, int(min(xs) - pad)), min(pixels.shape[1], int(max(xs) + pad) + 1)
    region = pixels[r0:r1, c0:c1]
    if region.size == 0:
        return False
    dark, paper = np.percentile(region, (3, 97))
    return bool(dark < paper * (1 - STRONG_INK))


def _reduced(pixels: np.ndarray, k: int) -> np.ndarray:
    """The page at 1/k of its resolution, each pixel the mean of a k×k block
    (Pillow's reduce: 2 ms a page, where numpy's mean over the blocks took 400)."""
    from PIL import Image

    return np.asarray(Image.fromarray(pixels).reduce(k))


def _enlarged(image: np.ndarray) -> np.ndarray:
    from PIL import Image

    h, w = image.shape
    return np.asarray(Image.fromarray(image).resize((w * 2, h * 2), Image.LANCZOS))


def _normalised(image: np.ndarray) -> np.ndarray:
    """Contrast normalisation: the paper's own brightness (a stain, a copier's grey,
    uneven light) divided out, then the darkest and lightest stretched to black and
    white, so the code's dark modules stand against its light ones again."""
    from PIL import Image, ImageFilter

    # the paper around each point: the lightest of 8×8 blocks (a module is about
    # 8 pixels in an enlarged corner), the lightest block of each 3×3, smoothed.
    # (Pillow's MaxFilter over the same 24 pixels took seconds a corner.)
    k = 8
    h, w = image.shape
    rows, cols = h // k, w // k
    if rows < 3 or cols < 3:
        return image
    blocks = image[: rows * k, : cols * k].reshape(rows, k, cols, k).max(axis=(1, 3))
    paper = Image.fromarray(blocks).filter(ImageFilter.MaxFilter(3)).filter(ImageFilter.BoxBlur(1))
    paper = np.repeat(np.repeat(np.asarray(paper, dtype=np.float32), k, 0), k, 1)
    paper = np.pad(paper, ((0, h - rows * k), (0, w - cols * k)), mode="edge")
    ratio = np.clip(image * (255.0 / np.maximum(paper, 1.0)), 0, 255).astype(np.uint8)
    lo, hi = percentile(ratio, 1), percentile(ratio, 99)  # counted, not sorted
    if hi - lo < 1:
        return image
    return np.clip((ratio - np.float32(lo)) * np.float32(255.0 / (hi - lo)), 0, 255).astype(
        np.uint8
    )


def _dropout_filled(image: np.ndarray) -> np.ndarray:
    """Toner dropout filled: white specks inside dark modules closed, thin white
    scratches bridged (a 3×3 minimum, in an enlarged corner a quarter of a module)."""
    from PIL import Image, ImageFilter

    return np.asarray(Image.fromarray(_normalised(image)).filter(ImageFilter.MinFilter(3)))


# What a worn copy's code is tried again after, in order, in the two corners where
# it is printed (upright or upside down). (A median against pen strokes across the
# code cost 0.8 s a corner on the busy machine and was left out untried at scale:
# the second code of edition 5 is the answer to a code crossed out.)
RETRIES = (_normalised, _dropout_filled)


# The smallest corner searched (pixels a side): a code's 21 modules, one pixel each.
MIN_CORNER = 21


def _has_corners(rows: int, cols: int) -> bool:
    """Whether a page's corners (a quarter of its height, a third of its width) are
    large enough to hold a code: a page of a few pixels has none worth searching."""
    return rows // 4 >= MIN_CORNER and cols // 3 >= MIN_CORNER


def _corners(pixels: np.ndarray):
    """Where a code sits, enlarged: (image, row, column of its origin on the page).
    Bottom right as printed, top left upside down, then the other two (a page fed
    sideways)."""
    rows, cols = pixels.shape
    if not _has_corners(rows, cols):
        return
    h, w = rows // 4, cols // 3
    for r0, c0 in ((rows - h, cols - w), (0, 0), (0, cols - w), (rows - h, 0)):
        yield _enlarged(pixels[r0 : r0 + h, c0 : c0 + w]), r0, c0


def find_code(pixels: np.ndarray, thorough: bool = True):
    """(identity, zxing result) of the page's code, or (None, None).

    `thorough`: after the bottom right corner (where the code of a page fed upright
    is printed) and the page at half resolution and the page at full, also each corner
    enlarged, as it is and after each of RETRIES (a page with ink on it whose code
    did not decode: a worn copy, a stain, a pen stroke across it). Every code found
    must be printed on the page (`_printed`), measured on the page as scanned.
    """
    import zxingcpp

    ident, result = None, None
    # at half resolution: first where a page fed upright has its codes (a twelfth of
    # the page, where most pages' code is found: 1.1 ms a page, the whole page 3.4),
    # then the whole page; a page of a few pixels has no such corner
    rows, cols = pixels.shape
    corner = (rows - rows // 4, cols - cols // 3)
    places = [corner, (0, 0)] if _has_corners(rows, cols) else [(0, 0)]
    for r0, c0 in places:
        ident, result = _decode(
            _reduced(pixels[r0:, c0:], REDUCE),
            (zxingcpp.Binarizer.LocalAverage,),
            lambda r, r0=r0, c0=c0: _printed(pixels, r, 1 / REDUCE, r0, c0),
        )
        if ident is not None:
            break
    if ident is None:
        ident, result = _decode(pixels, printed=lambda r: _printed(pixels, r, 1))
    if ident is None and thorough and not is_blank(pixels):
        # (a blank back is not searched again: it has no code to find)
        corners = list(_corners(pixels))
        for clean in (None, *RETRIES):
            for corner, r0, c0 in corners if clean is None else corners[:2]:
                ident, result = _decode(
                    corner if clean is None else clean(corner),
                    printed=lambda r, r0=r0, c0=c0: _printed(pixels, r, 2, r0, c0),
                )
                if ident is not None:
                    return ident, result
    return ident, result


def identify_page(page: PageImage, thorough: bool = True) -> Identity | None:
    """Decode the page's QR code; turn the page upright by the code's orientation."""
    ident, result = find_code(page.pixels, thorough)
    if ident is None:
        return None
    turns = int(round(result.orientation / 90)) % 4
    if turns:
        page.pixels = np.ascontiguousarray(np.rot90(page.pixels, turns))
    return ident
