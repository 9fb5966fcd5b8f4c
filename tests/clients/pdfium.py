r"""PDFium (Chrome, Edge) as a test client: fill like a person, read, flatten.

`fill` drives PDFium's form-fill API as a person in Chrome's viewer would: a
click into each text field, select-all, one `FORM_OnChar` per character. A
newline is the Return key: `FORM_OnKeyDown(FWL_VKEY_Return)` alone does
nothing in a multi-line field, the character '\r' through `FORM_OnChar` makes
the line break (stored as `\r\n`), so both are sent as a keyboard does; a text
is cleared with select-all and Delete. A tick box is clicked when its state is
not the one wanted, a radio group on the option to choose (PDFium cannot switch
a chosen option off again: asking for that raises ValueError); a dropdown is
focused with a click and its entry picked with `FORM_SetIndexSelected` (index 0
is the blank entry " "). What already holds the wanted value is not touched, so
a filled file can be filled again. Focus is killed after every field so PDFium
commits the value, and the document is saved as Chrome saves it, a full rewrite
(`FPDF_SaveAsCopy` flags 0), or incrementally (`FPDF_INCREMENTAL`).

`read` reports what PDFium itself reads for each field; `flatten` is PDFium's
own `FPDFPage_Flatten(FLAT_PRINT)` of every page.

Page objects are kept alive while their `.raw` handle is in use (PDF-NOTES: a
temporary `pdf[0].raw` segfaulted).
"""

from __future__ import annotations

import ctypes
import io

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from pdfforms.generate.render import BLANK_CHOICE  # " ", the first entry of every dropdown

NAME = "pdfium"

WIDGET_SUBTYPE = raw.FPDF_ANNOT_WIDGET
FWL_VKEY_DELETE = 0x2E


def available() -> str | None:
    """None: pypdfium2 is a test dependency and always present."""
    return None


# --------------------------------------------------------------------------- helpers


def _wide(fn, *args) -> str:
    """Call a PDFium getter that fills a UTF-16LE buffer (size query, then fill)."""
    size = fn(*args, None, 0)
    if size <= 2:
        return ""
    buf = ctypes.create_string_buffer(size)
    fn(*args, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)), size)
    return buf.raw[: size - 2].decode("utf-16-le")


def _open(pdf: bytes) -> tuple[pdfium.PdfDocument, list]:
    doc = pdfium.PdfDocument(pdf)
    doc.init_forms()  # before any page is loaded
    # get_page() calls FORM_OnAfterLoadPage itself when a form env exists.
    pages = [doc[i] for i in range(len(doc))]
    return doc, pages


def _save(doc: pdfium.PdfDocument, pages: list, flags: int) -> bytes:
    handle = doc.formenv.raw if doc.formenv else None
    if handle is not None:
        for page in pages:
            raw.FORM_OnBeforeClosePage(page.raw, handle)
    out = io.BytesIO()
    doc.save(out, flags=flags)
    for page in pages:
        page.close()
    doc.close()
    return out.getvalue()


def _click(handle, page, x: float, y: float) -> None:
    raw.FORM_OnMouseMove(handle, page.raw, 0, x, y)
    raw.FORM_OnLButtonDown(handle, page.raw, 0, x, y)
    raw.FORM_OnLButtonUp(handle, page.raw, 0, x, y)


def _type(handle, page, text: str) -> None:
    for ch in text.replace("\r\n", "\n").replace("\r", "\n"):
        if ch == "\n":
            # The key-down alone does nothing in a multi-line field; the character
            # '\r' inserts the line break. A keyboard sends both, so do we.
            raw.FORM_OnKeyDown(handle, page.raw, raw.FWL_VKEY_Return, 0)
            raw.FORM_OnChar(handle, page.raw, 0x0D, 0)
            raw.FORM_OnKeyUp(handle, page.raw, raw.FWL_VKEY_Return, 0)
            continue
        code = ord(ch)
        if code > 0xFFFF:
            raise ValueError("characters outside the BMP are not supported by this client")
        raw.FORM_OnChar(handle, page.raw, code, 0)


def _focused_field(handle, page) -> str | None:
    """The name of the field that has focus, or None."""
    page_index = ctypes.c_int(-1)
    annot = raw.FPDF_ANNOTATION()
    if not raw.FORM_GetFocusedAnnot(handle, ctypes.byref(page_index), ctypes.byref(annot)):
        return None
    if not annot:
        return None
    try:
        return _wide(raw.FPDFAnnot_GetFormFieldName, handle, annot)
    finally:
        raw.FPDFPage_CloseAnnot(annot)


# --------------------------------------------------------------------------- fill


