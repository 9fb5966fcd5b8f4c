"""A scan file is read one page at a time: its pages' pixels are never all in memory.

tracemalloc counts what numpy and Python allocate (the pixels of a drawn page, a
file's bytes read whole); the limits below are a few pages, where holding every
page of the file (what the reader did before) needs all of them.
"""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pdfforms.model.layout import build_layout
from pdfforms.parse.scan import parse_scan
from pdfforms.read.detect import read_file
from pdfforms.read.scan.align import percentile
from pdfforms.read.scan.pages import ScanPages, load_pages
from pdfforms.testing import scans as synth

from .conftest import DEFINITIONS, TEST_FORMS

DIRS = [DEFINITIONS, TEST_FORMS]
PAGES = 12
A4 = (2339, 1654)  # rows, columns of an A4 page at 200 dpi
PAGE_BYTES = A4[0] * A4[1]


def _paper(seed: int) -> np.ndarray:
    """A blank sheet as a scanner sees it: light grey grain (it compresses badly, so
    the file is large, as a real scan's is)."""
    return np.random.default_rng(seed).integers(215, 256, A4).astype(np.uint8)


def _peak(run) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _pdf(path: Path, pages: int) -> Path:
    path.write_bytes(synth.scanned_pdf([_paper(n) for n in range(pages)]))
    return path


def _tiff(path: Path, pages: int) -> Path:
    frames = [Image.fromarray(_paper(n)) for n in range(pages)]
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_deflate")
    return path


def _reading_peak(path: Path, review: Path) -> int:
    """The most memory reading the scan held at once (it must read every page)."""
    result = None

    def run():
        nonlocal result
        result = parse_scan(path, DIRS, review)

    peak = _peak(run)
    assert [p.status for p in result.pages] == ["blank"] * int(path.stem.split("-")[1])
    return peak


@pytest.mark.parametrize(
    ("write", "suffix"), [(_pdf, ".pdf"), (_tiff, ".tif")], ids=["pdf", "tiff"]
)
def test_a_scan_is_read_a_page_at_a_time(tmp_path, write, suffix):
    """Ten pages more cost less than one page more: the peak does not grow with the file."""
    few = _reading_peak(write(tmp_path / f"backs-2{suffix}", 2), tmp_path / "review")
    many = _reading_peak(write(tmp_path / f"backs-{PAGES}{suffix}", PAGES), tmp_path / "review")
    assert many < few + PAGE_BYTES, f"{(many - few) / PAGE_BYTES:.1f} pages more at once"


_RSS_CHILD = """
import sys
from pdfforms.read.scan.pages import ScanPages
from pdfforms.testing.memory import peak_resident
with ScanPages(sys.argv[1]) as pages:
    for n in range(1, len(pages) + 1):
        pages.page(n)
print(peak_resident())
"""


