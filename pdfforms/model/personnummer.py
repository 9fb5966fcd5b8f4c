"""Swedish personal identity numbers (personnummer and samordningsnummer).

Returned forms are filled in by hand, so the same person's number arrives in
many spellings.  Everything downstream (matching, pseudonymisation, storage)
needs one canonical spelling, and a typo must be caught here rather than
silently attaching health data to the wrong person.  Hence: accept every
common spelling, validate everything that can be validated (length, date,
Luhn check digit), and normalise to the unambiguous 12-digit form
``YYYYMMDD-NNNN``.

Error messages quote the raw text so the person fixing the form can see what
was read.  That means a :class:`PersonnummerError` message contains an
identifier: treat it as sensitive and do not send it to general logs.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass

from .errors import PdfformsError
from .messages import text as msg
from .quote import quote

__all__ = [
    "Personnummer",
    "PersonnummerError",
    "is_valid",
    "parse_personnummer",
    "pseudonymise",
]

# Word processors and PDF viewers turn a typed hyphen into any of these; a
# human reading the form sees "a dash" in every case, so we do too.
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2212")
DASHES = "".join(sorted(_DASHES))  # for generate/scripts.py, which checks the same way
_DIGITS = frozenset("0123456789")

# Samordningsnummer are personnummer with 60 added to the day of birth.
_SAMORDNING_OFFSET = 60

# Shorter keys make the pseudonyms guessable: there are only a few hundred
# million valid numbers, so an attacker with the pseudonyms can simply try
# every number against every plausible weak key.
_MIN_KEY_BYTES = 16

PSEUDONYM_PREFIX = "pn:"


class PersonnummerError(PdfformsError, ValueError):
    """Raised for text that is not a valid personnummer.

    A subclass of ValueError so callers that validate many field types can
    catch them uniformly, while still being able to single this one out.
    """


@dataclass(frozen=True)
class Personnummer:
    """A validated personnummer or samordningsnummer.

    ``number`` is always the 12-digit form so that two spellings of the same
    number compare (and hash, and pseudonymise) equal.  A samordningsnummer
    keeps its day + 60 in ``number`` because that *is* the identifier, while
    ``birth_date`` holds the real date for age calculations.
    """

    birth_date: datetime.date
    number: str
    samordningsnummer: bool

    def __str__(self) -> str:
        return self.number


def _luhn_check_digit(nine_digits: str) -> int:
    """Skatteverket's check digit: Luhn over YYMMDDNNN with weights 2,1,2,…"""
    total = 0
    for i, ch in enumerate(nine_digits):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def _tokenise(text: str) -> tuple[str, str | None, int]:
    """Split raw text into (digits, separator, position of separator).

    Kept separate from validation so that every rejection can say precisely
    what is wrong with the text as the person wrote it.
    """
    digits: list[str] = []
    separator: str | None = None
    sep_pos = -1
    for ch in text:
        if ch.isspace():
            continue
        if ch in _DIGITS:
            digits.append(ch)
        elif ch in _DASHES or ch == "+":
            sep = "+" if ch == "+" else "-"
            if separator is not None:
                raise PersonnummerError(msg("pnr.separators", value=quote(text)))
            separator = sep
            sep_pos = len(digits)
        else:
            raise PersonnummerError(msg("pnr.character", value=quote(text), char=repr(ch)))
    return "".join(digits), separator, sep_pos


def _century_for(yy: int, month: int, day: int, plus: bool, today: datetime.date) -> int:
    """Full year for a 10-digit number, following Skatteverket's convention.

    Without '+' the person is younger than 100, so take the most recent year
    whose date is not after today.  With '+' Skatteverket switches the
    separator during the calendar year the person turns 100, so take the most
    recent year that is at least 100 years before this calendar year.  (That
    equals "100 years before the no-'+' reading" except in the year of the
    100th birthday itself, where the latter would make the person 200.)
    """
    if plus:
        limit = today.year - 100
        year = limit - (limit - yy) % 100
    else:
        year = today.year - (today.year - yy) % 100
        # Compare as tuples: the date may be invalid (e.g. Feb 29) and is
        # reported as such later, not as a century problem.
        if (year, month, day) > (today.year, today.month, today.day):
            year -= 100
    return year


