"""The embedded fonts of the page text, and which of them each language is drawn in.

Edition 1 of the page design draws in reportlab's standard Helvetica, which is not
embedded and has only the letters of Windows-1252. From edition 2 on, the page
text is drawn in open fonts that ship inside the package (pdfforms/fonts/, SIL
Open Font License, OFL.txt there) and are embedded in every PDF as subsets of the
glyphs a form uses (reportlab's TTFont subsets by itself):

- Noto Sans (Regular, Bold, Italic) for the Latin, Cyrillic and Greek scripts:
  every letter of Swedish, Finnish, Northern Sami (č đ ŋ š ŧ ž), Ukrainian;
- Noto Sans Arabic (Regular, Bold) for the Arabic script, with the Latin letters,
  digits and punctuation of Noto Sans added (scripts/build_fonts.py), so that an
  Arabic form can print an e-mail address, a * or a bracket. It has no italic:
  hints in Arabic are upright.

The files are those of Debian bookworm's fonts-noto-core 20201225-1 (Noto's
release of 2020-12-25). `FACES` is the one table language → fonts; a language
not in it is written in the Latin/Cyrillic/Greek fonts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .messages import text as msg

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"

# reportlab's name for a font → its file in FONT_DIR
FILES = {
    "NotoSans": "NotoSans-Regular.ttf",
    "NotoSans-Bold": "NotoSans-Bold.ttf",
    "NotoSans-Italic": "NotoSans-Italic.ttf",
    # with Noto Sans's Latin, digits and punctuation added (scripts/build_fonts.py)
    "NotoSansArabic": "NotoSansArabicLatin-Regular.ttf",
    "NotoSansArabic-Bold": "NotoSansArabicLatin-Bold.ttf",
}


@dataclass(frozen=True)
class Faces:
    """The three faces the page text of one language is drawn in."""

    regular: str
    bold: str
    italic: str
    family: str = ""  # for people: "Noto Sans"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.regular, self.bold, self.italic)))


NOTO_SANS = Faces("NotoSans", "NotoSans-Bold", "NotoSans-Italic", "Noto Sans")
NOTO_SANS_ARABIC = Faces(
    "NotoSansArabic", "NotoSansArabic-Bold", "NotoSansArabic", "Noto Sans Arabic"
)

# The languages whose script is not in Noto Sans (ISO 639-1). Latin, Cyrillic and
# Greek (sv, en, fi, se, uk, ru, el, …) all are, so they need no entry.
FACES = {
    "ar": NOTO_SANS_ARABIC,  # Arabic
    "fa": NOTO_SANS_ARABIC,  # Persian
    "ur": NOTO_SANS_ARABIC,  # Urdu
    "ps": NOTO_SANS_ARABIC,  # Pashto
    "ckb": NOTO_SANS_ARABIC,  # Central Kurdish (Sorani)
}


# Written right to left: their pages are mirrored (model/layout.py) and their texts
# shaped and put in visual order before they are measured and drawn (`visual`).
RTL = {"ar", "fa", "ur", "ps", "ckb"}
RTL_FACES = frozenset(NOTO_SANS_ARABIC.names)


def is_rtl(lang: str) -> bool:
    return lang.split("-")[0].lower() in RTL


def faces(lang: str) -> Faces:
    """The fonts the page text of `lang` is drawn in (edition 2 and later)."""
    return FACES.get(lang.split("-")[0].lower(), NOTO_SANS)


def path(name: str) -> Path:
    return FONT_DIR / FILES[name]


@cache
def register(name: str) -> str:
    """Make one of our fonts known to reportlab (for measuring and drawing) and return
    its name; any other name (Helvetica …) is returned as it is."""
    if name in FILES:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path(name))))
    return name


@cache
def charset(name: str) -> frozenset[int]:
    """The code points one of our fonts has a glyph for (its cmap)."""
    return cmap_chars(path(name))


def cmap_chars(font_file: Path) -> frozenset[int]:
    """The code points of a TrueType font's cmap: the keys of reportlab's
    `TTFontFile(…).charToGlyph`, read from the cmap table alone.

    reportlab reads the whole font for that (every glyph's metrics: about 10 ms a
    face, three faces for the page text, in every process that checks a definition,
    after an import of 80 ms where nothing else needs it). The subtable is the one
    reportlab takes: the last of platform 3 (or 0, or Macintosh Roman where there is
    none). Its formats 4 (the Basic Multilingual Plane, in segments) and 12 (all of
    Unicode, in groups) are read here, with reportlab's own leniency (a format 4
    segment's code points count even where they map to glyph 0); any other format
    is left to reportlab.
    """
    import struct

    data = font_file.read_bytes()
    (tables,) = struct.unpack_from(">H", data, 4)
    cmap = None
    for i in range(tables):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"cmap":
            cmap = offset
    if cmap is None:
        return _reportlab_chars(font_file)
    version, count = struct.unpack_from(">HH", data, cmap)
    if count == 0 and version != 0:
        count = version
    chosen, kind = None, 0
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
            chosen, kind = offset, 1
        elif platform == 1 and encoding == 0 and kind != 1:
            chosen, kind = offset, 2
    if chosen is None:
        return _reportlab_chars(font_file)
    at = cmap + chosen
    (fmt,) = struct.unpack_from(">H", data, at)
    chars: set[int] = set()
    if fmt == 4:
        (segments,) = struct.unpack_from(">H", data, at + 6)
        segments //= 2
        ends = struct.unpack_from(f">{segments}H", data, at + 14)
        starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
        for start, end in zip(starts, ends, strict=True):
            chars.update(range(start, end + 1))
    elif fmt == 12:
        (groups,) = struct.unpack_from(">I", data, at + 12)
        for g in range(groups):
            start, end = struct.unpack_from(">II", data, at + 16 + 12 * g)
            chars.update(range(start, end + 1))
    else:
        return _reportlab_chars(font_file)
    return frozenset(chars)


def _reportlab_chars(font_file: Path) -> frozenset[int]:
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(TTFontFile(str(font_file)).charToGlyph)


@cache
def visual(text: str) -> str:
    """A line of right-to-left text as it is drawn: each letter in the form its
    neighbours give it (Arabic presentation forms, which Noto Sans Arabic has,
    lam-alef ligatures among them), in the order it stands on the page from left to
    right (the Unicode bidirectional algorithm: digits and any left-to-right run keep
    their own order). reportlab 5.1's own shaping (uharfbuzz) with its bidi put the
    letters of each word back to front; arabic-reshaper and python-bidi do this
    right, as viewers show it (checked in PDFium, poppler and pdftotext)."""
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text)).translate(_MIRROR)


# python-bidi 0.6 leaves out the algorithm's mirroring (rule L4): an opening
# guillemet or bracket in right-to-left text must be drawn as its mirror image. Every
# such character is mirrored: in a right-to-left line a bracket pair takes the line's
# direction (rule N0) also where it holds a Latin run, "(www.imy.se)" (checked in
# test_fonts). Only brackets inside a Latin word ("f(x)") would stay left to right
# and be drawn reversed; no form text has them, and `validate` could refuse them.
_MIRROR = str.maketrans("()[]{}«»‹›<>", ")(][}{»«›‹><")


_NULL_MAPPING = re.compile(rb"^<[0-9A-Fa-f]+> <0000>\r?\n", re.M)
_BFCHAR_COUNT = re.compile(rb"(\d+) beginbfchar")


def drop_null_unicode(pdf) -> None:
    """Drop reportlab's "code → U+0000" lines from every ToUnicode map.

    reportlab maps each unused code of a subset font to U+0000, which PDF/UA and
    PDF/A forbid (a text extractor would yield NUL). Nothing draws those codes.
    `pdf` is an open pikepdf.Pdf (the forms' and the report's finishing passes).
    """
    import pikepdf

    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or "/ToUnicode" not in obj:
            continue
        stream = obj.ToUnicode
        text = stream.read_bytes()
        kept, dropped = _NULL_MAPPING.subn(b"", text)
        if not dropped:
            continue
        count = int(_BFCHAR_COUNT.search(kept).group(1)) - dropped
        kept = _BFCHAR_COUNT.sub(str(count).encode() + b" beginbfchar", kept, count=1)
        stream.write(kept)


# -- typed text -----------------------------------------------------------------------
#
# What a person types into a field is drawn by their viewer in the fields' font, and
# what pdfforms draws into a box (a filled field's appearance, a print run's pre-filled
# values) in the values' font. Both are embedded whole: a viewer must find a glyph for
# whatever is typed, not only the letters a form happens to print.
#
# - WinAnsi (Noto Sans cut to Windows-1252, a simple font with /WinAnsiEncoding) is the
#   fields' font of languages whose letters it has (sv, en, fi …), and of every form
#   drawn before layout edition 3. pdftk, which cannot encode a composite font, still
#   draws into it (docs/viewers.md).
# - Typed Sans (Liberation Sans 2 cut to Latin, Greek and basic Cyrillic, with
#   Helvetica's widths; scripts/build_fonts.py) is, from edition 3 on, the fields' font
#   of a language whose letters Windows-1252 lacks (Northern Sami, Ukrainian …), and
#   the values' font of every form: a composite font (Type0, Identity-H) with a
#   ToUnicode map, which pdf.js, PDFium, poppler and pypdf encode typed text into.
# - Noto Sans Arabic Typed is the same for languages written right to left.
@dataclass(frozen=True)
class TypedFont:
    """A font typed text is drawn in, embedded whole."""

    key: str
    file: str
    base: str  # the /BaseFont it is embedded under
    composite: bool  # Type0 with Identity-H (2-byte glyph codes) or simple WinAnsi
    rtl: bool = False
    words: str = ""  # what it has, for people: a key of the catalogue (model/messages.py)

    @property
    def path(self) -> Path:
        return FONT_DIR / self.file

    @property
    def letters(self) -> str:
        """What it has, in words, in the messages' language."""
        return msg(self.words)

    @property
    def measure(self) -> str:
        """reportlab's name for it, to measure text in it (registered on first use)."""
        name = f"PfTyped-{self.key}"
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(self.path)))
        return name


