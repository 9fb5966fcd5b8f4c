"""A parsed form (SPEC §4): its answers, its problems, and what a person must look at."""

from __future__ import annotations

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
class Response:
    """One parsed form: the JSON object of SPEC §4."""

    form_id: str
    version: str
    language: str
    serial: str | None
    source: dict
    answers: dict
    problems: list[Problem] = field(default_factory=list)
    review: list[dict] = field(default_factory=list)
    # The definition the answers were read with (not part of the JSON).
    form: Form | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict:
        return {
            "form": {"id": self.form_id, "version": self.version, "language": self.language},
            "serial": self.serial,
            "source": self.source,
            "answers": self.answers,
            "problems": [p.to_json() for p in self.problems],
            "review": self.review,
        }
