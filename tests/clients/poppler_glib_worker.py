"""Fill or read a PDF form with poppler's GLib API, as Evince does. Run by /usr/bin/python3.

This script runs under the system Python (it needs PyGObject and the Poppler
typelib, which the project's virtualenv cannot import), so it uses only the
standard library and `gi`. `poppler_glib.py` is its wrapper.

Request, one JSON object on stdin:

    {"mode": "fill" | "read",
     "pdf": "<base64 of the file>",
     "values": {field: str | bool | null},          # fill only
     "widgets": [{"page": 1, "field": "q1", "kind": "radio", "on": "yes",
                  "rect": [x1, y1, x2, y2], "options": [[label, export], ...]}]}

Reply, one JSON object on stdout: fill → {"pdf": "<base64 of the saved file>"};
read → {"values": {field: str | bool | null}}.

poppler-glib 22.12 has no getter for a button's on-state (export value) nor for
a choice item's export value (`choice_get_item` gives the display label), so
radio widgets are told apart by matching their rectangle with the layout's, and
choice items by matching their labels with the layout's (label, export) pairs.

Filling does what Evince does when a person types and clicks:
`text_set_text`, `button_set_state`, `choice_select_item`, then
`poppler_document_save` (Evince's Save), which writes an incremental update.
A field already holding the wanted value is not touched.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import tempfile

import gi

gi.require_version("Poppler", "0.18")
from gi.repository import Poppler  # noqa: E402

RECT_TOLERANCE = 2.0  # points


def _fail(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.exit(2)


def _mappings(doc):
    """(page number, field, area) for every widget of every page."""
    out = []
    for i in range(doc.get_n_pages()):
        page = doc.get_page(i)
        _w, height = page.get_size()
        for m in page.get_form_field_mapping():
            a = m.area
            out.append((i + 1, m.field, (a.x1, a.y1, a.x2, a.y2), height))
    return out


def _distance(area, rect, height) -> float:
    """How far a poppler area is from a layout rect; either y convention is accepted."""
    direct = max(abs(a - b) for a, b in zip(area, rect, strict=True))
    flipped_rect = (rect[0], height - rect[3], rect[2], height - rect[1])
    flipped = max(abs(a - b) for a, b in zip(area, flipped_rect, strict=True))
    return min(direct, flipped)


def _on_state(page, field, area, height, layout_widgets) -> str | None:
    """The on-state of a radio widget: the layout widget of that field at the same spot."""
    best, best_d = None, None
    for w in layout_widgets:
        if w["page"] != page:
            continue
        d = _distance(area, w["rect"], height)
        if best_d is None or d < best_d:
            best, best_d = w, d
    if best is None or best_d > RECT_TOLERANCE:
        return None
    return best["on"]


def _field_name(field) -> str:
    return field.get_name() or field.get_partial_name() or ""


def _item_exports(field, options) -> list[str]:
    """Export value of each poppler item, by matching labels with the layout's options."""
    by_label = {}
    for label, export in options:
        by_label.setdefault(label, export)
    exports = []
    for k in range(field.choice_get_n_items()):
        label = field.choice_get_item(k)
        exports.append(by_label.get(label, label))
    return exports


def _index(request):
    by_field: dict[str, list[dict]] = {}
    for w in request.get("widgets", []):
        by_field.setdefault(w["field"], []).append(w)
    return by_field


def _read(doc, by_field) -> dict:
    values: dict[str, object] = {}
    for page, field, area, height in _mappings(doc):
        name = _field_name(field)
        kind = field.get_field_type()
        if kind == Poppler.FormFieldType.TEXT:
            text = field.text_get_text()
            values[name] = text if text else None
        elif kind == Poppler.FormFieldType.BUTTON:
            btype = field.button_get_button_type()
            if btype == Poppler.FormButtonType.CHECK:
                values[name] = bool(field.button_get_state())
            elif btype == Poppler.FormButtonType.RADIO:
                values.setdefault(name, None)
                if field.button_get_state():
                    on = _on_state(page, field, area, height, by_field.get(name, []))
                    values[name] = on if on is not None else f"?unmatched widget at {list(area)}"
        elif kind == Poppler.FormFieldType.CHOICE:
            layout = by_field.get(name, [{}])[0]
            exports = _item_exports(field, layout.get("options", []))
            chosen = [exports[k] for k in range(len(exports)) if field.choice_is_item_selected(k)]
            if chosen:
                value = chosen[0]
            elif field.choice_is_editable():
                value = field.choice_get_text()
            else:
                value = None
            values[name] = value if value and value.strip() else None
    return values


def _fill(doc, values: dict, by_field) -> None:
    seen = set()
    for page, field, area, height in _mappings(doc):
        name = _field_name(field)
        if name not in values:
            continue
        value = values[name]
        kind = field.get_field_type()
        if kind == Poppler.FormFieldType.TEXT:
            want = value or ""
            if (field.text_get_text() or "") != want:
                field.text_set_text(want)
        elif kind == Poppler.FormFieldType.BUTTON:
            btype = field.button_get_button_type()
            if btype == Poppler.FormButtonType.CHECK:
                want = bool(value)
                if bool(field.button_get_state()) != want:
                    field.button_set_state(want)
            elif btype == Poppler.FormButtonType.RADIO:
                on = _on_state(page, field, area, height, by_field.get(name, []))
                if on is None:
                    where = f"on page {page} at {list(area)}"
                    _fail(f"radio widget of {name!r} {where} matches no layout widget")
                if value is not None and on == str(value):
                    seen.add(name)
                    if not field.button_get_state():
                        field.button_set_state(True)
                elif value is None and field.button_get_state():
                    field.button_set_state(False)
        elif kind == Poppler.FormFieldType.CHOICE:
            layout = by_field.get(name, [{}])[0]
            exports = _item_exports(field, layout.get("options", []))
            current = [k for k in range(len(exports)) if field.choice_is_item_selected(k)]
            if value is None or value == "":
                if current:
                    field.choice_unselect_all()
                continue
            if str(value) not in exports:
                if field.choice_is_editable():
                    field.choice_set_text(str(value))
                    continue
                _fail(f"choice {name!r} has no item with export value {value!r} (items: {exports})")
            k = exports.index(str(value))
            if current != [k]:
                field.choice_unselect_all()
                field.choice_select_item(k)
    missing = [
        n
        for n, v in values.items()
        if v is not None and n in by_field and by_field[n][0]["kind"] == "radio" and n not in seen
    ]
    if missing:
        _fail(f"no radio widget found for the value of {missing}")


def main() -> None:
    request = json.load(sys.stdin)
    mode = request.get("mode")
    data = base64.b64decode(request["pdf"])
    by_field = _index(request)
    with tempfile.TemporaryDirectory(prefix="poppler-glib-") as tmp:
        src = os.path.join(tmp, "in.pdf")
        with open(src, "wb") as fh:
            fh.write(data)
        doc = Poppler.Document.new_from_file("file://" + src, None)
        if mode == "read":
            json.dump({"values": _read(doc, by_field)}, sys.stdout, ensure_ascii=False)
            return
        if mode != "fill":
            _fail(f"unknown mode {mode!r}")
        _fill(doc, request.get("values", {}), by_field)
        dst = os.path.join(tmp, "out.pdf")
        if not doc.save("file://" + dst):
            _fail("poppler_document_save returned FALSE")
        with open(dst, "rb") as fh:
            out = fh.read()
    json.dump({"pdf": base64.b64encode(out).decode("ascii")}, sys.stdout)


if __name__ == "__main__":
    main()
