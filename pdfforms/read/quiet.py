"""Library noise kept off stderr while a file is read.

pdfminer (under pdfplumber) logs through `logging` ("Could not get FontBBox …"),
Pillow warns through `warnings`, and libtiff, inside Pillow, writes straight to
file descriptor 2 from C ("TIFFReadDirectory: Warning, Unknown field …"). None of
it is for the person running pdfforms, and on stderr it breaks the rule that a
file gets one line: what matters about a file the readers say themselves, as the
reason it is refused or as a `damaged_file` problem in the JSON (qpdf's repairs,
a drawing that does not decode, an image page that does not load). So while a
file is read, all three are caught; `captured` holds them for a caller or a
debugger that wants them.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet_libraries() -> Iterator[list[str]]:
    """Catch library warnings, log records and C-level stderr output; yields the list
    they are added to when the block ends."""
    captured: list[str] = []
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    sys.stderr.flush()
    sink = tempfile.TemporaryFile()
    try:
        saved = os.dup(2)
    except OSError:  # no file descriptor 2 (a service without one): nothing to keep off it
        saved = None
    else:
        os.dup2(sink.fileno(), 2)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                yield captured
            finally:
                captured += [f"{w.category.__name__}: {w.message}" for w in caught]
    finally:
        sys.stderr.flush()
        if saved is not None:
            os.dup2(saved, 2)
            os.close(saved)
        logging.disable(previous)
        sink.seek(0)
        captured += sink.read().decode("utf-8", "replace").splitlines()
        sink.close()
