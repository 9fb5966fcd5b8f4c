"""Write values into a generated form so that every viewer shows them.

PDF-NOTES found the traps in other programs' fillers, and this writer avoids
each one:

- a radio group's value is a *name* on the group, and every widget's `/AS` is
  switched to match (pypdf writes a string, which pdf.js and poppler show as
  nothing chosen);
- a choice field gets `/V` and no stale `/I` (pikepdf's Form keeps the old
  `/I`, and pdf.js and PDFium then show the old choice);
- every text and choice field gets a fresh appearance stream drawn by us, so
  viewers that do not redraw fields (and every print or flattening) show the
  value; `NeedAppearances` stays unset, because with it poppler redraws radio
  buttons in its own style.

Values are given per field name (SPEC §2), as `fields.answers_to_fields` makes them.
"""

from __future__ import annotations

import io

import pikepdf

from ..model import printable
from ..model.errors import PdfformsError
from ..model.form import Form
from ..model.messages import text as msg
from .fields import FieldValue, answers_to_fields
from .overlay import ValueFonts, text_ops, value_fonts, value_key
from .respondents import read_answers
from .tags import appearance_owners, tag_flattened


class FillError(PdfformsError, ValueError):
    """A value that the form's field cannot hold."""


def _text_appearance(
    pdf: pikepdf.Pdf,
    fonts: ValueFonts,
    rect,
    text: str,
    size: float,
    multiline: bool,
    comb: int = 0,
) -> pikepdf.Stream:
    x0, y0, x1, y1 = (float(v) for v in rect)
    w, h = x1 - x0, y1 - y0
    box = [
        # a comb's printed cells lie under it on the page: no white ground over them
        *([] if comb else [b"1 1 1 rg", b"0 0 %.2f %.2f re f" % (w, h)]),
        b"0 0 0 RG 1 w",
        b"0.5 0.5 %.2f %.2f re S" % (w - 1, h - 1),
    ]
    ops = text_ops(text, w, h, size, multiline, comb=comb)
    stream = pikepdf.Stream(pdf, b"\n".join(box) + b"\n" + ops)
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Form
    stream.BBox = [0, 0, w, h]
    typed = value_fonts(text)
    stream.Resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary({value_key(typed): fonts.object(typed)})
    )
    return stream


def _font_size(field, default: float = 11.0) -> float:
    da = str(field.get("/DA", ""))
    parts = da.split()
    for i, part in enumerate(parts):
        if part == "Tf" and i >= 1:
            try:
                size = float(parts[i - 1])
                return size if size > 0 else default
            except ValueError:
                return default
    return default


def _widgets(field) -> list:
    kids = field.get("/Kids")
    if isinstance(kids, pikepdf.Array) and len(kids):
        return [k for k in kids if isinstance(k, pikepdf.Dictionary)]
    return [field]


def _on_state(widget) -> str | None:
    normal = widget.get("/AP", {}).get("/N") if "/AP" in widget else None
    if not isinstance(normal, pikepdf.Dictionary):
        return None
    states = [str(k)[1:] for k in normal.keys() if str(k) != "/Off"]
    return states[0] if states else None


def fill_answers(
    pdf: bytes, form: Form, answers: dict, lang: str | None = None, *, flatten: bool = False
) -> bytes:
    """A generated form of `form` in `lang`, filled with `answers` (SPEC §4's `answers`,
    or as a respondents CSV gives them: labels, `ja`/`nej`, dates as typed; a question
    left out is left blank), so that it parses back to them; with `flatten`, a copy
    without fields.

    Raises AnswerError, listing every fault, for answers the form cannot hold (an
    unknown question, a value the question does not offer, a condition the answers
    break) and FillError for one its field cannot show.
    """
    answers = read_answers(form, answers)
    filled = fill_pdf(pdf, answers_to_fields(form, answers, lang))
    return flatten_pdf(filled) if flatten else filled


def fill_pdf(pdf: bytes, values: dict[str, FieldValue]) -> bytes:
    """Return the PDF with each named field set; fields not named keep their value.

    Raises FillError for an unknown field, a value the field does not offer, or
    text its appearance cannot draw (printable.py): a stored value that shows
    as '?' or boxes on screen and on paper would be a different answer.
    """
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        fill_fields(doc, values)
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
    return out.getvalue()


