"""Layout edition 6: the copy's serial and the page number printed again as digits up
the right margin, read back when a page's QR codes are gone (issue 17: a third of
the pages of worn copies kept no code, and with several questionnaires in a file
their layout could not say whose page each was)."""

from __future__ import annotations

import random

import numpy as np
import pypdfium2 as pdfium
import pytest

from pdfforms.generate import overlay
from pdfforms.generate.render import render
from pdfforms.model.layout import EDITION, EDITIONS, build_layout
from pdfforms.model.serials import new_serial, parse_printed_code, printed_code
from pdfforms.parse.scan import parse_scan
from pdfforms.read.scan import serial as serial_line
from pdfforms.testing import scans as synth

from .conftest import DEFINITIONS, TEST_FORMS

DIRS = [DEFINITIONS, TEST_FORMS]


def _scan(form, seed: int, edition: int = EDITION, distortion=None):
    rng = random.Random(seed)
    return synth.make_scan(form, "sv", {}, synth.serial_for(rng), rng, distortion, edition=edition)


def _codes_gone(image: np.ndarray, layout, number: int) -> None:
    """Both QR codes of a page whited out, and a grey stain over where they were."""
    page = layout.pages[number - 1]
    for qr in (page.qr, page.second_qr):
        if qr is not None:
            x0, y0, x1, y1 = synth.widget_box(qr)
            image[int(y0) - 4 : int(y1) + 4, int(x0) - 4 : int(x1) + 4] = 255
    x0, y0, x1, y1 = synth.widget_box(page.qr)
    stain = image[int(y0) - 20 : int(y1) + 20, int(x0) - 160 : int(x1) + 10]
    stain[:] = (stain * 0.7).astype(np.uint8)


def test_edition_6_prints_the_serial_line_and_editions_1_to_5_do_not(forms):
    assert EDITION == 6 and EDITIONS[6].printed_serial
    assert not any(EDITIONS[n].printed_serial for n in range(1, 6))
    form = forms["patient"]
    serial = new_serial()
    texts = {}
    for number in (5, 6):
        layout = build_layout(form, "sv", edition_no=number)
        assert all((p.serial_line is not None) == (number == 6) for p in layout.pages)
        doc = pdfium.PdfDocument(render(form, layout, serial))
        texts[number] = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    for n, text in enumerate(texts[6], start=1):
        assert printed_code(serial, n) in text
    for n, text in enumerate(texts[5], start=1):
        assert printed_code(serial, n) not in text
        assert printed_code(serial, n).split()[0] not in text


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_the_serial_line_lies_clear_of_everything_else_on_the_page(forms, lang, large):
    """In the right margin, beside no text, box or mark of any page (a right-to-left
    form's mirrored content stays between the margins too)."""
    checked = 0
    for form in forms.values():
        if lang not in form.languages:
            continue
        checked += 1
        layout = build_layout(form, lang, large)
        for page in layout.pages:
            r = page.serial_line
            assert r.x > layout.width - 54 and r.x + r.w < layout.width - 24 + 2
            for item in [*page.rects, *page.widgets, *page.marks]:
                clear = item.x + item.w < r.x or item.x > r.x + r.w
                assert clear or item.y > r.y + r.h or item.y + item.h < r.y, item
    assert checked


def test_printed_digits_round_trip_and_their_check_digits_catch_misreads():
    serial = new_serial()
    code = printed_code(serial, 7)
    assert [len(g) for g in code.split()] == [5, 5, 4, 2, 2]
    assert parse_printed_code(code) == (serial, 7)
    digits = code.replace(" ", "")
    for i in range(len(digits)):
        for d in "0123456789":
            if d != digits[i]:
                assert parse_printed_code(digits[:i] + d + digits[i + 1 :]) is None
        if i + 1 < len(digits) and digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            assert parse_printed_code(swapped) is None
    assert printed_code("not-a-serial", 1) is None and printed_code(None, 1) is None
    assert printed_code(serial, 100) is None  # two digits of page number


