"""The catalogue of messages (pdfforms/model/messages.py): both languages for every
message, the language chosen as the README says, Swedish by default, and no
message written outside the catalogue in the modules that have moved to it."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdfforms.cli import main
from pdfforms.model import messages
from pdfforms.model.errors import PdfformsError

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pdfforms"

# Calls whose text a person reads: what the commands print, a parsed form's problems,
# a definition's or a CSV's faults, a failed file's reason.
SINKS = {"echo", "_say", "_fail", "problem", "Problem", "fault", "Fault", "failed", "warn"}
# Where the words are in a problem: Problem(question, code, severity, message) and
# interpret's problem(question, code, message, severity); fault(line, message), Fault(file,
# line, message).
MESSAGE_AT = {"Problem": 3, "problem": 2, "fault": 1, "Fault": 2}
CODES = {"reason", "code", "severity"}  # keywords that give codes for programs, not words
WORDS = re.compile(r"[^\W\d_]{2,}")  # a word of two letters or more, in any script


def _has_words(literal: str) -> bool:
    return bool(WORDS.search(literal.replace("pdfforms", "")))  # the program's name is no word


def _words(node: ast.AST) -> list[str]:
    """The literal words in what a sink is given, outside calls of the catalogue."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if _has_words(node.value) else []
    if isinstance(node, ast.JoinedStr):
        return [
            v.value
            for v in node.values
            if isinstance(v, ast.Constant) and isinstance(v.value, str) and _has_words(v.value)
        ]
    if isinstance(node, ast.Call):
        name = (
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        )
        if name == "msg":  # the catalogue (imported as msg wherever it is used)
            return []
        return [w for a in [*node.args, *(k.value for k in node.keywords)] for w in _words(a)]
    if isinstance(node, ast.BinOp):
        return _words(node.left) + _words(node.right)
    if isinstance(node, ast.IfExp):
        return _words(node.body) + _words(node.orelse)
    return []


def _is_person_error(module, node: ast.expr) -> bool:
    name = node.id if isinstance(node, ast.Name) else None
    cls = getattr(module, name, None) if name else None
    # Ours (a DatasetError is not a PdfformsError, but a person reads it all the same);
    # Python's own (a ValueError, a RuntimeError) are faults in pdfforms, for developers.
    return isinstance(cls, type) and (
        issubclass(cls, PdfformsError) or cls.__module__.startswith("pdfforms")
    )


def bypasses(path: Path) -> list[str]:
    """Each message in `path` written outside the catalogue, as `file:line: text`."""
    rel = path.relative_to(ROOT).as_posix()
    module = importlib.import_module(rel[:-3].replace("/", ".").removesuffix(".__init__"))
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        call = None
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            if _is_person_error(module, node.exc.func):
                call = node.exc
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = getattr(func, "value", None)
            if name in SINKS or (
                name == "append"
                and getattr(owner, "id", getattr(owner, "attr", "")).endswith("faults")
            ):
                call = node
        if call is not None:
            args = [*call.args, *(k.value for k in call.keywords if k.arg not in CODES)]
            name = getattr(call.func, "attr", getattr(call.func, "id", ""))
            if name in MESSAGE_AT:  # a problem's code and severity are no words for people
                at = MESSAGE_AT[name]
                args = call.args[at : at + 1] + [
                    k.value for k in call.keywords if k.arg == "message"
                ]
            words = [w for a in args for w in _words(a)]
            found += [f"{rel}:{node.lineno}: {w!r}" for w in words]
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "testing" not in p.parts)


def test_every_message_has_swedish_and_english_with_the_same_placeholders():
    for key, entry in messages.MESSAGES.items():
        assert list(entry) == ["sv", "en"], f"{key}: Swedish first, then English"
        assert all(entry.values()), f"{key}: an empty message"
        sv, en = (messages.placeholders(entry[lang]) for lang in ("sv", "en"))
        assert sv == en, f"{key}: Swedish fills in {sorted(sv)}, English {sorted(en)}"


def test_no_message_bypasses_the_catalogue():
    faults = [f for p in _modules() for f in bypasses(p)]
    assert not faults, "messages outside pdfforms/model/messages.py:\n" + "\n".join(faults)


def test_the_scan_finds_a_message_outside_the_catalogue(tmp_path):
    """The check above can fail: cli.py as it was before the catalogue is caught."""
    import subprocess

    old = subprocess.run(
        ["git", "show", "ffe1975:pdfforms/cli.py"], cwd=ROOT, capture_output=True, text=True
    )
    if old.returncode:
        pytest.skip("no git history here")
    copy = PACKAGE / "cli.py"
    found = _bypasses_of_text(copy, old.stdout)
    assert any("cannot write" in f for f in found)
    assert any("nothing to review" in f for f in found)


