"""Form + language → Layout: where everything on every page sits, in PDF points.

This is the single source of truth for geometry. The renderer draws it; the
flattened-PDF and scan readers look up in it where each box is, and map it onto
what came back with one `Transform`. It is pure (no PDF, no I/O) and
deterministic: the same definition, language and options always give the same
layout, so a scan can be read without the original file.

Coordinates are PDF points with the origin at the bottom-left of an A4 page.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from reportlab.pdfbase.pdfmetrics import stringWidth

from . import fonts
from .form import (
    DATA_PROTECTION_PARTS,
    AllOf,
    Condition,
    DataProtection,
    Form,
    Not,
    Question,
    Rule,
    cell_name,
    tr,
)
from .identity import Identity, qr_payload, small_print

if TYPE_CHECKING:
    import numpy as np

PAGE_WIDTH, PAGE_HEIGHT = 595.2756, 841.8898  # A4

# Corner marks: solid squares the scan reader finds to align a page. 8.5 mm from
# the edges keeps them inside the printable area of office printers (≈ 5 mm) even
# when "fit to page" shrinks the page by 6 %.
MARK_SIZE = 14.0
MARK_INSET = 24.0
QR_SIZE = 50.0  # ≈ 18 mm: about 1 mm a module, read at 150 dpi and up
# Edition 5's second code: the same size, this far left of the first (14 mm): apart
# enough that a drop of coffee or a pen stroke over one seldom reaches the other,
# and clear of the small print on its left (7 pt, at most ~80 characters).
SECOND_QR_GAP = 40.0
MARGIN_X = 54.0
# Edition 6's serial line (model/serials.py printed_code): 18 digits in the overlay
# font (Noto Sans, whose digits are all one width), 8 pt in 30 % grey like the
# small print, drawn from bottom to top in the right margin, centred on the corner
# marks' column (31 pt from the edge, 11 mm: inside what any printer prints, and
# clear of the content, which ends at MARGIN_X), its middle at the page's middle.
# A corner torn or folded reaches at most a fifth of the page's height from its
# corner (testing/scans.py worn_copy), a stain or a scratch over the codes less.
# At 8 pt a digit is 5.7 pt high: 16 pixels at 200 dpi, 12 at 150.
SERIAL_SIZE = 8.0
SERIAL_FONT = "NotoSans"
SERIAL_GRAY = 0.3
SERIAL_SAMPLE = "00000 00000 0000 00 00"  # the line's shape (serials.PRINTED_GROUPS)
# How high Noto Sans's digits stand, in ems: from 0.01 below the baseline (the round
# ones' overshoot) to 0.725 above (its glyf table's bounds, read with fontTools;
# the overlay font's WinAnsi cut has the same digits and widths, 0.572 em each).
SERIAL_DIGIT_SPAN = (-0.01, 0.725)
CONTENT_TOP = PAGE_HEIGHT - 62.0
CONTENT_BOTTOM = MARK_INSET + QR_SIZE + 14.0

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
FONT_ITALIC = "Helvetica-Oblique"

HINTS = {
    "sv": {
        "page": "Sida {n} av {total}",
        "date": "ÅÅÅÅ-MM-DD",
        "personnummer": "ÅÅÅÅMMDD-NNNN",
        "range": "{min}–{max}",
        "from": "minst {min}",
        "to": "högst {max}",
        "only_if_one": "Svara bara om du svarade ”{values}” på fråga {n}.",
        "or": "” eller ”",
        "only_if": "Svara bara om {clause}.",
        "section_only_if": "Svara på frågorna i den här delen bara om {clause}.",
        "answered": "du svarade {what} på fråga {n}",
        "not_answered": "du inte svarade {what} på fråga {n}",
        "quoted": "”{v}”",
        "and": " och ",
        "or_clause": " eller ",
        "above": "mer än {v}",
        "below": "mindre än {v}",
        "multiple": "Du kan sätta flera kryss.",
        "choose_one_of": "Skriv ett av: {values}",
        "version": "version {v}",
        "yes": "Ja",
        "no": "Nej",
        "required": "Frågor märkta med * måste besvaras.",
        "dp_pointer": "Hur vi behandlar dina personuppgifter står i slutet av formuläret.",
        "dp_title": "Så behandlar vi dina personuppgifter",
        "dp_controller": "Personuppgiftsansvarig",
        "dp_purpose": "Varför vi frågar",
        "dp_legal_basis": "Rättslig grund",
        "dp_retention": "Hur länge vi sparar svaren",
        "dp_rights": "Dina rättigheter",
        "dp_contact": "Frågor och kontakt",
    },
    "en": {
        "page": "Page {n} of {total}",
        "date": "YYYY-MM-DD",
        "personnummer": "YYYYMMDD-NNNN",
        "range": "{min}–{max}",
        "from": "at least {min}",
        "to": "at most {max}",
        "only_if_one": "Answer only if you answered “{values}” to question {n}.",
        "or": "” or “",
        "only_if": "Answer only if {clause}.",
        "section_only_if": "Answer the questions in this part only if {clause}.",
        "answered": "you answered {what} to question {n}",
        "not_answered": "you did not answer {what} to question {n}",
        "quoted": "“{v}”",
        "and": " and ",
        "or_clause": " or ",
        "above": "more than {v}",
        "below": "less than {v}",
        "multiple": "You may put more than one cross.",
        "choose_one_of": "Write one of: {values}",
        "version": "version {v}",
        "yes": "Yes",
        "no": "No",
        "required": "Questions marked * must be answered.",
        "dp_pointer": "How we handle your personal data is set out at the end of the form.",
        "dp_title": "How we handle your personal data",
        "dp_controller": "Data controller",
        "dp_purpose": "Why we ask",
        "dp_legal_basis": "Legal basis",
        "dp_retention": "How long we keep your answers",
        "dp_rights": "Your rights",
        "dp_contact": "Questions and contact",
    },
    # fi, se and uk: machine-made like the patient form's texts in them, to be
    # checked by a qualified translator with those (README, "Languages").
    "fi": {
        "page": "Sivu {n} / {total}",
        "date": "VVVV-KK-PP",
        "personnummer": "VVVVKKPP-NNNN",
        "range": "{min}–{max}",
        "from": "vähintään {min}",
        "to": "enintään {max}",
        "only_if_one": "Vastaa vain, jos vastasit kysymykseen {n} ”{values}”.",
        "or": "” tai ”",
        "only_if": "Vastaa vain, jos {clause}.",
        "section_only_if": "Vastaa tämän osan kysymyksiin vain, jos {clause}.",
        "answered": "vastasit kysymykseen {n} {what}",
        "not_answered": "et vastannut kysymykseen {n} {what}",
        "quoted": "”{v}”",
        "and": " ja ",
        "or_clause": " tai ",
        "above": "enemmän kuin {v}",
        "below": "vähemmän kuin {v}",
        "multiple": "Voit merkitä useamman rastin.",
        "choose_one_of": "Kirjoita yksi näistä: {values}",
        "version": "versio {v}",
        "yes": "Kyllä",
        "no": "Ei",
        "required": "Tähdellä * merkittyihin kysymyksiin on vastattava.",
        "dp_pointer": "Lomakkeen lopussa kerrotaan, miten käsittelemme henkilötietojasi.",
        "dp_title": "Näin käsittelemme henkilötietojasi",
        "dp_controller": "Rekisterinpitäjä",
        "dp_purpose": "Miksi kysymme",
        "dp_legal_basis": "Oikeusperuste",
        "dp_retention": "Kuinka kauan säilytämme vastaukset",
        "dp_rights": "Oikeutesi",
        "dp_contact": "Kysymykset ja yhteystiedot",
    },
    "se": {
        "page": "Siidu {n} / {total}",
        "date": "JJJJ-MM-BB",
        "personnummer": "JJJJMMBB-NNNN",
        "range": "{min}–{max}",
        "from": "unnimusat {min}",
        "to": "eanemusat {max}",
        "only_if_one": "Vástit dušše jus vástidit ”{values}” gažaldahkii {n}.",
        "or": "” dahje ”",
        "only_if": "Vástit dušše jus {clause}.",
        "section_only_if": "Vástit dán oasi gažaldagaide dušše jus {clause}.",
        "answered": "vástidit {what} gažaldahkii {n}",
        "not_answered": "it vástidan {what} gažaldahkii {n}",
        "quoted": "”{v}”",
        "and": " ja ",
        "or_clause": " dahje ",
        "above": "eanet go {v}",
        "below": "unnit go {v}",
        "multiple": "Sáhtát bidjat eanet go ovtta russa.",
        "choose_one_of": "Čále okta dáin: {values}",
        "version": "veršuvdna {v}",
        "yes": "Juo",
        "no": "Ii",
        "required": "Gažaldagaide mat leat merkejuvvon * galgá vástidit.",
        "dp_pointer": "Skovi loahpas čilgejuvvo mo mii meannudit du persovdnadieđuid.",
        "dp_title": "Nu mii meannudit du persovdnadieđuid",
        "dp_controller": "Persovdnadieđuid ovddasvástideaddji",
        "dp_purpose": "Manne mii jearrat",
        "dp_legal_basis": "Lágalaš vuođđu",
        "dp_retention": "Man guhká mii vurkejit vástádusaid",
        "dp_rights": "Du vuoigatvuođat",
        "dp_contact": "Gažaldagat ja oktavuohta",
    },
    "uk": {
        "page": "Сторінка {n} з {total}",
        "date": "РРРР-ММ-ДД",
        "personnummer": "РРРРММДД-NNNN",
        "range": "{min}–{max}",
        "from": "щонайменше {min}",
        "to": "щонайбільше {max}",
        "only_if_one": "Відповідайте, лише якщо на запитання {n} ви відповіли «{values}».",
        "or": "» або «",
        "only_if": "Відповідайте, лише якщо {clause}.",
        "section_only_if": "Відповідайте на запитання цієї частини, лише якщо {clause}.",
        "answered": "на запитання {n} ви відповіли {what}",
        "not_answered": "на запитання {n} ви не відповіли {what}",
        "quoted": "«{v}»",
        "and": " і ",
        "or_clause": " або ",
        "above": "більше ніж {v}",
        "below": "менше ніж {v}",
        "multiple": "Можна поставити кілька хрестиків.",
        "choose_one_of": "Напишіть одне з: {values}",
        "version": "версія {v}",
        "yes": "Так",
        "no": "Ні",
        "required": "На запитання, позначені *, потрібно відповісти.",
        "dp_pointer": "Як ми обробляємо ваші персональні дані, описано в кінці анкети.",
        "dp_title": "Як ми обробляємо ваші персональні дані",
        "dp_controller": "Розпорядник персональних даних",
        "dp_purpose": "Навіщо ми питаємо",
        "dp_legal_basis": "Правова підстава",
        "dp_retention": "Як довго ми зберігаємо відповіді",
        "dp_rights": "Ваші права",
        "dp_contact": "Запитання та контакти",
    },
    # ar: machine-made too. Written without Latin, though the Arabic faces now have it.
    "ar": {
        "page": "الصفحة {n} من {total}",
        "date": "سنة-شهر-يوم",
        "personnummer": "سنة شهر يوم-أربعة أرقام",
        "range": "{min}-{max}",
        "from": "على الأقل {min}",
        "to": "على الأكثر {max}",
        "only_if_one": "أجب فقط إذا كانت إجابتك عن السؤال {n} «{values}».",
        "or": "» أو «",
        "only_if": "أجب فقط إذا {clause}.",
        "section_only_if": "أجب عن أسئلة هذا الجزء فقط إذا {clause}.",
        "answered": "كانت إجابتك عن السؤال {n} {what}",
        "not_answered": "لم تكن إجابتك عن السؤال {n} {what}",
        "quoted": "«{v}»",
        "and": " و",
        "or_clause": " أو ",
        "above": "أكثر من {v}",
        "below": "أقل من {v}",
        "multiple": "يمكنك وضع أكثر من علامة.",
        "choose_one_of": "اكتب واحدا مما يلي: {values}",
        "version": "الإصدار {v}",
        "yes": "نعم",
        "no": "لا",
        "required": "يجب الإجابة عن الأسئلة المعلمة بنجمة *.",
        "dp_pointer": "تجد في نهاية الاستمارة كيف نتعامل مع بياناتك الشخصية.",
        "dp_title": "كيف نتعامل مع بياناتك الشخصية",
        "dp_controller": "المسؤول عن البيانات الشخصية",
        "dp_purpose": "لماذا نسأل",
        "dp_legal_basis": "الأساس القانوني",
        "dp_retention": "كم من الوقت نحتفظ بالإجابات",
        "dp_rights": "حقوقك",
        "dp_contact": "الأسئلة والتواصل",
    },
}


# After the label of a required question, edition 2 on (drawn as its own text
# after the label's last line, so the wrap never leaves it alone on a line).
REQUIRED_MARK = " *"


# The words of a group's cells (its tooltips, for screen readers), in the languages
# the tool's own texts have; a form in another language has them in English, as its
# hints HINTS has not got are (hint below).
GROUP_HINTS = {
    "sv": {"cell": "rad {n}, {item}", "row": "Rad {n}"},
    "en": {"cell": "row {n}, {item}", "row": "Row {n}"},
}


def hint(lang: str, key: str, **kw) -> str:
    table = HINTS.get(lang, HINTS["en"])
    if key not in table and key in GROUP_HINTS["en"]:
        table = GROUP_HINTS.get(lang, GROUP_HINTS["en"])
    return table[key].format(**kw)


@dataclass(frozen=True)
class Style:
    """Sizes for one print size. Normal print keeps every text at 11 pt or more."""

    title: float
    section: float
    label: float
    body: float
    help: float
    box: float  # side of a tick box
    line: float  # height of one written line in a text box
    gap: float  # space after a question
    small: float  # the machine-metadata small print in the footer
    hint_italic: bool = True  # hints ("You may put more than one cross.") in italics
    hint_gray: float = 0.25  # … and in this grey (0 black)
    header_gray: float = 0.3  # the page header's title and version
    indent: float = 30.0  # a question's text and boxes, right of its number
    field_widths: tuple[float, float, float, float] = (120, 150, 190, 260)  # number, date,
    # personnummer, dropdown
    scale_step: float = 48.0  # the most room between a scale's boxes
    # One comb cell (edition 4 on): 7 mm wide and 9 mm high in normal print, room for
    # one digit written large by an unsteady hand; the large print's are bigger still.
    comb_cell: tuple[float, float] = (20.0, 26.0)

    def leading(self, size: float) -> float:
        return round(size * 1.25, 2)


NORMAL = Style(title=22, section=16, label=12, body=12, help=11, box=15, line=22, gap=14, small=7)


@dataclass(frozen=True)
class Edition:
    """One design of the pages: fonts and sizes.

    A copy printed years ago must be read with the design it was printed with, so
    a design is never changed in place: a change that moves anything on a page is
    a new edition, and the old ones stay here for reading. Every page says its
    edition (model/identity.py); new PDFs are drawn in EDITION.
    """

    number: int
    normal: Style
    large: Style
    font: str = FONT
    bold: str = FONT_BOLD
    italic: str = FONT_ITALIC
    # The page text in the embedded fonts of model/fonts.py, chosen per language
    # (font/bold/italic then name the Latin ones); else in font/bold/italic.
    embedded: bool = False
    # What is typed into the fields is drawn in a font chosen per language (fonts.py,
    # `fields_font`), not in the one WinAnsi font of every language.
    unicode_fields: bool = False
    # Personnummer, dates and bounded whole numbers are written in comb cells, one
    # character a cell (COMB_PATTERNS), and their fields are comb fields: what is
    # typed lands one character a cell on screen as on paper. The scan reader reads
    # each cell's digit as a suggestion for a person (read/scan/digits.py).
    comb: bool = False
    # Two QR codes a page, the same payload (SECOND_QR_GAP), each at the highest error
    # correction that keeps the version level M needs: what a stain, a pen stroke or a
    # torn corner takes from one code the other keeps (read/scan/identify.py).
    two_codes: bool = False
    # The copy's serial and the page number printed again as digits in the right
    # margin (serial_line): a page whose codes a stain or a tear took is still
    # identified by them (model/serials.py printed_code, read/scan/serial.py).
    printed_serial: bool = False

    def faces(self, lang: str) -> fonts.Faces:
        """The fonts the page text of `lang` is drawn in, in this edition."""
        if self.embedded:
            return fonts.faces(lang)
        return fonts.Faces(self.font, self.bold, self.italic)


EDITIONS = {
    # 1: large print at 14 pt body with grey italic hints.
    1: Edition(
        1,
        NORMAL,
        Style(
            title=26,
            section=19,
            label=15,
            body=14,
            help=14,
            box=20,
            line=30,
            gap=20,
            small=7,
            indent=36.0,
            field_widths=(150, 190, 240, 320),
            scale_step=56.0,
        ),
    ),
    # 2: large print that is large: 16 pt body and hints, upright and black, boxes
    # and written lines to match (issue 15; large-print guidance such as RNIB's
    # Clear Print asks for 16 pt and up, no italics, no grey text).
    2: Edition(
        2,
        NORMAL,
        Style(
            title=28,
            section=21,
            label=17,
            body=16,
            help=16,
            box=22,
            line=34,
            gap=22,
            small=7,
            hint_italic=False,
            hint_gray=0.0,
            header_gray=0.0,
            indent=40.0,
            field_widths=(160, 210, 270, 340),
            scale_step=60.0,
            comb_cell=(25.0, 34.0),
        ),
        # … and every text in embedded open fonts, chosen per language (issue 15:
        # every script; PDF/UA wants every font embedded).
        font=fonts.NOTO_SANS.regular,
        bold=fonts.NOTO_SANS.bold,
        italic=fonts.NOTO_SANS.italic,
        embedded=True,
    ),
}
# 3: the pages of 2, and fields whose font has every letter of the form's language:
# Ukrainian, Northern Sami or Arabic typed into a form in that language prints (issue
# 15). Its own edition because a flattened copy keeps no fields: only the edition on
# the page tells the reader which font the typed text was drawn in, and so whether a
# letter of the language may have been lost (read/flattened.py).
EDITIONS[3] = replace(EDITIONS[2], number=3, unicode_fields=True)
# 4: the pages of 3 with comb cells for personnummer, dates and bounded whole numbers
# (issue 17): each character in a cell of its own, large enough for an elderly hand,
# so the scan reader can read one digit a cell.
EDITIONS[4] = replace(EDITIONS[3], number=4, comb=True)
# 5: the pages of 4 with a second QR code in the bottom margin, left of the first,
# and both codes' error correction raised as far as their size allows (issue 17: half
# the pages of a worn copy went unidentified when their one code did not decode).
# Nothing else on the page moves: the second code lies where the margin was empty.
EDITIONS[5] = replace(EDITIONS[4], number=5, two_codes=True)
# 6: the pages of 5 with the copy's serial and the page number printed again as digits,
# small and grey, up the right margin at mid-height (serial_line), where neither a
# corner torn or folded nor a stain or a scratch aimed at the codes reaches (issue
# 17: a third of the pages of worn copies kept no code). Nothing else moves.
EDITIONS[6] = replace(EDITIONS[5], number=6, printed_serial=True)
EDITION = 6  # the edition every new PDF is drawn in

# What a comb's cells hold: '#' one digit, any other character is printed between
# the cells (a personnummer's '-', a date's ÅÅÅÅ-MM-DD) and takes a cell of its own
# in the field, so what is typed keeps the value's shape (SPEC §4).
COMB_DIGIT = "#"
COMB_PATTERNS = {"personnummer": "########-####", "date": "####-##-##"}
# A number gets cells when its definition bounds its digits: whole, 0 or more, and at
# most this many digits (a longer one is written on a line as before).
COMB_MAX_DIGITS = 6


def comb_pattern(q) -> str | None:
    """The comb of a question's cells (COMB_PATTERNS), or None when it has none."""
    if q.type in COMB_PATTERNS:
        return COMB_PATTERNS[q.type]
    if q.type == "number" and q.max is not None and q.min is not None and q.min >= 0:
        if q.decimals or not float(q.max).is_integer() or not float(q.min).is_integer():
            return None
        digits = len(str(int(q.max)))
        return COMB_DIGIT * digits if digits <= COMB_MAX_DIGITS else None
    return None


