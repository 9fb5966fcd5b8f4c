"""FHIR R4: a Questionnaire in and out, a returned form as a QuestionnaireResponse.

`import_questionnaire` turns a Questionnaire (JSON) into a definition (the mapping
a definition's YAML holds) and a list of notes: one line for every element that
could not be carried over or was approximated, never dropped in silence.
`questionnaire` writes a `Form` as a Questionnaire, and `questionnaire_response`
a parsed form (SPEC §4 JSON) as a QuestionnaireResponse; `bundle` gathers many.

Resources are plain dicts in FHIR's JSON: nothing here needs a FHIR library (the
tests check every resource with `fhir.resources`).

**Code systems.** SKR publishes no code system for its seven questions (we found
none: not in SKR's material, not in Inera's list of kodverk), so the project
defines its own, with stable URIs under `PROJECT`: the concept codes a definition
writes as a bare `code: skr-7-1` are in `CONCEPTS`, and the answer options of a
form's question, which a definition names by their `value`, are in the code
system `options_system(form, question)`. `.invalid` is a top-level name reserved
never to resolve (RFC 2606), as the JSON Schema's `$id` uses it: the URIs name
our codes, they are not addresses, and they never change. A code from someone
else's system (`code: {system, code}`, as an imported LOINC code) is written as it
is.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from pathlib import Path

from ..model.errors import PdfformsError
from ..model.form import (
    OTHER,
    AllOf,
    AnyOf,
    Condition,
    Form,
    Not,
    Question,
    Rule,
    tr,
)
from ..model.messages import text as msg
from ..model.privacy import DROP, KEEP, Privacy

PROJECT = "https://pdfforms.invalid/fhir"
CONCEPTS = f"{PROJECT}/CodeSystem/concepts"
SERIALS = f"{PROJECT}/NamingSystem/serial"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
MAX_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs"
REGEX = "http://hl7.org/fhir/StructureDefinition/regex"
HIDDEN = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"
# the project's extension: a question's type where FHIR's says less (a personnummer)
QUESTION_TYPE = f"{PROJECT}/StructureDefinition/question-type"
PERSONNUMMER_PATTERN = r"^(\d{2})?\d{6}[-+]?\d{4}$"
# Skatteverket's personnummer as an identifier (its OID, as Sweden's national
# service contracts name it): a subject is written with it only when the personnummer
# policy keeps the numbers; a pseudonym is not a personnummer and never gets it.
PERSONNUMMER_SYSTEM = "urn:oid:1.2.752.129.2.1.3.1"
# A repeating group printed as a table (our `group`): the rows printed when the
# Questionnaire sets no maxOccurs; a care plan's table has 5 to 8.
DEFAULT_GROUP_ROWS = 5
# An open-choice's written answer, as the shipped forms word it ("Annat, nämligen")
OTHER_WORDS = {"sv": "Annat, nämligen", "en": "Other, namely"}
# FHIR's code: no whitespace at either end, single spaces inside
_FHIR_CODE = re.compile(r"^\S+( \S+)*$")


class FhirError(PdfformsError):
    """A file that is not a Questionnaire we can read; the message names the file."""


def questionnaire_url(form_id: str) -> str:
    """The canonical URL of a form's Questionnaire (its version goes after `|`)."""
    return f"{PROJECT}/Questionnaire/{form_id}"


def options_system(form: Form, q: Question) -> str:
    """The code system of a question's own options: their values are its codes.

    One per question, not per form: a value means something within its question
    only (`ja` of one question is not `ja` of another), and versions of a form keep
    a value's meaning, so the version is not part of it.
    """
    return f"{PROJECT}/CodeSystem/{form.id}/{q.id}"


def question_coding(q: Question) -> tuple[str, str] | None:
    """(system, code) of a question's `code`; a bare code is in the project's CONCEPTS."""
    if not q.code:
        return None
    return (q.code_system or CONCEPTS, q.code)


# ---------------------------------------------------------------------------- export


def _translations(text: dict | None, main: str) -> dict | None:
    """The `_text` element carrying the other languages of a text."""
    others = [(lang, value) for lang, value in (text or {}).items() if lang != main and value]
    if not others:
        return None
    return {
        "extension": [
            {
                "url": TRANSLATION,
                "extension": [
                    {"url": "lang", "valueCode": lang},
                    {"url": "content", "valueString": value},
                ],
            }
            for lang, value in others
        ]
    }


def _with_text(out: dict, key: str, text: dict | None, main: str) -> dict:
    if text:
        out[key] = tr(text, main)
        extra = _translations(text, main)
        if extra:
            out[f"_{key}"] = extra
    return out


def _coding(system: str, code: str, display: dict | None, main: str) -> dict:
    return _with_text({"system": system, "code": code}, "display", display, main)


def _label(form: Form, q: Question, option) -> dict:
    """An option's words; a scale's points have none but their number, and its ends
    the words printed at them (`min_label`, `max_label`)."""
    if q.type == "scale" and option is not q.na:
        ends = {str(q.min): q.min_label, str(q.max): q.max_label}
        return ends.get(option.value) or {lang: option.value for lang in form.languages}
    return option.label or {lang: option.value for lang in form.languages}


def _choices_of(form: Form, q: Question, main: str) -> list[dict]:
    """A choice question's answerOption: every choice, `other` too (its text, when
    written, is the answer's valueString: the item is then open-choice)."""
    if q.type == "yesno":
        return []
    return [
        {
            "valueCoding": _coding(
                *(o.code or (options_system(form, q), o.value)), _label(form, q, o), main
            )
        }
        for o in (q.choices if q.type != "grid" else q.options)
    ]


