"""Turn what people type into form fields into typed values.

Answers are health data, so a wrong guess is worse than a rejection: a
rejected answer goes back to a human, a misread one silently enters the
record.  The parsers therefore accept the spellings Swedes actually use and
refuse anything ambiguous, with a message that quotes the raw text so the
person correcting the form can see what was read.

Dates
    Numeric forms are read year-first when the first group has four digits,
    day-first when the last group has four digits (``5/3 2024`` is 5 March),
    and ``YYMMDD`` / ``YY-MM-DD`` for six digits, the Swedish short form.  A
    two-digit year means the latest such year that is at most one calendar
    year after this one (in 2024: 00–25 → 2000–2025, 26–99 → 1926–1999).
    Day-first and month-name forms need a four-digit year, because
    ``05.03.24`` could be either order.  Eight bare digits are always
    ``YYYYMMDD``.  Month names may be Swedish or English, full or
    abbreviated, in any case (``5 mars 2024``, ``5:e mars 2024``,
    ``March 5, 2024``).

Numbers
    ``,`` and ``.`` are both decimal separators; thousands may only be
    grouped with spaces (ordinary, no-break or narrow no-break), as Swedish
    typography does.  So ``1.234`` and ``1,234`` both mean 1.234, and text
    that mixes ``,`` and ``.`` is rejected rather than guessed at.
    Approximations (``ca 40``, ``~40``) and ranges (``40-50``) are rejected:
    the form asks for a number, and choosing one for the respondent would
    invent data.
"""

from __future__ import annotations

import datetime
import math
import re

from .errors import PdfformsError
from .messages import text as msg
from .quote import quote

__all__ = ["CoerceError", "parse_date", "parse_number"]


class CoerceError(PdfformsError, ValueError):
    """Raised when typed text cannot be turned into the requested value.

    A ValueError so generic validation code can catch it; the message is
    meant to be shown to the person who fixes the form.
    """


# Word processors replace a typed hyphen with one of these; readers see "a dash".
_DASH_TRANSLATION = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))

# --------------------------------------------------------------------------- dates

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("januari", "january", "jan"),
        ("februari", "february", "feb"),
        ("mars", "march", "mar"),
        ("april", "apr"),
        ("maj", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("augusti", "august", "aug"),
        ("september", "sep", "sept"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ],
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number
del _number, _names, _name

# Longest first so "mars" is not read as "mar" + "s".
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
# Swedish ":e"/":a" ("5:e mars"), English "st/nd/rd/th"; not checked against the number.
_ORDINAL = r"(?::?[ae]|st|nd|rd|th)?"

_NAMED_DAY_FIRST = re.compile(
    rf"(?P<day>\d{{1,2}}){_ORDINAL}\.?\s*[-/]?\s*(?P<month>{_MONTH_RE})\.?"
    r"\s*[-/,]?\s*(?P<year>\d{4})",
    re.IGNORECASE | re.ASCII,
)
_NAMED_MONTH_FIRST = re.compile(
    rf"(?P<month>{_MONTH_RE})\.?\s*(?P<day>\d{{1,2}}){_ORDINAL}\s*,?\s*(?P<year>\d{{4}})",
    re.IGNORECASE | re.ASCII,
)

_SEP = r"(?:\s*[-./]\s*|\s+)"
# re.ASCII throughout: \d would otherwise accept Arabic-Indic or full-width
# digits, which int() happily converts but no Swedish form should contain.
_YEAR_FIRST = re.compile(
    rf"(?P<year>\d{{4}}){_SEP}(?P<month>\d{{1,2}}){_SEP}(?P<day>\d{{1,2}})", re.ASCII
)
_DAY_FIRST = re.compile(
    rf"(?P<day>\d{{1,2}}){_SEP}(?P<month>\d{{1,2}}){_SEP}(?P<year>\d{{4}})", re.ASCII
)
_SHORT_DASHED = re.compile(r"(?P<yy>\d{2})-(?P<month>\d{2})-(?P<day>\d{2})", re.ASCII)
_COMPACT8 = re.compile(r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})", re.ASCII)
_COMPACT6 = re.compile(r"(?P<yy>\d{2})(?P<month>\d{2})(?P<day>\d{2})", re.ASCII)

# The rules as data, tried in this order by parse_date and parse_number; also what
# generate/scripts.py writes into a form's checks in JavaScript, so the screen and
# the reader cannot disagree.
DASHES = "".join(map(chr, _DASH_TRANSLATION))  # each read as "-"
FULL_YEAR_DATES = (_YEAR_FIRST, _DAY_FIRST, _COMPACT8)  # groups year, month, day
SHORT_YEAR_DATES = (_SHORT_DASHED, _COMPACT6)  # groups yy, month, day
NAMED_MONTH_DATES = (_NAMED_DAY_FIRST, _NAMED_MONTH_FIRST)  # groups day, month (a name), year
MONTHS = _MONTHS  # month name, lower case → number


