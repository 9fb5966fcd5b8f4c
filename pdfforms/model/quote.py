"""Raw text quoted in a message: repr(), so a stray newline or an invisible
character shows, and bounded where a paste could flood the message.

SPEC §4: a problem never drops the raw text, it quotes it. The parsers of typed
text (coerce, personnummer) cut what they quote at MAX_QUOTED characters: a date
or a number thousands of characters long is a paste gone wrong, and its message
goes to a person. Interpretation (parse/interpret.py) quotes a field's value whole.
"""

from __future__ import annotations

MAX_QUOTED = 2000  # characters; more is cut, with "…" at the end


def quote(text: str, limit: int | None = MAX_QUOTED) -> str:
    """`text` as repr() shows it, cut to `limit` characters (None: whole)."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return repr(text)
