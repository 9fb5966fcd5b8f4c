"""pdftk-java as a test client: `fill_form` from FDF and from XFDF, and `flatten`.

The data files are written the way people hand them to pdftk: FDF with text
as UTF-16BE strings with a byte-order mark, radio and checkbox states as names;
XFDF as UTF-8 XML. Neither `need_appearances` nor `flatten` is passed to
`fill_form`, so pdftk (iText) draws the appearances itself.

Button on-states come from the PDF (the `/AP /N` keys of each widget), not from
an assumption, so a form whose checkboxes say `/Ja` instead of `/Yes` is filled
honestly, and a radio value that is not an on-state of its group is an error.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pikepdf

from pdfforms.model.layout import Layout

FieldValue = str | bool | None
TIMEOUT = 120  # seconds per pdftk run (a JVM start is about 0.3 s)


def program() -> str | None:
    return shutil.which("pdftk")


def available() -> str | None:
    """None when pdftk can be run, else the reason it cannot."""
    path = program()
    if path is None:
        return "pdftk is not installed (Debian: apt-get install pdftk-java)"
    try:
        done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"pdftk cannot be run: {exc}"
    if done.returncode != 0:
        return f"pdftk --version failed: {done.stderr.strip() or done.stdout.strip()}"
    return None


def _run(args: list[str], what: str) -> None:
    path = program()
    if path is None:
        raise RuntimeError("pdftk is not installed")
    try:
        done = subprocess.run([path, *args], capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"pdftk {what} took more than {TIMEOUT} s") from exc
    if done.returncode != 0:
        err = (done.stderr + done.stdout).decode("utf-8", errors="replace").strip()
        raise RuntimeError(f"pdftk {what} failed with exit code {done.returncode}:\n{err}")


# --------------------------------------------------------------------------- on-states


def button_states(pdf: bytes) -> dict[str, tuple[str, set[str]]]:
    """Field name → (kind, on-states) for every checkbox and radio group of a file.

    kind is "checkbox" or "radio"; on-states are the `/AP /N` keys other than Off.
    """
    out: dict[str, tuple[str, set[str]]] = {}
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        acro = doc.Root.get("/AcroForm")
        for fld in acro.get("/Fields", []) if acro is not None else []:
            if fld.get("/FT") != "/Btn":
                continue
            flags = int(fld.get("/Ff", 0))
            if flags & (1 << 16):  # push button
                continue
            kind = "radio" if flags & (1 << 15) else "checkbox"
            kids = list(fld.Kids) if "/Kids" in fld else [fld]
            states: set[str] = set()
            for w in kids:
                ap = w.get("/AP")
                normal = ap.get("/N") if ap is not None else None
                if isinstance(normal, pikepdf.Dictionary):
                    states |= {str(k)[1:] for k in normal.keys() if str(k) != "/Off"}
            out[str(fld.T)] = (kind, states)
    return out


def _state_for(name: str, value: FieldValue, buttons) -> str | None:
    """The state name to store for a button field, or None to leave it out."""
    kind, states = buttons[name]
    if kind == "checkbox":
        if value is None:
            return None
        if value is False:
            return "Off"
        if len(states) != 1:
            raise ValueError(f"checkbox {name!r} has on-states {sorted(states)}, expected one")
        return next(iter(states))
    if value is None or value == "":
        return None
    if str(value) not in states:
        raise ValueError(f"radio group {name!r} has no on-state {value!r} (has {sorted(states)})")
    return str(value)


# --------------------------------------------------------------------------- FDF


def _pdf_string(text: str) -> bytes:
    """A literal PDF string holding UTF-16BE with a byte-order mark.

    Every byte outside printable ASCII, and ( ) \\, is written as an octal
    escape, so no byte of the UTF-16 data can be taken for an end of line.
    """
    data = b"\xfe\xff" + text.encode("utf-16-be")
    out = bytearray(b"(")
    for b in data:
        if 0x20 <= b < 0x7F and b not in b"()\\":
            out.append(b)
        else:
            out += b"\\%03o" % b
    out += b")"
    return bytes(out)


def _pdf_name(name: str) -> bytes:
    out = bytearray(b"/")
    for b in name.encode("utf-8"):
        if 0x21 <= b <= 0x7E and b not in b"#()<>[]{}/%":
            out.append(b)
        else:
            out += b"#%02X" % b
    return bytes(out)


def _ascii_string(text: str) -> bytes:
    out = bytearray(b"(")
    for b in text.encode("latin-1"):
        if 0x20 <= b < 0x7F and b not in b"()\\":
            out.append(b)
        else:
            out += b"\\%03o" % b
    out += b")"
    return bytes(out)


def make_fdf(pdf: bytes, values: dict[str, FieldValue]) -> bytes:
    """The FDF file for `values`: UTF-16BE text, names for button states, blanks left out."""
    buttons = button_states(pdf)
    entries = []
    for name, value in values.items():
        if name in buttons:
            state = _state_for(name, value, buttons)
            if state is None:
                continue
            v = _pdf_name(state)
        else:
            if value is None or value == "" or isinstance(value, bool):
                continue
            v = _pdf_string(str(value))
        entries.append(b"<<\n/T " + _ascii_string(name) + b"\n/V " + v + b"\n>>")
    return (
        b"%FDF-1.2\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\n/FDF\n<<\n/Fields [\n"
        + b"\n".join(entries)
        + b"]\n>>\n>>\nendobj\ntrailer\n<<\n/Root 1 0 R\n>>\n%%EOF\n"
    )


# --------------------------------------------------------------------------- XFDF


def make_xfdf(pdf: bytes, values: dict[str, FieldValue]) -> bytes:
    """The XFDF file for `values` (UTF-8 XML): state names for buttons, blanks left out."""
    buttons = button_states(pdf)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve">',
        "<fields>",
    ]
    for name, value in values.items():
        if name in buttons:
            state = _state_for(name, value, buttons)
            if state is None:
                continue
            text = state
        else:
            if value is None or value == "" or isinstance(value, bool):
                continue
            text = str(value)
        lines.append(f"<field name={quoteattr(name)}><value>{escape(text)}</value></field>")
    lines += ["</fields>", "</xfdf>", ""]
    return "\n".join(lines).encode("utf-8")


# --------------------------------------------------------------------------- running pdftk


def _fill(pdf: bytes, data: bytes, suffix: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="pdftk-") as tmp:
        src, fdf, dst = Path(tmp, "in.pdf"), Path(tmp, "data" + suffix), Path(tmp, "out.pdf")
        src.write_bytes(pdf)
        fdf.write_bytes(data)
        _run([str(src), "fill_form", str(fdf), "output", str(dst)], f"fill_form ({suffix})")
        return dst.read_bytes()


def fill_fdf(pdf: bytes, values: dict[str, FieldValue], layout: Layout | None = None) -> bytes:
    """`pdftk in.pdf fill_form data.fdf output out.pdf`; returns out.pdf."""
    del layout  # pdftk fills by field name
    return _fill(pdf, make_fdf(pdf, values), ".fdf")


def fill_xfdf(pdf: bytes, values: dict[str, FieldValue], layout: Layout | None = None) -> bytes:
    """`pdftk in.pdf fill_form data.xfdf output out.pdf`; returns out.pdf."""
    del layout
    return _fill(pdf, make_xfdf(pdf, values), ".xfdf")


def flatten(pdf: bytes) -> bytes:
    """`pdftk in.pdf output out.pdf flatten`: fields merged into the page content."""
    with tempfile.TemporaryDirectory(prefix="pdftk-") as tmp:
        src, dst = Path(tmp, "in.pdf"), Path(tmp, "out.pdf")
        src.write_bytes(pdf)
        _run([str(src), "output", str(dst), "flatten"], "flatten")
        return dst.read_bytes()
