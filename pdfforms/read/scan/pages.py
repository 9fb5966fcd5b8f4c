"""The pages of a scan as grayscale images: an image-only PDF drawn by PDFium at
SCAN_DPI, or PNG, JPEG and TIFF files (every frame a page)."""

from __future__ import annotations

import io
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
    """Every page of a scan as a grayscale image at SCAN_DPI."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    path = Path(path)
    data = path.read_bytes() if data is None else data
    pages: list[PageImage] = []
    if path.suffix.lower() in IMAGE_SUFFIXES or not data.lstrip()[:5].startswith(b"%PDF"):
        try:
            image = Image.open(io.BytesIO(data))
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
        with image:
            where = msg("read.one_of_its_pages")  # counting the pages reads every page's header
            try:
                check_page_count(getattr(image, "n_frames", 1))
                for n, frame in enumerate(ImageSequence.Iterator(image), start=1):
                    where = msg("read.page", page=n)
                    check_page_pixels(msg("read.page_is_image", page=n), *frame.size)
                    pages.append(PageImage(str(path), n, np.asarray(frame.convert("L"))))
            except _UNDECODABLE as exc:
                # Pillow says "this image is broken" in many ways (a TIFF page without
                # its size is a TypeError): each is the file's fault, never ours.
                why = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
                raise ReadError(
                    msg("read.image_damaged", where=where, reason=why or type(exc).__name__)
                ) from None
        return pages
    return [PageImage(str(path), n, pixels) for n, pixels in enumerate(draw_pages(data), start=1)]


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
            bitmap = page.render(scale=dpi / 72, grayscale=True, may_draw_forms=forms)
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
