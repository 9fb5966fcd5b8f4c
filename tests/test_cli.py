"""Every command of the CLI through click's CliRunner (SPEC §5)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from pdfforms.cli import main
from pdfforms.generate.fields import answers_to_fields
from pdfforms.model.definition import load_form
from pdfforms.model.layout import build_layout
from pdfforms.parse.file import parse
from pdfforms.testing.synthetic import fill_like_pypdf

from .conftest import DEFINITIONS, FORM_FILES, TEST_FORMS


@pytest.fixture
def runner():
    return CliRunner()


def one_line_error(result, *fragments):
    """Exit 2, exactly one line on stderr, naming what it should."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def test_validate_good_files(runner):
    result = runner.invoke(main, ["validate", *map(str, FORM_FILES.values())])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "ok – form 'patient-7-fragor'" in result.stderr


def test_validate_bad_file_lists_every_fault(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "form: x\nversion: '1'\nlanguages: [sv]\ntitle: T\nsections:\n"
        "  - id: s\n    questions:\n"
        "      - {id: a, type: singel, label: A}\n"
        "      - {id: b, type: text, lable: B}\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["validate", str(bad), str(FORM_FILES["patient"])])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith(f"{bad}:8: question 'a': unknown type 'singel'")
    assert "did you mean 'single'" in lines[0]
    assert lines[1].startswith(f"{bad}:9: question 'b': unknown key 'lable'")
    assert len(lines) == 3  # 'b' also lacks its label
    assert "label' is missing" in lines[2]


def test_generate_default_output_path(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["generate", str(FORM_FILES["patient"])])
    assert result.exit_code == 0, result.output
    out = tmp_path / "output" / "patient-sv.pdf"
    assert result.stdout.strip() == "output/patient-sv.pdf"
    with pikepdf.open(out) as pdf:
        assert pdf.docinfo["/PdfformsLanguage"] == "sv"


def test_generate_language_output_and_large_print(runner, tmp_path):
    out = tmp_path / "sub" / "p.pdf"
    result = runner.invoke(
        main, ["generate", str(FORM_FILES["unit"]), "--lang", "en", "--large-print", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    with pikepdf.open(out) as pdf:
        assert pdf.docinfo["/PdfformsLanguage"] == "en"
        assert str(pdf.docinfo["/Title"]) == "Questions for the care unit"


def test_generate_unknown_language(runner, tmp_path):
    result = runner.invoke(
        main,
        ["generate", str(FORM_FILES["patient"]), "--lang", "de", "-o", str(tmp_path / "x.pdf")],
    )
    one_line_error(result, "patient.yaml", "no language 'de'", "sv, en, fi, se, uk, ar")
    assert not (tmp_path / "x.pdf").exists()


def test_generate_bad_definition_lists_faults_then_one_line(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("form: x\n", encoding="utf-8")
    result = runner.invoke(main, ["generate", str(bad), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert f"{bad}:1: form: 'version' is missing" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(f"pdfforms: {bad}:")


def test_generate_missing_definition(runner, tmp_path):
    result = runner.invoke(main, ["generate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "nope.yaml:1: cannot read the file" in result.stderr


@pytest.fixture
def filled(tmp_path, forms, blank_pdf):
    form = forms["patient"]
    answers = {
        "viktigast_nu": "Att få vara ute – varje dag",
        "nasta_steg": "ja",
        "kontaktvagar": ["besok"],
    }
    path = tmp_path / "returned.pdf"
    path.write_bytes(fill_like_pypdf(blank_pdf("patient", "sv"), answers_to_fields(form, answers)))
    return path


def test_parse_prints_json(runner, filled):
    result = runner.invoke(main, ["parse", str(filled)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    form = load_form(FORM_FILES["patient"])
    assert data["form"] == {"id": "patient-7-fragor", "version": form.version, "language": "sv"}
    assert data["answers"]["viktigast_nu"] == "Att få vara ute – varje dag"
    assert data["answers"]["kontaktvagar"] == ["besok"]
    pages = len(build_layout(load_form(FORM_FILES["patient"]), "sv").pages)
    assert data["source"]["kind"] == "acroform" and data["source"]["pages"] == pages
    assert "å" in result.stdout  # not \u00e5: readable JSON


def test_parse_to_file(runner, filled, tmp_path):
    out = tmp_path / "a.json"
    result = runner.invoke(main, ["parse", str(filled), "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["answers"]["nasta_steg"] == "ja"


def test_parse_with_definitions_folder(runner, filled):
    result = runner.invoke(main, ["parse", str(filled), "--definitions", str(DEFINITIONS)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["answers"]["nasta_steg"] == "ja"


def test_parse_not_a_pdf(runner, tmp_path):
    path = tmp_path / "svar.pdf"
    path.write_text("Hej, här är mina svar!", encoding="utf-8")
    one_line_error(runner.invoke(main, ["parse", str(path)]), str(path), "not a PDF")


def test_parse_empty_file(runner, tmp_path):
    path = tmp_path / "tom.pdf"
    path.write_bytes(b"")
    one_line_error(runner.invoke(main, ["parse", str(path)]), str(path), "empty")


def test_parse_truncated_pdf(runner, tmp_path, filled):
    path = tmp_path / "cut.pdf"
    path.write_bytes(filled.read_bytes()[:2000])
    line = one_line_error(runner.invoke(main, ["parse", str(path)]), str(path))
    assert "damaged" in line or "no form fields" in line


def test_parse_encrypted(runner, tmp_path, filled):
    path = tmp_path / "locked.pdf"
    with pikepdf.open(filled) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="hemligt", owner="hemligt"))
    one_line_error(runner.invoke(main, ["parse", str(path)]), str(path), "encrypted")


def test_parse_someone_elses_form(runner, tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "other.pdf"
    c = canvas.Canvas(str(path))
    c.acroForm.textfield(name="kundnummer", x=50, y=700)
    c.showPage()
    c.save()
    one_line_error(runner.invoke(main, ["parse", str(path)]), str(path), "not a pdfforms form")


def test_parse_plain_pdf_without_fields(runner, tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "letter.pdf"
    c = canvas.Canvas(str(path))
    c.drawString(50, 700, "Ett vanligt brev")
    c.showPage()
    c.save()
    one_line_error(
        runner.invoke(main, ["parse", str(path)]),
        str(path),
        "not a pdfforms form",
        "no form fields",
    )


def _with_identity(blank: bytes, path, version: str, keep_definition: bool):
    with pikepdf.open(io.BytesIO(blank)) as pdf:
        pdf.docinfo["/PdfformsVersion"] = version
        # both copies of the identity, as a form of that version carries them
        keywords = str(pdf.docinfo["/Keywords"])
        shipped = load_form(FORM_FILES["patient"]).version
        pdf.docinfo["/Keywords"] = keywords.replace(
            f"pdfforms-version={shipped}", f"pdfforms-version={version}"
        )
        if not keep_definition:
            del pdf.attachments["pdfforms-definition.yaml"]
        pdf.save(path)


def test_parse_unknown_version(runner, tmp_path, blank_pdf):
    path = tmp_path / "v9.pdf"
    _with_identity(blank_pdf("patient", "sv"), path, "9", keep_definition=False)
    one_line_error(
        runner.invoke(main, ["parse", str(path)]),
        str(path),
        "version '9'",
        "unknown version",
        "known: 1, 2",  # both shipped versions, in their order
    )


def test_parse_uses_the_embedded_definition_when_folders_lack_it(runner, tmp_path, blank_pdf):
    form_dir = tmp_path / "defs"
    form_dir.mkdir()
    shutil.copy(FORM_FILES["unit"], form_dir)
    path = tmp_path / "patient.pdf"
    path.write_bytes(blank_pdf("patient", "en"))
    # without --definitions: the embedded definition is used
    result = runner.invoke(main, ["parse", str(path)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["form"]["language"] == "en"
    # with a folder that lacks the form: refused, naming the folder
    one_line_error(
        runner.invoke(main, ["parse", str(path), "--definitions", str(form_dir)]),
        str(path),
        "patient-7-fragor",
        str(form_dir),
    )


def test_parse_missing_definitions_folder(runner, filled, tmp_path):
    one_line_error(
        runner.invoke(main, ["parse", str(filled), "--definitions", str(tmp_path / "nej")]),
        "no such definitions folder",
    )


def test_schema_prints_the_schema(runner):
    from pdfforms.model.schema import json_schema

    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json_schema()


def test_version_and_help(runner):
    assert runner.invoke(main, ["--version"]).stdout.startswith("pdfforms, version ")
    result = runner.invoke(main, ["--help"])
    for command in ("validate", "generate", "parse", "schema"):
        assert command in result.stdout


# -- what is not a file, names that are not one line, library noise (issue 13, item 12) --


def _cli(*args, timeout: float = 30) -> subprocess.CompletedProcess:
    """`pdfforms ARGS` as a person runs it: its own process, its own stderr."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "pdfforms.cli", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=Path(__file__).resolve().parent.parent,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"pdfforms {' '.join(args)}: no answer within {timeout} s (a hang?)")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_parse_refuses_a_pipe_without_opening_it(tmp_path):
    pipe = tmp_path / "svar.pdf"
    os.mkfifo(pipe)  # opening it for reading would wait for a writer for ever
    done = _cli("parse", str(pipe))
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        f"pdfforms: {pipe}: is not a regular file (a pipe, a device or a socket)"
    ]


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null here")
def test_parse_refuses_a_device(runner):
    result = runner.invoke(main, ["parse", "/dev/null"])
    one_line_error(result, "/dev/null", "not a regular file")


def test_parse_refuses_a_folder(runner, tmp_path):
    one_line_error(runner.invoke(main, ["parse", str(tmp_path)]), str(tmp_path), "folder")


def test_a_file_name_with_a_newline_stays_on_one_line(runner, tmp_path):
    path = tmp_path / "svar\nfrån\tpatient.pdf"
    path.write_text("Hej, här är mina svar!", encoding="utf-8")
    line = one_line_error(runner.invoke(main, ["parse", str(path)]), "not a PDF")
    assert "svar\\nfrån\\tpatient.pdf" in line


def test_library_messages_stay_off_stderr(runner, filled, monkeypatch, capfd):
    """pdfminer logs, Pillow warns, libtiff writes to fd 2 from C: none of it reaches stderr."""
    import logging
    import warnings

    from pdfforms.parse import file as parse_file

    real = parse_file.parse_document

    def noisy(*args, **kwargs):
        logging.getLogger("pdfminer.pdffont").warning("Could not get FontBBox from font")
        warnings.warn("Image size exceeds limit", UserWarning, stacklevel=1)
        os.write(2, b"TIFFReadDirectory: Warning, Unknown field with tag 65000\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(parse_file, "parse_document", noisy)
    result = runner.invoke(main, ["parse", str(filled)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert capfd.readouterr().err == ""


def test_a_flattened_copy_without_page_sizes_is_one_line_and_no_noise(tmp_path, blank_pdf):
    """pdfplumber crashed on it, after pdfminer had warned on stderr (issue 13, item 10)."""
    from pdfforms.generate.fill import flatten_pdf

    with pikepdf.open(io.BytesIO(flatten_pdf(blank_pdf("patient", "sv")))) as pdf:
        for page in pdf.pages:
            del page.obj["/MediaBox"]
        path = tmp_path / "platt.pdf"
        pdf.save(path)
    done = _cli("parse", str(path))
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert line.startswith(f"pdfforms: {path}: is damaged") and "MediaBox" in line


# -- the last-resort net (issue 13, item 10) -----------------------------------------------


def test_an_unexpected_error_while_parsing_is_one_line_naming_the_file(runner, filled, monkeypatch):
    from pdfforms.parse import file as parse_file

    def broken(*args, **kwargs):
        raise TypeError("Missing dimensions")

    monkeypatch.setattr(parse_file, "parse_document", broken)
    line = one_line_error(runner.invoke(main, ["parse", str(filled)]), str(filled))
    assert "could not be read: TypeError: Missing dimensions" in line
    assert "please report it" in line


def test_an_unexpected_error_in_any_command_is_one_line(runner, tmp_path, monkeypatch):
    from pdfforms.generate import render

    def broken(*args, **kwargs):
        raise KeyError("forward reference to 'Page1'")

    monkeypatch.setattr(render, "generate", broken)
    result = runner.invoke(
        main, ["generate", str(FORM_FILES["patient"]), "-o", str(tmp_path / "x.pdf")]
    )
    line = one_line_error(result, str(FORM_FILES["patient"]), "KeyError", "please report it")
    assert "could not be read" not in line  # a definition that was read: pdfforms' fault


# ------------------------------------------------- every refusal, word for word, and its status
#
# What each command writes on stderr when it refuses, compared whole: the rules behind
# these lines live in the pipeline's steps, and the command only prints what they raise.

COVER_TEXT = "# Hej {namn}!\n\nVälkommen.\n"


def _stderr(result, status: int = 2) -> str:
    assert result.exit_code == status, result.output
    assert "Traceback" not in result.output
    return result.stderr


def _generate(runner, tmp_path, *args: str):
    out = tmp_path / "run.pdf"
    return runner.invoke(main, ["generate", str(FORM_FILES["patient"]), "-o", str(out), *args])


@pytest.mark.parametrize(
    "args",
    [["--split"], ["--copies", "2", "--respondents", "people.csv"], ["--cover", "brev.txt"]],
)
def test_a_print_run_needs_copies_or_respondents(runner, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    assert _stderr(_generate(runner, tmp_path, *args)) == (
        "pdfforms: give either --copies N or --respondents FILE.csv for a print run\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "covers,who",
    [(["sv=a.txt", "sv=b.txt"], "'sv'"), (["a.txt", "b.txt"], "every language")],
)
def test_a_second_cover_letter_for_one_language_is_refused(runner, tmp_path, covers, who):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Hej!\n", encoding="utf-8")
    args = ["--copies", "2"]
    for spec in covers:
        lang, _, name = spec.rpartition("=")
        args += ["--cover", f"{lang}={tmp_path / name}" if lang else str(tmp_path / name)]
    assert _stderr(_generate(runner, tmp_path, *args)) == (
        f"pdfforms: {tmp_path / 'b.txt'}: a second cover letter for {who}\n"
    )


def test_a_cover_prefix_that_is_no_language_is_part_of_the_file_name(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("de=brev.txt").write_text("Hej!\n", encoding="utf-8")
    result = _generate(runner, tmp_path, "--copies", "1", "--cover", "de=brev.txt")
    assert result.exit_code == 0, result.output
    pages = 1 + len(build_layout(load_form(FORM_FILES["patient"]), "sv").pages)  # + the letter
    pages += pages % 2  # each copy starts on a front side
    assert result.stderr.startswith(f"1 copies, {pages} pages; ledger: ")


def test_an_unreadable_cover_letter_is_one_line(runner, tmp_path):
    missing = tmp_path / "saknas.txt"
    assert _stderr(_generate(runner, tmp_path, "--copies", "2", "--cover", str(missing))) == (
        f"pdfforms: {missing}: cannot read the cover letter ([Errno 2] No such file or "
        f"directory: '{missing}')\n"
    )


UNPRINTABLE = (
    "the cover letter cannot be printed: 'ŋ' (U+014B LATIN SMALL LETTER ENG); the form's "
    "fonts have only Western European letters (Windows-1252)"
)


def test_a_cover_letter_that_cannot_be_printed_lists_its_lines(runner, tmp_path):
    letter = tmp_path / "brev.txt"
    letter.write_text("Hej!\nBuorre beaivi, ŋ\n", encoding="utf-8")
    assert _stderr(_generate(runner, tmp_path, "--copies", "2", "--cover", str(letter))) == (
        f"{letter}:2: {UNPRINTABLE}\n"
        "pdfforms: 1 fault(s) in the cover letter; nothing was written\n"
    )


def test_cover_faults_come_before_the_csvs_and_the_csv_sums_up(runner, tmp_path):
    letter = tmp_path / "brev.txt"
    letter.write_text("Hej {namn}, ŋ\n", encoding="utf-8")
    people = tmp_path / "people.csv"
    people.write_text("namn,fast_vardkontak\nÅsa,ja\n", encoding="utf-8")
    stderr = _stderr(
        _generate(runner, tmp_path, "--respondents", str(people), "--cover", str(letter))
    )
    lines = stderr.splitlines()
    assert lines[0] == f"{letter}:1: {UNPRINTABLE}"
    assert lines[1].startswith(f"{people}:1: column 'fast_vardkontak'")
    assert lines[2:] == [f"pdfforms: {people}: 1 fault(s); nothing was written"]


def test_a_cover_placeholder_the_csv_lacks_is_refused(runner, tmp_path):
    letter = tmp_path / "brev.txt"
    letter.write_text(COVER_TEXT, encoding="utf-8")
    people = tmp_path / "people.csv"
    people.write_text("fast_vardkontakt\nja\n", encoding="utf-8")
    result = _generate(runner, tmp_path, "--respondents", str(people), "--cover", str(letter))
    assert _stderr(result) == (
        f"pdfforms: {letter}: uses namn, which {people} lacks; nothing was written\n"
    )


def test_cover_placeholders_need_respondents(runner, tmp_path):
    letter = tmp_path / "brev.txt"
    letter.write_text(COVER_TEXT, encoding="utf-8")
    assert _stderr(_generate(runner, tmp_path, "--copies", "2", "--cover", str(letter))) == (
        f"pdfforms: {letter}: has placeholders (namn), which need --respondents\n"
    )


def test_a_print_run_that_cannot_be_written_is_one_line(runner, tmp_path):
    (tmp_path / "fil").write_text("", encoding="utf-8")
    out = tmp_path / "fil" / "run.pdf"
    result = runner.invoke(
        main, ["generate", str(FORM_FILES["patient"]), "--copies", "1", "-o", str(out)]
    )
    assert _stderr(result) == f"pdfforms: {out}: cannot write (File exists)\n"


@pytest.mark.parametrize(
    "args,name",
    [
        (["--copies", "2"], "patient-sv-2ex.pdf"),
        (["--copies", "1", "--large-print"], "patient-sv-stor-1ex.pdf"),
        (["--copies", "1", "--large-print", "--lang", "en"], "patient-en-large-1ex.pdf"),
        (["--respondents", "people.csv"], "patient-sv-run.pdf"),
    ],
)
def test_a_print_run_is_named_by_its_options(runner, tmp_path, monkeypatch, args, name):
    monkeypatch.chdir(tmp_path)
    Path("people.csv").write_text("fast_vardkontakt\nja\n", encoding="utf-8")
    result = runner.invoke(main, ["generate", str(FORM_FILES["patient"]), *args])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"output/{name}\n"
    copies = 1 if "1" in args or "people.csv" in args else 2
    assert result.stderr.startswith(f"{copies} copies, ")
    assert result.stderr.endswith(f"; ledger: output/{name[:-4]}.ledger.csv\n")


def _fill(runner, tmp_path, blank_pdf, answers_text: str, form_bytes: bytes | None = None):
    form_pdf = tmp_path / "blank.pdf"
    form_pdf.write_bytes(blank_pdf("patient", "sv") if form_bytes is None else form_bytes)
    answers = tmp_path / "a.json"
    answers.write_text(answers_text, encoding="utf-8")
    out = tmp_path / "out.pdf"
    result = runner.invoke(main, ["fill", str(form_pdf), str(answers), "-o", str(out)])
    assert not out.exists() or result.exit_code == 0
    return result, form_pdf, answers


@pytest.mark.parametrize(
    "text,message",
    [
        ("{nej", "not JSON (line 1: Expecting property name enclosed in double quotes)"),
        ("[1, 2]", "expected an object of answers, or a parsed form with 'answers'"),
        ('{"answers": []}', "expected an object of answers, or a parsed form with 'answers'"),
    ],
)
def test_fill_refuses_answers_naming_the_answers_file(runner, tmp_path, blank_pdf, text, message):
    result, _form_pdf, answers = _fill(runner, tmp_path, blank_pdf, text)
    assert _stderr(result) == f"pdfforms: {answers}: {message}\n"


@pytest.mark.parametrize(
    "text,message",
    [
        ('{"vad": "x"}', "question 'vad': not a question of form 'patient-7-fragor'"),
        (
            '{"nasta_steg": "kanske"}',
            "question 'nasta_steg': 'kanske' is not one of ja, delvis, nej, vet_inte",
        ),
        (
            '{"viktigast_nu": "ሰ"}',
            "question 'viktigast_nu': 'ሰ' cannot be printed: 'ሰ' (U+1230 ETHIOPIC SYLLABLE "
            "SA); the values' font has Latin, Greek and Cyrillic letters",
        ),
    ],
)
def test_fill_refuses_an_answer_naming_the_file_and_question(
    runner, tmp_path, blank_pdf, text, message
):
    result, _form_pdf, answers = _fill(runner, tmp_path, blank_pdf, text)
    assert _stderr(result) == (
        f"{answers}: {message}\n"
        f"pdfforms: {answers}: 1 fault(s) in the answers; nothing was written\n"
    )


def test_fill_lists_every_fault_at_once(runner, tmp_path, blank_pdf):
    """Each fault one line naming the file and the question, all of them in one run
    (fill stopped at the first), and exit 2 with nothing written."""
    answers = {
        "nasta_steg": "kanske",
        "kontaktvagar": ["Telefon", "brevduva"],
        "datum": "31/2 2025",
        "personnummer": "19121212-1213",
        "vad": "x",
        "kontaktvagar__telefon": True,
        "yrkesroll": "Läkare",  # a label: accepted
    }
    result, _form_pdf, path = _fill(runner, tmp_path, blank_pdf, json.dumps(answers))
    lines = _stderr(result).splitlines()
    named = [line.split(": ")[1] for line in lines[:-1]]
    assert all(line.startswith(f"{path}: question '") for line in lines[:-1]), lines
    assert named == [
        "question 'nasta_steg'",
        "question 'kontaktvagar'",
        "question 'datum'",
        "question 'personnummer'",
        "question 'vad'",
        "question 'kontaktvagar__telefon'",
    ]
    assert "'brevduva' is not among" in lines[1] and "Telefon" not in lines[1]
    assert "give the chosen answers as a list in 'kontaktvagar'" in lines[5]
    assert lines[-1] == f"pdfforms: {path}: 6 fault(s) in the answers; nothing was written"


def test_fill_accepts_what_the_respondents_csv_accepts(runner, tmp_path, blank_pdf, forms):
    """Labels in any of the form's languages, ja/nej, dates and numbers as Swedes type
    them, a multiple as text with '|' or as a list of labels: the respondents CSV's
    own reading (generate/respondents.py), so fill and a print run take the same."""
    typed = {
        "namn": "Fido",
        "antal": "3",
        "vikt": "72,5",
        "besok": "3/2 2025",
        "pnr": "191212121212",
        "roker": "ja",
        "hur_mycket": "Mycket",
        "frukt": "Äpple|Banana",
        "smak": "Vet inte",
        "vanor": {"promenad": "Alltid", "laser": "sometimes"},
        "lan": "Jämtlands län",
    }
    expected = {
        "namn": "Fido",
        "antal": 3,
        "vikt": 72.5,
        "besok": "2025-02-03",
        "pnr": "19121212-1212",
        "roker": True,
        "hur_mycket": "mycket",
        "frukt": ["apple", "banan"],
        "smak": "vet_inte",
        "vanor": {"promenad": "alltid", "laser": "ibland", "sjunger": None},
        "lan": "Z",
    }
    form_pdf = tmp_path / "blank.pdf"
    form_pdf.write_bytes(blank_pdf("all_types", "sv"))
    for n, answers in enumerate([typed, expected, {**typed, "roker": True, "frukt": ["Päron"]}]):
        (tmp_path / "a.json").write_text(json.dumps(answers), encoding="utf-8")
        out = tmp_path / f"out{n}.pdf"
        result = runner.invoke(
            main, ["fill", str(form_pdf), str(tmp_path / "a.json"), "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        got = {k: v for k, v in parse(out, [TEST_FORMS]).answers.items() if k in expected}
        assert got == (expected | {"frukt": ["paron"]} if n == 2 else expected)


def test_fill_refuses_a_form_it_cannot_read_naming_the_form(runner, tmp_path, blank_pdf):
    result, form_pdf, _answers = _fill(runner, tmp_path, blank_pdf, "{}", b"inget PDF")
    assert _stderr(result) == f"pdfforms: {form_pdf}: is not a PDF file\n"


def test_extract_refuses_two_personnummer_policies(runner, tmp_path):
    key = tmp_path / "k.key"
    key.write_text("x" * 64, encoding="utf-8")
    result = runner.invoke(
        main,
        [
            "extract",
            str(tmp_path),
            "-o",
            str(tmp_path / "d.csv"),
            "--pseudonymise-key",
            str(key),
            "--keep-personnummer",
        ],
    )
    assert _stderr(result) == (
        "pdfforms: choose --pseudonymise-key or --keep-personnummer, not both\n"
    )


@pytest.mark.parametrize("command", ["extract", "review"])
def test_a_short_key_is_refused_naming_it(runner, tmp_path, command):
    key = tmp_path / "k.key"
    key.write_text("kort\n", encoding="utf-8")
    dataset = str(tmp_path / "d.csv")
    args = [str(tmp_path), "-o", dataset] if command == "extract" else [dataset]
    result = runner.invoke(main, [command, *args, "--pseudonymise-key", str(key)])
    assert _stderr(result) == (
        f"pdfforms: {key}: the key has 4 bytes, at least 16 are needed; make one with "
        "`pdfforms keygen KEYFILE`\n"
    )


def test_extract_refuses_an_unknown_dataset_format(runner, tmp_path):
    result = runner.invoke(main, ["extract", str(tmp_path), "-o", str(tmp_path / "d.ods")])
    assert _stderr(result) == (
        f"pdfforms: {tmp_path / 'd.ods'}: unknown dataset format '.ods'; "
        "name it .csv, .xlsx, .jsonl, .parquet, .sav (SPSS), .dta (Stata) or .json (FHIR)\n"
    )


def test_report_refuses_an_unknown_format(runner, tmp_path):
    result = runner.invoke(main, ["report", str(tmp_path / "d.csv"), "-o", str(tmp_path / "r.doc")])
    assert _stderr(result) == (
        f"pdfforms: {tmp_path / 'r.doc'}: unknown report format '.doc'; name it .pdf, .html or "
        ".csv, or give --format\n"
    )


def test_review_of_no_dataset_is_one_line(runner, tmp_path):
    dataset = tmp_path / "d.csv"
    result = runner.invoke(main, ["review", str(dataset), "--no-browser"])
    assert _stderr(result) == (
        f"pdfforms: {dataset}: no such dataset (no d.manifest.json beside it); make it "
        "with `pdfforms extract`\n"
    )


def test_keygen_refuses_to_replace_a_key(runner, tmp_path):
    key = tmp_path / "k.key"
    key.write_text("gammal\n", encoding="utf-8")
    assert _stderr(runner.invoke(main, ["keygen", str(key)])) == (
        f"pdfforms: {key}: exists already; a new key would break the links to old pseudonyms\n"
    )
    assert key.read_text(encoding="utf-8") == "gammal\n"


def test_a_cover_letters_fault_stays_on_one_line_whatever_its_file_is_named(runner, tmp_path):
    letter = tmp_path / "brev\nsv.txt"
    letter.write_text("Hej ŋ\n", encoding="utf-8")
    lines = _stderr(_generate(runner, tmp_path, "--copies", "1", "--cover", str(letter)))
    assert lines.splitlines() == [
        f"{tmp_path}/brev\\nsv.txt:1: {UNPRINTABLE}",
        "pdfforms: 1 fault(s) in the cover letter; nothing was written",
    ]


def test_every_command_that_writes_a_file_makes_its_folder(runner, tmp_path, blank_pdf, filled):
    """-o new/folder/x works for every command as it does for generate: a folder that is
    not there yet is made, never a refusal (extract refused, keygen failed)."""
    new = tmp_path / "ny"

    def ok(*args: str) -> None:
        result = runner.invoke(main, list(args))
        assert result.exit_code == 0, result.output

    ok("generate", str(FORM_FILES["patient"]), "-o", str(new / "a" / "p.pdf"))
    ok(
        *["generate", str(FORM_FILES["patient"]), "--copies", "1", "--split"],
        "-o",
        str(new / "b" / "run.pdf"),
    )
    answers = tmp_path / "a.json"
    answers.write_text('{"nasta_steg": "ja"}', encoding="utf-8")
    ok("fill", str(new / "a" / "p.pdf"), str(answers), "-o", str(new / "c" / "f.pdf"))
    ok("parse", str(filled), "-o", str(new / "d" / "x.json"))
    ok("extract", str(filled), "--workers", "1", "-o", str(new / "e" / "f" / "x.csv"))
    ok("report", str(new / "e" / "f" / "x.csv"), "-o", str(new / "g" / "r.csv"))
    ok("keygen", str(new / "h" / "k.key"))
    for made in [
        "a/p.pdf",
        "b/run.pdf",
        "b/run.ledger.csv",
        "c/f.pdf",
        "d/x.json",
        "e/f/x.csv",
        "e/f/x.ledger.csv",
        "g/r.csv",
        "h/k.key",
    ]:
        assert (new / made).is_file(), made
