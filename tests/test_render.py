"""The generated PDF: fields as SPEC §2, metadata as §3, and what PDFium and poppler draw."""

from __future__ import annotations

import io
import re

import numpy as np
import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image

from pdfforms.generate.render import generate
from pdfforms.model.definition import parse_definition
from pdfforms.model.form import tr
from pdfforms.model.identity import DEFINITION_ATTACHMENT
from pdfforms.model.layout import EDITION, MARK_SIZE, build_layout

from .clients import pdfium as pdfium_client
from .clients.flatten import pdftoppm_render
from .conftest import FORMS_AND_LANGS, require_program

CASES = FORMS_AND_LANGS
DPI = 100
SMALL_PRINT = 7  # the machine-metadata line in the footer; everything else is ≥ 11 pt


def _values(data: bytes) -> dict[str, str | None]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return {str(f.T): (str(f.V) if "/V" in f else None) for f in pdf.Root.AcroForm.Fields}


@pytest.mark.parametrize("name,lang", CASES)
def test_fields_are_exactly_those_of_spec(forms, blank_pdf, name, lang):
    form = forms[name]
    data = blank_pdf(name, lang)
    pdf = pikepdf.open(io.BytesIO(data))
    names = [str(f.T) for f in pdf.Root.AcroForm.Fields]
    assert len(names) == len(set(names)), "duplicate field names"
    assert sorted(names) == sorted(form.field_names())
    assert "/NeedAppearances" not in pdf.Root.AcroForm
    fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
    for q in form.answerable:
        for fname in q.field_names():
            field = fields[fname]
            # the printed number first; a question printed without one, its label
            first = f"{q.number}. " if q.number is not None else tr(q.label, lang)
            assert str(field.get("/TU", "")).startswith(first), fname
            assert str(field.get("/V", "")) in ("", "/Off"), f"{fname} has a preset value"
            if field.FT == "/Tx" and not int(field.get("/Ff", 0)) & (1 << 24):
                assert int(field.get("/MaxLen", 0)) == 0, f"{fname} limits its length"
            elif field.FT == "/Tx":  # a comb (layout edition 4): as many cells as printed
                (w,) = [w for w in build_layout(form, lang).widgets() if w.field == fname]
                assert w.comb and int(field.MaxLen) == len(w.comb), fname
        if q.type in ("single", "scale", "yesno"):
            states = {str(k)[1:] for kid in fields[q.id].Kids for k in kid.AP.N.keys()} - {"Off"}
            assert states == set(q.choice_values)
            assert int(fields[q.id].Ff) & (1 << 15), "not a radio group"
            assert not int(fields[q.id].Ff) & (1 << 14), "NoToggleToOff: a choice can't be undone"
        if q.type == "grid":
            for row in q.rows:
                kids = fields[f"{q.id}__{row.id}"].Kids
                assert {str(k)[1:] for kid in kids for k in kid.AP.N.keys()} - {"Off"} == set(
                    q.choice_values
                )
        if q.type == "dropdown":
            exports = [
                str(o[0]) if isinstance(o, pikepdf.Array) else str(o) for o in fields[q.id].Opt
            ]
            assert exports[1:] == list(q.choice_values)
            assert all(e.isascii() for e in exports)
        if q.type == "multiple":
            for opt in q.choices:
                box = fields[f"{q.id}__{opt.value}"]
                assert box.FT == "/Btn" and not int(box.get("/Ff", 0)) & (1 << 15)


@pytest.mark.parametrize("name,lang", CASES)
def test_metadata_and_embedded_definition(forms, blank_pdf, name, lang):
    form = forms[name]
    pdf = pikepdf.open(io.BytesIO(blank_pdf(name, lang)))
    info = pdf.docinfo
    assert (
        str(info["/PdfformsForm"]),
        str(info["/PdfformsVersion"]),
        str(info["/PdfformsLanguage"]),
    ) == (form.id, form.version, lang)
    assert f"pdfforms-form={form.id}" in str(info["/Keywords"])
    assert str(info["/Title"]) == form.title[lang]
    assert str(pdf.Root.Lang).startswith(lang)
    text = pdf.attachments[DEFINITION_ATTACHMENT].get_file().read_bytes().decode("utf-8")
    embedded, faults = parse_definition(text)
    assert faults == [] and embedded.field_names() == form.field_names()
    assert pdf.check_pdf_syntax() == []  # qpdf finds nothing to complain about


def test_generation_is_deterministic(forms):
    form = forms["patient"]
    assert generate(form, "sv") == generate(form, "sv")
    assert build_layout(form, "en", True) == build_layout(form, "en", True)


@pytest.mark.parametrize("name,lang", CASES)
def test_printed_text(forms, blank_pdf, name, lang):
    form = forms[name]
    layout = build_layout(form, lang)
    with pdfplumber.open(io.BytesIO(blank_pdf(name, lang))) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
        sizes = {round(c["size"], 1) for p in pdf.pages for c in p.chars}
    total = len(layout.pages)
    page_word = "Sida" if lang == "sv" else "Page"
    of_word = "av" if lang == "sv" else "of"
    for n, text in enumerate(pages, start=1):
        assert f"{page_word} {n} {of_word} {total}" in text
        assert form.title[lang] in text  # the title on every page
        assert f"version {form.version}" in text
    everything = re.sub(r"\s+", " ", " ".join(pages))
    for q in form.answerable:
        first_words = " ".join(q.label[lang].split()[:4])
        assert first_words in everything, q.id
    if name in ("patient", "unit"):  # the SKR forms
        assert "SKR" in everything
    if lang == "sv":
        assert all(ch in everything for ch in "åäö")
    assert min(s for s in sizes if s != SMALL_PRINT) >= 11


