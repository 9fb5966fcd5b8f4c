"""The public API (pdfforms/__init__.py): every name, end to end, as a program uses it.

A definition becomes a PDF, the PDF is filled and read back, many returns become a
dataset and the dataset a report, all through `import pdfforms` alone. Every error
a person can act on is a PdfformsError, whichever step raises it.
"""

from __future__ import annotations

import csv
import io
import json
import random
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

import pdfforms
from pdfforms.model.rules import blank_answers

from .conftest import FORM_FILES

PNR = "19121212-1212"  # a synthetic respondent (the tests' birth date, a valid check digit)
ANSWERS = {
    "viktigast_nu": "Att få vara ute – varje dag.",
    "fast_vardkontakt": "ja",
    "kontaktvagar": ["telefon", "other"],
    "kontaktvagar__other_text": "Brev",
    "datum": "2026-11-02",
    "personnummer": PNR,
}


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def patient():
    return pdfforms.load_form(FORM_FILES["patient"])


@pytest.fixture(scope="module")
def blank(tmp_path_factory, patient) -> Path:
    path = tmp_path_factory.mktemp("api") / "patient-sv.pdf"
    path.write_bytes(pdfforms.generate(patient, "sv"))
    return path


def test_the_public_names_are_all_there():
    assert sorted(pdfforms.__all__) == sorted(
        [
            "PdfformsError",
            "__version__",
            "extract",
            "fill",
            "generate",
            "import_definition",
            "import_xlsform",
            "load_form",
            "messages_in",
            "parse",
            "print_run",
            "questionnaire",
            "questionnaire_response",
            "report",
            "set_language",
        ]
    )
    for name in pdfforms.__all__:
        assert getattr(pdfforms, name).__doc__, name


def test_importing_pdfforms_loads_no_step():
    """`import pdfforms` stays cheap: no reportlab, pikepdf or step package until a call."""
    code = (
        "import sys, pdfforms\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pdfforms.', 'reportlab', "
        "'pikepdf', 'numpy', 'yaml'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(loaded.replace("'", '"')) == [
        "pdfforms.model",
        "pdfforms.model.errors",
        "pdfforms.model.help",  # the help's part of the catalogue: texts only
        "pdfforms.model.messages",  # the language of messages is chosen before any step
    ]


def test_the_functions_keep_their_names_when_their_steps_are_imported(patient):
    from pdfforms.generate import render  # noqa: F401 - the package is now loaded
    from pdfforms.parse import file  # noqa: F401
    from pdfforms.report import load  # noqa: F401

    assert callable(pdfforms.generate) and callable(pdfforms.parse)
    assert callable(pdfforms.report)
    assert pdfforms.generate(patient, "en")[:5] == b"%PDF-"
    assert sys.modules["pdfforms.generate"].__path__  # the package is there by its full name


def test_load_form_and_generate(patient):
    assert (patient.id, patient.version, patient.languages) == (
        "patient-7-fragor",
        "2",
        ["sv", "en", "fi", "se", "uk", "ar"],
    )
    english = pdfforms.generate(patient, "en")
    assert english == pdfforms.generate(patient, "en")  # the same bytes every time
    with pikepdf.open(io.BytesIO(english)) as pdf:
        assert pdf.docinfo["/PdfformsLanguage"] == "en"
        assert "/AcroForm" in pdf.Root
    with pikepdf.open(io.BytesIO(pdfforms.generate(patient, large_print=True))) as large:
        with pikepdf.open(io.BytesIO(pdfforms.generate(patient))) as normal:
            assert large.docinfo["/PdfformsLanguage"] == "sv"  # the form's first language
            assert len(large.pages) > len(normal.pages)  # 14 pt text takes more room


