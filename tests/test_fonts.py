"""The page text's fonts: embedded open fonts from layout edition 2, per language.

Edition 1 (every copy printed before) keeps Helvetica; edition 2 draws in Noto
fonts that ship inside the package (model/fonts.py).
"""

from __future__ import annotations

import io
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from pdfforms.generate.render import generate
from pdfforms.model import fonts
from pdfforms.model.layout import EDITION, EDITIONS, build_layout

from .conftest import FORMS_AND_LANGS

ROOT = Path(__file__).resolve().parent.parent


def _page_fonts(data: bytes) -> dict[str, pikepdf.Dictionary]:
    """BaseFont → font dictionary of every font the pages' own text uses, but the
    small print's overlay font (stamped over the page, generate/overlay.py)."""
    from pdfforms.generate.overlay import OVERLAY_FONT

    out = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for key, font in page.obj.Resources.Font.items():
                if key != OVERLAY_FONT:
                    out[str(font.BaseFont)] = {
                        "embedded": "/FontDescriptor" in font
                        and "/FontFile2" in font.FontDescriptor,
                    }
    return out


@pytest.mark.parametrize("name,lang", FORMS_AND_LANGS)
def test_page_text_is_in_embedded_noto(blank_pdf, name, lang):
    used = _page_fonts(blank_pdf(name, lang))
    assert used, "no fonts on the pages"
    for base, font in used.items():
        assert font["embedded"], base
        # a subset: reportlab names it with a tag, as PDF 32000 9.6.4 asks
        assert "+NotoSans" in base, base


def test_large_print_text_is_embedded_too(blank_pdf):
    used = _page_fonts(blank_pdf("patient", "sv", True))
    assert used and all(f["embedded"] for f in used.values()), used


def test_edition_1_stays_in_helvetica(forms):
    """The design of every copy ever printed does not change: its text is Helvetica."""
    for large in (False, True):
        layout = build_layout(forms["patient"], "sv", large, edition_no=1)
        used = {t.font for p in layout.pages for t in p.texts}
        assert used <= {"Helvetica", "Helvetica-Bold", "Helvetica-Oblique"}, used


def test_edition_2_draws_in_the_language_s_fonts(forms):
    assert EDITION == 2 and EDITIONS[2].embedded
    layout = build_layout(forms["patient"], "sv")
    used = {t.font for p in layout.pages for t in p.texts}
    assert used == set(fonts.NOTO_SANS.names), used


def test_one_table_chooses_fonts_per_language():
    assert fonts.faces("sv") == fonts.faces("uk") == fonts.faces("se") == fonts.NOTO_SANS
    assert fonts.faces("ar") == fonts.faces("fa") == fonts.NOTO_SANS_ARABIC
    assert fonts.faces("ar-SA") == fonts.NOTO_SANS_ARABIC
    # the Latin/Cyrillic/Greek fonts draw Sami, Ukrainian and Greek letters; the
    # Arabic one draws Arabic
    latin = fonts.charset(fonts.NOTO_SANS.regular)
    assert all(ord(ch) in latin for ch in "åäöčđŋŧšžЖїєґαω–“”…€")
    assert all(ord(ch) in fonts.charset("NotoSansArabic") for ch in "بسم الله ٠١٢")


def test_text_stays_extractable(blank_pdf):
    """Embedded subsets carry a ToUnicode map: the flattened reader and screen
    readers still get the letters, Swedish ones included."""
    with pdfplumber.open(io.BytesIO(blank_pdf("patient", "sv"))) as pdf:
        text = pdf.pages[0].extract_text()
    assert "Sida 1 av" in text
    assert all(ch in text for ch in "åäö")


def test_the_fonts_ship_in_the_package():
    """Every font file exists, with its licence, and package-data puts them in a wheel."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["pdfforms"]
    shipped = [*fonts.FILES.values(), "OFL.txt"]
    for name in shipped:
        assert (fonts.FONT_DIR / name).is_file(), name
        assert any(fnmatch(f"fonts/{name}", p) for p in patterns), name
    assert "SIL OPEN FONT LICENSE" in (fonts.FONT_DIR / "OFL.txt").read_text()


def test_generated_in_edition_2_by_default(forms):
    data = generate(forms["patient"], "en")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo["/PdfformsLayout"]) == "2"
