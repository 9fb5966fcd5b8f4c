"""A JSON Schema of the definition format, built from the loader's own key tables.

Editors (VS Code's YAML extension, JetBrains) use it to complete and check
definitions as they are typed. It is derived from `definition.py`'s tables so the
two can never disagree about which keys exist; the loader remains the judge
of what the schema cannot say (translations complete, ids unique, conditions
looking back).
"""

from __future__ import annotations

from .definition import (
    COMMON_KEYS,
    CONDITION_GROUPS,
    CONDITION_KEYS,
    DATA_PROTECTION_KEYS,
    DATA_PROTECTION_REQUIRED,
    FORM_KEYS,
    FORM_REQUIRED,
    ITEM_KEYS,
    LETTER_KEYS,
    LOGO_KEYS,
    OPTION_KEYS,
    ROW_KEYS,
    SECTION_KEYS,
    SENDER_KEYS,
    TYPE_KEYS,
)
from .form import (
    COMPARISONS,
    GROUP_ITEM_TYPES,
    MAX_GROUP_ITEMS,
    QUESTION_TYPES,
    TRANSLATION_STATUSES,
)

SCHEMA_ID = "https://pdfforms.invalid/schema/definition.json"

DESCRIPTIONS = {
    "form": "Form id: lowercase letters, digits, '_' and '-'.",
    "version": "Version, printed on every page and stored in the PDF.",
    "languages": "Language codes; the first is the default.",
    "title": "The form's title.",
    "intro": "Text under the title.",
    "data_protection": "How the answers are handled (GDPR), printed at the end of the form.",
    "controller": "Who is responsible for the personal data (personuppgiftsansvarig).",
    "purpose": "What the answers are used for.",
    "legal_basis": "The legal basis of the processing.",
    "retention": "How long the answers are kept.",
    "rights": "The respondent's rights (access, correction, complaint to IMY).",
    "contact": "Where to ask: the data protection officer, an address.",
    "option_sets": "Named answer lists that questions refer to by name.",
    "sections": "The sections of the form, in order.",
    "letter": (
        "The cover letter a print run with respondents prints before each copy: its "
        "text per language ({column} placeholders), subject, sender and a fixed date."
    ),
    "logo": "An image (PNG or JPEG) on each copy's first page and on letters, with alt text.",
    "translations": (
        "Per language, who made its texts: status 'machine' (not yet checked by a "
        "qualified translator; validate warns) or 'reviewed', and a note."
    ),
    "id": "Lowercase letters, digits and single '_'.",
    "type": "The question type.",
    "label": "The question as printed.",
    "help": "Printed small under the label.",
    "required": "A blank answer is an error.",
    "code": (
        "Concept code; the same code on two forms pairs the questions (e.g. skr-7-1), "
        "or {system, code}: a code in a named code system (e.g. LOINC), for FHIR exports."
    ),
    "enable_when": (
        "Ask this question (or every question of this section) only when an earlier one "
        "has one of these answers, or a number in these bounds (at_least, at_most, "
        "more_than, less_than); all, any and not combine conditions."
    ),
    "numbered": (
        "false: the section's questions are printed without a number, so that the "
        "numbers of the others (such as SKR's seven questions) start at 1."
    ),
    "text": "The text of an info block.",
    "options": "An option-set name or a list of {value, label}.",
    "other": "Label of an extra 'other' choice with a write-in line.",
    "rows": "Grid rows: a list of {id, label}.",
    "lines": "Height of the text box in written lines.",
    "max_length": "Longest answer expected, in characters.",
    "decimals": "Decimals allowed; 0 means whole numbers.",
    "min_choices": "Fewest boxes to tick.",
    "max_choices": "Most boxes to tick.",
    "min_label": "Text under the lowest point.",
    "max_label": "Text under the highest point.",
    "na": "An extra option beside the scale, e.g. Vet inte.",
}


