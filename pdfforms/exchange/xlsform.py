"""XLSForm in: a workbook made for ODK or KoboToolbox → a definition of ours.

`import_xlsform(path)` reads the three sheets of the XLSForm standard
(https://xlsform.org): `survey` (one question, group or repeat a row), `choices`
(the answer lists) and `settings` (title, id, version, default language), and
returns the definition as a dict ready to be written as YAML, with a `Note` for
everything that could not be carried over, by sheet and row. Nothing is dropped
in silence: a question type paper cannot hold (a GPS point, a photo, a
calculation) is left out and listed; a `relevant` our conditions cannot express
leaves its question unconditional, and says so.

How it maps:

- languages: `label::Svenska (sv)`, `label::English (en)`, `label::sv`,
  `label::English` (a name we know) → `sv`, `en`; Swedish first, English second,
  the others after in the order of their columns. A language our fonts cannot
  print is left out. Plain `label` columns are the settings' `default_language`,
  or the texts of every language a translation is missing in (as ODK shows them);
- `begin group` at the top → a section (its `relevant` the section's condition);
  a group inside a group → a heading (an `info`), its `relevant` added to each of
  its questions; `begin repeat` → a `group` table when its questions are 1–4 text,
  number or date columns, else left out;
- `relevant`: `${q} = 'x'`, `${q} != 'x'`, `selected(${q}, 'x')`, numbers compared
  (`${age} >= 65`), `not(...)`, `and`, `or` and brackets, about an earlier
  question with choices or a number → `enable_when`;
- `required` yes/true/1 → `required: true`; `constraint` of a number
  (`. >= 0 and . <= 120`) → `min`/`max`.

Bad input (not a workbook, no survey sheet, an answer list that is not there, a
name used twice, a group not closed) is an `XlsformError` naming the file and
the sheet and row.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..model.errors import PdfformsError
from ..model.messages import text as msg
from ..model.printable import unprintable

# XLSForm's question types that become ours directly (pyxform's names and aliases)
SIMPLE_TYPES = {
    "text": "text",
    "string": "text",
    "integer": "number",
    "int": "number",
    "decimal": "number",
    "date": "date",
}
# A repeat's columns: what our `group` takes (README, "One example per type")
COLUMN_TYPES = {"text": "text", "integer": "number", "decimal": "number", "date": "date"}
MAX_COLUMNS = 4  # a group's columns, as model/definition.py checks them
MAX_ROWS = 12  # a group's printed rows, likewise
DEFAULT_ROWS = 6  # rows printed for a repeat whose count is not a number (ODK: as many as wanted)
TEXTAREA_LINES = 4  # a text with appearance `multiline`
VERSION_LENGTH = 20  # a version's characters, as model/definition.py checks them
MAX_SCALE_POINTS = 11  # a scale's points (0–10), as model/definition.py checks them
YES = {"yes", "true", "1", "true()"}
NO = {"", "no", "false", "0", "false()"}

# Languages named in words rather than codes, in the headers of forms we have seen
# (pyxform's tests, KoboToolbox's templates) and the languages of Swedish care.
LANGUAGE_NAMES = {
    "svenska": "sv",
    "swedish": "sv",
    "english": "en",
    "engelska": "en",
    "finnish": "fi",
    "suomi": "fi",
    "finska": "fi",
    "northern sami": "se",
    "davvisámegiella": "se",
    "arabic": "ar",
    "arabiska": "ar",
    "somali": "so",
    "persian": "fa",
    "farsi": "fa",
    "dari": "prs",
    "ukrainian": "uk",
    "russian": "ru",
    "polish": "pl",
    "german": "de",
    "deutsch": "de",
    "french": "fr",
    "français": "fr",
    "spanish": "es",
    "español": "es",
    "portuguese": "pt",
    "swahili": "sw",
    "chinese": "zh",
    "tigrinya": "ti",
    "turkish": "tr",
    "norwegian": "nb",
    "danish": "da",
}
_CODE_IN_NAME = re.compile(r"\(([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?\)\s*$")

# Columns that carry nothing to paper but do no harm left out: how a question looks
# in an app, or what the app says when an answer is refused (the refusal itself, the
# constraint, is mapped or listed).
QUIET_COLUMNS = {
    "appearance",
    "constraint_message",
    "required_message",
    "requiredmsg",
    "jr:constraintmsg",
    "jr:requiredmsg",
    "autoplay",
    "buttontext",
    "noapperrorstring",
    "rows",
    "body::accuracythreshold",
    "parameters",
    "comment",
    "comments",
    "note",
    "notes",
    "calculation",
}
KNOWN_COLUMNS = {
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "choice_filter",
    "repeat_count",
    "default",
    "read_only",
    "disabled",
    "guidance_hint",
}


class XlsformError(PdfformsError):
    """A workbook that is not an XLSForm we can read; the message names the file and
    the sheet and row."""


@dataclass(frozen=True)
class Note:
    """Something of the workbook that could not be carried over: where it is (sheet,
    row; row 0 for a whole sheet or column) and what became of it."""

    sheet: str
    row: int
    text: str

    def __str__(self) -> str:
        if self.row:
            return msg("xlsform.at_row", sheet=self.sheet, row=self.row, text=self.text)
        return msg("xlsform.at_sheet", sheet=self.sheet, text=self.text)


class _Unsupported(Exception):
    """A `relevant` our conditions cannot express; the message says what."""


@dataclass
class _Row:
    """One row of a sheet: its number as the spreadsheet shows it, and its cells by
    (column, language or None)."""

    number: int
    cells: dict[tuple[str, str | None], str]

    def get(self, column: str) -> str:
        return self.cells.get((column, None), "")


@dataclass
class _Asked:
    """A question already carried over, as a condition may name it."""

    id: str
    type: str  # ours
    values: dict[str, str]  # the workbook's choice names → our option values
    decimals: int | None = None


def import_xlsform(path: str | Path) -> tuple[dict, list[Note]]:
    """The definition an XLSForm workbook describes (a dict ready for YAML), and a
    Note for each thing that could not be carried over. Raises XlsformError for a
    file that is not an XLSForm workbook, naming the file and the sheet and row."""
    path = Path(path)
    sheets = _read_workbook(path)
    return _Importer(path, sheets).run()


# -- the workbook ------------------------------------------------------------------------


def _read_workbook(path: Path) -> dict[str, list[tuple[int, tuple]]]:
    """Each sheet's rows that hold something, as (row number, cell values), by the
    sheet's name in lower case."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if path.suffix.lower() == ".xls":
        raise XlsformError(msg("xlsform.xls", path=path))
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise XlsformError(msg("xlsform.no_file", path=path)) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise XlsformError(msg("xlsform.not_workbook", path=path, reason=exc)) from None
    sheets = {}
    try:
        for ws in workbook.worksheets:
            # A sheet's stated size is often the whole grid (A1:AMJ1048576 in a form saved
            # by LibreOffice, pyxform's UCL form among them): padded to it, reading took
            # 280 s and 8 GB. Without it, a row is as wide as the file has it, and only
            # the rows that hold something are kept (a million empty ones are skipped).
            ws.reset_dimensions()
            sheets[ws.title.strip().lower()] = [
                (number, values)
                for number, values in enumerate(ws.iter_rows(values_only=True), start=1)
                if any(_cell(v) for v in values)
            ]
        return sheets
    finally:
        workbook.close()


