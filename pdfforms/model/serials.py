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


def is_valid_serial(text: str) -> bool:
    """Whether text (spaces, dashes and case ignored) is a serial with a right check character."""
    cleaned = text.replace(" ", "").replace("-", "").upper()
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return False
    return _check_char(cleaned[:-1]) == cleaned[-1]
