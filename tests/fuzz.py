"""Damaged copies of our own returned forms, made on the spot (not a test file).

The fuzz test (tests/test_fuzz.py) reads every mutant and holds the reader to the
one rule that matters: a mutant is refused with a reason, or reads the same as
the file it was made from, or reads differently WITH a problem or review item
that says so. `make bench` runs the same with more mutants.

Three originals, all of `tests/forms/all_types.yaml` in English (not the form's
first language, so a reader that loses the language shows it), with a serial,
and the "rich" answers:

- `filled`: filled and saved whole by pikepdf (our own filler);
- `flattened`: that copy flattened by pikepdf, read from the drawn page;
- `incremental`: filled by pdf.js, which appends an incremental update as
  Firefox does.

Mutations, chosen by a seeded RNG:

- byte level: a flipped bit or a replaced byte (mostly outside stream data,
  where the structure is), the file cut short, a range deleted, a range
  duplicated;
- object level (pikepdf, the file saved whole again): a key dropped (/FT, /V,
  /AS, /MediaBox, an /Info entry, the whole /Info) or a name changed (/FT to
  another type or none, /AS to a state the widget does not have, the language
  in /Info).

Some changes cannot be seen by nature: a byte changed inside a stored value
(the text of a text field, or a choice's name turned into another of its
answers) leaves a valid file that says something else. `UNDETECTABLE` names
them, and the test asserts that every silent difference is one of them.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from pdfforms.model.identity import INFO_FORM, INFO_LANGUAGE, INFO_SERIAL, INFO_VERSION

SEED = 20260613
LANGUAGE = "en"
SERIAL = "7KQ3M9XW2A"  # not a print run's serial: any text is kept as the serial

# Categories of silent difference that no reader can see (the mutated bytes are
# a value the file states, and the changed file is as valid as the original).
UNDETECTABLE = {
    "field value": "a byte changed inside a field's stored value (/V): another text, "
    "or another of the question's answers",
}


@dataclass
class Mutant:
    name: str  # what was done, e.g. "flip 0x20 at 1234"
    data: bytes
    offset: int | None = None  # the one byte changed (flips only)


# -- the originals ----------------------------------------------------------------------


def originals(blank: bytes, form, answers: dict, pdfjs_fill=None) -> dict[str, bytes]:
    """{"filled", "flattened", "incremental"?: bytes}; incremental needs `pdfjs_fill`."""
    from pdfforms.generate.fields import answers_to_fields
    from pdfforms.generate.fill import fill_pdf, flatten_pdf

    values = answers_to_fields(form, answers, LANGUAGE)
    filled = fill_pdf(blank, values)
    out = {"filled": filled, "flattened": flatten_pdf(filled)}
    if pdfjs_fill is not None:
        out["incremental"] = pdfjs_fill(blank, values)
    return out


# -- where the bytes are ----------------------------------------------------------------

_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
# A stored field value: /V followed by a string, a hex string or a name.
_VALUE = re.compile(rb"/V\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|/[^\s/<>\[\]()%]+)", re.S)


def stream_spans(data: bytes) -> list[tuple[int, int]]:
    return [m.span(1) for m in _STREAM.finditer(data)]


def value_spans(data: bytes) -> list[tuple[int, int]]:
    """Byte ranges of every field value the file stores (/V, outside stream data)."""
    streams = stream_spans(data)
    spans = []
    for m in _VALUE.finditer(data):
        start, end = m.span(1)
        if not any(s <= start < e for s, e in streams):
            spans.append((start, end))
    return spans


def category(mutant: Mutant, original: bytes) -> str | None:
    """The UNDETECTABLE category a mutant falls in, or None."""
    if mutant.offset is None:
        return None
    if any(s <= mutant.offset < e for s, e in value_spans(original)):
        return "field value"
    return None


# -- mutations --------------------------------------------------------------------------


def byte_mutants(data: bytes, rng: random.Random, count: int) -> list[Mutant]:
    """Flips, cuts, deleted and duplicated ranges: `count` mutants of `data`."""
    streams = stream_spans(data)
    structure = []  # offsets outside stream data, where qpdf's view of the file lives
    last = 0
    for s, e in streams:
        structure.append((last, s))
        last = e
    structure.append((last, len(data)))
    weights = [e - s for s, e in structure]

    def offset(in_structure: bool) -> int:
        if in_structure:
            s, e = rng.choices(structure, weights)[0]
            return rng.randrange(s, e)
        return rng.randrange(len(data))

    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.55:
            at = offset(rng.random() < 0.8)
            if rng.random() < 0.5:
                new = data[at] ^ (1 << rng.randrange(8))
                how = "bit"
            else:
                new = rng.choice([b for b in range(256) if b != data[at]])
                how = "byte"
            mutated = data[:at] + bytes([new]) + data[at + 1 :]
            out.append(Mutant(f"{how} {data[at]:#04x}→{new:#04x} at {at}", mutated, at))
        elif roll < 0.75:
            at = rng.randrange(1, len(data) - 1)
            out.append(Mutant(f"cut at {at} of {len(data)}", data[:at]))
        elif roll < 0.9:
            at = offset(rng.random() < 0.7)
            n = rng.randint(1, 400)
            out.append(Mutant(f"delete {n} at {at}", data[:at] + data[at + n :]))
        else:
            at = offset(rng.random() < 0.7)
            n = rng.randint(1, 400)
            out.append(Mutant(f"duplicate {n} at {at}", data[: at + n] + data[at:]))
    return out


_DROPPED = ("/FT", "/V", "/AS", "/MediaBox")
_INFO = (INFO_FORM, INFO_VERSION, INFO_LANGUAGE, INFO_SERIAL, "/Keywords")


def object_mutants(data: bytes, rng: random.Random, count: int) -> list[Mutant]:
    """Keys dropped and names changed through pikepdf; each file saved whole again."""
    out = []
    for _ in range(count):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            what = _object_mutation(pdf, rng)
            if what is None:
                continue
            buffer = io.BytesIO()
            pdf.save(buffer)
        out.append(Mutant(what, buffer.getvalue()))
    return out


def _holders(pdf: pikepdf.Pdf, key: str) -> list[pikepdf.Dictionary]:
    """Field and widget dictionaries (and pages, for /MediaBox) that hold `key`."""
    found = []
    for page in pdf.pages:
        if key == "/MediaBox" and key in page.obj:
            found.append(page.obj)
        for annot in page.obj.get("/Annots", []) or []:
            node = annot
            for _ in range(4):
                if isinstance(node, pikepdf.Dictionary) and key in node:
                    if all(node.objgen != f.objgen for f in found):
                        found.append(node)
                node = node.get("/Parent") if isinstance(node, pikepdf.Dictionary) else None
                if node is None:
                    break
    return found


def _name_of(node: pikepdf.Dictionary) -> str:
    for _ in range(4):
        if "/T" in node:
            return str(node.T)
        if "/Parent" not in node:
            break
        node = node.Parent
    return f"object {node.objgen[0]}"


def _object_mutation(pdf: pikepdf.Pdf, rng: random.Random) -> str | None:
    roll = rng.random()
    if roll < 0.45:
        key = rng.choice(_DROPPED)
        holders = _holders(pdf, key)
        if not holders:
            return None
        node = rng.choice(holders)
        del node[key]
        return f"drop {key} of {_name_of(node)}"
    if roll < 0.6:
        info = pdf.trailer.get("/Info")
        if rng.random() < 0.2 or not isinstance(info, pikepdf.Dictionary):
            del pdf.trailer["/Info"]
            return "drop /Info"
        key = rng.choice([k for k in _INFO if k in info] or [None])
        if key is None:
            return None
        del info[key]
        return f"drop /Info {key}"
    if roll < 0.7:
        info = pdf.trailer.get("/Info")
        if not isinstance(info, pikepdf.Dictionary) or INFO_LANGUAGE not in info:
            return None
        info[INFO_LANGUAGE] = pikepdf.String("sv")
        return "change /Info language to sv"
    if roll < 0.85:
        holders = _holders(pdf, "/FT")
        if not holders:
            return None
        node = rng.choice(holders)
        old = str(node.FT)
        new = rng.choice([t for t in ("/Tx", "/Btn", "/Ch", "/Sig", "/Xx") if t != old])
        node.FT = pikepdf.Name(new)
        return f"change /FT {old}→{new} of {_name_of(node)}"
    holders = _holders(pdf, "/AS")
    if not holders:
        return None
    node = rng.choice(holders)
    old = str(node.AS)
    node.AS = pikepdf.Name("/Nothing" if rng.random() < 0.5 else "/Off")
    return f"change /AS {old}→{node.AS} of {_name_of(node)}"


def mutants(data: bytes, seed: int, count: int) -> list[Mutant]:
    """`count` mutants of one original: four in five at byte level, the rest object level."""
    rng = random.Random(seed)
    objects = count // 5
    return byte_mutants(data, rng, count - objects) + object_mutants(data, rng, objects)


# -- judging one mutant -----------------------------------------------------------------


def reading(response) -> tuple:
    """What a mutant must not change without saying so."""
    return (
        response.form_id,
        response.version,
        response.language,
        response.serial,
        response.answers,
    )


def flags(response) -> set:
    """The problems and review items, as comparable keys."""
    return {("problem", p.question, p.code) for p in response.problems} | {
        ("review", r.question, r.reason) for r in response.review
    }


def judge(mutant: Mutant, original_bytes: bytes, original, folder: Path, definitions) -> tuple:
    """(verdict, detail): refused | same | flagged | silent; any other exception raises."""
    from pdfforms.parse.file import parse
    from pdfforms.read import ReadError

    path = folder / "mutant.pdf"
    path.write_bytes(mutant.data)
    try:
        response = parse(path, definitions)
    except ReadError as exc:
        return "refused", str(exc)
    if reading(response) == reading(original):
        return "same", ""
    new = flags(response) - flags(original)
    if new:
        return "flagged", sorted(new, key=str)
    differences = [
        key for key in original.answers if response.answers.get(key) != original.answers.get(key)
    ]
    names = ("form", "version", "language", "serial")
    for name, was, now in zip(names, reading(original), reading(response), strict=False):
        if was != now:
            differences.append(f"{name} {was!r}→{now!r}")
    return "silent", differences