def _cell(value) -> str:
    """A cell as the text XLSForm reads in it: 12.0 → "12", TRUE → "true"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(cell: str) -> tuple[str, str | None]:
    """A column's name and language: `label::English (en)` → ("label", "English (en)");
    pyxform also takes one colon, and `list name` for `list_name`."""
    parts = [p.strip() for p in re.split(r"::?", cell)]
    base = parts[0].lower().replace(" ", "_")
    if base == "media" and len(parts) > 1:  # media::image::English
        base, parts = f"media::{parts[1].lower()}", parts[1:]
    lang = parts[1] if len(parts) > 1 and parts[1] else None
    if lang is not None and lang.lower() == "default":  # pyxform's name for no language
        lang = None
    return base, lang


def _language_code(name: str) -> str | None:
    """Our code of a language named in a header, or None when it cannot be told."""
    said = _CODE_IN_NAME.search(name)
    if said:
        return said.group(1).lower()
    word = name.strip().lower()
    if re.fullmatch(r"[a-z]{2,3}", word):
        return word
    return LANGUAGE_NAMES.get(word)


def _ascii_word(text: str) -> str:
    """Letters without their accents (å → a), other characters as '_'."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9_]", "_", plain)


def _ident(name: str) -> str:
    """A name of XLSForm (letters, digits, '-', '.', '_', any case) as our id."""
    word = re.sub(r"_{2,}", "_", _ascii_word(name).lower()).strip("_")
    if not word or not word[0].isalpha():
        word = f"q_{word}".rstrip("_")
    return word


def _option_value(name: str) -> str:
    word = re.sub(r"_{2,}", "_", _ascii_word(name)).strip("_")
    return word or "v"