WINANSI_TYPED = TypedFont(
    "winansi",
    "NotoSansWinAnsi-Regular.ttf",
    "/NotoSansWinAnsipdfforms-Regular",
    composite=False,
    words="font.winansi",
)
TYPED = TypedFont(
    "typed",
    "TypedSans-Regular.ttf",
    "/TypedSanspdfforms-Regular",
    composite=True,
    words="font.typed",
)
ARABIC_TYPED = TypedFont(
    "arabic",
    "NotoSansArabicTyped-Regular.ttf",
    "/NotoSansArabicTypedpdfforms-Regular",
    composite=True,
    rtl=True,
    words="font.arabic",
)
TYPED_FONTS = {f.key: f for f in (WINANSI_TYPED, TYPED, ARABIC_TYPED)}


@cache
def typed_charset(font: TypedFont) -> frozenset[int]:
    """The code points a typed font draws (WinAnsi: Windows-1252's, its cmap has them)."""
    if not font.composite:
        return frozenset(
            ord(bytes([b]).decode("cp1252")) for b in range(32, 256) if b not in _CP1252_HOLES
        )
    return cmap_chars(font.path)


_CP1252_HOLES = (0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D)


def fields_font(lang: str, letters: str, unicode_fields: bool) -> TypedFont:
    """The fields' font of a form in `lang` whose printed texts have `letters`."""
    if not unicode_fields:
        return WINANSI_TYPED
    winansi = typed_charset(WINANSI_TYPED)
    if all(ord(ch) in winansi for ch in letters):
        return WINANSI_TYPED
    return ARABIC_TYPED if is_rtl(lang) else TYPED


def has_rtl(text: str) -> bool:
    """Whether text has a letter written right to left (Arabic, Hebrew …)."""
    import unicodedata

    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def value_font(text: str) -> TypedFont:
    """The font pdfforms draws a value in: Arabic script in the Arabic one."""
    return ARABIC_TYPED if has_rtl(text) else TYPED
