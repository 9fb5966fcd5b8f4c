"""Synthetic respondents, for the demo, the tests and the benchmarks.

Answers are health data, so nothing here ever comes from a real person: the
texts are invented, and personnummer are built on the date 1912-12-12, the
test date Swedish systems use, with a computed check digit.
"""

from __future__ import annotations

import datetime
import io
import random

from ..model.form import OTHER, Form, Question

PHRASES = [
    "Att kunna gå i skogen med hunden.",
    "Att få sova en hel natt utan värk.",
    "Träffa barnbarnen – helst varje söndag.",
    "Att slippa upprepa min historia för varje ny läkare.",
    "Att orka handla själv på ICA.",
    "Kaffe på altanen när solen går upp.",
    "Att förstå vad provsvaren betyder.",
    "Att någon ringer tillbaka när de har lovat.",
    "Körsång på onsdagar och fika efteråt.",
    "Att få vara med och bestämma om min behandling.",
    "Mindre yrsel, så att jag vågar gå ut på vintern.",
    "En fast läkare som känner mig.",
]
OTHER_TEXTS = [
    "Brev",
    "Via min dotter",
    "Fysioterapeut",
    "Dietist",
    "Sms-påminnelse",
    "Öppen mottagning",
]


def synthetic_personnummer(rng: random.Random) -> str:
    """A valid-checksum personnummer on the test date 1912-12-12."""
    serial = f"{rng.randrange(1000):03d}"
    digits = "121212" + serial
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    check = (10 - total % 10) % 10
    return f"19121212-{serial}{check}"


def _answer(q: Question, rng: random.Random) -> object:
    if q.type == "text":
        return rng.choice(
            [
                "Vårdcentralen Älvsjö",
                "Hälsocentralen Åre",
                "Ö-vik Norra",
                "Anna Öberg",
                "Björn Ängström",
            ]
        )
    if q.type == "textarea":
        lines = rng.sample(PHRASES, rng.randint(1, 3))
        return "\n".join(lines)
    if q.type == "number":
        lo = q.min if q.min is not None else 0
        hi = q.max if q.max is not None else 100
        if q.decimals:
            return round(rng.uniform(lo, hi), q.decimals)
        return rng.randint(int(lo), int(hi))
    if q.type == "date":
        lo = datetime.date.fromisoformat(q.min) if q.min else datetime.date(2024, 1, 1)
        hi = datetime.date.fromisoformat(q.max) if q.max else datetime.date(2026, 12, 31)
        hi = min(hi, datetime.date(2026, 12, 31))
        return (lo + datetime.timedelta(days=rng.randrange((hi - lo).days + 1))).isoformat()
    if q.type == "personnummer":
        return synthetic_personnummer(rng)
    if q.type == "yesno":
        return rng.random() < 0.5
    if q.type in ("single", "dropdown"):
        return rng.choice(q.choice_values)
    if q.type == "scale":
        value = rng.choice(q.choice_values)
        return value if q.na is not None and value == q.na.value else int(value)
    if q.type == "multiple":
        values = q.choice_values
        k = rng.randint(max(1, q.min_choices or 1), min(len(values), q.max_choices or len(values)))
        chosen = set(rng.sample(values, k))
        return [v for v in values if v in chosen]
    if q.type == "grid":
        return {row.id: rng.choice(q.choice_values) for row in q.rows}
    if q.type == "group":  # a few rows, the first always whole, a later one maybe partly
        rows = [{item.id: _answer(item, rng) for item in q.items}]
        for _ in range(rng.randint(0, q.row_count - 1)):
            rows.append(
                {item.id: _answer(item, rng) if rng.random() > 0.2 else None for item in q.items}
            )
        return [row for row in rows if any(v is not None for v in row.values())]
    raise ValueError(q.type)


def synthetic_answers(form: Form, rng: random.Random, blank_rate: float = 0.15) -> dict:
    """A plausible, valid set of answers (SPEC §4 `answers`), some left blank.

    Skip logic is honoured (a question whose condition fails stays blank), so a
    synthetic respondent raises no problems except `required` ones for blanks;
    required questions are never left blank.
    """
    from ..model.rules import applies, blank_value

    answers: dict = {}
    applied: dict[str, bool] = {}
    for q in form.answerable:
        if q.other is not None:
            answers[f"{q.id}__other_text"] = None
        enabled = applied[q.id] = applies(form, q, answers, applied)
        if not enabled or (not q.required and rng.random() < blank_rate):
            answers[q.id] = blank_value(q)
            continue
        value = _answer(q, rng)
        answers[q.id] = value
        chose_other = value == OTHER or (isinstance(value, list) and OTHER in value)
        if chose_other:
            answers[f"{q.id}__other_text"] = rng.choice(OTHER_TEXTS)
    return answers


def fill_like_pypdf(pdf: bytes, values: dict[str, object]) -> bytes:
    """Fill fields with pypdf's `update_page_form_field_values`, as a script author would.

    pypdf stores a radio value as a string (`"/ja"`) on the group and on every
    widget (PDF-NOTES), one of the quirks our reader must absorb, so this fills
    with pypdf unmodified. `values` are field values from `answers_to_fields`.
    """
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    buttons = set()
    for page in writer.pages:
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            parent = annot.get("/Parent")
            holder = parent.get_object() if parent is not None else annot
            if (annot.get("/FT") or holder.get("/FT")) == "/Btn":
                buttons.add(str(holder.get("/T")))
    update: dict[str, object] = {}
    for name, value in values.items():
        if value is None or value is False:
            continue
        if value is True:
            update[name] = NameObject("/Yes")
        elif name in buttons:
            update[name] = NameObject("/" + str(value))
        else:
            update[name] = value
    for page in writer.pages:
        writer.update_page_form_field_values(page, update, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