LARGE = EDITIONS[EDITION].large


def edition(number: int | None) -> Edition:
    """The design a page states (None: it states none, so the first), or ValueError."""
    number = number or 1
    if number not in EDITIONS:
        raise ValueError(
            f"was printed in layout edition {number}, which this pdfforms does not know "
            f"(it knows {', '.join(map(str, EDITIONS))}); read it with a newer pdfforms"
        )
    return EDITIONS[number]


# --------------------------------------------------------------------------- layout data


@dataclass(frozen=True)
class TextItem:
    x: float
    y: float  # baseline
    text: str
    font: str
    size: float
    gray: float = 0.0  # 0 black … 1 white
    align: str = "left"  # left | center | right (x is the anchor)
    # What the text is in the tagged PDF's structure (generate/tags.py reads it):
    # (kind, key) such as ("label", question id) or ("option", field, on value);
    # ("furniture",) for the header and footer, drawn as an artifact. A text
    # without a role cannot be drawn: a screen reader would miss it. It moves
    # nothing on a page.
    role: tuple[str, ...] = ()


@dataclass(frozen=True)
class RectItem:
    x: float
    y: float
    w: float
    h: float
    stroke: float | None = 0.0  # gray level, None for no outline
    fill: float | None = None
    width: float = 0.8


