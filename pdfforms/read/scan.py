"""Read scanned paper forms: identify every page, align it, and read its marks.

A scan is image-only: a PDF of page images, or PNG/JPEG/TIFF files. Each page
is drawn at SCAN_DPI, and then:

1. **Identified** by its QR code (form, version, language, page/pages, serial);
   the code's orientation also tells a page fed upside down or sideways. A
   page whose code cannot be read is compared with the missing pages of the
   questionnaires in the same file and placed only if it clearly is one.
2. **Aligned**: the four corner marks are found and the layout is mapped onto
   them by a least-squares affine fit, which absorbs rotation, "fit to page"
   scaling and shift. The fit's residual is reported; a page that cannot be
   aligned goes to review whole.
3. **Read**: the ink in the middle of each tick box is measured against the
   paper around it, and decided ticked, empty or uncertain; text boxes are
   decided written or empty, and written ones are cropped for a person to
   transcribe (see ocr.py for where machine reading would plug in).

The thresholds below were set on synthetic scans (tests/scans/) and are checked
by `make bench` on thousands of pages; each says how it was measured.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..identity import Identity, parse_qr
from ..layout import MARK_SIZE, Layout, PageLayout, Widget
from .raw import ReadError

SCAN_DPI = 200
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}

# What one file may make us draw. A hostile file is refused with its reason
# before any page is drawn, rather than left to the batch's time and memory
# limits (workers.Limits), which only say that a limit was hit.
#
# A scan file may hold a stack of questionnaires: a scanner's feeder batch of
# 500 sheets, both sides, is 1,000 pages. More is not one scanning session.
# (Every page is held at SCAN_DPI while the file is read, 3.9 MB for A4, so even
# 1,000 pages need a --memory-limit above the default.) Every other returned
# file of ours (filled or flattened) has a handful of pages.
MAX_SCAN_PAGES = 1000
# Pixels of one page image: a scanned image, an image on a PDF page, or a PDF
# page drawn at SCAN_DPI. A3 scanned at 600 dpi is 70 million; our forms are read
# at 200 dpi (A4: 4 million). Reading costs about ten bytes a pixel (the grey
# copy and a float darkness map), so this bound keeps a page near 1 GB.
MAX_PAGE_PIXELS = 100_000_000
# Bytes that drawing a PDF's pages inflates, images aside (those are judged by
# their pixels): content streams, form XObjects, fonts, patterns. Our forms draw
# about 110 kB in all, also after Ghostscript or pdftocairo printed them; a font
# embedded whole may be 20 MB. The bound is for bombs (stopped here in 0.2 s):
# dense text far below it is slow rather than big (pdfplumber took 38 s over
# 4.7 MB of text operators), and that is left to the batch's time limit.
MAX_DRAWN_BYTES = 64 * 2**20

# Ink is what the scan has that the blank form does not: each measured area is
# compared with the same area of the blank form drawn at the same resolution
# (its printed border widened by DILATE samples, for what alignment and blur
# leave), relative to the paper around it (uneven light). A sample is "strong"
# ink when it is STRONG_INK darker than the paper, "faint" when a 3×3 mean of
# it is FAINT_INK darker: faint pencil shows there, scanner noise (σ ≤ 15 grey
# levels) does not.
STRONG_INK = 0.25
FAINT_INK = 0.06
DILATE = 3
# Points inside a tick box's border that are left out: closer in, the printed
# border (blurred, and shifted by what alignment leaves) reads as ink.
BOX_INSET = 2.5
SAMPLES_PER_POINT = 4.0
# Decisions on the share of a tick box's inside that is ink (strong, faint):
# ticked when either share reaches its TICKED value, empty when both stay under
# their EMPTY value, uncertain (to review) between. FILLED marks a box blacked
# out, which next to a tick is read as a correction (see read_marks). Set on
# synthetic scans (tests/scans); benchmarks/results.md has the spread.
TICKED_STRONG, TICKED_FAINT = 0.04, 0.06
EMPTY_STRONG, EMPTY_FAINT = 0.01, 0.012
FILLED = 0.65
# A page whose blank margins show this much faint "ink" (page_noise) is too
# poor a scan to tell a faint mark from paper: it goes to review whole.
NOISY_PAGE = 0.01
# Text boxes: the same measures over the box inside a 3 pt margin: written when
# either share reaches TEXT_WRITTEN, empty when both stay under TEXT_EMPTY.
TEXT_WRITTEN_STRONG, TEXT_WRITTEN_FAINT = 0.003, 0.006
TEXT_EMPTY_STRONG, TEXT_EMPTY_FAINT = 0.0015, 0.0045
TEXT_MARGIN = 3.0
# A corner mark is found when a mark-sized square is at least this dark on
# average, and a page is aligned when the fit's residual is under MAX_RESIDUAL.
MARK_DARKNESS = 0.55
MAX_RESIDUAL_MM = 1.5
# A page that is this empty (share of ink pixels) and has no QR code is a blank
# back side of a duplex scan.
BLANK_PAGE = 0.002


@dataclass
class PageImage:
    """One scanned page: where it came from and its pixels (grayscale, 0 = black)."""

    file: str
    index: int  # 1-based page number within the file
    pixels: np.ndarray


@dataclass
class Alignment:
    matrix: np.ndarray  # 2×3: layout point (x, y, 1) → pixel (col, row)
    residual_mm: float
    marks_found: int


@dataclass
class ScannedPage:
    """A page and, once its QR code is read (or its boxes placed it), its identity."""

    image: PageImage
    identity: Identity | None = None


# --------------------------------------------------------------------------- limits


def check_page_count(count: int) -> None:
    """Refuse a file of more than MAX_SCAN_PAGES pages."""
    if count > MAX_SCAN_PAGES:
        raise ReadError(
            f"has {count} pages, more than the {MAX_SCAN_PAGES} a returned file may have "
            "(a scanner's batch of 500 sheets, both sides); split it into smaller files"
        )


def check_page_pixels(
    what: str, width: float, height: float, why: str = " (a decompression bomb?)"
) -> None:
    """Refuse an image (or a page drawn) of more than MAX_PAGE_PIXELS: `what` names it."""
    pixels = float(width) * float(height)
    if pixels > MAX_PAGE_PIXELS:
        raise ReadError(
            f"{what} {width:,.0f} × {height:,.0f} pixels, more than the "
            f"{MAX_PAGE_PIXELS:,} a page may have{why}"
        )


def check_page_size(number: int, width_pt: float, height_pt: float) -> None:
    """Refuse a page that would be too many pixels once drawn at SCAN_DPI."""
    scale = SCAN_DPI / 72
    check_page_pixels(
        f"page {number} measures {width_pt * 25.4 / 72:,.0f} × {height_pt * 25.4 / 72:,.0f} mm, "
        f"which at {SCAN_DPI} dpi is",
        width_pt * scale,
        height_pt * scale,
        why="",
    )


def _pixels_in(exc: Exception) -> str:
    """The pixel count in Pillow's DecompressionBombError message, for ours."""
    import re

    found = re.search(r"\((\d+) pixels\)", str(exc))
    return f"{int(found[1]):,}" if found else "too many"


