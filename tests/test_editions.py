"""Layout editions: paper printed in an older page design is read with that design.

Every page names the edition it was drawn in (model/layout.py EDITIONS; the QR tag
PF<edition>, "#2" in the small print, /PdfformsLayout, pdfforms-layout=). A change that
moves anything on a page is a new edition; the old ones never change.
"""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import replace

import pikepdf
import pytest

from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.fill import fill_pdf
from pdfforms.generate.render import generate, render
from pdfforms.model.identity import (
    INFO_EDITION,
    Identity,
    keywords_line,
    parse_keywords,
    parse_qr,
    parse_small_print,
    qr_payload,
    small_print,
)
from pdfforms.model.layout import EDITION, EDITIONS, build_layout, edition
from pdfforms.parse.file import parse
from pdfforms.parse.scan import parse_scan
from pdfforms.read import ReadError
from pdfforms.read.detect import identify
from pdfforms.testing import scans as synth
from pdfforms.testing.synthetic import synthetic_answers

from .answer_sets import answer_sets
from .clients.flatten import pikepdf_flatten
from .conftest import DEFINITIONS, TEST_FORMS

DIRS = [DEFINITIONS, TEST_FORMS]

# The layouts of edition 1, every shipped and test form in Swedish and English (the
# languages edition 1 was printed in) and both print sizes, as they were when editions
# began (commit 34e3a9d, checked then against the
# code before it). Never update this digest: a change that moves anything on a page is a
# new edition in EDITIONS, or every copy printed in edition 1 is read in the wrong places.
EDITION_1_DIGEST = "4b6c075b6ae089596c2d83473fe70f1bd09474934f9a1bee1efd159c94e2d795"


def _digest(forms_by_file, number: int) -> str:
    h = hashlib.sha256()
    for form in forms_by_file:
        for lang in ("sv", "en"):
            for large in (False, True):
                layout = build_layout(form, lang, large, number)
                for p in layout.pages:
                    texts = [_Where(t) for t in p.texts]
                    h.update(repr((texts, p.rects, p.widgets, p.marks, p.qr)).encode())
    return h.hexdigest()


class _Where:
    """A text as it lies on the page: its role in the structure tree moves nothing,
    so the digest leaves it out (and reads as it did before texts had roles)."""

    def __init__(self, t):
        self.t = t

    def __repr__(self) -> str:
        t = self.t
        return (
            f"TextItem(x={t.x!r}, y={t.y!r}, text={t.text!r}, font={t.font!r}, "
            f"size={t.size!r}, gray={t.gray!r}, align={t.align!r})"
        )


# The shipped definitions the digest was taken of: the versions printed in edition 1.
# A newer version of a shipped form is a file of its own (the library keeps every
# version), and these stay as they were.
EDITION_1_FORMS = ["patient-v1.yaml", "unit-v1.yaml"]


def test_edition_1_is_never_changed():
    from pdfforms import load_form

    files = [DEFINITIONS / name for name in EDITION_1_FORMS] + sorted(TEST_FORMS.glob("*.yaml"))
    assert [f.name for f in sorted(TEST_FORMS.glob("*.yaml"))] == [
        "all_types.yaml",
        "ticks_only.yaml",
    ]
    assert [load_form(f).version for f in files[:2]] == ["1", "1"]
    assert _digest([load_form(f) for f in files], 1) == EDITION_1_DIGEST


def test_every_encoding_carries_the_edition():
    ident = Identity("patient", "3", "sv", "0A1B2C3D4E", True, edition=2)
    assert qr_payload(ident, 1, 2) == "PF2|patient|3|sv|1/2|0A1B2C3D4E|L"
    assert parse_qr(qr_payload(ident, 1, 2)).edition == 2
    assert small_print(ident, 1, 2).endswith(" · L · #2")
    assert parse_small_print(small_print(ident, 1, 2)).edition == 2
    assert parse_small_print(small_print(ident, 1, 2)).serial == "0A1B2C3D4E"
    assert parse_keywords(keywords_line(ident)).edition == 2
    # what edition 1 wrote, and older pdfforms everywhere: it says nothing more
    old = Identity("patient", "3", "sv", None, False, edition=1)
    assert qr_payload(old, 1, 2) == "PF1|patient|3|sv|1/2"
    assert parse_qr("PF1|patient|3|sv|1/2").edition == 1
    assert parse_small_print("patient · v3 · sv · 1/2").edition == 1
    assert "layout" not in keywords_line(old)
    assert parse_keywords(keywords_line(old)).edition is None  # said nothing: edition 1
    # a serial-less, normal-print page of edition 2: the edition is not taken for a serial
    plain = parse_small_print(small_print(Identity("patient", "3", "sv", edition=2), 1, 2))
    assert (plain.serial, plain.large_print, plain.edition) == (None, False, 2)
    assert parse_qr("PFX|patient|3|sv|1/2") is None


def test_new_pdfs_are_drawn_in_the_current_edition(forms):
    data = generate(forms["patient"], "sv")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo[INFO_EDITION]) == str(EDITION)
        ident, differ = identify(pdf)
    assert (ident.edition, differ) == (EDITION, [])