def _kind(kind: str, context: str = "") -> dict:
    text = {
        "oneOf": [
            {"type": "string", "minLength": 1},
            {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "propertyNames": {"pattern": "^[a-z]{2,3}$"},
            },
        ]
    }
    option = {"$ref": "#/$defs/option"}
    coding = {
        "type": "object",
        "properties": {
            "system": {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$"},
            "code": {"type": ["string", "integer"], "pattern": r"^\S+( \S+)*$"},
        },
        "required": ["system", "code"],
        "additionalProperties": False,
    }
    kinds = {
        "text": text,
        "id": {"type": "string", "pattern": "^[a-z](?!.*__)[a-z0-9_]*$"},
        "form_id": {"type": "string", "pattern": "^[a-z](?!.*__)[a-z0-9_-]*$"},
        "version": {"type": ["string", "number"]},
        "languages": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {"type": "string", "pattern": "^[a-z]{2,3}$"},
        },
        "option_sets": {
            "type": "object",
            "additionalProperties": {"type": "array", "minItems": 1, "items": option},
        },
        "sections": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/section"}},
        "questions": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/question"}},
        "type": {"enum": list(QUESTION_TYPES)},
        "bool": {"type": "boolean"},
        "code": {
            "oneOf": [
                {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.:-]*$"},
                coding,
            ]
        },
        "coding": coding,
        "enable_when": {"$ref": "#/$defs/condition"},
        "data_protection": {"$ref": "#/$defs/data_protection"},
        "letter": {"$ref": "#/$defs/letter"},
        "sender": {"$ref": "#/$defs/sender"},
        "logo": {"$ref": "#/$defs/logo"},
        "phrase": {"type": "string", "minLength": 1},
        "lines": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "positive_int": {"type": "integer", "minimum": 1},
        "nonnegative_int": {"type": "integer", "minimum": 0},
        "decimals": {"type": "integer", "minimum": 0, "maximum": 6},
        "int": {"type": "integer"},
        "number": {"type": "number"},
        "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "options": {
            "oneOf": [{"type": "string"}, {"type": "array", "minItems": 1, "items": option}]
        },
        "option": option,
        "option_value": {
            "type": ["string", "integer"],
            "pattern": "^(?!other$)(?!.*__)[A-Za-z0-9_]+$",
        },
        "rows": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/row"}},
        "items": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_GROUP_ITEMS,
            "items": {"$ref": "#/$defs/item"},
        },
        "value_list": {
            "type": "array",
            "minItems": 1,
            "items": {"type": ["string", "integer", "boolean"]},
        },
        "value": {"type": ["string", "integer", "boolean"]},
        "translations": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z]{2,3}$"},
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "status": {"enum": list(TRANSLATION_STATUSES)},
                    "note": {"type": "string"},
                },
                "required": ["status"],
                "additionalProperties": False,
            },
        },
    }
    out = dict(kinds[kind])
    if context in DESCRIPTIONS:
        out["description"] = DESCRIPTIONS[context]
    return out


def _object(keys: dict[str, str], required=(), extra: dict | None = None) -> dict:
    schema = {
        "type": "object",
        "properties": {k: _kind(v, k) for k, v in keys.items()},
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    if extra:
        schema.update(extra)
    return schema


def _only(keys: list[str]) -> dict:
    """A test that names its answers one way: some of `keys`, none of the others."""
    others = [k for k in ("in", "equals", *COMPARISONS) if k not in keys]
    return {
        "anyOf": [{"required": [k]} for k in keys],
        "not": {"anyOf": [{"required": [k]} for k in others]},
    }


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a definition file."""
    variants = []
    for qtype in QUESTION_TYPES:
        keys = {**COMMON_KEYS, **TYPE_KEYS[qtype]}
        required = ["id", "type"] + (["label"] if qtype != "info" else [])
        if qtype in ("single", "multiple", "grid", "dropdown"):
            required.append("options")
        if qtype == "grid":
            required.append("rows")
        if qtype == "group":
            required += ["rows", "items"]
        if qtype == "scale":
            required += ["min", "max"]
        variant = _object(keys, required)
        variant["properties"]["type"] = {"const": qtype}
        variants.append(
            {
                "if": {"properties": {"type": {"const": qtype}}, "required": ["type"]},
                "then": variant,
            }
        )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "pdfforms form definition",
        **_object(FORM_KEYS, FORM_REQUIRED),
        "$defs": {
            "section": _object(SECTION_KEYS, ["id", "questions"]),
            "question": {
                "type": "object",
                "required": ["id", "type"],
                "properties": {"type": _kind("type", "type")},
                "allOf": variants,
            },
            "option": _object(OPTION_KEYS, ["value", "label"]),
            "row": _object(ROW_KEYS, ["id", "label"]),
            "item": {
                "type": "object",
                "required": ["id", "type", "label"],
                "properties": {"type": {"enum": list(GROUP_ITEM_TYPES)}},
                "allOf": [
                    {
                        "if": {"properties": {"type": {"const": t}}, "required": ["type"]},
                        "then": _object({**ITEM_KEYS, **TYPE_KEYS[t]}),
                    }
                    for t in GROUP_ITEM_TYPES
                ],
            },
            "data_protection": _object(DATA_PROTECTION_KEYS, DATA_PROTECTION_REQUIRED),
            "letter": _object(LETTER_KEYS, ["text"]),
            "sender": _object(SENDER_KEYS, ["name"]),
            "logo": _object(LOGO_KEYS, ["file", "alt"]),
            "condition": {
                "oneOf": [
                    _object(
                        CONDITION_KEYS,
                        ["question"],
                        {"oneOf": [_only(["in"]), _only(["equals"]), _only(list(COMPARISONS))]},
                    ),
                    *(
                        {
                            "type": "object",
                            "properties": {
                                group: {"$ref": "#/$defs/condition"}
                                if group == "not"
                                else {
                                    "type": "array",
                                    "minItems": 1,
                                    "items": {"$ref": "#/$defs/condition"},
                                }
                            },
                            "required": [group],
                            "additionalProperties": False,
                        }
                        for group in CONDITION_GROUPS
                    ),
                ]
            },
        },
    }