def test_the_serial_is_read_from_a_page_whose_codes_are_gone(forms):
    form = forms["patient"]
    layout = build_layout(form, "sv")
    pages, truth = _scan(form, 3, distortion=synth.Distortion(blur=0.8, noise=5, rotation=0.6))
    _codes_gone(pages[1], layout, 2)
    found = serial_line.read_serial(pages[1], layout.pages[0], layout)
    assert found is not None and found[0] == (truth["serial"], 2)
    # edition 5's page has no line: nothing is read, nothing guessed
    old_pages, _ = _scan(form, 3, edition=5)
    old = build_layout(form, "sv", edition_no=5)
    assert serial_line.read_serial(old_pages[1], old.pages[0], layout) is None


def test_pages_of_several_questionnaires_are_placed_by_their_printed_serials(tmp_path, forms):
    """Two copies of one form in a file, page 2 of each without its codes (one fed
    upside down): their layouts are alike, so by layout neither can be placed
    (edition 5, below); by the digits each goes to its own questionnaire, read
    like any page."""
    form = forms["patient"]
    for edition in (6, 5):
        layout = build_layout(form, "sv", edition_no=edition)
        a, ta = _scan(form, 11, edition)
        b, tb = _scan(form, 12, edition)
        _codes_gone(a[1], layout, 2)
        _codes_gone(b[1], layout, 2)
        b[1] = np.ascontiguousarray(b[1][::-1, ::-1])  # fed upside down
        path = tmp_path / f"two-{edition}.pdf"
        path.write_bytes(synth.scanned_pdf([b[1], *a[2:], a[0], a[1], *b[2:], b[0]]))
        result = parse_scan(path, DIRS, tmp_path / f"review-{edition}")
        second = [p for p in result.pages if p.page in (1, len(a) + 1)]
        if edition == 5:
            assert [p.status for p in second] == ["unidentified", "unidentified"]
            continue
        assert [p.status for p in result.pages] == ["read"] * len(result.pages)
        assert [(p.serial, p.form_page) for p in second] == [
            (tb["serial"], 2),
            (ta["serial"], 2),
        ]
        for response in result.responses:
            assert not [p for p in response.problems if p.code == "missing_page"]
            assert not [i for i in response.review if i.reason == "page_placed_by_layout"]


def test_a_wrong_check_digit_is_refused(tmp_path, forms, monkeypatch):
    """Digits printed with a check that does not hold are read as they are, and
    refused: the page is placed by its layout as edition 5's would be (the only
    questionnaire lacking a page), for a person to confirm."""
    form = forms["patient"]

    def wrong(serial, page):
        code = printed_code(serial, page)
        return code[:-1] + str((int(code[-1]) + 1) % 10) if code else code

    monkeypatch.setattr(overlay, "printed_code", wrong)
    layout = build_layout(form, "sv")
    pages, truth = _scan(form, 5)
    _codes_gone(pages[1], layout, 2)
    page = layout.pages[1]
    fitted = serial_line.fit(pages[1], page, layout)
    text = serial_line.read_line(serial_line.line_strip(*fitted, page))
    assert text == wrong(truth["serial"], 2)  # read right, digit by digit …
    assert serial_line.read_serial(pages[1], page, layout) is None  # … and refused
    path = tmp_path / "wrong.pdf"
    path.write_bytes(synth.scanned_pdf(pages))
    result = parse_scan(path, DIRS, tmp_path / "review")
    assert result.pages[1].status == "placed_by_layout"


def test_a_page_of_another_questionnaire_is_never_taken(tmp_path, forms):
    """Questionnaire A lacks its page 2; B's page 2, its codes gone, is in the file.
    Its layout is the page A lacks (edition 5 places it there, for a person to
    confirm); its printed serial says it is B's, so it is not taken."""
    form = forms["patient"]
    for edition in (5, 6):
        layout = build_layout(form, "sv", edition_no=edition)
        a, ta = _scan(form, 21, edition)
        b, tb = _scan(form, 22, edition)
        _codes_gone(b[1], layout, 2)
        path = tmp_path / f"other-{edition}.pdf"
        path.write_bytes(synth.scanned_pdf([a[0], b[1], *a[2:]]))
        result = parse_scan(path, DIRS, tmp_path / f"review-{edition}")
        report = result.pages[1]
        if edition == 5:
            assert report.status == "placed_by_layout"  # a person is asked
            continue
        assert report.status == "unidentified"
        assert report.form is None and report.serial is None
        assert tb["serial"] in report.note
        [response] = result.responses
        assert response.serial == ta["serial"]
        assert [p.code for p in response.problems if p.code == "missing_page"]
