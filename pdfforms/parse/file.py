"""One returned file → Response: read it, find its definition, interpret it."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import fonts
from ..model.form import Form, Question
from ..model.identity import FIRST_EDITION
from ..model.layout import build_layout
from ..model.messages import text as msg
from ..model.response import Problem, Response
from ..model.rules import is_blank_answer
from ..read import RawForm, ReadError, read_file
from ..read.flattened import read_flattened
from ..read.raw import DAMAGED, check_regular_file
from .interpret import respond
from .resolve import resolve_form

if TYPE_CHECKING:  # the scan reader is loaded when a scan comes
    from .scan import ScanResult

# A file must carry at least this share of a form's fields to be read as that
# form; below it, it is some other PDF that happens to share a name.
MIN_FIELD_MATCH = 0.5


def parse_raw(
    raw: RawForm, definitions: list[Path] | None = None, today: datetime.date | None = None
) -> Response:
    try:
        return _parse_raw(raw, definitions, today)
    except ReadError as exc:
        # (the reason was written a moment ago, in the same language as this word)
        if raw.damage and msg("parse.damaged_word") not in str(exc):
            raise ReadError(msg("parse.damaged_and", damage=raw.damage[0], reason=exc)) from None
        raise


def _parse_raw(raw: RawForm, definitions: list[Path] | None, today: datetime.date | None):
    form = resolve_form(raw, definitions)
    problems: list[Problem] = []
    lang = raw.identity.language
    if lang not in form.languages:
        lang = form.default_language
        problems.append(_language_unknown(raw.identity.language, form))
    if raw.matched_by_fields:
        problems.append(_form_guessed(form, raw.matched_by_fields))
    if raw.kind == "flattened":
        _read_drawn_values(raw, form, lang)
    expected = form.field_names()
    present = [n for n in expected if n in raw.fields]
    if expected and len(present) < MIN_FIELD_MATCH * len(expected):
        raise ReadError(
            msg(
                "parse.too_few_fields",
                form=form.id,
                version=form.version,
                n=len(present),
                total=len(expected),
            )
        )
    unreadable = _unreadable_fields(raw, form)
    fields = dict(raw.fields)
    for name in _left_out(unreadable):
        fields[name] = None
    # not "required but blank" as well: its answer is there, it cannot be read
    pending = {q.id for q, _why in unreadable.values()}
    answers, found = respond(
        form, fields, lang, today=today, multiple=raw.multiple_marks, pending=pending
    )
    missing = [n for n in expected if n not in raw.fields]
    if missing:
        problems.append(
            Problem(
                None,
                "missing_fields",
                "warning",
                msg("parse.missing_fields", n=len(missing), fields=", ".join(missing)),
            ),
        )
    if raw.damage:
        if all(is_blank_answer(v) for v in answers.values()):
            raise ReadError(msg("parse.damaged_no_answer", damage=raw.damage[0]))
        problems.insert(0, Problem(None, DAMAGED, "error", _damage_message(raw.damage)))
    problems += _unreadable_problems(unreadable)
    problems += _text_beyond_problems(raw.beyond, form)
    problems += _text_fills_box_problems(raw.full, answers, form)
    problems += _unsure_problems(raw.unsure, form, lang)
    problems += _runs_on_problems(raw.runs_on, form)
    if raw.kind == "flattened" and not raw.unsure and _typed_fields(form):
        problems.append(_letters_warning(raw.typed_letters))
    return Response(
        form_id=form.id,
        version=form.version,
        language=lang,
        serial=raw.identity.serial,
        unit=raw.identity.unit,
        source={"file": raw.file, "sha256": raw.sha256, "kind": raw.kind, "pages": raw.pages},
        answers=answers,
        problems=problems + found,
        review=[],
        form=form,
    )


def _field_problems(names, form: Form, code: str, says) -> list[Problem]:
    """One error per field of a flattened copy: `says(name)` the words after the
    question's name."""
    out = []
    for name in names:
        q = form.question(name.removesuffix("__other_text"))
        out.append(Problem(q.id, code, "error", f"{_name_of(q)}: {says(name)}"))
    return out


