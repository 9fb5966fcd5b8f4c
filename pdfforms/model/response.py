"""A parsed form (SPEC §4): its answers, its problems, and what a person must look at."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field

from .form import Form


@dataclass
class Problem:
    question: str | None
    code: str
    severity: str  # error | warning
    message: str

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class ReviewItem:
    """One thing a person must look at (SPEC §4 `review`): a box, a text, or a whole page.

    The scan reader makes them (parse/scan.py); the review and the dataset read
    them back from the journal's JSON with `from_json`. What each reason carries:

    - `uncertain_mark`: a tick box that is neither clearly marked nor clearly
      empty, or has ink around it or at its words: `field`, `option` (the box),
      `marked` (the boxes of its group read as firmly marked), `seen` and
      `note` (what the reader saw, as a code and in words), `confidence`, `ink`;
    - `handwriting` (a written text box to transcribe) and `ocr` (one a machine
      read, its `text` to check): `field`;
    - `faint_writing` (too faint to call written or empty): `field`, `confidence`;
    - `handwriting` in comb cells (a personnummer, date or number) also carries the
      recogniser's `suggestion` ('?' where a digit was not read surely), its `cells`
      (state, digit and confidence of each digit cell) and, when the suggestion is
      incomplete or fails the question's own check, `suggestion_problem` in words: a
      person confirms or corrects it, the answer stays null until then;
    - `alignment`, `poor_scan`, `page_placed_by_layout`: a whole page (`question`
      is None), with the `fields` on it in printed order;

    and all of them the form's `page`, the scan file's `file_page` and the crop
    (`image`). A value of None is a key the item does not have (but `question`,
    which every item has).
    """

    question: str | None  # None: a whole page
    reason: str
    field: str | None = None
    option: str | None = None
    marked: list[str] | None = None
    seen: str | None = None
    note: str | None = None
    page: int | None = None
    fields: list[str] | None = None
    file_page: int | None = None
    confidence: float | None = None
    ink: float | None = None
    image: str | None = None
    text: str | None = None
    suggestion: str | None = None
    cells: list[dict] | None = None
    suggestion_problem: str | None = None
    # Keys read from JSON that this version does not know, kept as they were.
    # (dataclasses.field: inside this class, `field` is the field above.)
    extra: dict = dataclasses.field(default_factory=dict, repr=False)

    # The order of the keys in the JSON, which the journal and the datasets keep.
    KEYS = (
        "question",
        "field",
        "option",
        "marked",
        "reason",
        "seen",
        "note",
        "page",
        "fields",
        "file_page",
        "confidence",
        "ink",
        "image",
        "text",
        "suggestion",
        "cells",
        "suggestion_problem",
    )

    def to_json(self) -> dict:
        out = {"question": self.question}
        for key in self.KEYS[1:]:
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out | self.extra

    @classmethod
    def from_json(cls, obj: dict) -> ReviewItem:
        known = set(cls.KEYS)
        return cls(
            **{key: obj.get(key) for key in cls.KEYS},
            extra={k: v for k, v in obj.items() if k not in known},
        )


@dataclass
class Response:
    """One parsed form: the JSON object of SPEC §4."""

    form_id: str
    version: str
    language: str
    serial: str | None
    source: dict
    answers: dict
    problems: list[Problem] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    # The care unit the copy was printed for, as the copy says (its document
    # information, or the line at the top of its first page), or as the print run's
    # ledger says for its serial (dataset.extract, with a `unit_from_ledger` notice).
    unit: str | None = None
    # The definition the answers were read with (not part of the JSON).
    form: Form | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict:
        return {
            "form": {"id": self.form_id, "version": self.version, "language": self.language},
            "serial": self.serial,
            "unit": self.unit,
            "source": self.source,
            "answers": self.answers,
            "problems": [p.to_json() for p in self.problems],
            "review": [i.to_json() for i in self.review],
        }
