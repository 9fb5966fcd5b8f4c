"""What every reader produces: raw values keyed by field name, plus the form's identity."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..identity import Identity


class ReadError(Exception):
    """A file that cannot be read as one of our forms. The message is for people."""


@dataclass
class RawForm:
    """One returned file, read but not yet interpreted."""

    file: str
    sha256: str
    pages: int = 0
    kind: str = ""  # acroform | flattened | scan
    identity: Identity = field(default_factory=Identity)
    fields: dict[str, str | None] = field(default_factory=dict)
    # Radio groups (and single-choice boxes on paper) with more than one mark:
    # field name → the marked on-states. The field's value is then None.
    multiple_marks: dict[str, list[str]] = field(default_factory=dict)
    embedded_definition: str | None = None
    data: bytes | None = None  # the file's bytes, kept for readers that draw the page