def _bypasses_of_text(path: Path, source: str) -> list[str]:
    original = path.read_text("utf-8")
    try:
        path.write_text(source, "utf-8")
        return bypasses(path)
    finally:
        path.write_text(original, "utf-8")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "sv"),
        ({"LANG": "C.UTF-8"}, "sv"),
        ({"LANG": "de_DE.UTF-8"}, "sv"),  # a language we have not: Swedish
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "sv_FI.UTF-8"}, "sv"),
        ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "sv_SE.UTF-8"}, "en"),
        ({"LANG": "sv_SE.UTF-8", "PDFFORMS_LANG": "en"}, "en"),
        ({"LANG": "en_US.UTF-8", "PDFFORMS_LANG": "xx"}, "en"),  # not one we have: ignored
    ],
)
def test_the_language_comes_from_the_environment_and_is_swedish_by_default(environ, expected):
    assert messages.language(environ) == expected


def test_a_chosen_language_wins_and_in_language_restores_it():
    messages.set_language("sv")
    assert messages.language({"PDFFORMS_LANG": "en"}) == "sv"
    with messages.in_language("en"):
        assert messages.text("cli.review_nothing", path="d.csv") == "d.csv: nothing to review"
    assert messages.text("cli.review_nothing", path="d.csv") == "d.csv: inget att granska"
    with pytest.raises(ValueError):
        messages.set_language("de")


def _run(args, **env):
    # Without PDFFORMS_LANG (the tests' fixture sets it) and in a locale with no language
    # of ours, the commands speak Swedish.
    return CliRunner().invoke(
        main,
        args,
        env={"PDFFORMS_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, **env},
        prog_name="pdfforms",
    )


def test_commands_speak_swedish_by_default_and_english_with_lang_en(tmp_path):
    bad = tmp_path / "svar.json"
    bad.write_text("{inte json", "utf-8")
    args = ["fill", str(tmp_path / "x.pdf"), str(bad), "-o", str(tmp_path / "out.pdf")]
    swedish = _run(args, LANG="C.UTF-8")
    assert swedish.exit_code == 2
    assert f"pdfforms: {bad}: inte JSON (rad 1:" in swedish.output
    english = _run(["--lang", "en", *args], LANG="C.UTF-8")
    assert f"pdfforms: {bad}: not JSON (line 1:" in english.output
    assert f"{bad}: not JSON" in _run(args, LANG="en_US.UTF-8").output  # the locale's language
    assert "inte JSON" in _run(["--lang", "sv", *args], LANG="en_US.UTF-8").output


def test_validate_says_ok_in_swedish():
    definition = ROOT / "form_definitions" / "patient.yaml"
    result = _run(["validate", str(definition)], LANG="sv_SE.UTF-8")
    assert result.exit_code == 0
    ok = f"{definition}: ok – formulär 'patient-7-fragor' version 2, 15 frågor, språk sv, en"
    assert ok in result.output
    assert "varning: texterna på 'fi' är maskinöversatta" in result.output


def test_a_parsed_forms_problems_are_in_the_messages_language(forms):
    """The code stays (SPEC §4); the words follow the language, whatever the form's."""
    import datetime

    from pdfforms.parse import respond

    fields = {"namn": "Bo", "besok": "31/2 2026", "antal": "ca 3"}
    today = datetime.date(2026, 11, 23)
    with messages.in_language("sv"):
        _, swedish = respond(forms["all_types"], fields, "en", today=today)
    _, english = respond(forms["all_types"], fields, "sv", today=today)
    assert [p.code for p in swedish] == [p.code for p in english]
    by_code = {p.code: p.message for p in swedish}
    assert (
        "'31/2 2026' är inget datum: det finns ingen dag 31 i månad 2 år 2026"
        in (by_code["invalid_date"])
    )
    assert by_code["invalid_date"].startswith("fråga ")
    assert "är ungefärligt; skriv ett enda tal utan 'ca'" in by_code["invalid_number"]
    assert (
        "is not a date: there is no day 31" in {p.code: p.message for p in english}["invalid_date"]
    )


def test_parse_says_why_in_swedish(tmp_path):
    bad = tmp_path / "brev.pdf"
    bad.write_text("ett brev, ingen blankett", "utf-8")
    result = _run(["parse", str(bad)], LANG="sv_SE.UTF-8")
    assert result.exit_code == 2
    assert f"pdfforms: {bad}: är ingen PDF-fil" in result.output
    assert f"{bad}: is not a PDF file" in _run(["--lang", "en", "parse", str(bad)]).output


def test_extracts_readers_write_in_the_runs_language(tmp_path):
    """The reader processes get the language of the run that started them, whatever
    their environment says (PDFFORMS_LANG is English in the tests)."""
    import csv

    from pdfforms import extract

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "tom.pdf").write_bytes(b"")
    out = tmp_path / "d.csv"
    with messages.in_language("sv"):
        extract([tmp_path / "in"], out, workers=1)
    with open(out.with_name("d.ledger.csv"), encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [r["reason"] for r in rows] == ["är tom (0 byte)"]


def test_validate_lists_a_definitions_faults_in_swedish(tmp_path):
    source = (ROOT / "tests" / "forms" / "all_types.yaml").read_text("utf-8")
    bad = tmp_path / "fel.yaml"
    bad.write_text(source.replace("  - id: forsta\n", "  - id: forsta\n    titel: x\n", 1), "utf-8")
    result = _run(["validate", str(bad)], LANG="C.UTF-8")
    assert result.exit_code == 1
    assert f"{bad}:" in result.output
    assert "avsnitt 'forsta': okänd nyckel 'titel' (menade du 'title'?)" in result.output
    english = _run(["--lang", "en", "validate", str(bad)])
    assert "section 'forsta': unknown key 'titel' (did you mean 'title'?)" in english.output


def test_a_respondents_csvs_faults_are_in_swedish(tmp_path, forms):
    """Every fault of the CSV at once, each in Swedish, each naming its file and line."""
    from pdfforms.generate.respondents import RespondentsError, read_respondents

    csv_file = tmp_path / "mottagare.csv"
    csv_file.write_text("namn;antal;smakk\nBo;ca 3;x\n", "utf-8")
    with messages.in_language("sv"), pytest.raises(RespondentsError) as caught:
        read_respondents(csv_file, forms["all_types"], "sv")
    faults = "\n".join(caught.value.faults)
    assert "mottagare.csv:1: kolumnen 'smakk' är ingen fråga i formuläret" in faults
    assert "(menade du 'smak'?)" in faults
    assert "mottagare.csv:2: kolumnen 'antal': 'ca 3' är ungefärligt" in faults


def test_in_language_holds_for_its_own_thread_only():
    """The review server answers a page in the page's language in its threads; the
    command's own lines (in the main thread) keep theirs, however the threads interleave."""
    import threading

    inside, other_thread = threading.Event(), {}
    release = threading.Event()

    def page_request():
        with messages.in_language("sv"):
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=page_request)
    worker.start()
    inside.wait(5)
    other_thread["lang"] = messages.language({"PDFFORMS_LANG": "en"})
    release.set()
    worker.join()
    assert other_thread["lang"] == "en"
    assert messages.language({"PDFFORMS_LANG": "en"}) == "en"