def parse_personnummer(text: str, today: datetime.date | None = None) -> Personnummer:
    """Validate and normalise a personnummer or samordningsnummer.

    ``today`` only matters for 10-digit numbers, whose century is inferred
    relative to it, and for rejecting 12-digit numbers born in the future; it
    is a parameter so that results are reproducible (tests, re-processing old
    forms).  Only the 10-digit form may carry '+': the 12-digit form already
    states the century, so a '+' there is a contradiction we refuse to guess
    about.
    """
    if not isinstance(text, str):
        raise TypeError(f"personnummer must be given as text, not {type(text).__name__}")
    if today is None:
        today = datetime.date.today()

    if not text.strip():
        raise PersonnummerError(msg("pnr.empty", value=quote(text)))

    digits, separator, sep_pos = _tokenise(text)

    if len(digits) not in (10, 12):
        raise PersonnummerError(msg("pnr.digits", value=quote(text), n=len(digits)))
    if separator is not None and sep_pos != len(digits) - 4:
        raise PersonnummerError(
            msg("pnr.separator_place", value=quote(text), separator=repr(separator))
        )
    if separator == "+" and len(digits) == 12:
        raise PersonnummerError(msg("pnr.plus_with_century", value=quote(text)))

    short = digits[-10:]
    month = int(short[2:4])
    written_day = int(short[4:6])
    samordning = written_day > _SAMORDNING_OFFSET
    day = written_day - _SAMORDNING_OFFSET if samordning else written_day

    if len(digits) == 12:
        year = int(digits[:4])
    else:
        year = _century_for(int(short[:2]), month, day, separator == "+", today)

    try:
        birth_date = datetime.date(year, month, day)
    except ValueError:
        raise PersonnummerError(
            msg(
                "pnr.no_such_coordination_day" if samordning else "pnr.no_such_day",
                value=quote(text),
                day=f"{written_day:02d}",
                month=f"{month:02d}",
                year=year,
            )
        ) from None

    if birth_date > today:
        raise PersonnummerError(msg("pnr.future", value=quote(text), date=birth_date.isoformat()))

    if _luhn_check_digit(short[:9]) != int(short[9]):
        raise PersonnummerError(msg("pnr.check_digit", value=quote(text)))

    number = f"{year:04d}{short[2:6]}-{short[6:]}"
    return Personnummer(birth_date=birth_date, number=number, samordningsnummer=samordning)


def is_valid(text: str, today: datetime.date | None = None) -> bool:
    """Cheap yes/no for form validation, where the reason is reported elsewhere.

    Non-text input is simply not a valid personnummer here, rather than a
    programming error, because form values can arrive as any type.
    """
    if not isinstance(text, str):
        return False
    try:
        parse_personnummer(text, today)
    except PersonnummerError:
        return False
    return True


def pseudonymise(number: str | Personnummer, key: bytes) -> str:
    """Stable, keyed pseudonym for linking a person's answers without storing the number.

    A plain hash would be useless: the set of valid numbers is small enough to
    enumerate, so anyone could reverse it.  HMAC-SHA256 with a secret key
    makes the pseudonym irreversible without the key, yet stable for the same
    key so answers can be linked over time.  Rotating the key deliberately
    breaks that linkage.

    Format (stable; change the prefix if the scheme ever changes):
    ``"pn:" + hex(HMAC-SHA256(key, ascii(Personnummer.number)))`` — i.e. the
    MAC is computed over the normalised ``YYYYMMDD-NNNN`` text, so every
    spelling of the same number yields the same pseudonym.

    A 10-digit string is parsed relative to today's date; to make its century
    (and hence the pseudonym) independent of when this runs, pass a
    :class:`Personnummer` parsed with an explicit ``today`` instead.
    """
    if not isinstance(key, (bytes, bytearray)):
        raise TypeError(f"key must be bytes, not {type(key).__name__}")
    if len(key) < _MIN_KEY_BYTES:
        raise ValueError(
            f"key must be at least {_MIN_KEY_BYTES} random bytes; "
            "short keys make pseudonyms reversible by brute force"
        )
    if isinstance(number, str):
        number = parse_personnummer(number)
    elif not isinstance(number, Personnummer):
        raise TypeError(f"number must be a str or Personnummer, not {type(number).__name__}")
    mac = hmac.new(bytes(key), number.number.encode("ascii"), hashlib.sha256)
    return PSEUDONYM_PREFIX + mac.hexdigest()
