"""Loading a definition (YAML) into a Form, with every fault as `file:line: message`.

Loading never stops at the first fault: a person fixing a definition wants the
whole list, each naming the id involved. The key tables here are also what the
JSON Schema (schema.py) is made from.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from . import printable
from .errors import PdfformsError
from .form import (
    COMPARISONS,
    DATA_PROTECTION_PARTS,
    GROUP_ITEM_TYPES,
    MAX_GROUP_ITEMS,
    MAX_GROUP_ROWS,
    MAX_LINES,
    MAX_SCALE_POINTS,
    OTHER,
    QUESTION_TYPES,
    TRANSLATION_STATUSES,
    AllOf,
    AnyOf,
    Condition,
    DataProtection,
    Fault,
    Form,
    Letter,
    Logo,
    Not,
    Option,
    Question,
    Row,
    Rule,
    Section,
    Sender,
    Text,
    Translation,
    leaves,
)
from .messages import text as msg
from .yamlsource import LDict, LList, load_yaml

# Key → kind, for validation and for the JSON Schema (one table, two uses).
FORM_KEYS = {
    "form": "form_id",
    "version": "version",
    "languages": "languages",
    "title": "text",
    "intro": "text",
    "data_protection": "data_protection",
    "option_sets": "option_sets",
    "sections": "sections",
    "translations": "translations",
    "letter": "letter",
    "logo": "logo",
}

# `letter:` (the cover letter of a print run with respondents) and its sender.
LETTER_KEYS = {"text": "text", "subject": "text", "sender": "sender", "date": "date"}
SENDER_KEYS = {"name": "text", "address": "lines", "phone": "phrase", "contact": "text"}
# `logo:`: an image drawn on each copy's first page and on letters.
LOGO_KEYS = {"file": "phrase", "alt": "text"}
LOGO_TYPES = ("PNG", "JPEG")  # what Pillow must find in the file (reportlab draws both)

TRANSLATION_KEYS = {"status": "translation_status", "note": "note"}


FORM_REQUIRED = ("form", "version", "languages", "title", "sections")


# The data-protection block; every value a text.
DATA_PROTECTION_KEYS = dict.fromkeys(DATA_PROTECTION_PARTS, "text")


DATA_PROTECTION_REQUIRED = ("controller", "purpose", "rights", "contact")


SECTION_KEYS = {
    "id": "id",
    "title": "text",
    "intro": "text",
    "enable_when": "enable_when",
    "numbered": "bool",
    "questions": "questions",
}


COMMON_KEYS = {
    "id": "id",
    "type": "type",
    "label": "text",
    "help": "text",
    "required": "bool",
    "code": "code",
    "enable_when": "enable_when",
}


TYPE_KEYS: dict[str, dict[str, str]] = {
    "info": {"text": "text"},
    "text": {"max_length": "positive_int"},
    "textarea": {"lines": "positive_int"},
    "number": {"min": "number", "max": "number", "decimals": "decimals"},
    "date": {"min": "date", "max": "date"},
    "personnummer": {},
    "yesno": {},
    "single": {"options": "options", "other": "text"},
    "multiple": {
        "options": "options",
        "other": "text",
        "min_choices": "nonnegative_int",
        "max_choices": "positive_int",
    },
    "scale": {"min": "int", "max": "int", "min_label": "text", "max_label": "text", "na": "option"},
    "grid": {"rows": "rows", "options": "options"},
    "dropdown": {"options": "options"},
    "group": {"rows": "positive_int", "items": "items"},
}


# A column of a group: a written answer of one of GROUP_ITEM_TYPES, with the keys of
# its type (a date's min/max, a number's decimals, a text's max_length); it has no
# required, help, code or condition of its own: those are the group's.
ITEM_KEYS = {"id": "id", "type": "type", "label": "text"}


OPTION_KEYS = {"value": "option_value", "label": "text", "code": "coding"}


ROW_KEYS = {"id": "id", "label": "text"}


CONDITION_KEYS = {
    "question": "id",
    "in": "value_list",
    "equals": "value",
    **dict.fromkeys(COMPARISONS, "number"),
}
# A condition may also be {all: [...]}, {any: [...]} or {not: ...} of conditions.
CONDITION_GROUPS = ("all", "any", "not")


ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


FORM_ID_RE = re.compile(r"^[a-z][a-z0-9_-]*$")


VALUE_RE = re.compile(r"^[A-Za-z0-9_]+$")


LANG_RE = re.compile(r"^[a-z]{2,3}$")


DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
# `code: {system, code}`: a code system is an absolute URI (FHIR's Coding.system: a URL,
# urn:oid: or urn:uuid:), and a code FHIR's code: no space at either end, none doubled
SYSTEM_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
CODING_CODE_RE = re.compile(r"^\S+( \S+)*$")
CODING_KEYS = {"system": "phrase", "code": "phrase"}


class DefinitionError(PdfformsError):
    """A definition has faults; `faults` holds all of them."""

    def __init__(self, faults: list[Fault]):
        self.faults = faults
        super().__init__("\n".join(str(f) for f in faults))


def load_form(path: str | Path) -> Form:
    """Load and validate a definition file to print it; raise DefinitionError with every
    fault, a text the printed form cannot show among them."""
    form, faults = check_definition(path)
    if faults:
        raise DefinitionError(faults)
    assert form is not None
    return form


def check_definition(path: str | Path, printable: bool = True) -> tuple[Form | None, list[Fault]]:
    """Load a definition file, returning the form (if sound) and all faults found.

    `printable` (as for validate and generate) makes a text our fonts cannot
    draw a fault too; readers of returned copies pass False (parse_definition).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Fault(str(path), 1, msg("def.not_utf8", reason=exc.reason))]
    except OSError as exc:
        return None, [Fault(str(path), 1, msg("def.cannot_read", reason=exc.strerror or exc))]
    form, faults = parse_definition(text, str(path), printable)
    if form is not None and printable and form.logo is not None:
        problem = logo_problem(logo_path(form, path))
        if problem is not None:
            return None, [Fault(str(path), form.logo.line, problem)]
    return form, faults


def logo_path(form: Form, definition: str | Path | None = None) -> Path:
    """The logo's file: relative to the definition it is named in."""
    base = Path(definition if definition is not None else form.source).parent
    return base / form.logo.file


