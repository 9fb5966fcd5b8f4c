"""Tagged PDF/UA-1: two independent validators pass every form we make, and a
screen reader gets the structure and the names it needs (issue 15)."""

from __future__ import annotations

import io

import pikepdf
import pytest

from pdfforms.generate.fill import fill_answers
from pdfforms.generate.printrun import Copy, print_run
from pdfforms.generate.render import LANG_TAGS, render
from pdfforms.generate.tags import reading_order
from pdfforms.model.form import tr
from pdfforms.model.layout import EDITION, TextItem, build_layout
from pdfforms.model.serials import new_serials

from .answer_sets import rich_answers
from .clients.validators import page_failures, pdfua_findings
from .conftest import FORMS_AND_LANGS, ROOT

READING_ORDER_DOC = ROOT / "docs" / "reading-order.md"


def _both(data: bytes) -> list[str]:
    return page_failures(data) + pdfua_findings(data)


# the shipped patient form's other languages: Finnish, Northern Sami, Ukrainian, Arabic
OTHER_LANGUAGES = [("patient", lang) for lang in ("fi", "se", "uk", "ar")]


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("name,lang", FORMS_AND_LANGS + OTHER_LANGUAGES)
def test_generated_form_passes_both_validators(blank_pdf, name, lang, large_print):
    assert page_failures(blank_pdf(name, lang, large_print)) == []
    assert pdfua_findings(blank_pdf(name, lang, large_print)) == []


@pytest.mark.parametrize("name", ["patient", "all_types", "vardplan"])
def test_filled_copy_passes_both_validators(forms, blank_pdf, name):
    form = forms[name]
    filled = fill_answers(blank_pdf(name), form, rich_answers(form))
    assert _both(filled) == []


# what people write in the patient form's languages, typed into its written answers
WRITTEN = {
    "uk": "Привіт, ї є ґ – лікар",
    "se": "Dearvva čáđa ŋ ŧ šž",
    "ar": "مرحبا بكم (Region Norrfjäll)",
    "fi": "Hyvää päivää",
}


@pytest.mark.parametrize("lang", sorted(WRITTEN))
def test_filled_copy_in_each_language_passes_both_validators(forms, blank_pdf, lang):
    """Values in the language's own letters are drawn in the embedded values' fonts."""
    form = forms["patient"]
    answers = {"viktigast_nu": WRITTEN[lang], "bra_dag": WRITTEN[lang]}
    filled = fill_answers(blank_pdf("patient", lang), form, answers, lang)
    assert _both(filled) == []


def test_validators_fail_an_untagged_form(blank_pdf):
    """The validators can fail: the same form without its structure fails both."""
    with pikepdf.open(io.BytesIO(blank_pdf("patient", "sv"))) as pdf:
        del pdf.Root["/StructTreeRoot"]
        del pdf.Root["/MarkInfo"]
        out = io.BytesIO()
        pdf.save(out)
    untagged = out.getvalue()
    assert any("STRUCT-TREE-ROOT" in f for f in page_failures(untagged))
    assert any("StructTreeRoot" in f for f in pdfua_findings(untagged))


def test_validators_fail_a_font_that_is_not_embedded(blank_pdf):
    """Every font is embedded, and the validators would say if one were not: a page
    font whose program is taken out is a failure."""
    with pikepdf.open(io.BytesIO(blank_pdf("patient", "sv"))) as pdf:
        for font in pdf.pages[0].obj.Resources.Font.values():
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor:
                del descriptor["/FontFile2"]
        out = io.BytesIO()
        pdf.save(out)
    assert any("FONT-EMBEDDING" in f for f in page_failures(out.getvalue()))


def _form_elements(pdf: pikepdf.Pdf) -> dict[tuple[int, int], pikepdf.Object]:
    """Widget annotation → its /Form structure element, through the ParentTree."""
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    found = {}
    for page in pdf.pages:
        assert page.obj.Tabs == pikepdf.Name.S
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") == pikepdf.Name.Widget:
                el = parents[int(annot.StructParent)]
                assert el.S == pikepdf.Name.Form
                assert any(k.get("/Obj") is not None and k.Obj.objgen == annot.objgen for k in el.K)
                found[annot.objgen] = el
    return found


