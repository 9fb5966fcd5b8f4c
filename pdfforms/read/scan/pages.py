"""The pages of a scan as grayscale images: an image-only PDF drawn by PDFium at
SCAN_DPI (or its scanner's JPEG decoded as it is, `_scanned_jpeg`), or PNG, JPEG
and TIFF files (every frame a page)."""

from __future__ import annotations

import io
import math
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...model.identity import Identity
from ...model.messages import text as msg
from ..guards import (
    MAX_PAGE_PIXELS,
    SCAN_DPI,
    bomb_pixels,
    check_page_count,
    check_page_pixels,
    check_page_size,
    inherited_key,
)
from ..raw import ReadError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}


@dataclass
class PageImage:
    """One scanned page: where it came from and its pixels (grayscale, 0 = black)."""

    file: str
    index: int  # 1-based page number within the file
    pixels: np.ndarray


@dataclass
class ScannedPage:
    """A page and, once its QR code is read (or its boxes placed it), its identity."""

    image: PageImage
    identity: Identity | None = None


# What Pillow raises for image data it cannot decode (besides its bomb error).
_UNDECODABLE = (OSError, ValueError, TypeError, EOFError, SyntaxError, IndexError, struct.error)


def load_pages(path: str | Path, data: bytes | None = None) -> list[PageImage]:
    """Every page of a scan as a grayscale image at SCAN_DPI (all at once: a scan
    reader walks `ScanPages` instead, which holds one page at a time)."""
    with ScanPages(path, data) as pages:
        return list(pages)


# PDFium keeps what it loaded of a page (its image's compressed bytes, about a
# quarter of a megabyte a scanned page) for as long as the document is open,
# after the page is closed: 1,000 pages kept 240 MB more than 10 (measured with
# psutil's RSS over ScanPages on an image-only PDF of 150 pages, 0.24 MB a page).
# The document is opened afresh after this many pages, which bounds it. So is
# pikepdf's (`_scanned_jpeg`): qpdf held about a third of a megabyte a page as
# well (reading a 1,000-page scan peaked at 588 MB, 213 MB at 100 pages; opened
# afresh, 278 MB: VmHWM of parse_document in a process of its own).
REOPEN_AFTER = 25


class ScanPages:
    """The pages of a scan, drawn one at a time: a 1,000-page file is never in memory.

    A page is about 4 MB at SCAN_DPI, and a scanner's feeder writes files of
    hundreds of pages: so a reader iterates over the pages, keeps what it measured
    and drops the pixels, and asks `page(n)` again for the few it must see twice.
    The PDF or image is opened once, from its path unless its bytes are given (a
    damaged PDF as qpdf rewrote it), and drawn or decoded page by page.
    """

    def __init__(self, path: str | Path, data: bytes | None = None):
        self.path = Path(path)
        self._doc = self._image = self._pike = None
        if isinstance(data, (bytes, bytearray)):
            head = bytes(data[:1024])
        else:
            data = None  # read from the file (a memory map of it is the same bytes)
            with open(self.path, "rb") as fh:
                head = fh.read(1024)
        if self.path.suffix.lower() in IMAGE_SUFFIXES or not head.lstrip()[:5].startswith(b"%PDF"):
            self._open_image(data)
        else:
            self._open_pdf(data)

    # -- PDF: PDFium reads the file itself, page by page --

    def _open_pdf(self, data: bytes | None) -> None:
        import pypdfium2 as pdfium

        self._source = data if data is not None else str(self.path)
        self._doc = pdfium.PdfDocument(self._source)
        self._drawn = self._decoded = 0
        self._pike = _open_pike(self._source)  # for `_scanned_jpeg`; None: PDFium draws all
        self.count = len(self._doc)
        try:
            check_page_count(self.count)  # read_file checked already; this guards other callers
            for n in range(self.count):  # every page's size before any is read: a file
                check_page_size(n + 1, *self._doc.get_page_size(n))  # fails whole, at once
        except BaseException:
            self.close()
            raise

    # -- images: Pillow decodes one frame at a time --

    def _open_image(self, data: bytes | None) -> None:
        from PIL import Image, UnidentifiedImageError

        try:
            self._image = Image.open(io.BytesIO(data) if data is not None else self.path)
        except UnidentifiedImageError:
            raise ReadError(msg("read.not_an_image")) from None
        except Image.DecompressionBombError as exc:  # Pillow's own guard, at twice its limit
            raise ReadError(
                msg(
                    "read.image_too_many_pixels",
                    pixels=bomb_pixels(exc),
                    max=f"{MAX_PAGE_PIXELS:,}",
                )
                + msg("read.bomb")
            ) from None
        # counting the pages reads every page's header
        self.count = self._frame(
            msg("read.one_of_its_pages"), lambda: getattr(self._image, "n_frames", 1)
        )
        try:
            check_page_count(self.count)
        except BaseException:
            self.close()
            raise

    def _frame(self, where: str, read):
        try:
            return read()
        except _UNDECODABLE as exc:
            # Pillow says "this image is broken" in many ways (a TIFF page without
            # its size is a TypeError): each is the file's fault, never ours.
            self.close()
            why = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
            raise ReadError(
                msg("read.image_damaged", where=where, reason=why or type(exc).__name__)
            ) from None

    def _decode(self, n: int) -> np.ndarray:
        def read():
            self._image.seek(n - 1)
            check_page_pixels(msg("read.page_is_image", page=n), *self._image.size)
            return np.asarray(self._image.convert("L"))

        return self._frame(msg("read.page", page=n), read)

    def page(self, n: int) -> PageImage:
        """Page `n` (1-based) as drawn or decoded afresh."""
        if self._doc is not None:
            if self._drawn >= REOPEN_AFTER:
                import pypdfium2 as pdfium

                self._doc.close()
                self._doc, self._drawn = pdfium.PdfDocument(self._source), 0
            if self._pike is not None and self._decoded >= REOPEN_AFTER:
                self._pike.close()
                self._pike, self._decoded = _open_pike(self._source), 0
            self._decoded += 1
            pixels = _scanned_jpeg(self._pike, n, *self._doc.get_page_size(n - 1))
            if pixels is None:
                self._drawn += 1
                page = self._doc[n - 1]
                try:
                    pixels = _draw(page, SCAN_DPI, forms=False)
                finally:
                    page.close()
        else:
            pixels = self._decode(n)
        return PageImage(str(self.path), n, pixels)

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        for n in range(1, self.count + 1):
            yield self.page(n)

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None
            if self._pike is not None:
                self._pike.close()
                self._pike = None
        if self._image is not None:
            self._image.close()
            self._image = None

    def __enter__(self) -> ScanPages:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# -- a scanner's JPEG, decoded as it is ---------------------------------------------
