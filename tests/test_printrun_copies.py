"""A print run's copies are each their own: language, large print, pre-filled values, serial.

Issue 13 found a run with rows sv, en, sv that printed the English copy's pages
in Swedish under an English QR code, so its scan read back nothing right and
said nothing. These tests look at the print file itself: every page's text and
QR code, and then the pages printed, marked by hand and scanned back.
"""

from __future__ import annotations

import csv
import random
import re

import numpy as np
import pdfplumber
import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image

from pdfforms.cli import main
from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.printrun import BLANK_PAGE_TEXT, Copy, PrintRunError, print_run
from pdfforms.model.form import OTHER, tr
from pdfforms.model.identity import parse_qr
from pdfforms.model.layout import build_layout
from pdfforms.model.rules import blank_answers
from pdfforms.model.serials import new_serials
from pdfforms.parse.scan import parse_scan
from pdfforms.testing import scans as synth
from pdfforms.testing.synthetic import synthetic_answers

from .clients import pdfium as pdfium_client
from .conftest import DEFINITIONS, FORM_FILES

COVER = "# Hej {namn}!\n\nVi vill veta vad som är viktigt för dig.\n\nVårdcentralen Åre"
LANGUAGES = ["sv", "en", "sv"]
CHOICES = ("yesno", "single", "multiple", "scale", "grid")
SCAN_DPI = 200


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def _copies(ledger) -> list[dict]:
    with open(ledger, encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _page_range(row: dict) -> range:
    first, last = map(int, row["pages"].split("-"))
    return range(first - 1, last)  # 0-based page indexes of the copy


def _check_pages(form, path, rows, large_print: bool, cover: bool) -> None:
    """Every page of every copy: the drawn words, the small print and the QR code are
    those of the copy's own language and printing."""
    data = path.read_bytes()
    with pdfplumber.open(path) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    for row in rows:
        lang = row["language"]
        others = [x for x in form.languages if x != lang]
        layout = build_layout(form, lang, large_print)
        indexes = list(_page_range(row))
        if cover:  # the letter, and its empty back: the form starts a sheet of its own
            assert texts[indexes[1]].strip() == ""
            indexes = indexes[2:]
        for number, index in enumerate(indexes[: len(layout.pages)], start=1):
            want = _words(" ".join(t.text for t in layout.pages[number - 1].texts))
            got = _words(texts[index])
            assert want <= got, (row["serial"], lang, number, sorted(want - got)[:10])
            for other in others:
                assert tr(form.title, other) not in texts[index]
            assert f"· {lang} ·" in texts[index] and row["serial"] in texts[index]
            image = pdfium_client.render_page(data, index, 150, with_forms=False)
            codes = zxingcpp.read_barcodes(Image.fromarray(image))
            assert len({c.text for c in codes}) == 1 and len(codes) == 2  # edition 5: twice
            ident = parse_qr(codes[0].text)
            assert (ident.language, ident.serial, ident.page, bool(ident.large_print)) == (
                lang,
                row["serial"],
                number,
                large_print,
            )
        for index in indexes[len(layout.pages) :]:  # the duplex padding page
            assert texts[index].strip() == BLANK_PAGE_TEXT[lang]


def test_mixed_language_run_prints_each_copy_in_its_own_language(tmp_path, forms):
    """The command a user runs: rows sv, en, sv with a cover letter and a pre-filled date."""
    form = forms["patient"]
    people = tmp_path / "patienter.csv"
    people.write_text(
        "namn;language;datum;nasta_steg\n"
        "Åsa Öberg;sv;2026-12-01;ja\n"
        "Bo Ek;en;2026-12-02;delvis\n"
        "Örjan Åkesson;sv;;\n",
        encoding="utf-8-sig",
    )
    cover = tmp_path / "brev.txt"
    cover.write_text(COVER, encoding="utf-8")
    out = tmp_path / "utskick.pdf"
    result = CliRunner().invoke(
        main,
        [
            "generate",
            str(FORM_FILES["patient"]),
            "--respondents",
            str(people),
            "--cover",
            str(cover),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = _copies(out.with_suffix(".ledger.csv"))
    assert [r["language"] for r in rows] == LANGUAGES
    _check_pages(form, out, rows, large_print=False, cover=True)
    with pdfplumber.open(out) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    # each copy's cover letter is its own, and its pre-filled date is on its own pages
    for row, name, date in zip(
        rows,
        ["Åsa Öberg", "Bo Ek", "Örjan Åkesson"],
        ["2026-12-01", "2026-12-02", None],
        strict=True,
    ):
        pages = list(_page_range(row))
        assert f"Hej {name}!" in texts[pages[0]]
        # a date in comb cells (layout edition 4) is drawn one character a cell, and
        # extracted with spaces between
        form_text = "".join(texts[i] for i in pages[1:]).replace(" ", "")
        for other in ("2026-12-01", "2026-12-02"):
            assert (other in form_text) == (other == date), (row["serial"], other)


def test_large_print_run_with_mixed_languages(tmp_path, forms):
    form = forms["unit"]
    copies = [Copy(s, lang) for s, lang in zip(new_serials(3), LANGUAGES, strict=True)]
    result = print_run(form, copies, tmp_path / "stor.pdf", large_print=True)
    _check_pages(form, result.output, _copies(result.ledger), large_print=True, cover=False)


def _marked_answers(form, rng: random.Random) -> dict:
    """Synthetic answers to the tick-box questions only (text would be handwriting for a
    person to read); no 'other', which comes with a line to write on."""
    answers = synthetic_answers(form, rng, blank_rate=0.1)
    out = {}
    for q in form.answerable:
        value = answers.get(q.id)
        if q.type not in CHOICES or value in (None, [], OTHER):
            continue
        if q.type == "multiple":
            value = [v for v in value if v != OTHER]
            if not value:
                continue
        out[q.id] = value
    return out


def _mark(image: np.ndarray, layout, number: int, values: dict, rng) -> None:
    for w in layout.pages[number - 1].widgets:
        value = values.get(w.field)
        ticked = value is True if w.kind == "checkbox" else value is not None and value == w.on
        if w.kind in ("checkbox", "radio") and ticked:
            synth.draw_mark(image, synth.widget_box(w, SCAN_DPI, layout.height), "cross", rng)


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large"])
def test_marked_copies_of_a_mixed_run_scan_back_to_what_was_marked(tmp_path, forms, large_print):
    """Print the run, tick boxes on every copy as a person does, scan the whole stack
    (covers and blank backs included) and read it: each copy gives exactly its own
    pre-filled and marked answers, in both languages, with nothing left for review."""
    form = forms["patient"]
    rng = random.Random(13)
    prefilled = [{"nasta_steg": "ja"}, {"leva_livet": "delvis"}, {}]
    copies = [
        Copy(serial, lang, answers, {"namn": f"Person {i}"}, i + 2)
        for i, (serial, lang, answers) in enumerate(
            zip(new_serials(3), LANGUAGES, prefilled, strict=True)
        )
    ]
    result = print_run(form, copies, tmp_path / "run.pdf", large_print=large_print, cover=COVER)
    pages = [
        np.array(image, dtype=np.uint8)
        for image in pdfium_client.render(result.output.read_bytes(), SCAN_DPI, with_forms=False)
    ]
    expected = {}
    for copy, row in zip(copies, _copies(result.ledger), strict=True):
        marked = {k: v for k, v in _marked_answers(form, rng).items() if k not in copy.answers}
        expected[copy.serial] = (copy.language, blank_answers(form) | copy.answers | marked)
        values = answers_to_fields(form, marked, copy.language)
        layout = build_layout(form, copy.language, large_print)
        first_form_page = _page_range(row)[2]  # after the cover letter and its back
        for number in range(1, len(layout.pages) + 1):
            _mark(pages[first_form_page + number - 1], layout, number, values, rng)
    scan = tmp_path / "skannat.pdf"
    scan.write_bytes(synth.scanned_pdf(pages, SCAN_DPI))
    read = parse_scan(scan, [DEFINITIONS], tmp_path / "review")
    got = {r.serial: r for r in read.responses}
    assert set(got) == set(expected)
    for serial, (lang, answers) in expected.items():
        response = got[serial]
        assert response.language == lang
        assert response.answers == answers, (serial, lang)
        assert response.review == [], (serial, lang, response.review)


# --------------------------------------------------------------------------- cover letters

LETTER_EN = "# Dear {namn},\n\nWe would like to know what matters to you.\n\nThe health centre"


def _run_with_covers(tmp_path, *covers: str):
    people = tmp_path / "patienter.csv"
    people.write_text(
        "namn;language\nÅsa Öberg;sv\nBo Ek;en\nÖrjan Åkesson;sv\n", encoding="utf-8-sig"
    )
    (tmp_path / "brev.txt").write_text(COVER, encoding="utf-8")
    (tmp_path / "letter.txt").write_text(LETTER_EN, encoding="utf-8")
    out = tmp_path / "utskick.pdf"
    args = ["generate", str(FORM_FILES["patient"]), "--respondents", str(people), "-o", str(out)]
    for cover in covers:
        args += ["--cover", cover.replace("DIR", str(tmp_path))]
    return CliRunner().invoke(main, args), out


def test_each_copy_gets_the_cover_letter_in_its_language(tmp_path, forms):
    result, out = _run_with_covers(tmp_path, "sv=DIR/brev.txt", "en=DIR/letter.txt")
    assert result.exit_code == 0, result.output
    rows = _copies(out.with_suffix(".ledger.csv"))
    with pdfplumber.open(out) as pdf:
        covers = [pdf.pages[_page_range(row)[0]].extract_text() for row in rows]
    assert "Hej Åsa Öberg!" in covers[0] and "Dear" not in covers[0]
    assert "Dear Bo Ek," in covers[1] and "Hej" not in covers[1]
    assert "Hej Örjan Åkesson!" in covers[2]
    _check_pages(forms["patient"], out, rows, large_print=False, cover=True)


def test_a_letter_without_language_serves_the_languages_without_their_own(tmp_path):
    result, out = _run_with_covers(tmp_path, "DIR/brev.txt", "en=DIR/letter.txt")
    assert result.exit_code == 0, result.output
    with pdfplumber.open(out) as pdf:
        first = [
            pdf.pages[_page_range(r)[0]].extract_text()
            for r in _copies(out.with_suffix(".ledger.csv"))
        ]
    assert ["Hej" in t for t in first] == [True, False, True]


def test_a_language_without_a_letter_is_refused_before_anything_is_written(tmp_path, forms):
    result, out = _run_with_covers(tmp_path, "sv=DIR/brev.txt")
    assert result.exit_code == 2
    assert "1 copies are in 'en', and no cover letter is" in result.stderr
    assert "--cover en=FILE" in result.stderr and "Traceback" not in result.output
    assert not out.exists() and not out.with_suffix(".ledger.csv").exists()
    # the API says the same
    copies = [
        Copy(s, lang, row=n)
        for n, (s, lang) in enumerate(zip(new_serials(3), LANGUAGES, strict=True), 2)
    ]
    with pytest.raises(PrintRunError, match=r"none in 'en', the language of 1 copies \(3\)"):
        print_run(forms["patient"], copies, tmp_path / "api.pdf", cover={"sv": "Hej!"})
    assert not (tmp_path / "api.pdf").exists()