def _item_code(q: Question) -> list[dict] | None:
    coding = question_coding(q)
    return [{"system": coding[0], "code": coding[1]}] if coding else None


def _enable_when(form: Form, rule: Rule | None, notes: list[str], where: str) -> dict:
    """`enableWhen` and `enableBehavior` for a condition FHIR can say: tests of answers
    under one `all` or one `any`. A condition it cannot (`any` of `all`s, an `in` of
    several values inside `all`, a `not` inside `any`) is noted, and the item asked
    always: the export says so rather than ask fewer people than the form does."""
    if rule is None:
        return {}
    behavior = "any" if isinstance(rule, AnyOf) else "all"
    parts = rule.conditions if isinstance(rule, AllOf | AnyOf) else (rule,)
    tests: list[dict] = []
    for part in parts:
        found = _tests(form, (part,), negate=False)
        if found is None:
            tests = []
            break
        if len(found) > 1:
            # a part of several tests: `in: [a, b]` is any of them; bounds and a `not`
            # of several values are all of them
            inner = "any" if isinstance(part, Condition) and part.values else "all"
            if len(parts) == 1:
                behavior = inner
            elif inner != behavior:
                tests = []
                break
        tests += found
    if not tests:
        notes.append(msg("fhir.export_condition", item=where))
        return {}
    out: dict = {"enableWhen": tests}
    if len(tests) > 1:
        out["enableBehavior"] = behavior
    return out


def _tests(form: Form, rules, negate: bool) -> list[dict] | None:
    out: list[dict] = []
    for rule in rules:
        if isinstance(rule, Not) and isinstance(rule.condition, Condition) and not negate:
            inner = _tests(form, (rule.condition,), negate=True)
            if inner is None:
                return None
            out += inner
            continue
        if not isinstance(rule, Condition):
            return None
        q = form.question(rule.question)
        if rule.values:
            for value in rule.values:
                answer = _answer_value(form, q, value)
                if answer is None:
                    return None
                out.append({"question": q.id, "operator": "!=" if negate else "="} | answer)
        else:
            if negate:
                return None
            for key, bound in rule.bounds.items():
                op = {"at_least": ">=", "at_most": "<=", "more_than": ">", "less_than": "<"}[key]
                if q.type == "scale":
                    return None  # a scale's answers are codes: no order in FHIR's enableWhen
                kind = "answerInteger" if q.decimals == 0 and float(bound).is_integer() else None
                value = int(bound) if kind else float(bound)
                out.append({"question": q.id, "operator": op, kind or "answerDecimal": value})
    return out


def _answer_value(form: Form, q: Question, value: str) -> dict | None:
    if q.type == "yesno":
        return {"answerBoolean": value == "yes"}
    option = next((o for o in q.choices if o.value == value), None)
    if option is None:
        return None
    system, code = option.code or (options_system(form, q), option.value)
    return {"answerCoding": {"system": system, "code": code}}


def _question_item(form: Form, q: Question, main: str, notes: list[str]) -> dict:
    item: dict = {"linkId": q.id}
    code = _item_code(q)
    if code:
        item["code"] = code
    if q.number is not None:
        item["prefix"] = f"{q.number}."
    shown = q.label
    if q.type == "info":  # a heading (label) and its text: both, as printed
        shown = {
            lang: "\n\n".join(t for t in (tr(q.label, lang), tr(q.text, lang)) if t)
            for lang in form.languages
        }
    _with_text(item, "text", shown, main)
    kind = {
        "info": "display",
        "text": "string",
        "textarea": "text",
        "date": "date",
        "personnummer": "string",
        "yesno": "boolean",
        "single": "choice",
        "dropdown": "choice",
        "multiple": "choice",
        "scale": "choice",
        "grid": "group",
        "group": "group",
    }.get(q.type)
    if q.type == "number":
        kind = "integer" if q.decimals == 0 else "decimal"
    if q.type in ("single", "multiple") and q.other is not None:
        kind = "open-choice"
    item["type"] = kind
    item.update(_enable_when(form, q.enable_when, notes, q.id))
    if q.required and q.type != "info":
        item["required"] = True
    extensions = []
    if q.type == "text" and q.max_length:
        item["maxLength"] = q.max_length
    if q.type in ("number", "date"):
        key = (
            "valueDate"
            if q.type == "date"
            else ("valueInteger" if kind == "integer" else "valueDecimal")
        )
        for url, bound in ((MIN_VALUE, q.min), (MAX_VALUE, q.max)):
            if bound is not None:
                value = int(bound) if key == "valueInteger" else bound
                extensions.append({"url": url, key: value})
    if q.type == "dropdown":
        extensions.append(_control("drop-down"))
    if q.type == "scale":
        extensions.append({"url": QUESTION_TYPE, "valueCode": "scale"})
    if q.type == "personnummer":
        # FHIR has no type for it: a string, with what it must look like (R4's regex
        # extension) and our type, so that import makes it a personnummer again
        extensions.append({"url": REGEX, "valueString": PERSONNUMMER_PATTERN})
        extensions.append({"url": QUESTION_TYPE, "valueCode": "personnummer"})
    if q.type in ("single", "multiple", "dropdown", "scale"):
        item["answerOption"] = _choices_of(form, q, main)
    if q.type == "multiple":
        item["repeats"] = True
    if q.type == "grid":
        item["item"] = [
            _with_text({"linkId": f"{q.id}__{row.id}"}, "text", row.label, main)
            | {"type": "choice", "answerOption": _choices_of(form, q, main)}
            for row in q.rows
        ]
        if q.required:
            for row in item["item"]:
                row["required"] = True
    if q.type == "group":
        item["repeats"] = True
        extensions.append({"url": MAX_OCCURS, "valueInteger": q.row_count})
        item["item"] = []
        for column in q.items:
            sub = _with_text({"linkId": f"{q.id}__{column.id}"}, "text", column.label, main)
            sub["type"] = {"text": "string", "date": "date"}.get(column.type) or (
                "integer" if column.decimals == 0 else "decimal"
            )
            item["item"].append(sub)
    if q.help:
        item.setdefault("item", []).append(
            _with_text({"linkId": f"{q.id}__help"}, "text", q.help, main)
            | {"type": "display", "extension": [_control("help")]}
        )
    if extensions:
        item["extension"] = extensions
    return item