#
# A scanner writes each page as one JPEG drawn over the whole page. At SCAN_DPI
# drawing it by PDFium only decodes it and copies its pixels, at 50-60 ms a page
# (A4, 200 dpi; Pillow decodes the same JPEG in 9 ms, and stretches it as below in
# 12): a third of reading a page.
# So where the page is just that, its JPEG is decoded by Pillow, and anything
# else (another filter or colour space, a mask, a /Decode array, a rotation, more
# than one drawing operation, another resolution) is drawn by PDFium as before.
#
# The pixels are PDFium's. PDFium's page in pixels is its size in points times
# the scale, rounded up (pypdfium2's render): where that is the JPEG's size it
# copies the JPEG's pixels, the same bytes; where the page's size in points came
# out a hair larger (595.44 pt is 1,654.0000001 pixels in floats), it stretches
# the image over one more column, and so does Pillow's bilinear resampling here,
# to within one grey level of PDFium (tests/test_scan_jpeg.py). The reader's
# measures were set on pages drawn so, and a reading does not depend on which
# of the two drew the page.

_SLACK_PX = 2  # the JPEG may be this many pixels larger or smaller than the page drawn
_PLAIN_SPACES = {"/DeviceGray": 1, "/DeviceRGB": 3}
# Operators that change nothing an image draws: the colour and the line for paths
# (an image that is not a stencil mask draws its own colours), marked content
# (a tagged scan's). Graphics states (`gs`: blending,
# soft masks) and rendering intents are not among them.
_INERT = {"g", "G", "rg", "RG", "k", "K", "cs", "CS", "sc", "SC", "scn", "SCN"}
_INERT |= {"w", "J", "j", "M", "d", "i", "BMC", "BDC", "EMC", "MP", "DP"}


def _open_pike(source):
    """The PDF for `_scanned_jpeg` (pikepdf), or None where it does not open.

    Read through a stream, never mapped into memory: pages read from a mapped
    file stay resident (60 pages of 1.2 MB JPEGs: 194 MB mapped, 71 MB read
    through a stream)."""
    import pikepdf

    mode = pikepdf.AccessMode.stream
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    try:
        return pikepdf.open(source, access_mode=mode)
    except Exception:  # PDFium opened it: it draws every page
        return None


def _scanned_jpeg(pdf, n: int, width_pt: float, height_pt: float) -> np.ndarray | None:
    """Page `n`'s pixels at SCAN_DPI straight from its one JPEG, or None where
    PDFium must draw it (see above). Never raises for a damaged page: PDFium draws it."""
    if pdf is None:
        return None
    try:
        image = _page_jpeg(pdf.pages[n - 1], width_pt, height_pt)
    except Exception:  # a page pikepdf cannot walk: PDFium knows how far it can draw it
        return None
    if image is None:
        return None
    scale = SCAN_DPI / 72
    size = (math.ceil(width_pt * scale), math.ceil(height_pt * scale))  # as PDFium draws it
    return _decode_jpeg(*image, size)


