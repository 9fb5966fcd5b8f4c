"""XLSForm in (`pdfforms import form.xlsx`, exchange/xlsform.py): public workbooks from
pyxform's repository and one of ours in Swedish become definitions that validate,
print, fill and read back; what does not map is listed by sheet and row; bad
workbooks are one line naming the file and the sheet and row."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

import pdfforms
from pdfforms.cli import main
from pdfforms.exchange.importers import definition_yaml
from pdfforms.exchange.xlsform import XlsformError, import_xlsform
from pdfforms.generate.fields import answers_to_fields
from pdfforms.model.definition import load_form
from pdfforms.model.form import Form
from pdfforms.parse.file import parse
from pdfforms.testing.synthetic import fill_like_pypdf, synthetic_answers

DATA = Path(__file__).parent / "data" / "xlsform"


def _workbook(path: Path, survey: list[list], choices=None, settings=None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows is not None:
            other = book.create_sheet(title)
            for row in rows:
                other.append(row)
    book.save(path)
    return path


def _round_trip(tmp_path: Path, definition: dict, notes, seeds=range(2)) -> Form:
    """Write the definition, check it as validate does, print it, fill it with synthetic
    answers as a third-party script does, and read each copy back: the same answers."""
    path = tmp_path / f"{definition['form']}.yaml"
    path.write_text(definition_yaml(definition, notes, "test.xlsx"), encoding="utf-8")
    form = load_form(path)  # every fault of validate raises here
    for lang in form.languages:
        pdf = pdfforms.generate(form, lang)
        for seed in seeds:
            answers = synthetic_answers(form, random.Random(seed))
            filled = tmp_path / f"filled-{lang}-{seed}.pdf"
            filled.write_bytes(fill_like_pypdf(pdf, answers_to_fields(form, answers, lang)))
            response = parse(filled, [tmp_path])
            assert response.answers == answers, (lang, seed)
            assert response.form_id == form.id and response.language == lang
    return form


# -- a form of ours, written as an XLSForm in Swedish and English -----------------------

SURVEY = [
    [
        "type",
        "name",
        "label::Svenska (sv)",
        "label::English (en)",
        "hint::Svenska (sv)",
        "hint::English (en)",
        "required",
        "relevant",
        "constraint",
        "appearance",
        "repeat_count",
    ],
    ["note", "valkommen", "Välkommen! Svara så gott du kan.", "Welcome! Answer as best you can."],
    ["begin group", "om_dig", "Om dig", "About you"],
    [
        "integer",
        "alder",
        "Hur gammal är du?",
        "How old are you?",
        "I år",
        "In years",
        "yes",
        None,
        ". >= 0 and . <= 120",
    ],
    [
        "select_one jnv",
        "fast_kontakt",
        "Har du en fast vårdkontakt?",
        "Do you have a regular care contact?",
        None,
        None,
        "true",
    ],
    [
        "select_one yrke or_other",
        "vem",
        "Vem är det?",
        "Who is it?",
        None,
        None,
        None,
        "${fast_kontakt} = 'ja'",
    ],
    ["end group"],
    [
        "begin group",
        "hjalp",
        "Hjälp hemma",
        "Help at home",
        None,
        None,
        None,
        "${alder} >= 65 and not(${fast_kontakt} = 'nej')",
    ],
    ["select_multiple hjalp_typ", "hjalp_fran", "Vem hjälper dig?", "Who helps you?"],
    [
        "begin group",
        "mer",
        "Mer om hjälpen",
        "More about the help",
        None,
        None,
        None,
        "selected(${hjalp_fran}, 'kommun') or selected(${hjalp_fran}, 'anhorig')",
    ],
    ["date", "sedan", "Sedan när?", "Since when?"],
    [
        "text",
        "beskriv",
        "Beskriv hjälpen",
        "Describe the help",
        None,
        None,
        None,
        None,
        None,
        "multiline",
    ],
    ["end group"],
    ["end group"],
    [
        "begin repeat",
        "mediciner",
        "Dina läkemedel",
        "Your medicines",
        None,
        None,
        None,
        None,
        None,
        None,
        4,
    ],
    ["text", "namn", "Läkemedel", "Medicine"],
    ["integer", "antal", "Antal per dag", "Per day", None, None, None, None, ". >= 0"],
    ["date", "start", "Började", "Started"],
    ["calculate", "rad", None, None, None, None, None, None, None, None],
    ["end repeat"],
    [
        "decimal",
        "vikt",
        "Vikt i kg",
        "Weight in kg",
        None,
        None,
        None,
        "string-length(${valkommen}) > 0",
    ],
    ["geopoint", "plats", "Var är du?", "Where are you?"],
    [
        "text",
        "ovrigt",
        "Övrigt: vad är viktigast för dig?",
        "Anything else: what matters most?",
        None,
        None,
        None,
        "${alder} != 40",
    ],
]
CHOICES = [
    ["list_name", "name", "label::Svenska (sv)", "label::English (en)"],
    ["jnv", "ja", "Ja", "Yes"],
    ["jnv", "nej", "Nej", "No"],
    ["jnv", "vet-ej", "Vet inte", "Don't know"],
    ["yrke", "lakare", "Läkare", "Doctor"],
    ["yrke", "skoterska", "Sjuksköterska", "Nurse"],
    ["hjalp_typ", "kommun", "Hemtjänst", "Home care"],
    ["hjalp_typ", "anhorig", "Anhörig", "A relative"],
    ["hjalp_typ", "ingen", "Ingen", "Nobody"],
]
SETTINGS = [
    ["form_title", "form_id", "version", "default_language"],
    ["Hälsa och hjälp", "halsa_hjalp", 3, "Svenska (sv)"],
]


@pytest.fixture(scope="module")
def ours(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsform") / "hälsa.xlsx"
    return _workbook(path, SURVEY, CHOICES, SETTINGS)


def test_our_swedish_form_maps_type_by_type(ours):
    definition, notes = import_xlsform(ours)
    assert definition["form"] == "halsa_hjalp" and definition["version"] == "3"
    assert definition["languages"] == ["sv", "en"]
    assert definition["title"] == "Hälsa och hjälp"
    sections = {s["id"]: s for s in definition["sections"]}
    assert list(sections) == ["del_1", "om_dig", "hjalp", "del_4"]
    q = {q["id"]: q for s in definition["sections"] for q in s["questions"]}
    assert q["valkommen"]["type"] == "info"
    assert q["valkommen"]["text"] == {
        "sv": "Välkommen! Svara så gott du kan.",
        "en": "Welcome! Answer as best you can.",
    }
    assert sections["om_dig"]["title"] == {"sv": "Om dig", "en": "About you"}
    alder = q["alder"]
    assert (alder["type"], alder["decimals"], alder["min"], alder["max"]) == ("number", 0, 0, 120)
    assert alder["required"] is True and alder["help"] == {"sv": "I år", "en": "In years"}
    assert q["fast_kontakt"]["required"] is True
    assert q["fast_kontakt"]["options"] == "jnv"
    values = [o["value"] for o in definition["option_sets"]["jnv"]]
    assert values == ["ja", "nej", "vet_ej"]  # 'vet-ej' holds a character values may not
    assert q["vem"]["other"] == {"sv": "Annat, nämligen", "en": "Other, namely"}
    assert q["vem"]["enable_when"] == {"question": "fast_kontakt", "equals": "ja"}
    assert sections["hjalp"]["enable_when"] == {
        "all": [
            {"question": "alder", "at_least": 65},
            {"not": {"question": "fast_kontakt", "equals": "nej"}},
        ]
    }
    assert q["hjalp_fran"]["type"] == "multiple" and "enable_when" not in q["hjalp_fran"]
    # a group inside a section: a heading, its condition on each of its questions
    mer = {
        "any": [
            {"question": "hjalp_fran", "in": ["kommun"]},
            {"question": "hjalp_fran", "in": ["anhorig"]},
        ]
    }
    assert q["mer"] == {
        "id": "mer",
        "type": "info",
        "label": {"sv": "Mer om hjälpen", "en": "More about the help"},
        "enable_when": mer,
    }
    assert q["sedan"]["type"] == "date" and q["sedan"]["enable_when"] == mer
    assert q["beskriv"]["type"] == "textarea" and q["beskriv"]["enable_when"] == mer
    group = q["mediciner"]
    assert (group["type"], group["rows"]) == ("group", 4)
    assert [(i["id"], i["type"]) for i in group["items"]] == [
        ("namn", "text"),
        ("antal", "number"),
        ("start", "date"),
    ]
    assert group["items"][1]["min"] == 0
    assert "enable_when" not in q["vikt"]  # kept, unconditional, and listed (below)
    assert q["ovrigt"]["enable_when"] == {
        "not": {"question": "alder", "at_least": 40, "at_most": 40}
    }
    assert "plats" not in q and "rad" not in q

    with pdfforms.messages_in("en"):
        listed = [str(n) for n in notes]
    assert "survey row 22: type 'geopoint' cannot be printed on paper; left out" in listed
    assert "survey row 19: type 'calculate' cannot be printed on paper; left out" in listed
    assert any(
        n.startswith("survey row 21: relevant 'string-length(")
        and "the question is asked of everyone" in n
        for n in listed
    )
    assert "choices row 4: value 'vet-ej' becomes 'vet_ej' (letters A–Z, digits and _)" in listed
    assert len(listed) == 4, listed


def test_our_swedish_form_prints_and_reads_back(ours, tmp_path):
    definition, notes = import_xlsform(ours)
    form = _round_trip(tmp_path, definition, notes)
    assert form.languages == ["sv", "en"]
    assert form.question("mediciner").type == "group"


# -- public forms (tests/data/xlsform/README.md) -----------------------------------------


def test_pyxform_spec_test_imports_prints_and_reads_back(tmp_path):
    definition, notes = import_xlsform(DATA / "xlsform_spec_test.xlsx")
    with pdfforms.messages_in("en"):
        listed = [str(n) for n in notes]
    # Chinese has no glyphs in our fonts: left out, said, the English kept
    assert definition["languages"] == ["en"]
    assert any(n.startswith("survey: language 'zh' is left out") for n in listed)
    for row, kind in ((32, "time"), (34, "geopoint"), (36, "image"), (40, "calculate")):
        assert f"survey row {row}: type '{kind}' cannot be printed on paper; left out" in listed
    assert any(n.startswith("survey row 15: the repeat cannot become a table") for n in listed)
    ids = [q["id"] for s in definition["sections"] for q in s["questions"]]
    assert "skip_to_end" in ids and "a_integer" in ids and "date_test" in ids
    # the group 'everything' is asked unless skip_to_end is yes
    everything = next(s for s in definition["sections"] if s["id"] == "everything")
    assert everything["enable_when"] == {"not": {"question": "skip_to_end", "in": ["yes"]}}
    _round_trip(tmp_path, definition, notes)


def test_public_form_in_swahili_and_english_imports_prints_and_reads_back(tmp_path):
    definition, notes = import_xlsform(DATA / "UCL_Biomass_Plot_Form.xlsx")
    assert definition["languages"] == ["en", "sw"]
    q = {q["id"]: q for s in definition["sections"] for q in s["questions"]}
    # a list's own 'other' choice becomes our write-in 'other'; its follow-up question
    # is asked when it is chosen (the form's ‘curly’ quotes read as quotes)
    assert q["leader_name"]["other"] == {"en": "Other Person", "sw": "Mwingine"}
    assert q["leader_name_other"]["enable_when"] == {"question": "leader_name", "equals": "other"}
    assert q["subplot1"]["type"] == "group"
    assert q["subplot1"]["enable_when"] == {"question": "regen_in_subplot1", "equals": "yes"}
    with pdfforms.messages_in("en"):
        listed = [str(n) for n in notes]
    assert any("select_one_from_file UCL_regions.csv" in n for n in listed)
    assert any(n.startswith("survey row 32: the repeat cannot become a table") for n in listed)
    _round_trip(tmp_path, definition, notes)


# -- the command -------------------------------------------------------------------------


def test_import_command_writes_yaml_with_the_notes_on_top(ours, tmp_path):
    out = tmp_path / "halsa.yaml"
    result = CliRunner().invoke(main, ["--lang", "en", "import", str(ours), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    geopoint = "survey row 22: type 'geopoint' cannot be printed on paper; left out"
    assert f"pdfforms: {ours}: {geopoint}" in lines
    assert lines[-1].startswith(f"pdfforms: {out}: form 'halsa_hjalp', ")
    text = out.read_text("utf-8")
    assert text.startswith("# Made by 'pdfforms import' from hälsa.xlsx.")
    assert "#   survey row 22: type 'geopoint' cannot be printed on paper; left out\n" in text
    assert yaml.safe_load(text)["form"] == "halsa_hjalp"
    check = CliRunner().invoke(main, ["validate", str(out)])
    assert check.exit_code == 0, check.output


def test_import_command_without_output_prints_the_yaml(ours):
    result = CliRunner().invoke(main, ["import", str(ours)])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.stdout)["languages"] == ["sv", "en"]


# -- bad workbooks: one line naming the file and the sheet and row ----------------------

HEAD = ["type", "name", "label"]


@pytest.mark.parametrize(
    "make,says",
    [
        (lambda p: p.write_text("type,name\n"), "not an Excel workbook (.xlsx)"),
        (
            lambda p: _workbook(p, [[]], settings=[["form_title"], ["x"]]),
            "no sheet 'survey' with rows",
        ),
        (
            lambda p: _workbook(p, [HEAD, ["select_one saknas", "q", "Q"]], [["list_name"]]),
            "survey row 2: answer list 'saknas' is not on the sheet 'choices'",
        ),
        (
            lambda p: _workbook(p, [HEAD, ["text", "q", "Q"], ["integer", "q", "R"]]),
            "survey row 3: name 'q' is already used in row 2",
        ),
        (
            lambda p: _workbook(p, [HEAD, ["begin group", "g", "G"], ["text", "q", "Q"]]),
            "survey row 2: 'begin group' is never closed by 'end group'",
        ),
        (
            lambda p: _workbook(p, [HEAD, ["text", "q", "Q"], ["end group"]]),
            "survey row 3: 'end group' without a 'begin group' before it",
        ),
        (
            lambda p: _workbook(
                p,
                [HEAD, ["select_one l", "q", "Q"]],
                [["list_name", "name", "label"], ["l", "a", "A"], ["l", "a", "B"]],
            ),
            "choices row 3: choice 'a' is in list 'l' twice",
        ),
        (
            lambda p: _workbook(p, [HEAD, ["geopoint", "q", "Q"]]),
            "no question of the workbook can be printed on paper",
        ),
    ],
)
def test_bad_workbook_is_one_line_naming_file_and_row(tmp_path, make, says):
    path = tmp_path / "form.xlsx"
    make(path)
    with pdfforms.messages_in("en"), pytest.raises(XlsformError) as caught:
        import_xlsform(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert says in str(caught.value)
    result = CliRunner().invoke(main, ["--lang", "en", "import", str(path)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and says in result.stderr


def test_old_excel_file_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "form.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pdfforms.messages_in("en"), pytest.raises(XlsformError, match=r"save the workbook"):
        pdfforms.import_xlsform(path)


def test_relevant_on_what_cannot_be_tested_is_listed_and_the_question_kept(tmp_path):
    path = _workbook(
        tmp_path / "f.xlsx",
        [
            HEAD + ["relevant", "required"],
            ["text", "namn", "Namn"],
            ["select_multiple l", "m", "M"],
            ["integer", "a", "A", "${namn} = 'Eva'", "yes"],  # a text
            ["integer", "b", "B", "${m} = 'x'"],  # '=' of a multiple compares the whole list
            ["integer", "c", "C", "${m} = 'y'"],  # no such choice
            ["integer", "d", "D", "${later} = 'x'"],  # no earlier question
            ["integer", "later", "L"],
        ],
        [["list_name", "name", "label"], ["l", "x", "X"]],
    )
    definition, notes = import_xlsform(path)
    q = {q["id"]: q for s in definition["sections"] for q in s["questions"]}
    assert all("enable_when" not in q[i] for i in "abcd")
    # asked of everyone now: required would be an error for each who was rightly not asked
    assert "required" not in q["a"]
    with pdfforms.messages_in("en"):
        listed = [str(n) for n in notes]
    assert listed.pop(0).startswith("settings: no language is named")  # taken as Swedish
    assert listed.pop(1) == (
        "survey row 4: the question is not required, as its condition could not be carried over"
    )
    rows = [n.split(":")[0] for n in listed]
    assert rows == [f"survey row {r}" for r in (4, 5, 6, 7)]
    assert all("the question is asked of everyone" in n for n in listed)


def test_our_swedish_form_is_read_back_from_a_scan(ours, tmp_path):
    """Printed, ticked by hand, scanned: the marks are read as they were made, each
    written answer goes to a person (review), none is guessed."""
    from pdfforms.model.rules import blank_value
    from pdfforms.parse.scan import parse_scan
    from pdfforms.testing import scans

    definition, notes = import_xlsform(ours)
    path = tmp_path / "halsa.yaml"
    path.write_text(definition_yaml(definition, notes, ours.name), encoding="utf-8")
    form = load_form(path)
    rng = random.Random(5)
    answers = synthetic_answers(form, rng, blank_rate=0.0)
    pages, _truth = scans.make_scan(form, "sv", answers, scans.serial_for(rng), rng, None)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scans.scanned_pdf(pages))
    [response] = parse_scan(scan, [tmp_path], tmp_path / "review").responses
    assert response.source["kind"] == "scan" and response.form_id == "halsa_hjalp"
    to_review = {item.question for item in response.review}
    read = 0
    for q in form.answerable:
        got, expected = response.answers[q.id], answers[q.id]
        if q.type in ("single", "multiple") and q.id not in to_review:
            if q.type == "multiple":  # "other" comes with a write-in line, read by a person
                got = [v for v in got if v != "other"]
                expected = [v for v in expected if v != "other"]
            assert got == expected, q.id
            read += 1
        elif expected != blank_value(q):  # handwriting: a person reads it
            assert q.id in to_review and got == blank_value(q), q.id
    assert read >= 2


def test_a_definition_that_cannot_be_printed_is_written_and_its_faults_listed(tmp_path):
    # one language only, so it is kept: its Ethiopic text is a fault of the definition
    path = _workbook(
        tmp_path / "f.xlsx",
        [["type", "name", "label::Svenska (sv)"], ["text", "q", "Namn ሰ"]],
    )
    out = tmp_path / "f.yaml"
    result = CliRunner().invoke(main, ["--lang", "en", "import", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert "U+1230 ETHIOPIC SYLLABLE SA" in result.stderr
    assert result.stderr.splitlines()[-1].startswith(f"pdfforms: {out}: written, but the ")
    assert yaml.safe_load(out.read_text("utf-8"))["sections"][0]["questions"][0]["id"] == "q"