def _text_beyond_problems(beyond: dict[str, str], form: Form) -> list[Problem]:
    """Typed text that runs on past its box on a flattened copy: the answer read is what
    the box holds, and the rest is quoted (SPEC §4: a problem never drops raw text)."""
    return _field_problems(
        beyond,
        form,
        "text_beyond_box",
        lambda name: msg("parse.text_beyond_box", beyond=repr(beyond[name])),
    )


def _unsure_problems(unsure: dict[str, str], form: Form, lang: str) -> list[Problem]:
    """Typed answers of a flattened copy in a language whose letters the fields' font
    lacks, or that is written right to left: read as drawn, never certain
    (read/flattened.py says what clients do)."""

    def says(name: str) -> str:
        letters = unsure[name]
        if all(fonts.has_rtl(ch) for ch in letters):
            why = msg("parse.unsure_rtl")
        else:
            why = msg("parse.unsure_letters", letters=repr(letters))
        return msg("parse.text_unsure", lang=lang, why=why)

    return _field_problems(unsure, form, "text_unsure", says)


def _runs_on_problems(runs_on: list[str], form: Form) -> list[Problem]:
    """Boxes that typed text from the box above runs on into, on a flattened copy: what
    such a box holds may be the end of the answer above (read/flattened.py)."""
    return _field_problems(
        runs_on,
        form,
        "text_unsure",
        lambda _name: msg("parse.runs_on"),
    )


def _text_fills_box_problems(full: dict[str, int], answers: dict, form: Form) -> list[Problem]:
    """Typed text that reaches the bottom of its box on a flattened copy, with nothing
    found past it: a printer may have cut off the rest without a trace (read/flattened.py,
    _room_left). What was read is quoted; the answer may go on.

    An error when a line more would not show in the box; a warning when one more
    would, but not a paragraph after an empty line."""
    out = []
    for name, room in full.items():
        q = form.question(name.removesuffix("__other_text"))
        read = answers.get(q.id) if name == q.id else None
        quoted = msg("parse.read_quoted", read=repr(read)) if isinstance(read, str) else ""
        key = "parse.text_fills_box" if room == 0 else "parse.text_nearly_fills_box"
        severity = "error" if room == 0 else "warning"
        out.append(
            Problem(q.id, "text_fills_box", severity, msg(key, question=_name_of(q), read=quoted))
        )
    return out


TYPED_TYPES = ("text", "textarea", "number", "date", "personnummer")


def _typed_fields(form: Form) -> bool:
    return any(q.type in TYPED_TYPES or q.other is not None for q in form.answerable)


def _letters_warning(letters: str) -> Problem:
    """A flattened copy keeps for certain only the letters of the fields' font: a letter
    outside them (ễ, Ł or ŋ where the font is Windows-1252's) may have been left out by
    the program that flattened it, with no trace on the page (docs/viewers.md). Said
    once per file."""
    return Problem(None, "text_unsure", "warning", msg("parse.letters_warning", letters=letters))


def _damage_message(damage: list[str]) -> str:
    return msg("parse.file_damaged", damage="; ".join(damage))


def _name_of(q) -> str:
    if q.number:
        return msg("interpret.question_numbered", number=q.number, id=q.id)
    return msg("interpret.question", id=q.id)


def _form_guessed(form: Form, versions: list[str]) -> Problem:
    """A file that names no form was read as the form whose fields it has: never taken
    silently, least of all when versions with the same fields differ in their options or
    wording."""
    others = sorted(set(versions) - {form.version})
    also = msg("parse.form_guessed_also", versions=", ".join(others)) if others else ""
    return Problem(
        None,
        DAMAGED,
        "error",
        msg("parse.form_guessed", form=form.id, version=form.version, also=also),
    )


