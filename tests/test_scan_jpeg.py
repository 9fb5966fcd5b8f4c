"""A scanner's page, one JPEG over the whole page, is decoded as it is (pages.py,
`_scanned_jpeg`); any other page is drawn by PDFium as before, and gives the same
pixels as PDFium draws.

The pages are built with pikepdf, one variation at a time of what a scanner
writes, so each way a page can differ from "one plain JPEG" is tried on its own.
"""

from __future__ import annotations

import io
import random

import numpy as np
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from pdfforms.read.scan import pages as pages_module
from pdfforms.read.scan.pages import ScanPages, _draw
from pdfforms.testing import scans as synth

from .conftest import DEFINITIONS

# 1800 × 2400 px at 200 dpi is 648 × 864 pt: whole numbers, so PDFium's page in
# pixels is exactly the JPEG's and it copies its pixels without resampling.
W, H = 1800, 2400
PT = (648, 864)


def _grey_page(seed: int = 1) -> np.ndarray:
    """A sheet with grain, a black block and a thin grey line: what a JPEG of a
    scan holds, with edges where decoders could differ."""
    rng = np.random.default_rng(seed)
    page = rng.integers(200, 256, (H, W)).astype(np.uint8)
    page[300:500, 200:700] = 0
    page[1000:1003, 100:1700] = 90
    return page


def _jpeg(image: Image.Image, **save) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=85, **save)
    return buf.getvalue()


def _pdf(
    jpeg: bytes,
    size=(W, H),
    space="/DeviceGray",
    box=PT,
    content=None,
    rotate=None,
    **extra,
) -> bytes:
    """A one-page PDF drawing `jpeg` over the page as a scanner writes it, varied by
    the arguments (`extra`: more keys of the image's dictionary; a colour space or
    a key's value that is a stream is made by a function of the new PDF)."""
    pdf = pikepdf.new()
    image = pikepdf.Stream(pdf, jpeg)
    image["/Type"] = pikepdf.Name.XObject
    image["/Subtype"] = pikepdf.Name.Image
    image["/Width"], image["/Height"] = size
    image["/ColorSpace"] = pikepdf.Name(space) if isinstance(space, str) else space(pdf)
    image["/BitsPerComponent"] = 8
    image["/Filter"] = pikepdf.Name.DCTDecode
    for key, value in extra.items():
        image[f"/{key}"] = value(pdf) if callable(value) else value
    if content is None:
        content = f"q {box[0]} 0 0 {box[1]} 0 0 cm /Im0 Do Q".encode()
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, *box],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
        Contents=pikepdf.Stream(pdf, content),
    )
    if rotate is not None:
        page["/Rotate"] = rotate
    pdf.pages.append(pikepdf.Page(page))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _pdfium_pixels(data: bytes) -> np.ndarray:
    doc = pdfium.PdfDocument(data)
    try:
        page = doc[0]
        try:
            return _draw(page, 200, forms=False)
        finally:
            page.close()
    finally:
        doc.close()


def _read(data: bytes, monkeypatch) -> tuple[np.ndarray, int]:
    """Page 1 as ScanPages gives it, and how many times PDFium drew a page for it."""
    drawn = []

    def counting(page, dpi, forms):
        drawn.append(dpi)
        return _draw(page, dpi, forms)

    monkeypatch.setattr(pages_module, "_draw", counting)
    with ScanPages("scan.pdf", data) as source:
        return source.page(1).pixels, len(drawn)


def test_a_grey_scanners_page_is_its_jpeg_and_the_same_pixels_pdfium_draws(monkeypatch):
    data = _pdf(_jpeg(Image.fromarray(_grey_page())))
    pixels, drawn = _read(data, monkeypatch)
    assert drawn == 0  # decoded, not drawn
    assert np.array_equal(pixels, _pdfium_pixels(data))


@pytest.mark.parametrize("size", [(1654, 2339), (1653, 2339), (1655, 2337)])
def test_where_pdfium_stretches_the_jpeg_so_does_the_decoding(monkeypatch, size):
    """A scan as Pillow (and many scanners) write it: 1,654 pixels over 595.44 pt,
    which PDFium draws 1,655 pixels wide (the size in floats rounds up); and JPEGs
    a pixel or two off the page's size. Decoded, each is stretched as PDFium
    stretches it: within one grey level."""
    page = _grey_page(4)[: size[1], : size[0]]
    data = _pdf(_jpeg(Image.fromarray(page)), size=size, box=(595.44, 842.04))
    pixels, drawn = _read(data, monkeypatch)
    assert drawn == 0
    theirs = _pdfium_pixels(data)
    assert pixels.shape == theirs.shape == (2339, 1655)
    assert np.abs(pixels.astype(int) - theirs).max() <= 1


