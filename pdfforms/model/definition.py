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
    Not,
    Option,
    Question,
    Row,
    Rule,
    Section,
    Text,
    Translation,
    leaves,
)
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
}

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
}


OPTION_KEYS = {"value": "option_value", "label": "text"}


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
        return None, [Fault(str(path), 1, f"the file is not UTF-8 text ({exc.reason})")]
    except OSError as exc:
        return None, [Fault(str(path), 1, f"cannot read the file: {exc.strerror or exc}")]
    return parse_definition(text, str(path), printable)


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
    return f" (did you mean '{match[0]}'?)" if match else ""


def _kind_name(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty" if value is None else type(value).__name__


class _Builder:
    """Walks the YAML tree once, building the model and collecting faults."""

    def __init__(self, source: str):
        self.source = source
        self.faults: list[Fault] = []
        self.print_faults: list[Fault] = []  # texts our fonts cannot draw (printable.py)
        self.field_texts = False  # texts read now are drawn in a field (a drop-down's labels)
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

    def check_keys(self, mapping: LDict, allowed: dict, where: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.fault(
                    mapping.line_of(key),
                    f"{where}: unknown key '{key}'{_did_you_mean(key, allowed)}",
                )

    def text(self, mapping: LDict, key: str, where: str, required: bool = False) -> Text | None:
        if key not in mapping or mapping[key] is None:
            if required:
                self.fault(mapping.line, f"{where}: '{key}' is missing")
            return None
        value = mapping[key]
        line = mapping.line_of(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            value = str(value)
            if not value.strip():
                self.fault(line, f"{where}: '{key}' is empty")
                return None
            self.check_printable_everywhere(line, f"{where}: '{key}'", value)
            return {lang: value for lang in self.languages}
        if isinstance(value, LDict):
            out: Text = {}
            for lang, item in value.items():
                if lang not in self.languages and self.languages_known:
                    self.fault(
                        value.line_of(lang),
                        f"{where}: '{key}' has a text in '{lang}', which is not one of the "
                        f"form's languages ({', '.join(self.languages)})",
                    )
                elif not isinstance(item, (str, int, float)) or isinstance(item, bool):
                    self.fault(value.line_of(lang), f"{where}: '{key}' in '{lang}' must be text")
                elif not str(item).strip():
                    self.fault(value.line_of(lang), f"{where}: '{key}' in '{lang}' is empty")
                else:
                    out[lang] = str(item)
                    self.check_printable(
                        value.line_of(lang), f"{where}: '{key}' in '{lang}'", out[lang], lang
                    )
            if not self.languages_known:
                return out or None
            for lang in self.languages:
                if lang not in value:
                    self.fault(line, f"{where}: '{key}' has no translation for '{lang}'")
            return out if len(out) == len(self.languages) else None
        self.fault(
            line, f"{where}: '{key}' must be text or a map of languages, not {_kind_name(value)}"
        )
        return None

    def check_printable(self, line: int, what: str, text: str, lang: str) -> None:
        """A text of `lang` must be drawable in that language's page fonts; a label of a
        drop-down list also in the fields' font, which the viewer draws it in."""
        reason = printable.problem(text, None if self.field_texts else lang)
        if reason is not None:
            self.print_faults.append(Fault(self.source, line, f"{what} {reason}{self.in_field}"))

    FIELD_NOTE = " (a drop-down list shows its labels in the fields' font)"

    @property
    def in_field(self) -> str:
        return self.FIELD_NOTE if self.field_texts else ""

    def check_printable_everywhere(self, line: int, what: str, text: str) -> None:
        """One text for every language: one fault when it fails alike in all of them
        (they share their fonts), else one for each language it fails in."""
        langs = [None] if self.field_texts else self.languages
        reasons = {lang: printable.problem(text, lang) for lang in langs}
        failing = {lang: r for lang, r in reasons.items() if r is not None}
        if not failing:
            return
        if len(set(reasons.values())) == 1:
            reason = next(iter(failing.values()))
            self.print_faults.append(
                Fault(self.source, line, f"{what} (every language) {reason}{self.in_field}")
            )
            return
        for lang, reason in failing.items():
            self.print_faults.append(
                Fault(self.source, line, f"{what} (every language), in '{lang}', {reason}")
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
                    what = f"{where}, option '{option.value}': 'label' in '{lang}'"
                    self.print_faults.append(
                        Fault(self.source, line, f"{what} {reason}{self.FIELD_NOTE}")
                    )

    def ident(self, mapping: LDict, key: str, where: str) -> str | None:
        value = mapping.get(key)
        line = mapping.line_of(key)
        if value is None:
            self.fault(mapping.line, f"{where}: '{key}' is missing")
            return None
        if not isinstance(value, str) or not ID_RE.match(value) or "__" in value:
            self.fault(
                line,
                f"{where}: id '{value}' must start with a letter and hold only lowercase "
                "letters, digits and single '_' (no '__')",
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
                self.fault(line, f"{where}: '{key}' must be a whole number, not {value!r}")
                return None
            value = int(value)
            if kind == "positive_int" and value < 1:
                self.fault(line, f"{where}: '{key}' must be at least 1, not {value}")
                return None
            if kind in ("nonnegative_int", "decimals") and value < 0:
                self.fault(line, f"{where}: '{key}' must not be negative, not {value}")
                return None
            if kind == "decimals" and value > 6:
                self.fault(line, f"{where}: 'decimals' must be 0 to 6, not {value}")
                return None
            return value
        if not is_num:
            self.fault(line, f"{where}: '{key}' must be a number, not {value!r}")
            return None
        return value

    def bool(self, mapping: LDict, key: str, where: str) -> bool:
        value = mapping.get(key, False)
        if not isinstance(value, bool):
            self.fault(
                mapping.line_of(key), f"{where}: '{key}' must be true or false, not {value!r}"
            )
            return False
        return value

    def option(self, item, where: str, line: int = 0) -> Option | None:
        if not isinstance(item, LDict):
            self.fault(
                getattr(item, "line", 0) or line,
                f"{where}: an option must be a mapping {{value, label}}, not {_kind_name(item)}",
            )
            return None
        self.check_keys(item, OPTION_KEYS, where)
        value = item.get("value")
        if value is None:
            self.fault(item.line, f"{where}: an option has no 'value'")
            return None
        if isinstance(value, bool):
            self.fault(item.line_of("value"), f"{where}: option value {value!r} must be a word")
            return None
        value = str(value)
        if not VALUE_RE.match(value) or "__" in value:
            self.fault(
                item.line_of("value"),
                f"{where}: option value '{value}' may hold only letters A–Z, digits and single '_'",
            )
            return None
        label = self.text(item, "label", f"{where}, option '{value}'", required=True)
        if label is None:
            return None
        return Option(value, label)

    def option_list(self, items, where: str, line: int) -> tuple[Option, ...] | None:
        if not isinstance(items, LList) or not items:
            self.fault(line, f"{where}: options must be a non-empty list of {{value, label}}")
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
                    f"{where}: option value 'other' is reserved for the 'other' choice; "
                    "use the key 'other' instead",
                )
                ok = False
                continue
            if opt.value in seen:
                self.fault(
                    item.line_of("value"),
                    f"{where}: option value '{opt.value}' appears twice",
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
                "a definition must be a mapping with 'form', "
                "'version', 'languages', 'title' and 'sections'",
            )
            return None
        self.check_keys(data, FORM_KEYS, "form")
        for key in FORM_REQUIRED:
            if key not in data:
                self.fault(data.line, f"form: '{key}' is missing")

        form_id = data.get("form")
        if form_id is not None and (
            not isinstance(form_id, str) or not FORM_ID_RE.match(form_id) or "__" in form_id
        ):
            self.fault(
                data.line_of("form"),
                f"form: id '{form_id}' must hold only lowercase "
                "letters, digits, '_' and '-', starting with a letter",
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
                    f"form: 'version' must be a short text like \"1\", not {version!r}",
                )
                version = None
            else:
                version = str(version)
                if not re.match(r"^[A-Za-z0-9._-]{1,20}$", version):
                    self.fault(
                        data.line_of("version"),
                        f"form: version '{version}' may hold only "
                        "letters, digits, '.', '_' and '-' (at most 20)",
                    )

        langs = data.get("languages")
        if "languages" in data:
            if not isinstance(langs, LList) or not langs:
                self.fault(
                    data.line_of("languages"), "form: 'languages' must be a list like [sv, en]"
                )
            else:
                seen: set[str] = set()
                good: list[str] = []
                for lang in langs:
                    if not isinstance(lang, str) or not LANG_RE.match(lang):
                        self.fault(
                            langs.line,
                            f"form: language '{lang}' must be a two- or "
                            "three-letter code such as sv or en",
                        )
                    elif lang in seen:
                        self.fault(langs.line, f"form: language '{lang}' is listed twice")
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
                    "form: 'option_sets' must map names to lists of options",
                )
            else:
                for name, items in sets.items():
                    if not ID_RE.match(name):
                        self.fault(
                            sets.line_of(name),
                            f"option set '{name}': a name must be "
                            "lowercase letters, digits and '_'",
                        )
                        continue
                    opts = self.option_list(items, f"option set '{name}'", sets.line_of(name))
                    if opts is not None:
                        self.option_sets[name] = opts
                    else:
                        self.broken_sets.add(name)

        translations = self.translations(data)

        sections: list[Section] = []
        raw_sections = data.get("sections")
        if "sections" in data:
            if not isinstance(raw_sections, LList) or not raw_sections:
                self.fault(data.line_of("sections"), "form: 'sections' must be a non-empty list")
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
        )
        return form

    def data_protection(self, data: LDict) -> DataProtection | None:
        if "data_protection" not in data:
            return None
        raw = data["data_protection"]
        where = "data_protection"
        if not isinstance(raw, LDict):
            self.fault(
                data.line_of("data_protection"),
                f"{where} must be a mapping with {', '.join(DATA_PROTECTION_REQUIRED)} "
                f"(and optionally legal_basis, retention), not {_kind_name(raw)}",
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
                "form: 'translations' must map languages to {status, note}, "
                f"not {_kind_name(raw)}",
            )
            return {}
        out: dict[str, Translation] = {}
        for lang, item in raw.items():
            where = f"translations: '{lang}'"
            line = raw.line_of(lang)
            if lang not in self.languages:
                self.fault(
                    line,
                    f"{where} is not one of the form's languages ({', '.join(self.languages)})",
                )
                continue
            if not isinstance(item, LDict):
                self.fault(line, f"{where} must be a mapping {{status, note}}")
                continue
            self.check_keys(item, TRANSLATION_KEYS, where)
            status = item.get("status")
            if status not in TRANSLATION_STATUSES:
                self.fault(
                    item.line_of("status") if "status" in item else line,
                    f"{where}: 'status' must be one of {', '.join(TRANSLATION_STATUSES)}, "
                    f"not {status!r}",
                )
                continue
            note = item.get("note")
            if note is not None and not isinstance(note, str):
                self.fault(item.line_of("note"), f"{where}: 'note' must be text")
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
                    "a section must be a mapping with 'id', 'title' and 'questions'",
                )
                continue
            sid = self.ident(raw_section, "id", "section")
            where = f"section '{sid}'" if sid else "section"
            self.check_keys(raw_section, SECTION_KEYS, where)
            if sid in seen_sections:
                self.fault(
                    raw_section.line_of("id"),
                    f"{where}: id appears twice (first on line {seen_sections[sid]})",
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
                    f"{where}: 'questions' must be a non-empty list",
                )
            else:
                for q_index, raw_q in enumerate(raw_questions):
                    q = self.question(raw_q, raw_questions.line_of_item(q_index))
                    if q is None:
                        continue
                    if q.id in seen_questions:
                        self.fault(
                            q.line,
                            f"question '{q.id}': id appears twice (first on line "
                            f"{seen_questions[q.id]})",
                        )
                        continue
                    seen_questions[q.id] = q.line
                    if q.code:
                        if q.code in codes:
                            self.fault(
                                q.line,
                                f"question '{q.id}': code '{q.code}' is already "
                                f"used by question '{codes[q.code][0]}'",
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
                where = f"question '{q.id}'"
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
                        f"question '{q.id}': its PDF field '{name}' would have the "
                        f"same name as a field of question '{owners[name]}'; rename an id "
                        "or option value",
                    )
                elif name in owners:
                    self.fault(
                        q.line,
                        f"question '{q.id}': two of its PDF fields would both be "
                        f"named '{name}'; rename the option value",
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
                    f"{where}: enable_when refers to unknown question "
                    f"'{cond.question}'{_did_you_mean(cond.question, by_id)}",
                )
                continue
            if self.position[cond.question] >= before:
                self.fault(
                    line,
                    f"{where}: enable_when refers to '{cond.question}', which does not "
                    "come before it; a condition may only look back",
                )
                continue
            if target.id in self.unnumbered:
                self.fault(
                    line,
                    f"{where}: enable_when refers to '{cond.question}', which is printed "
                    "without a number (its section is numbered: false); the printed "
                    "condition names a question by its number",
                )
                continue
            if cond.numeric:
                if target.type not in ("number", "scale"):
                    self.fault(
                        line,
                        f"{where}: enable_when compares '{cond.question}', a {target.type} "
                        "question, with a number; comparisons need a number or scale question",
                    )
                    continue
                low = [b for k, b in cond.bounds.items() if k in ("at_least", "more_than")]
                high = [b for k, b in cond.bounds.items() if k in ("at_most", "less_than")]
                if low and high and max(low) > min(high):
                    self.fault(
                        line,
                        f"{where}: enable_when on '{cond.question}' can never hold "
                        f"({', '.join(f'{k} {b}' for k, b in cond.bounds.items())})",
                    )
                continue
            if target.type not in ("yesno", "single", "multiple", "scale", "dropdown"):
                self.fault(
                    line,
                    f"{where}: enable_when refers to '{cond.question}', a "
                    f"{target.type} question; conditions need a yesno, single, multiple, "
                    "scale or dropdown question (or a comparison, for a number)",
                )
                continue
            allowed = target.choice_values
            for value in cond.values:
                if value not in allowed:
                    self.fault(
                        line,
                        f"{where}: enable_when value '{value}' is not an answer of "
                        f"'{cond.question}' ({', '.join(allowed)})"
                        f"{_did_you_mean(value, allowed)}",
                    )

    def question(self, raw, line: int = 0) -> Question | None:
        if not isinstance(raw, LDict):
            self.fault(
                line,
                f"a question must be a mapping with 'id' and 'type', not {_kind_name(raw)}",
            )
            return None
        qid = self.ident(raw, "id", "question")
        if qid is not None:
            self.position.setdefault(qid, len(self.position))
        where = f"question '{qid}'" if qid else "question"
        qtype = raw.get("type")
        if qtype is None or qtype not in QUESTION_TYPES:
            if qtype is None:
                self.fault(
                    raw.line, f"{where}: 'type' is missing (one of {', '.join(QUESTION_TYPES)})"
                )
            else:
                self.fault(
                    raw.line_of("type"),
                    f"{where}: unknown type '{qtype}'"
                    f"{_did_you_mean(qtype, QUESTION_TYPES)}; known types: "
                    f"{', '.join(QUESTION_TYPES)}",
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
                    hint = f" (it belongs to {', '.join(owners)} questions)"
                self.fault(
                    raw.line_of(key), f"{where}: unknown key '{key}' for a {qtype} question{hint}"
                )
        before = len(self.faults)
        q = Question(id=qid or "", type=qtype, line=raw.line)
        self.common(raw, q, where)
        if qtype == "info":
            q.text = self.text(raw, "text", where)
            if q.text is None and q.label is None and "text" not in raw:
                self.fault(raw.line, f"{where}: an info question needs 'text' or 'label'")
            if q.required:
                self.fault(
                    raw.line_of("required"),
                    f"{where}: an info question has no answer and cannot be required",
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
        if qtype == "textarea":
            lines = self.number(raw, "lines", where, "positive_int")
            if lines is not None:
                if lines > MAX_LINES:
                    self.fault(
                        raw.line_of("lines"),
                        f"{where}: 'lines' must be at most "
                        f"{MAX_LINES} so the box fits one page, not {lines}",
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
                        self.fault(raw.line_of(key), f"{where}: '{key}' is {v} but decimals is 0")
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
                            f"{where}: '{key}' must be a date \"YYYY-MM-DD\", not {value!r}",
                        )
                    else:
                        setattr(q, key, value)
        if qtype == "scale":
            q.min = self.number(raw, "min", where, "int")
            q.max = self.number(raw, "max", where, "int")
            for key in ("min", "max"):
                if key not in raw:
                    self.fault(raw.line, f"{where}: a scale needs '{key}'")
            q.min_label = self.text(raw, "min_label", where)
            q.max_label = self.text(raw, "max_label", where)
            if "na" in raw:
                q.na = self.option(raw["na"], f"{where}, na")
                if q.na is not None and q.na.value == OTHER:
                    self.fault(raw.line_of("na"), f"{where}: the na value may not be 'other'")
            if (
                q.min is not None
                and q.max is not None
                and q.max - q.min + 1 > MAX_SCALE_POINTS
                and q.min < q.max
            ):
                self.fault(
                    raw.line_of("max"),
                    f"{where}: a scale may have at most "
                    f"{MAX_SCALE_POINTS} points, not {q.max - q.min + 1}",
                )
            if q.na is not None and q.na.value.lstrip("-").isdigit():
                self.fault(
                    raw.line_of("na"),
                    f"{where}: the na value '{q.na.value}' looks like a "
                    "number of the scale; use a word such as vet_inte",
                )
        if qtype == "multiple":
            q.min_choices = self.number(raw, "min_choices", where, "nonnegative_int")
            q.max_choices = self.number(raw, "max_choices", where, "positive_int")
            n = len(q.choices)
            if q.max_choices is not None and n and q.max_choices > n:
                self.fault(
                    raw.line_of("max_choices"),
                    f"{where}: max_choices {q.max_choices} is more than the {n} choices",
                )
            if q.min_choices is not None and n and q.min_choices > n:
                self.fault(
                    raw.line_of("min_choices"),
                    f"{where}: min_choices {q.min_choices} is more than the {n} choices",
                )
        lo_key, hi_key = ("min_choices", "max_choices") if qtype == "multiple" else ("min", "max")
        lo, hi = getattr(q, lo_key), getattr(q, hi_key)
        if lo is not None and hi is not None and lo > hi:
            self.fault(
                raw.line_of(hi_key), f"{where}: {lo_key} ({lo}) is greater than {hi_key} ({hi})"
            )
        if qtype == "scale" and lo is not None and hi is not None and lo == hi:
            self.fault(raw.line_of(hi_key), f"{where}: a scale needs min < max, not {lo} to {hi}")
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
        if code is not None:
            if not isinstance(code, str) or not CODE_RE.match(code):
                self.fault(
                    raw.line_of("code"), f"{where}: code {code!r} must be a word such as 'skr-7-1'"
                )
            else:
                q.code = code
        if "enable_when" in raw:
            q.enable_when = self.condition(raw, where)
            q.condition_line = raw.line_of("enable_when")

    def resolve_options(self, raw: LDict, where: str) -> tuple[Option, ...] | None:
        if "options" not in raw:
            self.fault(raw.line, f"{where}: 'options' is missing")
            return None
        value = raw["options"]
        line = raw.line_of("options")
        if isinstance(value, str):
            if value in self.broken_sets:
                return None  # its own faults are reported where it is defined
            if value not in self.option_sets:
                self.fault(
                    line,
                    f"{where}: unknown option set '{value}'"
                    f"{_did_you_mean(value, self.option_sets)}",
                )
                return None
            return self.option_sets[value]
        return self.option_list(value, where, line)

    def rows(self, raw: LDict, where: str) -> tuple[Row, ...]:
        items = raw.get("rows")
        if not isinstance(items, LList) or not items:
            self.fault(
                raw.line_of("rows"),
                f"{where}: a grid needs 'rows', a non-empty list of {{id, label}}",
            )
            return ()
        rows: list[Row] = []
        seen: set[str] = set()
        for index, item in enumerate(items):
            if not isinstance(item, LDict):
                self.fault(
                    items.line_of_item(index), f"{where}: a row must be a mapping {{id, label}}"
                )
                continue
            self.check_keys(item, ROW_KEYS, f"{where}, row")
            rid = self.ident(item, "id", f"{where}, row")
            if rid is None:
                continue
            if rid in seen:
                self.fault(item.line_of("id"), f"{where}: row id '{rid}' appears twice")
                continue
            seen.add(rid)
            label = self.text(item, "label", f"{where}, row '{rid}'", required=True)
            if label is not None:
                rows.append(Row(rid, label))
        return tuple(rows)

    def condition(self, raw: LDict, where: str) -> Rule | None:
        return self.rule(raw["enable_when"], raw.line_of("enable_when"), where)

    def rule(self, cond, line: int, where: str) -> Rule | None:
        """One `enable_when` (or a part of one): a test of an earlier answer, or all,
        any or not of conditions. Every fault in it is reported, not only the first."""
        if not isinstance(cond, LDict):
            self.fault(
                line,
                f"{where}: enable_when must be {{question: ID, in: [VALUES]}}, "
                "{question: ID, equals: VALUE}, a comparison such as {question: ID, "
                "at_least: N}, or {all: [...]}, {any: [...]}, {not: ...}",
            )
            return None
        line = cond.line or line
        groups = [k for k in CONDITION_GROUPS if k in cond]
        if groups:
            if len(cond) > 1:
                self.fault(
                    line,
                    f"{where}: enable_when '{groups[0]}' stands alone; put the other tests "
                    f"inside it ({', '.join(repr(k) for k in cond if k != groups[0])})",
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
                    f"{where}: enable_when '{key}' must be a non-empty list of conditions",
                )
                return None
            parts = [self.rule(item, value.line_of_item(i), where) for i, item in enumerate(value)]
            if any(p is None for p in parts):
                return None
            return (AllOf if key == "all" else AnyOf)(tuple(parts))
        self.check_keys(cond, CONDITION_KEYS, f"{where}, enable_when")
        target = cond.get("question")
        if not isinstance(target, str):
            self.fault(line, f"{where}: enable_when needs 'question'")
            return None
        compare = [k for k in COMPARISONS if k in cond]
        if compare:
            if "in" in cond or "equals" in cond:
                self.fault(
                    line,
                    f"{where}: enable_when compares a number ({', '.join(compare)}) or "
                    "names answers ('in', 'equals'), not both",
                )
                return None
            bounds = {}
            for key in compare:
                value = cond[key]
                if isinstance(value, bool) or not isinstance(value, int | float):
                    self.fault(
                        cond.line_of(key),
                        f"{where}: enable_when '{key}' must be a number, not {value!r}",
                    )
                    return None
                bounds[key] = value
            return Condition(target, (), **bounds, line=line)
        if ("in" in cond) == ("equals" in cond):
            self.fault(
                line,
                f"{where}: enable_when needs exactly one of 'in' and 'equals' (or a "
                f"comparison: {', '.join(COMPARISONS)})",
            )
            return None
        if "in" in cond:
            values = cond["in"]
            if not isinstance(values, LList) or not values:
                self.fault(
                    cond.line_of("in"), f"{where}: enable_when 'in' must be a non-empty list"
                )
                return None
        else:
            values = [cond["equals"]]
        if any(isinstance(v, (dict, list)) or v is None for v in values):
            self.fault(line, f"{where}: enable_when values must be plain words or numbers")
            return None
        return Condition(target, tuple(_value_text(v) for v in values), line=line)


def _value_text(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_date(text: str) -> bool:
    import datetime

    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True
