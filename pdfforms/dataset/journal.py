"""The journal beside a dataset: every file's result as it was read, appended as it came.

It makes a run resumable: a rerun reads only the files the journal does not hold
(or whose size or time stamp changed), so Ctrl-C, a kill or a power cut costs at
most the files being read at that moment. Responses are stored with personnummer
already pseudonymised or removed, and the definitions they were read with, so
the dataset can be written again without any input file.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model.definition import parse_definition
from ..model.errors import PdfformsError
from ..model.form import Form
from ..model.messages import text as msg

JOURNAL_SYNC_SECONDS = 1.0  # at most this much reading is lost to a power cut


@dataclass
class Input:
    """One input file: as the user named it, and where it is."""

    shown: str
    path: str  # absolute


def file_stamp(path: str) -> list[int] | None:
    """Size and modification time: a file whose stamp changed is read again."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


class Journal:
    """Append-only record of each file's result; a torn last line (a kill) is dropped."""

    def __init__(self, path: Path, header: dict | None, fresh: bool, readonly: bool = False):
        self.path = path
        self.header = header  # None: take the journal's own (reading only)
        self.index: dict[str, tuple[int, list]] = {}  # file → (offset, stamp) of its last result
        self.definitions: dict[tuple[str, str], str] = {}
        self._forms: dict[tuple[str, str], Form] = {}
        self.run: dict | None = None  # the inputs of the last run that finished reading
        self.notice = ""
        self._fh = None
        self.readonly = readonly
        if readonly:
            self._fh = None
            if not path.exists():
                raise ExtractError(msg("journal.none", path=path))
            self._load()
            if self.notice:
                raise ExtractError(self.notice)
            return
        if path.exists() and not fresh:
            self._load()
        else:
            self._start()
        self._fh = open(path, "ab")  # noqa: SIM115 - kept open for the run
        self._last_sync = time.monotonic()

    @classmethod
    def reading(cls, path: Path) -> Journal:
        """An existing journal, to write a dataset from without reading any file."""
        return cls(path, None, False, readonly=True)

    def _start(self) -> None:
        if self.readonly:
            return  # the caller reports the notice; a journal read only is never replaced
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(_line({"t": "header", **self.header}))
        os.replace(tmp, self.path)

    def _load(self) -> None:
        good_end = 0
        with open(self.path, "rb") as fh:
            first = fh.readline()
            try:
                header = json.loads(first)
            except ValueError:
                header = None
            if not first.endswith(b"\n") or not header or header.get("t") != "header":
                self.notice = msg("journal.not_ours", path=self.path)
                self._start()
                return
            header.pop("t")
            if self.header is None:
                self.header = header
            if header != self.header:
                changed = sorted(k for k in self.header if header.get(k) != self.header[k])
                self.notice = msg(
                    "journal.other_settings", path=self.path, changed=", ".join(changed)
                )
                self._start()
                return
            good_end = fh.tell()
            while True:
                offset = fh.tell()
                line = fh.readline()
                if not line.endswith(b"\n"):
                    break  # end of file, or a line torn by a kill: read that file again
                try:
                    entry = json.loads(line)
                except ValueError:
                    break
                good_end = fh.tell()
                if entry.get("t") == "file":
                    self.index[entry["path"]] = (offset, entry.get("stamp"))
                elif entry.get("t") == "def":
                    self.definitions.setdefault((entry["id"], entry["version"]), entry["text"])
                elif entry.get("t") == "run":
                    self.run = entry
        if good_end < self.path.stat().st_size and not self.readonly:
            with open(self.path, "r+b") as fh:
                fh.truncate(good_end)

    def form(self, form_id: str, version: str) -> Form | None:
        """The definition a response was read with, as the journal holds it; None if lost."""
        key = (form_id, version)
        if key not in self._forms:
            text = self.definitions.get(key)
            if not text:
                return None
            self._forms[key] = parse_definition(text, f"<{form_id} {version}>")[0]
        return self._forms[key]

    def inputs(self) -> tuple[list[Input], list[Input]]:
        """The inputs of the last run that finished reading, and those it found no file for."""
        run = self.run or {}
        return (
            [Input(shown, path) for shown, path in run.get("inputs") or []],
            [Input(shown, path) for shown, path in run.get("missing") or []],
        )

    def has(self, item: Input) -> bool:
        known = self.index.get(item.path)
        return known is not None and known[1] == file_stamp(item.path)

    def add_definition(self, form_id: str, version: str, text: str) -> None:
        if (form_id, version) not in self.definitions:
            self.definitions[(form_id, version)] = text
            self._write({"t": "def", "id": form_id, "version": version, "text": text})

    def add_file(self, entry: dict) -> None:
        offset = self._fh.tell()
        self._write({"t": "file", **entry})
        self.index[entry["path"]] = (offset, entry.get("stamp"))

    def add_run(
        self,
        items: list[Input],
        missing: list[Input],
        delimiter: str,
        decimal: str = ".",
        units: dict[str, str] | None = None,
    ) -> None:
        """Which inputs the dataset is made of, so it can be written again from here alone
        (and the units the print runs' ledgers gave by serial: units.py)."""
        entry = {
            "t": "run",
            "inputs": [[i.shown, i.path] for i in items],
            "missing": [[i.shown, i.path] for i in missing],
            "delimiter": delimiter,
            "decimal": decimal,
        }
        if units:
            entry["units"] = units
        self._write(entry)
        self.run = {"inputs": entry["inputs"], "units": units or {}}

    def _write(self, entry: dict) -> None:
        self._fh.write(_line(entry))
        self._fh.flush()
        now = time.monotonic()
        if now - self._last_sync > JOURNAL_SYNC_SECONDS:
            os.fsync(self._fh.fileno())
            self._last_sync = now

    def close(self) -> None:
        if self._fh is not None and not self._fh.closed:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()

    def entries(self, items: list[Input]) -> Iterator[tuple[Input, dict | None]]:
        """Each input's journal entry, in the order of `items` (random access by offset)."""
        with open(self.path, "rb") as fh:
            for item in items:
                known = self.index.get(item.path)
                if known is None:
                    yield item, None
                    continue
                fh.seek(known[0])
                yield item, json.loads(fh.readline())


def _line(entry: dict) -> bytes:
    return (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class ExtractError(PdfformsError):
    """The run cannot start or cannot write its dataset (not: a file failed)."""