class _Importer:
    def __init__(self, path: Path, sheets: dict[str, list[tuple[int, tuple]]]):
        self.path = path
        self.sheets = sheets
        self.notes: list[Note] = []
        self.ids: set[str] = set()
        self.asked: dict[str, _Asked] = {}  # the workbook's name → the question carried over
        self.unmapped_langs: set[str] = set()
        self.section_ids: set[str] = set()
        self.lost_rows: set[int] = set()  # rows whose relevant could not be carried over

    def fail(self, sheet: str, row: int, key: str, **values) -> XlsformError:
        where = msg("xlsform.where", sheet=sheet, row=row) if row else sheet
        return XlsformError(
            msg("xlsform.error", path=self.path, where=where, text=msg(key, **values))
        )

    def note(self, sheet: str, row: int, key: str, **values) -> None:
        self.notes.append(Note(sheet, row, msg(key, **values)))

    # -- sheets into rows --

    def rows(self, sheet: str, required: bool) -> list[_Row]:
        raw = self.sheets.get(sheet)
        if raw is None:
            if required:
                raise XlsformError(msg("xlsform.no_sheet", path=self.path, sheet=sheet))
            return []
        if not raw:
            if required:
                raise XlsformError(msg("xlsform.no_sheet", path=self.path, sheet=sheet))
            return []
        headers = [_header(_cell(c)) if _cell(c) else None for c in raw[0][1]]
        out = []
        for i, values in raw[1:]:
            cells = {}
            for header, value in zip(headers, values, strict=False):
                text = _cell(value)
                if header is not None and text:
                    cells[header] = text
            if cells:
                out.append(_Row(i, cells))
        self.check_columns(sheet, headers, out)
        return out

    def check_columns(self, sheet: str, headers, rows: list[_Row]) -> None:
        """A column of a sheet we do not carry, that holds something: listed once."""
        known = KNOWN_COLUMNS if sheet == "survey" else {"list_name", "name", "label"}
        if sheet == "settings":
            known = SETTINGS
        for header in dict.fromkeys(h for h in headers if h is not None):
            base, lang = header
            if base in known or base in QUIET_COLUMNS or not any(header in r.cells for r in rows):
                continue
            if sheet == "choices" and lang is None:
                continue  # a column a choice_filter tests; the filter itself is listed
            column = f"{base}::{lang}" if lang else base
            self.note(sheet, 0, "xlsform.column_left_out", column=column)

    # -- the whole --

    def run(self) -> tuple[dict, list[Note]]:
        settings = self.rows("settings", required=False)
        self.settings = settings[0] if settings else _Row(0, {})
        survey = self.rows("survey", required=True)
        choice_rows = self.rows("choices", required=False)
        self.languages, self.plain_as = self.pick_languages(survey, choice_rows)
        self.lists = self.choice_lists(choice_rows)
        self.check_names(survey)
        sections = self.sections(survey)
        if not any(s["questions"] for s in sections):
            raise XlsformError(msg("xlsform.nothing", path=self.path))
        option_sets = {name: opts for name, opts in self.used_sets.items()}
        form_id = self.form_id()
        version = self.version()
        title = self.settings.get("form_title") or form_id
        definition: dict = {
            "form": form_id,
            "version": version,
            "languages": self.languages,
            "title": title,
        }
        if option_sets:
            definition["option_sets"] = option_sets
        definition["sections"] = sections
        return definition, self.notes

    def form_id(self) -> str:
        said = self.settings.get("form_id")
        raw = said or self.path.stem
        word = re.sub(r"[^a-z0-9_-]", "-", _ascii_word(raw).lower())
        word = re.sub(r"-{2,}", "-", re.sub(r"_{2,}", "_", word)).strip("-_")
        if not word or not word[0].isalpha():
            word = f"form-{word}".rstrip("-")
        if said and word != said:
            self.note("settings", self.settings.number, "xlsform.id_changed", name=said, id=word)
        return word

    def version(self) -> str:
        """The settings' version as ours: letters, digits, '.', '_' and '-', at most 20
        (a date and time that Excel made of it is written as digits)."""
        said = self.settings.get("version")
        if not said:
            return "1"
        stamp = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(?: (\d\d):(\d\d)[\d:.]*)?", said)
        ours = "".join(p for p in stamp.groups() if p) if stamp else said
        ours = re.sub(r"[^A-Za-z0-9._-]", "_", ours)[:VERSION_LENGTH] or "1"
        if ours != said:
            self.note(
                "settings", self.settings.number, "xlsform.version_changed", said=said, ours=ours
            )
        return ours

    # -- languages --

    def pick_languages(self, survey, choices) -> tuple[list[str], str | None]:
        """The form's languages (sv, en, then the others as their columns come) and the
        language plain columns are in (None: they fill in missing translations)."""
        named: dict[str, str] = {}  # header's name → code
        plain = False
        for sheet, rows in (("survey", survey), ("choices", choices)):
            for row in rows:
                for (base, lang), _ in row.cells.items():
                    if base not in ("label", "hint"):
                        continue
                    if lang is None:
                        plain = True
                    elif lang not in named:
                        code = _language_code(lang)
                        if code is None:
                            if lang not in self.unmapped_langs:
                                self.unmapped_langs.add(lang)
                                self.note(sheet, 0, "xlsform.language_unknown", language=lang)
                            continue
                        named[lang] = code
        self.lang_of = named
        codes = list(dict.fromkeys(named.values()))
        default = self.settings.get("default_language")
        plain_as = _language_code(default) if default else None
        if plain and plain_as is None and not codes:
            plain_as = "sv"
            self.note("settings", 0, "xlsform.language_assumed", lang="sv")
        if plain and plain_as and plain_as not in codes:
            codes.append(plain_as)
        order = [c for c in ("sv", "en") if c in codes] + [
            c for c in codes if c not in ("sv", "en")
        ]
        if not order:
            order = [plain_as or "sv"]
        # a language whose texts our fonts cannot draw is left out (its texts would
        # print as squares); the form keeps the others
        keep = []
        for code in order:
            bad = self.unprintable_in(code, survey, choices, plain_as)
            if bad and len(order) > 1:
                self.note("survey", 0, "xlsform.language_unprintable", lang=code, chars=bad)
            else:
                keep.append(code)
        if not keep:
            keep = order[:1]
        return keep, plain_as

    def unprintable_in(self, code, survey, choices, plain_as) -> str:
        chars: dict[str, None] = {}
        for rows in (survey, choices):
            for row in rows:
                for (base, lang), value in row.cells.items():
                    if base not in ("label", "hint"):
                        continue
                    if (lang is None and plain_as == code) or (
                        lang is not None and self.lang_of.get(lang) == code
                    ):
                        chars.update(dict.fromkeys(unprintable(value, code)))
        return "".join(list(chars)[:5])

    def text(self, row: _Row, column: str, sheet: str):
        """A text of the row in every language: one string when all are the same, a map
        when they differ, None when there is none. A missing translation is filled from
        the plain column, else from the first language that has one, and noted."""
        given: dict[str, str] = {}
        plain = ""
        for (base, lang), value in row.cells.items():
            if base != column:
                continue
            if lang is None:
                plain = value
            elif lang in self.lang_of and self.lang_of[lang] in self.languages:
                given.setdefault(self.lang_of[lang], value)
        if plain and self.plain_as in self.languages:
            given.setdefault(self.plain_as, plain)
        if not given and not plain:
            return None
        missing = [lang for lang in self.languages if lang not in given]
        if missing:
            fallback = plain or given[next(lang for lang in self.languages if lang in given)]
            if given and not plain:
                self.note(
                    sheet,
                    row.number,
                    "xlsform.translation_missing",
                    column=column,
                    langs=", ".join(missing),
                )
            for lang in missing:
                given[lang] = fallback
        texts = {lang: given[lang] for lang in self.languages}
        if len(set(texts.values())) == 1:
            return texts[self.languages[0]]
        return texts

    def other_label(self):
        texts = {}
        for lang in self.languages:
            texts[lang] = msg("xlsform.other_label", in_lang=lang if lang in ("sv", "en") else "en")
        if len(set(texts.values())) == 1:
            return texts[self.languages[0]]
        return texts

    # -- choices --

    def choice_lists(
        self, rows: list[_Row]
    ) -> dict[str, tuple[list[dict], dict[str, str], object]]:
        """Each list: its options (ours), the choice names → values, and the label of a
        choice named `other` (our write-in choice) or None."""
        lists: dict[str, tuple[list[dict], dict[str, str], object]] = {}
        allow_twice = self.settings.get("allow_choice_duplicates").lower() in YES
        for row in rows:
            name = row.get("list_name")
            value = row.get("name")
            if not name or not value:
                self.note("choices", row.number, "xlsform.choice_incomplete")
                continue
            options, values, _other = lists.setdefault(name, ([], {}, None))
            if value in values:
                # settings allow it for choice_filter: one box per value on paper, and
                # the filter that told them apart is listed at its question
                if allow_twice:
                    self.note(
                        "choices", row.number, "xlsform.choice_twice_kept", value=value, list=name
                    )
                    continue
                raise self.fail(
                    "choices", row.number, "xlsform.choice_twice", value=value, list=name
                )
            label = self.text(row, "label", "choices")
            if label is None:
                label = value
                self.note("choices", row.number, "xlsform.choice_no_label", value=value)
            if value.lower() == "other":
                values[value] = "other"
                lists[name] = (options, values, label)
                continue
            ours = _option_value(value)
            taken = set(values.values())
            base, n = ours, 2
            while ours in taken or ours.lower() == "other":
                ours, n = f"{base}_{n}", n + 1
            if ours != value:
                self.note("choices", row.number, "xlsform.value_changed", value=value, ours=ours)
            values[value] = ours
            options.append({"value": ours, "label": label})
        return lists

    # -- names --

    def check_names(self, survey: list[_Row]) -> None:
        seen: dict[str, int] = {}
        for row in survey:
            kind = _kind(row.get("type"))
            if kind in ("end group", "end repeat", "end loop"):
                continue
            name = row.get("name")
            if not name:
                if row.get("type"):
                    if kind in ("begin group", "begin repeat", "begin loop", "note"):
                        continue  # a name-less group: pyxform allows it
                    raise self.fail("survey", row.number, "xlsform.no_name")
                continue
            if name in seen:
                raise self.fail(
                    "survey", row.number, "xlsform.name_twice", name=name, other=seen[name]
                )
            seen[name] = row.number

    def new_id(self, name: str, row: int, fallback: str) -> str:
        ours = _ident(name) if name else fallback
        base, n = ours, 2
        while ours in self.ids:
            ours, n = f"{base}_{n}", n + 1
        self.ids.add(ours)
        if name and ours != name:
            self.note("survey", row, "xlsform.id_changed", name=name, id=ours)
        return ours

    # -- the survey --

    def sections(self, survey: list[_Row]) -> list[dict]:
        self.used_sets: dict[str, list[dict]] = {}
        self.set_names: dict[str, str] = {}
        sections: list[dict] = []
        current: dict | None = None
        stack: list[tuple[str, _Row, object]] = []  # (kind, row, condition or None)
        i = 0
        while i < len(survey):
            row = survey[i]
            kind = _kind(row.get("type"))
            if not row.get("type"):
                if any(v for (b, _), v in row.cells.items() if b in ("name", "label")):
                    self.note("survey", row.number, "xlsform.no_type")
                i += 1
                continue
            if row.get("disabled").lower() in YES:
                self.note("survey", row.number, "xlsform.disabled")
                i += 1
                continue
            if kind == "begin group":
                rule = self.relevant(row)
                if not stack:
                    current = self.new_section(sections, row, rule)
                else:
                    current = current or self.new_section(sections, None, None)
                    label = self.text(row, "label", "survey")
                    inner = [c for _, _, c in stack[1:] if c is not None] + ([rule] if rule else [])
                    if label is not None:
                        heading = {
                            "id": self.new_id(row.get("name"), row.number, "rubrik"),
                            "type": "info",
                            "label": label,
                        }
                        if inner and (when := _all(inner)) is not None:
                            heading["enable_when"] = when
                        current["questions"].append(heading)
                stack.append(("group", row, rule))
                i += 1
                continue
            if kind == "end group":
                if not stack or stack[-1][0] != "group":
                    raise self.fail("survey", row.number, "xlsform.end_without_begin", kind="group")
                stack.pop()
                if not stack:
                    current = None
                i += 1
                continue
            if kind in ("begin repeat", "begin loop"):
                end = self.matching_end(survey, i, kind)
                current = current or self.new_section(sections, None, None)
                conditions = [c for _, _, c in stack[1:] if c is not None]
                question = self.repeat(row, survey[i + 1 : end], kind, conditions)
                if question is not None:
                    current["questions"].append(question)
                i = end + 1
                continue
            if kind in ("end repeat", "end loop"):
                raise self.fail("survey", row.number, "xlsform.end_without_begin", kind="repeat")
            question = self.question(row, kind)
            if question is not None:
                current = current or self.new_section(sections, None, None)
                inner = [c for _, _, c in stack[1:] if c is not None]
                own = question.pop("enable_when", None)
                parts = inner + ([own] if own is not None else [])
                if parts:
                    question["enable_when"] = _all(parts)
                lost = {row.number, *(r.number for _, r, _ in stack)} & self.lost_rows
                if lost and question.pop("required", False):
                    # asked of everyone now, so required would be an error for each who
                    # was rightly not asked: the required goes with the condition
                    self.note("survey", row.number, "xlsform.required_dropped")
                current["questions"].append(question)
            i += 1
        if stack:
            raise self.fail("survey", stack[-1][1].number, "xlsform.not_closed", kind=stack[-1][0])
        kept = []
        for section in sections:
            if section["questions"]:
                kept.append(section)
            else:
                self.note("survey", section.pop("_row"), "xlsform.section_empty")
        for section in kept:
            section.pop("_row", None)
        return kept

    def new_section(self, sections: list[dict], row: _Row | None, rule) -> dict:
        number = len(sections) + 1
        name = row.get("name") if row else ""
        section: dict = {"id": self.section_id(name, number, row)}
        if row is not None:
            title = self.text(row, "label", "survey")
            if title is not None:
                section["title"] = title
            if rule is not None:
                section["enable_when"] = rule
        section["questions"] = []
        section["_row"] = row.number if row else 0
        sections.append(section)
        return section

    def section_id(self, name: str, number: int, row: _Row | None) -> str:
        ours = _ident(name) if name else f"del_{number}"
        base, n = ours, 2
        while ours in self.section_ids:
            ours, n = f"{base}_{n}", n + 1
        self.section_ids.add(ours)
        return ours

    def matching_end(self, survey: list[_Row], start: int, kind: str) -> int:
        depth = 0
        for j in range(start, len(survey)):
            k = _kind(survey[j].get("type"))
            if k in ("begin repeat", "begin loop"):
                depth += 1
            elif k in ("end repeat", "end loop"):
                depth -= 1
                if depth == 0:
                    return j
        raise self.fail("survey", survey[start].number, "xlsform.not_closed", kind="repeat")

    # -- one question --

    def question(self, row: _Row, kind: str) -> dict | None:
        name = row.get("name")
        label = self.text(row, "label", "survey")
        if kind == "note":
            if label is None:
                self.note("survey", row.number, "xlsform.note_empty")
                return None
            q = {"id": self.new_id(name, row.number, "info"), "type": "info", "text": label}
            self.common(row, q, answerable=False)
            return q
        select = _select(row.get("type"))
        if kind not in SIMPLE_TYPES and select is None and kind != "range":
            self.note("survey", row.number, "xlsform.type_left_out", type=row.get("type"))
            return None
        if select is not None and select[1] not in self.lists:
            raise self.fail("survey", row.number, "xlsform.no_list", list=select[1])
        qid = self.new_id(name, row.number, "fraga")
        if label is None:
            label = name
            self.note("survey", row.number, "xlsform.no_label", name=name)
        q: dict = {"id": qid, "type": "", "label": label}
        asked = _Asked(qid, "", {})
        if select is not None:
            multiple, list_name, or_other = select
            options, values, other_label = self.lists[list_name]
            q["type"] = "multiple" if multiple else "single"
            q["options"] = self.option_set(list_name, options)
            if other_label is not None:
                q["other"] = other_label
                self.note("survey", row.number, "xlsform.other_choice", list=list_name)
            elif or_other:
                q["other"] = self.other_label()
                values = {**values, "other": "other"}
            if row.get("choice_filter"):
                self.note(
                    "survey", row.number, "xlsform.choice_filter", filter=row.get("choice_filter")
                )
            asked = _Asked(qid, q["type"], values)
        elif kind == "range":
            self.range(row, q)
            asked = _Asked(qid, q["type"], {}, q.get("decimals"))
        else:
            q["type"] = SIMPLE_TYPES[kind]
            if q["type"] == "text" and "multiline" in row.get("appearance").lower():
                q["type"], q["lines"] = "textarea", TEXTAREA_LINES
            if q["type"] == "number" and kind in ("integer", "int"):
                q["decimals"] = 0
            if q["type"] == "number":
                self.bounds(row, q, kind)
            asked = _Asked(qid, q["type"], {}, q.get("decimals"))
        self.common(row, q, answerable=True)
        if name:
            self.asked[name] = asked
        return q

    def common(self, row: _Row, q: dict, answerable: bool) -> None:
        """help, required, the condition, and the notes of what else the row holds."""
        hint = self.text(row, "hint", "survey")
        if hint is not None:
            q["help"] = hint
        if answerable:
            required = row.get("required").lower()
            if required in YES:
                q["required"] = True
            elif required not in NO:
                self.note(
                    "survey",
                    row.number,
                    "xlsform.required_expression",
                    expression=row.get("required"),
                )
            if row.get("constraint") and q["type"] != "number":
                self.note(
                    "survey", row.number, "xlsform.constraint", expression=row.get("constraint")
                )
        rule = self.relevant(row)
        if rule is not None:
            q["enable_when"] = rule
        if row.get("default"):
            self.note("survey", row.number, "xlsform.default", value=row.get("default"))
        if row.get("read_only").lower() in YES and answerable:
            self.note("survey", row.number, "xlsform.read_only")
        refers = sorted(
            {
                m
                for (b, _), v in row.cells.items()
                if b in ("label", "hint")
                for m in re.findall(r"\$\{([^}]*)\}", v)
            }
        )
        if refers:
            self.note(
                "survey",
                row.number,
                "xlsform.label_refers",
                names=", ".join(f"${{{n}}}" for n in refers),
            )

    def option_set(self, list_name: str, options: list[dict]) -> str:
        if list_name not in self.set_names:
            ours = _ident(list_name)
            base, n = ours, 2
            while ours in self.used_sets:
                ours, n = f"{base}_{n}", n + 1
            self.set_names[list_name] = ours
            self.used_sets[ours] = options
        return self.set_names[list_name]

    def bounds(self, row: _Row, q: dict, kind: str) -> None:
        """A number's constraint as min and max, when it is only that."""
        constraint = row.get("constraint")
        if not constraint:
            return
        bounds = _number_bounds(constraint, integer=kind in ("integer", "int"))
        if bounds is None:
            self.note("survey", row.number, "xlsform.constraint", expression=constraint)
            return
        q.update(bounds)

    def range(self, row: _Row, q: dict) -> None:
        params = dict(re.findall(r"(\w+)\s*=\s*(-?[\d.]+)", row.get("parameters")))
        try:
            start, end, step = (
                float(params.get(k, d)) for k, d in (("start", 1), ("end", 10), ("step", 1))
            )
        except ValueError:
            start, end, step = 1.0, 10.0, 1.0
        low, high = min(start, end), max(start, end)
        whole = all(float(v).is_integer() for v in (start, end, step))
        if whole and step == 1 and high - low + 1 <= MAX_SCALE_POINTS:
            q.update(type="scale", min=int(low), max=int(high))
            return
        q.update(type="number", min=_num(low), max=_num(high))
        if whole:
            q["decimals"] = 0
        self.note(
            "survey",
            row.number,
            "xlsform.range_number",
            start=_num(start),
            end=_num(end),
            step=_num(step),
        )

    # -- a repeat --

    def repeat(self, row: _Row, inner: list[_Row], kind: str, conditions: list) -> dict | None:
        label = self.text(row, "label", "survey")
        columns, left, why = [], [], None
        for item in inner:
            k = _kind(item.get("type"))
            if k in COLUMN_TYPES:
                columns.append((item, k))
            elif (
                k
                in (
                    "begin group",
                    "end group",
                    "begin repeat",
                    "end repeat",
                    "begin loop",
                    "end loop",
                    "note",
                )
                or _select(item.get("type")) is not None
            ):
                why = why or msg("xlsform.repeat_holds", type=item.get("type"), row=item.number)
            elif item.get("type"):
                left.append(item)
        if kind == "begin loop":
            why = why or msg("xlsform.loop")
        if not columns and why is None:
            why = msg("xlsform.repeat_empty")
        if len(columns) > MAX_COLUMNS and why is None:
            why = msg("xlsform.repeat_wide", n=len(columns), max=MAX_COLUMNS)
        if why is not None:
            names = [
                r.get("name")
                for r in inner
                if r.get("name") and not _kind(r.get("type")).startswith("end ")
            ]
            self.note(
                "survey", row.number, "xlsform.repeat_left_out", reason=why, names=", ".join(names)
            )
            return None
        for item in left:
            self.note("survey", item.number, "xlsform.type_left_out", type=item.get("type"))
        qid = self.new_id(row.get("name"), row.number, "tabell")
        if label is None:
            label = row.get("name") or qid
            self.note("survey", row.number, "xlsform.no_label", name=row.get("name"))
        count = row.get("repeat_count")
        rows = DEFAULT_ROWS
        if re.fullmatch(r"\d+", count) and 1 <= int(count) <= MAX_ROWS:
            rows = int(count)
        else:
            self.note("survey", row.number, "xlsform.repeat_rows", count=count or "-", rows=rows)
        items, item_ids = [], set()
        for item, k in columns:
            iid = _ident(item.get("name"))
            base, n = iid, 2
            while iid in item_ids:
                iid, n = f"{base}_{n}", n + 1
            item_ids.add(iid)
            column: dict = {
                "id": iid,
                "type": COLUMN_TYPES[k],
                "label": self.text(item, "label", "survey") or item.get("name"),
            }
            if k in ("integer",):
                column["decimals"] = 0
            if column["type"] == "number" and item.get("constraint"):
                bounds = _number_bounds(item.get("constraint"), integer=k == "integer")
                column.update(bounds or {})
            dropped = [
                c
                for c in ("relevant", "required", "hint", "default")
                if item.get(c) and not (c == "required" and item.get(c).lower() in NO)
            ]
            if column["type"] != "number" and item.get("constraint"):
                dropped.append("constraint")
            if dropped:
                self.note(
                    "survey", item.number, "xlsform.column_dropped", columns=", ".join(dropped)
                )
            items.append(column)
        q: dict = {"id": qid, "type": "group", "label": label, "rows": rows, "items": items}
        hint = self.text(row, "hint", "survey")
        if hint is not None:
            q["help"] = hint
        rule = self.relevant(row)
        parts = conditions + ([rule] if rule is not None else [])
        if parts:
            q["enable_when"] = _all(parts)
        return q

    # -- conditions --

    def relevant(self, row: _Row):
        expression = row.get("relevant")
        if not expression:
            return None
        try:
            return _Condition(expression, self.asked).parse()
        except _Unsupported as exc:
            self.lost_rows.add(row.number)
            self.note(
                "survey", row.number, "xlsform.relevant", expression=expression, reason=str(exc)
            )
            return None