@pytest.mark.parametrize("name,lang", FORMS_AND_LANGS)
def test_every_widget_is_a_form_element_named_with_its_option(forms, blank_pdf, name, lang):
    """A screen reader tells "Ja" from "Delvis": each box's name has its option's label."""
    form = forms[name]
    layout = build_layout(form, lang)
    with pikepdf.open(io.BytesIO(blank_pdf(name, lang))) as pdf:
        elements = _form_elements(pdf)
        names = [str(el.Alt) for el in elements.values()]
    assert len(elements) == len(layout.widgets())
    for w in layout.widgets():
        matching = [n for n in names if n.startswith(f"{w.tooltip}")]
        assert matching, f"{w.field}: no Form element named {w.tooltip!r}"
        if w.kind in ("radio", "checkbox"):
            assert f"{w.tooltip} – {w.option_label}" in names, (w.field, w.on)
    tick_names = [
        f"{w.tooltip} – {w.option_label}"
        for w in layout.widgets()
        if w.kind in ("radio", "checkbox")
    ]
    assert len(set(tick_names)) == len(tick_names), "two boxes a screen reader cannot tell apart"


def test_reading_order_follows_the_form(forms, blank_pdf):
    """Title, then the sections and questions in their order, each question's label
    before its boxes; nothing of the page furniture (header, footer, QR) in it."""
    form = forms["patient"]
    dump = reading_order(blank_pdf("patient", "sv"))
    lines = dump.splitlines()
    assert lines[0] == "Document"
    assert lines[1].startswith("  H1: Frågor till patient")
    where = []
    for q in form.answerable:
        # a question printed without a number (numbered: false) begins with its label
        first = f"{q.number}. " if q.number is not None else q.label["sv"][:20]
        label = next(i for i, line in enumerate(lines) if line.strip().startswith(f"P: {first}"))
        first_box = next(
            i for i, line in enumerate(lines) if f"[field {q.field_names()[0]}]" in line
        )
        assert label < first_box, q.id
        where.append(label)
    assert where == sorted(where)
    for furniture in ("Sida 1 av", "version ", f"PF{EDITION}|", "pdfforms"):
        assert furniture not in dump


def test_reading_order_doc_is_current(blank_pdf):
    """docs/reading-order.md is the dump of today's Swedish patient form
    (python scripts/reading_order.py rewrites it)."""
    text = READING_ORDER_DOC.read_text(encoding="utf-8")
    dump = reading_order(blank_pdf("patient", "sv"))
    assert dump in text