def logo_problem(path: Path) -> str | None:
    """Why the logo file cannot be drawn (missing, unreadable, not a PNG or JPEG), in
    one line naming it, or None. Pillow opens the file as reportlab will."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            kind = image.format
            image.verify()
    except FileNotFoundError:
        return msg("def.logo_missing", path=path)
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError) as exc:
        return msg("def.logo_unreadable", path=path, reason=exc)
    if kind not in LOGO_TYPES:
        return msg("def.logo_kind", path=path, kind=kind, kinds=", ".join(LOGO_TYPES))
    return None


def parse_definition(
    text: str, source: str = "<text>", printable: bool = False
) -> tuple[Form | None, list[Fault]]:
    """Validate definition text; return the form when it has no faults.

    A text that the printed form cannot show (printable.py) is a fault only with
    `printable`: validate and generate refuse it, while a reader must still read
    the copies that were printed from such a definition. The form carries those
    faults in `print_faults` either way, and generate refuses a form with any.
    """
    data, yaml_faults = load_yaml(text, source)
    builder = _Builder(source)
    builder.faults.extend(Fault(source, f.line, f.message) for f in yaml_faults)
    form = builder.build(data, text) if data is not None else None
    faults = builder.faults + (builder.print_faults if printable else [])
    faults = sorted(faults, key=lambda f: f.line)
    if faults:
        return None, faults
    return form, []


def _did_you_mean(word: str, choices) -> str:
    match = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return msg("def.did_you_mean", word=match[0]) if match else ""


def _kind_name(value) -> str:
    if isinstance(value, bool):
        return msg("def.kind_bool")
    if isinstance(value, (int, float)):
        return msg("def.kind_number")
    if isinstance(value, str):
        return msg("def.kind_string")
    if isinstance(value, list):
        return msg("def.kind_list")
    if isinstance(value, dict):
        return msg("def.kind_mapping")
    return msg("def.kind_empty") if value is None else type(value).__name__


class _Builder:
    """Walks the YAML tree once, building the model and collecting faults."""

    def __init__(self, source: str):
        self.source = source
        self.faults: list[Fault] = []
        self.print_faults: list[Fault] = []  # texts our fonts cannot draw (printable.py)
        self.field_texts = False  # texts read now are drawn in a field (a drop-down's labels)
        self.letter_texts = False  # texts read now are drawn in a letter (the overlay font)
        self.languages: list[str] = ["sv"]
        # Until the form's languages are known to be right, translations are not
        # checked against them: one bad `languages` line is one fault, not fifty.
        self.languages_known = False
        self.option_sets: dict[str, tuple[Option, ...]] = {}
        # Names that exist but have faults of their own: referring to them is not
        # a second fault.
        self.broken_sets: set[str] = set()
        self.broken_questions: set[str] = set()
        # Questions with faults of their own: their conditions are still checked, so
        # that a fault there is not hidden until the first is fixed.
        self.unsound: list[Question] = []
        # Questions of sections with `numbered: false`: printed without a number.
        self.unnumbered: set[str] = set()
        self.position: dict[str, int] = {}  # every question id, sound or not, in order

    def fault(self, line: int, message: str) -> None:
        self.faults.append(Fault(self.source, line, message))

    # -- generic pieces -----------------------------------------------------------

    def mapping(self, data: LDict, key: str, allowed: dict, where: str) -> LDict | None:
        """`key:` of `data` as a mapping of `allowed` keys (unknown ones are faults); None
        when it is not there, or is not a mapping (a fault, `def.<key>_mapping`)."""
        if key not in data:
            return None
        raw = data[key]
        if not isinstance(raw, LDict):
            self.fault(data.line_of(key), msg(f"def.{key}_mapping", kind=_kind_name(raw)))
            return None
        self.check_keys(raw, allowed, where)
        return raw

    def check_keys(self, mapping: LDict, allowed: dict, where: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.fault(
                    mapping.line_of(key),
                    msg("def.unknown_key", where=where, key=key, hint=_did_you_mean(key, allowed)),
                )

    def text(self, mapping: LDict, key: str, where: str, required: bool = False) -> Text | None:
        if key not in mapping or mapping[key] is None:
            if required:
                self.fault(mapping.line, msg("def.missing", where=where, key=key))
            return None
        value = mapping[key]
        line = mapping.line_of(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            value = str(value)
            if not value.strip():
                self.fault(line, msg("def.empty", where=where, key=key))
                return None
            self.check_printable_everywhere(line, f"{where}: '{key}'", value)
            return {lang: value for lang in self.languages}
        if isinstance(value, LDict):
            out: Text = {}
            for lang, item in value.items():
                if lang not in self.languages and self.languages_known:
                    self.fault(
                        value.line_of(lang),
                        msg(
                            "def.foreign_language",
                            where=where,
                            key=key,
                            lang=lang,
                            languages=", ".join(self.languages),
                        ),
                    )
                elif not isinstance(item, (str, int, float)) or isinstance(item, bool):
                    self.fault(
                        value.line_of(lang),
                        msg("def.lang_not_text", where=where, key=key, lang=lang),
                    )
                elif not str(item).strip():
                    self.fault(
                        value.line_of(lang), msg("def.lang_empty", where=where, key=key, lang=lang)
                    )
                else:
                    out[lang] = str(item)
                    self.check_printable(
                        value.line_of(lang),
                        msg("def.key_in_lang", where=where, key=key, lang=lang),
                        out[lang],
                        lang,
                    )
            if not self.languages_known:
                return out or None
            for lang in self.languages:
                if lang not in value:
                    self.fault(line, msg("def.no_translation", where=where, key=key, lang=lang))
            return out if len(out) == len(self.languages) else None
        self.fault(line, msg("def.not_text", where=where, key=key, kind=_kind_name(value)))
        return None

    def check_printable(self, line: int, what: str, text: str, lang: str) -> None:
        """A text of `lang` must be drawable in that language's page fonts; a label of a
        drop-down list also in the fields' font, which the viewer draws it in."""
        winansi = self.field_texts or self.letter_texts
        reason = printable.problem(text, None if winansi else lang)
        if reason is not None:
            self.print_faults.append(
                Fault(
                    self.source,
                    line,
                    msg("def.unprintable", what=what, reason=reason, note=self.in_field),
                )
            )

    @property
    def in_field(self) -> str:
        if self.letter_texts:
            return msg("def.letter_note")
        return msg("def.field_note") if self.field_texts else ""

    def check_printable_everywhere(self, line: int, what: str, text: str) -> None:
        """One text for every language: one fault when it fails alike in all of them
        (they share their fonts), else one for each language it fails in."""
        langs = [None] if self.field_texts or self.letter_texts else self.languages
        reasons = {lang: printable.problem(text, lang) for lang in langs}
        failing = {lang: r for lang, r in reasons.items() if r is not None}
        if not failing:
            return
        if len(set(reasons.values())) == 1:
            reason = next(iter(failing.values()))
            self.print_faults.append(
                Fault(
                    self.source,
                    line,
                    msg("def.unprintable_all", what=what, reason=reason, note=self.in_field),
                )
            )
            return
        for lang, reason in failing.items():
            self.print_faults.append(
                Fault(
                    self.source,
                    line,
                    msg("def.unprintable_in", what=what, lang=lang, reason=reason),
                )
            )

    def check_field_texts(self, line: int, where: str, options: tuple[Option, ...]) -> None:
        """The labels of a shared option set a drop-down list shows: the viewer draws
        them in the fields' font (printable.py)."""
        seen = set()
        for option in options:
            for lang, label in option.label.items():
                reason = printable.problem(label)
                if reason is not None and label not in seen:
                    seen.add(label)
                    what = msg("def.option_label", where=where, value=option.value, lang=lang)
                    self.print_faults.append(
                        Fault(
                            self.source,
                            line,
                            msg(
                                "def.unprintable",
                                what=what,
                                reason=reason,
                                note=msg("def.field_note"),
                            ),
                        )
                    )

    def ident(self, mapping: LDict, key: str, where: str) -> str | None:
        value = mapping.get(key)
        line = mapping.line_of(key)
        if value is None:
            self.fault(mapping.line, msg("def.missing", where=where, key=key))
            return None
        if not isinstance(value, str) or not ID_RE.match(value) or "__" in value:
            self.fault(
                line,
                msg("def.bad_id", where=where, value=value),
            )
            return None
        return value

    def number(self, mapping: LDict, key: str, where: str, kind: str):
        if key not in mapping:
            return None
        value = mapping[key]
        line = mapping.line_of(key)
        is_num = isinstance(value, (int, float)) and not isinstance(value, bool)
        if kind in ("int", "positive_int", "nonnegative_int", "decimals"):
            if not is_num or int(value) != value:
                self.fault(line, msg("def.not_whole", where=where, key=key, value=repr(value)))
                return None
            value = int(value)
            if kind == "positive_int" and value < 1:
                self.fault(line, msg("def.not_positive", where=where, key=key, value=value))
                return None
            if kind in ("nonnegative_int", "decimals") and value < 0:
                self.fault(line, msg("def.negative", where=where, key=key, value=value))
                return None
            if kind == "decimals" and value > 6:
                self.fault(line, msg("def.decimals", where=where, value=value))
                return None
            return value
        if not is_num:
            self.fault(line, msg("def.not_number", where=where, key=key, value=repr(value)))
            return None
        return value

    def bool(self, mapping: LDict, key: str, where: str) -> bool:
        value = mapping.get(key, False)
        if not isinstance(value, bool):
            self.fault(
                mapping.line_of(key), msg("def.not_bool", where=where, key=key, value=repr(value))
            )
            return False
        return value

    def option(self, item, where: str, line: int = 0) -> Option | None:
        if not isinstance(item, LDict):
            self.fault(
                getattr(item, "line", 0) or line,
                msg("def.option_not_mapping", where=where, kind=_kind_name(item)),
            )
            return None
        self.check_keys(item, OPTION_KEYS, where)
        value = item.get("value")
        if value is None:
            self.fault(item.line, msg("def.option_no_value", where=where))
            return None
        if isinstance(value, bool):
            self.fault(
                item.line_of("value"), msg("def.option_value_word", where=where, value=repr(value))
            )
            return None
        value = str(value)
        if not VALUE_RE.match(value) or "__" in value:
            self.fault(
                item.line_of("value"),
                msg("def.option_value_chars", where=where, value=value),
            )
            return None
        label = self.text(item, "label", msg("def.option", where=where, value=value), required=True)
        coding = None
        if "code" in item:
            coding = self.coding(item, msg("def.option", where=where, value=value))
            if coding is None:
                return None
        if label is None:
            return None
        return Option(value, label, coding)

    def coding(self, mapping: LDict, where: str) -> tuple[str, str] | None:
        """`code: {system, code}`: a code in a named code system (a question's, an
        option's), as FHIR's Coding holds it; None after a fault."""
        raw = mapping["code"]
        line = mapping.line_of("code")
        if not isinstance(raw, LDict) or set(raw) != set(CODING_KEYS):
            self.fault(line, msg("def.coding_shape", where=where))
            return None
        system, code = raw["system"], raw["code"]
        if not isinstance(system, str) or not SYSTEM_RE.match(system):
            self.fault(
                raw.line_of("system"), msg("def.coding_system", where=where, system=repr(system))
            )
            return None
        if isinstance(code, bool) or not isinstance(code, str | int):
            code = None
        if code is None or not CODING_CODE_RE.match(str(code)):
            self.fault(
                raw.line_of("code"), msg("def.coding_code", where=where, code=repr(raw["code"]))
            )
            return None
        return system, str(code)

    def option_list(self, items, where: str, line: int) -> tuple[Option, ...] | None:
        if not isinstance(items, LList) or not items:
            self.fault(line, msg("def.options_list", where=where))
            return None
        options: list[Option] = []
        seen: dict[str, int] = {}
        ok = True
        for index, item in enumerate(items):
            opt = self.option(item, where, items.line_of_item(index))
            if opt is None:
                ok = False
                continue
            if opt.value == OTHER:
                self.fault(
                    item.line_of("value"),
                    msg("def.other_reserved", where=where),
                )
                ok = False
                continue
            if opt.value in seen:
                self.fault(
                    item.line_of("value"),
                    msg("def.option_twice", where=where, value=opt.value),
                )
                ok = False
                continue
            seen[opt.value] = item.line
            options.append(opt)
        return tuple(options) if ok else None

    # -- the tree ---------------------------------------------------------------

    def build(self, data, text: str) -> Form | None:
        if not isinstance(data, LDict):
            self.fault(
                getattr(data, "line", 1) or 1,
                msg("def.not_mapping"),
            )
            return None
        self.check_keys(data, FORM_KEYS, "form")
        for key in FORM_REQUIRED:
            if key not in data:
                self.fault(data.line, msg("def.form_missing", key=key))

        form_id = data.get("form")
        if form_id is not None and (
            not isinstance(form_id, str) or not FORM_ID_RE.match(form_id) or "__" in form_id
        ):
            self.fault(
                data.line_of("form"),
                msg("def.form_id", value=form_id),
            )
        version = data.get("version")
        if version is not None:
            if (
                isinstance(version, bool)
                or not isinstance(version, (str, int, float))
                or not str(version).strip()
            ):
                self.fault(
                    data.line_of("version"),
                    msg("def.version_text", value=repr(version)),
                )
                version = None
            else:
                version = str(version)
                if not re.match(r"^[A-Za-z0-9._-]{1,20}$", version):
                    self.fault(
                        data.line_of("version"),
                        msg("def.version_chars", value=version),
                    )

        langs = data.get("languages")
        if "languages" in data:
            if not isinstance(langs, LList) or not langs:
                self.fault(data.line_of("languages"), msg("def.languages_list"))
            else:
                seen: set[str] = set()
                good: list[str] = []
                for lang in langs:
                    if not isinstance(lang, str) or not LANG_RE.match(lang):
                        self.fault(
                            langs.line,
                            msg("def.language_code", lang=lang),
                        )
                    elif lang in seen:
                        self.fault(langs.line, msg("def.language_twice", lang=lang))
                    else:
                        seen.add(lang)
                        good.append(lang)
                if good:
                    self.languages = good
                self.languages_known = len(good) == len(langs)

        title = self.text(data, "title", "form", required=False)
        intro = self.text(data, "intro", "form")
        data_protection = self.data_protection(data)

        sets = data.get("option_sets")
        if sets is not None:
            if not isinstance(sets, LDict):
                self.fault(
                    data.line_of("option_sets"),
                    msg("def.option_sets"),
                )
            else:
                for name, items in sets.items():
                    if not ID_RE.match(name):
                        self.fault(
                            sets.line_of(name),
                            msg("def.option_set_name", name=name),
                        )
                        continue
                    opts = self.option_list(
                        items, msg("def.option_set", name=name), sets.line_of(name)
                    )
                    if opts is not None:
                        self.option_sets[name] = opts
                    else:
                        self.broken_sets.add(name)

        translations = self.translations(data)
        letter = self.letter(data)
        logo = self.logo(data)

        sections: list[Section] = []
        raw_sections = data.get("sections")
        if "sections" in data:
            if not isinstance(raw_sections, LList) or not raw_sections:
                self.fault(data.line_of("sections"), msg("def.sections_list"))
            else:
                sections = self.sections(raw_sections)

        if self.faults:
            return None
        form = Form(
            id=form_id,
            version=version,
            languages=self.languages,
            title=title or {},
            intro=intro,
            sections=sections,
            source=self.source,
            source_text=text,
            print_faults=sorted(self.print_faults, key=lambda f: f.line),
            data_protection=data_protection,
            translations=translations,
            letter=letter,
            logo=logo,
        )
        return form

    def letter(self, data: LDict) -> Letter | None:
        """`letter:`: its texts per language (some of the form's languages), a subject,
        the sender and a fixed date. Everything in it is drawn in the letters' font
        (Windows-1252): a text that font lacks is a print fault, as a cover file's is."""
        raw = self.mapping(data, "letter", LETTER_KEYS, "letter")
        if raw is None:
            return None
        self.letter_texts = True
        try:
            text = self.letter_text(raw, "text", required=True)
            subject = self.letter_text(raw, "subject") or {}
            for lang in subject:
                if text is not None and lang not in text:
                    self.fault(raw.line_of("subject"), msg("def.letter_subject_only", lang=lang))
            sender = self.sender(raw)
        finally:
            self.letter_texts = False
        date = raw.get("date")
        if date is not None and (not isinstance(date, str) or not _is_date(date)):
            self.fault(raw.line_of("date"), msg("def.letter_date", value=repr(date)))
            date = None
        if text is None:
            return None
        return Letter(text, subject, sender, date, raw.line)

    def letter_text(self, raw: LDict, key: str, required: bool = False) -> Text | None:
        """A letter's text: one text for every language, or a map of some of them."""
        where = "letter"
        value = raw.get(key)
        if value is None:
            if required:
                self.fault(raw.line, msg("def.missing", where=where, key=key))
            return None
        if isinstance(value, LDict):
            if not value:
                self.fault(raw.line_of(key), msg("def.empty", where=where, key=key))
                return None
            out: Text = {}
            for lang, item in value.items():
                line = value.line_of(lang)
                if lang not in self.languages:
                    self.fault(
                        line,
                        msg(
                            "def.foreign_language",
                            where=where,
                            key=key,
                            lang=lang,
                            languages=", ".join(self.languages),
                        ),
                    )
                elif not isinstance(item, str):
                    self.fault(line, msg("def.lang_not_text", where=where, key=key, lang=lang))
                elif not item.strip():
                    self.fault(line, msg("def.lang_empty", where=where, key=key, lang=lang))
                else:
                    out[lang] = item
                    problem = placeholder_problem(item)
                    if problem is not None:
                        self.fault(line, msg("def.letter_placeholder", lang=lang, problem=problem))
                    for number, part in enumerate(item.splitlines()):
                        self.check_printable(
                            line + (number + 1 if "\n" in item else 0),
                            msg("def.key_in_lang", where=where, key=key, lang=lang),
                            part,
                            lang,
                        )
            return out if len(out) == len(value) else None
        if isinstance(value, str) and value.strip():
            self.check_printable_everywhere(raw.line_of(key), f"{where}: '{key}'", value)
            return {lang: value for lang in self.languages}
        self.fault(
            raw.line_of(key), msg("def.not_text", where=where, key=key, kind=_kind_name(value))
        )
        return None

    def sender(self, raw: LDict) -> Sender | None:
        """`letter: sender:`: name (per language or one), address lines, phone, contact."""
        where = "letter: sender"
        if raw.get("sender") is None:  # `sender:` left empty is no sender, as if left out
            return None
        item = self.mapping(raw, "sender", SENDER_KEYS, where)
        if item is None:
            return None
        name = self.text(item, "name", where, required=True)
        contact = self.text(item, "contact", where)
        lines = item.get("address", [])
        if isinstance(lines, str):
            lines = LList([lines])
        if not isinstance(lines, list) or not all(isinstance(x, str) and x.strip() for x in lines):
            self.fault(item.line_of("address"), msg("def.sender_address"))
            lines = []
        for line in lines:
            self.check_printable_everywhere(item.line_of("address"), f"{where}: 'address'", line)
        phone = item.get("phone")
        if phone is not None:
            if not isinstance(phone, (str, int)) or isinstance(phone, bool):
                self.fault(item.line_of("phone"), msg("def.sender_phone"))
                phone = None
            else:
                phone = str(phone)
                self.check_printable_everywhere(item.line_of("phone"), f"{where}: 'phone'", phone)
        if name is None:
            return None
        return Sender(name, tuple(" ".join(x.split()) for x in lines), phone, contact)

    def logo(self, data: LDict) -> Logo | None:
        """`logo: {file, alt}`: the file is checked where the form is printed (its
        existence and kind: check_definition), never where a copy is read."""
        raw = self.mapping(data, "logo", LOGO_KEYS, "logo")
        if raw is None:
            return None
        file = raw.get("file")
        if not isinstance(file, str) or not file.strip():
            self.fault(raw.line_of("file"), msg("def.logo_file"))
            file = None
        alt = self.text(raw, "alt", "logo", required=True)
        if file is None or alt is None:
            return None
        return Logo(file.strip(), alt, raw.line_of("file"))

    def data_protection(self, data: LDict) -> DataProtection | None:
        if "data_protection" not in data:
            return None
        raw = data["data_protection"]
        where = "data_protection"
        if not isinstance(raw, LDict):
            self.fault(
                data.line_of("data_protection"),
                msg(
                    "def.data_protection",
                    where=where,
                    required=", ".join(DATA_PROTECTION_REQUIRED),
                    kind=_kind_name(raw),
                ),
            )
            return None
        self.check_keys(raw, DATA_PROTECTION_KEYS, where)
        texts = {
            key: self.text(raw, key, where, required=key in DATA_PROTECTION_REQUIRED)
            for key in DATA_PROTECTION_KEYS
        }
        if any(texts[key] is None for key in DATA_PROTECTION_REQUIRED):
            return None
        return DataProtection(**texts, line=raw.line)

    def translations(self, data: LDict) -> dict[str, Translation]:
        """`translations:`: language → {status: machine | reviewed, note}."""
        raw = data.get("translations")
        if raw is None:
            return {}
        if not isinstance(raw, LDict):
            self.fault(
                data.line_of("translations"),
                msg("def.translations", kind=_kind_name(raw)),
            )
            return {}
        out: dict[str, Translation] = {}
        for lang, item in raw.items():
            where = f"translations: '{lang}'"
            line = raw.line_of(lang)
            if lang not in self.languages:
                self.fault(
                    line,
                    msg(
                        "def.translation_language", where=where, languages=", ".join(self.languages)
                    ),
                )
                continue
            if not isinstance(item, LDict):
                self.fault(line, msg("def.translation_mapping", where=where))
                continue
            self.check_keys(item, TRANSLATION_KEYS, where)
            status = item.get("status")
            if status not in TRANSLATION_STATUSES:
                self.fault(
                    item.line_of("status") if "status" in item else line,
                    msg(
                        "def.translation_status",
                        where=where,
                        statuses=", ".join(TRANSLATION_STATUSES),
                        value=repr(status),
                    ),
                )
                continue
            note = item.get("note")
            if note is not None and not isinstance(note, str):
                self.fault(item.line_of("note"), msg("def.note_text", where=where))
                continue
            out[lang] = Translation(lang, status, note or "", line)
        return out

    def sections(self, raw: LList) -> list[Section]:
        sections: list[Section] = []
        seen_sections: dict[str, int] = {}
        seen_questions: dict[str, int] = {}
        questions: list[Question] = []
        codes: dict[str, tuple[str, int]] = {}
        section_rules: list[tuple[str, Rule, int, int]] = []
        for s_index, raw_section in enumerate(raw):
            if not isinstance(raw_section, LDict):
                self.fault(
                    raw.line_of_item(s_index),
                    msg("def.section_mapping"),
                )
                continue
            sid = self.ident(raw_section, "id", "section")
            where = msg("def.section", id=sid) if sid else msg("def.section_any")
            self.check_keys(raw_section, SECTION_KEYS, where)
            if sid in seen_sections:
                self.fault(
                    raw_section.line_of("id"),
                    msg("def.id_twice", where=where, line=seen_sections[sid]),
                )
            elif sid:
                seen_sections[sid] = raw_section.line_of("id")
            title = self.text(raw_section, "title", where)
            intro = self.text(raw_section, "intro", where)
            rule, rule_line = None, 0
            if "enable_when" in raw_section:
                rule_line = raw_section.line_of("enable_when")
                rule = self.rule(raw_section["enable_when"], rule_line, where)
                if rule is not None:
                    # checked once every question is known; it may only look back
                    # from the section's first question
                    section_rules.append((where, rule, rule_line, len(self.position)))
            numbered = (
                self.bool(raw_section, "numbered", where) if "numbered" in raw_section else True
            )
            raw_questions = raw_section.get("questions")
            section_questions: list[Question] = []
            if not isinstance(raw_questions, LList) or not raw_questions:
                self.fault(
                    raw_section.line_of("questions"),
                    msg("def.questions_list", where=where),
                )
            else:
                for q_index, raw_q in enumerate(raw_questions):
                    q = self.question(raw_q, raw_questions.line_of_item(q_index))
                    if q is None:
                        continue
                    if q.id in seen_questions:
                        self.fault(
                            q.line,
                            msg(
                                "def.id_twice",
                                where=msg("def.question", id=q.id),
                                line=seen_questions[q.id],
                            ),
                        )
                        continue
                    seen_questions[q.id] = q.line
                    if q.code:
                        if q.code in codes:
                            self.fault(
                                q.line,
                                msg("def.code_used", id=q.id, code=q.code, other=codes[q.code][0]),
                            )
                        else:
                            codes[q.code] = (q.id, q.line)
                    section_questions.append(q)
                    questions.append(q)
                    if not numbered:
                        self.unnumbered.add(q.id)
            sections.append(
                Section(
                    sid or "",
                    title,
                    intro,
                    section_questions,
                    raw_section.line,
                    enable_when=rule,
                    condition_line=rule_line,
                    numbered=numbered,
                )
            )
        by_id = {q.id: q for q in questions}
        for q in questions + self.unsound:
            if q.enable_when is not None:
                where = msg("def.question", id=q.id)
                self.check_condition(
                    q.enable_when, q.condition_line, where, self.position[q.id], by_id
                )
        for where, rule, line, start in section_rules:
            self.check_condition(rule, line, where, start, by_id)
        owners: dict[str, str] = {}
        for q in questions:
            for name in q.field_names():
                if name in owners and owners[name] != q.id:
                    self.fault(
                        q.line,
                        msg("def.field_clash", id=q.id, name=name, other=owners[name]),
                    )
                elif name in owners:
                    self.fault(
                        q.line,
                        msg("def.field_twice", id=q.id, name=name),
                    )
                owners.setdefault(name, q.id)
        number = 0
        for q in questions:
            if q.answerable and q.id not in self.unnumbered:
                number += 1
                q.number = number
        return sections

    def check_condition(self, rule: Rule, line: int, where: str, before: int, by_id: dict) -> None:
        """Every test of a condition against the question it names: known, earlier than
        `before` (the position of the question, or of its section's first question),
        of a type the test suits, and the values its answers."""
        first = line
        for cond in leaves(rule):
            line = cond.line or first  # a test inside all/any/not on a line of its own
            if cond.question in self.broken_questions:
                continue  # the target's own faults are reported on its lines
            target = by_id.get(cond.question)
            if target is None:
                self.fault(
                    line,
                    msg(
                        "def.when_unknown",
                        where=where,
                        question=cond.question,
                        hint=_did_you_mean(cond.question, by_id),
                    ),
                )
                continue
            if self.position[cond.question] >= before:
                self.fault(
                    line,
                    msg("def.when_later", where=where, question=cond.question),
                )
                continue
            if target.id in self.unnumbered:
                self.fault(
                    line,
                    msg("def.when_unnumbered", where=where, question=cond.question),
                )
                continue
            if cond.numeric:
                if target.type not in ("number", "scale"):
                    self.fault(
                        line,
                        msg(
                            "def.when_compare_type",
                            where=where,
                            question=cond.question,
                            type=target.type,
                        ),
                    )
                    continue
                low = [b for k, b in cond.bounds.items() if k in ("at_least", "more_than")]
                high = [b for k, b in cond.bounds.items() if k in ("at_most", "less_than")]
                if low and high and max(low) > min(high):
                    self.fault(
                        line,
                        msg(
                            "def.when_never",
                            where=where,
                            question=cond.question,
                            bounds=", ".join(f"{k} {b}" for k, b in cond.bounds.items()),
                        ),
                    )
                continue
            if target.type not in ("yesno", "single", "multiple", "scale", "dropdown"):
                self.fault(
                    line,
                    msg("def.when_type", where=where, question=cond.question, type=target.type),
                )
                continue
            allowed = target.choice_values
            for value in cond.values:
                if value not in allowed:
                    self.fault(
                        line,
                        msg(
                            "def.when_value",
                            where=where,
                            value=value,
                            question=cond.question,
                            allowed=", ".join(allowed),
                            hint=_did_you_mean(value, allowed),
                        ),
                    )

    def question(self, raw, line: int = 0) -> Question | None:
        if not isinstance(raw, LDict):
            self.fault(
                line,
                msg("def.question_mapping", kind=_kind_name(raw)),
            )
            return None
        qid = self.ident(raw, "id", "question")
        if qid is not None:
            self.position.setdefault(qid, len(self.position))
        where = msg("def.question", id=qid) if qid else msg("def.question_any")
        qtype = raw.get("type")
        if qtype is None or qtype not in QUESTION_TYPES:
            if qtype is None:
                self.fault(
                    raw.line, msg("def.type_missing", where=where, types=", ".join(QUESTION_TYPES))
                )
            else:
                self.fault(
                    raw.line_of("type"),
                    msg(
                        "def.type_unknown",
                        where=where,
                        type=qtype,
                        hint=_did_you_mean(qtype, QUESTION_TYPES),
                        types=", ".join(QUESTION_TYPES),
                    ),
                )
            # What every question has is still checked, so that one pass lists every
            # fault: the keys of its type cannot be, until the type is known.
            q = Question(id=qid or "", type=str(qtype), line=raw.line)
            self.common(raw, q, where)
            self.broken_questions.add(qid)
            if qid is not None:
                self.unsound.append(q)
            return None
        allowed = {**COMMON_KEYS, **TYPE_KEYS[qtype]}
        for key in raw:
            if key not in allowed:
                hint = _did_you_mean(key, allowed)
                owners = [t for t, keys in TYPE_KEYS.items() if key in keys]
                if not hint and owners:
                    hint = msg("def.belongs_to", types=", ".join(owners))
                self.fault(
                    raw.line_of(key),
                    msg("def.type_key", where=where, key=key, type=qtype, hint=hint),
                )
        before = len(self.faults)
        q = Question(id=qid or "", type=qtype, line=raw.line)
        self.common(raw, q, where)
        if qtype == "info":
            q.text = self.text(raw, "text", where)
            if q.text is None and q.label is None and "text" not in raw:
                self.fault(raw.line, msg("def.info_text", where=where))
            if q.required:
                self.fault(
                    raw.line_of("required"),
                    msg("def.info_required", where=where),
                )

        if qtype in ("single", "multiple", "grid", "dropdown"):
            self.field_texts = qtype == "dropdown"
            q.options = self.resolve_options(raw, where) or ()
            self.field_texts = False
            if qtype == "dropdown" and isinstance(raw.get("options"), str):
                self.check_field_texts(raw.line_of("options"), where, q.options)
        if "other" in raw:
            q.other = self.text(raw, "other", where)
        if qtype == "grid":
            q.rows = self.rows(raw, where)
        if qtype == "group":
            self.group(raw, q, where)
        if qtype == "textarea":
            lines = self.number(raw, "lines", where, "positive_int")
            if lines is not None:
                if lines > MAX_LINES:
                    self.fault(
                        raw.line_of("lines"),
                        msg("def.lines", where=where, max=MAX_LINES, value=lines),
                    )
                else:
                    q.lines = lines
            else:
                q.lines = 4
        if qtype == "text":
            q.max_length = self.number(raw, "max_length", where, "positive_int")
        if qtype == "number":
            q.min = self.number(raw, "min", where, "number")
            q.max = self.number(raw, "max", where, "number")
            q.decimals = self.number(raw, "decimals", where, "decimals")
            if q.decimals == 0:
                for key in ("min", "max"):
                    v = getattr(q, key)
                    if v is not None and int(v) != v:
                        self.fault(
                            raw.line_of(key), msg("def.whole_bound", where=where, key=key, value=v)
                        )
        if qtype == "date":
            for key in ("min", "max"):
                if key in raw:
                    value = raw[key]
                    if (
                        not isinstance(value, str)
                        or not DATE_RE.match(value)
                        or not _is_date(value)
                    ):
                        self.fault(
                            raw.line_of(key),
                            msg("def.date_bound", where=where, key=key, value=repr(value)),
                        )
                    else:
                        setattr(q, key, value)
        if qtype == "scale":
            q.min = self.number(raw, "min", where, "int")
            q.max = self.number(raw, "max", where, "int")
            for key in ("min", "max"):
                if key not in raw:
                    self.fault(raw.line, msg("def.scale_needs", where=where, key=key))
            q.min_label = self.text(raw, "min_label", where)
            q.max_label = self.text(raw, "max_label", where)
            if "na" in raw:
                q.na = self.option(raw["na"], f"{where}, na")
                if q.na is not None and q.na.value == OTHER:
                    self.fault(raw.line_of("na"), msg("def.na_other", where=where))
            if (
                q.min is not None
                and q.max is not None
                and q.max - q.min + 1 > MAX_SCALE_POINTS
                and q.min < q.max
            ):
                self.fault(
                    raw.line_of("max"),
                    msg("def.scale_points", where=where, max=MAX_SCALE_POINTS, n=q.max - q.min + 1),
                )
            if q.na is not None and q.na.value.lstrip("-").isdigit():
                self.fault(
                    raw.line_of("na"),
                    msg("def.na_number", where=where, value=q.na.value),
                )
        if qtype == "multiple":
            q.min_choices = self.number(raw, "min_choices", where, "nonnegative_int")
            q.max_choices = self.number(raw, "max_choices", where, "positive_int")
            n = len(q.choices)
            if q.max_choices is not None and n and q.max_choices > n:
                self.fault(
                    raw.line_of("max_choices"),
                    msg("def.max_choices", where=where, value=q.max_choices, n=n),
                )
            if q.min_choices is not None and n and q.min_choices > n:
                self.fault(
                    raw.line_of("min_choices"),
                    msg("def.min_choices", where=where, value=q.min_choices, n=n),
                )
        lo_key, hi_key = ("min_choices", "max_choices") if qtype == "multiple" else ("min", "max")
        lo, hi = getattr(q, lo_key), getattr(q, hi_key)
        if lo is not None and hi is not None and lo > hi:
            self.fault(
                raw.line_of(hi_key),
                msg("def.lo_hi", where=where, lo_key=lo_key, lo=lo, hi_key=hi_key, hi=hi),
            )
        if qtype == "scale" and lo is not None and hi is not None and lo == hi:
            self.fault(raw.line_of(hi_key), msg("def.scale_order", where=where, lo=lo, hi=hi))
        if len(self.faults) > before or qid is None:
            if qid is not None:
                self.broken_questions.add(qid)
                self.unsound.append(q)
            return None
        return q

    def common(self, raw: LDict, q: Question, where: str) -> None:
        """The keys every question may have, whatever its type (COMMON_KEYS)."""
        q.label = self.text(raw, "label", where, required=q.type != "info")
        q.help = self.text(raw, "help", where)
        q.required = self.bool(raw, "required", where)
        code = raw.get("code")
        if isinstance(code, LDict):
            coding = self.coding(raw, where)
            if coding is not None:
                q.code_system, q.code = coding
        elif code is not None:
            if not isinstance(code, str) or not CODE_RE.match(code):
                self.fault(raw.line_of("code"), msg("def.code_word", where=where, code=repr(code)))
            else:
                q.code = code
        if "enable_when" in raw:
            q.enable_when = self.condition(raw, where)
            q.condition_line = raw.line_of("enable_when")

    def resolve_options(self, raw: LDict, where: str) -> tuple[Option, ...] | None:
        if "options" not in raw:
            self.fault(raw.line, msg("def.options_missing", where=where))
            return None
        value = raw["options"]
        line = raw.line_of("options")
        if isinstance(value, str):
            if value in self.broken_sets:
                return None  # its own faults are reported where it is defined
            if value not in self.option_sets:
                self.fault(
                    line,
                    msg(
                        "def.option_set_unknown",
                        where=where,
                        name=value,
                        hint=_did_you_mean(value, self.option_sets),
                    ),
                )
                return None
            return self.option_sets[value]
        return self.option_list(value, where, line)

    def rows(self, raw: LDict, where: str) -> tuple[Row, ...]:
        items = raw.get("rows")
        if not isinstance(items, LList) or not items:
            self.fault(
                raw.line_of("rows"),
                msg("def.grid_rows", where=where),
            )
            return ()
        rows: list[Row] = []
        seen: set[str] = set()
        for index, item in enumerate(items):
            if not isinstance(item, LDict):
                self.fault(items.line_of_item(index), msg("def.row_mapping", where=where))
                continue
            self.check_keys(item, ROW_KEYS, f"{where}, row")
            rid = self.ident(item, "id", f"{where}, row")
            if rid is None:
                continue
            if rid in seen:
                self.fault(item.line_of("id"), msg("def.row_twice", where=where, id=rid))
                continue
            seen.add(rid)
            label = self.text(item, "label", msg("def.row", where=where, id=rid), required=True)
            if label is not None:
                rows.append(Row(rid, label))
        return tuple(rows)

    def group(self, raw: LDict, q: Question, where: str) -> None:
        """A group's printed rows and its columns (`items`), each checked as a question
        of its type would be, with faults naming the group and the column."""
        if "rows" not in raw:
            self.fault(raw.line, msg("def.group_rows", where=where, max=MAX_GROUP_ROWS))
        else:
            n = self.number(raw, "rows", where, "positive_int")
            if n is not None and n > MAX_GROUP_ROWS:
                self.fault(
                    raw.line_of("rows"),
                    msg("def.group_rows_many", where=where, max=MAX_GROUP_ROWS, value=n),
                )
            elif n is not None:
                q.row_count = n
        items = raw.get("items")
        if not isinstance(items, LList) or not items:
            self.fault(
                raw.line_of("items") if "items" in raw else raw.line,
                msg("def.group_items", where=where, types=", ".join(GROUP_ITEM_TYPES)),
            )
            return
        if len(items) > MAX_GROUP_ITEMS:
            self.fault(
                raw.line_of("items"),
                msg("def.group_items_many", where=where, max=MAX_GROUP_ITEMS, n=len(items)),
            )
        found: list[Question] = []
        seen: set[str] = set()
        for index, item in enumerate(items):
            line = items.line_of_item(index)
            if not isinstance(item, LDict):
                self.fault(line, msg("def.group_item_mapping", where=where))
                continue
            itype = item.get("type")
            if itype not in GROUP_ITEM_TYPES:
                self.fault(
                    item.line_of("type") if "type" in item else item.line,
                    msg(
                        "def.group_item_type",
                        where=where,
                        type=itype,
                        types=", ".join(GROUP_ITEM_TYPES),
                    ),
                )
                continue
            allowed = {**ITEM_KEYS, **TYPE_KEYS[itype]}
            iid = item.get("id")
            here = msg("def.group_item", where=where, id=iid)
            self.check_keys(item, allowed, here)
            if any(key not in allowed for key in item):
                continue
            if isinstance(iid, str) and iid in seen:
                self.fault(item.line_of("id"), msg("def.group_item_twice", where=where, id=iid))
                continue
            # An item is checked as a question of its type is, but it is no question
            # of the form: what question() notes of a question's id is put back.
            kept = (dict(self.position), set(self.broken_questions), list(self.unsound))
            cell = self.question(item, line)
            self.position, self.broken_questions, self.unsound = kept
            if cell is not None:
                seen.add(cell.id)
                found.append(cell)
        q.items = tuple(found)

    def condition(self, raw: LDict, where: str) -> Rule | None:
        return self.rule(raw["enable_when"], raw.line_of("enable_when"), where)

    def rule(self, cond, line: int, where: str) -> Rule | None:
        """One `enable_when` (or a part of one): a test of an earlier answer, or all,
        any or not of conditions. Every fault in it is reported, not only the first."""
        if not isinstance(cond, LDict):
            self.fault(
                line,
                msg("def.when_shape", where=where),
            )
            return None
        line = cond.line or line
        groups = [k for k in CONDITION_GROUPS if k in cond]
        if groups:
            if len(cond) > 1:
                self.fault(
                    line,
                    msg(
                        "def.when_alone",
                        where=where,
                        group=groups[0],
                        others=", ".join(repr(k) for k in cond if k != groups[0]),
                    ),
                )
                return None
            key = groups[0]
            value = cond[key]
            if key == "not":
                inner = self.rule(value, cond.line_of(key), where)
                return None if inner is None else Not(inner)
            if not isinstance(value, LList) or not value:
                self.fault(
                    cond.line_of(key),
                    msg("def.when_list", where=where, key=key),
                )
                return None
            parts = [self.rule(item, value.line_of_item(i), where) for i, item in enumerate(value)]
            if any(p is None for p in parts):
                return None
            return (AllOf if key == "all" else AnyOf)(tuple(parts))
        self.check_keys(cond, CONDITION_KEYS, f"{where}, enable_when")
        target = cond.get("question")
        if not isinstance(target, str):
            self.fault(line, msg("def.when_question", where=where))
            return None
        compare = [k for k in COMPARISONS if k in cond]
        if compare:
            if "in" in cond or "equals" in cond:
                self.fault(
                    line,
                    msg("def.when_both", where=where, compare=", ".join(compare)),
                )
                return None
            bounds = {}
            for key in compare:
                value = cond[key]
                if isinstance(value, bool) or not isinstance(value, int | float):
                    self.fault(
                        cond.line_of(key),
                        msg("def.when_number", where=where, key=key, value=repr(value)),
                    )
                    return None
                bounds[key] = value
            return Condition(target, (), **bounds, line=line)
        if ("in" in cond) == ("equals" in cond):
            self.fault(
                line,
                msg("def.when_one_of", where=where, comparisons=", ".join(COMPARISONS)),
            )
            return None
        if "in" in cond:
            values = cond["in"]
            if not isinstance(values, LList) or not values:
                self.fault(cond.line_of("in"), msg("def.when_in", where=where))
                return None
        else:
            values = [cond["equals"]]
        if any(isinstance(v, (dict, list)) or v is None for v in values):
            self.fault(line, msg("def.when_words", where=where))
            return None
        return Condition(target, tuple(_value_text(v) for v in values), line=line)


def _value_text(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def placeholder_problem(text: str) -> str | None:
    """Why a letter's `{column}` placeholders cannot be filled in, or None: a brace
    left open, or a placeholder that is more than a column's name."""
    import string

    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        return str(exc)
    for _, name, spec, conversion in parts:
        if name is not None and (not name or any(c in name for c in ".[]") or spec or conversion):
            return "{" + (name or "") + "}"
    return None


def _is_date(text: str) -> bool:
    import datetime

    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True
