"""Text our fonts cannot draw is refused where it enters, never printed as boxes or '?'.

Issue 13: `validate` said ok for Arabic and for Northern Sami's č đ ŋ ŧ, and
the printed form showed squares. Every text that gets drawn is checked: the
definition's texts in every language, the respondents CSV's printed cells, the
cover letter and `pdfforms fill`'s values. Issue 15: the page text is drawn in
embedded Noto fonts chosen per language (layout edition 2), which draw Sami and
Ukrainian too; a definition's text is checked against its language's fonts,
while what goes into a field, the small print and cover letters are still
Windows-1252 (pdfforms/printable.py says how that was measured). These tests
hold it against reportlab and poppler, and make sure that all Swedish, Finnish
and German letters and the typographic characters of the shipped forms pass.
"""

from __future__ import annotations

import io
import json
import subprocess
import unicodedata

import pdfplumber
import pytest
from click.testing import CliRunner
from reportlab.pdfbase.pdfmetrics import getFont, unicode2T1

from pdfforms.cli import main
from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.fill import FillError, fill_pdf
from pdfforms.generate.overlay import pdf_text
from pdfforms.generate.printrun import Copy, PrintRunError, print_run
from pdfforms.generate.render import generate, render
from pdfforms.generate.respondents import RespondentsError, read_respondents
from pdfforms.model import printable
from pdfforms.model.definition import DefinitionError, parse_definition
from pdfforms.model.layout import build_layout
from pdfforms.model.rules import blank_answers
from pdfforms.model.serials import new_serials
from pdfforms.parse.file import parse

from .conftest import DEFINITIONS, FORM_FILES, require_program
from .test_definitions import SOURCE, add, alter, line_of
from .test_fonts import _page_fonts

ARABIC = "مرحبا"
SAMI = "Dearvva čáđa ŋ ŧ šž"  # š ž á are in Windows-1252; č đ ŋ ŧ are not
UKRAINIAN = "Привіт, ї"
TIGRINYA = "ሰላም"  # Ethiopic: no font of ours has it
SAMPLES = {"arabic": ARABIC, "sami": SAMI, "ukrainian": UKRAINIAN, "tigrinya": TIGRINYA}
REFUSED = {  # in a field, the small print and cover letters (Windows-1252)
    "arabic": "م ر ح ب ا".split(),
    "sami": ["č", "đ", "ŋ", "ŧ"],
    "ukrainian": ["П", "р", "и", "в", "і", "т", "ї"],
    "tigrinya": ["ሰ", "ላ", "ም"],
}
# in the page text of a Swedish or English form (Noto Sans: Latin, Cyrillic, Greek)
DRAWN_ON_PAGE = {"sami", "ukrainian"}
# Everything the Nordic and German forms write, and the typography of the shipped ones
WESTERN = "ÅÄÖåäö ÆØæø Üü ß éèêëÉ áàâ íìîï óòôõ úùû ñ ç ÿ – — “ ” ‘ ’ „ … € • « » ½ ° § š ž"


def _named(ch: str) -> str:
    return f"'{ch}' (U+{ord(ch):04X} {unicodedata.name(ch)})"


def _check_names(message: str, sample: str) -> None:
    """The message names every refused character of the sample, and no other."""
    listed = message.split("cannot be printed: ", 1)[1]
    for ch in REFUSED[sample]:
        assert _named(ch) in listed, (ch, message)
    for ch in sample_allowed(sample):
        assert f"'{ch}'" not in listed, (ch, message)


def sample_allowed(sample: str) -> list[str]:
    return [ch for ch in SAMPLES[sample] if ch not in REFUSED[sample] and not ch.isspace()]


# --------------------------------------------------------------------------- one home


def test_the_one_home_agrees_with_what_reportlab_draws_in_helvetica():
    """printable.py's set is exactly the characters reportlab draws in Helvetica and
    Helvetica-Bold for the page text (the rest become ZapfDingbats squares)."""
    for name in ("Helvetica", "Helvetica-Bold"):
        font = getFont(name)
        fonts = [font, *font.substitutionFonts]
        for code in range(0x20, 0x3000):
            ch = chr(code)
            drawn = unicode2T1(ch, fonts)[0][0] is font
            assert (printable.unprintable(ch) == []) == drawn, (name, hex(code))


