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


def _embedded(font) -> bool:
    if str(font.get("/Subtype")) == "/Type0":  # the glyphs are the descendant's
        font = font.DescendantFonts[0]
    return "/FontDescriptor" in font and "/FontFile2" in font.FontDescriptor


def _page_fonts(data: bytes) -> dict[str, bool]:
    """BaseFont → embedded? for every font of the pages and their fields' appearances."""
    out = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            holders = [page.obj]
            for annot in page.obj.get("/Annots", []):
                for state in annot.get("/AP", {}).values():
                    holders += [state] if isinstance(state, pikepdf.Stream) else state.values()
            for holder in holders:
                fonts = holder.get("/Resources", {}).get("/Font", {})
                for font in fonts.values():
                    out[str(font.BaseFont)] = _embedded(font)
    return out


@pytest.mark.parametrize("name,lang", FORMS_AND_LANGS)
def test_every_font_of_a_page_is_embedded(blank_pdf, name, lang):
    """The page text in Noto subsets; the small print and the fields' appearances in
    the embedded overlay font: no font left for the viewer to guess (PDF/UA, PDF/A)."""
    used = _page_fonts(blank_pdf(name, lang))
    assert [base for base, embedded in used.items() if not embedded] == []
    # subsets: reportlab names them with a tag, as PDF 32000 9.6.4 asks
    subsets = {b.split("+")[-1] for b in used if "+" in b}
    assert (
        {"NotoSans-Regular", "NotoSans-Bold"}
        <= subsets
        <= {
            "NotoSans-Regular",
            "NotoSans-Bold",
            "NotoSans-Italic",  # where the form has hints in italics
        }
    )
    assert "/NotoSansWinAnsipdfforms-Regular" in used


def test_a_form_of_tick_boxes_only_embeds_its_small_print_font(tmp_path):
    from pdfforms.model.definition import load_form

    from .conftest import TEST_FORMS

    data = generate(load_form(TEST_FORMS / "ticks_only.yaml"))
    used = _page_fonts(data)
    assert used and all(used.values()), used


def test_a_print_run_embeds_its_cover_letter_and_small_print_fonts(tmp_path, forms):
    from pdfforms.generate.printrun import Copy, print_run
    from pdfforms.model.serials import new_serials

    out = tmp_path / "run.pdf"
    values = [{}, {"viktigast_nu": "Čáhppes – Привіт"}, {"viktigast_nu": "مرحبا"}]
    copies = [
        Copy(s, "sv", v, {"namn": "Åsa"}, n)
        for n, (s, v) in enumerate(zip(new_serials(3), values, strict=True), 1)
    ]
    print_run(forms["patient"], copies, out, cover="# Hej {namn}!\n\nVälkommen – “in”.\n")
    with pdfplumber.open(out) as pdf:
        drawn = {c["fontname"] for p in pdf.pages for c in p.chars}
        text = "".join(p.extract_text() for p in pdf.pages)
    # every font text is drawn in is embedded, pre-filled values too (overlay.VALUE_FONT)
    fonts = _page_fonts(out.read_bytes())
    assert [base for base, emb in fonts.items() if not emb] == []
    assert drawn and not any(name.endswith("Helvetica") for name in drawn), drawn
    assert "/NotoSansWinAnsipdfforms-Bold" in fonts  # the letter's heading
    assert {"/TypedSanspdfforms-Regular", "/NotoSansArabicTypedpdfforms-Regular"} <= set(fonts)
    assert "Čáhppes – Привіт" in text


def test_large_print_text_is_embedded_too(blank_pdf):
    used = _page_fonts(blank_pdf("patient", "sv", True))
    assert used and all(used.values()), used


def test_edition_1_stays_in_helvetica(forms):
    """The design of every copy ever printed does not change: its text is Helvetica."""
    for large in (False, True):
        layout = build_layout(forms["patient"], "sv", large, edition_no=1)
        used = {t.font for p in layout.pages for t in p.texts}
        assert used <= {"Helvetica", "Helvetica-Bold", "Helvetica-Oblique"}, used


def test_edition_2_on_draws_in_the_language_s_fonts(forms):
    assert EDITION >= 2 and EDITIONS[2].embedded and EDITIONS[EDITION].embedded
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


def test_generated_by_default_in_an_edition_with_the_fields_fonts(forms):
    """Edition 3 brought the fields' fonts; editions 4 (comb cells) and 5 (two QR
    codes) keep them."""
    from pdfforms.model.layout import EDITION, EDITIONS

    data = generate(forms["patient"], "en")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        number = int(str(pdf.docinfo["/PdfformsLayout"]))
    assert number == EDITION and EDITIONS[number].unicode_fields


@pytest.mark.parametrize(
    "lang,font",
    [("sv", "winansi"), ("en", "winansi"), ("fi", "winansi")]
    + [("se", "typed"), ("uk", "typed"), ("ar", "arabic")],
)
def test_the_fields_font_has_the_letters_of_the_form_s_language(forms, lang, font):
    """Edition 3: what a person types is drawn in a font that has every letter of the
    form's language (WinAnsi where it has them: pdftk cannot encode the others)."""
    layout = build_layout(forms["patient"], lang)
    assert layout.fields_font.key == font
    have = fonts.typed_charset(layout.fields_font)
    assert [ch for ch in layout.letters if ord(ch) not in have] == []
    data = generate(forms["patient"], lang)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        dr = pdf.Root.AcroForm.DR.Font["/Wingdings"]
        assert str(dr.BaseFont) == layout.fields_font.base
        assert _embedded(dr)
        quadding = {int(f.get("/Q", 0)) for f in pdf.Root.AcroForm.Fields if f.get("/FT") == "/Tx"}
    assert quadding == ({2} if lang == "ar" else {0})  # Arabic from the right edge
    # edition 2, as printed before: one WinAnsi font for every language
    assert build_layout(forms["patient"], lang, edition_no=2).fields_font.key == "winansi"


def test_latin_inside_arabic_keeps_its_order_and_its_brackets():
    """The Arabic faces carry Noto Sans's Latin (scripts/build_fonts.py): an e-mail or
    web address in an Arabic text is drawable, in its own left-to-right order, and
    the brackets around it face the right way on the page."""
    text = "اكتب إلى dataskyddsombud@norrfjall.example أو (www.imy.se) *"
    assert all(ord(ch) in fonts.charset("NotoSansArabic") for ch in text)
    assert all(ord(ch) in fonts.charset("NotoSansArabic-Bold") for ch in text)
    drawn = fonts.visual(text)
    # left to right on the page: the mark, then the bracketed address, then the e-mail
    assert (
        drawn.index("*")
        < drawn.index("(www.imy.se)")
        < drawn.index("dataskyddsombud@norrfjall.example")
    )


@pytest.mark.parametrize("font_file", sorted(fonts.FONT_DIR.glob("*.ttf")), ids=lambda p: p.name)
def test_the_cmap_read_alone_is_reportlabs_character_map(font_file):
    """fonts.cmap_chars reads a font's cmap table alone: the same code points as the
    keys of reportlab's TTFontFile(…).charToGlyph, which reads the whole font."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    assert fonts.cmap_chars(font_file) == frozenset(TTFontFile(str(font_file)).charToGlyph)