def fill(pdf: bytes, values: dict, layout, incremental: bool = False) -> bytes:
    """Fill `values` by clicking and typing, then save (full rewrite or incremental)."""
    doc, pages = _open(pdf)
    handle = doc.formenv.raw
    try:
        for page_layout, page in zip(layout.pages, pages, strict=True):
            by_field: dict[str, list] = {}
            for w in page_layout.widgets:
                by_field.setdefault(w.field, []).append(w)
            for name, widgets in by_field.items():
                if name in values:
                    _fill_field(handle, page, widgets, values[name])
    except BaseException:
        for page in pages:
            page.close()
        doc.close()
        raise
    flags = raw.FPDF_INCREMENTAL if incremental else 0
    return _save(doc, pages, flags)


def _fill_field(handle, page, widgets: list, value) -> None:
    """Act on one field as a person would; what is already right is left alone."""
    first = widgets[0]
    kind = first.kind
    if kind == "text":
        # Inside the box, near its top-left corner: the first line of a text area.
        x = first.x + min(8.0, first.w / 4)
        y = first.y + first.h - min(8.0, first.h / 2)
        text = "" if value is None else str(value)
        if text == (_state(handle, page, first, x, y) or ""):
            return
        _click(handle, page, x, y)
        _expect_focus(handle, page, first.field)
        raw.FORM_SelectAllText(handle, page.raw)
        if text:
            _type(handle, page, text)  # typing replaces the selection
        else:
            _key(handle, page, FWL_VKEY_DELETE)
    elif kind == "checkbox":
        x, y = _centre(first)
        if bool(value) != bool(_state(handle, page, first, x, y)):
            _click(handle, page, x, y)
    elif kind == "radio":
        current = None
        for w in widgets:
            if _state(handle, page, w, *_centre(w)):
                current = w.on
        if value is None:
            if current is not None:
                raise ValueError(f"{first.field}: PDFium cannot switch a chosen radio option off")
            return
        target = next((w for w in widgets if w.on == str(value)), None)
        if target is None:
            raise ValueError(f"{first.field}: no option {value!r}")
        if current != target.on:
            _click(handle, page, *_centre(target))
    elif kind == "choice":
        exports = [BLANK_CHOICE] + [export for _label, export in first.options]
        wanted = BLANK_CHOICE if value is None else str(value)
        if wanted not in exports:
            raise ValueError(f"{first.field}: no option {value!r}")
        x, y = first.x + 8.0, first.y + first.h / 2  # the text part, left of the arrow
        current = _state(handle, page, first, x, y)
        if (current or BLANK_CHOICE).strip() == wanted.strip():
            return
        _click(handle, page, x, y)
        _expect_focus(handle, page, first.field)
        # What picking an entry of the opened list does; the keyboard (Down
        # arrow, or an entry's first letter) sets the same /V and /I.
        if not raw.FORM_SetIndexSelected(handle, page.raw, exports.index(wanted), 1):
            raise RuntimeError(f"{first.field}: FORM_SetIndexSelected failed")
    else:
        raise ValueError(f"unknown widget kind {kind}")
    raw.FORM_ForceToKillFocus(handle)


def _centre(w) -> tuple[float, float]:
    return w.x + w.w / 2, w.y + w.h / 2


def _key(handle, page, code: int) -> None:
    raw.FORM_OnKeyDown(handle, page.raw, code, 0)
    raw.FORM_OnKeyUp(handle, page.raw, code, 0)


def _state(handle, page, widget, x: float, y: float):
    """What the widget under (x, y) holds now: text/choice value, or checked (bool)."""
    point = raw.FS_POINTF(x, y)
    annot = raw.FPDFAnnot_GetFormFieldAtPoint(handle, page.raw, ctypes.byref(point))
    if not annot:
        raise RuntimeError(f"{widget.field}: no form field at ({x:.1f}, {y:.1f})")
    try:
        name = _wide(raw.FPDFAnnot_GetFormFieldName, handle, annot)
        if name != widget.field:
            raise RuntimeError(f"{widget.field}: the field at ({x:.1f}, {y:.1f}) is {name!r}")
        if widget.kind in ("checkbox", "radio"):
            return bool(raw.FPDFAnnot_IsChecked(handle, annot))
        return _wide(raw.FPDFAnnot_GetFormFieldValue, handle, annot)
    finally:
        raw.FPDFPage_CloseAnnot(annot)


def _expect_focus(handle, page, name: str) -> None:
    focused = _focused_field(handle, page)
    if focused != name:
        raise RuntimeError(f"clicking {name} focused {focused!r} instead")


# --------------------------------------------------------------------------- read


