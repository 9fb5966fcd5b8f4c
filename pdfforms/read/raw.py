"""What every reader produces: raw values keyed by field name, plus the form's identity."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..model.errors import PdfformsError
from ..model.identity import Identity
from ..model.messages import text as msg


class ReadError(PdfformsError):
    """A file that cannot be read as one of our forms. The message is for people."""


# Problem code (SPEC §4) for a file, or a field, found broken while reading: the
# answers it touches cannot be trusted as they stand (README, "What a parsed form
# looks like").
DAMAGED = "damaged_file"


@dataclass
class RawForm:
    """One returned file, read but not yet interpreted."""

    file: str
    sha256: str
    pages: int = 0
    kind: Literal["", "acroform", "flattened", "scan"] = ""  # "": not known yet
    identity: Identity = field(default_factory=Identity)
    fields: dict[str, str | None] = field(default_factory=dict)
    # Radio groups (and single-choice boxes on paper) with more than one mark:
    # field name → the marked on-states. The field's value is then None.
    multiple_marks: dict[str, list[str]] = field(default_factory=dict)
    embedded_definition: str | None = None
    data: bytes | None = None  # the file's bytes, kept for readers that draw the page
    # What was found broken in the file as a whole, each a sentence for people
    # (qpdf had to repair it, its identity contradicts itself, a page does not show
    # the form). Each makes the response carry a `damaged_file` error.
    damage: list[str] = field(default_factory=list)
    # Fields whose value cannot be known (no type or a wrong one, a broken widget,
    # text that does not decode): field name → why. Their value is None.
    field_faults: dict[str, str] = field(default_factory=dict)
    # Field name → the type the file gives it (/Tx, /Btn, /Ch; "" when it gives none).
    field_types: dict[str, str] = field(default_factory=dict)
    # Flattened copies: text fields whose typed text runs on past their box (field →
    # the text beyond it). Not part of the value read; parse says so in a problem.
    beyond: dict[str, str] = field(default_factory=dict)
    # Flattened copies of a form whose language has letters the fields' font cannot
    # draw, or writes right to left: text field → those letters. What was typed in them
    # may be lost or changed on the copy; the value read is kept, and parse says it is
    # unsure.
    unsure: dict[str, str] = field(default_factory=dict)
    # Flattened copies: the letters the form's fields' font has, in words (typed text
    # in other letters may have been left out without a trace).
    typed_letters: str = ""
    # A file that names no form, matched to one by its field names: the versions of that
    # form whose fields are the same (parse says which was taken, and that it was chosen).
    matched_by_fields: list[str] = field(default_factory=list)
    # Flattened copies: text fields that typed text from the box above runs on into.
    runs_on: list[str] = field(default_factory=list)
    # Flattened copies: text fields of several lines written down to the bottom of
    # their box, with nothing found past it (field → lines of room left, 0 or 1).
    # What went on past the box may be lost; parse says so in a problem.
    full: dict[str, int] = field(default_factory=dict)


def check_regular_file(path: str | Path) -> None:
    """Refuse what is not a regular file (a folder, a pipe, a device), without opening it.

    Opening a pipe for reading waits for a writer, for ever if none comes: so a
    file is looked at with stat() before anything reads it. Every reader of
    returned files (parse, extract's workers) asks here.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ReadError(msg("read.no_such_file")) from None
    except OSError as exc:
        raise ReadError(msg("read.cannot_read", reason=exc.strerror or exc)) from None
    if stat.S_ISDIR(mode):
        raise ReadError(msg("read.folder"))
    if not stat.S_ISREG(mode):
        raise ReadError(msg("read.not_regular"))
