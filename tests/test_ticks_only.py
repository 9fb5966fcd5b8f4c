"""A form of tick boxes only (no field to write in): generate, fill every way, read back.

Issue 13: `generate` crashed with a traceback on such a form, because the PDF
has no text field and so no default resources for a field font to go in.
"""

from __future__ import annotations

import io
import json
import random

import pikepdf
import pytest
from click.testing import CliRunner

from pdfforms.cli import main
from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.fill import fill_pdf
from pdfforms.generate.printrun import Copy, print_run
from pdfforms.generate.render import generate
from pdfforms.model.definition import load_form
from pdfforms.model.layout import build_layout
from pdfforms.model.rules import blank_answers
from pdfforms.model.serials import new_serials
from pdfforms.parse.file import parse
from pdfforms.parse.scan import parse_scan
from pdfforms.testing import scans as synth

from .answer_sets import answer_sets
from .clients import FILLERS, FLATTENERS, READERS
from .clients import pdfium as pdfium_client
from .conftest import DEFINITIONS, TEST_FORMS
from .test_viewer_matrix import _expected_reading, need

DEFINITION = TEST_FORMS / "ticks_only.yaml"
DIRS = [DEFINITIONS, TEST_FORMS]
LANGS = ["sv", "en"]
CASES = ["synthetic", "rich"]


@pytest.fixture(scope="module")
def form():
    return load_form(DEFINITION)


@pytest.fixture(scope="module")
def blank(form):
    return {lang: generate(form, lang) for lang in LANGS}


def test_the_form_has_no_field_to_write_in(form, blank):
    assert {q.type for q in form.answerable} == {"yesno", "single", "multiple", "scale", "grid"}
    with pikepdf.open(io.BytesIO(blank["sv"])) as pdf:
        kinds = {str(f.FT) for f in pdf.Root.AcroForm.Fields}
    assert kinds == {"/Btn"}


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("lang", LANGS)
def test_cli_generates_it(tmp_path, lang, large):
    out = tmp_path / "kryss.pdf"
    args = ["generate", str(DEFINITION), "--lang", lang, "-o", str(out)]
    result = CliRunner().invoke(main, args + (["--large-print"] if large else []))
    assert result.exit_code == 0, result.output
    response = parse(out)
    assert response.language == lang and response.source["kind"] == "acroform"
    assert response.answers == blank_answers(load_form(DEFINITION))


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("client", list(FILLERS))
def test_filled_by_every_client_reads_back(client, lang, case, form, blank, tmp_path):
    program = FILLERS[client]
    need(program)
    answers = answer_sets(form)[case]
    values = answers_to_fields(form, answers, lang)
    path = tmp_path / "filled.pdf"
    path.write_bytes(program.run(blank[lang], values, build_layout(form, lang)))
    response = parse(path)
    assert response.source["kind"] == "acroform"
    assert response.answers == answers


@pytest.mark.parametrize("flattener", list(FLATTENERS))
def test_flattened_reads_back(flattener, form, blank, tmp_path):
    program = FLATTENERS[flattener]
    need(program)
    answers = answer_sets(form)["rich"]
    filled = fill_pdf(blank["en"], answers_to_fields(form, answers, "en"))
    path = tmp_path / "flat.pdf"
    path.write_bytes(program.run(filled))
    response = parse(path, DIRS)
    assert response.source["kind"] == "flattened"
    assert response.answers == answers


@pytest.mark.parametrize("reader", list(READERS))
def test_our_filled_copy_shows_its_ticks_in_every_viewer(reader, form, blank):
    program = READERS[reader]
    need(program)
    values = answers_to_fields(form, answer_sets(form)["rich"], "sv")
    seen = program.run(fill_pdf(blank["sv"], values), build_layout(form, "sv"))
    expected = _expected_reading(values)
    got = {
        k: (False if expected[k] is False and seen.get(k) in (None, False) else seen.get(k))
        for k in expected
    }
    assert got == expected


