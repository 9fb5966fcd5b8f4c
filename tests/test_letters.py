"""Cover letters from the definition (`letter:`): in each copy's language, with the
sender, the date and the recipient's address where a window envelope shows it; and
the address, which is personal data, nowhere but on the letter."""

from __future__ import annotations

import csv
import datetime
import io
import shutil

import pdfplumber
import pikepdf
import pytest
import zxingcpp
from click.testing import CliRunner

from pdfforms.cli import main
from pdfforms.generate import letter as letters
from pdfforms.generate.printrun import plan_run, print_run
from pdfforms.model.definition import load_form, parse_definition
from pdfforms.model.identity import parse_qr
from pdfforms.model.layout import build_layout
from pdfforms.testing.scans import draw_pages

from .conftest import TEST_FORMS

LETTER_FORM = TEST_FORMS / "letters" / "brev.yaml"
MM = 72 / 25.4
HEADER = ["namn", "c/o", "adress", "postnummer", "ort", "language", "nojd"]
PEOPLE = [
    ["Åsa Öberg", "", "Kvarngatan 12 B", "555 66", "Sorsele", "sv", "ja"],
    ["Bo Ek", "Lena Ek", "Fjällvägen 3", "987 65", "Tärnaby", "en", ""],
    ["Örjan Åkesson", "", "Kyrkvägen 7", "111 22", "Hemavan", "sv", "nej"],
]
# none of it in the definition, which every copy carries (its sender's address)
PERSONAL = ["Öberg", "Kvarngatan", "555 66", "Sorsele", "Lena Ek", "Tärnaby", "Åkesson"]


def _csv(path, rows, header=HEADER):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(header)
        out.writerows(rows)
    return path


def _run(tmp_path, *extra, rows=PEOPLE, header=HEADER):
    people = _csv(tmp_path / "people.csv", rows, header)
    out = tmp_path / "utskick.pdf"
    args = ["generate", str(LETTER_FORM), "--respondents", str(people), "-o", str(out)]
    return CliRunner().invoke(main, [*args, *extra]), out


