"""Personnummer in everything a dataset holds: pseudonymised, kept, or left out.

One policy (`Privacy`) serves extract, review and report: a personnummer answer,
numbers written in free text, and problem messages that quote a personnummer box.
A report masks free text once more, whatever the dataset was made with
(`mask_for_report`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .form import Form
from .personnummer import PersonnummerError, parse_personnummer, pseudonymise

PSEUDONYMISE, KEEP, DROP = "pseudonymise", "keep", "drop"


WITHHELD = "[personnummer]"
NUMBER_MASK = "[nummer]"  # a report's mask for a number shaped like a personnummer


# Twelve or ten digits, with or without the separator, not inside a longer number:
# how people write a personnummer in free text ("ring mig, 19121212-1212").
PNR_IN_TEXT = re.compile(r"(?<![\d-])(?:\d{2})?\d{6}[-+ ]?\d{4}(?![\d-])")
# A Swedish telephone number as people write it: 0 or +46/0046 and the rest of its 7 to
# 10 digits, single spaces or hyphens between them ("070-123 45 67", "08-12 34 56",
# "+46 70 123 45 67"), not inside a longer number. A report has no use for one and it
# names a person as surely as a personnummer. Dates (2026-12-03) and amounts do not
# begin with a lone 0, and a 0 followed by fewer than 6 digits ("0 5 10") is not one.
PHONE_IN_TEXT = re.compile(r"(?<![\d+])(?:\+46|0046|0)(?:[ -]?\d){6,10}(?![\d])")
# What `pseudonymise` writes ("pn:" and the HMAC in hex): it links a person's returns.
PSEUDONYM_IN_TEXT = re.compile(r"\bpn:[0-9a-f]{8,}\b")


@dataclass(frozen=True)
class Privacy:
    """What happens to personnummer in everything a dataset holds.

    `pseudonymise` replaces each valid number with an HMAC of it (the same person
    gets the same pseudonym under one key, so two returns can be linked); `drop`
    leaves personnummer columns out and masks numbers found in free text; `keep`
    writes them as given.
    """

    mode: str = DROP
    key: bytes | None = field(default=None, repr=False)

    @property
    def key_id(self) -> str:
        """Tells keys apart (two datasets are linkable only under one key) without revealing it."""
        if not self.key:
            return ""
        return hashlib.sha256(b"pdfforms key id\0" + self.key).hexdigest()[:12]

    def describe(self) -> str:
        if self.mode == PSEUDONYMISE:
            return (
                "pseudonymised: 'pn:' + HMAC-SHA256 of the 12-digit number with the key "
                f"{self.key_id}; the same person has the same pseudonym under this key"
            )
        if self.mode == KEEP:
            return "kept as written (--keep-personnummer): this column identifies people"
        return (
            "left out: personnummer are not written without --pseudonymise-key or "
            "--keep-personnummer"
        )

    def number(self, value: str | None) -> str | None:
        """An interpreted personnummer answer (12 digits, valid) as it may be written."""
        if value is None or self.mode == KEEP:
            return value
        if self.mode == PSEUDONYMISE:
            return pseudonymise(parse_personnummer(value), self.key)
        return None

    def text(self, value):
        """Free text with every personnummer in it replaced (pseudonym or a mask)."""
        if self.mode == KEEP or not isinstance(value, str) or not PNR_IN_TEXT.search(value):
            return value
        return PNR_IN_TEXT.sub(self._replace_valid, value)

    def group(self, q, rows):
        """A group's rows with `text` applied to its written columns (free text too)."""
        if not isinstance(rows, list):
            return rows
        texts = {item.id for item in q.items if item.type == "text"}
        return [
            {k: self.text(v) if k in texts else v for k, v in row.items()}
            if isinstance(row, dict)
            else row
            for row in rows
        ]

    def _replace_valid(self, match: re.Match) -> str:
        try:
            number = parse_personnummer(match.group(0))
        except PersonnummerError:
            return match.group(0)  # not a personnummer: a phone number, an amount
        return pseudonymise(number, self.key) if self.mode == PSEUDONYMISE else WITHHELD

    def raw_number_text(self, value):
        """Text quoting what was written in a personnummer box: every number-like run goes."""
        if self.mode == KEEP or not isinstance(value, str):
            return value
        return re.sub(r"\d[\d\s+-]{5,}\d", WITHHELD, self.text(value))

    def apply(self, obj: dict, form: Form) -> dict:
        """A parsed form (SPEC §4 JSON) as it may be written under this policy, in place."""
        if self.mode == KEEP:
            return obj
        answers = obj["answers"]
        number_questions = set()
        for q in form.answerable:
            if q.type == "personnummer":
                number_questions.add(q.id)
                answers[q.id] = self.number(answers.get(q.id))
            elif q.type in ("text", "textarea"):
                answers[q.id] = self.text(answers.get(q.id))
            elif q.type == "group":
                answers[q.id] = self.group(q, answers.get(q.id))
            if q.other is not None:
                key = f"{q.id}__other_text"
                answers[key] = self.text(answers.get(key))
        for problem in obj["problems"]:
            if problem.get("question") in number_questions:
                problem["message"] = self.raw_number_text(problem["message"])
            else:
                problem["message"] = self.text(problem["message"])
        for item in obj["review"]:
            if item.get("question") in number_questions:
                # what the recogniser read in a personnummer's comb cells is the number,
                # digit by digit, unchecked (a '?' would keep a regex from seeing it
                # whole): it goes, and review shows the crop alone
                for key in ("suggestion", "cells"):
                    item.pop(key, None)
                if "suggestion_problem" in item:
                    item["suggestion_problem"] = self.raw_number_text(item["suggestion_problem"])
            for k, v in item.items():
                if isinstance(v, str) and k != "image":
                    item[k] = self.text(v)
        obj["source"]["file"] = self.text(obj["source"]["file"])
        return obj


