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

import re

import pikepdf

from ..model.messages import text as msg
from .raw import RawForm, ReadError

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


def decode_string(obj) -> tuple[str, bool]:
    """A PDF string as text, and whether it decoded cleanly.

    UTF-16 (either byte order) and UTF-8 with their byte-order marks are decoded
    here, strictly: qpdf drops a broken UTF-16 sequence without a word (a damaged
    text would read as blank) and raises on broken UTF-8. Anything else is
    PDFDocEncoding, which qpdf decodes, showing a byte it has no character for as
    U+FFFD.
    """
    raw = bytes(obj)
    if raw[:2] == b"\xfe\xff":
        codec, body = "utf-16-be", raw[2:]
    elif raw[:2] == b"\xff\xfe":  # UTF-16LE with BOM: not standard, but seen
        codec, body = "utf-16-le", raw[2:]
    elif raw[:3] == b"\xef\xbb\xbf":  # PDF 2.0's UTF-8
        codec, body = "utf-8", raw[3:]
    else:
        text = str(obj)
        return text, "\ufffd" not in text
    try:
        return body.decode(codec), True
    except UnicodeDecodeError:
        return body.decode(codec, errors="replace"), False


def _text(obj) -> str | None:
    """A PDF value as Python text; None for null/absent."""
    if obj is None:
        return None
    if isinstance(obj, _STRING):  # the usual case first
        return decode_string(obj)[0]
    if isinstance(obj, _NAME):
        try:
            return str(obj)[1:]
        except UnicodeDecodeError:  # bytes that are not UTF-8: shown as the file has them
            return obj.unparse().decode("latin-1")[1:]
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


# A string shown by a text operator (Tj, ', ") or inside a TJ array.
_SHOWN = re.compile(
    rb"(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)\s*(?:Tj|'|\")|\[([^\]]*)\]\s*TJ", re.S
)
_PIECE = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>")


def _shown_text(widgets) -> str:
    """What a text or choice field whose /V is blank shows: "" (no text), "text", or
    "unknown" (its look cannot be decoded).

    Every client in the viewer matrix draws a blank field's box without a text
    operator, and a filled one's text with one (tests/test_viewer_matrix.py, its
    blank and filled cases), so a blank value under a look that shows text is a
    file that contradicts itself.
    """
    for w in widgets:
        if not isinstance(w, _DICTIONARY) or "/AP" not in w:
            continue
        ap = w.get("/AP")
        normal = ap.get("/N") if isinstance(ap, _DICTIONARY) and "/N" in ap else None
        if not isinstance(normal, pikepdf.Stream):
            continue
        try:
            content = normal.read_bytes()
        except pikepdf.PdfError:
            return "unknown"
        for match in _SHOWN.finditer(content):
            pieces = [match[1]] if match[1] is not None else _PIECE.findall(match[2])
            for piece in pieces:
                inner = piece[1:-1]
                if piece[:1] == b"<":  # hex: an odd last digit counts as followed by 0
                    digits = bytes(c for c in inner if c not in b" \t\r\n\f\x00")
                    inner = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))
                if inner.strip(b" \t\r\n\x00"):
                    return "text"
    return ""


class _Walk:
    """What one walk of the field tree finds: values, types, and fields that cannot be read."""

    __slots__ = ("faults", "out", "types")

    def __init__(self) -> None:
        self.out: dict[str, str | None] = {}
        self.types: dict[str, str] = {}
        self.faults: dict[str, str] = {}

    def fault(self, name: str, why: str) -> None:
        self.out[name] = None
        self.faults[name] = why


def _button_value(v, widgets, merged, name: str, walk: _Walk) -> str | None:
    """A button's on-state: its usable /V, else the state of the widget that is on.

    `widgets` is an iterable opened only when /V is unusable (a pikepdf array of
    kids is filtered to dictionaries here); None when the field's /Kids is broken.
    `merged` is the field when it is its own widget (a checkbox), else None.
    """
    value = _text(v)
    if value is not None:
        value = value.lstrip("/")  # pypdf writes the name as a string "/ja"
        if value in OFF_STATES:
            value = None
    if value is not None:
        # A usable /V wins, as PDF-NOTES found every client keeps it current. A radio
        # group's widgets are not opened: that would cost more than reading all
        # values. A checkbox is its own widget, so what it shows is at hand: every
        # client stores /V and /AS alike, and a box that says one thing and shows
        # another is damaged.
        if merged is not None and "/AS" in merged and _state(merged) is None:
            walk.fault(name, msg("field.mark_not_shown", value=repr(value)))
            return None
        return value
    # No usable /V: the widget that is switched on tells.
    if widgets is None:
        walk.fault(name, msg("field.kids_broken"))
        return None
    for w in widgets:
        if not isinstance(w, _DICTIONARY):
            walk.fault(name, msg("field.widget_missing"))
            return None
        state = _state(w)
        if state is not None:
            if not _has_appearance(w, state):
                walk.fault(name, msg("field.state_without_look", state=repr(state)))
                return None
            return state
    return None


