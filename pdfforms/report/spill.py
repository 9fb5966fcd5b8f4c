"""Free texts kept in a private temporary file while the report is made, not in memory.

A large Sammanställning lists every free text in its appendix (17,000 at 5,000
responses); they are counted as the records stream past and drawn at the end,
once per drawing pass. Held as strings they were memory that grew with the
number of responses. Here each text is written once to a temporary file and a
list of texts (`Texts`) holds only where each begins, eight bytes a text.

The texts are health data. The file is made in a directory of its own that only
this user may enter (mode 0700), is itself readable by this user only (0600),
has no name on POSIX (it is unlinked as it is made), and the directory is
removed when the report is written or fails (`TextStore.close`, called in a
`finally`): nothing is left behind.
"""

from __future__ import annotations

import shutil
import struct
import tempfile
from array import array
from collections.abc import Iterable, Iterator

_LENGTH = struct.Struct("<I")  # each text: its length in bytes, then its UTF-8


class TextStore:
    """The temporary file the texts of one report are written to."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="pdfforms-report-")  # 0700
        try:
            self.file = tempfile.TemporaryFile(dir=self.folder)  # 0600, unlinked at once
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        self.size = 0

    def put(self, text: str) -> int:
        """Write `text`; return where it begins."""
        data = text.encode("utf-8")
        at = self.size
        self.file.seek(at)
        self.file.write(_LENGTH.pack(len(data)) + data)
        self.size += _LENGTH.size + len(data)
        return at

    def get(self, at: int) -> str:
        self.file.seek(at)
        (length,) = _LENGTH.unpack(self.file.read(_LENGTH.size))
        return self.file.read(length).decode("utf-8")

    def texts(self) -> Texts:
        return Texts(self)

    def close(self) -> None:
        try:
            self.file.close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> TextStore:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


class Texts:
    """A list of texts (append, extend, len, iteration) whose texts are in a TextStore."""

    __slots__ = ("store", "starts")

    def __init__(self, store: TextStore):
        self.store = store
        self.starts = array("Q")

    def append(self, text: str) -> None:
        self.starts.append(self.store.put(text))

    def extend(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.append(text)

    def __iadd__(self, texts: Iterable[str]) -> Texts:
        self.extend(texts)
        return self

    def __len__(self) -> int:
        return len(self.starts)

    def __iter__(self) -> Iterator[str]:
        for at in self.starts:
            yield self.store.get(at)

    def __getitem__(self, index: int) -> str:
        return self.store.get(self.starts[index])

    def __eq__(self, other) -> bool:
        return list(self) == list(other)