@pytest.mark.parametrize("name", ["patient", "all_types", "vardplan"])
def test_flattened_copy_passes_and_says_what_was_ticked(forms, blank_pdf, name):
    """`pdfforms fill --flatten`: the fields become drawn content, each still in its
    Form element, now with PrintField attributes saying what it was and whether it
    is ticked (the widgets and their names are gone)."""
    form = forms[name]
    answers = rich_answers(form)
    flat = fill_answers(blank_pdf(name), form, answers, flatten=True)
    assert _both(flat) == []
    ticked, boxes = set(), 0
    with pikepdf.open(io.BytesIO(flat)) as pdf:
        for page in pdf.pages:
            assert "/Annots" not in page.obj or not any(
                a.get("/Subtype") == pikepdf.Name.Widget for a in page.obj.Annots
            )
        todo = [pdf.Root.StructTreeRoot]
        while todo:
            node = todo.pop()
            kids = node.get("/K", [])
            todo += [
                k
                for k in (kids if isinstance(kids, pikepdf.Array) else [kids])
                if isinstance(k, pikepdf.Dictionary) and "/S" in k
            ]
            if node.get("/S") == pikepdf.Name.Form:
                assert node.A.O == pikepdf.Name.PrintField
                if node.A.Role in (pikepdf.Name.rb, pikepdf.Name.cb):
                    boxes += 1
                    if node.A.checked == pikepdf.Name.on:
                        ticked.add(str(node.Alt))
    layout = build_layout(form, form.default_language)
    tick_widgets = [w for w in layout.widgets() if w.kind in ("radio", "checkbox")]
    assert boxes == len(tick_widgets)
    want = set()
    for w in tick_widgets:
        value = answers.get(w.question)
        if w.kind == "checkbox":
            on = isinstance(value, list) and w.on in value
        elif isinstance(value, dict):  # a grid row
            on = value.get(w.field.split("__", 1)[1]) == w.on
        elif isinstance(value, bool):
            on = w.on == ("yes" if value else "no")
        else:
            on = value is not None and str(value) == w.on
        if on:
            want.add(f"{w.tooltip} – {w.option_label}")
    assert ticked == want


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large"])
def test_print_run_passes_with_a_part_per_copy(forms, tmp_path, large_print):
    """A print run (pages sharing the template's content, a cover letter, pre-filled
    values, copies in two languages) and its split fillable copies pass both; each
    copy is a Part in its own language with its own elements, and a pre-filled
    value is the content of its field's element."""
    form = forms["patient"]
    copies = [
        Copy(serial, lang, answers, {"namn": "Åsa Öberg"}, row)
        for serial, lang, answers, row in zip(
            new_serials(3),
            ["sv", "en", "sv"],
            [{"datum": "2026-12-01", "nasta_steg": "ja"}, {}, {"kontaktvagar": ["video"]}],
            [2, 3, 4],
            strict=True,
        )
    ]
    cover = "# Hej {namn}!\n\nVi vill veta vad som är viktigt för dig.\nTack!\n\nVårdcentralen"
    result = print_run(
        form, copies, tmp_path / "run.pdf", cover=cover, split=True, large_print=large_print
    )
    data = result.output.read_bytes()
    assert _both(data) == []
    for copy in copies:
        assert _both((result.split_dir / f"{copy.serial}.pdf").read_bytes()) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.check_pdf_syntax() == []
        parts = list(pdf.Root.StructTreeRoot.K.K)
        assert [str(p.Lang) for p in parts] == ["sv-SE", "en-GB", "sv-SE"]
        assert len({p.objgen for p in parts}) == 3
        todo, fields = list(parts), 0
        while todo:
            node = todo.pop()
            kids = node.get("/K", [])
            todo += [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]
            if node.S == pikepdf.Name.Form:  # a printed field, not a widget
                assert node.A.O == pikepdf.Name.PrintField, node.get("/Alt")
                fields += 1
        assert fields == 3 * len(build_layout(form, "sv").widgets())
    dump = reading_order(data)
    assert dump.count("H1: Hej Åsa Öberg!") == 3
    assert dump.count("H1: Frågor till patient") == 2
    assert dump.count(f"H1: {tr(form.title, 'en')}") == 1
    assert "P: Vi vill veta vad som är viktigt för dig. Tack!" in dump
    # the pre-filled values are drawn, and read, as their fields' content; a date in
    # comb cells (layout edition 4) is drawn one character a cell, which pdfplumber
    # reads apart, and is said whole by its /ActualText
    assert "2026-12-01" in dump.split("Part")[1].replace(" ", "")
    assert "2026-12-01" not in dump.split("Part")[3].replace(" ", "")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        said = b"/ActualText <FEFF" + "2026-12-01".encode("utf-16-be").hex().upper().encode()
        streams = [
            c.read_bytes()
            for page in pdf.pages
            for c in (
                page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents]
            )
        ]
        assert any(said in stream for stream in streams)


def test_a_text_without_a_role_is_refused_not_hidden(forms):
    """A text the structure tree has no place for would be skipped by a screen
    reader without anyone noticing: drawing it is refused, naming it."""
    form = forms["patient"]
    layout = build_layout(form, "sv")
    layout.pages[0].texts.append(TextItem(100, 100, "Personuppgiftsansvarig: X", "Helvetica", 12))
    with pytest.raises(ValueError, match="Personuppgiftsansvarig"):
        render(form, layout)


def test_print_run_in_the_other_languages_passes(forms, tmp_path):
    """Copies in Finnish, Northern Sami, Ukrainian and Arabic in one run: each a Part in
    its language, and the file passes both validators (no Helvetica exception: nothing
    is pre-filled)."""
    form = forms["patient"]
    langs = ["fi", "se", "uk", "ar"]
    copies = [Copy(serial, lang) for serial, lang in zip(new_serials(4), langs, strict=True)]
    data = print_run(form, copies, tmp_path / "run.pdf").output.read_bytes()
    assert page_failures(data) == []
    assert pdfua_findings(data) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        parts = list(pdf.Root.StructTreeRoot.K.K)
        assert [str(p.Lang) for p in parts] == [LANG_TAGS[lang] for lang in langs]