def _kind(type_cell: str) -> str:
    """The question's kind as one spelling: 'begin_group' → 'begin group', 'select one
    from x' → 'select_one'."""
    words = type_cell.strip().split()
    if not words:
        return ""
    first = words[0].lower()
    if first in ("begin", "end") and len(words) > 1:
        return f"{first} {words[1].lower()}"
    if "_" in first and first.split("_", 1)[0] in ("begin", "end"):
        return first.replace("_", " ", 1)
    return first


def _select(type_cell: str) -> tuple[bool, str, bool] | None:
    """(multiple, list name, or_other) of a select type; None for any other type."""
    text = " ".join(type_cell.split())
    m = re.fullmatch(
        r"(?i)(select_one|select one|select_multiple|select multiple|select all that apply)"
        r"(?: from)? (\S+)( or_other| or specify other)?",
        text,
    )
    if m is None:
        return None
    return m.group(1).lower() not in ("select_one", "select one"), m.group(2), bool(m.group(3))


def _all(parts: list):
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"all": parts}


def _num(value: float):
    return int(value) if float(value).is_integer() else value


_BOUND = re.compile(r"^\s*\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$")


def _number_bounds(constraint: str, integer: bool) -> dict | None:
    """`. >= 0 and . <= 120` → {min: 0, max: 120}; None for any other constraint (a
    strict bound of a decimal has no min or max)."""
    out: dict = {}
    for part in re.split(r"\s+and\s+", constraint.strip()):
        m = _BOUND.match(part)
        if m is None:
            return None
        op, value = m.group(1), float(m.group(2))
        if op in (">", "<"):
            if not (integer and value.is_integer()):
                return None
            value += 1 if op == ">" else -1
        key = "min" if op.startswith(">") else "max"
        if key in out:
            return None
        out[key] = _num(value)
    return out or None