@dataclass(frozen=True)
class Widget:
    """One fillable box: a text field, a tick box, or one option of a radio group.

    `field` is the AcroForm field name (SPEC §2); `on` the on-state of a button
    (the option value); `kind` is text | checkbox | radio | choice. `tooltip` is
    the field's (the question, or the grid row); `option_label` names a button's
    option for screen readers.
    """

    kind: str
    field: str
    question: str
    x: float
    y: float
    w: float
    h: float
    tooltip: str
    on: str | None = None
    multiline: bool = False
    font_size: float = 11
    options: tuple[tuple[str, str], ...] = ()  # (label, export value) for choice fields
    option_label: str = ""
    # A comb field's cells (COMB_PATTERNS), "" for an ordinary box. Left out of the
    # repr so that the digests of the editions before combs (tests/test_editions.py)
    # read as they did; compared as every other field.
    comb: str = field(default="", repr=False)

    def cells(self) -> list[tuple[str, tuple[float, float, float, float]]]:
        """Each cell of a comb: what it holds ('#' a digit, else a printed separator)
        and its rectangle."""
        step = self.w / len(self.comb) if self.comb else 0.0
        return [
            (ch, (self.x + i * step, self.y, self.x + (i + 1) * step, self.y + self.h))
            for i, ch in enumerate(self.comb)
        ]

    @property
    def rect(self) -> tuple[float, float, float, float]:
        return (self.x, self.y, self.x + self.w, self.y + self.h)


@dataclass
class PageLayout:
    number: int
    texts: list[TextItem] = field(default_factory=list)
    rects: list[RectItem] = field(default_factory=list)
    widgets: list[Widget] = field(default_factory=list)
    marks: list[RectItem] = field(default_factory=list)
    qr: RectItem | None = None
    second_qr: RectItem | None = None  # edition 5 on: the same code again (two_codes)
    # edition 6 on: where the serial line's digits lie (printed_serial, serial_line)
    serial_line: RectItem | None = None


