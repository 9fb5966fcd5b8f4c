"""Print runs: serials, duplex padding, pre-filled copies, the ledger, and refusing bad CSVs."""

from __future__ import annotations

import collections
import csv
import io
import json

import pdfplumber
import pikepdf
import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image

from pdfforms.cli import main
from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.printrun import Copy, print_run
from pdfforms.model.identity import parse_qr
from pdfforms.model.layout import build_layout
from pdfforms.model.rules import blank_answers
from pdfforms.model.serials import ALPHABET, LENGTH, is_valid_serial, new_serials
from pdfforms.parse.file import parse

from .clients import READERS
from .clients import pdfium as pdfium_client
from .conftest import FORM_FILES
from .test_viewer_matrix import need

COVER = "# Hej {namn}!\n\nVi vill veta vad som är viktigt för dig, {namn}.\n\nVårdcentralen Åre"


# --------------------------------------------------------------------------- serials


def test_serials_are_unique_valid_and_well_formed():
    serials = new_serials(20_000)
    assert len(set(serials)) == len(serials)
    assert all(len(s) == LENGTH and set(s) <= set(ALPHABET) for s in serials)
    assert all(is_valid_serial(s) for s in serials)
    assert is_valid_serial(serials[0].lower()[:4] + "-" + serials[0][4:])  # typed by a person


def test_serials_are_not_guessable_from_each_other():
    serials = new_serials(20_000)
    body = [s[:-1] for s in serials]
    # every position uses the whole alphabet evenly (expected 625 of each character)
    for position in range(len(body[0])):
        counts = collections.Counter(s[position] for s in body)
        assert len(counts) == len(ALPHABET)
        assert min(counts.values()) > 450 and max(counts.values()) < 800
    # neighbours in a run share no more than chance: a common first character in 1 of 32
    shared = sum(a[0] == b[0] for a, b in zip(body, body[1:], strict=False))
    assert shared < 900
    # and no serial is a small step from the one before it
    steps = {int(b, 36) - int(a, 36) for a, b in zip(body, body[1:], strict=False)}
    assert len(steps) > 19_000


def test_check_character_catches_typing_mistakes():
    for serial in new_serials(300):
        for i in range(LENGTH):
            for ch in ALPHABET:
                if ch != serial[i]:
                    assert not is_valid_serial(serial[:i] + ch + serial[i + 1 :])
        for i in range(LENGTH - 2):
            a, b = serial[i], serial[i + 1]
            if a != b:
                assert not is_valid_serial(serial[:i] + b + a + serial[i + 2 :])


# --------------------------------------------------------------------------- the run


def _qr_of(pdf_bytes: bytes, page_index: int):
    image = pdfium_client.render_page(pdf_bytes, page_index, 150)
    found = zxingcpp.read_barcodes(Image.fromarray(image))
    return [parse_qr(r.text) for r in found]


@pytest.fixture(scope="module")
def run(tmp_path_factory, forms):
    form = forms["patient"]
    out = tmp_path_factory.mktemp("run") / "patient-run.pdf"
    copies = [
        Copy(serial, lang, answers, {"namn": name}, row)
        for serial, lang, answers, name, row in zip(
            new_serials(3),
            ["sv", "en", "sv"],
            [{"datum": "2026-12-01", "nasta_steg": "ja"}, {}, {"kontaktvagar": ["video"]}],
            ["Åsa Öberg", "Björn Ängström", "Örjan Åkesson"],
            [2, 3, 4],
            strict=True,
        )
    ]
    return form, copies, print_run(form, copies, out, cover=COVER, split=True)


def test_every_copy_starts_on_a_front_side(run, forms):
    form, copies, result = run
    with open(result.ledger, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    pages = [tuple(map(int, r["pages"].split("-"))) for r in rows]
    assert pages[0][0] == 1
    for first, last in pages:
        assert first % 2 == 1 and (last - first + 1) % 2 == 0
    assert result.pages == pages[-1][1]
    # without a cover, a 3-page form is padded with a blank page
    unit = forms["unit"]
    assert len(build_layout(unit, "sv").pages) == 3
    plain = print_run(
        unit, [Copy(s, "sv") for s in new_serials(2)], result.output.with_name("plain.pdf")
    )
    with pikepdf.open(plain.output) as pdf:
        assert len(pdf.pages) == 8
    with pdfplumber.open(plain.output) as pdf:
        assert "Sidan är avsiktligt tom." in pdf.pages[3].extract_text()
        assert (pdf.pages[7].extract_text() or "").strip() == "Sidan är avsiktligt tom."


def test_each_page_carries_its_copys_serial_in_qr_and_small_print(run):
    form, copies, result = run
    data = result.output.read_bytes()
    with pdfplumber.open(result.output) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    # copy 2 (English): its cover on the front side after copy 1 (a letter, its empty
    # back and the form's pages, padded to whole sheets), then its form pages
    cover = 2 + len(build_layout(form, "sv").pages)
    cover += cover % 2
    total = len(build_layout(form, "en").pages)
    assert "Hej Björn Ängström!" in texts[cover]
    for n in range(1, total + 1):
        page_index = cover + 1 + n
        ident, second = _qr_of(data, page_index)  # edition 5 prints the code twice
        assert second == ident
        assert (ident.form, ident.language, ident.serial, ident.page, ident.pages) == (
            form.id,
            "en",
            copies[1].serial,
            n,
            total,
        )
        assert f"{n}/{total} · {copies[1].serial}" in texts[page_index]
    assert copies[1].serial not in texts[cover]  # the cover letter carries no serial
    # the letter's back is empty, so the form starts a sheet of its own: the patient
    # keeps the letter and posts the form
    assert texts[1].strip() == "" and texts[cover + 1].strip() == ""
    assert copies[0].serial in texts[2]


def test_ledger_links_serials_to_csv_lines_without_personal_data(run):
    form, copies, result = run
    text = result.ledger.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["serial"], r["csv_line"], r["language"]) for r in rows] == [
        (c.serial, str(c.row), c.language) for c in copies
    ]
    assert all(r["form"] == form.id and r["version"] == form.version for r in rows)
    for c in copies:
        assert c.cover["namn"] not in text
    assert result.ledger.parent == result.output.parent
    assert result.ledger != result.output