_DROPPED = Privacy(DROP)


def mask_for_report(text: str) -> str:
    """Free text as a report may print it: personnummer and their pseudonyms masked.

    `extract` masks personnummer in free text unless told to keep them; a report
    masks them again, whatever the dataset was made with, and also the `pn:`
    pseudonyms, which link a person's returns. A number shaped like a
    personnummer that fails its check (a slip of the pen), and a telephone number
    however it is written, are masked as well: a report has no use for them.
    """
    text = PSEUDONYM_IN_TEXT.sub(WITHHELD, _DROPPED.text(text))
    return PHONE_IN_TEXT.sub(NUMBER_MASK, PNR_IN_TEXT.sub(NUMBER_MASK, text))


# Columns that would name or locate a person: never a report's group, never kept in a
# print run's ledger (a personnummer question is refused by its type). Compared with
# a column's name, or a question's id and code, word by word, case, "_" and "-" aside.
PERSONAL_WORDS = (
    "personnummer",
    "personnr",
    "pnr",
    "samordningsnummer",
    "namn",
    "name",
    "fornamn",
    "förnamn",
    "efternamn",
    "tilltalsnamn",
    "adress",
    "address",
    "postadress",
    "gatuadress",
    "postnummer",
    "postnr",
    "postort",
    "ort",
    "c/o",  # the address block's care-of line (generate/letter.py)
    "telefon",
    "tel",
    "mobil",
    "phone",
    "epost",
    "email",
    "mail",
    "födelsedatum",
    "fodelsedatum",
    "ifylldav",  # who filled in the unit's form
    "filledby",
    "kontaktperson",
    "contactperson",
    "mottagare",  # a letter's recipient
    "recipient",
)
# names of a care unit, which a word of them ("namn") would take for a person's
NOT_PERSONAL = ("enhetens_namn", "verksamhetens_namn", "unit_name")


def personal(name: str) -> bool:
    """Whether a column's name (or a question's code) says it holds who a person is."""
    plain = name.casefold().replace("-", "_")
    if plain in NOT_PERSONAL:  # "enhetens_namn" names a care unit, not a person
        return False
    words = plain.split("_")
    return plain.replace("_", "") in PERSONAL_WORDS or any(w in PERSONAL_WORDS for w in words)