class _TooLarge(Exception):
    pass


_FLATE = {"/FlateDecode", "/Fl"}
_LZW = {"/LZWDecode", "/LZW"}
_RUN_LENGTH = {"/RunLengthDecode", "/RL"}
_HEX = {"/ASCIIHexDecode", "/AHx"}
_A85 = {"/ASCII85Decode", "/A85"}
_CHUNK = 2**20


def _inflate(data: bytes, limit: int, keep: bool) -> tuple[int, bytes]:
    """Inflate at most `limit` bytes; (size, the bytes if `keep`). Corrupt data ends it."""
    import zlib

    inflater = zlib.decompressobj()
    size, out = 0, []
    try:
        while data:
            chunk = inflater.decompress(data, _CHUNK)
            stuck = not chunk and len(inflater.unconsumed_tail) >= len(data)
            data = inflater.unconsumed_tail
            size += len(chunk)
            if size > limit:
                raise _TooLarge
            if keep:
                out.append(chunk)
            if inflater.eof or stuck:
                break
        rest = inflater.flush()  # at most a window's worth
    except zlib.error:
        rest = b""
    size += len(rest)
    if size > limit:
        raise _TooLarge
    return size, b"".join(out) + rest if keep else b""


def _lzw(data: bytes, limit: int) -> bytes:
    from pdfminer.lzw import LZWDecoder

    out, size = [], 0
    for piece in LZWDecoder(io.BytesIO(data)).run():
        size += len(piece)
        if size > limit:
            raise _TooLarge
        out.append(piece)
    return b"".join(out)