def test_western_letters_and_typography_pass_and_others_are_named():
    assert printable.unprintable(WESTERN) == []
    for sample in SAMPLES:
        assert printable.unprintable(SAMPLES[sample]) == REFUSED[sample]
    assert printable.unprintable("a\tb\nc\r\n") == []
    assert printable.unprintable("a\x00b\x7f") == ["\x00", "\x7f"]
    combining = printable.describe(printable.unprintable("a\u0301"))  # á typed as a + ´
    assert "U+0301 COMBINING ACUTE ACCENT" in combining and "accented letter" in combining


def test_the_last_guard_refuses_rather_than_drawing_a_question_mark():
    assert pdf_text("Åsa – “(ja)” €") == "Åsa – “\\(ja\\)” €".encode("cp1252")
    with pytest.raises(printable.UnprintableError, match=r"U\+014B LATIN SMALL LETTER ENG"):
        pdf_text("ŋ")


# --------------------------------------------------------------------------- definitions

PLACES = {
    # place: (text with {bad} where the sample goes, marker on the fault's line, what the
    # fault names)
    "form title": (
        alter('title: {sv: "Titel", en: "Title"}', 'title: {sv: "Titel", en: "T {bad}"}'),
        'en: "T ',
        ["form: 'title' in 'en'"],
    ),
    "form intro": (
        alter("option_sets:", 'intro: "I {bad}"\noption_sets:'),
        'intro: "I ',
        ["form: 'intro' (every language)"],
    ),
    "section title": (
        alter('title: {sv: "Första delen", en: "Part one"}', 'title: {sv: "F {bad}", en: "P"}'),
        'sv: "F ',
        ["section 'forsta': 'title' in 'sv'"],
    ),
    "section intro": (
        alter(
            '    title: {sv: "Första delen"', '    intro: "S {bad}"\n    title: {sv: "Första delen"'
        ),
        'intro: "S ',
        ["section 'forsta': 'intro' (every language)"],
    ),
    "option set label": (
        alter(
            '{value: nej, label: {sv: "Nej", en: "No"}}',
            '{value: nej, label: {sv: "Nej",\n        en: "N {bad}"}}',
        ),
        'en: "N ',
        ["option set 'jnv', option 'nej': 'label' in 'en'"],
    ),
    "label": (
        add('- id: x\n  type: text\n  label:\n    sv: "X"\n    en: "L {bad}"\n'),
        'en: "L ',
        ["question 'x': 'label' in 'en'"],
    ),
    "help": (
        add('- id: x\n  type: text\n  label: X\n  help: {sv: "H {bad}", en: "Help"}\n'),
        'help: {sv: "H ',
        ["question 'x': 'help' in 'sv'"],
    ),
    "inline option": (
        add(
            '- id: x\n  type: single\n  label: X\n  options:\n    - {value: a, label: "O {bad}"}\n'
        ),
        'label: "O ',
        ["question 'x', option 'a': 'label' (every language)"],
    ),
    "other": (
        add(
            "- id: x\n  type: multiple\n  label: X\n  options: jnv\n"
            '  other: {sv: "A {bad}", en: "Other"}\n'
        ),
        'other: {sv: "A ',
        ["question 'x': 'other' in 'sv'"],
    ),
    "scale labels and na": (
        add(
            "- id: x\n  type: scale\n  label: X\n  min: 1\n  max: 5\n"
            '  min_label: {sv: "Lite", en: "Mn {bad}"}\n'
            '  na: {value: vet_inte, label: "Na {bad}"}\n'
        ),
        'en: "Mn ',
        ["question 'x': 'min_label' in 'en'", "question 'x', na, option 'vet_inte': 'label'"],
    ),
    "grid row": (
        add(
            "- id: x\n  type: grid\n  label: X\n  options: jnv\n  rows:\n"
            '    - {id: r, label: {sv: "R {bad}", en: "Row"}}\n'
        ),
        'sv: "R ',
        ["question 'x', row 'r': 'label' in 'sv'"],
    ),
    "info text": (
        add('- id: x\n  type: info\n  text: {sv: "Text", en: "Inf {bad}"}\n'),
        'en: "Inf ',
        ["question 'x': 'text' in 'en'"],
    ),
    "dropdown option": (
        add(
            "- id: x\n  type: dropdown\n  label: X\n  options:\n"
            '    - {value: AB, label: "D {bad}"}\n'
        ),
        'label: "D ',
        ["question 'x', option 'AB': 'label' (every language)"],
    ),
}