def _language_unknown(said: str | None, form: Form) -> Problem:
    """The language cannot be trusted: it is never taken silently from the definition."""
    why = msg("parse.language_unknown", lang=said) if said else msg("parse.language_unsaid")
    read_as = msg("parse.read_as_first_language", why=why, lang=form.default_language)
    return Problem(None, DAMAGED, "error", read_as)


# The field type (/FT) each kind of question's fields have in our PDFs (SPEC §2).
_FIELD_TYPE = {"dropdown": "/Ch", "single": "/Btn", "scale": "/Btn", "yesno": "/Btn"}
_FIELD_TYPE |= {"multiple": "/Btn", "grid": "/Btn"}
_TYPE_WORDS = {"/Tx": "parse.type_text", "/Btn": "parse.type_button", "/Ch": "parse.type_choice"}


def _unreadable_fields(raw: RawForm, form: Form) -> dict[str, tuple[Question, str]]:
    """Fields whose value cannot be known: field name → (question, why).

    What the reader found broken, and fields whose type in the file is not the
    one the form gives them: a value is never taken from a field whose type
    cannot be known.
    """
    found: dict[str, tuple[Question, str]] = {}
    if not raw.field_faults and not raw.field_types:
        return found
    for q in form.answerable:
        for name in q.field_names():
            why = raw.field_faults.get(name)
            if why is None and name in raw.field_types:
                want = "/Tx" if name.endswith("__other_text") else _FIELD_TYPE.get(q.type, "/Tx")
                have = raw.field_types[name]
                if have != want:
                    why = msg(
                        "parse.field_type",
                        have=msg(_TYPE_WORDS.get(have, "parse.type_strange")),
                        want=msg(_TYPE_WORDS[want]),
                    )
            if why is not None:
                found[name] = (q, why)
    return found


def _left_out(unreadable: dict[str, tuple[Question, str]]) -> set[str]:
    """The fields whose values are not taken: the unreadable ones, and all the boxes of a
    multiple with one unreadable (with one box unknown, what was chosen is not known)."""
    names = set(unreadable)
    for q, _why in unreadable.values():
        if q.type == "multiple":
            names.update(n for n in q.field_names() if not n.endswith("__other_text"))
    return names


def _unreadable_problems(unreadable: dict[str, tuple[Question, str]]) -> list[Problem]:
    """One damaged_file error per question, naming each of its fields that cannot be read."""
    by_question: dict[str, list] = {}
    for name, (q, why) in unreadable.items():
        by_question.setdefault(q.id, [q]).append(msg("parse.the_field", name=name, why=why))
    return [
        Problem(
            q.id,
            DAMAGED,
            "error",
            msg("parse.field_damaged", question=_name_of(q), why="; ".join(whys)),
        )
        for q, *whys in by_question.values()
    ]


def _read_drawn_values(raw: RawForm, form: Form, lang: str) -> None:
    """Fill a flattened file's raw values from its drawn pages, with the form's layout."""
    try:
        layouts = [
            build_layout(form, lang, large, raw.identity.edition or FIRST_EDITION)
            for large in (False, True)
        ]
    except ValueError as exc:  # an edition this pdfforms does not know
        raise ReadError(str(exc)) from None
    if raw.identity.large_print is not None:
        layout = layouts[int(raw.identity.large_print)]
    else:  # the file does not say: the printing whose page count matches
        layout = next((lay for lay in layouts if len(lay.pages) == raw.pages), layouts[0])
    if len(layout.pages) != raw.pages:
        raise ReadError(
            msg(
                "parse.page_count",
                n=raw.pages,
                form=form.id,
                version=form.version,
                lang=lang,
                pages=len(layout.pages),
            )
        )
    drawn = read_flattened(raw.data, layout)
    raw.fields, raw.multiple_marks = drawn.fields, drawn.multiple_marks
    raw.damage += drawn.damage
    raw.beyond = drawn.beyond
    raw.field_faults.update(drawn.faults)
    raw.unsure = drawn.unsure
    raw.typed_letters = layout.fields_font.letters
    raw.runs_on = drawn.runs_on
    raw.full = drawn.full