def _run_length(data: bytes, limit: int) -> bytes:
    out, i = bytearray(), 0
    while i < len(data) and data[i] != 128:
        n = data[i]
        if n < 128:
            out += data[i + 1 : i + 2 + n]
            i += n + 2
        else:
            out += data[i + 1 : i + 2] * (257 - n)
            i += 2
        if len(out) > limit:
            raise _TooLarge
    return bytes(out)


def _filter_name(obj) -> str:
    """A filter's name as text; its bytes as written when they are not UTF-8 (no filter
    we undo), where str() of a pikepdf name would raise."""
    try:
        return str(obj)
    except UnicodeDecodeError:
        return obj.unparse().decode("latin-1")


def decoded_size(stream, limit: int) -> int:
    """A stream's size once its filters are undone, or limit + 1 if it is more.

    Undoes Flate, LZW, RunLength, ASCIIHex and ASCII85 a piece at a time and stops
    at `limit`, so a decompression bomb costs what `limit` does, not what it
    inflates to. A layer it does not undo (an image codec) ends the count there.
    """
    import pikepdf

    filters = stream.get("/Filter") if "/Filter" in stream else None
    if filters is None:
        names = []
    elif isinstance(filters, pikepdf.Array):
        names = [_filter_name(f) for f in filters]
    else:
        names = [_filter_name(filters)]
    data = stream.read_raw_bytes()
    size = len(data)
    try:
        for i, name in enumerate(names):
            last = i == len(names) - 1
            if name in _FLATE:
                size, data = _inflate(data, limit, keep=not last)
            elif name in _LZW:
                data = _lzw(data, limit)
            elif name in _RUN_LENGTH:
                data = _run_length(data, limit)
            elif name in _HEX or name in _A85:
                from pdfminer.ascii85 import ascii85decode, asciihexdecode

                data = (asciihexdecode if name in _HEX else ascii85decode)(data)
            else:
                break
            if not last or name not in _FLATE:
                size = len(data)
    except _TooLarge:
        return limit + 1
    except Exception:  # noqa: BLE001 - data the readers cannot decode either: it ends here
        pass
    return size


# Keys that lead away from what a page draws (to other pages, outlines, actions).
_NOT_DRAWN = {"/Parent", "/P", "/Dest", "/A", "/AA", "/Next", "/Prev", "/First", "/Last"}
_NOT_DRAWN |= {"/Popup", "/IRT", "/Metadata", "/Thumb", "/PieceInfo", "/StructParents"}


def inherited_key(page, key: str):
    """A page attribute, from the page or the nearest /Pages node above it that has it."""
    import pikepdf

    node = page
    for _ in range(32):  # a page tree deeper than this is not one a reader walks either
        if not isinstance(node, pikepdf.Dictionary):
            return None
        if key in node:
            return node.get(key)
        parent = node.get("/Parent") if "/Parent" in node else None
        if parent is None:
            return None
        node = parent
    return None


