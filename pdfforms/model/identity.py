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

INFO_FORM, INFO_VERSION, INFO_LANGUAGE = "/PdfformsForm", "/PdfformsVersion", "/PdfformsLanguage"
INFO_SERIAL, INFO_FINGERPRINT, INFO_PRINT = (
    "/PdfformsSerial",
    "/PdfformsFingerprint",
    "/PdfformsPrint",
)
QR_FORMAT = "PF1"
LARGE = "L"  # marks large print in the QR code and the small print


@dataclass
class Identity:
    """Which form (and which printing of it) a file or page claims to be."""

    form: str | None = None
    version: str | None = None
    language: str | None = None
    serial: str | None = None
    large_print: bool | None = None  # None: the file does not say
    fingerprint: str | None = None
    found_in: str = ""  # info | keywords | small print | qr
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
    return " ".join(parts)


_KEYWORD_RE = re.compile(r"pdfforms-(form|version|language|serial|print)=(\S+)")


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
        found_in="keywords",
    )


def qr_payload(ident: Identity, page: int, pages: int) -> str:
    """`PF1|form|version|language|page/pages[|serial[|L]]`."""
    parts = [QR_FORMAT, ident.form, ident.version, ident.language, f"{page}/{pages}"]
    if ident.serial or ident.large_print:
        parts.append(ident.serial or "")
    if ident.large_print:
        parts.append(LARGE)
    return "|".join(parts)


def parse_qr(text: str) -> Identity | None:
    parts = text.strip().split("|")
    if len(parts) < 5 or parts[0] != QR_FORMAT:
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
        found_in="qr",
        page=int(match[1]),
        pages=int(match[2]),
    )


def small_print(ident: Identity, page: int, pages: int) -> str:
    """The footer line for people: `form · vVERSION · lang · page/pages[ · serial][ · L]`."""
    parts = [ident.form, f"v{ident.version}", ident.language, f"{page}/{pages}"]
    if ident.serial:
        parts.append(ident.serial)
    if ident.large_print:
        parts.append(LARGE)
    return " · ".join(parts)


# Any single character may stand for the middle dot: printing to PDF sometimes
# loses a character's text mapping.
_SMALL_PRINT_RE = re.compile(
    r"([a-z][a-z0-9_-]*) . v([A-Za-z0-9._-]+) . ([a-z]{2,3}) . (\d+)/(\d+)"
    r"(?: . ([A-Za-z0-9]{2,}))?(?: . (L))?"
)


def parse_small_print(text: str) -> Identity | None:
    match = _SMALL_PRINT_RE.search(text or "")
    if not match:
        return None
    form, version, lang, page, pages, serial, large = match.groups()
    return Identity(
        form=form,
        version=version,
        language=lang,
        serial=serial,
        large_print=large == LARGE,
        found_in="small print",
        page=int(page),
        pages=int(pages),
    )


DEFINITION_ATTACHMENT = "pdfforms-definition.yaml"