def test_fill_then_parse_reads_back_every_answer(tmp_path, patient, blank):
    expected = blank_answers(patient) | ANSWERS
    for flatten, kind in ((False, "acroform"), (True, "flattened")):
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(pdfforms.fill(blank, ANSWERS, flatten=flatten))
        document = pdfforms.parse(path)
        assert document.pages == []  # not a scan: no page reports
        (response,) = document.responses
        assert response.source["kind"] == kind
        assert (response.form_id, response.language) == ("patient-7-fragor", "sv")
        assert response.answers == expected
        assert response.to_json()["answers"]["kontaktvagar__other_text"] == "Brev"
    # filling a filled form again: the answers given, and a question left out is blank
    again = tmp_path / "again.pdf"
    again.write_bytes(pdfforms.fill(tmp_path / "acroform.pdf", {"nasta_steg": "nej"}))
    assert pdfforms.parse(again).responses[0].answers == blank_answers(patient) | {
        "nasta_steg": "nej"
    }


def test_fill_takes_the_definitions_folder_and_the_forms_language(tmp_path, patient):
    english = tmp_path / "patient-en.pdf"
    english.write_bytes(pdfforms.generate(patient, "en"))
    out = tmp_path / "filled.pdf"
    out.write_bytes(
        pdfforms.fill(english, {"nasta_steg": "delvis"}, definitions=FORM_FILES["patient"].parent)
    )
    response = pdfforms.parse(out, FORM_FILES["patient"].parent).responses[0]
    assert response.language == "en" and response.answers["nasta_steg"] == "delvis"


def test_parse_of_a_scan_gives_every_questionnaire_and_every_page(tmp_path):
    from pdfforms.testing.scans import foreign_page, make_scan, scanned_pdf
    from pdfforms.testing.synthetic import synthetic_answers

    unit = pdfforms.load_form(FORM_FILES["unit"])
    rng = random.Random(14)
    pages, serials = [], ["APIAPIAP12", "APIAPIAP23"]
    for serial in serials:
        pages += make_scan(unit, "sv", synthetic_answers(unit, rng), serial, rng)[0]
    pages.append(foreign_page(rng, qr=False))
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf(pages))
    document = pdfforms.parse(path, review_dir=tmp_path / "crops")
    assert [r.serial for r in document.responses] == serials
    assert {r.source["kind"] for r in document.responses} == {"scan"}
    assert len(document.pages) == len(pages)
    assert document.pages[-1].status == "unidentified"  # the letter is reported, not lost


def test_print_run_of_copies_and_of_respondents_with_letters_per_language(tmp_path, patient):
    result = pdfforms.print_run(patient, tmp_path / "blank.pdf", copies=3, lang="en")
    assert (result.copies, result.output) == (3, tmp_path / "blank.pdf")
    rows = read_csv(result.ledger)
    assert [r["language"] for r in rows] == ["en"] * 3 and len({r["serial"] for r in rows}) == 3

    people = tmp_path / "people.csv"
    people.write_text("namn;language;nasta_steg\nÅsa;sv;ja\nBo;en;\n", encoding="utf-8-sig")
    (tmp_path / "brev.txt").write_text("# Hej {namn}!\n", encoding="utf-8")
    (tmp_path / "letter.txt").write_text("# Dear {namn},\n", encoding="utf-8")
    result = pdfforms.print_run(
        patient,
        tmp_path / "run.pdf",
        respondents=people,
        cover={"sv": tmp_path / "brev.txt", "en": tmp_path / "letter.txt"},
        split=True,
    )
    rows = read_csv(result.ledger)
    assert [(r["csv_line"], r["language"]) for r in rows] == [("2", "sv"), ("3", "en")]
    first = pdfforms.parse(result.split_dir / rows[0]["file"]).responses[0]
    assert first.answers["nasta_steg"] == "ja" and first.serial == rows[0]["serial"]
    import pdfplumber

    with pdfplumber.open(result.output) as pdf:
        assert "Hej Åsa!" in pdf.pages[0].extract_text()


