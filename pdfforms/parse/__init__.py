"""A returned file → the parsed form(s) in it (SPEC §4).

parse_document (file.py) opens a file, finds its definition (resolve.py), reads
it (pdfforms.read, or scan.py for scans) and turns the raw values into answers
and problems through one door, `respond` (interpret.py), which review decisions
use too.
"""

from .interpret import respond

__all__ = ["respond"]