def _page_jpeg(page, width_pt: float, height_pt: float):
    """(raw JPEG bytes, width, height, components) of a page that is one JPEG over
    the whole of it, and nothing else; else None."""
    import pikepdf

    obj = page.obj
    rotate = inherited_key(obj, "/Rotate")
    if (rotate is not None and int(rotate) % 360) or "/UserUnit" in obj:
        return None
    box = inherited_key(obj, "/CropBox") or inherited_key(obj, "/MediaBox")
    if not isinstance(box, pikepdf.Array) or len(box) != 4:
        return None
    x0, y0, x1, y1 = (float(v) for v in box)
    x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    ops = [(str(op), list(operands)) for operands, op in pikepdf.parse_content_stream(page)]
    ops = [(op, operands) for op, operands in ops if op not in _INERT]
    if ops and ops[0][0] == "q" and ops[-1][0] == "Q":
        ops = ops[1:-1]
    if [op for op, _ in ops] != ["cm", "Do"]:
        return None
    a, b, c, d, e, f = (float(v) for v in ops[0][1])
    tol = 0.5  # pt
    if b or c or abs(e - x0) > tol or abs(f - y0) > tol:
        return None
    if abs(a - (x1 - x0)) > tol or abs(d - (y1 - y0)) > tol:
        return None
    resources = inherited_key(obj, "/Resources")
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    if not isinstance(xobjects, pikepdf.Dictionary) or len(ops[1][1]) != 1:
        return None
    image = xobjects.get(ops[1][1][0])
    if not isinstance(image, pikepdf.Stream) or image.get("/Subtype") != "/Image":
        return None
    meta = image.stream_dict
    if any(k in meta for k in ("/SMask", "/Mask", "/Decode", "/DecodeParms", "/SMaskInData")):
        return None
    if meta.get("/ImageMask", False) or meta.get("/BitsPerComponent") != 8:
        return None
    filters = meta.get("/Filter")
    if isinstance(filters, pikepdf.Array):
        filters = filters[0] if len(filters) == 1 else None
    if filters != "/DCTDecode":
        return None
    space = meta.get("/ColorSpace")
    if isinstance(space, pikepdf.Name):
        components = _PLAIN_SPACES.get(str(space))
    elif (
        isinstance(space, pikepdf.Array)
        and len(space) == 2
        and space[0] == "/ICCBased"
        and isinstance(space[1], pikepdf.Stream)
    ):
        components = int(space[1].stream_dict.get("/N", 0))
        components = components if components in (1, 3) else None
    else:
        components = None
    if components is None:
        return None
    width, height = int(meta.get("/Width", 0)), int(meta.get("/Height", 0))
    scale = SCAN_DPI / 72
    if abs(width - width_pt * scale) > _SLACK_PX or abs(height - height_pt * scale) > _SLACK_PX:
        return None  # another resolution: PDFium resamples it
    return image.read_raw_bytes(), width, height, components


def _decode_jpeg(
    raw: bytes, width: int, height: int, components: int, size: tuple[int, int]
) -> np.ndarray | None:
    """The JPEG's grey pixels over `size` (columns, rows: PDFium's page), or None
    where it is not what its PDF dictionary said or does not decode whole (PDFium
    draws what it can of a damaged one)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(raw), formats=["JPEG"]) as im:
            if im.size != (width, height) or len(im.getbands()) != components:
                return None
            if im.mode not in ("L", "RGB"):
                return None  # CMYK or YCCK, which PDF readers invert their own ways
            im.draft("L", im.size)  # a colour JPEG's brightness (Y), as it is stored
            grey = im.convert("L") if im.mode != "L" else im
            grey.load()
            if grey.size != size:
                grey = grey.resize(size, Image.Resampling.BILINEAR)
            return np.asarray(grey)
    except (*_UNDECODABLE, Image.DecompressionBombError):
        return None


def _draw(page, dpi: float, forms: bool) -> np.ndarray:
    """A page drawn by PDFium in grey, straight into a one-byte-a-pixel bitmap.

    PDFium drew into four bytes a pixel (R = G = B, the grayscale flag) that
    Pillow then turned into one: the same bytes as drawing into a grey bitmap
    with the same flag (checked on synthetic scans, an RGB scan drawn at another
    resolution and the blank forms: tests/test_scan_stream.py), at a third of the time.
    """
    import pypdfium2.raw as pdfium_c

    bitmap = page.render(
        scale=dpi / 72,
        grayscale=True,
        may_draw_forms=forms,
        force_bitmap_format=pdfium_c.FPDFBitmap_Gray,
    )
    return np.asarray(bitmap.to_pil())


def draw_pages(data: bytes, forms: bool = False, dpi: float = SCAN_DPI) -> list[np.ndarray]:
    """Every page of a PDF drawn by PDFium at `dpi`, grayscale (fields too, with `forms`)."""
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
            images.append(_draw(page, dpi, forms))
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