def _control(code: str) -> dict:
    return {
        "url": ITEM_CONTROL,
        "valueCodeableConcept": {"coding": [{"system": ITEM_CONTROL_SYSTEM, "code": code}]},
    }


def questionnaire(form: Form, notes: list[str] | None = None) -> dict:
    """The form as a FHIR R4 Questionnaire: a group per section, an item per question.

    `notes` gets a line for each condition FHIR's enableWhen cannot say (the item is
    then asked always, and the note says so).
    """
    notes = [] if notes is None else notes
    main = form.default_language
    out: dict = {
        "resourceType": "Questionnaire",
        "id": form.id,
        "url": questionnaire_url(form.id),
        "version": form.version,
        "name": _name(form.id),
        "status": "active",
        "language": main,
    }
    _with_text(out, "title", form.title, main)
    if form.intro:
        _with_text(out, "description", form.intro, main)
    items = []
    for section in form.sections:
        group: dict = {"linkId": section.id}
        _with_text(group, "text", section.title, main)
        group["type"] = "group"
        group.update(_enable_when(form, section.enable_when, notes, section.id))
        group["item"] = [_question_item(form, q, main, notes) for q in section.questions]
        if section.intro:
            group["item"].insert(
                0,
                _with_text({"linkId": f"{section.id}__intro"}, "text", section.intro, main)
                | {"type": "display"},
            )
        items.append(group)
    out["item"] = items
    return out


def _name(form_id: str) -> str:
    """A computer-friendly name (FHIR's que-0: a capital letter first, then letters,
    digits and `_`): the form id in CamelCase."""
    return "".join(part.capitalize() for part in re.split(r"[-_]+", form_id) if part) or "Form"


# ------------------------------------------------------------------------- responses


def _authored_question(form: Form) -> Question | None:
    """The question whose date is when the form was filled: a date question named
    `datum` or `date`, else the form's only date question; None when there is none
    (the file's time is never used: a scan's is the scanning day, a copy's the
    copying day)."""
    dates = [q for q in form.answerable if q.type == "date"]
    named = [q for q in dates if q.id in ("datum", "date")]
    if named:
        return named[0]
    return dates[0] if len(dates) == 1 else None


def _answers_of(form: Form, q: Question, answers: dict, main: str) -> list[dict]:
    value = answers.get(q.id)
    if q.type in ("single", "dropdown", "scale"):
        if value is None:
            return []
        if value == OTHER and q.other is not None:
            text = answers.get(f"{q.id}__other_text")
            if text:
                return [{"valueString": text}]
        option = next((o for o in q.choices if o.value == str(value)), None)
        if option is None:
            return []
        return [{"valueCoding": _answer_coding(form, q, option, main)}]
    if q.type == "multiple":
        out = []
        for v in value or []:
            option = next((o for o in q.choices if o.value == v), None)
            if option is None:
                continue
            if v == OTHER and answers.get(f"{q.id}__other_text"):
                out.append({"valueString": answers[f"{q.id}__other_text"]})
            else:
                out.append({"valueCoding": _answer_coding(form, q, option, main)})
        return out
    if value is None or value == "":
        return []
    if q.type == "yesno":
        return [{"valueBoolean": bool(value)}]
    if q.type == "number":
        if q.decimals == 0 and float(value).is_integer():
            return [{"valueInteger": int(value)}]
        return [{"valueDecimal": value}]
    if q.type == "date":
        return [{"valueDate": value}]
    return [{"valueString": str(value)}]


def _answer_coding(form: Form, q: Question, option, main: str) -> dict:
    system, code = option.code or (options_system(form, q), option.value)
    return {"system": system, "code": code, "display": tr(_label(form, q, option), main)}


def _response_item(form: Form, q: Question, answers: dict, lang: str) -> dict | None:
    if not q.answerable:
        return None
    item: dict = {"linkId": q.id}
    label = tr(q.label, lang)
    if label:
        item["text"] = label
    if q.type == "grid":
        rows = answers.get(q.id) or {}
        subs = []
        for row in q.rows:
            value = rows.get(row.id)
            option = next((o for o in q.options if o.value == value), None)
            if option is not None:
                subs.append(
                    {
                        "linkId": f"{q.id}__{row.id}",
                        "answer": [{"valueCoding": _answer_coding(form, q, option, lang)}],
                    }
                )
        if not subs:
            return None
        item["item"] = subs
        return item
    if q.type == "group":
        rows = answers.get(q.id) or []
        out = []
        for row in rows:
            if not isinstance(row, dict):
                continue
            cells = []
            for column in q.items:
                answer = _answers_of(form, column, row, lang) if column.id in row else []
                if answer:
                    cells.append({"linkId": f"{q.id}__{column.id}", "answer": answer})
            if cells:
                out.append({"linkId": q.id, "item": cells})
        return out or None  # a repeating group: one item per row
    answer = _answers_of(form, q, answers, lang)
    if not answer:
        return None
    item["answer"] = answer
    return item


