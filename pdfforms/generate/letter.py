"""The head of a cover letter from the definition (`letter:`): logo, sender, date and
the recipient's address where a window envelope shows it.

A print run with respondents prints the definition's letter before each copy, in
the copy's language (printrun.plan_run decides when). The text below the head is
drawn as any cover letter is (printrun._cover_ops); this module places what is
above it on the A4 page, in the overlay font (Windows-1252) as the rest of the
letter.

Where the address goes. Swedish window envelopes come with the window on the left
(V2) or the right (H2) in standard places (Harry Kuvert's guide to envelopes,
https://www.harrykuvert.se/kuvertguide/, after the Swedish standard, SS 637006,
whose own figures we could not read: it is sold by SIS). The left window is the
common one, and its measures are given per envelope by
https://officeconsult.no/blogg/brevmaler-plassering-av-mottakerfelt-i-vinduskonvolutter/
for an A4 sheet folded once into a C5 envelope (window 44 mm from the top edge,
35 mm high, 105 mm wide) or flat in a C4 one (42 mm, 40 mm high, 100 mm wide), all
15 mm from the left edge. The block below sits inside both windows with room for the
sheet to slide a few millimetres in the envelope: 22 mm from the left edge, its
first line's capitals 48 mm from the top, at most five lines of 11 pt (PostNord's
and the sorting machines' 10–12 pt, a straight left edge, no blank line:
https://www.21grams.se/adressera-ratt/), at most 89 mm wide. So it ends about
70 mm from the top: inside the C5 window (79 mm) and the C4 one (82 mm).
tests/test_letters.py measures where the drawn block lands.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

from ..model.form import Letter, tr
from ..model.layout import MARGIN_X, PAGE_HEIGHT, PAGE_WIDTH, wrap
from .overlay import OVERLAY_FONT, measure_font, pdf_text

MM = 72 / 25.4

# The respondents CSV's columns of the address block, Swedish as staff write them.
NAME_COLUMN = "namn"
CARE_OF_COLUMN = "c/o"
STREET_COLUMN = "adress"
POSTCODE_COLUMN = "postnummer"
TOWN_COLUMN = "ort"
ADDRESS_COLUMNS = (NAME_COLUMN, CARE_OF_COLUMN, STREET_COLUMN, POSTCODE_COLUMN, TOWN_COLUMN)
ADDRESS_REQUIRED = (NAME_COLUMN, STREET_COLUMN, POSTCODE_COLUMN, TOWN_COLUMN)

# The window (see the module's note): the block's left edge, its first baseline, its
# widest line, its size and leading.
ADDRESS_X = 22 * MM
ADDRESS_CAP_TOP = 48 * MM  # from the top edge of the sheet
ADDRESS_SIZE = 11.0
ADDRESS_LEADING = 13.0
ADDRESS_WIDTH = 89 * MM
ADDRESS_LINES = 5
# Noto Sans' capitals are 0.714 em tall: the first baseline lies that far below the top
ADDRESS_FIRST_BASELINE = PAGE_HEIGHT - ADDRESS_CAP_TOP - 0.714 * ADDRESS_SIZE

# Right of the window: the sender at the top, the date level with the address.
SENDER_X = 125 * MM
SENDER_WIDTH = PAGE_WIDTH - SENDER_X - 18 * MM
SENDER_TOP = PAGE_HEIGHT - 17 * MM  # the first baseline
SENDER_SIZE = 9.5
SENDER_LEADING = 12.0
SENDER_SIZE_LARGE = 12.0  # a large-print run's sender and date (its body is 14 pt)
SENDER_LEADING_LARGE = 15.0
# The logo above the window, left: its box (the image is scaled into it, keeping its
# shape); its bottom stays 8 mm clear of the highest window (C5/E65 at 39–44 mm).
LETTER_LOGO_BOX = (20 * MM, PAGE_HEIGHT - 34 * MM, 70 * MM, 22 * MM)  # x, y, w, h
# Below the window: the subject, then the letter's text.
SUBJECT_BASELINE = PAGE_HEIGHT - 92 * MM
BODY_TOP = PAGE_HEIGHT - 102 * MM
BODY_BOTTOM = 20 * MM  # the letter's last line stays above this

# A date as the language writes it; a language not here gets 2026-12-03, which every
# reader of it can read (the forms' other languages cannot have a letter in the
# overlay font anyway, printable.py).
MONTHS = {
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "en": "January February March April May June July August September October November December",
    "fi": "tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta "
    "elokuuta syyskuuta lokakuuta marraskuuta joulukuuta",
}
DATE_PATTERNS = {"sv": "{d} {month} {y}", "en": "{d} {month} {y}", "fi": "{d}. {month} {y}"}


def letter_date(date: datetime.date, lang: str) -> str:
    """`3 december 2026`, `3 December 2026`, `3. joulukuuta 2026`; else ISO."""
    if lang not in MONTHS:
        return date.isoformat()
    month = MONTHS[lang].split()[date.month - 1]
    return DATE_PATTERNS[lang].format(d=date.day, month=month, y=date.year)


def address_lines(values: Mapping[str, str]) -> list[str]:
    """The recipient's block from a respondent's columns: name, c/o, street, postcode
    and town, blank parts left out."""
    parts = [" ".join(str(values.get(c, "")).split()) for c in ADDRESS_COLUMNS]
    name, care_of, street, postcode, town = parts
    lines = [name]
    if care_of:
        lines.append(care_of if care_of.casefold().startswith("c/o") else f"c/o {care_of}")
    lines.append(street)
    lines.append(f"{postcode} {town}".strip())
    return [line for line in lines if line]


def address_problem(lines: list[str]) -> str | None:
    """Why a block would not show whole in the window, or None (messages' key, values)."""
    return next(
        (line for line in lines if stringWidth(line, measure_font(), ADDRESS_SIZE) > ADDRESS_WIDTH),
        None,
    )


@dataclass
class Head:
    """What a copy's letter has above its text."""

    sender: list[tuple[str, bool]]  # lines, bold or not
    date: str
    address: list[str]
    subject: str | None
    logo: tuple[int, float, float] | None = None  # (XObject number, width, height px)
    alt: str = ""


def head_for(
    letter: Letter,
    lang: str,
    date: datetime.date | str,
    address: list[str],
    subject: bool,
) -> Head:
    """A copy's head: the sender in its language, the date (the run's, or as fixed:
    ISO text) as its language writes it."""
    sender: list[tuple[str, bool]] = []
    if letter.sender is not None:
        s = letter.sender
        sender.append((tr(s.name, lang), True))
        sender += [(line, False) for line in s.address]
        if s.phone:
            sender.append((s.phone, False))
        if s.contact:
            sender.append((tr(s.contact, lang), False))
    if isinstance(date, str):  # the definition's `date`
        date = datetime.date.fromisoformat(date)
    return Head(
        sender=sender,
        date=letter_date(date, lang),
        address=address,
        subject=letter.subject.get(lang) if subject else None,
    )


def _line(text: str, x: float, y: float, font: str, size: float) -> bytes:
    return b"BT %s %.1f Tf %.2f %.2f Td (%s) Tj ET" % (font.encode(), size, x, y, pdf_text(text))


def fit(box: tuple[float, float, float, float], width: float, height: float):
    """The image's place in `box`: as large as fits, its shape kept, at the box's left
    and top."""
    x, y, w, h = box
    scale = min(w / width, h / height)
    return x, y + h - height * scale, width * scale, height * scale


def head_ops(head: Head, bold_font: str, large: bool = False) -> tuple[list[bytes], list[tuple]]:
    """The head's operators and its structure items (kind, MCIDs[, attributes]) from
    MCID 0: the logo a Figure with its Alt, the sender, the date and the address P."""
    ops: list[bytes] = []
    items: list[tuple] = []
    mcid = 0

    def mark(kind: str, body: list[bytes], extra: bytes = b"") -> None:
        nonlocal mcid
        ops.append(b"/%s <</MCID %d>> BDC" % (kind.encode(), mcid))
        ops.extend(body)
        ops.append(b"EMC")
        items.append((kind, [mcid], extra) if extra else (kind, [mcid]))
        mcid += 1

    if head.logo is not None:
        number, width, height = head.logo
        x, y, w, h = fit(LETTER_LOGO_BOX, width, height)
        alt = b" /Alt " + _pdf_text_string(head.alt)
        mark("Figure", [b"q %.2f 0 0 %.2f %.2f %.2f cm /PfLogo Do Q" % (w, h, x, y)], alt)
    size, leading = (
        (SENDER_SIZE_LARGE, SENDER_LEADING_LARGE) if large else (SENDER_SIZE, SENDER_LEADING)
    )
    y = SENDER_TOP
    body: list[bytes] = []
    for text, strong in head.sender:
        for part in wrap(text, measure_font(strong), size, SENDER_WIDTH):
            font = bold_font if strong else OVERLAY_FONT
            body.append(_line(part, SENDER_X, y, font, size))
            y -= leading
    if body:
        mark("P", body)
    # level with the address, or a blank line below a long sender block
    date_y = min(ADDRESS_FIRST_BASELINE, y - leading)
    mark("P", [_line(head.date, SENDER_X, date_y, OVERLAY_FONT, size)])
    if head.address:
        y = ADDRESS_FIRST_BASELINE
        body = []
        for line in head.address:
            body.append(_line(line, ADDRESS_X, y, OVERLAY_FONT, ADDRESS_SIZE))
            y -= ADDRESS_LEADING
        mark("P", body)
    return ops, items


# -- the logo on a form's first page -----------------------------------------------
#
# Beside the title, in room the page design leaves free: between the unit line (a
# print run's, 50 pt from the top: overlay.UNIT_FROM_TOP) and the title's last line,
# from the content's right edge (its left, for a form written right to left) to the
# title's widest line. Nothing a reader measures is there, and the layout is the same
# with a logo as without: the box is found from the title, never from the image.
FORM_LOGO_TOP = 55.0  # from the top edge: 5 pt below the unit line's baseline
FORM_LOGO_MAX_WIDTH = 130.0  # 46 mm
FORM_LOGO_MIN_WIDTH = 36.0  # less than this beside the title: a fault, not a smudge
FORM_LOGO_GAP = 12.0  # between the title and the logo


def form_logo_box(layout) -> tuple[float, float, float, float] | None:
    """Where the logo goes on a form's first page (x, y, w, h), or None when the
    title leaves no room for it."""
    from ..model import fonts

    titles = [t for t in layout.pages[0].texts if t.role == ("title",)]
    if not titles:
        return None
    right = PAGE_WIDTH - MARGIN_X
    widths = [stringWidth(t.text, fonts.register(t.font), t.size) for t in titles]
    bottom = min(t.y for t in titles) - 0.22 * titles[-1].size  # the descenders
    top = layout.height - FORM_LOGO_TOP
    if titles[0].align == "right":  # the title on the right: the logo on the left
        room = right - max(widths) - MARGIN_X - FORM_LOGO_GAP
        width = min(room, FORM_LOGO_MAX_WIDTH)
        x = MARGIN_X
    else:
        room = right - max(t.x + w for t, w in zip(titles, widths, strict=True)) - FORM_LOGO_GAP
        width = min(room, FORM_LOGO_MAX_WIDTH)
        x = right - width
    if width < FORM_LOGO_MIN_WIDTH:
        return None
    return x, bottom, width, top - bottom


def fit_in(box: tuple[float, float, float, float], width: float, height: float, right: bool):
    """The image's place in `box`, as large as fits with its shape kept, against the
    box's top and its outer side (right, or left)."""
    x, y, w, h = box
    scale = min(w / width, h / height)
    dw, dh = width * scale, height * scale
    return (x + w - dw if right else x), y + h - dh, dw, dh


def _pdf_text_string(text: str) -> bytes:
    """A PDF text string (UTF-16BE with its mark): an Alt text in any script."""
    return b"<%s>" % (b"\xfe\xff" + text.encode("utf-16-be")).hex().upper().encode()