def read(pdf: bytes) -> dict[str, str | bool | None]:
    """Each field's value as PDFium reads it (text/choice: str or None; box: bool)."""
    doc, pages = _open(pdf)
    handle = doc.formenv.raw if doc.formenv else None
    out: dict[str, str | bool | None] = {}
    try:
        if handle is None:
            return out
        for page in pages:
            for i in range(raw.FPDFPage_GetAnnotCount(page.raw)):
                annot = raw.FPDFPage_GetAnnot(page.raw, i)
                if not annot:
                    continue
                try:
                    if raw.FPDFAnnot_GetSubtype(annot) != WIDGET_SUBTYPE:
                        continue
                    _read_widget(handle, annot, out)
                finally:
                    raw.FPDFPage_CloseAnnot(annot)
    finally:
        for page in pages:
            page.close()
        doc.close()
    return out


def _read_widget(handle, annot, out: dict) -> None:
    name = _wide(raw.FPDFAnnot_GetFormFieldName, handle, annot)
    kind = raw.FPDFAnnot_GetFormFieldType(handle, annot)
    if kind == raw.FPDF_FORMFIELD_CHECKBOX:
        out[name] = bool(out.get(name)) or bool(raw.FPDFAnnot_IsChecked(handle, annot))
    elif kind == raw.FPDF_FORMFIELD_RADIOBUTTON:
        out.setdefault(name, None)
        if raw.FPDFAnnot_IsChecked(handle, annot):
            out[name] = _wide(raw.FPDFAnnot_GetFormFieldExportValue, handle, annot) or None
    elif kind in (
        raw.FPDF_FORMFIELD_TEXTFIELD,
        raw.FPDF_FORMFIELD_COMBOBOX,
        raw.FPDF_FORMFIELD_LISTBOX,
    ):
        value = _wide(raw.FPDFAnnot_GetFormFieldValue, handle, annot)
        if kind == raw.FPDF_FORMFIELD_TEXTFIELD:
            # PDFium keeps the line breaks it stores (\r\n); a viewer shows \r\n, \r
            # and \n alike, so they are reported as \n.
            value = value.replace("\r\n", "\n").replace("\r", "\n")
            out[name] = value or None
        else:  # the blank first entry " " of our dropdowns is no choice
            out[name] = value if value.strip() else None


def field_flags(pdf: bytes) -> dict[str, int]:
    """Each field's flags (/Ff) as PDFium reads them (FPDFAnnot_GetFormFieldFlags)."""
    doc, pages = _open(pdf)
    handle = doc.formenv.raw if doc.formenv else None
    out: dict[str, int] = {}
    try:
        for page in pages:
            for i in range(raw.FPDFPage_GetAnnotCount(page.raw)):
                annot = raw.FPDFPage_GetAnnot(page.raw, i)
                if not annot:
                    continue
                try:
                    if raw.FPDFAnnot_GetSubtype(annot) == WIDGET_SUBTYPE and handle:
                        name = _wide(raw.FPDFAnnot_GetFormFieldName, handle, annot)
                        out[name] = raw.FPDFAnnot_GetFormFieldFlags(handle, annot)
                finally:
                    raw.FPDFPage_CloseAnnot(annot)
    finally:
        for page in pages:
            page.close()
        doc.close()
    return out


# --------------------------------------------------------------------------- flatten


def flatten(pdf: bytes) -> bytes:
    """PDFium's own flattening (FLAT_PRINT) of every page, saved as a full rewrite."""
    doc, pages = _open(pdf)
    try:
        for page in pages:
            rc = raw.FPDFPage_Flatten(page.raw, raw.FLAT_PRINT)
            if rc == raw.FLATTEN_FAIL:
                raise RuntimeError("FPDFPage_Flatten failed")
    except BaseException:
        for page in pages:
            page.close()
        doc.close()
        raise
    return _save(doc, pages, 0)


def render(pdf: bytes, dpi: int = 100, with_forms: bool = True) -> list:
    """Every page drawn by PDFium as a grayscale numpy array (fields drawn unless told not)."""
    import numpy as np

    doc = pdfium.PdfDocument(pdf)
    if with_forms:
        doc.init_forms()
    images = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            bitmap = page.render(scale=dpi / 72, grayscale=True, may_draw_forms=with_forms)
            images.append(np.asarray(bitmap.to_pil().convert("L")))
            page.close()
    finally:
        doc.close()
    return images


def render_page(pdf: bytes, index: int, dpi: int = 150, with_forms: bool = True):
    """One page drawn by PDFium as a grayscale numpy array."""
    import numpy as np

    doc = pdfium.PdfDocument(pdf)
    try:
        if with_forms:
            doc.init_forms()
        page = doc[index]
        bitmap = page.render(scale=dpi / 72, grayscale=True, may_draw_forms=with_forms)
        image = np.asarray(bitmap.to_pil().convert("L"))
        page.close()
    finally:
        doc.close()
    return image
