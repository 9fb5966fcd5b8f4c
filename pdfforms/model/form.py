"""The typed model of a form definition, and its loading and validation.

Everything downstream (layout, readers, interpretation, datasets) works on
`Form`; nothing else reads YAML. Loading never stops at the first fault: a
person fixing a definition wants the whole list, each as `file:line: message`
naming the id involved.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

Text = dict[str, str]
"""A text in every language of its form: language code → text."""

QUESTION_TYPES = (
    "info",
    "text",
    "textarea",
    "number",
    "date",
    "personnummer",
    "yesno",
    "single",
    "multiple",
    "scale",
    "grid",
    "dropdown",
    "group",
)
CHOICE_TYPES = ("yesno", "single", "multiple", "scale", "grid", "dropdown")


OTHER = "other"
MAX_LINES = 30  # a textarea taller than this no longer fits one A4 page in large print
MAX_SCALE_POINTS = 11  # 0–10 is the widest scale that fits a row of boxes a pen can hit
# A group (a care plan's step / who / when): its columns are written answers of these
# types, one box a cell. Up to MAX_GROUP_ITEMS columns leave a hand-written date
# (ÅÅÅÅ-MM-DD, the widest hint) room in large print across one A4 page; up to
# MAX_GROUP_ROWS rows fit one page in large print, so a group never needs more than
# one page break.
GROUP_ITEM_TYPES = ("text", "date", "number")
MAX_GROUP_ITEMS = 4
MAX_GROUP_ROWS = 12


@dataclass(frozen=True)
class Option:
    value: str
    label: Text
    # `code: {system, code}`: the option in a code system of someone else's (a LOINC
    # answer code, say), so exports carry it; None: the form's own (exchange/fhir.py)
    code: tuple[str, str] | None = None


@dataclass(frozen=True)
class Row:
    id: str
    label: Text


@dataclass(frozen=True)
class Condition:
    """One test of an earlier question's answer (a leaf of `enable_when`): its answer
    is one of `values`, or, for a number or a scale, lies within the bounds given
    (every one given must hold). It is met only when that question applied and was
    answered (model/rules.py)."""

    question: str
    values: tuple[str, ...] = ()
    at_least: float | None = None
    at_most: float | None = None
    more_than: float | None = None
    less_than: float | None = None
    line: int = field(default=0, compare=False)  # where it is written, for faults

    @property
    def bounds(self) -> dict[str, float]:
        """The numeric comparisons given: name → number, in COMPARISONS' order."""
        return {k: getattr(self, k) for k in COMPARISONS if getattr(self, k) is not None}

    @property
    def numeric(self) -> bool:
        return not self.values


COMPARISONS = ("at_least", "at_most", "more_than", "less_than")


@dataclass(frozen=True)
class AllOf:
    """`enable_when: {all: [...]}`: every condition holds."""

    conditions: tuple[Rule, ...]


@dataclass(frozen=True)
class AnyOf:
    """`enable_when: {any: [...]}`: at least one condition holds."""

    conditions: tuple[Rule, ...]


@dataclass(frozen=True)
class Not:
    """`enable_when: {not: ...}`: the condition does not hold (a blank or skipped
    answer does not meet a test, so `not` of it holds: the printed words say so)."""

    condition: Rule


Rule = Condition | AllOf | AnyOf | Not
"""An `enable_when`, of a question or of a whole section."""


def leaves(rule: Rule | None) -> list[Condition]:
    """The tests of answers a condition is made of, in the order written."""
    if rule is None:
        return []
    if isinstance(rule, Condition):
        return [rule]
    if isinstance(rule, Not):
        return leaves(rule.condition)
    return [leaf for part in rule.conditions for leaf in leaves(part)]


@dataclass
class Question:
    id: str
    type: str
    line: int
    label: Text | None = None
    help: Text | None = None
    required: bool = False
    code: str | None = None
    # the code system of `code` when the definition names one (`code: {system, code}`);
    # None: the project's own concept codes (exchange/fhir.py CONCEPTS), as skr-7-1
    code_system: str | None = None
    enable_when: Rule | None = None
    text: Text | None = None
    options: tuple[Option, ...] = ()
    other: Text | None = None
    rows: tuple[Row, ...] = ()
    min: float | int | str | None = None
    max: float | int | str | None = None
    decimals: int | None = None
    lines: int = 3
    max_length: int | None = None
    min_choices: int | None = None
    max_choices: int | None = None
    min_label: Text | None = None
    max_label: Text | None = None
    na: Option | None = None
    items: tuple[Question, ...] = ()  # a group's columns, each a text, date or number
    row_count: int = 0  # a group's printed rows (`rows: N`)
    number: int | None = None  # printed question number; None for info and unnumbered
    condition_line: int = 0  # where enable_when is written, for faults

    @property
    def answerable(self) -> bool:
        return self.type != "info"

    @property
    def choices(self) -> tuple[Option, ...]:
        """Every choice a respondent can mark, in printed order."""
        if self.type == "yesno":
            return YESNO_OPTIONS
        if self.type == "scale":
            points = tuple(Option(str(v), {}) for v in range(int(self.min), int(self.max) + 1))
            return points + ((self.na,) if self.na else ())
        if self.other is not None:
            return self.options + (Option(OTHER, self.other),)
        return self.options

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.choices)

    def field_names(self) -> list[str]:
        """The AcroForm field names of this question (SPEC §2)."""
        if self.type == "info":
            return []
        if self.type == "multiple":
            names = [f"{self.id}__{o.value}" for o in self.choices]
        elif self.type == "grid":
            names = [f"{self.id}__{r.id}" for r in self.rows]
        elif self.type == "group":
            names = [
                cell_name(self.id, k, item.id)
                for k in range(1, self.row_count + 1)
                for item in self.items
            ]
        else:
            names = [self.id]
        if self.type == "single" and self.other is not None:
            names.append(f"{self.id}__other_text")
        if self.type == "multiple" and self.other is not None:
            names.append(f"{self.id}__other_text")
        return names

    def answer_keys(self) -> list[str]:
        """The keys this question contributes to `answers` (SPEC §4)."""
        if self.type == "info":
            return []
        keys = [self.id]
        if self.other is not None:
            keys.append(f"{self.id}__other_text")
        return keys


