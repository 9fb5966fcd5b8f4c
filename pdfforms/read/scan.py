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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..identity import Identity, parse_qr
from ..layout import MARK_SIZE, Layout, PageLayout, Widget

SCAN_DPI = 200
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}

# A pixel is ink when it is this much darker than the paper around it (a share
# of the paper's brightness). Faint pencil (grey 150–190 on paper ~245) is 0.22
# to 0.39 darker; scanner noise of σ 15 grey levels stays under 0.1.
INK = 0.2
# Middle share of a tick box that is measured: the printed border stays
# outside it even after a blur of σ 2 px at 200 dpi (PDF-NOTES: 44 % window).
TICK_WINDOW = 0.5
# Share of that window covered by ink: below EMPTY a box is empty, above
# TICKED it is ticked, between is uncertain and goes to review. FILLED marks a
# box blacked out, which next to a tick is read as a correction (see
# read_marks). Measured on the synthetic test set: see benchmarks/results.md.
EMPTY = 0.03
TICKED = 0.07
FILLED = 0.65
# Text boxes: share of the box (inside a 4 pt margin) covered by ink.
TEXT_EMPTY = 0.002
TEXT_WRITTEN = 0.008
TEXT_MARGIN = 4.0
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

    def to_pixel(self, x: float, y: float) -> tuple[float, float]:
        col, row = self.matrix @ np.array([x, y, 1.0])
        return float(col), float(row)


@dataclass
class ScannedPage:
    image: PageImage
    identity: Identity | None = None
    status: str = "unread"  # read | blank | unidentified | unaligned
    alignment: Alignment | None = None
    note: str = ""


# --------------------------------------------------------------------------- loading


def load_pages(path: str | Path, data: bytes | None = None) -> list[PageImage]:
    """Every page of a scan as a grayscale image at SCAN_DPI."""
    from PIL import Image, ImageSequence

    path = Path(path)
    data = path.read_bytes() if data is None else data
    pages: list[PageImage] = []
    if path.suffix.lower() in IMAGE_SUFFIXES or not data.lstrip()[:5].startswith(b"%PDF"):
        with Image.open(io.BytesIO(data)) as image:
            for n, frame in enumerate(ImageSequence.Iterator(image), start=1):
                pages.append(PageImage(str(path), n, np.asarray(frame.convert("L"))))
        return pages
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        for n in range(len(doc)):
            page = doc[n]
            bitmap = page.render(scale=SCAN_DPI / 72, grayscale=True)
            pages.append(PageImage(str(path), n + 1, np.asarray(bitmap.to_pil().convert("L"))))
            page.close()
    finally:
        doc.close()
    return pages


def is_image_only_pdf(pdf) -> bool:
    """A PDF whose pages hold images and no text: a scan (pikepdf document)."""
    for page in pdf.pages[:3]:
        resources = page.obj.get("/Resources", {})
        if "/Font" in resources and len(resources.get("/Font", {})):
            return False
        if "/XObject" not in resources:
            return False
    return len(pdf.pages) > 0


# --------------------------------------------------------------------------- identify


def identify_page(page: PageImage) -> Identity | None:
    """Decode the page's QR code; turn the page upright by the code's orientation."""
    import zxingcpp
    from PIL import Image

    found = zxingcpp.read_barcodes(
        Image.fromarray(page.pixels), formats=zxingcpp.BarcodeFormat.QRCode
    )
    for result in found:
        ident = parse_qr(result.text)
        if ident is None:
            continue
        turns = int(round(result.orientation / 90)) % 4
        if turns:
            page.pixels = np.ascontiguousarray(np.rot90(page.pixels, turns))
        return ident
    return None


def ink_share(pixels: np.ndarray) -> float:
    paper = float(np.percentile(pixels, 90))
    return float((pixels < paper * (1 - INK)).mean()) if paper > 0 else 1.0


# --------------------------------------------------------------------------- align