def _two_digit_year(yy: int, today: datetime.date) -> int:
    """Expand YY to the latest year that is at most one calendar year after today.

    Forms record both recent events (20YY) and birth years (19YY); a small
    allowance for the future covers planned dates such as "next visit".
    """
    latest = today.year + 1
    return latest - (latest - yy) % 100


def _make_date(text: str, year: int, month: int, day: int) -> datetime.date:
    if not 1 <= month <= 12:
        raise CoerceError(msg("coerce.no_month", value=quote(text), month=month))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CoerceError(
            msg("coerce.no_day", value=quote(text), day=day, month=month, year=year)
        ) from None


def parse_date(text: str, *, today: datetime.date | None = None) -> datetime.date:
    """Read a date the way Swedish respondents and staff write it.

    ``today`` anchors the two-digit-year rule; it is a parameter so results
    are reproducible when old forms are re-processed and in tests.
    """
    if not isinstance(text, str):
        raise TypeError(f"date must be given as text, not {type(text).__name__}")
    s = " ".join(text.translate(_DASH_TRANSLATION).split())
    if not s:
        raise CoerceError(msg("coerce.date_empty", value=quote(text)))
    if today is None:
        today = datetime.date.today()

    for pattern in FULL_YEAR_DATES:
        m = pattern.fullmatch(s)
        if m:
            return _make_date(text, int(m["year"]), int(m["month"]), int(m["day"]))
    for pattern in SHORT_YEAR_DATES:
        m = pattern.fullmatch(s)
        if m:
            year = _two_digit_year(int(m["yy"]), today)
            return _make_date(text, year, int(m["month"]), int(m["day"]))
    for pattern in NAMED_MONTH_DATES:
        m = pattern.fullmatch(s)
        if m:
            month = _MONTHS[m["month"].lower()]
            return _make_date(text, int(m["year"]), month, int(m["day"]))

    raise CoerceError(msg("coerce.not_a_date", value=quote(text)))


# ------------------------------------------------------------------------- numbers

_APPROXIMATE = re.compile(
    r"(?:ca\.?|c:a|cirka|circa|ungef(?:ä|Ä|a|A)r|approx\.?|about|~|≈|±)\s*[-+]?\s*\d",
    re.IGNORECASE | re.ASCII,
)
_RANGE = re.compile(r"[-+]?\s*\d[\d ,.]*-\s*[-+]?\d[\d ,.]*(?:\s*%)?", re.ASCII)
# A number as parse_number reads it (also written into form scripts, see DASHES).
NUMBER = re.compile(
    r"(?P<sign>[-+]?)\s*"
    r"(?P<int>\d{1,3}(?: \d{3})+|\d+)"
    r"(?:(?P<sep>[.,])(?P<frac>\d+))?"
    r"(?:\s*%)?",
    re.ASCII,
)


def parse_number(text: str, decimals: int | None = None) -> int | float:
    """Read a number as typed on a Swedish form.

    ``decimals`` is how many decimals the question allows: 0 demands a whole
    number (returned as int); N > 0 always returns a float, *not* rounded, so
    the caller can tell the respondent their answer was too precise instead
    of silently changing it; None returns an int for integer text and a float
    otherwise.  A trailing per cent sign is dropped (``50 %`` → 50) because
    percentage questions already state the unit.
    """
    if not isinstance(text, str):
        raise TypeError(f"number must be given as text, not {type(text).__name__}")
    if decimals is not None and (isinstance(decimals, bool) or decimals < 0):
        raise ValueError(f"decimals must be None or a non-negative int, not {decimals!r}")

    # split() also splits on no-break and narrow no-break spaces, so every
    # thousands separator Swedish typography uses becomes a plain space here.
    s = " ".join(text.translate(_DASH_TRANSLATION).split())
    if not s:
        raise CoerceError(msg("coerce.number_empty", value=quote(text)))

    m = NUMBER.fullmatch(s)
    if m is None:
        if _APPROXIMATE.match(s):
            raise CoerceError(msg("coerce.approximate", value=quote(text)))
        if _RANGE.fullmatch(s):
            raise CoerceError(msg("coerce.range", value=quote(text)))
        if "," in s and "." in s:
            raise CoerceError(msg("coerce.mixed_marks", value=quote(text)))
        raise CoerceError(msg("coerce.not_a_number", value=quote(text)))

    negative = m["sign"] == "-"
    whole = m["int"].replace(" ", "")
    frac = m["frac"]

    if frac is not None and frac.strip("0") and decimals == 0:
        raise CoerceError(msg("coerce.not_whole", value=quote(text)))

    try:
        if frac is None or decimals == 0:
            # Integer text, or "12,0" where a whole number was asked for.
            integer = -int(whole) if negative else int(whole)
            return float(integer) if decimals else integer
        result = float(f"{'-' if negative else ''}{whole}.{frac}")
    except (ValueError, OverflowError):  # more digits than int()/float() will take
        raise CoerceError(msg("coerce.too_large", value=quote(text))) from None
    if not math.isfinite(result):
        raise CoerceError(msg("coerce.too_large", value=quote(text)))
    return result
