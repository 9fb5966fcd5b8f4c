"""Comb cells (layout edition 4): personnummer, dates and bounded whole numbers are
written one character a cell on paper and typed one a cell on screen."""

from __future__ import annotations

import io

import pikepdf
import pytest

from pdfforms.generate.fill import fill_pdf
from pdfforms.generate.render import render
from pdfforms.model.definition import load_form
from pdfforms.model.layout import EDITION, build_layout
from pdfforms.read.flattened import read_flattened

from .clients.flatten import pdftocairo_print, pikepdf_flatten
from .conftest import TEST_FORMS

VALUES = {"pnr": "19121212-1212", "besok": "2020-05-17", "antal": "7"}
MM = 72 / 25.4


@pytest.fixture(scope="module")
def all_types():
    return load_form(TEST_FORMS / "all_types.yaml")


def test_edition_4_writes_digits_in_cells_large_enough_for_a_hand(all_types):
    assert EDITION >= 4
    for large in (False, True):
        combs = {w.field: w for w in build_layout(all_types, "sv", large).widgets() if w.comb}
        assert {k: w.comb for k, w in combs.items()} == {
            "pnr": "########-####",
            "besok": "####-##-##",
            "antal": "##",  # 0–30, whole: two digits; the weight (one decimal) has none
        }
        for w in combs.values():
            cells = w.cells()
            assert len(cells) == len(w.comb)
            assert cells[0][1][0] == w.x and cells[-1][1][2] == pytest.approx(w.x + w.w)
            cw = cells[0][1][2] - cells[0][1][0]
            assert cw >= 7 * MM - 0.1 and w.h >= 9 * MM - 0.1
    # the editions before have none: their paper is read as it was printed
    assert not any(w.comb for w in build_layout(all_types, "sv", False, 3).widgets())


def test_the_fillable_field_is_a_comb_of_its_cells(all_types):
    layout = build_layout(all_types, "sv")
    with pikepdf.open(io.BytesIO(render(all_types, layout))) as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        for name, pattern in (("pnr", "########-####"), ("besok", "####-##-##")):
            assert int(fields[name].MaxLen) == len(pattern)
            assert int(fields[name].Ff) & (1 << 24)  # Comb
        assert "/MaxLen" not in fields["vikt"]


@pytest.mark.parametrize("flatten", [pikepdf_flatten, pdftocairo_print])
def test_a_flattened_comb_reads_back_as_the_value_without_spaces(all_types, flatten):
    """The value is drawn one character a cell, far apart; the reader takes the
    characters for one value, not words with spaces between."""
    layout = build_layout(all_types, "sv")
    flat = flatten(fill_pdf(render(all_types, layout), VALUES))
    fields = read_flattened(flat, layout).fields
    assert {k: fields[k] for k in VALUES} == VALUES


def test_a_filled_comb_shows_one_character_a_cell_over_its_cells(all_types):
    """Our own appearance of a filled comb (what a flattened or printed copy keeps):
    each character in its cell, and no white ground hiding the printed cells."""
    layout = build_layout(all_types, "sv")
    with pikepdf.open(io.BytesIO(fill_pdf(render(all_types, layout), VALUES))) as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        stream = fields["pnr"].AP.N.read_bytes()
    assert stream.count(b" Tj") == len(VALUES["pnr"])
    assert b"1 1 1 rg" not in stream


def test_a_print_run_prefills_a_comb_one_character_a_cell(all_types, tmp_path):
    """A value pre-filled on every copy of a print run is printed into the cells
    as a viewer would draw it, so it reads on paper as the person's own would."""
    import pdfplumber

    from pdfforms.generate.printrun import Copy, print_run
    from pdfforms.model.serials import new_serials

    out = tmp_path / "run.pdf"
    (serial,) = new_serials(1)
    print_run(all_types, [Copy(serial, "sv", {"besok": "2026-12-01"})], out)
    layout = build_layout(all_types, "sv")
    (w,) = [w for w in layout.widgets() if w.field == "besok"]
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[layout.page_of("besok") - 1]
        top, bottom = float(page.height) - (w.y + w.h), float(page.height) - w.y
        chars = sorted(
            (c for c in page.chars if w.x <= c["x0"] <= w.x + w.w and top <= c["top"] <= bottom),
            key=lambda c: c["x0"],
        )
    assert "".join(c["text"] for c in chars) == "2026-12-01"
    for c, (_, (x0, _, x1, _)) in zip(chars, w.cells(), strict=True):
        assert x0 < (c["x0"] + c["x1"]) / 2 < x1, c["text"]


def test_no_comb_field_where_pdftk_would_lose_its_value(forms):
    """In a language whose fields' font is composite (Ukrainian), pdftk draws nothing of
    a comb field's value, so a flattened copy would read as blank without a word: the
    cells are printed (and read on scans), the field stays an ordinary one."""
    form = forms["patient"]
    layout = build_layout(form, "uk")
    assert layout.fields_font.composite and not layout.comb_fields
    assert any(w.comb for w in layout.widgets())
    with pikepdf.open(io.BytesIO(render(form, layout))) as pdf:
        for f in pdf.Root.AcroForm.Fields:
            assert "/MaxLen" not in f and not int(f.get("/Ff", 0)) & (1 << 24), str(f.T)
