"""Read the values of a filled PDF's AcroForm fields, whatever program saved it.

A raw walk of `/AcroForm /Fields` with pikepdf: it costs a fraction of a
millisecond per form (pypdf's `get_fields()` costs about 20 times more, see
PDF-NOTES), and each viewer's way of storing a value is absorbed here:

- text `/V` in PDFDocEncoding or UTF-16 with either byte-order mark, newlines
  as `\\r\\n` or `\\r` (PDFium);
- radio values as a name on the parent (pdf.js, PDFium, poppler), as a string
  `"/ja"` on the parent and every widget (pypdf), or only as a widget's `/AS`;
- checkbox on-states other than `/Yes`, or stored as strings;
- choice values as a string, a name, or an array `[(value)]` (pdftk FDF), with a
  stale `/I` ignored;
- incremental updates: qpdf resolves the newest revision of every object.
"""

from __future__ import annotations

import pikepdf

from .raw import RawForm, ReadError

RADIO_FLAG = 1 << 15
PUSHBUTTON_FLAG = 1 << 16
OFF_STATES = {"", "Off", "off", "OFF"}
# Deeper field trees are loops, not forms: ours are two levels deep, a viewer's three.
MAX_DEPTH = 32

# Every access to a pikepdf object crosses into C++, and the first touch of an
# indirect object makes qpdf parse it from the file (several µs each: more than
# all the Python here). So the walk touches as few objects, and asks each as few
# questions, as it can: a button's widgets are opened only when its /V is
# unusable, and keys that are usually absent are tested with `in` first (a
# `.get()` of a missing key raises and catches inside pikepdf, which costs 2 µs;
# a `.get()` of a present key is the cheapest read).
_ARRAY = pikepdf.Array
_DICTIONARY = pikepdf.Dictionary
_NAME = pikepdf.Name
_STRING = pikepdf.String
_OBJECT = pikepdf.Object
_NOTHING_INHERITED: dict = {}


def _text(obj) -> str | None:
    """A PDF value as Python text; None for null/absent."""
    if obj is None:
        return None
    if isinstance(obj, _STRING):  # the usual case first
        raw = bytes(obj)
        if raw[:2] == b"\xff\xfe":  # UTF-16LE with BOM: not standard, but seen
            return raw[2:].decode("utf-16-le", errors="replace")
        return str(obj)
    if isinstance(obj, _NAME):
        return str(obj)[1:]
    if isinstance(obj, _ARRAY):
        return _text(obj[0]) if len(obj) else None
    if isinstance(obj, (int, float, _OBJECT)):
        try:
            return str(obj)
        except Exception:  # noqa: BLE001 - an odd object is simply no value
            return None
    return None


def _normalise_newlines(text: str) -> str:
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _state(widget) -> str | None:
    if "/AS" not in widget:
        return None
    value = _text(widget["/AS"])
    return None if value is None or value in OFF_STATES else value


def _button_value(v, widgets) -> str | None:
    """A button's on-state: its usable /V, else the state of the widget that is on.

    `widgets` is an iterable opened only when /V is unusable (a pikepdf array of
    kids is filtered to dictionaries here).
    """
    value = _text(v)
    if value is not None:
        value = value.lstrip("/")  # pypdf writes the name as a string "/ja"
        if value in OFF_STATES:
            value = None
    if value is not None:
        # A usable /V wins, as PDF-NOTES found every client keeps it current. The
        # widgets are not opened: that would cost more than reading all values.
        return value
    # No usable /V: the widget that is switched on tells.
    for w in widgets:
        if isinstance(w, _DICTIONARY):
            state = _state(w)
            if state is not None:
                return state
    return None


def _terminal(field, name: str, inherited: dict, out: dict[str, str | None], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ReadError("the form's field tree is nested too deeply (a loop?)")
    # A value is never None in pikepdf (a null is an absent key), so None means
    # "not on this field": take the inherited one.
    ft = field.get("/FT")
    if ft is None:
        ft = inherited.get("/FT")
    ff = field.get("/Ff")
    if ff is None:
        ff = inherited.get("/Ff", 0)
    v = field.get("/V") if "/V" in field else inherited.get("/V")
    kids = None  # the widget kids (or the field itself), opened only when needed
    widgets = None
    if "/Kids" in field:
        kids = field.get("/Kids")
        if not isinstance(kids, _ARRAY) or not len(kids):
            kids = None
        else:
            first = kids[0]
            if isinstance(first, _DICTIONARY) and "/T" in first:
                # A field with child fields (a hierarchy such as "a.b"): walk them.
                passed = {"/FT": ft, "/Ff": ff, "/V": v}
                widgets = []
                for kid in kids:
                    if not isinstance(kid, _DICTIONARY):
                        continue
                    if "/T" not in kid:
                        widgets.append(kid)
                        continue
                    kid_name = _text(kid.get("/T")) or ""
                    full = f"{name}.{kid_name}" if name else kid_name
                    _terminal(kid, full, passed, out, depth + 1)
                if not widgets:
                    return
    try:
        flags = int(ff or 0)
    except (TypeError, ValueError):
        flags = 0
    kind = str(ft) if ft is not None else ""
    if kind == "/Btn":
        if flags & PUSHBUTTON_FLAG:
            return
        if widgets is None:
            widgets = kids if kids is not None else (field,)
        out[name] = _button_value(v, widgets)
    elif kind == "/Sig":
        return
    else:  # /Tx, /Ch, or a field that does not say
        value = _text(v)
        out[name] = _normalise_newlines(value) if value is not None else None


def read_fields(pdf: pikepdf.Pdf) -> dict[str, str | None] | None:
    """Field name → raw value (text, a button's on-state, or None); None if no fields."""
    acro = pdf.Root.get("/AcroForm")
    fields = acro.get("/Fields") if isinstance(acro, pikepdf.Dictionary) else None
    out: dict[str, str | None] = {}
    if isinstance(fields, pikepdf.Array) and len(fields):
        for fld in fields:
            if isinstance(fld, pikepdf.Dictionary):
                _terminal(fld, _text(fld.get("/T")) or "", _NOTHING_INHERITED, out, 0)
    if not out:
        # Some savers drop /AcroForm but keep the widgets on the pages.
        seen: set = set()
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []) or []:
                if not isinstance(annot, pikepdf.Dictionary) or annot.get("/Subtype") != "/Widget":
                    continue
                top = annot
                for _ in range(MAX_DEPTH):  # a /Parent cycle must not climb for ever
                    if "/T" in top or not isinstance(top.get("/Parent"), pikepdf.Dictionary):
                        break
                    top = top.Parent
                else:
                    raise ReadError("the form's field tree has a loop in a /Parent chain")
                key = top.objgen if top.is_indirect else id(top)
                if key in seen or "/T" not in top:
                    continue
                seen.add(key)
                _terminal(top, _text(top.get("/T")) or "", {}, out, 0)
    return out or None


def read_acroform(pdf: pikepdf.Pdf, raw: RawForm) -> bool:
    """Fill `raw.fields` from the form fields; False when the file has none."""
    fields = read_fields(pdf)
    if fields is None:
        return False
    raw.fields = fields
    raw.kind = "acroform"
    return True