def fill_fields(doc: pikepdf.Pdf, values: dict[str, FieldValue]) -> None:
    """Set fields of an open PDF (see fill_pdf)."""
    acro = doc.Root.AcroForm
    fields = {str(f.T): f for f in acro.Fields}
    unknown = [name for name in values if name not in fields]
    if unknown:
        raise FillError(msg("fill.no_fields", fields=", ".join(sorted(unknown))))
    unprintable = []
    for name, value in values.items():
        if str(fields[name].get("/FT", "")) == "/Tx" and isinstance(value, str):
            reason = printable.value_problem(value)
            if reason is not None:
                unprintable.append(
                    msg("fill.field_value", name=name, value=repr(value), reason=reason)
                )
    if unprintable:
        raise FillError("; ".join(unprintable))
    font = ValueFonts(doc)
    for name, value in values.items():
        field = fields[name]
        kind = str(field.get("/FT", ""))
        if kind == "/Btn":
            _set_button(field, name, value)
        elif kind == "/Ch":
            _set_choice(doc, font, field, name, value)
        else:
            _set_text(doc, font, field, value)
    if "/NeedAppearances" in acro:
        del acro["/NeedAppearances"]


def _set_text(doc, font, field, value) -> None:
    text = "" if value is None else str(value).replace("\r\n", "\n").replace("\r", "\n")
    if text:
        field.V = pikepdf.String(text)
    elif "/V" in field:
        del field["/V"]
    flags = int(field.get("/Ff", 0))
    multiline = bool(flags & (1 << 12))
    comb = int(field.get("/MaxLen", 0)) if flags & (1 << 24) else 0  # the Comb flag
    for widget in _widgets(field):
        ap = _text_appearance(doc, font, widget.Rect, text, _font_size(field), multiline, comb)
        widget.AP = pikepdf.Dictionary(N=doc.make_indirect(ap))


def _set_choice(doc, font, field, name: str, value) -> None:
    options = []
    for opt in field.get("/Opt", []):
        if isinstance(opt, pikepdf.Array):
            options.append((str(opt[0]), str(opt[1])))
        else:
            options.append((str(opt), str(opt)))
    label = ""
    if value is None or str(value).strip() == "":
        if "/V" in field:
            del field["/V"]
    else:
        match = [lbl for export, lbl in options if export == str(value)]
        if not match:
            allowed = ", ".join(e for e, _ in options if e.strip())
            raise FillError(msg("fill.not_option", name=name, value=repr(value), allowed=allowed))
        label = match[0]
        reason = printable.value_problem(label)
        if reason is not None:  # a definition read back without the check (model/definition.py)
            raise FillError(
                msg("fill.label", name=name, value=repr(value), label=repr(label), reason=reason)
            )
        field.V = pikepdf.String(str(value))
    if "/I" in field:
        del field["/I"]  # a stale index makes pdf.js and PDFium show the old choice
    for widget in _widgets(field):
        ap = _text_appearance(doc, font, widget.Rect, label, _font_size(field), False)
        widget.AP = pikepdf.Dictionary(N=doc.make_indirect(ap))


def _set_button(field, name: str, value) -> None:
    widgets = _widgets(field)
    states = [_on_state(w) for w in widgets]
    radio = bool(int(field.get("/Ff", 0)) & (1 << 15))
    if radio:
        if value is not None and value not in states:
            allowed = ", ".join(s for s in states if s)
            raise FillError(msg("fill.not_choice", name=name, value=repr(value), allowed=allowed))
        if value is None:
            if "/V" in field:
                del field["/V"]
        else:
            field.V = pikepdf.Name("/" + str(value))
        for widget, state in zip(widgets, states, strict=True):
            on = value is not None and state == value
            widget.AS = pikepdf.Name("/" + state) if on else pikepdf.Name.Off
            if "/V" in widget and widget is not field:
                del widget["/V"]  # pypdf leaves a copy here; one value, on the group
        return
    checked = bool(value) and value is not False
    on = states[0] or "Yes"
    state = pikepdf.Name("/" + on) if checked else pikepdf.Name.Off
    field.V = state
    for widget in widgets:
        widget.AS = state


def flatten_pdf(pdf: bytes) -> bytes:
    """A copy without fields: each field's appearance drawn into its page.

    It cannot be edited, and still parses: the reader of flattened copies reads it
    from the drawn page, as it does pdftk's and PDFium's flattening.
    """
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        owners = appearance_owners(doc)
        doc.flatten_annotations(mode="all")
        tag_flattened(doc, owners)
        if "/AcroForm" in doc.Root:
            del doc.Root["/AcroForm"]
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
    return out.getvalue()
