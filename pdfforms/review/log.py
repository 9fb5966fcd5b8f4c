"""The decisions a person made in review: append-only, newest on an item counts.

`stem.decisions.jsonl` beside the dataset holds one JSON line per decision:

    {"t": "decision", "id": "…", "item": "<sha256>:<questionnaire>:<target>",
     "status": "transcribed" | "unreadable", "value": …, "by": "anna",
     "at": "2026-11-23T14:02:11+01:00", "tab": "…", "replaces": "<id>" | null}

A line is written and flushed to disk before the page hears "saved", so a
crash, a kill or a closed tab loses nothing that was confirmed. A line torn by a
kill is passed over when the log is read. Decisions are never rewritten: a
changed mind is a new line that names the one it replaces, so the log is also
the record of who decided what, and when.

Items are named by the file's SHA-256, not its path: moving the returned files,
or reading them again with `extract`, keeps the decisions; a file whose bytes
changed (scanned again) is a new file with new items.
"""

from __future__ import annotations

import datetime
import json
import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

STATUSES = ("transcribed", "unreadable")


class LogError(Exception):
    """The decisions file cannot be read or written."""


@dataclass(frozen=True)
class Decision:
    id: str
    item: str
    status: str
    value: object
    by: str
    at: str
    tab: str = ""
    replaces: str | None = None

    def to_json(self) -> dict:
        return {
            "t": "decision",
            "id": self.id,
            "item": self.item,
            "status": self.status,
            "value": self.value,
            "by": self.by,
            "at": self.at,
            "tab": self.tab,
            "replaces": self.replaces,
        }


def read_decisions(path: Path) -> dict[str, Decision]:
    """The newest decision on each item (an absent file: none)."""
    latest: dict[str, Decision] = {}
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return latest
    except OSError as exc:
        raise LogError(f"{path}: cannot read the review decisions ({exc.strerror})") from None
    with fh:
        for line in fh:
            if not line.endswith(b"\n"):
                break  # torn by a kill: that decision was never confirmed
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("t") != "decision" or entry.get("status") not in STATUSES:
                continue
            try:
                decision = Decision(
                    id=str(entry["id"]),
                    item=str(entry["item"]),
                    status=entry["status"],
                    value=entry.get("value"),
                    by=str(entry.get("by") or ""),
                    at=str(entry.get("at") or ""),
                    tab=str(entry.get("tab") or ""),
                    replaces=entry.get("replaces"),
                )
            except KeyError:
                continue
            latest[decision.item] = decision
    return latest


class DecisionLog:
    """The log as the review server writes it: one writer, many readers."""

    def __init__(self, path: Path):
        self.path = path
        self.lock = threading.Lock()
        self.latest = read_decisions(path)
        self._repair()
        self.written = 0

    def _repair(self) -> None:
        """Cut a line torn by a kill, so the next decision starts a line of its own."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        if data and not data.endswith(b"\n"):
            with open(self.path, "r+b") as fh:
                fh.truncate(data.rfind(b"\n") + 1)

    def current(self, item: str) -> Decision | None:
        return self.latest.get(item)

    def add(
        self,
        item: str,
        status: str,
        value,
        by: str,
        tab: str,
        base: str | None,
    ) -> tuple[Decision | None, Decision | None]:
        """(the new decision, None), or (None, the decision that got there first).

        `base` is the decision the person saw when they started (None for an item
        that had none): if another has been made since, nothing is written and that
        one is returned, so two people never overwrite each other unseen.
        """
        if status not in STATUSES:
            raise ValueError(status)
        with self.lock:
            now = self.latest.get(item)
            if (now.id if now else None) != base:
                return None, now
            decision = Decision(
                id=uuid.uuid4().hex,
                item=item,
                status=status,
                value=value,
                by=by,
                at=datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
                tab=tab,
                replaces=base,
            )
            line = json.dumps(decision.to_json(), ensure_ascii=False, separators=(",", ":"))
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    os.write(fd, (line + "\n").encode("utf-8"))
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError as exc:
                raise LogError(f"{self.path}: cannot save the decision ({exc.strerror})") from None
            self.latest[item] = decision
            self.written += 1
            return decision, None