@pytest.mark.parametrize("sample", list(SAMPLES))
@pytest.mark.parametrize("place", list(PLACES))
def test_every_drawn_text_of_a_definition_is_checked(place, sample):
    template, marker, wheres = PLACES[place]
    text = template.replace("{bad}", SAMPLES[sample])
    in_field = place == "dropdown option"  # the viewer draws it in the fields' font
    if sample in DRAWN_ON_PAGE and not in_field:
        form, faults = parse_definition(text, SOURCE, printable=True)
        assert faults == [] and form.print_faults == [], "\n".join(map(str, faults))
        return
    form, faults = parse_definition(text, SOURCE, printable=True)
    assert form is None
    assert len(faults) == len(wheres), "\n".join(map(str, faults))
    assert faults[0].line == line_of(text, marker), str(faults[0])
    font = "Windows-1252" if in_field else "(Noto Sans)"
    for fault, where in zip(faults, wheres, strict=True):
        assert fault.message.startswith(where), fault.message
        assert "cannot be printed" in fault.message and font in fault.message
        _check_names(fault.message, sample)
    # read to parse returned copies, the same text is a form that remembers its faults
    form, faults = parse_definition(text, SOURCE)
    assert faults == [] and [str(f) for f in form.print_faults] == [
        str(f) for f in parse_definition(text, SOURCE, printable=True)[1]
    ]


def test_unprintable_texts_are_listed_with_the_other_faults_in_one_pass():
    text = alter('title: {sv: "Titel", en: "Title"}', f'title: {{sv: "Titel", en: "{ARABIC}"}}')
    text = add(
        "- id: x\n  type: singel\n  label: X\n",
        f'- id: y\n  type: text\n  label: {{sv: "{TIGRINYA}", en: "{UKRAINIAN} {ARABIC}"}}\n',
        text=text,
    )
    form, faults = parse_definition(text, SOURCE, printable=True)
    assert form is None
    lines = [str(f) for f in faults]
    assert [f.line for f in faults] == sorted(f.line for f in faults)
    assert len(lines) == 4, "\n".join(lines)
    assert "unknown type 'singel'" in lines[1]
    assert "form: 'title' in 'en'" in lines[0] and _named("م") in lines[0]
    assert "question 'y': 'label' in 'sv'" in lines[2] and _named("ሰ") in lines[2]
    assert "question 'y': 'label' in 'en'" in lines[3] and _named("ب") in lines[3]
    assert "'ї'" not in lines[3]  # Noto Sans draws Ukrainian