def test_print_run_refuses_before_anything_is_written(tmp_path, patient):
    (tmp_path / "brev.txt").write_text("Hej {namn}\n", encoding="utf-8")
    with pytest.raises(pdfforms.PdfformsError) as caught:
        pdfforms.print_run(patient, tmp_path / "run.pdf", copies=2, cover=tmp_path / "brev.txt")
    assert caught.value.faults == []
    assert caught.value.summary == (
        f"{tmp_path / 'brev.txt'}: has placeholders (namn), which need --respondents"
    )
    people = tmp_path / "people.csv"
    people.write_text("namn,fast_vardkontakt\nÅsa,kanske\nBo,ja\n", encoding="utf-8")
    with pytest.raises(pdfforms.PdfformsError) as caught:
        pdfforms.print_run(patient, tmp_path / "run.pdf", respondents=people)
    first, second = caught.value.faults  # every fault of the file, by line
    assert first.startswith(f"{people}:1: column 'namn' is not a question")  # no letter uses it
    assert second.startswith(f"{people}:2: column 'fast_vardkontakt': 'kanske' is not one of")
    assert caught.value.summary == f"{people}: 2 fault(s); nothing was written"
    with pytest.raises(pdfforms.PdfformsError, match="not among the form's languages"):
        pdfforms.print_run(patient, tmp_path / "run.pdf", copies=1, cover={"de": people})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brev.txt", "people.csv"]


@pytest.fixture(scope="module")
def returned(tmp_path_factory, patient, blank) -> Path:
    """Six returns of the patient form, one of them flattened, in a folder."""
    folder = tmp_path_factory.mktemp("inkommet")
    for n, answer in enumerate(["ja", "ja", "nej", "ja", "delvis", "ja"]):
        answers = {**ANSWERS, "fast_vardkontakt": answer, "viktigast_nu": f"Svar {n}"}
        (folder / f"{n}.pdf").write_bytes(pdfforms.fill(blank, answers, flatten=n == 5))
    return folder


def test_extract_then_report(tmp_path, returned):
    out = tmp_path / "svar.csv"
    summary = pdfforms.extract([returned], out, workers=1, warn=lambda _message: None)
    # the flattened one says its typed letters are certain only within Windows-1252
    assert summary.line() == (
        "6 file(s): 5 parsed, 1 parsed with problems; 6 questionnaire(s) in the dataset"
    )
    assert out in summary.written
    rows = read_csv(out)  # one form: its table is the dataset
    assert sorted(r["fast_vardkontakt"] for r in rows) == ["delvis", "ja", "ja", "ja", "ja", "nej"]
    assert "personnummer" not in rows[0]  # left out unless asked for

    html = tmp_path / "sammanstallning.html"
    assert pdfforms.report(out, html, min_count=5) == [html]
    page = html.read_text(encoding="utf-8")
    assert "Sammanställning" in page and "Svar 3" in page  # free text of 6 ≥ 5 respondents
    tables = tmp_path / "tabeller.csv"
    pdfforms.report([out], tables, lang="en", free_text=False)
    assert "Svar 3" not in tables.read_text(encoding="utf-8-sig")


def test_extract_keeps_or_pseudonymises_personnummer_as_asked(tmp_path, returned):
    kept = tmp_path / "kept.csv"
    pdfforms.extract(str(returned), kept, keep_personnummer=True, workers=1, warn=print)
    rows = read_csv(kept)
    assert {r["personnummer"] for r in rows} == {PNR}
    key = tmp_path / "nyckel.key"
    key.write_text("k" * 64 + "\n", encoding="utf-8")
    hashed = tmp_path / "hashed.csv"
    pdfforms.extract([returned], hashed, pseudonymise_key=key, workers=1, warn=print)
    (pseudonym,) = {r["personnummer"] for r in read_csv(hashed)}
    assert pseudonym.startswith("pn:") and "1212" not in pseudonym
    with pytest.raises(pdfforms.PdfformsError, match="not both"):
        pdfforms.extract(
            [returned], tmp_path / "x.csv", pseudonymise_key=key, keep_personnummer=True
        )


