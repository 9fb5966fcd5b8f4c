"""What every reader produces: raw values keyed by field name, plus the form's identity."""

from __future__ import annotations

from dataclasses import dataclass, field


class ReadError(Exception):
    """A file that cannot be read as one of our forms. The message is for people."""


@dataclass
class Identity:
    """Which form a file claims to be, as found in the file itself."""

    form: str | None = None
    version: str | None = None
    language: str | None = None
    serial: str | None = None
    fingerprint: str | None = None
    found_in: str = ""  # where the identity was found: info, keywords, fields


@dataclass
class RawForm:
    """One returned file, read but not yet interpreted."""

    file: str
    sha256: str
    pages: int = 0
    kind: str = ""  # acroform | flattened | scan
    identity: Identity = field(default_factory=Identity)
    fields: dict[str, str | None] = field(default_factory=dict)
    embedded_definition: str | None = None
