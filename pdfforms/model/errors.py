"""One base for every error pdfforms raises for a person to act on: `PdfformsError`.

A definition with faults, a returned file that cannot be read, a dataset that
cannot be written, a print run that cannot be printed: each has its own class in
the step that raises it (DefinitionError, ReadError, OutputError, PrintRunError,
…), and every one of them is a PdfformsError. A program using pdfforms catches
this one class; `pdfforms` (cli.py) prints its message and exits with status 2.

The message is for people: one line that says what is wrong and, where the step
knows it, which file. Errors that find many faults at once (a definition, a
respondents CSV, a print run) also hold them in `faults`, one per line, so that
all of them can be shown together.

Anything else that escapes pdfforms (a TypeError, a KeyError) is a fault in
pdfforms itself, never bad input: the commands say so and ask for a report.

Some of the classes are also ValueErrors (CoerceError, PersonnummerError,
UnprintableError, AnswerError, FillError, RespondentsError, PrintRunError): they
were before there was a base, and a caller that validates values may catch them
as such. Nothing in pdfforms relies on it.
"""

from __future__ import annotations


class PdfformsError(Exception):
    """Bad input or a refusal a person can act on; the message says what and where."""