def cell_name(group: str, row: int, item: str) -> str:
    """The field of one cell of a group (SPEC §2): `<id>__<row>__<item>`, rows from 1."""
    return f"{group}__{row}__{item}"


YESNO_OPTIONS = (
    Option("yes", {"sv": "Ja", "en": "Yes"}),
    Option("no", {"sv": "Nej", "en": "No"}),
)


@dataclass
class Section:
    id: str
    title: Text | None
    intro: Text | None
    questions: list[Question]
    line: int = 0
    enable_when: Rule | None = None  # every question of the section is asked only if it holds
    condition_line: int = 0
    numbered: bool = True  # False: its questions are printed without a number


# The parts of a data-protection block, in the order they are printed.
DATA_PROTECTION_PARTS = ("controller", "purpose", "legal_basis", "retention", "rights", "contact")


@dataclass(frozen=True)
class DataProtection:
    """`data_protection`: what the GDPR (articles 13 and 14) asks a controller to tell
    the people whose data a form collects; printed on the form, never an answer."""

    controller: Text  # who is responsible (personuppgiftsansvarig)
    purpose: Text
    rights: Text
    contact: Text  # where to ask: the data protection officer, an address
    legal_basis: Text | None = None
    retention: Text | None = None  # how long the answers are kept
    line: int = 0


@dataclass(frozen=True)
class Sender:
    """Who a letter is from (`letter: sender:`): the unit or region, its postal
    address, a telephone number, a contact person; printed in each letter's head."""

    name: Text
    address: tuple[str, ...] = ()
    phone: str | None = None
    contact: Text | None = None


@dataclass(frozen=True)
class Letter:
    """`letter:`: the cover letter a print run with respondents prints before each copy,
    in the copy's language. `text` and `subject` hold the languages it is written in (a
    copy in another language has no letter: a fault before anything is printed);
    `date` fixes the letters' date (None: the print run's)."""

    text: Text
    subject: Text = field(default_factory=dict)
    sender: Sender | None = None
    date: str | None = None  # ISO
    line: int = 0


@dataclass(frozen=True)
class Logo:
    """`logo:`: an image file (PNG or JPEG, relative to the definition) drawn on each
    copy's first page and on letters, and its alternative text per language. Only
    printing needs the file: a returned copy is read without it."""

    file: str
    alt: Text
    line: int = 0


TRANSLATION_STATUSES = ("machine", "reviewed")


@dataclass(frozen=True)
class Translation:
    """What the definition says of one language's texts (its `translations:` map).

    `machine`: made by a machine (or by someone who is not a qualified translator)
    and not yet checked; `validate` warns until a qualified translator has checked
    them and the status says `reviewed`.
    """

    lang: str
    status: str
    note: str = ""
    line: int = 0


@dataclass
class Form:
    id: str
    version: str
    languages: list[str]
    title: Text
    intro: Text | None
    sections: list[Section]
    source: str = "<text>"
    source_text: str = ""
    # Texts the printed form cannot show (printable.py). A form loaded to read
    # returned copies keeps them: it was printed so, and its answers still count.
    print_faults: list[Fault] = field(default_factory=list, repr=False)
    data_protection: DataProtection | None = None
    translations: dict[str, Translation] = field(default_factory=dict, repr=False)
    letter: Letter | None = field(default=None, repr=False)
    logo: Logo | None = field(default=None, repr=False)
    _by_id: dict[str, Question] = field(default_factory=dict, repr=False)

    _conditions: dict[str, Rule | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {q.id: q for q in self.questions}
        for s in self.sections:
            for q in s.questions:
                rules = [r for r in (s.enable_when, q.enable_when) if r is not None]
                self._conditions[q.id] = (
                    None if not rules else rules[0] if len(rules) == 1 else AllOf(tuple(rules))
                )

    def condition_of(self, q: Question) -> Rule | None:
        """When `q` is asked: its section's condition and its own, both (None: always)."""
        return self._conditions.get(q.id, q.enable_when)

    def section_of(self, q: Question) -> Section:
        return next(s for s in self.sections if any(x.id == q.id for x in s.questions))

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    @property
    def answerable(self) -> list[Question]:
        return [q for q in self.questions if q.answerable]

    def question(self, qid: str) -> Question:
        return self._by_id[qid]

    def field_names(self) -> list[str]:
        return [name for q in self.questions for name in q.field_names()]

    def answer_keys(self) -> list[str]:
        return [key for q in self.questions for key in q.answer_keys()]

    @property
    def fingerprint(self) -> str:
        """sha256 of the definition text: tells two definitions of one version apart."""
        return hashlib.sha256(self.source_text.encode("utf-8")).hexdigest()

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def unreviewed(self) -> list[Translation]:
        """The languages whose texts are machine-made and not yet checked."""
        return [t for t in self.translations.values() if t.status == "machine"]


def tr(text: Text | None, lang: str) -> str:
    """The text in `lang` ('' for no text)."""
    if not text:
        return ""
    return text.get(lang) or next(iter(text.values()))


# --------------------------------------------------------------------------- loading


# --------------------------------------------------------------------------- finding forms


@dataclass(frozen=True)
class Fault:
    """One thing wrong with a definition, pinned to a line."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"