# Warnings about the copy, not its answers: a response with only these is completed.
COPY_WARNINGS = ("unit_from_ledger", "unit_differs")


def response_status(obj: dict) -> str:
    """`completed`, or `in-progress` while anything about its answers is open: a review
    item (a mark or a text a person must still decide, its answer null until then)
    or a problem, an error (a required answer missing, a date that is not one) or a
    warning (an answer to a question that should have been skipped, a typed text a
    flattening program may have changed, a corrected mark). A system that reads only
    the resource must not take such answers as final; the problems' words are in
    the JSON and the dataset. Only the warnings about the copy's unit
    (`COPY_WARNINGS`) leave it completed."""
    open_problems = [p for p in obj.get("problems", []) if p.get("code") not in COPY_WARNINGS]
    return "in-progress" if obj.get("review") or open_problems else "completed"


def questionnaire_response(
    response, form: Form | None = None, privacy: Privacy | None = None, applied: bool = False
) -> dict:
    """A parsed form as a FHIR R4 QuestionnaireResponse.

    `response` is a `Response` or its SPEC §4 JSON; `form` the definition it was read
    with (a `Response` knows its own). `privacy` decides personnummer as in a
    dataset (default: left out, `model.privacy`): an answer to a personnummer
    question is written only as that policy writes it, and the `subject` (the
    person, by personnummer) only when it keeps the numbers (`--keep-personnummer`).
    `applied`: the JSON has been through that policy already (a dataset's journal).
    """
    # a copy: the privacy policy rewrites answers in place, and the caller's stay
    obj = copy.deepcopy(response.to_json() if hasattr(response, "to_json") else response)
    form = form or getattr(response, "form", None)
    if form is None:
        raise ValueError("questionnaire_response needs the form the response was read with")
    privacy = privacy or Privacy(DROP)
    numbers = {q.id: obj["answers"].get(q.id) for q in form.answerable if q.type == "personnummer"}
    if not applied:
        obj = privacy.apply(obj, form)
    lang = obj["form"].get("language") or form.default_language
    answers = obj["answers"]
    out: dict = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id(obj),
        "language": lang,
        "questionnaire": f"{questionnaire_url(form.id)}|{obj['form']['version']}",
        "status": response_status(obj),
    }
    if obj.get("serial"):
        out["identifier"] = {"system": SERIALS, "value": obj["serial"]}
    if privacy.mode == KEEP:
        person = next((v for v in numbers.values() if v), None)
        if person:
            out["subject"] = {
                "identifier": {"system": PERSONNUMMER_SYSTEM, "value": person.replace("-", "")}
            }
    dated = _authored_question(form)
    if dated is not None and answers.get(dated.id):
        out["authored"] = answers[dated.id]
    items = []
    for section in form.sections:
        subs = []
        for q in section.questions:
            item = _response_item(form, q, answers, lang)
            if isinstance(item, list):
                subs += item
            elif item is not None:
                subs.append(item)
        if subs:
            group = {"linkId": section.id}
            title = tr(section.title, lang)
            if title:
                group["text"] = title
            group["item"] = subs
            items.append(group)
    if items:
        out["item"] = items
    return out


def response_id(obj: dict) -> str:
    """A resource id that is the same each time the same copy is written: from the
    file's checksum and which questionnaire of the file it is (a scan holds many)."""
    source = obj.get("source") or {}
    seed = f"{source.get('sha256', '')}:{source.get('questionnaire', '')}:{obj.get('serial')}"
    if not source.get("sha256"):
        seed += json.dumps(obj.get("answers"), sort_keys=True, default=str)
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{PROJECT}/{seed}"))


def bundle(resources: list[dict]) -> dict:
    """Resources as one Bundle of type collection (a batch of returned forms)."""
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


# ---------------------------------------------------------------------------- import


