"""Which form a page belongs to: written into every PDF in four ways, read back here.

A returned file says which form it is through whichever of these survived the
program that saved, flattened, printed or scanned it:

- custom keys in the document information (exact; kept by every viewer's save),
- the Keywords line (standard; kept by Ghostscript, which drops custom keys),
- the small print in each page's footer (text; kept by any print to PDF),
- the QR code on each page (pixels; kept by paper and scanners).

Each encoding and its decoding live side by side so they cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

INFO_FORM, INFO_VERSION, INFO_LANGUAGE = "/PdfformsForm", "/PdfformsVersion", "/PdfformsLanguage"
INFO_SERIAL, INFO_FINGERPRINT, INFO_PRINT = (
    "/PdfformsSerial",
    "/PdfformsFingerprint",
    "/PdfformsPrint",
)
INFO_EDITION = "/PdfformsLayout"
# The care unit a copy was printed for (a print run's --unit, or its respondents CSV's
# `unit` column). Not part of which form a page is: it is the copy's, like its serial,
# and kept three ways besides the print run's ledger (serial → unit), which is what a
# scan falls back on: the document information, the Keywords line (percent-encoded:
# the line is split at spaces) and a line of text at the top of the first page.
INFO_UNIT = "/PdfformsUnit"
LARGE = "L"  # marks large print in the QR code and the small print

# The layout edition: which of pdfforms' page designs drew a page (model/layout.py,
# EDITIONS). Paper printed years ago must still be read with the design it was
# printed with, so every encoding carries it: the QR code's format tag is "PF" and
# the edition ("PF1" is edition 1, which said nothing else), the small print ends
# in "#2", the document information and the Keywords line name it. A file that
# does not say is edition 1, the design of every copy printed before editions.
FIRST_EDITION = 1
QR_PREFIX = "PF"


@dataclass
class Identity:
    """Which form (and which printing of it) a file or page claims to be."""

    form: str | None = None
    version: str | None = None
    language: str | None = None
    serial: str | None = None
    large_print: bool | None = None  # None: the file does not say
    fingerprint: str | None = None
    edition: int | None = None  # None: the file does not say (so edition 1)
    found_in: str = ""  # info | keywords | small print | qr
    unit: str | None = None  # the care unit the copy was printed for (not on every page)
    page: int | None = None
    pages: int | None = None


def keywords_line(ident: Identity) -> str:
    parts = [
        f"pdfforms-form={ident.form}",
        f"pdfforms-version={ident.version}",
        f"pdfforms-language={ident.language}",
    ]
    if ident.serial:
        parts.append(f"pdfforms-serial={ident.serial}")
    if ident.large_print:
        parts.append("pdfforms-print=large")
    if ident.edition and ident.edition != FIRST_EDITION:
        parts.append(f"pdfforms-layout={ident.edition}")
    if ident.unit:
        parts.append(f"pdfforms-unit={quote(ident.unit, safe='')}")
    return " ".join(parts)


_KEYWORD_RE = re.compile(r"pdfforms-(form|version|language|serial|print|layout|unit)=(\S+)")


def parse_keywords(text: str) -> Identity | None:
    found = dict(_KEYWORD_RE.findall(text or ""))
    if not found.get("form"):
        return None
    return Identity(
        form=found["form"],
        version=found.get("version"),
        language=found.get("language"),
        serial=found.get("serial"),
        large_print=found.get("print") == "large",
        edition=edition_of(found.get("layout")),
        found_in="keywords",
        unit=clean_unit(unquote(found["unit"])) if found.get("unit") else None,
    )


def edition_of(text: str | None) -> int | None:
    """An edition as a file states it ("2"), or None when it states none we know."""
    if text and text.isdigit() and 0 < len(text) < 4:
        return int(text)
    return None


def qr_payload(ident: Identity, page: int, pages: int) -> str:
    """`PF<edition>|form|version|language|page/pages[|serial[|L]]`."""
    tag = f"{QR_PREFIX}{ident.edition or FIRST_EDITION}"
    parts = [tag, ident.form, ident.version, ident.language, f"{page}/{pages}"]
    if ident.serial or ident.large_print:
        parts.append(ident.serial or "")
    if ident.large_print:
        parts.append(LARGE)
    return "|".join(parts)


def parse_qr(text: str) -> Identity | None:
    parts = text.strip().split("|")
    if len(parts) < 5 or not re.fullmatch(rf"{QR_PREFIX}[1-9][0-9]{{0,2}}", parts[0]):
        return None
    match = re.fullmatch(r"(\d+)/(\d+)", parts[4])
    if not match:
        return None
    return Identity(
        form=parts[1],
        version=parts[2],
        language=parts[3],
        serial=(parts[5] or None) if len(parts) > 5 else None,
        large_print=len(parts) > 6 and parts[6] == LARGE,
        edition=int(parts[0][len(QR_PREFIX) :]),
        found_in="qr",
        page=int(match[1]),
        pages=int(match[2]),
    )


def small_print(ident: Identity, page: int, pages: int) -> str:
    """The footer line for people:
    `form · vVERSION · lang · page/pages[ · serial][ · L][ · #EDITION]`."""
    parts = [ident.form, f"v{ident.version}", ident.language, f"{page}/{pages}"]
    if ident.serial:
        parts.append(ident.serial)
    if ident.large_print:
        parts.append(LARGE)
    if ident.edition and ident.edition != FIRST_EDITION:
        parts.append(f"#{ident.edition}")
    return " · ".join(parts)


# Any single character may stand for the middle dot: printing to PDF sometimes
# loses a character's text mapping.
_SMALL_PRINT_RE = re.compile(
    r"([a-z][a-z0-9_-]*) . v([A-Za-z0-9._-]+) . ([a-z]{2,3}) . (\d+)/(\d+)"
    r"(?: . ([A-Za-z0-9]{2,}))?(?: . (L))?(?: . #(\d{1,3}))?"
)


def parse_small_print(text: str) -> Identity | None:
    match = _SMALL_PRINT_RE.search(text or "")
    if not match:
        return None
    form, version, lang, page, pages, serial, large, edition = match.groups()
    return Identity(
        form=form,
        version=version,
        language=lang,
        serial=serial,
        large_print=large == LARGE,
        edition=int(edition) if edition else FIRST_EDITION,
        found_in="small print",
        page=int(page),
        pages=int(pages),
    )


# The unit's line at the top of a copy's first page: "Enhet: Vårdcentralen Norrfjäll".
# A word for the copy's language, English for a language without one; every word is
# read back whatever the copy's language.
UNIT_WORDS = {"sv": "Enhet", "en": "Unit", "fi": "Yksikkö", "se": "Ovttadat"}
MAX_UNIT = 80  # characters: a unit's name fits on the line beside the header's texts
_UNIT_LINE_RE = re.compile(
    r"^\s*(?:" + "|".join(map(re.escape, UNIT_WORDS.values())) + r"):\s+(\S.*?)\s*$",
    re.MULTILINE,
)


def clean_unit(text: str | None) -> str | None:
    """A unit's name as it is kept and compared: spaces collapsed, None when empty (or
    not text at all: an empty cell a table reader gave as a number)."""
    if not isinstance(text, str):
        return None
    text = " ".join(text.split())
    return text or None


def unit_line(unit: str, lang: str) -> str:
    return f"{UNIT_WORDS.get(lang, UNIT_WORDS['en'])}: {unit}"


def parse_unit_line(text: str) -> str | None:
    """The unit of a first page's text (its top), or None when it names none."""
    match = _UNIT_LINE_RE.search(text or "")
    return clean_unit(match[1]) if match else None


DEFINITION_ATTACHMENT = "pdfforms-definition.yaml"