def test_western_letters_and_typography_validate_and_are_drawn(tmp_path):
    """Every letter people write in Swedish, Finnish and German forms, and – “ ” … €,
    pass validate and come out of the PDF as written (poppler's pdftotext reads it)."""
    require_program("pdftotext")
    path = tmp_path / "western.yaml"
    path.write_text(
        add(f'- id: x\n  type: text\n  label: "{WESTERN}"\n  help: "{WESTERN}"\n'),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "western.pdf"
    result = CliRunner().invoke(main, ["generate", str(path), "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    words = set(text.split())
    assert set(WESTERN.split()) <= words, sorted(set(WESTERN.split()) - words)
    assert "■" not in text


@pytest.mark.parametrize("path", [DEFINITIONS / "patient.yaml", DEFINITIONS / "unit.yaml"])
def test_the_shipped_forms_have_nothing_unprintable(path):
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0 and result.stdout == ""


def test_sami_and_ukrainian_validate_and_are_drawn(tmp_path):
    """Noto Sans draws č đ ŋ ŧ and Cyrillic: they pass validate and come out of the
    PDF as written (poppler's pdftotext reads it), no boxes."""
    require_program("pdftotext")
    path = tmp_path / "sami.yaml"
    text = add(f'- id: x\n  type: text\n  label: {{sv: "{SAMI}", en: "{UKRAINIAN}"}}\n')
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0 and result.stdout == "", result.output
    for lang, sample in (("sv", SAMI), ("en", UKRAINIAN)):
        out = tmp_path / f"{lang}.pdf"
        result = CliRunner().invoke(main, ["generate", str(path), "--lang", lang, "-o", str(out)])
        assert result.exit_code == 0, result.output
        drawn = subprocess.run(
            ["pdftotext", "-layout", str(out), "-"], capture_output=True, check=True
        ).stdout.decode("utf-8")
        assert sample in drawn and "■" not in drawn


def test_validate_and_generate_refuse_with_file_line_and_characters(tmp_path):
    path = tmp_path / "tigrinya.yaml"
    text = add(f'- id: x\n  type: text\n  label: {{sv: "Namn", en: "{TIGRINYA}"}}\n')
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    assert line.startswith(f"{path}:{line_of(text, TIGRINYA)}: question 'x': 'label' in 'en'")
    _check_names(line, "tigrinya")
    out = tmp_path / "tigrinya.pdf"
    result = CliRunner().invoke(main, ["generate", str(path), "-o", str(out)])
    assert result.exit_code == 2
    assert line in result.stderr and "Traceback" not in result.output
    assert not out.exists()


def _form_read_back(text: str):
    """A definition as a reader loads it: unprintable texts kept as print faults."""
    form, faults = parse_definition(text, SOURCE)
    assert faults == [] and form.print_faults
    return form


def test_the_api_refuses_to_print_a_form_loaded_for_reading(tmp_path):
    form = _form_read_back(add(f'- id: x\n  type: text\n  label: "{ARABIC}"\n'))
    with pytest.raises(DefinitionError, match="cannot be printed"):
        generate(form, "sv")
    with pytest.raises(DefinitionError, match="cannot be printed"):
        print_run(form, [Copy(new_serials(1)[0], "sv")], tmp_path / "run.pdf")
    assert list(tmp_path.iterdir()) == []


def test_copies_printed_before_the_check_are_still_read(tmp_path):
    """A form printed from such a definition by an older version came back: its
    embedded definition is still read (the boxes were on paper, the answers count)."""
    text = add(f'- id: x\n  type: text\n  label: {{sv: "Namn", en: "{TIGRINYA}"}}\n')
    form = _form_read_back(text)
    answers = blank_answers(form) | {"roker": True, "namn": "Åsa"}
    data = render(form, build_layout(form, "en"))  # what generate used to write
    path = tmp_path / "returned.pdf"
    path.write_bytes(fill_pdf(data, answers_to_fields(form, answers, "en")))
    response = parse(path)
    assert response.form_id == "test-form" and response.answers == answers


# --------------------------------------------------------------------------- print runs


COVER = "# Hej {namn}!\n\nVi vill veta vad som är viktigt för dig – “på riktigt”.\n"


def test_respondents_cells_that_are_printed_are_checked(tmp_path, forms):
    """Pre-filled values are drawn in the values' fonts (Latin, Greek, Cyrillic; Arabic):
    Sami, Ukrainian and Arabic print, Ethiopic and Arabic mixed with Cyrillic do not; a
    cover letter's values are in the small print's WinAnsi font."""
    path = tmp_path / "patienter.csv"
    path.write_text(
        "namn;language;viktigast_nu;kontaktvagar;kontaktvagar__other_text;datum\n"
        f"Áile Čáhppes;sv;Att {SAMI};telefon;;2026-12-01\n"
        f"Åsa Öberg – “Åsa”;en;Ärtsoppa … €;;{UKRAINIAN};\n"
        f"Bo;sv;{ARABIC};;{TIGRINYA};\n"
        f"{ARABIC};sv;{ARABIC} {UKRAINIAN};;;\n",
        encoding="utf-8",
    )
    with pytest.raises(RespondentsError) as info:
        read_respondents(path, forms["patient"], "sv", {"namn"})
    faults = info.value.faults
    assert [f.split(": column ")[0] for f in faults] == [f"{path}:{n}" for n in (2, 4, 5, 5)]
    assert [f.split("column '")[1].split("'")[0] for f in faults] == [
        "namn",
        "kontaktvagar__other_text",
        "namn",
        "viktigast_nu",
    ]
    assert _named("Č") in faults[0] and "'á'" not in faults[0]  # a cover letter's value
    _check_names(faults[1], "tigrinya")
    _check_names(faults[2], "arabic")
    assert "the values' font has Arabic and Latin letters" in faults[3]
    assert all(_named(ch) in faults[3] for ch in "Привіт")


def test_cli_lists_cover_letter_and_csv_faults_together_and_writes_nothing(tmp_path):
    people = tmp_path / "patienter.csv"
    people.write_text("namn;language\nÁile Čáhppes;sv\nBo Ek;en\n", encoding="utf-8")
    cover = tmp_path / "brev.txt"
    cover.write_text(COVER + f"\nBuorre beaivi – {SAMI}\n", encoding="utf-8")
    out = tmp_path / "run.pdf"
    args = ["generate", str(FORM_FILES["patient"]), "--respondents", str(people)]
    result = CliRunner().invoke(main, [*args, "--cover", str(cover), "-o", str(out)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{cover}:5: the cover letter cannot be printed")
    _check_names(lines[0], "sami")
    assert lines[1].startswith(f"{people}:2: column 'namn': 'Áile Čáhppes' cannot be printed")
    assert "nothing was written" in lines[-1] and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brev.txt", "patienter.csv"]


def test_cli_refuses_a_cover_letter_that_cannot_be_printed_without_respondents(tmp_path):
    cover = tmp_path / "brev.txt"
    cover.write_text(f"# {UKRAINIAN}\n\nHej!\n", encoding="utf-8")
    out = tmp_path / "run.pdf"
    result = CliRunner().invoke(
        main,
        [
            "generate",
            str(FORM_FILES["unit"]),
            "--copies",
            "2",
            "--cover",
            str(cover),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{cover}:1: the cover letter cannot be printed")
    assert not out.exists()


def test_print_run_api_checks_every_copy_before_writing(tmp_path, forms):
    form = forms["patient"]
    serials = new_serials(3)
    copies = [
        Copy(serials[0], "sv", {"viktigast_nu": "Att gå – “ut” …"}, {"namn": "Åsa"}, 2),
        Copy(serials[1], "en", {"viktigast_nu": TIGRINYA}, {"namn": "Bo"}, 3),
        Copy(serials[2], "sv", {"viktigast_nu": SAMI}, {"namn": ARABIC}, 4),
    ]
    with pytest.raises(PrintRunError) as info:
        print_run(form, copies, tmp_path / "run.pdf", cover=COVER)
    faults = info.value.faults
    assert len(faults) == 2
    assert faults[0].startswith(f"copy {serials[1]} (line 3): field viktigast_nu:")
    _check_names(faults[0], "tigrinya")
    assert faults[1].startswith(f"copy {serials[2]} (line 4): cover letter's {{namn}}:")
    _check_names(faults[1], "arabic")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(PrintRunError, match=r"cover letter:1: the cover letter cannot"):
        print_run(form, copies[:1], tmp_path / "run.pdf", cover=f"Hej {UKRAINIAN}")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- fill


def test_fill_refuses_a_value_its_appearance_cannot_draw(blank_pdf):
    with pytest.raises(FillError) as info:
        fill_pdf(
            blank_pdf("all_types", "sv"),
            {
                "namn": TIGRINYA,
                "beskrivning": f"Åsa – “ja” … {SAMI} {UKRAINIAN}",
                "roker": "yes",
                "hur_mycket__other_text": f"{ARABIC} {UKRAINIAN}",
            },
        )
    message = str(info.value)
    assert message.startswith("field namn:") and "field hur_mycket__other_text:" in message
    assert "beskrivning" not in message
    _check_names(message.split("; ")[0], "tigrinya")


@pytest.mark.parametrize("lang", ["sv", "uk", "se", "ar"])
def test_fill_draws_sami_ukrainian_and_arabic_values(blank_pdf, lang):
    """Values in the letters of the shipped languages are drawn, in an embedded font
    whose text map gives them back: a flattened copy reads as filled."""
    from pdfforms.generate.fill import flatten_pdf

    values = {"viktigast_nu": f"{SAMI}\n{UKRAINIAN}", "bra_dag": ARABIC}
    filled = fill_pdf(blank_pdf("patient", lang), values)
    flat = flatten_pdf(filled)
    used = _page_fonts(filled)
    assert [base for base, embedded in used.items() if not embedded] == []
    assert {"/TypedSanspdfforms-Regular", "/NotoSansArabicTypedpdfforms-Regular"} <= set(used)
    with pdfplumber.open(io.BytesIO(flat)) as pdf:
        text = "".join(p.extract_text() for p in pdf.pages)
    assert SAMI in text and UKRAINIAN in text


def test_cli_fill_refuses_it_naming_the_question_and_writes_nothing(tmp_path, blank_pdf):
    form_pdf = tmp_path / "blank.pdf"
    form_pdf.write_bytes(blank_pdf("patient", "sv"))
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"viktigast_nu": TIGRINYA, "nasta_steg": "ja"}), encoding="utf-8")
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["fill", str(form_pdf), str(answers), "-o", str(out)])
    assert result.exit_code == 2
    [line, summary] = result.stderr.splitlines()  # a line per fault, as for every fault
    assert line.startswith(f"{answers}: question 'viktigast_nu': ")
    assert summary == f"pdfforms: {answers}: 1 fault(s) in the answers; nothing was written"
    _check_names(line, "tigrinya")
    assert not out.exists()