def _has_appearance(widget, state: str) -> bool:
    """Whether a widget has a normal appearance for `state` (or none to judge by)."""
    if "/AP" not in widget:
        return True  # nothing to compare with
    ap = widget.get("/AP")
    normal = ap.get("/N") if isinstance(ap, _DICTIONARY) and "/N" in ap else None
    if not isinstance(normal, _DICTIONARY) or isinstance(normal, pikepdf.Stream):
        return True  # a single appearance, not one per state
    return "/" + state in normal


def _terminal(field, name: str, inherited: dict, walk: _Walk, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ReadError(msg("read.fields_too_deep"))
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
    broken_kids = False
    if "/Kids" in field:
        kids = field.get("/Kids")
        if not isinstance(kids, _ARRAY) or not len(kids):
            kids = None
            broken_kids = True
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
                    _terminal(kid, full, passed, walk, depth + 1)
                if not widgets:
                    return
    try:
        flags = int(ff or 0)
    except (TypeError, ValueError):
        flags = 0
    kind = _text(ft) if isinstance(ft, _NAME) else ""
    kind = f"/{kind}" if kind else ""
    if kind == "/Btn":
        if flags & PUSHBUTTON_FLAG:
            return
        walk.types[name] = kind
        if widgets is None and not broken_kids:
            widgets = kids if kids is not None else (field,)
        merged = field if kids is None and not broken_kids else None
        walk.out[name] = _button_value(v, widgets, merged, name, walk)
    elif kind == "/Sig":
        return
    elif kind in ("/Tx", "/Ch"):
        walk.types[name] = kind
        if v is not None and isinstance(v, _STRING):
            value, clean = decode_string(v)
            if not clean:
                walk.fault(name, msg("field.text_undecodable"))
                return
        else:
            value = _text(v)
        if value is None or not value.strip():
            # A blank value: unless what the field shows says otherwise.
            shown = widgets if widgets is not None else kids if kids is not None else (field,)
            seen = _shown_text(shown)
            if seen:
                walk.fault(
                    name,
                    msg("field.text_shown_not_stored")
                    if seen == "text"
                    else msg("field.shown_undecodable"),
                )
                return
        walk.out[name] = _normalise_newlines(value) if value is not None else None
    else:
        walk.types[name] = ""
        why = msg("field.unknown_type", kind=kind) if kind else msg("field.no_type")
        walk.fault(name, msg("field.unreadable", why=why))


def _walk_fields(pdf: pikepdf.Pdf) -> _Walk:
    """Every field's raw value, type and fault: from /AcroForm, else from the pages' widgets."""
    walk = _Walk()
    acro = pdf.Root.get("/AcroForm")
    fields = acro.get("/Fields") if isinstance(acro, pikepdf.Dictionary) else None
    if isinstance(fields, pikepdf.Array) and len(fields):
        for fld in fields:
            if isinstance(fld, pikepdf.Dictionary):
                _terminal(fld, _text(fld.get("/T")) or "", _NOTHING_INHERITED, walk, 0)
    if not walk.out:
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
                    raise ReadError(msg("read.fields_loop"))
                key = top.objgen if top.is_indirect else id(top)
                if key in seen or "/T" not in top:
                    continue
                seen.add(key)
                _terminal(top, _text(top.get("/T")) or "", {}, walk, 0)
    return walk


def read_acroform(pdf: pikepdf.Pdf, raw: RawForm) -> bool:
    """Fill `raw.fields` (and what cannot be read) from the form fields; False when none."""
    walk = _walk_fields(pdf)
    if not walk.out and not walk.faults:
        return False
    raw.fields = walk.out
    raw.field_types = walk.types
    raw.field_faults = walk.faults
    raw.kind = "acroform"
    return True
