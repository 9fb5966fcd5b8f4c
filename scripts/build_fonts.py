"""Make the derived fonts in pdfforms/fonts/ from the Noto fonts beside them and from
Liberation Sans.

Run by a maintainer when the Noto files change (`pip install fonttools` first; it is
not a dependency of pdfforms): the outputs are committed, so users never run it.

- NotoSansArabicLatin-Regular.ttf, -Bold.ttf: Noto Sans Arabic with the Latin letters,
  digits and punctuation of Noto Sans added. Noto Sans Arabic alone has no Latin and no
  * ( ) / – “ ”, so an Arabic form could not print an e-mail address, a web address,
  the mark of a required question or a bracket. Both fonts have 1,000 units per em and
  the same vertical metrics family, so the merged font keeps the Arabic font's lines.
- NotoSansWinAnsi-Regular.ttf, -Bold.ttf: Noto Sans cut down to the characters of
  Windows-1252, the fields' font and the small print's (generate/overlay.py). Embedded
  whole in every form, so it is kept small (about 30 kB against 510 kB). It has only a
  Windows Unicode cmap: a simple TrueType font with WinAnsiEncoding is then drawn by
  every reader through that cmap, and PDF/UA validators check its widths against the
  glyphs the standard says (a font that also has a Mac Roman cmap, as Vera has, is
  checked against the wrong glyphs by some validators).

- TypedSans-Regular.ttf: Liberation Sans 2.1.5 cut to Latin (with Latin Extended-A and
  the Sami letters of Extended-B), Greek and basic Cyrillic: the font of what is typed
  into a field in a language Windows-1252 lacks (Northern Sami, Ukrainian …) and of
  every value pdfforms draws into a box (generate/overlay.py). Liberation Sans has
  Helvetica's widths, which the wrap of drawn values and the flattened reader's
  overflow checks were measured with. About 60 kB, embedded whole.
- NotoSansArabicTyped-Regular.ttf: Noto Sans Arabic Latin (above) cut to the Arabic
  letters, their presentation forms (the shapes drawn values are put in) and Latin:
  the same for right-to-left languages.

Liberation Sans is not in this folder: it is read from Debian's fonts-liberation2
package (`apt-get install fonts-liberation2`, /usr/share/fonts/truetype/liberation2),
or from the folder given as the first argument.

The SIL Open Font License (OFL.txt) allows modified versions; the Noto fonts reserve no
font name. The derived fonts are renamed, so no one takes them for Google's. Liberation
reserves the names "Liberation" and "Arimo", so its derived font is named "Typed Sans
pdfforms" (its copyright notice is kept in the font and in fonts/README.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

FONTS = Path(__file__).resolve().parent.parent / "pdfforms" / "fonts"

WINANSI = sorted(
    {
        ord(bytes([b]).decode("cp1252"))
        for b in range(32, 256)
        if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    }
)
# What Arabic forms borrow from Noto Sans: Basic Latin, Latin-1, Latin Extended-A and
# the general punctuation (dashes, quotes, bullet, ellipsis), and the euro sign.
LATIN = list(range(0x20, 0x7F)) + list(range(0xA0, 0x180)) + list(range(0x2010, 0x2050)) + [0x20AC]
# What people type: Latin with Latin Extended-A (Polish, Czech, Northern Sami č đ ŋ ŧ …),
# the Sami letters of Extended-B (Inari and Skolt: ǧ ǩ ʒ ǯ ǥ) and Romanian ș ț, Greek, and
# the Cyrillic of Ukrainian, Russian and the other Slavic languages (U+0400–045F, Ґ ґ).
# Not the rest of Cyrillic: a flattened copy's text in letters outside these (poppler's
# stand-in fonts map Ukrainian to Ҋ ҫ ң …) is then known not to be what was typed
# (read/flattened.py).
TYPED = sorted(
    set(WINANSI)
    | set(range(0xA0, 0x180))
    | {0x1E4, 0x1E5, 0x1E6, 0x1E7, 0x1E8, 0x1E9, 0x1B7, 0x292, 0x1EE, 0x1EF}
    | {0x218, 0x219, 0x21A, 0x21B}
    | set(range(0x384, 0x3CF))
    | set(range(0x400, 0x460))
    | {0x490, 0x491}
    | set(range(0x2010, 0x2050))
    | {0x20AC, 0x2116, 0x2122}
)
ARABIC_TYPED = sorted(
    (
        set(LATIN)
        | set(range(0x600, 0x700))
        | set(range(0x750, 0x780))
        | set(range(0xFB50, 0xFE00))
        | set(range(0xFE70, 0xFF00))
    )
    # Not the Quranic annotation marks, nor the ligatures of shadda with a vowel mark or
    # a tatweel: marks are not drawn in values (model/printable.py), and these are the
    # glyphs that reach highest. pypdf spaces a text box's lines by the font's height
    # (FontBBox): 1.9 em with them, 1.55 em without (the flattened reader tells a line
    # from an empty line below 1.6 em).
    - set(range(0x6D6, 0x6EE))
    - set(range(0xFC5E, 0xFC64))
    - set(range(0xFCF2, 0xFCF5))
)
LIBERATION = Path("/usr/share/fonts/truetype/liberation2")
# The Arabic typed font's line: Noto Sans Arabic's own (1374 above, 738 below: 2.1 em)
# makes for stacked marks; PDFium spaces the lines of a text box by it, 25 pt apart at
# 12 pt, so the answer a box holds is half what it holds in Latin and a reader can no
# longer tell a new paragraph from a new line. The letters themselves span -421 to
# 940 (ي below, أ above): 1000 and -450 hold them, 1.45 em.
ARABIC_LINE = (1000, -450)


def _rename(font, family: str) -> None:
    """Family, full and PostScript names of a derived font (name IDs 1, 4, 6, 16)."""
    style = font["name"].getDebugName(2) or "Regular"
    names = {
        1: family,
        4: f"{family} {style}",
        6: f"{family.replace(' ', '')}-{style}",
        16: family,
    }
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]


def _subset(path: Path, unicodes, keep_layout: bool, hinting: bool = True):
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"] if keep_layout else []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    options.recalc_timestamp = False
    options.hinting = hinting
    font = TTFont(path, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    return font


def _line_metrics(font, ascent: int, descent: int) -> None:
    """Set the line a font asks viewers to space its lines by (hhea and OS/2 alike)."""
    font["hhea"].ascent, font["hhea"].descent, font["hhea"].lineGap = ascent, descent, 0
    os2 = font["OS/2"]
    os2.sTypoAscender, os2.sTypoDescender, os2.sTypoLineGap = ascent, descent, 0
    os2.usWinAscent, os2.usWinDescent = ascent, -descent


def _windows_cmap_only(font) -> None:
    cmap = font["cmap"]
    cmap.tables = [t for t in cmap.tables if (t.platformID, t.platEncID) == (3, 1)]


def main(argv: list[str]) -> int:
    import tempfile

    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    for style in ("Regular", "Bold"):
        arabic = FONTS / f"NotoSansArabic-{style}.ttf"
        latin = FONTS / f"NotoSans-{style}.ttf"
        have = set(TTFont(arabic).getBestCmap())
        borrowed = _subset(latin, [c for c in LATIN if c not in have], keep_layout=True)
        with tempfile.TemporaryDirectory() as tmp:
            part = Path(tmp) / "latin.ttf"
            borrowed.save(part)
            merged = Merger().merge([str(arabic), str(part)])
        _rename(merged, "Noto Sans Arabic Latin pdfforms")
        # the same bytes every run: the merger stamps the time; take the source's
        source = TTFont(arabic)["head"]
        merged.recalcTimestamp = False
        merged["head"].created, merged["head"].modified = source.created, source.modified
        _windows_cmap_only(merged)
        merged.save(FONTS / f"NotoSansArabicLatin-{style}.ttf")

        small = _subset(latin, WINANSI, keep_layout=False)
        _rename(small, "Noto Sans WinAnsi pdfforms")
        _windows_cmap_only(small)
        small.save(FONTS / f"NotoSansWinAnsi-{style}.ttf")

    arabic = _subset(FONTS / "NotoSansArabicLatin-Regular.ttf", ARABIC_TYPED, keep_layout=False)
    _rename(arabic, "Noto Sans Arabic Typed pdfforms")
    _windows_cmap_only(arabic)
    _line_metrics(arabic, ascent=ARABIC_LINE[0], descent=ARABIC_LINE[1])
    arabic.save(FONTS / "NotoSansArabicTyped-Regular.ttf")

    source = (Path(argv[0]) if argv else LIBERATION) / "LiberationSans-Regular.ttf"
    if not source.exists():
        print(f"{source} is missing: apt-get install fonts-liberation2", file=sys.stderr)
        return 1
    typed = _subset(source, TYPED, keep_layout=False, hinting=False)
    _rename(typed, "Typed Sans pdfforms")
    _windows_cmap_only(typed)
    typed.save(FONTS / "TypedSans-Regular.ttf")
    for path in sorted(FONTS.glob("*.ttf")):
        print(f"{path.name}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
