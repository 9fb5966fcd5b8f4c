"""A scanned page's identity (issue 17): its QR code read from a reduced image first,
again after contrast normalisation on a worn copy, the second code of layout
edition 5 when the first is gone, and duplex stacks of blank backs and pages fed
upside down."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np

from pdfforms.model.layout import EDITION, build_layout
from pdfforms.parse.scan import parse_scan
from pdfforms.read.scan import identify
from pdfforms.read.scan.pages import PageImage
from pdfforms.testing import scans as synth
from pdfforms.testing.synthetic import synthetic_answers

from .conftest import DEFINITIONS, TEST_FORMS

DIRS = [DEFINITIONS, TEST_FORMS]


def _blank_form(form, edition=EDITION, distortion=None, seed=1):
    rng = random.Random(seed)
    return synth.make_scan(form, "sv", {}, synth.serial_for(rng), rng, distortion, edition=edition)


def _white_out(image: np.ndarray, rect) -> None:
    x0, y0, x1, y1 = synth.widget_box(rect)
    image[int(y0) - 4 : int(y1) + 4, int(x0) - 4 : int(x1) + 4] = 255


def test_an_ordinary_page_is_identified_from_the_reduced_image_alone(forms, monkeypatch):
    pages, truth = _blank_form(forms["patient"], distortion=synth.Distortion(blur=0.8, noise=5))
    seen = []
    decode = identify._decode
    monkeypatch.setattr(
        identify, "_decode", lambda image, *a: seen.append(image.shape) or decode(image, *a)
    )
    ident = identify.identify_page(PageImage("scan.pdf", 1, pages[0]))
    assert (ident.serial, ident.page) == (truth["serial"], 1)
    rows, cols = pages[0].shape
    # one decode, of the bottom right corner where the code is printed (a quarter of
    # the page's height, a third of its width) at half its resolution: the whole page
    # is never searched
    corner = (rows // 4, cols // 3)
    assert seen == [tuple(-(-n // identify.REDUCE) for n in corner)]


def test_a_code_found_in_the_corner_is_checked_where_it_lies_on_the_page(forms):
    """The faint code of a sheet's other side, showing through where this side's code
    would be, is not this page's, though the page's top left corner (where the code
    lies in the corner's own image) holds ink: the check looks at the page."""
    form = forms["patient"]
    pages, _ = _blank_form(form)
    front = pages[0]
    rows, cols = front.shape
    # faint enough to be no print of this side, dark enough for zxing to read
    faint = 255.0 - 0.15 * (255.0 - front.astype(np.float32))
    page = np.clip(np.rint(faint), 0, 255).astype(np.uint8)
    x0, y0, x1, y1 = (int(v) for v in synth.widget_box(build_layout(form, "sv").pages[0].qr))
    r0, c0 = rows - rows // 4, cols - cols // 3
    assert y0 >= r0 and x0 >= c0  # the code lies in the corner searched first
    # stripes of ink on white: dark and light, as a printed code's modules are
    page[y0 - r0 - 20 : y1 - r0 + 20 : 16, x0 - c0 - 20 : x1 - c0 + 20] = 0
    assert identify.find_code(page, thorough=False) == (None, None)
    # the same code, printed: found
    page[r0:, c0:] = front[r0:, c0:]
    assert identify.find_code(page, thorough=False)[0] is not None


def test_a_stained_code_of_a_worn_copy_decodes_after_contrast_normalisation(forms):
    """A photocopy of a photocopy with a coffee stain over its one code (edition 4):
    neither the page nor its corner decoded as they were; normalised, it does."""
    form = forms["patient"]
    pages, truth = _blank_form(form, edition=4)
    qr = synth.widget_box(build_layout(form, "sv", edition_no=4).pages[0].qr)
    worn = synth.worn_copy(pages[0], "stain", random.Random(2), qr=qr, copier=())
    assert identify.find_code(worn, thorough=False) == (None, None)
    ident = identify.identify_page(PageImage("scan.pdf", 1, worn))
    assert (ident.serial, ident.page, ident.edition) == (truth["serial"], 1, 4)


def test_edition_5_moves_nothing_and_adds_a_second_code(forms):
    for name in ("patient", "unit"):
        for large in (False, True):
            four = build_layout(forms[name], "sv", large, edition_no=4)
            five = build_layout(forms[name], "sv", large, edition_no=5)
            assert [replace(p, second_qr=None) for p in five.pages] == four.pages
            for page in five.pages:
                a, b = page.qr, page.second_qr
                assert (b.y, b.w, b.h) == (a.y, a.w, a.h) and b.x + b.w < a.x
                # clear of everything printed on the page, the small print included
                drawn = [
                    (t.x, t.y - 2, t.x + len(t.text) * t.size * 0.6, t.y + t.size)
                    for t in page.texts
                ]
                drawn += [(r.x, r.y, r.x + r.w, r.y + r.h) for r in page.rects + page.marks]
                for x0, y0, x1, y1 in drawn:
                    assert x1 < b.x or x0 > b.x + b.w or y1 < b.y or y0 > b.y + b.h, (
                        name,
                        page.number,
                    )


def test_a_page_whose_first_code_is_torn_off_is_read_by_its_second(tmp_path, forms):
    """Edition 4 placed such a page by its layout, for a person to confirm; edition 5
    reads it by its second code, upside down too."""
    form = forms["patient"]
    layout = build_layout(form, "sv")
    upside = synth.Distortion(upside_down=True, noise=4)
    fed = [upside if n == 2 else synth.Distortion() for n in range(1, len(layout.pages) + 1)]
    pages, truth = _blank_form(form, distortion=fed)
    # the first code of each page is gone (pages[1] lies upside down: its code is top left)
    for number, image in enumerate(pages, start=1):
        qr = layout.pages[number - 1].qr
        if number == 2:
            image[:] = image[::-1, ::-1]
            _white_out(image, qr)
            image[:] = image[::-1, ::-1]
        else:
            _white_out(image, qr)
    path = tmp_path / "torn.pdf"
    path.write_bytes(synth.scanned_pdf(pages))
    result = parse_scan(path, DIRS, tmp_path / "review")
    assert [p.status for p in result.pages] == ["read"] * len(pages)
    [response] = result.responses
    assert response.serial == truth["serial"]
    assert not [i for i in response.review if i.reason == "page_placed_by_layout"]


def test_a_duplex_stack_reports_every_back_as_blank(tmp_path, forms):
    """A duplex feeder scans every sheet's back: blank, some under the back sensor's
    uneven light, some fed upside down with their fronts. Each back is blank, not a
    page that is not ours; every questionnaire is whole and read upright."""
    rng = random.Random(5)
    questionnaires = []
    for i, name in enumerate(("patient", "unit")):
        form = forms[name]
        n = len(build_layout(form, "sv").pages)
        fed = [synth.Distortion(upside_down=(i + p) % 2 == 1, noise=3, blur=0.6) for p in range(n)]
        answers = synthetic_answers(form, random.Random(i))
        questionnaires.append(synth.make_scan(form, "sv", answers, synth.serial_for(rng), rng, fed))
    back = synth.Distortion(lighting=0.4, noise=6, upside_down=True)
    images, expected = synth.stack(
        questionnaires, rng, blank_backs=1.0, distortion=back, show_through=0.08
    )
    path = tmp_path / "duplex.pdf"
    path.write_bytes(synth.scanned_pdf(images))
    result = parse_scan(path, DIRS, tmp_path / "review")
    statuses = [p.status for p in result.pages]
    assert [statuses[i] for i in expected["blank"]] == ["blank"] * len(expected["blank"])
    assert statuses.count("read") == sum(len(g["pages"]) for g in expected["groups"])
    by_serial = {r.serial: r for r in result.responses}
    for group in expected["groups"]:
        response = by_serial[group["serial"]]
        assert sorted(response.source["file_pages"]) == sorted(
            i + 1 for i in group["pages"].values()
        )
        assert not [p for p in response.problems if p.code == "missing_page"]


def test_a_blank_back_showing_its_fronts_code_through_is_not_that_page(forms):
    """Thin paper: the front's code shows through the blank back, mirrored and faint.
    zxing reads mirrored codes, and the back was read as its front's page (a duplicate,
    or in the front's place when the front's own code was unreadable)."""
    pages, truth = _blank_form(forms["patient"])
    for front in pages:
        back = 255.0 - 0.08 * (255.0 - front[:, ::-1].astype(np.float32))
        back = np.clip(np.rint(back), 0, 255).astype(np.uint8)
        assert identify.is_blank(back)
        assert identify.identify_page(PageImage("scan.pdf", 2, back)) is None
        assert identify.identify_page(PageImage("scan.pdf", 1, front)).serial == truth["serial"]


def test_a_page_of_a_few_pixels_has_no_code_and_no_error():
    """A page drawn a few pixels large (a damaged file's page size) is searched as any
    other and has no code: no corner of it is too small to look in."""
    for shape in [(1, 1), (3, 3), (5, 2), (2, 400), (400, 2), (9, 7), (60, 70), (90, 40)]:
        assert identify.find_code(np.full(shape, 200, np.uint8)) == (None, None), shape
        # with ink on it, so that the corners are searched too (a blank page is not;
        # a page of one black pixel has no paper, and counts as blank)
        inked = np.full(shape, 255, np.uint8)
        inked[: max(1, shape[0] // 2), : max(1, shape[1] // 2)] = 0
        assert identify.is_blank(inked) == (shape == (1, 1)), shape
        assert identify.find_code(inked) == (None, None), shape
