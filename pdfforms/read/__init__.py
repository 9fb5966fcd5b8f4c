"""Readers: one returned file → raw values keyed by field name (see `raw.RawForm`)."""

from .raw import Identity, RawForm, ReadError

__all__ = ["Identity", "RawForm", "ReadError", "read_file"]


def __getattr__(name: str):
    # the readers (pdfplumber, numpy, pikepdf: a fifth of a second) are imported when
    # a file is read, not by every command that names ReadError (extract's batch
    # hands its files to worker processes that read them)
    if name == "read_file":
        from .detect import read_file

        return read_file
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
