"""What our PDFs can draw, in each language.

Every text we put on a page goes through one of these fonts:

- the page text (titles, labels, options, help), from layout edition 2 on: the
  embedded open fonts of model/fonts.py, chosen per language (Noto Sans for
  Latin, Cyrillic and Greek; Noto Sans Arabic for the Arabic script). A text in
  a language is drawable when every face of that language's fonts (regular,
  bold, italic) has a glyph for each of its characters (the fonts' cmaps);
- the small print, cover letters and the labels of a drop-down list as the blank
  form shows them: the embedded overlay font (Noto Sans cut to Windows-1252) with
  /WinAnsiEncoding (overlay.OVERLAY_FONT). A character outside Windows-1252 has
  no code in it;
- pre-filled values and the appearances of fields pdfforms fills: the values'
  font (model/fonts.py `value_font`: Typed Sans for Latin, Greek and Cyrillic,
  Noto Sans Arabic Typed for right-to-left text), embedded whole;
- what a viewer draws as a person types: the fields' font (model/fonts.py
  `fields_font`), which has every letter of the form's language from edition 3
  on. A person can type anything; what the fields' font lacks is the reader's
  concern (read/flattened.py), not something to refuse.

So the page text of a Swedish, Northern Sami (č đ ŋ ŧ), Finnish, Ukrainian or
Arabic form is drawn, and so are values in those letters; a cover letter and a
drop-down list's labels are still Windows-1252 only (Western European letters,
– — “ ” ‘ ’ … € •). `unprintable(text, lang)` answers for the page text of
`lang`, `unprintable(text)` for the small print, `value_problem(text)` for a
value pdfforms draws into a box. (Edition 1,
every copy printed before, drew its page text in reportlab's standard
Helvetica: the characters of Windows-1252 too. Readers never need this module:
it guards what is drawn now, in the newest edition.)

A text with characters its font lacks is refused where it enters (validate, the
respondents CSV, the cover letter, fill) instead of printing boxes. Control
characters other than line breaks and tabs are refused too: they have no glyph;
and so are combining accents typed apart from their letter, which the fonts
would draw without placing them over the letter (reportlab does not shape Latin
text). This module is the one place that knows this (tests/test_printable.py
holds it against reportlab and poppler).
"""

from __future__ import annotations

import unicodedata
from functools import cache

from . import fonts
from .errors import PdfformsError
from .messages import text as msg

ENCODING = "cp1252"  # WinAnsiEncoding: the encoding of the fields' and overlay fonts
WHITESPACE = "\n\r\t"  # turned into line breaks and spaces before anything is drawn
# (lang None: the fields' and the small print's fonts)


class UnprintableError(PdfformsError, ValueError):
    """A text holds characters that our fonts cannot draw."""


def unprintable(text: str, lang: str | None = None) -> list[str]:
    """The characters of `text` that cannot be drawn, each once, in order of appearance:
    on the page in `lang`'s fonts, or (no `lang`) in a field or the small print."""
    drawable = _encodes if lang is None else _in_fonts(lang)
    out: list[str] = []
    for ch in text:
        if ch in out or ch in WHITESPACE:
            continue
        if ch < " " or ch == "\x7f" or unicodedata.combining(ch) or not drawable(ch):
            out.append(ch)
    return out


def value_problem(text: str) -> str | None:
    """Why pdfforms cannot draw `text` as a value in a box (a pre-filled or filled
    answer), in words, or None when it can: in the values' font the text takes
    (fonts.value_font), which has Latin, Greek and Cyrillic, or Arabic and Latin."""
    font = fonts.value_font(text)
    have = fonts.typed_charset(font)
    out: list[str] = []
    for ch in text:
        if ch in out or ch in WHITESPACE:
            continue
        if ch < " " or ch == "\x7f" or unicodedata.combining(ch) or ord(ch) not in have:
            out.append(ch)
    if not out:
        return None
    return msg("printable.values_font", chars=describe(out), has=font.letters)


def _encodes(ch: str) -> bool:
    try:
        ch.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


@cache
def _in_fonts(lang: str):
    """ch → whether every face `lang`'s page text is drawn in has a glyph for it."""
    faces = fonts.faces(lang)
    common = frozenset.intersection(*(fonts.charset(name) for name in faces.names))
    return lambda ch: ord(ch) in common


def font_note(lang: str | None) -> str:
    """Whose fonts lack the characters, in words."""
    if lang is None:
        return msg("printable.winansi")
    return msg("printable.page_font", family=fonts.faces(lang).family)


MAX_LISTED = 12  # a paragraph in another script names a dozen characters, not all


def describe(chars: list[str]) -> str:
    """`'ŋ' (U+014B LATIN SMALL LETTER ENG), …`: each character, its code and its name."""
    parts = []
    for ch in chars[:MAX_LISTED]:
        name = unicodedata.name(ch, "")
        shown = f"'{ch}' " if ch.isprintable() and not unicodedata.combining(ch) else ""
        part = f"{shown}(U+{ord(ch):04X}{' ' + name if name else ''})"
        if unicodedata.combining(ch):
            part += msg("printable.accent")
        parts.append(part)
    more = len(chars) - MAX_LISTED
    return ", ".join(parts) + (msg("printable.more", n=more) if more > 0 else "")


def problem(text: str, lang: str | None = None) -> str | None:
    """Why `text` cannot be printed (on the page in `lang`, or in a field), in words, or
    None when it can."""
    chars = unprintable(text, lang)
    if not chars:
        return None
    return msg("printable.cannot", chars=describe(chars), note=font_note(lang))


_SPACES = str.maketrans({ch: " " for ch in WHITESPACE})


def encode(text: str) -> bytes:
    """One line of `text` in the fonts' encoding, tabs as spaces; UnprintableError rather
    than a '?' or a box on paper."""
    reason = problem(text)
    if reason is not None:
        raise UnprintableError(f"{text!r} {reason}")
    return text.translate(_SPACES).encode(ENCODING)