def test_a_page_a_hair_wide_is_drawn_a_pixel_wide():
    """A damaged file's page of 0.001 × 0.3 pt is drawn, one pixel by one, not
    refused for a bitmap of no pixels."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(10, 10))
    pdf.pages[0].MediaBox = [0, 0, 0.001, 0.3]
    buf = io.BytesIO()
    pdf.save(buf)
    with ScanPages("scan.pdf", buf.getvalue()) as source:
        assert source.page(1).pixels.shape == (1, 1)


def test_tagged_scans_and_colour_operators_do_not_stop_the_decoding(monkeypatch):
    """Marked content around the image and a fill colour set before it (as some
    scanners write) change nothing it draws."""
    content = b"/Artifact BMC 1 g 0 G q 648 0 0 864 0 0 cm /Im0 Do Q EMC"
    data = _pdf(_jpeg(Image.fromarray(_grey_page())), content=content)
    pixels, drawn = _read(data, monkeypatch)
    assert drawn == 0
    assert np.array_equal(pixels, _pdfium_pixels(data))


def test_a_colour_scan_is_its_jpegs_brightness(monkeypatch):
    """A colour JPEG gives its stored brightness (Y); PDFium turns the colours it
    decodes grey by its own weights, which on a scan of white paper differ by a
    level or two at most, where the colour is strong."""
    grey = _grey_page(2).astype(int)
    colour = np.stack([grey, np.clip(grey - 6, 0, 255), np.clip(grey - 14, 0, 255)], axis=-1)
    colour[1500:1700, 300:900] = (30, 60, 200)  # a blue pen's stroke, broad
    data = _pdf(_jpeg(Image.fromarray(colour.astype(np.uint8), "RGB")), space="/DeviceRGB")
    pixels, drawn = _read(data, monkeypatch)
    assert drawn == 0
    theirs = _pdfium_pixels(data).astype(int)
    assert pixels.shape == theirs.shape
    diff = np.abs(pixels.astype(int) - theirs)
    assert diff.mean() < 1.0 and np.percentile(diff, 99.9) <= 4, (diff.mean(), diff.max())


def test_an_icc_grey_scan_is_decoded_too(monkeypatch):
    jpeg = _jpeg(Image.fromarray(_grey_page(3)))

    def icc(pdf):  # a grey profile's stream (its bytes do not matter here)
        return pikepdf.Array([pikepdf.Name.ICCBased, pikepdf.Stream(pdf, b"\0" * 128, N=1)])

    pixels, drawn = _read(_pdf(jpeg, space=icc), monkeypatch)
    assert drawn == 0
    assert np.array_equal(pixels, np.asarray(Image.open(io.BytesIO(jpeg))))


# Each a page that is not just one plain JPEG over the whole page: PDFium draws it,
# and ScanPages gives exactly what PDFium draws (decoding the JPEG would not).
OTHERS = {
    "inverted by a /Decode array": lambda j: _pdf(j, Decode=pikepdf.Array([1, 0])),
    "turned by /Rotate": lambda j: _pdf(j, rotate=90),
    "scanned at 300 dpi": lambda j: _pdf(
        _jpeg(Image.fromarray(_grey_page()).resize((2700, 3600))), size=(2700, 3600)
    ),
    "with a soft mask": lambda j: _pdf(
        j,
        SMask=lambda pdf: pikepdf.Stream(
            pdf,
            b"\x80" * 16,
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=4,
            Height=4,
            BitsPerComponent=8,
            ColorSpace=pikepdf.Name.DeviceGray,
        ),
    ),
    "with a line drawn over it": lambda j: _pdf(
        j, content=b"q 648 0 0 864 0 0 cm /Im0 Do Q 4 w 0 0 m 600 800 l S"
    ),
    "over half the page": lambda j: _pdf(j, content=b"q 324 0 0 432 0 0 cm /Im0 Do Q"),
    "under a graphics state": lambda j: _pdf(j, content=b"q /GS0 gs 648 0 0 864 0 0 cm /Im0 Do Q"),
    "upside down": lambda j: _pdf(j, content=b"q 648 0 0 -864 0 864 cm /Im0 Do Q"),
    "cut short (a damaged file)": lambda j: _pdf(j[: len(j) // 2]),
    "whose dictionary gives another size": lambda j: _pdf(j, size=(W - 1, H)),
    "in CMYK": lambda j: _pdf(
        _jpeg(Image.fromarray(_grey_page()).convert("CMYK")), space="/DeviceCMYK"
    ),
}


@pytest.mark.parametrize("name", list(OTHERS))
def test_any_other_page_is_drawn_by_pdfium(name, monkeypatch):
    data = OTHERS[name](_jpeg(Image.fromarray(_grey_page())))
    pixels, drawn = _read(data, monkeypatch)
    assert drawn == 1
    assert np.array_equal(pixels, _pdfium_pixels(data))


def test_a_synthetic_scan_reads_the_same_either_way(tmp_path, monkeypatch):
    """The reader's result on a hand-filled scan does not depend on who decoded it:
    Pillow (the JPEG, stretched by a pixel as PDFium stretches it) or PDFium."""
    from pdfforms.model.definition import load_form
    from pdfforms.parse.scan import parse_scan
    from pdfforms.testing.synthetic import synthetic_answers

    form = load_form(DEFINITIONS / "unit.yaml")
    rng = random.Random(11)
    pages = []
    for _ in range(2):
        answers = synthetic_answers(form, rng)
        pages += synth.make_scan(form, "sv", answers, synth.serial_for(rng), rng, "test")[0]
    path = tmp_path / "two.pdf"
    path.write_bytes(synth.scanned_pdf(pages))

    def answers_of(result):
        return [(r.form_id, r.answers, sorted(i.field for i in r.review)) for r in result.responses]

    direct = parse_scan(path, [DEFINITIONS], tmp_path / "a")
    monkeypatch.setattr(pages_module, "_open_pike", lambda source: None)
    drawn = parse_scan(path, [DEFINITIONS], tmp_path / "b")
    assert len(direct.responses) == 2
    assert answers_of(direct) == answers_of(drawn)