def parse(
    path: str | Path,
    definitions: list[Path] | None = None,
    today: datetime.date | None = None,
    review_dir: Path | None = None,
) -> Response:
    """Parse one returned form. Raises ReadError (with a message for people) if it can't.

    A scan holding several questionnaires is refused here: parse_document reads them all.
    """
    result = parse_document(path, definitions, today, review_dir)
    if len(result.responses) != 1:
        raise ReadError(msg("parse.many_questionnaires", n=len(result.responses)))
    return result.responses[0]


def parse_document(
    path: str | Path,
    definitions: list[Path] | None = None,
    today: datetime.date | None = None,
    review_dir: Path | None = None,
) -> ScanResult:
    """Every questionnaire in a file, and (for scans) what became of each page.

    A PDF with fields, or a flattened one, is one questionnaire; a scan (an
    image-only PDF, or PNG/JPEG/TIFF) may hold many.
    """
    from ..read.scan.pages import IMAGE_SUFFIXES
    from .scan import ScanResult

    path = Path(path)
    check_regular_file(path)  # a pipe or a device is never opened
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return _scan(path, definitions, review_dir, None, today)
    raw = read_file(path)
    if raw.kind == "scan":
        result = _scan(path, definitions, review_dir, raw.data, today)
        if raw.damage:
            for response in result.responses:
                response.problems.insert(
                    0, Problem(None, DAMAGED, "error", _damage_message(raw.damage))
                )
        return result
    return ScanResult([parse_raw(raw, definitions, today)], [])


def scan_page_count(path: str | Path) -> int | None:
    """The pages of a scan file that can be read in parts (parse/scan.py, read_pages):
    an image-only PDF that is not damaged, or an image file. None for any other file,
    and for one this cannot tell: parse_document then reads it whole, and says why
    if it cannot."""
    from ..read.scan.pages import IMAGE_SUFFIXES, ScanPages

    path = Path(path)
    try:
        check_regular_file(path)
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            raw = read_file(path)
            if raw.kind != "scan" or raw.damage:  # a damaged one is read as qpdf rewrote it
                return None
        with ScanPages(path) as pages:
            return len(pages)
    except Exception:  # noqa: BLE001 - read whole, where its reason is found and said
        return None


def assemble_document(
    path: str | Path,
    results: list,
    definitions: list[Path] | None = None,
    today: datetime.date | None = None,
    review_dir: Path | None = None,
) -> ScanResult:
    """A scan file from its page ranges' results (parse/scan.py, read_pages), as
    parse_document reads it whole."""
    return _scan(Path(path), definitions, review_dir, None, today, results)


def _scan(
    path: Path,
    definitions: list[Path] | None,
    review_dir: Path | None,
    data: bytes | None,
    today: datetime.date | None,
    results: list | None = None,
) -> ScanResult:
    from .scan import assemble_scan, parse_scan

    try:
        if results is not None:
            result = assemble_scan(path, results, definitions, review_dir, today)
        else:
            result = parse_scan(path, definitions, review_dir, data, today)
    except OSError as exc:
        raise ReadError(msg("parse.not_a_scan", reason=exc)) from None
    except (ValueError, SyntaxError) as exc:  # Pillow's word for a file it cannot decode
        raise ReadError(msg("parse.not_an_image", reason=exc)) from None
    if not result.responses:
        pages = ", ".join(
            msg("parse.page_note", page=p.page, note=p.note or p.status) for p in result.pages
        )
        raise ReadError(msg("parse.no_form_in_scan", pages=pages))
    return result