def _bad_definition(tmp_path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text("form: x\n", encoding="utf-8")
    return path


ERRORS = {
    "load_form": lambda tmp, blank, form: pdfforms.load_form(_bad_definition(tmp)),
    "fill": lambda tmp, blank, form: pdfforms.fill(blank, {"fast_vardkontakt": "kanske"}),
    "fill a file that is no form": lambda tmp, blank, form: pdfforms.fill(_bad_definition(tmp), {}),
    "parse": lambda tmp, blank, form: pdfforms.parse(_bad_definition(tmp)),
    "print_run": lambda tmp, blank, form: pdfforms.print_run(form, tmp / "r.pdf"),
    "extract": lambda tmp, blank, form: pdfforms.extract([blank], tmp / "d.ods"),
    "report": lambda tmp, blank, form: pdfforms.report([tmp / "d.csv"], tmp / "r.csv"),
}


@pytest.mark.parametrize("call", ERRORS)
def test_every_step_refuses_bad_input_with_a_pdfforms_error(tmp_path, blank, patient, call):
    with pytest.raises(pdfforms.PdfformsError) as caught:
        ERRORS[call](tmp_path, blank, patient)
    message = str(caught.value)
    assert message and "Traceback" not in message
    assert type(caught.value).__name__ != "PdfformsError"  # each step has its own class


def test_every_error_class_of_ours_is_a_pdfforms_error():
    from pdfforms.dataset.decisions import LogError
    from pdfforms.dataset.journal import ExtractError
    from pdfforms.dataset.tables import OutputError
    from pdfforms.dataset.workers import PoolError
    from pdfforms.generate.fields import AnswerError
    from pdfforms.generate.fill import FillError
    from pdfforms.generate.printrun import PrintRunError
    from pdfforms.generate.respondents import RespondentsError
    from pdfforms.model.coerce import CoerceError
    from pdfforms.model.definition import DefinitionError
    from pdfforms.model.personnummer import PersonnummerError
    from pdfforms.model.printable import UnprintableError
    from pdfforms.read import ReadError
    from pdfforms.report import ReportError
    from pdfforms.review.session import ReviewError

    ours = [
        DefinitionError, ReadError, ExtractError, ReportError, ReviewError, LogError,
        OutputError, PoolError, PrintRunError, FillError, RespondentsError, AnswerError,
        CoerceError, PersonnummerError, UnprintableError,
    ]  # fmt: skip
    assert [c.__name__ for c in ours if not issubclass(c, pdfforms.PdfformsError)] == []
    # those that were ValueErrors stay ValueErrors, for callers that catch them so
    values = [c.__name__ for c in ours if issubclass(c, ValueError)]
    assert values == [
        "PrintRunError", "FillError", "RespondentsError", "AnswerError", "CoerceError",
        "PersonnummerError", "UnprintableError",
    ]  # fmt: skip


def test_the_readmes_python_tour_runs(tmp_path, monkeypatch, blank):
    """The README's 'The Python API' block, run as written, in a folder with its files."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The Python API", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    Path("form_definitions").symlink_to(FORM_FILES["patient"].parent)
    Path("inkommet").mkdir()
    for n in range(3):
        Path(f"inkommet/{n}.pdf").write_bytes(pdfforms.fill(blank, {"viktigast_nu": f"Svar {n}"}))
    Path("returned.pdf").write_bytes(pdfforms.fill(blank, ANSWERS))
    Path("patienter.csv").write_text("namn;language\nÅsa;sv\nBo;en\n", encoding="utf-8")
    Path("brev.txt").write_text("# Hej {namn}!\n", encoding="utf-8")
    Path("letter.txt").write_text("# Dear {namn},\n", encoding="utf-8")
    shown = []
    exec(compile(code, "README.md", "exec"), {"print": lambda *a: shown.append(a)})  # noqa: S102
    assert shown[0] == ("ja", [])
    assert shown[1] == ("3 file(s): 3 parsed; 3 questionnaire(s) in the dataset",)
    assert pdfforms.parse("ifylld.pdf").responses[0].answers["fast_vardkontakt"] == "ja"
    assert len(read_csv(Path("utskick.ledger.csv"))) == 2
    assert Path("sammanstallning.pdf").read_bytes()[:5] == b"%PDF-"