def test_drawing_a_scans_pages_does_not_keep_the_file_in_memory(tmp_path):
    """Resident memory, as the kernel counts it (a worker's memory limit does too):
    a file read into memory a page at a time, or mapped, shows there and
    tracemalloc does not see it. Sixty pages of 1.2 MB each cost no more than ten."""
    import subprocess
    import sys

    rng = np.random.default_rng(5)
    noisy = [rng.integers(0, 256, A4).astype(np.uint8) for _ in range(5)]  # JPEGs of ~1.2 MB
    peaks, sizes = [], []
    for count in (10, 60):
        path = tmp_path / f"noisy-{count}.pdf"
        path.write_bytes(synth.scanned_pdf([noisy[n % 5] for n in range(count)]))
        sizes.append(path.stat().st_size)
        done = subprocess.run(
            [sys.executable, "-c", _RSS_CHILD, str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        peaks.append(int(done.stdout.strip()))
    grown, file_grown = peaks[1] - peaks[0], sizes[1] - sizes[0]
    assert grown < file_grown / 3, f"{grown >> 20} MB more for {file_grown >> 20} MB more file"


def test_reading_a_scan_file_does_not_hold_its_bytes(tmp_path):
    """read_file maps the file: what it looks at (its head, its end, the first pages'
    small print) is read, not all of it, so ten pages more cost less than one more."""

    def peak(pages: int) -> tuple[int, int]:
        path = _pdf(tmp_path / f"backs-{pages}.pdf", pages)
        raw = None

        def run():
            nonlocal raw
            raw = read_file(path)

        held = _peak(run)
        assert raw.kind == "scan" and raw.pages == pages
        return held, path.stat().st_size // pages

    # past SMALL_PRINT_PAGES (3) both: the small print is read from a copy of a
    # scan's first three pages, a cost that does not grow with the file
    few, _ = peak(4)
    many, page_bytes = peak(4 + 10)
    assert many < few + page_bytes, f"{(many - few) / page_bytes:.1f} pages' bytes more"


@pytest.mark.parametrize("drawn", [False, True], ids=["jpeg", "drawn by pdfium"])
def test_the_pages_drawn_one_at_a_time_are_the_pages_drawn_all_at_once(
    tmp_path, monkeypatch, drawn
):
    # the document is opened afresh every REOPEN_AFTER pages PDFium draws: here after
    # every page (`drawn`: every page drawn, none decoded from its JPEG as it is)
    monkeypatch.setattr("pdfforms.read.scan.pages.REOPEN_AFTER", 1)
    if drawn:
        monkeypatch.setattr("pdfforms.read.scan.pages._open_pike", lambda source: None)
    images = [_paper(n) for n in range(3)]
    images[1][100:300, 100:300] = 0
    path = tmp_path / "three.pdf"
    path.write_bytes(synth.scanned_pdf(images))
    every = load_pages(path)
    with ScanPages(path) as pages:
        assert len(pages) == 3
        assert np.array_equal(pages.page(2).pixels, every[1].pixels)
        for one, whole in zip(pages, every, strict=True):
            assert one.index == whole.index
            assert np.array_equal(one.pixels, whole.pixels)


def test_crops_of_a_copy_without_serials_go_under_its_first_page_placed_late(tmp_path, forms):
    """Page 1 of a copy printed without serials lost its QR code: it is placed by its
    boxes after the other pages were read, and the crops saved for them move to the
    folder named by page 1, where the review items say they are."""
    form = forms["patient"]
    rng = random.Random(35)
    answers = synth_answers(form)
    pages, _ = synth.make_scan(form, "sv", answers, None, rng, None)
    layout = build_layout(form, "sv")
    for qr in (layout.pages[0].qr, layout.pages[0].second_qr):  # both of edition 5's
        if qr is not None:
            x0, y0, x1, y1 = synth.widget_box(qr)
            pages[0][int(y0) - 4 : int(y1) + 4, int(x0) - 4 : int(x1) + 4] = 255
    path = tmp_path / "late.pdf"
    path.write_bytes(synth.scanned_pdf(pages))
    review = tmp_path / "review"
    result = parse_scan(path, DIRS, review)
    [response] = result.responses
    assert result.pages[0].status == "placed_by_layout"
    images = [Path(i.image) for i in response.review if i.image]
    assert any(i.reason == "page_placed_by_layout" for i in response.review)
    assert any(i.file_page and i.file_page > 1 for i in response.review if i.image)
    for image in images:
        assert image.parent == review / "late-p1"
        assert image.is_file()
    assert [p.name for p in review.iterdir()] == ["late-p1"]


def synth_answers(form) -> dict:
    from pdfforms.testing.synthetic import synthetic_answers

    return synthetic_answers(form, random.Random(8), blank_rate=0.1)


def test_the_paper_level_is_numpys_percentile():
    rng = np.random.default_rng(4)
    for n in (1, 2, 7, 1000, 4001):
        for values in (rng.integers(0, 256, n), np.clip(rng.normal(230, 30, n), 0, 255)):
            pixels = values.astype(np.uint8)
            for q in (0, 1, 50, 90, 99.5, 100, 37.3):
                assert percentile(pixels, q) == float(np.percentile(pixels, q))


def test_pages_drawn_in_grey_are_the_pages_drawn_in_colour_then_turned_grey(blank_pdf):
    """pages._draw draws straight into a one-byte grey bitmap: the same bytes as the
    four-byte drawing Pillow turned grey, for a colour scan drawn at another
    resolution and for a blank form with its fields."""
    import io

    import pypdfium2 as pdfium

    from pdfforms.read.scan.pages import _draw

    rng = np.random.default_rng(3)
    colour = rng.integers(0, 256, (600, 400, 3)).astype(np.uint8)
    colour[100:300, 50:200] = (200, 30, 40)
    buf = io.BytesIO()
    Image.fromarray(colour, "RGB").save(buf, "PDF", resolution=150.0)
    for data, forms in ((buf.getvalue(), False), (blank_pdf("unit", "sv"), True)):
        doc = pdfium.PdfDocument(data)
        if forms:
            doc.init_forms()
        try:
            for page in doc:
                bitmap = page.render(scale=200 / 72, grayscale=True, may_draw_forms=forms)
                assert np.array_equal(
                    _draw(page, 200, forms), np.asarray(bitmap.to_pil().convert("L"))
                )
        finally:
            doc.close()


def _scanned_unit_page(seed: int) -> np.ndarray:
    """A hand-filled, scanned unit questionnaire's first page (the "test" distortion)."""
    from pdfforms.model.definition import load_form
    from pdfforms.testing.synthetic import synthetic_answers

    form = load_form(DEFINITIONS / "unit.yaml")
    rng = random.Random(seed)
    answers = synthetic_answers(form, rng)
    pages, _ = synth.make_scan(form, "sv", answers, synth.serial_for(rng), rng, "test")
    return pages[0]


def test_the_darkness_worked_out_in_tiles_is_the_whole_pages_darkness():
    """ink.DarkMap works a page's darkness out only in the tiles that are read: every
    byte it gives is darkness_map's, whatever was read before, on a scanned page and on
    pages whose size is no whole number of tiles or of PAPER_POOL (the last rows and
    columns take the paper beside them)."""
    from pdfforms.model.layout import Transform
    from pdfforms.read.scan.ink import TILE, DarkMap, darkness_map

    rng = np.random.default_rng(5)
    odd = rng.integers(150, 256, (TILE * 5 + 3, TILE * 3 + 2)).astype(np.uint8)
    odd[40:90, 30:200] = 20  # a block of ink across tiles
    whole_tiles = rng.integers(150, 256, (TILE * 4, TILE * 2 + 1)).astype(np.uint8)
    for pixels in (_scanned_unit_page(3), odd, whole_tiles):
        transform = Transform.drawn(842.0, pixels.shape[1] / 595.0)
        expected = darkness_map(pixels, transform)
        tiles = DarkMap(pixels, transform)
        assert tiles.shape == expected.shape
        # some places first (a tile's neighbours are then done in the same run)
        for _ in range(30):
            r0, c0 = rng.integers(0, pixels.shape[0]), rng.integers(0, pixels.shape[1])
            rows = np.clip(r0 + np.arange(9)[:, None], 0, pixels.shape[0] - 1)
            cols = np.clip(c0 + np.arange(13)[None, :], 0, pixels.shape[1] - 1)
            assert np.array_equal(tiles[rows, cols], expected[rows, cols])
        # a place read once is worked out exactly where it lies, and not kept
        tiles.passing = True
        done = tiles._done.copy()
        for _ in range(30):
            r0, c0 = rng.integers(0, pixels.shape[0]), rng.integers(0, pixels.shape[1])
            tall, wide = rng.integers(2, 300), rng.integers(2, 40)
            rows = np.clip(r0 + np.arange(tall)[:, None], 0, pixels.shape[0] - 1)
            cols = np.clip(c0 + np.arange(wide)[None, :], 0, pixels.shape[1] - 1)
            assert np.array_equal(tiles[rows, cols], expected[rows, cols])
        assert np.array_equal(tiles._done, done)
        tiles.passing = False
        assert np.array_equal(tiles.full(), expected)


def test_the_running_max_and_min_are_the_windows_max_and_min():
    """ink._running (windows doubled, then two that cover a window of k) gives every
    centred window's max and min, the window cut short at the ends."""
    from pdfforms.read.scan.ink import _running

    rng = np.random.default_rng(6)
    for _ in range(60):
        a = (rng.random(tuple(rng.integers(1, 40, 2))) * 255).astype(np.float32)
        k = int(rng.integers(1, 30)) | 1
        r = k // 2
        for axis in (0, 1):
            moved = np.moveaxis(a, axis, 0)
            for op, reduce in ((np.maximum, np.max), (np.minimum, np.min)):
                want = np.stack(
                    [reduce(moved[max(0, i - r) : i + r + 1], axis=0) for i in range(len(moved))]
                )
                got = _running(a, k, axis, op)
                assert got.dtype == a.dtype
                assert np.array_equal(got, np.moveaxis(want, 0, axis))


def test_a_crop_for_a_person_is_the_bilinear_sample_within_a_grey_level():
    """ink.crop draws a rectangle inside the page with Pillow's affine transform: the
    same size and, pixel by pixel, within one grey level of align.sample's bilinear
    mix, on turned, scaled and shifted pages; one reaching past the edge is sample's."""
    from PIL import Image

    from pdfforms.model.layout import Transform
    from pdfforms.read.scan.align import sample
    from pdfforms.read.scan.ink import _picture, crop

    rng = np.random.default_rng(8)
    noise = rng.integers(0, 256, (600, 500)).astype(np.uint8)
    pixels = np.asarray(Image.fromarray(noise).resize((1654, 2339)))  # smooth, with edges
    compared = 0
    for _ in range(60):
        turn, scale = np.radians(rng.uniform(-4, 4)), 200 / 72 * rng.uniform(0.95, 1.05)
        matrix = [
            [scale * np.cos(turn), scale * np.sin(turn), rng.uniform(-30, 30)],
            [scale * np.sin(turn), -scale * np.cos(turn), 842 * scale + rng.uniform(-30, 30)],
        ]
        transform = Transform(np.array(matrix))
        x0, y0 = rng.uniform(40, 400), rng.uniform(40, 700)
        rect = (x0, y0, x0 + rng.uniform(3, 160), y0 + rng.uniform(3, 60))
        ours = _picture(pixels, transform, *rect, 200 / 72)
        theirs = sample(pixels, transform, *rect, 200 / 72, True)
        assert ours is not None and ours.shape == theirs.shape
        assert np.abs(ours.astype(int) - theirs).max() <= 1
        compared += 1
    assert compared == 60
    edge = Transform.drawn(842.0, 200 / 72)
    assert _picture(pixels, edge, -5, 100, 40, 120, 200 / 72) is None

    class Box:
        rect = (-5.0, 100.0, 40.0, 120.0)

    assert np.array_equal(
        crop(pixels, edge, Box(), around=0.0), sample(pixels, edge, *Box.rect, 200 / 72, True)
    )


def test_the_nearest_pixel_sample_taken_in_chunks_is_the_grid_at_once():
    """align.sample takes the nearest pixel of each point a row chunk at a time
    (align.CHUNK), from an image or from the region of a darkness map its grid spans:
    every sample is the pixel that rounding the affine map of the whole grid at once
    picks, cut to the page, on turned and scaled grids that run past the page's edges."""
    from pdfforms.model.layout import Transform
    from pdfforms.read.scan.align import CHUNK, sample
    from pdfforms.read.scan.ink import DarkMap

    rng = np.random.default_rng(11)
    pixels = rng.integers(0, 256, (700, 500)).astype(np.uint8)
    tiles = DarkMap(pixels, Transform.drawn(842.0, 500 / 595.0))
    dark = tiles.full().copy()
    for n in range(40):
        turn, scale = rng.normal(0, 0.02), 200 / 72 * (1 + rng.normal(0, 0.02))
        matrix = np.array(
            [
                [scale * np.cos(turn), scale * np.sin(turn), rng.uniform(-40, 40)],
                [scale * np.sin(turn), -scale * np.cos(turn), 700 + rng.uniform(-40, 40)],
            ]
        )
        transform = Transform(matrix)
        x0, y0 = rng.uniform(-10, 150), rng.uniform(-10, 200)
        # big enough for several chunks, or a box's few samples
        wide, tall = (rng.uniform(100, 200), rng.uniform(70, 120)) if n % 2 else (9.0, 7.0)
        x1, y1 = x0 + wide, y0 + tall
        w, h = max(2, round(wide * 4)), max(2, round(tall * 4))
        assert n % 2 == 0 or w * h > CHUNK
        xs = x0 + (np.arange(w) + 0.5) / w * wide
        ys = y1 - (np.arange(h) + 0.5) / h * tall
        cols, rows = transform.points(*np.meshgrid(xs, ys))
        r = np.clip(np.rint(rows), 0, 699).astype(int)
        c = np.clip(np.rint(cols), 0, 499).astype(int)
        assert np.array_equal(sample(pixels, transform, x0, y0, x1, y1, 4.0), pixels[r, c])
        tiles.passing = bool(n % 4 < 2)
        assert np.array_equal(sample(tiles, transform, x0, y0, x1, y1, 4.0), dark[r, c])


def test_the_3x3_mean_is_the_mean_of_the_nine_shifted_views():
    """ink._mean3 adds the nine neighbours into one array: the same floats as the sum
    of nine shifted views of the edge-padded samples over 9, down to one-sample rows
    and columns."""
    from pdfforms.read.scan.ink import _mean3

    rng = np.random.default_rng(12)
    for shape in [(1, 1), (1, 7), (5, 1), (2, 2), (48, 48), (37, 210)]:
        a = np.clip(rng.normal(0.05, 0.1, shape), 0, 1).astype(np.float32)
        padded = np.pad(a, 1, mode="edge")
        h, w = shape
        views = [padded[dy : dy + h, dx : dx + w] for dy in range(3) for dx in range(3)]
        want = sum(views) / 9.0
        got = _mean3(a)
        assert got.dtype == want.dtype
        assert np.array_equal(got, want)
