"""Respondent serials: unique, unguessable, free of personal data, and easy to type.

A serial is nine random characters and a check character, from 31 symbols:
digits and capitals without I, L, O and U, which people misread (Crockford's
base-32), and without Z, so that the alphabet's size is the prime 31. Nine
characters give 44 bits: a stranger who has one returned form cannot guess
another respondent's serial, and two runs of 100,000 copies each share a serial
with odds below one in 2,500. Because every weight (1–9) and every difference
between two symbols is smaller than 31, the check character catches every
mistyped character and every swap of two neighbours when staff type a serial.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXY"
RANDOM_CHARS = 9
LENGTH = RANDOM_CHARS + 1


def _check_char(body: str) -> str:
    total = sum((i + 1) * ALPHABET.index(ch) for i, ch in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_serial() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
    return body + _check_char(body)


def new_serials(count: int, taken: set[str] | frozenset = frozenset()) -> list[str]:
    """`count` distinct serials, none of them in `taken`."""
    out: list[str] = []
    seen = set(taken)
    while len(out) < count:
        serial = new_serial()
        if serial not in seen:
            seen.add(serial)
            out.append(serial)
    return out


def _cleaned(text: str) -> str:
    """A serial as typed or printed, without its spaces and dashes, in capitals."""
    return text.replace(" ", "").replace("-", "").upper()


def is_valid_serial(text: str) -> bool:
    """Whether text (spaces, dashes and case ignored) is a serial with a right check character."""
    cleaned = _cleaned(text)
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return False
    return _check_char(cleaned[:-1]) == cleaned[-1]


# -- the serial printed as digits (layout edition 6 on) -------------------------------
#
# A page whose QR codes a stain, a tear or a pen stroke took is identified by its
# serial and page number printed again as plain digits, in a margin the QR damage
# does not reach (model/layout.py serial_line), read back by matching the printed
# font's digits (read/scan/serial.py). Digits only: ten glyphs that a template
# tells apart far more surely than the serial's 31 symbols (8/B, 0/D, 5/S).
#
# What is printed, 18 digits in groups: the serial's nine random characters as one
# base-31 number (31⁹ < 10¹⁴: 14 digits; its check character follows from them),
# the page number (2 digits), then two check digits of ISO 7064 MOD 97-10 (those of
# an IBAN) over the 16 before: every misread digit, every swap of two neighbours and
# all but one in 97 of any other misreading is caught, where one check digit (Luhn,
# mod 11) lets one in ten multiple misreadings through.
PRINTED_SERIAL_DIGITS = 14
PRINTED_PAGE_DIGITS = 2
PRINTED_CHECK_DIGITS = 2
PRINTED_GROUPS = (5, 5, 4, 2, 2)  # how the 18 digits are printed, spaces between


def _mod97_check(digits: str) -> str:
    return f"{98 - int(digits + '00') % 97:02d}"


def printed_code(serial: str | None, page: int) -> str | None:
    """The digits printed for a page of a copy (spaces between their groups), or None
    when the copy has no serial of ours or the page number does not fit."""
    if not serial or not is_valid_serial(serial) or not 0 < page < 10**PRINTED_PAGE_DIGITS:
        return None
    body = _cleaned(serial)[:RANDOM_CHARS]
    number = 0
    for ch in body:
        number = number * len(ALPHABET) + ALPHABET.index(ch)
    digits = f"{number:0{PRINTED_SERIAL_DIGITS}d}{page:0{PRINTED_PAGE_DIGITS}d}"
    digits += _mod97_check(digits)
    out, at = [], 0
    for size in PRINTED_GROUPS:
        out.append(digits[at : at + size])
        at += size
    return " ".join(out)


def parse_printed_code(text: str) -> tuple[str, int] | None:
    """(serial, page) of printed digits (spaces ignored), or None when they are not 18
    digits whose check digits hold and whose number is a serial's."""
    digits = text.replace(" ", "")
    total = PRINTED_SERIAL_DIGITS + PRINTED_PAGE_DIGITS + PRINTED_CHECK_DIGITS
    if len(digits) != total or not digits.isdigit() or int(digits) % 97 != 1:
        return None
    number = int(digits[:PRINTED_SERIAL_DIGITS])
    page = int(digits[PRINTED_SERIAL_DIGITS : PRINTED_SERIAL_DIGITS + PRINTED_PAGE_DIGITS])
    if number >= len(ALPHABET) ** RANDOM_CHARS or page == 0:
        return None
    body = ""
    for _ in range(RANDOM_CHARS):
        number, rest = divmod(number, len(ALPHABET))
        body = ALPHABET[rest] + body
    return body + _check_char(body), page