def check_drawable(pdf) -> None:
    """Refuse a PDF (pikepdf) whose pages cost too much to draw, saying what and why.

    For files whose pages will be drawn (flattened and scanned copies), before
    pdfplumber or PDFium touch them: the page count, each page's size at
    SCAN_DPI, each image's pixels, and what drawing the pages inflates.
    """
    import pikepdf

    check_page_count(len(pdf.pages))
    budget = MAX_DRAWN_BYTES
    seen: set = set()
    for number, page in enumerate(pdf.pages, start=1):
        obj = page.obj
        for key in ("/MediaBox", "/CropBox"):
            box = inherited_key(obj, key)
            try:
                x0, y0, x1, y1 = (float(v) for v in box)
            except (TypeError, ValueError):
                continue
            check_page_size(number, abs(x1 - x0), abs(y1 - y0))
        stack = [obj.get("/Contents"), inherited_key(obj, "/Resources")]
        annots = obj.get("/Annots") if "/Annots" in obj else None
        if isinstance(annots, pikepdf.Array):
            stack.extend(a.get("/AP") for a in annots if isinstance(a, pikepdf.Dictionary))
        while stack:
            item = stack.pop()
            if not isinstance(item, (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)):
                continue
            if item.is_indirect:  # each object once: shared, and perhaps in a loop
                if item.objgen in seen:
                    continue
                seen.add(item.objgen)
            if isinstance(item, pikepdf.Array):
                stack.extend(item)
                continue
            if isinstance(item, pikepdf.Stream):
                if item.get("/Subtype") == "/Image":
                    try:
                        width, height = int(item.get("/Width", 0)), int(item.get("/Height", 0))
                    except (TypeError, ValueError):
                        width = height = 0
                    check_page_pixels(f"page {number} draws an image of", width, height)
                else:
                    budget -= decoded_size(item, budget)
                    if budget < 0:
                        raise ReadError(
                            f"its pages draw more than {MAX_DRAWN_BYTES // 2**20} MB once "
                            f"decompressed (page {number} goes past it); no form of ours "
                            "comes near, so it may be a decompression bomb"
                        )
            for key, value in item.items():
                if key not in _NOT_DRAWN and isinstance(
                    value, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)
                ):
                    stack.append(value)


# --------------------------------------------------------------------------- loading


# What Pillow raises for image data it cannot decode (besides its bomb error).
_UNDECODABLE = (OSError, ValueError, TypeError, EOFError, SyntaxError, IndexError, struct.error)


def load_pages(path: str | Path, data: bytes | None = None) -> list[PageImage]:
    """Every page of a scan as a grayscale image at SCAN_DPI."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    path = Path(path)
    data = path.read_bytes() if data is None else data
    pages: list[PageImage] = []
    if path.suffix.lower() in IMAGE_SUFFIXES or not data.lstrip()[:5].startswith(b"%PDF"):
        try:
            image = Image.open(io.BytesIO(data))
        except UnidentifiedImageError:
            raise ReadError(
                "is not an image that can be read (neither PNG, JPEG nor TIFF, or damaged)"
            ) from None
        except Image.DecompressionBombError as exc:  # Pillow's own guard, at twice its limit
            raise ReadError(
                f"is an image of {_pixels_in(exc)} pixels, more than the "
                f"{MAX_PAGE_PIXELS:,} a page may have (a decompression bomb?)"
            ) from None
        with image:
            where = "one of its pages"  # counting the pages reads every page's header
            try:
                check_page_count(getattr(image, "n_frames", 1))
                for n, frame in enumerate(ImageSequence.Iterator(image), start=1):
                    where = f"page {n}"
                    check_page_pixels(f"page {n} is an image of", *frame.size)
                    pages.append(PageImage(str(path), n, np.asarray(frame.convert("L"))))
            except _UNDECODABLE as exc:
                # Pillow says "this image is broken" in many ways (a TIFF page without
                # its size is a TypeError): each is the file's fault, never ours.
                why = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
                raise ReadError(
                    f"is an image that cannot be read: {where} is damaged "
                    f"({why or type(exc).__name__})"
                ) from None
        return pages
    return [PageImage(str(path), n, pixels) for n, pixels in enumerate(draw_pages(data), start=1)]


def draw_pages(data: bytes, forms: bool = False) -> list[np.ndarray]:
    """Every page of a PDF drawn by PDFium at SCAN_DPI, grayscale (fields too, with `forms`)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    images = []
    try:
        check_page_count(len(doc))  # read_file checked already; this guards other callers
        if forms:
            doc.init_forms()
        for n in range(len(doc)):
            page = doc[n]
            check_page_size(n + 1, *page.get_size())
            bitmap = page.render(scale=SCAN_DPI / 72, grayscale=True, may_draw_forms=forms)
            images.append(np.asarray(bitmap.to_pil().convert("L")))
            page.close()
    finally:
        doc.close()
    return images