def test_large_print_is_at_least_14_pt(forms):
    data = generate(forms["patient"], "sv", large_print=True)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        body = {
            round(c["size"], 1)
            for p in pdf.pages
            for c in p.chars
            if round(c["size"], 1) != SMALL_PRINT
        }
        boxes = [a for p in pdf.pages for a in p.annots]
    assert min(body) >= 14
    normal = build_layout(forms["patient"], "sv")
    large = build_layout(forms["patient"], "sv", large_print=True)
    small_box = min(w.w for w in normal.widgets() if w.kind == "radio")
    big_box = min(w.w for w in large.widgets() if w.kind == "radio")
    assert big_box > small_box >= 15
    assert len(boxes) == len(large.widgets())


# --------------------------------------------------------------------------- rendering


def _pdfium_pages(data: bytes, with_forms: bool) -> list[np.ndarray]:
    return pdfium_client.render(data, DPI, with_forms)


def _poppler_pages(data: bytes, with_forms: bool) -> list[np.ndarray]:
    require_program("pdftoppm")
    return pdftoppm_render(data, DPI, with_forms)


def _px(v: float) -> int:
    return int(round(v * DPI / 72))


def _check_drawn(images, layout):
    height = layout.height
    assert len(images) == len(layout.pages)
    for img, page in zip(images, layout.pages, strict=True):
        for mark in page.marks:  # corner marks: solid black
            x0, y0 = _px(mark.x + 3), _px(height - mark.y - MARK_SIZE + 3)
            x1, y1 = _px(mark.x + MARK_SIZE - 3), _px(height - mark.y - 3)
            assert img[y0:y1, x0:x1].mean() < 40
        for w in page.widgets:
            top, bottom = _px(height - w.y - w.h), _px(height - w.y)
            left, right = _px(w.x), _px(w.x + w.w)
            mid = slice(top + (bottom - top) // 4, bottom - (bottom - top) // 4)
            edge = min(img[mid, x].mean() for x in range(left - 1, left + 2))
            inside = img[top + 3 : bottom - 2, left + 3 : right - 2].mean()
            assert edge < 140, f"page {page.number}: {w.field} has no visible left border"
            assert inside > 200, f"page {page.number}: {w.field} is not empty inside"


@pytest.mark.parametrize("with_forms", [True, False])
@pytest.mark.parametrize("name,lang", [("patient", "sv"), ("unit", "en"), ("all_types", "sv")])
def test_pdfium_draws_every_box_and_mark(forms, blank_pdf, name, lang, with_forms):
    layout = build_layout(forms[name], lang)
    _check_drawn(_pdfium_pages(blank_pdf(name, lang), with_forms), layout)


@pytest.mark.parametrize("with_forms", [True, False])
@pytest.mark.parametrize("name,lang", [("patient", "sv"), ("unit", "en"), ("all_types", "sv")])
def test_poppler_draws_every_box_and_mark(forms, blank_pdf, tmp_path, name, lang, with_forms):
    layout = build_layout(forms[name], lang)
    _check_drawn(_poppler_pages(blank_pdf(name, lang), with_forms), layout)


def test_qr_code_on_every_page_decodes(forms, blank_pdf):
    layout = build_layout(forms["unit"], "en")
    images = _pdfium_pages(blank_pdf("unit", "en"), with_forms=False)
    total = len(layout.pages)
    for n, img in enumerate(images, start=1):
        found = zxingcpp.read_barcodes(Image.fromarray(img))
        version = forms["unit"].version
        payload = f"PF{EDITION}|verksamhet-7-fragor|{version}|en|{n}/{total}"
        assert [r.text for r in found] == [payload] * 2  # edition 5 prints it twice


def test_text_typed_in_pdfium_keeps_swedish_letters(forms, blank_pdf, tmp_path):
    """Typing å ä ö into our field in PDFium (Chrome) saves, draws and parses them."""
    import pypdfium2.raw as raw

    from pdfforms.parse.file import parse

    layout = build_layout(forms["patient"], "sv")
    widget = next(w for w in layout.widgets() if w.field == "viktigast_nu")
    doc = pdfium.PdfDocument(blank_pdf("patient", "sv"))
    doc.init_forms()
    page = doc[0]
    handle = doc.formenv.raw
    raw.FORM_OnAfterLoadPage(page.raw, handle)
    x, y = widget.x + 10, widget.y + widget.h - 10
    raw.FORM_OnLButtonDown(handle, page.raw, 0, x, y)
    raw.FORM_OnLButtonUp(handle, page.raw, 0, x, y)
    for ch in "Åsa går på ön":
        raw.FORM_OnChar(handle, page.raw, ord(ch), 0)
    raw.FORM_ForceToKillFocus(handle)
    raw.FORM_OnBeforeClosePage(page.raw, handle)
    out = io.BytesIO()
    doc.save(out)
    page.close()
    doc.close()
    saved = out.getvalue()
    assert _values(saved)["viktigast_nu"] == "Åsa går på ön"
    path = tmp_path / "typed.pdf"
    path.write_bytes(saved)
    assert parse(path).answers["viktigast_nu"] == "Åsa går på ön"
    image = _pdfium_pages(saved, with_forms=True)[0]
    top = _px(layout.height - widget.y - widget.h)
    left = _px(widget.x)
    assert image[top + 3 : top + 25, left + 3 : left + 120].min() < 100, (
        "the typed text is not drawn"
    )
