"""Make the two derived fonts in pdfforms/fonts/ from the Noto fonts beside them.

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

The SIL Open Font License (OFL.txt) allows modified versions; the Noto fonts reserve no
font name. The derived fonts are renamed, so no one takes them for Google's.
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


def _subset(path: Path, unicodes, keep_layout: bool):
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"] if keep_layout else []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    options.recalc_timestamp = False
    font = TTFont(path, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    return font


def _windows_cmap_only(font) -> None:
    cmap = font["cmap"]
    cmap.tables = [t for t in cmap.tables if (t.platformID, t.platEncID) == (3, 1)]


def main() -> int:
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
    for path in sorted(FONTS.glob("*.ttf")):
        print(f"{path.name}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
