"""Readers: one returned file → raw values keyed by field name (see `raw.RawForm`)."""

from .detect import read_file
from .raw import Identity, RawForm, ReadError

__all__ = ["Identity", "RawForm", "ReadError", "read_file"]