def test_the_review_pages_words_come_from_the_catalogue():
    import json

    from pdfforms.review.server import page_texts

    served = page_texts().decode()
    assert served.startswith("const PAGE_TEXTS = ")
    texts = json.loads(served.removeprefix("const PAGE_TEXTS = ").rstrip().removesuffix(";"))
    assert texts["sv"]["left"] == "{left} kvar av {total}"
    assert texts["en"]["reasons.handwriting"] == "Handwriting – type the text."
    assert texts["sv"].keys() == texts["en"].keys()
    page = (PACKAGE / "review" / "page.js").read_text("utf-8")
    assert "Handskrift" not in page and "Handwriting" not in page  # none of its own


# -- the help and a mistyped command line (model/help.py) ----------------------------------


def _every_command():
    yield main, "pdfforms"
    yield from ((cmd, name) for name, cmd in sorted(main.commands.items()))


def test_every_command_and_option_has_its_help_in_the_catalogue():
    """Each command's text and each option's is the catalogue's, in both languages; none is
    written in cli.py (a `help=` there would be English whatever the language)."""
    import click

    missing = []
    for cmd, key in _every_command():
        if f"help.{key}" not in messages.MESSAGES:
            missing.append(f"help.{key}")
        for param in cmd.params:
            if isinstance(param, click.Option) and param.name != "version":
                if f"help.{key}.{param.name}" not in messages.MESSAGES:
                    missing.append(f"help.{key}.{param.name}")
                assert param.help is None or param.help in {
                    messages.text(f"help.{key}.{param.name}", in_lang=lang) for lang in ("sv", "en")
                }, f"{key} {param.opts}: its help is written outside the catalogue"
    assert missing == []
    tree = ast.parse((PACKAGE / "cli.py").read_text("utf-8"))
    written = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword) and node.arg in ("help", "short_help")
    ]
    assert written == [], f"cli.py lines {written}: help written outside the catalogue"