def is_image_only_pdf(pdf) -> bool:
    """A PDF whose pages hold images and no text: a scan (pikepdf document)."""
    import pikepdf

    for page in pdf.pages[:3]:
        resources = inherited_key(page.obj, "/Resources")
        if not isinstance(resources, pikepdf.Dictionary):
            return False  # draws nothing it could name, or its resources are damaged
        fonts = resources.get("/Font") if "/Font" in resources else None
        if isinstance(fonts, pikepdf.Dictionary) and len(fonts):
            return False
        if "/XObject" not in resources:
            return False
    return len(pdf.pages) > 0


# --------------------------------------------------------------------------- identify


def _decode(image: np.ndarray):
    import zxingcpp
    from PIL import Image

    pil = Image.fromarray(image)
    for binarizer in (zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.GlobalHistogram):
        for result in zxingcpp.read_barcodes(
            pil, formats=zxingcpp.BarcodeFormat.QRCode, binarizer=binarizer
        ):
            ident = parse_qr(result.text)
            if ident is not None:
                return ident, result
    return None, None


def identify_page(page: PageImage) -> Identity | None:
    """Decode the page's QR code; turn the page upright by the code's orientation.

    A blurred or noisy scan may defeat a whole-page search, so the corners where
    the code sits (bottom right, or top left on a page fed upside down) are
    tried again, enlarged.
    """
    from PIL import Image

    ident, result = _decode(page.pixels)
    if ident is None:
        rows, cols = page.pixels.shape
        h, w = rows // 4, cols // 3
        for r0, c0 in ((rows - h, cols - w), (0, 0), (0, cols - w), (rows - h, 0)):
            corner = page.pixels[r0 : r0 + h, c0 : c0 + w]
            big = np.asarray(Image.fromarray(corner).resize((w * 2, h * 2), Image.LANCZOS))
            ident, result = _decode(big)
            if ident is not None:
                break
    if ident is None:
        return None
    turns = int(round(result.orientation / 90)) % 4
    if turns:
        page.pixels = np.ascontiguousarray(np.rot90(page.pixels, turns))
    return ident


def ink_share(pixels: np.ndarray) -> float:
    paper = float(np.percentile(pixels, 90))
    return float((pixels < paper * (1 - STRONG_INK)).mean()) if paper > 0 else 1.0