def test_edition_3_moves_nothing_on_the_page(forms):
    """Edition 3 changes only the fields' font: every page of edition 2 is where it was,
    so paper of either edition is read with the same boxes."""
    for name in ("patient", "unit"):
        for lang in forms[name].languages:
            for large in (False, True):
                two = build_layout(forms[name], lang, large, edition_no=2)
                three = build_layout(forms[name], lang, large, edition_no=3)
                assert three.pages == two.pages, (name, lang, large)


def test_an_unknown_edition_is_named_not_guessed():
    with pytest.raises(ValueError, match="layout edition 9, which this pdfforms does not know"):
        edition(9)
    assert edition(None) is EDITIONS[1]


def test_large_print_of_edition_2_is_large_black_and_upright(forms):
    for name in ("patient", "unit", "all_types"):
        form = forms[name]
        for lang in form.languages:
            large = build_layout(form, lang, True)
            texts = [t for p in large.pages for t in p.texts]
            assert min(t.size for t in texts) >= 16, (name, lang)
            assert all("Oblique" not in t.font and "Italic" not in t.font for t in texts)
            assert all(t.gray == 0 for t in texts), (name, lang)
            assert min(w.w for w in large.widgets() if w.kind in ("radio", "checkbox")) >= 22
            assert min(w.font_size for w in large.widgets() if w.kind == "text") >= 16
    # edition 1's large print is what it always was: 14 pt, grey italic hints
    old = build_layout(forms["patient"], "sv", True, 1)
    assert min(t.size for p in old.pages for t in p.texts) == 14
    assert any(t.font == "Helvetica-Oblique" for p in old.pages for t in p.texts)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_paper_printed_in_edition_1_is_read_with_edition_1(tmp_path, forms, large):
    """A copy printed before editions (PF1) is read with the layout it was printed in,
    though new copies of the same form are drawn in edition 2."""
    form = forms["all_types"]
    answers = synthetic_answers(form, random.Random(5), blank_rate=0.1)
    rng = random.Random(5)
    pages, truth = synth.make_scan(
        form, "sv", answers, synth.serial_for(rng), rng, None, large_print=large, edition=1
    )
    path = tmp_path / "old.pdf"
    path.write_bytes(synth.scanned_pdf(pages))
    [response] = parse_scan(path, DIRS, tmp_path / "review").responses
    assert not [i for i in response.review if i.reason in ("box_not_found", "alignment")]
    assert not [p for p in response.problems if p.severity == "error"]
    checked = 0
    for q in form.answerable:
        if q.type in ("single", "yesno", "scale", "grid") and not any(
            i.question == q.id for i in response.review
        ):
            assert response.answers[q.id] == answers.get(q.id, response.answers[q.id]), q.id
            checked += 1
    assert checked >= 4
    if large:  # the designs differ where it matters: edition 2 would look elsewhere
        old, new = build_layout(form, "sv", True, 1), build_layout(form, "sv", True, 2)
        assert [w.rect for w in old.widgets()] != [w.rect for w in new.widgets()]


def _future(form, monkeypatch, serial=None) -> bytes:
    """A form as a later pdfforms with an edition 9 would draw it (this one draws it
    in edition 2 and says 9, then forgets edition 9 again)."""
    with monkeypatch.context() as m:
        m.setitem(EDITIONS, 9, EDITIONS[EDITION])
        return render(form, replace(build_layout(form, "sv"), edition=9), serial)


def test_a_page_of_an_unknown_edition_is_not_read(tmp_path, forms, monkeypatch):
    form = forms["all_types"]
    pdf = _future(form, monkeypatch, "0A1B2C3D4E")
    assert 9 not in EDITIONS
    images = synth.draw_pages(pdf, forms=True, dpi=synth.BASE_DPI)
    import numpy as np

    path = tmp_path / "future.pdf"
    path.write_bytes(synth.scanned_pdf([np.array(i, dtype=np.uint8) for i in images]))
    result = parse_scan(path, DIRS, tmp_path / "review")
    assert result.responses == []
    assert all("layout edition 9" in p.note for p in result.pages)


def test_a_flattened_copy_of_edition_1_is_read_with_edition_1(forms):
    """A flattened copy from before editions: no /PdfformsLayout in its information."""
    form = forms["all_types"]
    answers = answer_sets(form)["rich"]
    layout = build_layout(form, "sv", True, 1)
    with pikepdf.open(io.BytesIO(render(form, layout))) as pdf:
        del pdf.docinfo[INFO_EDITION]  # as edition 1 wrote it
        out = io.BytesIO()
        pdf.save(out)
    filled = fill_pdf(out.getvalue(), answers_to_fields(form, answers, "sv"))
    response = parse_flat(pikepdf_flatten(filled))
    assert response.source["kind"] == "flattened"
    assert not [p for p in response.problems if p.severity == "error"]
    assert response.answers == parse_flat(filled).answers  # as its fields say


def parse_flat(data: bytes):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "flat.pdf"
        path.write_bytes(data)
        return parse(path, DIRS)


def test_a_flattened_copy_of_an_unknown_edition_is_refused(forms, monkeypatch):
    form = forms["all_types"]
    flat = pikepdf_flatten(_future(form, monkeypatch))
    with pytest.raises(ReadError, match="layout edition 9"):
        parse_flat(flat)