@dataclass
class Layout:
    form_id: str
    version: str
    language: str
    large_print: bool
    pages: list[PageLayout]
    width: float = PAGE_WIDTH
    height: float = PAGE_HEIGHT
    edition: int = EDITION

    def widgets(self) -> list[Widget]:
        return [w for p in self.pages for w in p.widgets]

    @property
    def letters(self) -> str:
        """The letters of the form's language: those its printed texts use."""
        found = {ch for p in self.pages for t in p.texts for ch in t.text if ch.isalpha()}
        return "".join(sorted(found))

    @property
    def fields_font(self) -> fonts.TypedFont:
        """The font viewers draw what is typed into this form's fields in."""
        return fonts.fields_font(self.language, self.letters, edition(self.edition).unicode_fields)

    @property
    def comb_fields(self) -> bool:
        """Whether its comb widgets are comb fields on screen (the Comb flag). Not in a
        language whose fields' font is composite: pdftk draws no glyph of a comb in
        such a font, not even an empty one the flattened reader could see, so a typed
        value would be lost unsaid (tests/test_viewer_matrix.py, pdftk-fdf, se and uk).
        The cells are printed all the same, and read on scans."""
        return not self.fields_font.composite

    def page_of(self, field_name: str) -> int:
        for page in self.pages:
            if any(w.field == field_name for w in page.widgets):
                return page.number
        raise KeyError(field_name)

    def identity(self, serial: str | None = None) -> Identity:
        return Identity(
            self.form_id,
            self.version,
            self.language,
            serial,
            self.large_print,
            edition=self.edition,
        )

    def qr_payload(self, page: int, serial: str | None = None) -> str:
        return qr_payload(self.identity(serial), page, len(self.pages))

    def footer_small_print(self, page: int, serial: str | None = None) -> str:
        return small_print(self.identity(serial), page, len(self.pages))


# --------------------------------------------------------------------------- where it lies


@dataclass(frozen=True, eq=False)
class Transform:
    """Layout point → where it lies on what came back: x' = a·x + b·y + c, y' = d·x + e·y + f.

    The readers' one map. On a flattened copy it goes to page points (a print
    "fit to page" is scaled and shifted); on a scan, and on a page the scan
    reader draws itself, to pixels (column, row; rows run down the page). Each
    is found by fitting the layout's corner marks onto where they are
    (read/flattened.py, read/scan/align.py), or is the plain map of a page
    drawn to fill its image (`drawn`).

    `matrix` is [[a, b, c], [d, e, f]], a 2×3 numpy array kept as it was given
    (a least-squares fit's own array). A single point is mapped by the matrix
    product (`point`), rectangles of samples element by element (`points`):
    the two may differ in the last bit, as a matrix product may fuse a multiply
    with an add, and each reader keeps the arithmetic its thresholds were
    measured with.
    """

    matrix: np.ndarray

    @classmethod
    def scaling(cls, sx: float = 1.0, sy: float = 1.0) -> Transform:
        """x' = sx·x, y' = sy·y (with 1, 1: every point stays where it is)."""
        import numpy as np

        return cls(np.array([[sx, 0.0, 0.0], [0.0, sy, 0.0]]))

    @classmethod
    def drawn(cls, height: float, per_point: float) -> Transform:
        """A page `height` points tall drawn upright to fill its image, `per_point`
        pixels a point: (x, y) → (x·s, (height − y)·s)."""
        import numpy as np

        return cls(np.array([[per_point, 0.0, 0.0], [0.0, -per_point, height * per_point]]))

    def point(self, x: float, y: float) -> tuple[float, float]:
        import numpy as np

        px, py = self.matrix @ np.array([x, y, 1.0])
        return float(px), float(py)

    def points(self, xs, ys):
        """Many points at once (numpy arrays of one shape): (x's, y's)."""
        m = self.matrix
        return m[0, 0] * xs + m[0, 1] * ys + m[0, 2], m[1, 0] * xs + m[1, 1] * ys + m[1, 2]

    def rect(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """The upright rectangle around where a rectangle's four corners go."""
        xs, ys = zip(
            *(self.point(x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))), strict=True
        )
        return min(xs), min(ys), max(xs), max(ys)

    @property
    def scale(self) -> float:
        """How much longer a length is after the map (its mean over the two axes)."""
        import numpy as np

        return float(np.sqrt(abs(np.linalg.det(self.matrix[:, :2]))))


# --------------------------------------------------------------------------- text helpers