def test_every_choice_and_range_refuses_in_the_messages_language():
    """click's own Choice and ranges refuse in English; the commands use ours."""
    import click

    from pdfforms import cli

    ours = (cli._Choice, cli._IntRange, cli._FloatRange, cli._Date)
    for cmd, key in _every_command():
        for param in cmd.params:
            if isinstance(
                param.type, (click.Choice, click.IntRange, click.FloatRange, click.DateTime)
            ):
                assert isinstance(param.type, ours), f"{key} {param.opts}: click's own type"


@pytest.mark.parametrize("command", ["", "extract", "generate", "report", "review", "parse"])
def test_help_is_swedish_by_default_and_english_with_lang_en(command):
    args = [command] if command else []
    swedish = _run([*args, "--help"], LANG="C.UTF-8")
    assert swedish.exit_code == 0
    assert swedish.output.startswith("Användning: pdfforms")
    assert "Flaggor:" in swedish.output and "Visa den här hjälpen och avsluta." in swedish.output
    for english_word in ("Usage:", "Options:", "Show this message", "[default:", "PATH"):
        assert english_word not in swedish.output
    key = f"help.{command or 'pdfforms'}"
    first_line = messages.text(key, in_lang="sv").split("\n")[0][:40]
    assert first_line in " ".join(swedish.output.split())
    for english in (
        _run(["--lang", "en", *args, "--help"]),
        _run([*args, "--help"], LANG="en_GB.UTF-8"),
        _run(["--lang=en", *args, "--help"], LANG="sv_SE.UTF-8"),
    ):
        assert english.exit_code == 0
        assert english.output.startswith("Usage: pdfforms") and "Options:" in english.output
        assert messages.text(key, in_lang="en").split("\n")[0][:40] in " ".join(
            english.output.split()
        )


def test_the_command_list_and_defaults_are_in_swedish():
    listing = _run(["--help"], LANG="sv_SE.UTF-8").output
    assert "Kommandon:" in listing
    assert "Läs ett returnerat formulär och skriv dess svar som JSON." in listing
    extract = " ".join(_run(["extract", "--help"], LANG="sv_SE.UTF-8").output.split())
    assert "[standard: 300; x>=1]" in extract and "[krävs]" in extract
    assert "--output SÖKVÄG" in extract and "[FLAGGOR] INDATA..." in extract


@pytest.mark.parametrize(
    "args, swedish, english",
    [
        (["extract", "--bogus"], "okänd flagga --bogus", "no such option --bogus"),
        (["extrac"], "okänt kommando 'extrac'", "no such command 'extrac'"),
        (["extract"], "INDATA... saknas", "INPUTS... is missing"),
        (["parse", "x.pdf", "-o"], "flaggan -o behöver ett värde", "option -o needs a value"),
        (["schema", "mer"], "oväntat argument: mer", "unexpected argument(s): mer"),
        (
            ["extract", "x", "-o", "y.csv", "--workers", "0"],
            "ogiltigt värde för --workers: måste vara minst 1, inte 0",
            "invalid value for --workers: must be at least 1, not 0",
        ),
        (
            ["extract", "x", "-o", "y.csv", "--time-limit", "snart"],
            "'snart' är inte ett tal",
            "'snart' is not a number",
        ),
        (
            ["generate", "x.yaml", "--letter-date", "3/12"],
            "'3/12' är inget datum skrivet ÅÅÅÅ-MM-DD",
            "'3/12' is not a date written YYYY-MM-DD",
        ),
        (
            ["report", "x.csv", "-o", "r.pdf", "--format", "doc"],
            "'doc' är inte ett av 'pdf', 'html', 'csv'",
            "'doc' is not one of 'pdf', 'html', 'csv'",
        ),
    ],
)
def test_a_mistyped_command_line_is_one_line_in_the_language(args, swedish, english):
    result = _run(args, LANG="sv_SE.UTF-8")
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0].startswith("Användning: pdfforms")
    assert lines[-1].startswith("pdfforms: ") and swedish in lines[-1]
    command = " ".join(["pdfforms", *[a for a in args[:1] if a in main.commands]])
    assert lines[-1].endswith(f"(se '{command} --help')")
    assert "Error" not in result.output and "Usage" not in result.output
    english_result = _run(["--lang", "en", *args])
    assert english_result.exit_code == 2
    assert english in english_result.output.splitlines()[-1]