class _Importer:
    def __init__(self, data: dict, source: str):
        self.data = data
        self.source = source
        self.notes: list[str] = []
        self.ids: dict[str, str] = {}  # linkId → question id
        self.values: dict[str, dict] = {}  # linkId → {(system, code) or value → our value}
        self.kinds: dict[str, str] = {}  # linkId → our type
        self.taken: set[str] = set()
        self.other_labels: dict[str, dict] = {}  # linkId → the words of its `other` choice
        self.contained = {
            r.get("id"): r for r in data.get("contained") or [] if isinstance(r, dict)
        }
        lang = str(data.get("language") or "")
        self.main = lang.split("-")[0].lower() if lang else ""
        if not re.match(r"^[a-z]{2,3}$", self.main):
            self.note(msg("fhir.note_language"))
            self.main = "en"
        self.languages = [self.main]
        self._find_languages(data)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def _find_languages(self, node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key.startswith("_") and isinstance(value, dict):
                    for ext in value.get("extension") or []:
                        if ext.get("url") == TRANSLATION:
                            lang = _translation_lang(ext)
                            if lang and lang not in self.languages:
                                self.languages.append(lang)
                self._find_languages(value)
        elif isinstance(node, list):
            for value in node:
                self._find_languages(value)

    def text(self, node: dict, key: str, where: str) -> dict | None:
        main = node.get(key)
        if not isinstance(main, str) or not main.strip():
            return None
        out = {self.main: main.strip()}
        for ext in (node.get(f"_{key}") or {}).get("extension") or []:
            if ext.get("url") == TRANSLATION:
                lang = _translation_lang(ext)
                content = next(
                    (
                        e.get("valueString")
                        for e in ext.get("extension") or []
                        if e.get("url") == "content"
                    ),
                    None,
                )
                if lang and isinstance(content, str) and content.strip():
                    out[lang] = content.strip()
        for lang in self.languages:
            if lang not in out:
                self.note(msg("fhir.note_translation", item=where, lang=lang, main=self.main))
                out[lang] = out[self.main]
        return out

    def ident(self, link_id: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "_", link_id.lower()).strip("_")
        base = re.sub(r"_+", "_", base) or "q"
        if not base[0].isalpha():
            base = f"q_{base}"
        name, n = base, 1
        while name in self.taken:
            n += 1
            name = f"{base}_{n}"
        self.taken.add(name)
        return name

    # -- the tree

    def run(self) -> dict:
        d = self.data
        if d.get("resourceType") != "Questionnaire":
            raise FhirError(
                msg("fhir.not_questionnaire", path=self.source, kind=d.get("resourceType"))
            )
        form_id = re.sub(r"[^a-z0-9-]+", "-", str(d.get("id") or d.get("name") or "").lower())
        form_id = re.sub(r"-+", "-", form_id).strip("-")
        if not form_id or not form_id[0].isalpha():
            form_id = f"fhir-{form_id}" if form_id else "fhir-questionnaire"
        version = d.get("version")
        if not version:
            self.note(msg("fhir.note_version"))
            version = "1"
        title = self.text(d, "title", "Questionnaire") or self.text(d, "name", "Questionnaire")
        if title is None:
            title = {lang: form_id for lang in self.languages}
        for element in ("effectivePeriod", "copyright", "subjectType", "code", "derivedFrom"):
            if d.get(element):
                self.note(msg("fhir.note_element", element=element))
        for ext in d.get("extension") or []:
            self.note(msg("fhir.note_form_extension", url=ext.get("url")))
        sections: list[dict] = []
        loose: list[dict] = []
        for item in d.get("item") or []:
            if item.get("type") == "group" and not item.get("repeats"):
                self.section(item, sections)
            else:
                questions = self.question(item)
                if questions:
                    if loose and sections and sections[-1]["questions"] is loose:
                        pass
                    else:
                        loose = []
                        sections.append({"id": self.ident("items"), "questions": loose})
                    loose += questions
        sections = [s for s in sections if s["questions"]]
        if not sections:
            raise FhirError(msg("fhir.no_questions", path=self.source))
        out = {
            "form": form_id,
            "version": str(version),
            "languages": self.languages,
            "title": _plain(title),
        }
        intro = self.text(d, "description", "Questionnaire")
        if intro:
            out["intro"] = _plain(intro)
        out["sections"] = sections
        return out

    def section(self, item: dict, sections: list[dict]) -> None:
        link = str(item.get("linkId"))
        section: dict = {"id": self.ident(link)}
        title = self.text(item, "text", link)
        if title:
            section["title"] = _plain(title)
        self.ids[link] = section["id"]
        self.item_notes(item, link)
        if item.get("required"):
            self.note(msg("fhir.note_group_required", item=link))
        rule = self.condition(item, link)
        if rule is not None:
            section["enable_when"] = rule
        questions: list[dict] = []
        section["questions"] = questions
        sections.append(section)
        for child in item.get("item") or []:
            if child.get("type") == "group" and not child.get("repeats") and _grid_like(child):
                questions += self.grid(child)
            elif child.get("type") == "group" and not child.get("repeats"):
                self.note(msg("fhir.note_nested_group", item=child.get("linkId"), group=link))
                self.section(child, sections)
                # the rest of this group's items follow in a section of their own
                questions = []
                sections.append(
                    {
                        "id": self.ident(f"{link}_2"),
                        **({"title": section["title"]} if "title" in section else {}),
                        "questions": questions,
                    }
                )
                if rule is not None:
                    sections[-1]["enable_when"] = rule
            else:
                questions += self.question(child)

    def item_notes(self, item: dict, link: str) -> None:
        for ext in item.get("extension") or []:
            url = ext.get("url")
            if url == ITEM_CONTROL and _control_code(ext) in ("drop-down", "help"):
                continue
            if url in (MIN_VALUE, MAX_VALUE) and item.get("type") in ("integer", "decimal", "date"):
                continue
            if url == MAX_OCCURS and item.get("type") == "group":
                continue
            if url in (REGEX, QUESTION_TYPE) and _is_personnummer(item):
                continue
            if url == QUESTION_TYPE and ext.get("valueCode") == "scale":
                continue
            self.note(msg("fhir.note_extension", item=link, url=url))
        if item.get("initial"):
            self.note(msg("fhir.note_initial", item=link))
        prefix = str(item.get("prefix") or "")
        if re.match(r"^\d+[.)]?$", prefix):
            self.note(msg("fhir.note_numbers"))  # once: pdfforms numbers its questions
        elif prefix:
            self.note(msg("fhir.note_prefix", item=link, prefix=prefix))
        codes = item.get("code") or []
        if len(codes) > 1:
            self.note(msg("fhir.note_codes", item=link, n=len(codes)))
        if item.get("definition"):
            self.note(msg("fhir.note_item_element", item=link, element="definition"))

    def question(self, item: dict) -> list[dict]:
        """Our question(s) for one item (a grid-less item is one; nothing when left out)."""
        link = str(item.get("linkId"))
        kind = item.get("type")
        if item.get("readOnly"):
            self.note(msg("fhir.note_read_only", item=link))
            return []
        if any(
            e.get("url") == HIDDEN and e.get("valueBoolean") for e in item.get("extension") or []
        ):
            self.note(msg("fhir.note_hidden", item=link))  # not for the respondent's eyes
            return []
        self.item_notes(item, link)
        helps = [c for c in item.get("item") or [] if c.get("type") == "display"]
        children = [c for c in item.get("item") or [] if c.get("type") != "display"]
        if kind == "group":
            return self.repeating_group(item, link)
        if kind == "display":
            q = {
                "id": self.ident(link),
                "type": "info",
                "text": _plain(self.text(item, "text", link) or {self.main: link}),
            }
            self.ids[link] = q["id"]
            return [q]
        q: dict = {"id": self.ident(link)}
        label = self.text(item, "text", link)
        code = item.get("code") or []
        mapped = self.type_of(item, link, q)
        if mapped is None:
            self.taken.discard(q["id"])
            return []
        extra = {k: v for k, v in q.items() if k != "id"}  # the type's own keys, after
        q = {"id": q["id"], "type": mapped}
        q["label"] = _plain(label or {lang: link for lang in self.languages})
        if not label:
            self.note(msg("fhir.note_no_text", item=link))
        if helps:
            texts = [self.text(h, "text", str(h.get("linkId"))) for h in helps]
            texts = [t for t in texts if t]
            if texts:
                q["help"] = _plain(
                    {lang: " ".join(t[lang] for t in texts) for lang in self.languages}
                )
        if code and isinstance(code[0], dict) and code[0].get("system") and code[0].get("code"):
            q["code"] = {"system": code[0]["system"], "code": str(code[0]["code"])}
        if item.get("required"):
            q["required"] = True
        if item.get("repeats") and mapped != "multiple":
            self.note(msg("fhir.note_repeats", item=link))
        rule = self.condition(item, link)
        if rule is not None:
            q["enable_when"] = rule
        q.update(extra)
        self.ids[link] = q["id"]
        self.kinds[link] = mapped
        out = [q]
        for child in children:
            self.note(msg("fhir.note_child", item=child.get("linkId"), parent=link))
            out += self.question(child)
        return out

    def type_of(self, item: dict, link: str, q: dict) -> str | None:
        kind = item.get("type")
        if kind == "boolean":
            self.values[link] = {True: "yes", False: "no"}
            return "yesno"
        ours = [
            e.get("valueCode") for e in item.get("extension") or [] if e.get("url") == QUESTION_TYPE
        ]
        if kind == "string" and ours == ["personnummer"]:
            return "personnummer"
        if kind == "string":
            if item.get("maxLength"):
                q["max_length"] = int(item["maxLength"])
            return "text"
        if kind == "text":
            return "textarea"
        if kind == "integer":
            q["decimals"] = 0
            self.bounds(item, q, "valueInteger")
            return "number"
        if kind == "decimal":
            self.bounds(item, q, "valueDecimal")
            return "number"
        if kind == "date":
            self.bounds(item, q, "valueDate")
            return "date"
        if kind == "dateTime":
            self.note(msg("fhir.note_as", item=link, type=kind, ours="date"))
            return "date"
        if kind in ("time", "url"):
            self.note(msg("fhir.note_as", item=link, type=kind, ours="text"))
            return "text"
        if kind in ("choice", "open-choice"):
            options = self.options(item, link)
            if options is None:
                self.note(msg("fhir.note_as", item=link, type=kind, ours="text"))
                return "text"
            q["options"] = options
            if kind == "open-choice":
                words = self.other_labels.get(link) or {
                    lang: OTHER_WORDS.get(lang, OTHER_WORDS["en"]) for lang in self.languages
                }
                q["other"] = _plain(words)
            if ours == ["scale"] and not item.get("repeats") and self.scale(q, item):
                return "scale"
            if item.get("repeats"):
                return "multiple"
            if any(_control_code(e) == "drop-down" for e in item.get("extension") or []):
                if kind == "open-choice":
                    return "single"
                return "dropdown"
            return "single"
        self.note(msg("fhir.note_type", item=link, type=kind))
        return None

    def scale(self, q: dict, item: dict) -> bool:
        """Our own export's scale (its points coded 1..n, a last `na` choice): its
        bounds and end words back; False when the options are not such a scale."""
        options = q["options"]
        points = [o for o in options if re.fullmatch(r"-?\d+", o["value"])]
        rest = options[len(points) :]
        numbers = [int(o["value"]) for o in points]
        if len(points) < 2 or len(rest) > 1 or numbers != list(range(numbers[0], numbers[-1] + 1)):
            return False
        del q["options"]
        q["min"], q["max"] = numbers[0], numbers[-1]
        for key, point in (("min_label", points[0]), ("max_label", points[-1])):
            if point["label"] != point["value"]:
                q[key] = point["label"]
        if rest:
            q["na"] = rest[0]
        return True

    def bounds(self, item: dict, q: dict, key: str) -> None:
        for url, ours in ((MIN_VALUE, "min"), (MAX_VALUE, "max")):
            for ext in item.get("extension") or []:
                if ext.get("url") == url and key in ext:
                    q[ours] = ext[key]

    def options(self, item: dict, link: str) -> list[dict] | None:
        raw: list[tuple] = []  # (key for enableWhen, value text, label node, coding)
        for opt in item.get("answerOption") or []:
            if "valueCoding" in opt:
                c = opt["valueCoding"]
                code = c.get("code")
                if code is None:
                    self.note(msg("fhir.note_option", item=link, what="valueCoding without code"))
                    continue
                label = self.text(c, "display", link) or {
                    lang: str(code) for lang in self.languages
                }
                raw.append(((c.get("system"), str(code)), str(code), label, c))
            elif "valueString" in opt:
                value = opt["valueString"]
                label = self.text(opt, "valueString", link)
                raw.append((value, value, label, None))
            elif "valueInteger" in opt:
                value = opt["valueInteger"]
                raw.append((value, str(value), {lang: str(value) for lang in self.languages}, None))
            else:
                what = next((k for k in opt if k.startswith("value")), "?")
                self.note(msg("fhir.note_option", item=link, what=what))
            if opt.get("initialSelected"):
                self.note(msg("fhir.note_initial", item=link))
        if "answerValueSet" in item:
            ref = str(item["answerValueSet"])
            concepts = self.value_set(ref)
            if concepts is None:
                self.note(msg("fhir.note_value_set", item=link, url=ref))
                return None
            for system, code, display in concepts:
                label = {lang: display or code for lang in self.languages}
                raw.append(((system, code), code, label, {"system": system, "code": code}))
        if not raw:
            return None
        out = []
        mapping: dict = {}
        used: set[str] = set()
        for key, value, label, coding in raw:
            ours = re.sub(r"[^A-Za-z0-9]+", "_", value).strip("_")
            ours = re.sub(r"_+", "_", ours)
            if ours == OTHER and item.get("type") == "open-choice":
                # our own export's `other`: the choice whose words go with the written text
                self.other_labels[link] = label
                mapping[key] = OTHER
                continue
            if not ours or ours == OTHER or ours in used:
                ours = f"o{len(out) + 1}"
            used.add(ours)
            option = {"value": ours, "label": _plain(label)}
            if (
                coding is not None
                and coding.get("system")
                and _FHIR_CODE.match(str(coding.get("code")))
            ):
                option["code"] = {"system": coding["system"], "code": str(coding["code"])}
            mapping[key] = ours
            if isinstance(key, tuple):
                mapping[key[1]] = ours  # an answerCoding without a system
            out.append(option)
        self.values[link] = mapping
        return out

    def value_set(self, ref: str) -> list[tuple] | None:
        """The concepts of a contained ValueSet (`#id`); None for one we cannot read."""
        if not ref.startswith("#"):
            return None
        vs = self.contained.get(ref[1:])
        if not vs or vs.get("resourceType") != "ValueSet":
            return None
        out = []
        for include in (vs.get("compose") or {}).get("include") or []:
            system = include.get("system")
            concepts = include.get("concept")
            if concepts is None:
                cs = next(
                    (
                        r
                        for r in self.contained.values()
                        if r.get("url") == system and r.get("resourceType") == "CodeSystem"
                    ),
                    None,
                )
                if cs is None:
                    return None
                concepts = cs.get("concept") or []
            for c in concepts:
                out.append((system, str(c.get("code")), c.get("display")))
        for c in (vs.get("expansion") or {}).get("contains") or []:
            if not out:
                out.append((c.get("system"), str(c.get("code")), c.get("display")))
        return out or None

    def condition(self, item: dict, link: str) -> dict | None:
        tests = item.get("enableWhen") or []
        if not tests:
            if item.get("extension") and any(
                "enableWhenExpression" in str(e.get("url")) for e in item["extension"]
            ):
                self.note(msg("fhir.note_condition_dropped", item=link))
            return None
        parts = []
        for test in tests:
            part = self.test(test, link)
            if part is None:
                return None  # noted by test: the question is asked of everyone
            parts.append(part)
        if len(parts) == 1:
            return parts[0]
        behavior = "any" if item.get("enableBehavior") == "any" else "all"
        targets = {p.get("question") for p in parts}
        if behavior == "any" and len(targets) == 1 and all("equals" in p for p in parts):
            # one answer of several of one question: `in`, as a definition says it
            return {"question": targets.pop(), "in": [p["equals"] for p in parts]}
        return {behavior: parts}

    def test(self, test: dict, link: str) -> dict | None:
        target = str(test.get("question"))
        op = test.get("operator")
        if target not in self.ids or target not in self.kinds:
            self.note(msg("fhir.note_condition", item=link, question=target, operator=op))
            return None
        qid = self.ids[target]
        kind = self.kinds[target]
        answer_key = next((k for k in test if k.startswith("answer")), None)
        answer = test.get(answer_key) if answer_key else None
        if op == "exists":
            if kind not in ("single", "multiple", "dropdown", "yesno"):
                self.note(msg("fhir.note_condition", item=link, question=target, operator=op))
                return None
            values = sorted(set(self.values[target].values()), key=str)
            cond = {"question": qid, "in": values}
            return cond if answer else {"not": cond}
        if op in ("=", "!="):
            value = self.value_of(target, answer_key, answer)
            if value is None:
                self.note(msg("fhir.note_condition", item=link, question=target, operator=op))
                return None
            cond = {"question": qid, "equals": value}
            return cond if op == "=" else {"not": cond}
        if (
            op in (">", "<", ">=", "<=")
            and kind == "number"
            and answer_key
            in (
                "answerInteger",
                "answerDecimal",
            )
        ):
            key = {">": "more_than", "<": "less_than", ">=": "at_least", "<=": "at_most"}[op]
            return {"question": qid, key: answer}
        self.note(msg("fhir.note_condition", item=link, question=target, operator=op))
        return None

    def value_of(self, target: str, key: str | None, answer):
        mapping = self.values.get(target) or {}
        if key == "answerBoolean":
            return mapping.get(bool(answer))
        if key == "answerCoding" and isinstance(answer, dict):
            code = str(answer.get("code"))
            return mapping.get((answer.get("system"), code)) or mapping.get(code)
        if key in ("answerString", "answerInteger"):
            return mapping.get(answer)
        return None

    def grid(self, item: dict) -> list[dict]:
        """A group of single-choice questions with the same answers: a grid, a row each
        (as `questionnaire` writes a grid)."""
        link = str(item.get("linkId"))
        self.item_notes(item, link)
        rows = [c for c in item["item"] if c.get("type") != "display"]
        q: dict = {"id": self.ident(link), "type": "grid"}
        q["label"] = _plain(
            self.text(item, "text", link) or {lang: link for lang in self.languages}
        )
        rule = self.condition(item, link)
        if rule is not None:
            q["enable_when"] = rule
        if all(r.get("required") for r in rows):
            q["required"] = True
        elif any(r.get("required") for r in rows):
            self.note(msg("fhir.note_grid_required", item=link))
        q["rows"] = []
        seen: set[str] = set()
        for row in rows:
            row_link = str(row.get("linkId"))
            self.item_notes(row, row_link)
            rid = _part_id(row_link.removeprefix(f"{link}__"), "r", seen)
            label = self.text(row, "text", row_link) or {lang: row_link for lang in self.languages}
            q["rows"].append({"id": rid, "label": _plain(label)})
        options = self.options(rows[0], str(rows[0].get("linkId")))
        q["options"] = options
        self.ids[link] = q["id"]
        return [q]

    def repeating_group(self, item: dict, link: str) -> list[dict]:
        children = [c for c in item.get("item") or [] if c.get("type") != "display"]
        simple = {"string": "text", "date": "date", "integer": "number", "decimal": "number"}
        if (
            not item.get("repeats")
            or not children
            or len(children) > 4
            or any(c.get("type") not in simple for c in children)
        ):
            self.note(msg("fhir.note_type", item=link, type="group (repeats)"))
            return []
        rows = next(
            (
                e.get("valueInteger")
                for e in item.get("extension") or []
                if e.get("url") == MAX_OCCURS
            ),
            None,
        )
        if not rows:
            rows = DEFAULT_GROUP_ROWS
            self.note(msg("fhir.note_rows", item=link, n=rows))
        q: dict = {"id": self.ident(link), "type": "group"}
        q["label"] = _plain(
            self.text(item, "text", link) or {lang: link for lang in self.languages}
        )
        q["rows"] = min(int(rows), 12)
        columns = []
        seen: set[str] = set()
        for child in children:
            # our own export's linkIds are <group>__<column>
            cid = _part_id(str(child.get("linkId")).removeprefix(f"{link}__"), "c", seen)
            column = {"id": cid, "type": simple[child["type"]]}
            column["label"] = _plain(
                self.text(child, "text", str(child.get("linkId")))
                or {lang: cid for lang in self.languages}
            )
            if child["type"] == "integer":
                column["decimals"] = 0
            columns.append(column)
        q["items"] = columns
        if item.get("required"):
            q["required"] = True
        self.ids[link] = q["id"]
        self.kinds[link] = "group"
        return [q]


def _is_personnummer(item: dict) -> bool:
    return item.get("type") == "string" and any(
        e.get("url") == QUESTION_TYPE and e.get("valueCode") == "personnummer"
        for e in item.get("extension") or []
    )


def _grid_like(item: dict) -> bool:
    """A group whose items are all one-answer choices with the same answerOption."""
    rows = [c for c in item.get("item") or [] if c.get("type") != "display"]
    if len(rows) < 2 or any(
        r.get("type") != "choice" or r.get("repeats") or r.get("item") or r.get("enableWhen")
        for r in rows
    ):
        return False
    first = rows[0].get("answerOption")
    return bool(first) and all(r.get("answerOption") == first for r in rows)


def _translation_lang(ext: dict) -> str | None:
    for e in ext.get("extension") or []:
        if e.get("url") == "lang" and isinstance(e.get("valueCode"), str):
            lang = e["valueCode"].split("-")[0].lower()
            return lang if re.match(r"^[a-z]{2,3}$", lang) else None
    return None


def _control_code(ext: dict) -> str | None:
    if ext.get("url") != ITEM_CONTROL:
        return None
    codings = (ext.get("valueCodeableConcept") or {}).get("coding") or []
    return codings[0].get("code") if codings else None


def _plain(text: dict) -> dict | str:
    """A text as a definition writes it: a plain string when every language has the same."""
    values = set(text.values())
    return next(iter(values)) if len(values) == 1 else dict(text)


def import_questionnaire(path: str | Path) -> tuple[dict, list[str]]:
    """A FHIR R4 Questionnaire (a JSON file) as a definition, and the notes: one line
    for each element not carried over or approximated, naming its linkId."""
    path = Path(path)
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise FhirError(msg("fhir.cannot_read", path=path, reason=exc.strerror or exc)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FhirError(msg("fhir.not_json", path=path, reason=exc)) from None
    if not isinstance(data, dict):
        raise FhirError(msg("fhir.not_questionnaire", path=path, kind=type(data).__name__))
    importer = _Importer(data, str(path))
    definition = importer.run()
    return definition, importer.notes


def _part_id(name: str, letter: str, seen: set[str]) -> str:
    """A grid row's or a group column's id from its linkId: lowercase letters, digits
    and '_', starting with a letter (`letter` put first otherwise), not yet in `seen`
    (which it joins)."""
    part = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or letter
    if not part[0].isalpha():
        part = f"{letter}_{part}"
    while part in seen:
        part += "_2"
    seen.add(part)
    return part


__all__ = [
    "CONCEPTS",
    "PROJECT",
    "FhirError",
    "bundle",
    "import_questionnaire",
    "options_system",
    "question_coding",
    "questionnaire",
    "questionnaire_response",
    "questionnaire_url",
]