def _box_mean(dark: np.ndarray, k: int) -> np.ndarray:
    """Mean of every k×k window (integral image)."""
    integral = np.pad(dark, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    total = integral[k:, k:] - integral[:-k, k:] - integral[k:, :-k] + integral[:-k, :-k]
    return total / (k * k)


def align(pixels: np.ndarray, layout_page: PageLayout, layout: Layout) -> Alignment | None:
    """Find the four corner marks and fit the layout onto them."""
    rows, cols = pixels.shape
    scale = cols / layout.width  # pixels per point, if the page fills the image
    paper = float(np.percentile(pixels, 90)) or 255.0
    dark = np.clip((paper - pixels.astype(np.float32)) / paper, 0, 1)
    k = max(4, int(round(MARK_SIZE * scale * 0.8)))  # a bit smaller than the mark
    reach = int(40 / 25.4 * 72 * scale)  # search ±40 mm around where a mark should be
    sources, targets = [], []
    for mark in layout_page.marks:
        cx, cy = (mark.x + mark.w / 2) * scale, (layout.height - mark.y - mark.h / 2) * scale
        r0, r1 = max(0, int(cy) - reach), min(rows, int(cy) + reach)
        c0, c1 = max(0, int(cx) - reach), min(cols, int(cx) + reach)
        window = dark[r0:r1, c0:c1]
        if window.shape[0] <= k or window.shape[1] <= k:
            continue
        means = _box_mean(window, k)
        best = np.unravel_index(int(np.argmax(means)), means.shape)
        if means[best] < MARK_DARKNESS:
            continue
        # refine: centroid of the dark pixels around the best window
        top, left = best[0], best[1]
        pad = k // 2
        patch = window[max(0, top - pad) : top + k + pad, max(0, left - pad) : left + k + pad]
        weights = (patch > 0.5).astype(np.float32)
        if weights.sum() == 0:
            continue
        ys, xs = np.nonzero(weights)
        row = r0 + max(0, top - pad) + ys.mean()
        col = c0 + max(0, left - pad) + xs.mean()
        sources.append([mark.x + mark.w / 2, mark.y + mark.h / 2, 1.0])
        targets.append([col, row])
    if len(sources) < 3:
        return None
    src, dst = np.array(sources), np.array(targets)
    solution, *_ = np.linalg.lstsq(src, dst, rcond=None)
    matrix = solution.T
    fitted = src @ solution
    residual_px = float(np.sqrt(((fitted - dst) ** 2).sum(axis=1).mean()))
    px_per_mm = np.sqrt(abs(np.linalg.det(matrix[:, :2]))) * 72 / 25.4
    return Alignment(matrix, residual_px / px_per_mm, len(sources))


# --------------------------------------------------------------------------- read


def sample(
    pixels: np.ndarray,
    alignment: Alignment,
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    per_point: float,
) -> np.ndarray:
    """The layout rectangle (x0, y0)–(x1, y1), resampled upright (nearest pixel)."""
    w = max(2, int(round((x1 - x0) * per_point)))
    h = max(2, int(round((y1 - y0) * per_point)))
    xs = x0 + (np.arange(w) + 0.5) / w * (x1 - x0)
    ys = y1 - (np.arange(h) + 0.5) / h * (y1 - y0)  # top row first
    grid_x, grid_y = np.meshgrid(xs, ys)
    m = alignment.matrix
    cols = np.rint(m[0, 0] * grid_x + m[0, 1] * grid_y + m[0, 2]).astype(int)
    rows = np.rint(m[1, 0] * grid_x + m[1, 1] * grid_y + m[1, 2]).astype(int)
    np.clip(cols, 0, pixels.shape[1] - 1, out=cols)
    np.clip(rows, 0, pixels.shape[0] - 1, out=rows)
    return pixels[rows, cols]


def _paper_around(pixels: np.ndarray, alignment: Alignment, w: Widget) -> float:
    """Brightness of the paper near a box (uneven lighting makes it differ across a page)."""
    margin = max(w.w, w.h)
    region = sample(
        pixels, alignment, w.x - margin, w.y - margin, w.x + w.w + margin, w.y + w.h + margin, 2.0
    )
    return float(np.percentile(region, 90)) or 255.0


@dataclass
class BoxReading:
    widget: Widget
    ink: float  # share of the measured window that is ink

    @property
    def state(self) -> str:
        if self.ink >= TICKED:
            return "filled" if self.ink >= FILLED else "ticked"
        return "empty" if self.ink <= EMPTY else "uncertain"

    @property
    def confidence(self) -> float:
        """How far the reading is from the uncertain band, 0.5 (on its edge) to 1."""
        if EMPTY < self.ink < TICKED:
            return round(0.5 * min(self.ink - EMPTY, TICKED - self.ink) / (TICKED - EMPTY), 3)
        distance = (EMPTY - self.ink) if self.ink <= EMPTY else (self.ink - TICKED)
        return round(min(1.0, 0.5 + distance / (TICKED - EMPTY)), 3)


def read_box(pixels: np.ndarray, alignment: Alignment, w: Widget) -> BoxReading:
    cx, cy = w.x + w.w / 2, w.y + w.h / 2
    half_w, half_h = w.w * TICK_WINDOW / 2, w.h * TICK_WINDOW / 2
    window = sample(pixels, alignment, cx - half_w, cy - half_h, cx + half_w, cy + half_h, 4.0)
    paper = _paper_around(pixels, alignment, w)
    return BoxReading(w, float((window < paper * (1 - INK)).mean()))


def read_text_ink(pixels: np.ndarray, alignment: Alignment, w: Widget) -> float:
    m = TEXT_MARGIN
    region = sample(pixels, alignment, w.x + m, w.y + m, w.x + w.w - m, w.y + w.h - m, 2.0)
    paper = _paper_around(pixels, alignment, w)
    return float((region < paper * (1 - INK)).mean())


def crop(pixels: np.ndarray, alignment: Alignment, w: Widget) -> np.ndarray:
    """A text box, upright, at about SCAN_DPI, for a person to read."""
    return sample(pixels, alignment, w.x - 2, w.y - 2, w.x + w.w + 2, w.y + w.h + 2, SCAN_DPI / 72)


@dataclass
class PageMarks:
    """What one aligned page says: raw field values and what needs a person."""

    fields: dict[str, str | None] = field(default_factory=dict)
    multiple: dict[str, list[str]] = field(default_factory=dict)
    uncertain: list[tuple[str, BoxReading]] = field(default_factory=list)
    corrected: list[tuple[str, list[str]]] = field(default_factory=list)
    written: list[Widget] = field(default_factory=list)
    unsure_text: list[tuple[Widget, float]] = field(default_factory=list)


def read_marks(pixels: np.ndarray, alignment: Alignment, layout_page: PageLayout) -> PageMarks:
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
            reading = read_box(pixels, alignment, w)
            groups.setdefault(w.field, []).append(reading)
        else:
            ink = read_text_ink(pixels, alignment, w)
            out.fields[w.field] = None
            if ink >= TEXT_WRITTEN:
                out.written.append(w)
            elif ink > TEXT_EMPTY:
                out.unsure_text.append((w, ink))
    for name, readings in groups.items():
        uncertain = [r for r in readings if r.state == "uncertain"]
        marked = [r for r in readings if r.state in ("ticked", "filled")]
        kind = readings[0].widget.kind
        out.fields[name] = None
        if uncertain:
            for r in uncertain:
                out.uncertain.append((name, r))
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