def test_printed_copy_reads_back_its_prefilled_answers(run, tmp_path):
    """The print file's pages of one copy, as a PDF of their own, parse to what was pre-filled."""
    form, copies, result = run
    with pikepdf.open(result.output) as pdf:
        one = pikepdf.new()
        # copy 1: the cover is page 1, its empty back page 2, then the form's pages
        one.pages.extend(pdf.pages[2 : 2 + len(build_layout(form, "sv").pages)])
        one.save(tmp_path / "copy1.pdf")
    response = parse(tmp_path / "copy1.pdf")
    assert response.source["kind"] == "flattened"
    assert response.serial == copies[0].serial
    assert response.answers == blank_answers(form) | copies[0].answers


def test_split_copies_are_fillable_and_carry_their_serial(run):
    form, copies, result = run
    for copy in copies:
        path = result.split_dir / f"{copy.serial}.pdf"
        response = parse(path)
        assert response.source["kind"] == "acroform"
        assert response.serial == copy.serial and response.language == copy.language
        assert response.answers == blank_answers(form) | copy.answers


@pytest.mark.parametrize("reader", list(READERS))
def test_prefilled_copy_shows_its_values_in_every_viewer(run, reader):
    form, copies, result = run
    program = READERS[reader]
    need(program)
    copy = copies[0]
    values = answers_to_fields(form, copy.answers, copy.language)
    seen = program.run(
        (result.split_dir / f"{copy.serial}.pdf").read_bytes(), build_layout(form, copy.language)
    )
    for name, value in values.items():
        if value not in (None, False):
            assert seen.get(name) == value, name
        else:
            assert seen.get(name) in (None, False), name


# --------------------------------------------------------------------------- command line


def test_cli_copies_writes_the_run_and_its_ledger(tmp_path):
    out = tmp_path / "run.pdf"
    result = CliRunner().invoke(
        main, ["generate", str(FORM_FILES["unit"]), "--copies", "3", "--lang", "en", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "3 copies, 12 pages" in result.stderr
    with open(out.with_suffix(".ledger.csv"), encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len({r["serial"] for r in rows}) == 3 and {r["language"] for r in rows} == {"en"}


def test_cli_respondents_with_languages_cover_and_split(tmp_path):
    people = tmp_path / "patienter.csv"
    people.write_text(
        "namn;language;datum\nÅsa Öberg;sv;2026-12-01\nBo Ek;en;\n", encoding="utf-8-sig"
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
            "--split",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    with open(out.with_suffix(".ledger.csv"), encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["csv_line"], r["language"]) for r in rows] == [("2", "sv"), ("3", "en")]
    first = parse(out.with_suffix("") / rows[0]["file"])
    assert first.answers["datum"] == "2026-12-01" and first.language == "sv"
    assert parse(out.with_suffix("") / rows[1]["file"]).language == "en"


@pytest.mark.parametrize(
    "csv_text,fragment",
    [
        ("namn,fast_vardkontak\nÅsa,ja\n", "patienter.csv:1: column 'fast_vardkontak'"),
        (
            "namn,fast_vardkontakt\nÅsa,ja\nBo,kanske\n",
            "patienter.csv:3: column 'fast_vardkontakt'",
        ),
    ],
)
def test_cli_bad_csv_is_refused_with_its_line_and_nothing_written(tmp_path, csv_text, fragment):
    people = tmp_path / "patienter.csv"
    people.write_text(csv_text, encoding="utf-8")
    cover = tmp_path / "brev.txt"
    cover.write_text(COVER, encoding="utf-8")
    out = tmp_path / "run.pdf"
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
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert "nothing was written" in result.stderr
    assert sorted(tmp_path.iterdir()) == sorted([people, cover])  # no PDF, no ledger


def test_cli_fill_and_flatten(tmp_path, blank_pdf, forms):
    form_pdf = tmp_path / "blank.pdf"
    form_pdf.write_bytes(blank_pdf("patient", "sv"))
    answers = {
        "viktigast_nu": "Att få vara ute – varje dag.\nOch läsa.",
        "nasta_steg": "delvis",
        "kontaktvagar": ["telefon", "other"],
        "kontaktvagar__other_text": "Brev",
    }
    (tmp_path / "a.json").write_text(json.dumps({"answers": answers}), encoding="utf-8")
    expected = blank_answers(forms["patient"]) | answers
    for extra, kind in (([], "acroform"), (["--flatten"], "flattened")):
        out = tmp_path / f"out-{kind}.pdf"
        result = CliRunner().invoke(
            main, ["fill", str(form_pdf), str(tmp_path / "a.json"), "-o", str(out), *extra]
        )
        assert result.exit_code == 0, result.output
        response = parse(out)
        assert response.source["kind"] == kind and response.answers == expected
    (tmp_path / "bad.json").write_text('{"nasta_steg": "kanske"}', encoding="utf-8")
    result = CliRunner().invoke(
        main, ["fill", str(form_pdf), str(tmp_path / "bad.json"), "-o", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 2 and "'kanske' is not one of" in result.stderr
    assert not (tmp_path / "x.pdf").exists()