@lru_cache(maxsize=8192)
def width_of(text: str, font: str, size: float) -> float:
    """How wide `text` is drawn; right-to-left text as drawn, shaped (fonts.visual)."""
    if font in fonts.RTL_FACES:
        text = fonts.visual(text)
    return stringWidth(text, fonts.register(font), size)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap that keeps explicit newlines and breaks over-long words."""
    return wrap_measured(text, lambda t: width_of(t, font, size), width)


def wrap_measured(text: str, measure, width: float) -> list[str]:
    """`wrap` with any measure of a text's width (generate/scripts.py measures as the
    form's own script does, to warn of an answer that will not fit)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        if not words:
            lines.append("")
            continue
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if measure(candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while measure(word) > width and len(word) > 1:
                cut = len(word)
                while cut > 1 and measure(word[:cut]) > width:
                    cut -= 1
                soft = max(word.rfind("/", 0, cut), word.rfind("-", 0, cut))
                if soft > 0:  # prefer breaking after a slash or hyphen
                    cut = soft + 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines


# --------------------------------------------------------------------------- bands


@dataclass
class Band:
    """A horizontal strip of a page; items are placed relative to its top-left.

    Called a band, not a row: a row is a grid question's (model/form.py). `glue`
    keeps this band on the same page as the next one. `header` is a band repeated
    at the top of a page when a long question continues there.
    """

    height: float
    texts: list[TextItem] = field(default_factory=list)
    rects: list[RectItem] = field(default_factory=list)
    widgets: list[Widget] = field(default_factory=list)
    glue: bool = False
    header: Band | None = None


def _text_rows(
    text: str,
    font: str,
    size: float,
    x: float,
    width: float,
    gray: float = 0.0,
    space_after: float = 0.0,
    leading: float | None = None,
    role: tuple[str, ...] = (),
) -> list[Band]:
    leading = leading or round(size * 1.25, 2)
    rows = []
    lines = wrap(text, font, size, width)
    for i, line in enumerate(lines):
        extra = space_after if i == len(lines) - 1 else 0.0
        rows.append(
            Band(
                leading + extra,
                texts=[TextItem(x, size, line, font, size, gray, role=role)],
                glue=True,
            )
        )
    return rows


class _Builder:
    def __init__(self, form: Form, lang: str, large_print: bool, design: Edition):
        self.form = form
        self.lang = lang
        self.design = design
        self.s = s = design.large if large_print else design.normal
        faces = design.faces(lang)
        self.font, self.bold = faces.regular, faces.bold
        self.italic = faces.italic if s.hint_italic else faces.regular  # the hints' font
        self.left = MARGIN_X
        self.width = PAGE_WIDTH - 2 * MARGIN_X
        self.indent = s.indent
        self.qleft = self.left + self.indent
        self.qwidth = self.width - self.indent

    def t(self, text) -> str:
        return tr(text, self.lang)

    # -- blocks: lists of rows; a block is one unit for page breaking ---------------

    def blocks(self) -> list[list[Band]]:
        s = self.s
        form = self.form
        blocks: list[list[Band]] = []
        head = _text_rows(
            self.t(form.title),
            self.bold,
            s.title,
            self.left,
            self.width,
            space_after=6,
            role=("title",),
        )
        if form.intro:
            head += _text_rows(
                self.t(form.intro),
                self.font,
                s.body,
                self.left,
                self.width,
                space_after=8,
                role=("intro",),
            )
        if self.design.number >= 2 and any(q.required for q in form.answerable):
            # The legend of the required mark, once, before the first question (issue 15).
            head += _text_rows(
                hint(self.lang, "required"),
                self.font,
                s.help,
                self.left,
                self.width,
                space_after=8,
                role=("required_legend",),
            )
        if self.design.number >= 2 and form.data_protection is not None:
            head += _text_rows(
                hint(self.lang, "dp_pointer"),
                self.font,
                s.help,
                self.left,
                self.width,
                0,
                8,
                role=("dp_pointer",),
            )
        head[-1].glue = False
        blocks.append(head)
        for section in form.sections:
            lead: list[Band] = []
            if section.title:
                lead += [Band(8)]
                lead += _text_rows(
                    self.t(section.title),
                    self.bold,
                    s.section,
                    self.left,
                    self.width,
                    role=("section_title", section.id),
                )
                lead.append(
                    Band(
                        8,
                        rects=[RectItem(self.left, 3, self.width, 0, stroke=0.0, width=1.0)],
                        glue=True,
                    )
                )
            if section.intro:
                lead += _text_rows(
                    self.t(section.intro),
                    self.font,
                    s.body,
                    self.left,
                    self.width,
                    space_after=6,
                    role=("section_intro", section.id),
                )
            if section.enable_when is not None:
                # once for the whole section, where it begins, as a question's is under it
                lead += _text_rows(
                    self.condition_text(section.enable_when, section=True),
                    self.italic,
                    s.help,
                    self.left,
                    self.width,
                    space_after=6,
                    role=("section_condition", section.id),
                )
            pending = lead  # a section title or an instruction never ends a page
            for q in section.questions:
                rows = pending + self.question(q)
                if q.type == "info":
                    pending = rows
                    continue
                pending = []
                blocks.append(rows)
            if pending:
                blocks.append(pending)
        if self.design.number >= 2 and form.data_protection is not None:
            blocks += self.data_protection(form.data_protection)
        return blocks

    def data_protection(self, dp: DataProtection) -> list[list[Band]]:
        """The data-protection block, after the last question (edition 2 on).

        At the end, not under the intro: page 1 stays for the questions, which an
        elderly respondent should meet first, and the intro points here. Each part
        is a block of its own, so a long text can go on to the next page; the
        heading stays with the first part.
        """
        s = self.s
        lead = [Band(8)]
        lead += _text_rows(
            hint(self.lang, "dp_title"),
            self.bold,
            s.section,
            self.left,
            self.width,
            role=("dp_title",),
        )
        lead.append(
            Band(8, rects=[RectItem(self.left, 3, self.width, 0, stroke=0.0, width=1.0)], glue=True)
        )
        blocks = []
        for key in DATA_PROTECTION_PARTS:
            text = getattr(dp, key)
            if text is None:
                continue
            rows = lead + _text_rows(
                hint(self.lang, f"dp_{key}"),
                self.bold,
                s.body,
                self.left,
                self.width,
                role=("dp_heading", key),
            )
            rows += _text_rows(
                self.t(text),
                self.font,
                s.body,
                self.left,
                self.width,
                space_after=6,
                role=("dp_text", key),
            )
            for row in rows[:-1]:
                row.glue = True
            rows[-1].glue = False
            blocks.append(rows)
            lead = []
        return blocks

    def question(self, q: Question) -> list[Band]:
        s = self.s
        rows: list[Band] = []
        if q.type == "info":
            if q.label:
                rows += _text_rows(
                    self.t(q.label), self.bold, s.label, self.left, self.width, role=("label", q.id)
                )
            if q.text:
                rows += _text_rows(
                    self.t(q.text), self.font, s.body, self.left, self.width, role=("text", q.id)
                )
            rows[-1].height += s.gap * 0.6
            rows[-1].glue = False
            return rows
        marked = q.required and self.design.number >= 2
        mark_w = width_of(REQUIRED_MARK, self.bold, s.label) if marked else 0.0
        label_rows = _text_rows(
            self.t(q.label),
            self.bold,
            s.label,
            self.qleft,
            self.qwidth - mark_w,
            role=("label", q.id),
        )
        if marked:
            # The mark of a required question (its legend is under the intro), after
            # the label's last word, where the wrap kept room for it. A conditional
            # question is marked too: the condition is printed under it.
            last = label_rows[-1].texts[-1]
            x = last.x + width_of(last.text, self.bold, s.label)
            label_rows[-1].texts.append(
                TextItem(x, last.y, REQUIRED_MARK, self.bold, s.label, role=("required", q.id))
            )
        if q.number is not None:  # none in a section with `numbered: false`
            label_rows[0].texts.append(
                TextItem(
                    self.left, s.label, f"{q.number}.", self.bold, s.label, role=("number", q.id)
                )
            )
        rows += label_rows
        if q.enable_when is not None:
            rows += _text_rows(
                self.condition_text(q.enable_when),
                self.italic,
                s.help,
                self.qleft,
                self.qwidth,
                role=("condition", q.id),
            )
        if q.help:
            rows += _text_rows(
                self.t(q.help),
                self.font,
                s.help,
                self.qleft,
                self.qwidth,
                gray=self.s.hint_gray,
                role=("help", q.id),
            )
        if q.type == "multiple":
            rows += _text_rows(
                hint(self.lang, "multiple"),
                self.italic,
                s.help,
                self.qleft,
                self.qwidth,
                gray=self.s.hint_gray,
                role=("multiple", q.id),
            )
        rows.append(Band(4, glue=True))
        answer = getattr(self, f"answer_{q.type}")(q)
        rows += answer
        for row in rows[:-1]:
            row.glue = True
        rows[-1].glue = False
        rows[-1].height += s.gap
        return rows

    def condition_text(self, rule: Rule, section: bool = False) -> str:
        """A condition in the form's words: "Answer only if you answered “Yes” to
        question 4." A single test of a question's answers keeps the words every
        printed copy has had (only_if_one); all, any, not and comparisons of numbers
        are made of clauses (not is said of each test it reaches)."""
        lang = self.lang
        if not section and isinstance(rule, Condition) and not rule.numeric:
            target = self.form.question(rule.question)
            labels = [self.choice_label(target, v) for v in rule.values]
            return hint(lang, "only_if_one", values=hint(lang, "or").join(labels), n=target.number)
        clause = self.clause(rule, negated=False, top=True)
        return hint(lang, "section_only_if" if section else "only_if", clause=clause)

    def clause(self, rule: Rule, negated: bool, top: bool = False) -> str:
        lang = self.lang
        if isinstance(rule, Not):
            return self.clause(rule.condition, not negated, top)
        if isinstance(rule, Condition):
            target = self.form.question(rule.question)
            if rule.numeric:
                what = self.bounds_text(rule)
            else:
                labels = [self.choice_label(target, v) for v in rule.values]
                what = hint(lang, "quoted", v=hint(lang, "or").join(labels))
            key = "not_answered" if negated else "answered"
            return hint(lang, key, what=what, n=target.number)
        # not of all is any of the nots, and not of any is all of them (De Morgan)
        every = isinstance(rule, AllOf) != negated
        parts = [self.clause(r, negated) for r in rule.conditions]
        text = hint(lang, "and" if every else "or_clause").join(parts)
        return text if top or len(parts) == 1 else f"({text})"

    def bounds_text(self, rule: Condition) -> str:
        def num(value) -> str:
            text = str(int(value)) if float(value).is_integer() else str(value)
            return text if self.lang == "en" else text.replace(".", ",")

        b = rule.bounds
        parts = []
        if "at_least" in b and "at_most" in b:
            parts.append(hint(self.lang, "range", min=num(b["at_least"]), max=num(b["at_most"])))
        else:
            if "at_least" in b:
                parts.append(hint(self.lang, "from", min=num(b["at_least"])))
            if "at_most" in b:
                parts.append(hint(self.lang, "to", max=num(b["at_most"])))
        if "more_than" in b:
            parts.append(hint(self.lang, "above", v=num(b["more_than"])))
        if "less_than" in b:
            parts.append(hint(self.lang, "below", v=num(b["less_than"])))
        return hint(self.lang, "and").join(parts)

    def choice_label(self, q: Question, value: str) -> str:
        if q.type == "yesno":
            return hint(self.lang, value)
        if q.type == "scale" and (q.na is None or value != q.na.value):
            return value
        for opt in q.choices:
            if opt.value == value:
                return self.t(opt.label)
        return value

    def tooltip(self, q: Question, extra: str | None = None) -> str:
        base = f"{q.number}. {self.t(q.label)}" if q.number is not None else self.t(q.label)
        return f"{base} – {extra}" if extra else base

    # -- answers ----------------------------------------------------------------------

    def text_field(
        self,
        q: Question,
        name: str,
        x: float,
        width: float,
        height: float,
        multiline: bool = False,
        tooltip: str | None = None,
    ) -> Widget:
        return Widget(
            "text",
            name,
            q.id,
            x,
            0.0,
            width,
            height,
            tooltip or self.tooltip(q),
            multiline=multiline,
            font_size=self.s.body,
        )

    def one_line(self, q: Question, width: float, after: str | None = None) -> list[Band]:
        h = self.s.line
        row = Band(h + 2, widgets=[self.text_field(q, q.id, self.qleft, width, h)])
        if after:
            row.texts.append(
                TextItem(
                    self.qleft + width + 8,
                    h / 2 + self.s.help / 2 - 1,
                    after,
                    self.font,
                    self.s.help,
                    self.s.hint_gray,
                    role=("after", q.id),
                )
            )
        return [row]

    def answer_text(self, q: Question) -> list[Band]:
        return self.one_line(q, self.qwidth)

    def answer_textarea(self, q: Question) -> list[Band]:
        h = self.s.line * q.lines
        return [
            Band(
                h + 2,
                widgets=[self.text_field(q, q.id, self.qleft, self.qwidth, h, multiline=True)],
            )
        ]

    def combed(self, q: Question) -> str | None:
        """The comb this question is written in, in this edition and language."""
        if not self.design.comb or (self.design.embedded and fonts.is_rtl(self.lang)):
            return None  # a right-to-left page is mirrored, and a comb's order is not
        return comb_pattern(q)

    def comb(self, q: Question, pattern: str, after: str | None) -> list[Band]:
        """One cell a character: the field is a comb field of len(pattern) cells; the
        dividers between digit cells are printed, and a separator's cell shows its
        mark as a line (a path, not text: a flattened copy's reader takes the text
        inside a field for what was typed)."""
        cw, h = self.s.comb_cell
        width = cw * len(pattern)
        widget = replace(self.text_field(q, q.id, self.qleft, width, h), comb=pattern)
        row = Band(h + 4, widgets=[widget])
        for i in range(1, len(pattern)):
            x = self.qleft + i * cw
            sep = pattern[i] != COMB_DIGIT or pattern[i - 1] != COMB_DIGIT
            # between digits a full divider; beside a separator's cell a short tick
            # at the foot, so that the mark reads as between the digits around it
            row.rects.append(
                RectItem(x, h * (0.65 if sep else 0.0), 0.0, h * (0.35 if sep else 1.0))
            )
        for i, ch in enumerate(pattern):
            if ch != COMB_DIGIT:
                x = self.qleft + i * cw
                row.rects.append(RectItem(x + cw * 0.3, h / 2, cw * 0.4, 0.0, width=1.6))
        rows = [row]
        if after:
            rows += self.after_rows(q, after, self.font)
        return rows

    def answer_number(self, q: Question) -> list[Band]:
        if q.min is not None and q.max is not None:
            after = hint(self.lang, "range", min=_num(q.min), max=_num(q.max))
        elif q.min is not None:
            after = hint(self.lang, "from", min=_num(q.min))
        elif q.max is not None:
            after = hint(self.lang, "to", max=_num(q.max))
        else:
            after = None
        if pattern := self.combed(q):
            return self.comb(q, pattern, after)
        return self.one_line(q, self.s.field_widths[0], after)

    def answer_date(self, q: Question) -> list[Band]:
        if pattern := self.combed(q):
            return self.comb(q, pattern, hint(self.lang, "date"))
        return self.one_line(q, self.s.field_widths[1], hint(self.lang, "date"))

    def answer_personnummer(self, q: Question) -> list[Band]:
        if pattern := self.combed(q):
            return self.comb(q, pattern, hint(self.lang, "personnummer"))
        return self.one_line(q, self.s.field_widths[2], hint(self.lang, "personnummer"))

    def answer_dropdown(self, q: Question) -> list[Band]:
        h = self.s.line
        width = min(self.qwidth, self.s.field_widths[3])
        widget = Widget(
            "choice",
            q.id,
            q.id,
            self.qleft,
            0.0,
            width,
            h,
            self.tooltip(q),
            font_size=self.s.body,
            options=tuple((self.t(o.label), o.value) for o in q.options),
        )
        rows = [Band(h + 4, widgets=[widget])]
        labels = ", ".join(self.t(o.label) for o in q.options)
        rows += self.after_rows(q, hint(self.lang, "choose_one_of", values=labels), self.italic)
        return rows

    def after_rows(self, q: Question, text: str, font: str) -> list[Band]:
        """A hint under a question's answer (its format, its choices), in grey help size."""
        return _text_rows(
            text,
            font,
            self.s.help,
            self.qleft,
            self.qwidth,
            gray=self.s.hint_gray,
            role=("after", q.id),
        )

    def boxes(self, q: Question, kind: str, field_for, labels: list[tuple[str, str]]) -> list[Band]:
        """Tick boxes with labels: on one line when they fit, else one per line."""
        s = self.s
        box = s.box
        gap = 8.0
        spacing = 22.0
        widths = [box + gap + width_of(lbl, self.font, s.body) for _, lbl in labels]
        rows: list[Band] = []
        if sum(widths) + spacing * (len(widths) - 1) <= self.qwidth and len(labels) <= 6:
            row = Band(box + 8)
            x = self.qleft
            for (value, lbl), w in zip(labels, widths, strict=True):
                row.widgets.append(self.box_widget(q, kind, field_for(value), value, x, lbl))
                row.texts.append(
                    TextItem(
                        x + box + gap,
                        box / 2 + s.body * 0.35 + 4,
                        lbl,
                        self.font,
                        s.body,
                        role=("option", field_for(value), value),
                    )
                )
                x += w + spacing
            rows.append(row)
            return rows
        for ncols in (3, 2):  # short labels: a few columns read well and save a page
            col_w = self.qwidth / ncols
            if len(labels) <= ncols or max(widths) > col_w - 10:
                continue
            for start in range(0, len(labels), ncols):
                row = Band(box + 8)
                for i, (value, lbl) in enumerate(labels[start : start + ncols]):
                    x = self.qleft + i * col_w
                    row.widgets.append(self.box_widget(q, kind, field_for(value), value, x, lbl))
                    row.texts.append(
                        TextItem(
                            x + box + gap,
                            box / 2 + s.body * 0.35 + 4,
                            lbl,
                            self.font,
                            s.body,
                            role=("option", field_for(value), value),
                        )
                    )
                rows.append(row)
            return rows
        for value, lbl in labels:
            lines = wrap(lbl, self.font, s.body, self.qwidth - box - gap)
            lead = s.leading(s.body)
            height = max(box + 6, lead * len(lines) + 4)
            row = Band(height)
            row.widgets.append(self.box_widget(q, kind, field_for(value), value, self.qleft, lbl))
            for i, line in enumerate(lines):
                row.texts.append(
                    TextItem(
                        self.qleft + box + gap,
                        box / 2 + s.body * 0.35 + 3 + i * lead,
                        line,
                        self.font,
                        s.body,
                        role=("option", field_for(value), value),
                    )
                )
            rows.append(row)
        return rows

    def box_widget(
        self, q: Question, kind: str, name: str, value: str, x: float, label: str, y: float = 3.0
    ) -> Widget:
        return Widget(
            kind,
            name,
            q.id,
            x,
            y,
            self.s.box,
            self.s.box,
            self.tooltip(q),
            on=value,
            option_label=label,
        )

    def with_other(self, q: Question, kind: str, field_for) -> list[Band]:
        labels = [(o.value, self.t(o.label)) for o in q.options]
        rows = self.boxes(q, kind, field_for, labels)
        if q.other is None:
            return rows
        s = self.s
        label = self.t(q.other)
        x_text = self.qleft + s.box + 8
        label_w = width_of(label, self.font, s.body)
        field_x = x_text + label_w + 8
        field_w = self.qleft + self.qwidth - field_x
        row = Band(s.line + 6)
        row.widgets.append(
            self.box_widget(
                q, kind, field_for("other"), "other", self.qleft, label, y=(s.line - s.box) / 2 + 1
            )
        )
        row.texts.append(
            TextItem(
                x_text,
                s.line / 2 + s.body * 0.35 + 1,
                label,
                self.font,
                s.body,
                role=("option", field_for("other"), "other"),
            )
        )
        other_name = f"{q.id}__other_text"
        tip = self.tooltip(q, label)
        if field_w >= 140:
            row.widgets.append(
                Widget(
                    "text", other_name, q.id, field_x, 1.0, field_w, s.line, tip, font_size=s.body
                )
            )
            rows.append(row)
        else:  # a long "other" label: the write-in line goes below it
            rows.append(row)
            rows.append(
                Band(
                    s.line + 6,
                    widgets=[
                        Widget(
                            "text",
                            other_name,
                            q.id,
                            x_text,
                            1.0,
                            self.qleft + self.qwidth - x_text,
                            s.line,
                            tip,
                            font_size=s.body,
                        )
                    ],
                )
            )
        return rows

    def answer_single(self, q: Question) -> list[Band]:
        return self.with_other(q, "radio", lambda value: q.id)

    def answer_multiple(self, q: Question) -> list[Band]:
        return self.with_other(q, "checkbox", lambda value: f"{q.id}__{value}")

    def answer_yesno(self, q: Question) -> list[Band]:
        labels = [("yes", hint(self.lang, "yes")), ("no", hint(self.lang, "no"))]
        return self.boxes(q, "radio", lambda value: q.id, labels)

    def answer_scale(self, q: Question) -> list[Band]:
        s = self.s
        box = s.box
        points = [str(v) for v in range(int(q.min), int(q.max) + 1)]
        na_w = 0.0
        if q.na is not None:
            na_label = self.t(q.na.label)
            na_w = 28 + box + 8 + width_of(na_label, self.font, s.body)
        step = min(s.scale_step, (self.qwidth - na_w - box) / max(1, len(points) - 1))
        numbers = Band(s.leading(s.body) + 2)
        boxes = Band(box + 6)
        x = self.qleft
        for value in points:
            numbers.texts.append(
                TextItem(
                    x + box / 2,
                    s.body,
                    value,
                    self.font,
                    s.body,
                    align="center",
                    role=("option", q.id, value),
                )
            )
            boxes.widgets.append(self.box_widget(q, "radio", q.id, value, x, value, y=2.0))
            x += step
        last_x = x - step
        if q.na is not None:
            nx = last_x + box + 28
            boxes.widgets.append(self.box_widget(q, "radio", q.id, q.na.value, nx, na_label, y=2.0))
            boxes.texts.append(
                TextItem(
                    nx + box + 8,
                    box / 2 + s.body * 0.35 + 2,
                    na_label,
                    self.font,
                    s.body,
                    role=("option", q.id, q.na.value),
                )
            )
        rows = [numbers, boxes]
        if q.min_label or q.max_label:
            span = last_x + box - self.qleft
            half = max(span / 2 - 6, 60)
            lo = wrap(self.t(q.min_label), self.font, s.help, half) if q.min_label else []
            hi = wrap(self.t(q.max_label), self.font, s.help, half) if q.max_label else []
            lead = s.leading(s.help)
            row = Band(lead * max(len(lo), len(hi)) + 2)
            for i, line in enumerate(lo):
                row.texts.append(
                    TextItem(
                        self.qleft,
                        s.help + i * lead,
                        line,
                        self.font,
                        s.help,
                        s.hint_gray,
                        role=("ends", q.id),
                    )
                )
            for i, line in enumerate(hi):
                row.texts.append(
                    TextItem(
                        last_x + box,
                        s.help + i * lead,
                        line,
                        self.font,
                        s.help,
                        s.hint_gray,
                        align="right",
                        role=("ends", q.id),
                    )
                )
            rows.append(row)
        return rows

    def answer_grid(self, q: Question) -> list[Band]:
        s = self.s
        box = s.box
        n = len(q.options)
        widest = max(
            width_of(word, self.font, s.help)
            for o in q.options
            for word in self.t(o.label).replace("/", "/ ").split()
        )
        col_w = max(box + 30, widest + 10)
        label_w = max(self.qwidth * 0.35, min(self.qwidth * 0.45, self.qwidth - n * col_w))
        col_w = (self.qwidth - label_w) / n
        lead = s.leading(s.help)
        heads = [wrap(self.t(o.label), self.font, s.help, col_w - 4) for o in q.options]
        header = Band(lead * max(len(h) for h in heads) + 4)
        for i, lines in enumerate(heads):
            cx = self.qleft + label_w + col_w * i + col_w / 2
            top = (max(len(h) for h in heads) - len(lines)) * lead
            for j, line in enumerate(lines):
                header.texts.append(
                    TextItem(
                        cx,
                        top + s.help + j * lead,
                        line,
                        self.font,
                        s.help,
                        align="center",
                        role=("column", q.id, str(i)),
                    )
                )
        rows = [header]
        blead = s.leading(s.body)
        for k, grid_row in enumerate(q.rows):
            label = self.t(grid_row.label)
            lines = wrap(label, self.font, s.body, label_w - 8)
            height = max(box + 12, blead * len(lines) + 8)
            row = Band(height, header=header)
            if k % 2 == 0:
                row.rects.append(
                    RectItem(self.qleft, 0, self.qwidth, height, stroke=None, fill=0.93)
                )
            text_top = (height - blead * len(lines)) / 2
            for j, line in enumerate(lines):
                row.texts.append(
                    TextItem(
                        self.qleft + 4,
                        text_top + s.body * 0.9 + j * blead,
                        line,
                        self.font,
                        s.body,
                        role=("row", f"{q.id}__{grid_row.id}"),
                    )
                )
            name = f"{q.id}__{grid_row.id}"
            for i, opt in enumerate(q.options):
                cx = self.qleft + label_w + col_w * i + col_w / 2
                row.widgets.append(
                    Widget(
                        "radio",
                        name,
                        q.id,
                        cx - box / 2,
                        (height - box) / 2,
                        box,
                        box,
                        self.tooltip(q, label),
                        on=opt.value,
                        option_label=self.t(opt.label),
                    )
                )
            rows.append(row)
        return rows

    def answer_group(self, q: Question) -> list[Band]:
        """A table: a header row of the columns' labels (a date's or a number's hint
        under its label), then `rows` rows of write-in boxes, each row numbered. Its
        rows are one block with the header; a group too tall for the page it starts
        on moves whole, and one taller than a page repeats the header (paginate)."""
        s = self.s
        lead = s.leading(s.help)
        number_w = width_of(f"{q.row_count}.", self.font, s.body) + 12
        # a date's or a number's box as wide as what is written in it at the page's
        # size
        sample = {"date": "0000-00-00", "number": "00000"}
        # (and as its hint under the label, unwrapped), with room for a hand's
        # wider figures; the text columns share the rest
        fixed = {
            i: max(
                width_of(sample[item.type], self.font, s.body) * 1.3,
                width_of(self.item_hint(item) or "", self.italic, s.help),
            )
            + 12
            for i, item in enumerate(q.items)
            if item.type in sample
        }
        n_text = len(q.items) - len(fixed)
        # a text column keeps room for a word or two in a hand's size: the date and
        # number columns give way (their hints then wrap) where several leave too little
        least = 5 * s.body * n_text
        room = self.qwidth - number_w
        if n_text and room - sum(fixed.values()) < least:
            fixed = {i: w * (room - least) / sum(fixed.values()) for i, w in fixed.items()}
        rest = room - sum(fixed.values())
        widths = [fixed.get(i, rest / n_text if n_text else 0.0) for i in range(len(q.items))]
        if not n_text:  # no text column takes the rest: the columns share it
            widths = [w + rest / len(widths) for w in widths]
        lefts = [self.qleft + number_w + sum(widths[:i]) for i in range(len(widths))]
        heads: list[list[tuple[str, str, bool]]] = []  # (line, font, hint) per column
        for item, w in zip(q.items, widths, strict=True):
            lines = [
                (line, self.bold, False)
                for line in wrap(self.t(item.label), self.bold, s.help, w - 6)
            ]
            extra = self.item_hint(item)
            if extra:
                lines += [
                    (line, self.italic, True) for line in wrap(extra, self.italic, s.help, w - 6)
                ]
            heads.append(lines)
        tallest = max(len(h) for h in heads)
        header = Band(lead * tallest + 6)
        for i, lines in enumerate(heads):
            for j, (line, font, is_hint) in enumerate(lines):
                header.texts.append(
                    TextItem(
                        lefts[i] + 2,
                        s.help + j * lead,
                        line,
                        font,
                        s.help,
                        gray=s.hint_gray if is_hint else 0.0,
                        role=("column", q.id, str(i)),
                    )
                )
        rows = [header]
        h = s.line
        for k in range(1, q.row_count + 1):
            row = Band(h + 6, header=header)
            row.texts.append(
                TextItem(
                    self.qleft,
                    3 + h / 2 + s.body * 0.35,
                    f"{k}.",
                    self.font,
                    s.body,
                    role=("row", f"{q.id}__{k}"),
                )
            )
            for item, x, w in zip(q.items, lefts, widths, strict=True):
                label = hint(self.lang, "cell", n=k, item=self.t(item.label))
                widget = self.text_field(
                    q, cell_name(q.id, k, item.id), x, w - 4, h, tooltip=self.tooltip(q, label)
                )
                row.widgets.append(replace(widget, y=3.0))
            rows.append(row)
        return rows

    def item_hint(self, item: Question) -> str | None:
        """What a group's column says under its label: a date's form, a number's range."""
        if item.type == "date":
            return hint(self.lang, "date")
        if item.type != "number":
            return None
        if item.min is not None and item.max is not None:
            return hint(self.lang, "range", min=_num(item.min), max=_num(item.max))
        if item.min is not None:
            return hint(self.lang, "from", min=_num(item.min))
        if item.max is not None:
            return hint(self.lang, "to", max=_num(item.max))
        return None


def _num(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return str(value).replace(".", ",")
    return str(int(value))


# --------------------------------------------------------------------------- pagination


def _place(row: Band, page: PageLayout, top: float) -> None:
    """Put a row whose top edge is at `top` onto a page (row y offsets grow downward)."""
    for t in row.texts:
        page.texts.append(replace(t, y=top - t.y))
    for r in row.rects:
        page.rects.append(RectItem(r.x, top - r.y - r.h, r.w, r.h, r.stroke, r.fill, r.width))
    for w in row.widgets:
        page.widgets.append(replace(w, y=top - w.y - w.h))


def paginate(blocks: list[list[Band]]) -> list[list[tuple[Band, float]]]:
    """Place blocks top-down, starting a new page where a block does not fit.

    A block (a question with its answer boxes) moves whole to the next page. Only
    a block taller than a whole page is split, between answer rows, and a grid
    repeats its header row on the new page.
    """
    capacity = CONTENT_TOP - CONTENT_BOTTOM
    pages: list[list[tuple[Band, float]]] = [[]]
    y = CONTENT_TOP
    for block in blocks:
        height = sum(r.height for r in block)
        if height > y - CONTENT_BOTTOM and pages[-1] and height <= capacity:
            pages.append([])
            y = CONTENT_TOP
        if height <= y - CONTENT_BOTTOM:
            for row in block:
                pages[-1].append((row, y))
                y -= row.height
            continue
        # Too tall for any page: break between answer rows, never after a label.
        chains = _split_tall(block)
        for chain in chains:
            h = sum(r.height for r in chain)
            if h > y - CONTENT_BOTTOM and pages[-1]:
                pages.append([])
                y = CONTENT_TOP
                header = chain[0].header
                if header is not None:
                    pages[-1].append((header, y))
                    y -= header.height
            for row in chain:
                pages[-1].append((row, y))
                y -= row.height
    return pages


def _split_tall(block: list[Band]) -> list[list[Band]]:
    """Chains for a too-tall block: the lead rows stay glued to the first answer row."""
    answer_start = next((i for i, r in enumerate(block) if r.widgets), 0)
    first = block[: answer_start + 1]
    return [first] + [[r] for r in block[answer_start + 1 :]]


def build_layout(
    form: Form, lang: str | None = None, large_print: bool = False, edition_no: int = EDITION
) -> Layout:
    """Lay out a form in one language, in one edition of the design. Pure and
    deterministic."""
    design = edition(edition_no)
    lang = lang or form.default_language
    if lang not in form.languages:
        raise ValueError(
            f"form '{form.id}' has no language '{lang}' (it has {', '.join(form.languages)})"
        )
    builder = _Builder(form, lang, large_print, design)
    placed = paginate(builder.blocks())
    layout = Layout(form.id, form.version, lang, large_print, [], edition=design.number)
    total = len(placed)
    title = tr(form.title, lang)
    mirrored = design.embedded and fonts.is_rtl(lang)
    for n, rows in enumerate(placed, start=1):
        page = PageLayout(n)
        for row, top in rows:
            _place(row, page, top)
        if mirrored:
            _mirror(page)
        _furniture(page, layout, title, total, lang, design)
        layout.pages.append(page)
    return layout


_MIRRORED_ALIGN = {"left": "right", "right": "left", "center": "center"}


def serial_line() -> RectItem:
    """Where edition 6's serial line lies: x, w the band of its digits across the
    margin, y, h its length. The text runs up the page from (baseline, y), turned a
    quarter left: the glyphs' tops point left, so the baseline is at
    x + SERIAL_DIGIT_SPAN[1] · SERIAL_SIZE."""
    low, high = SERIAL_DIGIT_SPAN
    tall = (high - low) * SERIAL_SIZE
    length = width_of(SERIAL_SAMPLE, SERIAL_FONT, SERIAL_SIZE)
    centre = PAGE_WIDTH - MARK_INSET - MARK_SIZE / 2
    return RectItem(centre - tall / 2, (PAGE_HEIGHT - length) / 2, tall, length, stroke=None)


def _mirror(page: PageLayout) -> None:
    """A page of a right-to-left language: everything placed so far mirrored left to
    right, so that numbers and boxes stand on the right, texts are aligned to the
    right, scales run from the right and a grid's labels are on its right. The
    furniture (marks, QR code, page number) is placed after and stays where the scan
    reader and the small print expect it."""
    page.texts[:] = [
        replace(t, x=PAGE_WIDTH - t.x, align=_MIRRORED_ALIGN[t.align]) for t in page.texts
    ]
    page.rects[:] = [replace(r, x=PAGE_WIDTH - r.x - r.w) for r in page.rects]
    page.widgets[:] = [replace(w, x=PAGE_WIDTH - w.x - w.w) for w in page.widgets]


def _furniture(
    page: PageLayout, layout: Layout, title: str, total: int, lang: str, design: Edition
) -> None:
    """Corner marks, header, footer and QR square of one page."""
    style = design.large if layout.large_print else design.normal
    faces = design.faces(lang)
    m, s = MARK_INSET, MARK_SIZE
    for x, y in (
        (m, m),
        (PAGE_WIDTH - m - s, m),
        (m, PAGE_HEIGHT - m - s),
        (PAGE_WIDTH - m - s, PAGE_HEIGHT - m - s),
    ):
        page.marks.append(RectItem(x, y, s, s, stroke=None, fill=0.0))
    header_y = PAGE_HEIGHT - m - s + 3
    size = style.help  # 11 pt, or 16 pt in large print (14 in edition 1)
    furniture = ("furniture",)  # header and footer: artifacts, which screen readers skip
    rtl = design.embedded and fonts.is_rtl(lang)  # the title on the right, version left
    page.texts.append(
        TextItem(
            PAGE_WIDTH - MARGIN_X if rtl else MARGIN_X,
            header_y,
            title,
            faces.regular,
            size,
            style.header_gray,
            align="right" if rtl else "left",
            role=furniture,
        )
    )
    page.texts.append(
        TextItem(
            MARGIN_X if rtl else PAGE_WIDTH - MARGIN_X,
            header_y,
            hint(lang, "version", v=layout.version),
            faces.regular,
            size,
            style.header_gray,
            align="left" if rtl else "right",
            role=furniture,
        )
    )
    qx = PAGE_WIDTH - m - s - 8 - QR_SIZE
    page.qr = RectItem(qx, m, QR_SIZE, QR_SIZE, stroke=None)
    if design.two_codes:
        page.second_qr = RectItem(qx - SECOND_QR_GAP - QR_SIZE, m, QR_SIZE, QR_SIZE, stroke=None)
    if design.printed_serial:
        page.serial_line = serial_line()
    page.texts.append(
        TextItem(
            MARGIN_X,
            m + 22,
            hint(lang, "page", n=page.number, total=total),
            faces.bold,
            size,
            role=furniture,
        )
    )
    page.rects.append(
        RectItem(MARGIN_X, CONTENT_BOTTOM - 8, PAGE_WIDTH - 2 * MARGIN_X, 0, stroke=0.6, width=0.5)
    )