def _ledger(out) -> list[dict]:
    with open(out.with_suffix(".ledger.csv"), encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _first_pages(out) -> list[str]:
    """The text of each copy's first page (its letter, if it has one)."""
    rows = _ledger(out)
    with pdfplumber.open(out) as pdf:
        return [pdf.pages[int(r["pages"].split("-")[0]) - 1].extract_text() for r in rows]


def test_each_copy_gets_the_definitions_letter_in_its_language(tmp_path):
    result, out = _run(tmp_path)
    assert result.exit_code == 0, result.output
    sv, en, sv2 = _first_pages(out)
    assert "Hej Åsa Öberg!" in sv and "Dear" not in sv
    assert "Frågor om din vård" in sv  # the subject
    assert "Dear Bo Ek," in en and "Hej" not in en
    assert "Questions about your care" in en
    assert "Hej Örjan Åkesson!" in sv2
    # the sender in the copy's language, the date as the language writes it
    assert "Vårdcentralen Norrfjäll" in sv and "Kontaktperson: Anna Andersson" in sv
    assert "Norrfjäll Health Centre" in en and "Contact: Anna Andersson" in en
    assert "3 december 2026" in sv and "3 December 2026" in en
    # the address block: name, c/o, street, postcode and town
    assert _blocks(out) == [
        "Åsa Öberg\nKvarngatan 12 B\n555 66 Sorsele",
        "Bo Ek\nc/o Lena Ek\nFjällvägen 3\n987 65 Tärnaby",
        "Örjan Åkesson\nKyrkvägen 7\n111 22 Hemavan",
    ]


def _blocks(out) -> list[str]:
    """What each copy's letter has left of the date and below the sender: the
    address block's place."""
    rows = _ledger(out)
    with pdfplumber.open(out) as pdf:
        return [
            pdf.pages[int(r["pages"].split("-")[0]) - 1]
            .crop((0, 40 * MM, 110 * MM, 85 * MM))
            .extract_text()
            for r in rows
        ]


def test_the_letters_date_is_the_runs_unless_the_definition_fixes_it(tmp_path):
    text = LETTER_FORM.read_text(encoding="utf-8").replace('  date: "2026-12-03"\n', "")
    (tmp_path / "brev.yaml").write_text(text, encoding="utf-8")
    shutil.copy(LETTER_FORM.parent / "logo.png", tmp_path / "logo.png")
    form = load_form(tmp_path / "brev.yaml")
    people = _csv(tmp_path / "people.csv", PEOPLE[:2])
    run, cover = plan_run(form, "sv", respondents=people)
    out = tmp_path / "run.pdf"
    print_run(form, run, out, cover=cover, today=datetime.date(2027, 1, 5))
    with pdfplumber.open(out) as pdf:
        assert "5 januari 2027" in pdf.pages[0].extract_text()
        # each copy: a letter, its empty back, the form's page and a blank pad
        assert "5 January 2027" in pdf.pages[4].extract_text()


@pytest.mark.parametrize(
    "lang,written",
    [("sv", "3 december 2026"), ("en", "3 December 2026"), ("fi", "3. joulukuuta 2026")],
)
def test_a_date_as_the_language_writes_it(lang, written):
    assert letters.letter_date(datetime.date(2026, 12, 3), lang) == written


def test_a_language_without_month_names_gets_the_iso_date():
    assert letters.letter_date(datetime.date(2026, 5, 1), "uk") == "2026-05-01"


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_the_address_block_sits_inside_the_envelopes_window(tmp_path, large):
    """C5 (A4 folded once) and C4 left windows: 15 mm from the left, 44 mm (C5) and
    42 mm (C4) from the top, 35 and 40 mm high, 105 and 100 mm wide (generate/letter.py
    cites where these come from). The drawn block lies inside both, with room for the
    sheet to slide 3 mm in the envelope; nothing else of the letter shows there."""
    result, out = _run(tmp_path, *(["--large-print"] if large else []))
    assert result.exit_code == 0, result.output
    window = (15 * MM, 44 * MM, 15 * MM + 100 * MM, 44 * MM + 35 * MM)  # both windows
    slide = 3 * MM
    starts = [int(r["pages"].split("-")[0]) - 1 for r in _ledger(out)]
    with pdfplumber.open(out) as pdf:
        for index in starts[:2]:  # a letter without c/o, and one with it
            page = pdf.pages[index]
            words = page.extract_words()
            inside = [
                w
                for w in words
                if w["x1"] > window[0] and w["x0"] < window[2]
                if w["bottom"] > window[1] and w["top"] < window[3]
            ]
            block = [w for w in words if w["x0"] < 110 * MM and 40 * MM < w["top"] < 85 * MM]
            assert inside == block and block
            assert min(w["x0"] for w in block) >= window[0] + slide
            assert max(w["x1"] for w in block) <= window[2] - slide
            assert min(w["top"] for w in block) >= window[1] + slide
            assert max(w["bottom"] for w in block) <= window[3] - slide
            assert " ".join(w["text"] for w in block).startswith(("Åsa", "Bo Ek"))


def test_the_address_is_personal_data_kept_off_ledger_copy_and_qr_code(tmp_path):
    """The address columns reach the letter page and nothing else: not the ledger,
    not the copy's fields or document information, not a form page, not a QR code."""
    result, out = _run(tmp_path, "--split")
    assert result.exit_code == 0, result.output
    form = load_form(LETTER_FORM)
    ledger = out.with_suffix(".ledger.csv").read_text(encoding="utf-8-sig")
    assert not [p for p in PERSONAL if p in ledger]
    rows = _ledger(out)
    for row in rows:
        with pikepdf.open(out.with_suffix("") / f"{row['serial']}.pdf") as pdf:
            seen = [str(v) for v in pdf.docinfo.values()]
            seen += [str(f.get("/V", "")) for f in pdf.Root.AcroForm.Fields]
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    seen.append(obj.read_bytes().decode("latin-1"))
        assert not [p for p in PERSONAL if any(p in s for s in seen)]
    images = draw_pages(out.read_bytes(), dpi=150)
    with pdfplumber.open(out) as pdf:
        for row in rows:
            first, last = map(int, row["pages"].split("-"))
            for index in range(first, last):  # every page after the letter
                assert not [p for p in PERSONAL if p in (pdf.pages[index].extract_text())]
            pages = len(build_layout(form, row["language"]).pages)
            for index in range(first + 1, first + 1 + pages):  # after the letter and its back
                codes = zxingcpp.read_barcodes(images[index])
                assert codes and all(parse_qr(c.text).serial == row["serial"] for c in codes)
                assert not [p for p in PERSONAL if any(p in c.text for c in codes)]


def test_a_personal_address_column_is_refused_for_the_ledger(tmp_path):
    for column in ("namn", "c/o", "adress", "postnummer", "ort"):
        result, out = _run(tmp_path, "--ledger-column", column)
        assert result.exit_code != 0, column
        assert "personal" in result.stderr and not out.exists()


def test_missing_address_parts_are_faults_named_before_anything_is_written(tmp_path):
    rows = [list(r) for r in PEOPLE]
    rows[1][4] = ""  # no town
    rows[2][0] = ""  # no name
    result, out = _run(tmp_path, rows=rows)
    assert result.exit_code != 0
    assert "people.csv:3: column 'ort' is empty; the letter's address block needs it" in (
        result.stderr
    )
    assert "people.csv:4: column 'namn' is empty" in result.stderr
    assert not out.exists() and not out.with_suffix(".ledger.csv").exists()
    # a missing column
    header = [h for h in HEADER if h != "postnummer"]
    rows = [[c for h, c in zip(HEADER, r, strict=True) if h != "postnummer"] for r in PEOPLE]
    result, out = _run(tmp_path, rows=rows, header=header)
    assert result.exit_code != 0 and "but not postnummer" in result.stderr
    assert not out.exists()


def test_an_address_line_wider_than_the_window_is_a_fault(tmp_path):
    rows = [list(r) for r in PEOPLE]
    rows[0][2] = "Långa vägen till det gamla vackra huset vid sjöns norra strand 12"
    result, out = _run(tmp_path, rows=rows)
    assert result.exit_code != 0
    assert "people.csv:2: the address line" in result.stderr and "too long" in result.stderr
    assert not out.exists()


def test_a_run_without_address_columns_prints_letters_without_the_block(tmp_path):
    header = ["namn", "language"]
    result, out = _run(tmp_path, rows=[["Åsa Öberg", "sv"]], header=header)
    assert result.exit_code == 0, result.output
    (text,) = _first_pages(out)
    assert "Hej Åsa Öberg!" in text and "3 december 2026" in text
    assert _blocks(out) == [""]


def test_a_copy_whose_language_has_no_letter_is_refused(tmp_path):
    rows = [*PEOPLE, ["Olena Koval", "", "Skolgatan 1", "123 45", "Norrfjäll", "uk", ""]]
    result, out = _run(tmp_path, rows=rows)
    assert result.exit_code != 0
    assert "1 copies are in 'uk', and the definition's letter (letter:) has no text" in (
        result.stderr
    )
    assert not out.exists()


def test_a_cover_file_replaces_the_definitions_text_for_its_language(tmp_path):
    (tmp_path / "brev.txt").write_text("Hej igen {namn}!", encoding="utf-8")
    result, out = _run(tmp_path, "--cover", f"sv={tmp_path / 'brev.txt'}")
    assert result.exit_code == 0, result.output
    sv, en, _ = _first_pages(out)
    assert "Hej igen Åsa Öberg!" in sv and "Vi vill veta" not in sv
    assert "Frågor om din vård" not in sv  # the subject is the definition text's
    assert "3 december 2026" in sv and "Kvarngatan 12 B" in sv  # the head stays
    assert "Dear Bo Ek," in en


def test_no_letter_in_a_run_of_blank_copies_or_with_no_letter(tmp_path):
    out = tmp_path / "blank.pdf"
    result = CliRunner().invoke(
        main, ["generate", str(LETTER_FORM), "--copies", "1", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    with pdfplumber.open(out) as pdf:
        assert "Hej" not in pdf.pages[0].extract_text()
        assert "Frågor om din vård" in pdf.pages[0].extract_text()  # the form's title
    header = ["language", "nojd"]
    result, out = _run(tmp_path, "--no-letter", rows=[["sv", "ja"]], header=header)
    assert result.exit_code == 0, result.output
    (text,) = _first_pages(out)
    assert "Hej" not in text and "Frågor om din vård" in text  # the form's title


def test_a_letter_too_long_for_its_page_is_a_fault(tmp_path):
    (tmp_path / "brev.txt").write_text("Hej {namn}!\n\n" + "Text.\n\n" * 40, encoding="utf-8")
    result, out = _run(tmp_path, "--cover", f"sv={tmp_path / 'brev.txt'}")
    assert result.exit_code != 0
    assert "does not fit its page below the letter head" in result.stderr
    assert not out.exists()


def test_a_letter_text_the_letters_font_cannot_draw_is_a_print_fault():
    """The letters are drawn in the overlay font (Windows-1252): a Ukrainian letter
    is refused by validate and generate, naming its line, not printed as boxes; a
    reader of copies still loads the definition."""
    text = LETTER_FORM.read_text(encoding="utf-8").replace(
        "  text:\n", "  text:\n    uk: |\n      Шановна {namn}!\n", 1
    )
    form, faults = parse_definition(text, "brev.yaml", printable=True)
    assert form is None
    line = text.splitlines().index("      Шановна {namn}!") + 1
    assert [f.line for f in faults] == [line]
    assert "letter: 'text' in 'uk'" in faults[0].message
    assert "Western European letters only" in faults[0].message
    form, faults = parse_definition(text, "brev.yaml", printable=False)
    assert faults == [] and form.letter.text["uk"].startswith("Шановна")


def test_letter_faults_in_the_definition_are_named():
    base = LETTER_FORM.read_text(encoding="utf-8")
    bad = base.replace('  date: "2026-12-03"', '  date: "3 dec"').replace(
        '    sv: "Frågor om din vård"\n    en: "Questions about your care"\n  text:',
        '    fi: "Kysymyksiä"\n  text:',
    )
    _, faults = parse_definition(bad, "brev.yaml")
    messages = " | ".join(f.message for f in faults)
    assert "'date' must be a date YYYY-MM-DD, not '3 dec'" in messages
    assert "'fi', which is not one of the form's languages" in messages


def test_the_letter_page_is_tagged_with_the_logo_as_a_figure(tmp_path):
    from .clients.validators import page_failures, pdfua_findings

    result, out = _run(tmp_path)
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert page_failures(data) + pdfua_findings(data) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        figures = []
        todo = list(pdf.Root.StructTreeRoot.K.K)
        while todo:
            node = todo.pop(0)
            if node.get("/S") == pikepdf.Name.Figure:
                figures.append(str(node.Alt))
            todo += [k for k in node.get("/K", []) if isinstance(k, pikepdf.Dictionary)]
    assert "Vårdcentralen Norrfjälls logotyp" in figures
    assert "Norrfjäll Health Centre's logo" in figures


def test_letter_date_sets_the_letters_date_before_the_definitions(tmp_path):
    result, out = _run(tmp_path, "--letter-date", "2027-02-01")
    assert result.exit_code == 0, result.output
    sv, en, _ = _first_pages(out)
    assert "1 februari 2027" in sv and "3 december 2026" not in sv
    assert "1 February 2027" in en
    # without the definition's letter there is no letter to date
    result = CliRunner().invoke(
        main,
        [
            "generate",
            str(LETTER_FORM),
            "--copies",
            "1",
            "--letter-date",
            "2027-02-01",
            "-o",
            str(tmp_path / "blank.pdf"),
        ],
    )
    assert result.exit_code != 0 and "only printed with --respondents" in result.stderr
    assert not (tmp_path / "blank.pdf").exists()


@pytest.mark.parametrize("bad", ["Hej {namn!", "Hej {namn.upper}!", "Hej {}!", "Hej {namn:>9}!"])
def test_a_letter_placeholder_that_is_not_a_column_is_a_fault(bad):
    text = LETTER_FORM.read_text(encoding="utf-8").replace("Hej {namn}!", bad, 1)
    _, faults = parse_definition(text, "brev.yaml")
    assert len(faults) == 1
    assert "letter: 'text' in 'sv'" in faults[0].message
    assert "a placeholder is a column's name in braces" in faults[0].message


def test_a_cover_file_with_a_brace_left_open_is_refused_in_one_line(tmp_path):
    """It was an unexpected error ("ValueError: unmatched '{'"), asking to be reported."""
    (tmp_path / "brev.txt").write_text("Hej {namn!\n", encoding="utf-8")
    out = tmp_path / "run.pdf"
    unit_form = TEST_FORMS.parent.parent / "form_definitions" / "unit.yaml"
    args = ["generate", str(unit_form), "--copies", "1", "--cover", str(tmp_path / "brev.txt")]
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 2
    assert f"{tmp_path / 'brev.txt'}: " in result.stderr
    assert "a placeholder is a column's name in braces" in result.stderr
    assert "please report" not in result.stderr and not out.exists()