def test_cli_fill_and_flatten(tmp_path, form, blank):
    blank_path = tmp_path / "blank.pdf"
    blank_path.write_bytes(blank["sv"])
    answers = answer_sets(form)["rich"]
    (tmp_path / "a.json").write_text(json.dumps({"answers": answers}), encoding="utf-8")
    for extra, kind in (([], "acroform"), (["--flatten"], "flattened")):
        out = tmp_path / f"{kind}.pdf"
        result = CliRunner().invoke(
            main, ["fill", str(blank_path), str(tmp_path / "a.json"), "-o", str(out), *extra]
        )
        assert result.exit_code == 0, result.output
        response = parse(out, DIRS)
        assert response.source["kind"] == kind and response.answers == answers


def test_print_run_prefills_and_reads_back(tmp_path, form):
    """Pre-filled from a CSV: the print file's copies and the split fillable copies."""
    people = tmp_path / "people.csv"
    people.write_text(
        "language;roker;hur_mycket;frukt;smak;mat__fisk;nojd\n"
        "sv;ja;mycket;Äpple|banan;vet inte;delvis;nej\n"
        "en;no;;pear;4;;Partly\n",
        encoding="utf-8",
    )
    out = tmp_path / "run.pdf"
    result = CliRunner().invoke(
        main, ["generate", str(DEFINITION), "--respondents", str(people), "--split", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    expected = [
        {
            "roker": True,
            "hur_mycket": "mycket",
            "frukt": ["apple", "banan"],
            "smak": "vet_inte",
            "mat": {"fisk": "delvis", "gron": None},
            "nojd": "nej",
        },
        {"roker": False, "frukt": ["paron"], "smak": 4, "nojd": "delvis"},
    ]
    ledger = out.with_suffix(".ledger.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    with pikepdf.open(out) as pdf:
        for index, (line, answers) in enumerate(zip(ledger, expected, strict=True)):
            serial, *_ = line.split(",")
            want = blank_answers(form) | answers
            split = parse(out.with_suffix("") / f"{serial}.pdf")
            assert split.source["kind"] == "acroform" and split.answers == want
            one = pikepdf.new()
            one.pages.extend(pdf.pages[2 * index : 2 * index + 1])  # one page, then padding
            one.save(tmp_path / f"copy{index}.pdf")
            printed = parse(tmp_path / f"copy{index}.pdf", DIRS)
            assert printed.source["kind"] == "flattened" and printed.serial == serial
            assert printed.answers == want


def test_prefilled_print_run_printed_and_scanned(tmp_path, form):
    answers = {"roker": True, "hur_mycket": "lite", "smak": 2, "mat": {"fisk": "ja", "gron": "nej"}}
    result = print_run(form, [Copy(new_serials(1)[0], "en", answers)], tmp_path / "run.pdf")
    pages = pdfium_client.render(result.output.read_bytes(), synth.BASE_DPI, with_forms=False)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(synth.scanned_pdf(pages))
    [response] = parse_scan(scan, DIRS, tmp_path / "review").responses
    assert response.answers == blank_answers(form) | answers
    assert response.review == []


@pytest.mark.parametrize("lang", LANGS)
def test_hand_marked_scan_reads_back(tmp_path, form, lang):
    """Marked by hand and scanned with the test profile's distortions: every answer is
    read right or left to a person."""
    rng = random.Random(9)
    answers = answer_sets(form)["synthetic"]
    pages, _ = synth.make_scan(form, lang, answers, synth.serial_for(rng), rng, "test")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(synth.scanned_pdf(pages))
    [response] = parse_scan(scan, DIRS, tmp_path / "review").responses
    pending = {i.question for i in response.review}
    read = [q.id for q in form.answerable if q.id not in pending]
    for qid in read:
        assert response.answers[qid] == answers[qid], qid
    assert len(read) >= len(form.answerable) - 1
