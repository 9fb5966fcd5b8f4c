"""What our PDFs can draw: the characters of Windows-1252, and no others.

Every text we put on a page goes through one of three fonts, all of them in
WinAnsiEncoding (Windows-1252):

- the page text (titles, labels, options, help): reportlab's standard Helvetica
  and Helvetica-Bold. reportlab draws exactly the printable characters of
  Windows-1252 in them (measured over all of Unicode with reportlab 5.1's
  `unicode2T1`); it draws Greek and a few symbols in the Symbol font, which the
  other two paths cannot, and everything else (č ŋ, Arabic, Cyrillic) as a
  ZapfDingbats square "■";
- the small print, cover letters, pre-filled values and the appearances of
  filled fields: Helvetica with /WinAnsiEncoding (stamp.OVERLAY_FONT), where a
  character outside it has no code at all;
- what a viewer draws as a person types: the embedded Vera under /Wingdings
  (generate/overlay.py), again WinAnsiEncoding; Vera has a glyph for every printable
  Windows-1252 character (checked against its cmap).

So every letter of Swedish, Finnish, German and the other Western European
languages is drawn, and so are – — “ ” ‘ ’ … € •; Northern Sami's č đ ŋ ŧ
(its á š ž are in Windows-1252), Arabic, Ukrainian and Greek are not. A text
with such characters is refused where it enters (validate, the respondents
CSV, the cover letter, fill) instead of printing boxes. Control characters
other than line breaks and tabs are refused too: they have no glyph. This
module is the one place that knows this (tests/test_printable.py holds it
against reportlab and poppler).
"""

from __future__ import annotations

import unicodedata

from .errors import PdfformsError

ENCODING = "cp1252"  # WinAnsiEncoding: the encoding of every font we draw with
WHITESPACE = "\n\r\t"  # turned into line breaks and spaces before anything is drawn
FONT_NOTE = "the form's fonts have only Western European letters (Windows-1252)"


class UnprintableError(PdfformsError, ValueError):
    """A text holds characters that our fonts cannot draw."""


def unprintable(text: str) -> list[str]:
    """The characters of `text` that cannot be drawn, each once, in order of appearance."""
    out: list[str] = []
    for ch in text:
        if ch in out or ch in WHITESPACE:
            continue
        if ch < " " or ch == "\x7f" or not _encodes(ch):
            out.append(ch)
    return out


def _encodes(ch: str) -> bool:
    try:
        ch.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


MAX_LISTED = 12  # a paragraph in another script names a dozen characters, not all


def describe(chars: list[str]) -> str:
    """`'ŋ' (U+014B LATIN SMALL LETTER ENG), …`: each character, its code and its name."""
    parts = []
    for ch in chars[:MAX_LISTED]:
        name = unicodedata.name(ch, "")
        shown = f"'{ch}' " if ch.isprintable() and not unicodedata.combining(ch) else ""
        part = f"{shown}(U+{ord(ch):04X}{' ' + name if name else ''})"
        if unicodedata.combining(ch):
            part += " (an accent typed apart from its letter; type the accented letter instead)"
        parts.append(part)
    more = len(chars) - MAX_LISTED
    return ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def problem(text: str) -> str | None:
    """Why `text` cannot be printed, in words, or None when it can."""
    chars = unprintable(text)
    if not chars:
        return None
    return f"cannot be printed: {describe(chars)}; {FONT_NOTE}"


_SPACES = str.maketrans({ch: " " for ch in WHITESPACE})


def encode(text: str) -> bytes:
    """One line of `text` in the fonts' encoding, tabs as spaces; UnprintableError rather
    than a '?' or a box on paper."""
    reason = problem(text)
    if reason is not None:
        raise UnprintableError(f"{text!r} {reason}")
    return text.translate(_SPACES).encode(ENCODING)
