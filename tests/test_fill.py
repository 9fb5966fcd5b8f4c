"""pdfforms.generate.fill writes values in the one way every viewer reads (PDF-NOTES' traps)."""

from __future__ import annotations

import io

import pikepdf
import pytest

from pdfforms.generate.fill import FillError, fill_pdf


def _fields(data: bytes):
    pdf = pikepdf.open(io.BytesIO(data))
    return pdf, {str(f.T): f for f in pdf.Root.AcroForm.Fields}


def _drawn(appearance) -> list[str]:
    """The lines an appearance draws, read through its font's ToUnicode map (the values'
    font is a composite font: each code is a glyph's number)."""
    import re

    [font] = appearance.Resources.Font.values()
    cmap = font.ToUnicode.read_bytes().decode()
    back = {
        int(g, 16): chr(int(u, 16)) for g, u in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]{4})>", cmap)
    }
    shown = re.findall(rb"<([0-9A-F]+)> Tj", appearance.read_bytes())
    return ["".join(back[int(h[i : i + 4], 16)] for i in range(0, len(h), 4)) for h in shown]


def test_radio_is_a_name_on_the_group_and_widgets_follow(blank_pdf):
    pdf, fields = _fields(fill_pdf(blank_pdf("all_types", "sv"), {"smak": "7", "roker": "yes"}))
    assert isinstance(fields["smak"].V, pikepdf.Name) and fields["smak"].V == "/7"
    states = [str(kid.AS) for kid in fields["smak"].Kids]
    assert states.count("/7") == 1 and states.count("/Off") == len(states) - 1
    assert all("/V" not in kid for kid in fields["smak"].Kids)


def test_choice_has_no_stale_index_and_shows_its_label(blank_pdf):
    first = fill_pdf(blank_pdf("all_types", "sv"), {"lan": "AB"})
    with pikepdf.open(io.BytesIO(first)) as pdf:  # an old /I, as pikepdf's Form leaves one
        {str(f.T): f for f in pdf.Root.AcroForm.Fields}["lan"].I = pikepdf.Array([1])
        out = io.BytesIO()
        pdf.save(out)
    pdf, fields = _fields(fill_pdf(out.getvalue(), {"lan": "Z"}))
    assert str(fields["lan"].V) == "Z" and "/I" not in fields["lan"]
    assert _drawn(fields["lan"].AP.N) == ["Jämtlands län"]


def test_text_appearance_keeps_swedish_letters(blank_pdf):
    pdf, fields = _fields(
        fill_pdf(blank_pdf("patient", "sv"), {"viktigast_nu": "Åsa – “är” här €\nRad två"})
    )
    assert _drawn(fields["viktigast_nu"].AP.N) == ["Åsa – “är” här €", "Rad två"]
    assert "/NeedAppearances" not in pdf.Root.AcroForm


def test_checkbox_on_and_off(blank_pdf):
    data = fill_pdf(blank_pdf("patient", "sv"), {"kontaktvagar__video": True})
    pdf, fields = _fields(
        fill_pdf(data, {"kontaktvagar__video": False, "kontaktvagar__telefon": True})
    )
    assert fields["kontaktvagar__video"].V == "/Off" and fields["kontaktvagar__video"].AS == "/Off"
    assert fields["kontaktvagar__telefon"].V == "/Yes"


def test_clearing_values(blank_pdf):
    data = fill_pdf(blank_pdf("all_types", "sv"), {"namn": "Bo", "smak": "3", "lan": "C"})
    pdf, fields = _fields(fill_pdf(data, {"namn": None, "smak": None, "lan": None}))
    assert "/V" not in fields["namn"] and "/V" not in fields["smak"] and "/V" not in fields["lan"]
    assert all(str(kid.AS) == "/Off" for kid in fields["smak"].Kids)


@pytest.mark.parametrize(
    "values,message",
    [
        ({"finns_inte": "x"}, r"no field\(s\) finns_inte"),
        ({"smak": "11"}, "'11' is not one of its choices"),
        ({"lan": "X"}, "'X' is not one of its options"),
    ],
)
def test_refuses_what_the_form_cannot_hold(blank_pdf, values, message):
    with pytest.raises(FillError, match=message):
        fill_pdf(blank_pdf("all_types", "sv"), values)