# -- relevant → enable_when -------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<ref>\$\{[^}]*\})|(?P<str>'[^']*'|\"[^\"]*\"|‘[^’]*’|“[^”]*”)"
    r"|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>!=|>=|<=|=|>|<)|(?P<punct>[(),])"
    r"|(?P<word>[A-Za-z_][\w:-]*)|(?P<dot>\.))"
)
_FLIP = {"=": "=", "!=": "!=", ">": "<", "<": ">", ">=": "<=", "<=": ">="}
_NUMERIC = {">": "more_than", ">=": "at_least", "<": "less_than", "<=": "at_most"}


class _Condition:
    """A recursive descent over the part of XPath our conditions can say: or, and,
    not(), brackets, selected(${q}, 'x') and comparisons of ${q} with a literal."""

    def __init__(self, expression: str, asked: dict[str, _Asked]):
        self.tokens = self.tokenize(expression)
        self.at = 0
        self.asked = asked

    @staticmethod
    def tokenize(expression: str) -> list[tuple[str, str]]:
        tokens, pos = [], 0
        expression = expression.strip()
        while pos < len(expression):
            m = _TOKEN.match(expression, pos)
            if m is None or m.end() == pos:
                raise _Unsupported(msg("xlsform.why_syntax", at=expression[pos:].strip()[:20]))
            kind = m.lastgroup
            tokens.append((kind, m.group(kind)))
            pos = m.end()
            while pos < len(expression) and expression[pos].isspace():
                pos += 1
        return tokens

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, kind: str | None = None, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (kind and token[0] != kind) or (value and token[1] != value):
            raise _Unsupported(msg("xlsform.why_syntax", at=token[1] if token else "…"))
        self.at += 1
        return token

    def parse(self):
        rule = self.any()
        if self.peek() is not None:
            raise _Unsupported(msg("xlsform.why_syntax", at=self.peek()[1]))
        return rule

    def any(self):
        parts = [self.all()]
        while self.peek() == ("word", "or"):
            self.take()
            parts.append(self.all())
        return parts[0] if len(parts) == 1 else {"any": _flat(parts, "any")}

    def all(self):
        parts = [self.atom()]
        while self.peek() == ("word", "and"):
            self.take()
            parts.append(self.atom())
        return parts[0] if len(parts) == 1 else {"all": _flat(parts, "all")}

    def atom(self):
        token = self.peek()
        if token == ("punct", "("):
            self.take()
            inner = self.any()
            self.take("punct", ")")
            return inner
        if token == ("word", "not"):
            self.take()
            self.take("punct", "(")
            inner = self.any()
            self.take("punct", ")")
            return {"not": inner}
        if token == ("word", "selected"):
            self.take()
            self.take("punct", "(")
            asked = self.ref()
            self.take("punct", ",")
            value = self.literal()
            self.take("punct", ")")
            if asked.type not in ("single", "multiple"):
                raise _Unsupported(msg("xlsform.why_type", id=asked.id, type=asked.type))
            return {"question": asked.id, "in": [self.choice(asked, value)]}
        return self.comparison()

    def ref(self) -> _Asked:
        _, ref = self.take("ref")
        name = ref[2:-1].strip()
        asked = self.asked.get(name)
        if asked is None:
            raise _Unsupported(msg("xlsform.why_name", name=name))
        return asked

    def literal(self) -> str:
        kind, value = self.take()
        if kind == "str":
            return value[1:-1]
        if kind == "num":
            return value
        raise _Unsupported(msg("xlsform.why_syntax", at=value))

    def comparison(self):
        token = self.peek()
        if token is not None and token[0] == "ref":
            asked = self.ref()
            _, op = self.take("op")
            value = self.literal()
        else:
            value = self.literal()
            _, op = self.take("op")
            asked = self.ref()
            op = _FLIP[op]
        if asked.type in ("single", "multiple"):
            if op not in ("=", "!="):
                raise _Unsupported(msg("xlsform.why_compare", op=op, id=asked.id))
            if value == "":
                test = {"question": asked.id, "in": list(dict.fromkeys(asked.values.values()))}
                return test if op == "!=" else {"not": test}
            if asked.type == "multiple":  # `=` compares the whole list of choices
                raise _Unsupported(msg("xlsform.why_multiple", id=asked.id))
            test = {"question": asked.id, "equals": self.choice(asked, value)}
            return test if op == "=" else {"not": test}
        if asked.type in ("number", "scale"):
            try:
                number = _num(float(value))
            except ValueError:
                raise _Unsupported(msg("xlsform.why_number", value=value, id=asked.id)) from None
            if op in _NUMERIC:
                return {"question": asked.id, _NUMERIC[op]: number}
            test = {"question": asked.id, "at_least": number, "at_most": number}
            return test if op == "=" else {"not": test}
        raise _Unsupported(msg("xlsform.why_type", id=asked.id, type=asked.type))

    @staticmethod
    def choice(asked: _Asked, value: str) -> str:
        if value not in asked.values:
            raise _Unsupported(msg("xlsform.why_value", value=value, id=asked.id))
        return asked.values[value]


def _flat(parts: list, key: str) -> list:
    out = []
    for p in parts:
        out.extend(p[key] if isinstance(p, dict) and list(p) == [key] else [p])
    return out


SETTINGS = {
    "form_title",
    "form_id",
    "version",
    "default_language",
    "allow_choice_duplicates",
    "instance_name",
    "public_key",
    "submission_url",
    "style",
    "omit_instanceid",
    "clean_text_values",
    "add_none_option",
    "namespaces",
    "auto_send",
    "auto_delete",
    "name",
    "id_string",
}