# --------------------------------------------------------------------------- align


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
        inside = (
            r0 > 0
            and c0 > 0
            and r0 + patch.shape[0] < window.shape[0]
            and c0 + patch.shape[1] < window.shape[1]
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


def align(pixels: np.ndarray, layout_page: PageLayout, layout: Layout) -> Alignment | None:
    """Find the four corner marks and fit the layout onto them.

    Each corner's search area may hold other dark squares (a QR code's finder
    patterns, a blacked-out box, a shadow), so the three darkest mark-sized
    squares of each corner are kept, and the combination whose affine fit
    leaves the smallest residual is the page's alignment.
    """
    import itertools

    rows, cols = pixels.shape
    scale = cols / layout.width  # pixels per point, if the page fills the image
    paper = float(np.percentile(pixels, 90)) or 255.0
    dark = np.clip((paper - pixels.astype(np.float32)) / paper, 0, 1)
    k = max(4, int(round(MARK_SIZE * scale * 0.8)))  # a bit smaller than the mark
    reach = int(40 / 25.4 * 72 * scale)  # search ±40 mm around where a mark should be
    corners = []
    for mark in layout_page.marks:
        cx, cy = (mark.x + mark.w / 2) * scale, (layout.height - mark.y - mark.h / 2) * scale
        r0, r1 = max(0, int(cy) - reach), min(rows, int(cy) + reach)
        c0, c1 = max(0, int(cx) - reach), min(cols, int(cx) + reach)
        window = dark[r0:r1, c0:c1]
        if window.shape[0] <= k or window.shape[1] <= k:
            continue
        area = (MARK_SIZE * scale) ** 2
        found = [(col + c0, row + r0) for _, row, col in _candidates(window, k, area)]
        if found:
            corners.append(([mark.x + mark.w / 2, mark.y + mark.h / 2, 1.0], found))
    if len(corners) < 3:
        return None
    src = np.array([c[0] for c in corners])
    best = None
    for choice in itertools.product(*(c[1] for c in corners)):
        dst = np.array(choice)
        solution, *_ = np.linalg.lstsq(src, dst, rcond=None)
        if not _plausible(solution.T, scale):
            continue
        residual = float(np.sqrt(((src @ solution - dst) ** 2).sum(axis=1).mean()))
        if best is None or residual < best[0]:
            best = (residual, solution)
    if best is None:
        return None
    residual_px, solution = best
    matrix = solution.T
    px_per_mm = np.sqrt(abs(np.linalg.det(matrix[:, :2]))) * 72 / 25.4
    return Alignment(matrix, residual_px / px_per_mm, len(corners))


# --------------------------------------------------------------------------- read


def sample(
    pixels: np.ndarray,
    alignment: Alignment,
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    per_point: float,
    smooth: bool = False,
) -> np.ndarray:
    """The layout rectangle (x0, y0)–(x1, y1), resampled upright.

    Measuring takes the nearest pixel (fast, and ink shares do not care);
    `smooth` interpolates between the four nearest, for crops a person reads.
    """
    w = max(2, int(round((x1 - x0) * per_point)))
    h = max(2, int(round((y1 - y0) * per_point)))
    xs = x0 + (np.arange(w) + 0.5) / w * (x1 - x0)
    ys = y1 - (np.arange(h) + 0.5) / h * (y1 - y0)  # top row first
    grid_x, grid_y = np.meshgrid(xs, ys)
    m = alignment.matrix
    cols = m[0, 0] * grid_x + m[0, 1] * grid_y + m[0, 2]
    rows = m[1, 0] * grid_x + m[1, 1] * grid_y + m[1, 2]
    last_row, last_col = pixels.shape[0] - 1, pixels.shape[1] - 1
    if not smooth:
        r = np.clip(np.rint(rows).astype(int), 0, last_row)
        c = np.clip(np.rint(cols).astype(int), 0, last_col)
        return pixels[r, c]
    rows = np.clip(rows, 0, last_row)
    cols = np.clip(cols, 0, last_col)
    r0, c0 = np.floor(rows).astype(int), np.floor(cols).astype(int)
    r1, c1 = np.minimum(r0 + 1, last_row), np.minimum(c0 + 1, last_col)
    fr, fc = rows - r0, cols - c0
    top = pixels[r0, c0] * (1 - fc) + pixels[r0, c1] * fc
    bottom = pixels[r1, c0] * (1 - fc) + pixels[r1, c1] * fc
    return np.rint(top * (1 - fr) + bottom * fr).astype(np.uint8)


def nominal_alignment(pixels: np.ndarray, width_pt: float, height_pt: float) -> Alignment:
    """The plain mapping of a page drawn to fill its image (a blank form we drew)."""
    scale = pixels.shape[1] / width_pt
    return Alignment(np.array([[scale, 0.0, 0.0], [0.0, -scale, height_pt * scale]]), 0.0, 4)


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
    padded = np.pad(a, 1, mode="edge")
    return (
        sum(
            padded[1 + dy : 1 + dy + a.shape[0], 1 + dx : 1 + dx + a.shape[1]]
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
        )
        / 9.0
    )


PAPER_TILE = 48  # samples (12 pt): light is even enough across one tile


def _local_paper(scan: np.ndarray) -> np.ndarray:
    """Paper brightness near each sample of a large area: the median of its tile.

    A wide text box spans light that falls unevenly (a scanner lid not shut);
    one brightness for the whole box would read its darker end as ink.
    """
    rows, cols = scan.shape
    paper = np.empty_like(scan)
    for r in range(0, rows, PAPER_TILE):
        for c in range(0, cols, PAPER_TILE):
            tile = scan[r : r + PAPER_TILE, c : c + PAPER_TILE]
            paper[r : r + PAPER_TILE, c : c + PAPER_TILE] = max(float(np.median(tile)), 1.0)
    return paper


@dataclass
class Reference:
    """The blank form's page, drawn at scan resolution: what an empty area looks like."""

    pixels: np.ndarray
    alignment: Alignment
    _expected: dict = field(default_factory=dict, repr=False)

    def expected(self, rect: tuple[float, float, float, float]) -> np.ndarray:
        """Ink the blank form has in a rectangle, widened by DILATE (the same for every scan)."""
        if rect not in self._expected:
            blank = sample(self.pixels, self.alignment, *rect, SAMPLES_PER_POINT)
            darkness = np.clip((255.0 - blank.astype(np.float32)) / 255.0, 0, 1)
            self._expected[rect] = _dilate(darkness, DILATE)
        return self._expected[rect]


def measure(
    pixels: np.ndarray,
    alignment: Alignment,
    reference: Reference,
    rect: tuple[float, float, float, float],
    paper_rect=None,
) -> tuple[float, float]:
    """(strong, faint) shares of ink in a layout rectangle, beyond what the blank form has."""
    x0, y0, x1, y1 = rect
    scan = sample(pixels, alignment, x0, y0, x1, y1, SAMPLES_PER_POINT).astype(np.float32)
    if paper_rect is None:
        paper = _local_paper(scan)
    else:
        paper = float(np.median(sample(pixels, alignment, *paper_rect, 2.0))) or 255.0
    expected = reference.expected(rect)
    excess = np.clip((paper - scan) / paper - expected, 0, 1)
    return float((excess > STRONG_INK).mean()), float((_mean3(excess) > FAINT_INK).mean())


@dataclass
class BoxReading:
    widget: Widget
    strong: float  # share of the box's inside that is clearly ink
    faint: float  # share that is at least faint ink

    @property
    def ink(self) -> float:
        return self.strong

    @property
    def state(self) -> str:
        if self.strong >= TICKED_STRONG or self.faint >= TICKED_FAINT:
            return "filled" if self.strong >= FILLED else "ticked"
        if self.strong <= EMPTY_STRONG and self.faint <= EMPTY_FAINT:
            return "empty"
        return "uncertain"

    @property
    def confidence(self) -> float:
        """0.5 in the middle of the uncertain band, towards 1 as a reading nears a decision."""
        up = max(self.strong / TICKED_STRONG, self.faint / TICKED_FAINT)
        return round(min(1.0, max(0.0, up)), 3)


def read_box(
    pixels: np.ndarray, alignment: Alignment, w: Widget, reference: Reference
) -> BoxReading:
    i = BOX_INSET
    rect = (w.x + i, w.y + i, w.x + w.w - i, w.y + w.h - i)
    margin = max(w.w, w.h)
    around = (w.x - margin, w.y - margin, w.x + w.w + margin, w.y + w.h + margin)
    strong, faint = measure(pixels, alignment, reference, rect, around)
    return BoxReading(w, strong, faint)


def read_text_ink(
    pixels: np.ndarray, alignment: Alignment, w: Widget, reference: Reference
) -> tuple[float, float]:
    """(strong, faint) ink shares of a text box inside its margin."""
    m = TEXT_MARGIN
    return measure(pixels, alignment, reference, (w.x + m, w.y + m, w.x + w.w - m, w.y + w.h - m))


def text_state(strong: float, faint: float) -> str:
    if strong >= TEXT_WRITTEN_STRONG or faint >= TEXT_WRITTEN_FAINT:
        return "written"
    if strong <= TEXT_EMPTY_STRONG and faint <= TEXT_EMPTY_FAINT:
        return "empty"
    return "uncertain"


def crop(pixels: np.ndarray, alignment: Alignment, w: Widget) -> np.ndarray:
    """A text box, upright, at about SCAN_DPI, for a person to read."""
    return sample(
        pixels, alignment, w.x - 2, w.y - 2, w.x + w.w + 2, w.y + w.h + 2, SCAN_DPI / 72, True
    )


@dataclass
class PageMarks:
    """What one aligned page says: raw field values and what needs a person."""

    fields: dict[str, str | None] = field(default_factory=dict)
    multiple: dict[str, list[str]] = field(default_factory=dict)
    uncertain: list[tuple[str, BoxReading]] = field(default_factory=list)
    firm: dict[str, list[str]] = field(default_factory=dict)  # marked beside an uncertain box
    corrected: list[tuple[str, list[str]]] = field(default_factory=list)
    written: list[Widget] = field(default_factory=list)
    unsure_text: list[tuple[Widget, float]] = field(default_factory=list)


def page_noise(
    pixels: np.ndarray, alignment: Alignment, reference: Reference, layout: Layout
) -> float:
    """How much ink a scan shows where the form has none: its blank side margins.

    They are measured in squares the size of a tick box's window, as ink is; the
    90th percentile is the page's noise. A blurred, noisy, blotchy scan raises
    it, and then faint marks cannot be told from the paper (see NOISY_PAGE).
    """
    from ..layout import CONTENT_BOTTOM, CONTENT_TOP, MARGIN_X, MARK_INSET

    left = (MARK_INSET + MARK_SIZE + 3, MARGIN_X - 3)
    right = (layout.width - MARGIN_X + 3, layout.width - MARK_INSET - MARK_SIZE - 3)
    side = 10.0
    shares = []
    for x0, x1 in (left, right):
        y = CONTENT_BOTTOM
        while y + side <= CONTENT_TOP:
            rect = (x0, y, min(x1, x0 + side), y + side)
            around = (x0 - 15, y - 15, x1 + 15, y + side + 15)
            shares.append(measure(pixels, alignment, reference, rect, around)[1])
            y += side
    return float(np.percentile(shares, 90)) if shares else 0.0


def read_marks(
    pixels: np.ndarray, alignment: Alignment, layout_page: PageLayout, reference: Reference
) -> PageMarks:
    """Decide every box of a page.

    A box blacked out entirely next to a ticked box in the same radio group is a
    correction: people cross out a wrong answer that way, so the tick counts and
    the filled box does not. A filled box alone counts as marked. Two or more
    ticks in one radio group are `multiple_marks`, never a guess.
    """
    out = PageMarks()
    groups: dict[str, list[BoxReading]] = {}
    for w in layout_page.widgets:
        if w.kind in ("checkbox", "radio"):
            reading = read_box(pixels, alignment, w, reference)
            groups.setdefault(w.field, []).append(reading)
        else:
            strong, faint = read_text_ink(pixels, alignment, w, reference)
            out.fields[w.field] = None
            state = text_state(strong, faint)
            if state == "written":
                out.written.append(w)
            elif state == "uncertain":
                out.unsure_text.append(
                    (w, max(strong / TEXT_WRITTEN_STRONG, faint / TEXT_WRITTEN_FAINT))
                )
    for name, readings in groups.items():
        uncertain = [r for r in readings if r.state == "uncertain"]
        marked = [r for r in readings if r.state in ("ticked", "filled")]
        kind = readings[0].widget.kind
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
        if ticks and filled:
            out.corrected.append((name, [r.widget.on for r in filled]))
            marked = ticks
        if len(marked) == 1:
            out.fields[name] = marked[0].widget.on
        elif len(marked) > 1:
            out.multiple[name] = [r.widget.on for r in marked]
    return out
