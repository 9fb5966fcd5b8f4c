"""Two independent PDF/UA-1 validators, as the accessibility tests use them.

- page (PyPI page-validation): a full PDF/UA-1 rule set in Rust, which passes the
  veraPDF corpus; its own profiles for PDF/A too.
- pdfua (PyPI pdfua): the machine-checkable subset of PDF/UA-1 and WCAG 2.1, on
  pikepdf; a different code base with different rules (it checks, for example,
  that headings do not skip levels and that form fields have names).

Each returns the failed rules as "RULE: message" lines: [] means it passes.
"""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

import page
import pdfua
import pikepdf

# The rules the standard-14 Helvetica breaks (it is not embedded and has no
# ToUnicode map). Every page font is embedded now; Helvetica is left only in the
# values we draw into boxes (filled copies, pre-filled print runs: overlay.VALUE_FONT,
# whose widths the flattened reader's overflow check was measured with). Only a
# failure that names such a Helvetica font object is let through, so no other font
# can hide behind it.
HELVETICA_RULES = frozenset({"PDFUA1-FONT-EMBEDDING-001", "PDFUA1-FONT-UNICODE-MAPPING-001"})


def _is_unembedded_helvetica(doc: pikepdf.Pdf, failure) -> bool:
    if failure.rule_id not in HELVETICA_RULES:
        return False
    if failure.object_id is not None:
        ref = (failure.object_id.object_number, failure.object_id.generation)
    else:  # page 0.11 names the font only in the message of some rules
        found = re.search(r"font object (\d+) (\d+)", failure.message)
        if found is None:
            return False
        ref = (int(found[1]), int(found[2]))
    font = doc.get_object(*ref)
    return (
        isinstance(font, pikepdf.Dictionary)
        and str(font.get("/BaseFont", "")).startswith("/Helvetica")
        and "/FontDescriptor" not in font
    )


def page_failures(data: bytes, profile: str = "ua1", allow_helvetica: bool = True) -> list[str]:
    """page's failed rules (one line per rule and object) for a PDF's bytes."""
    report = page.validate_pdf_bytes(data, profile=profile)
    with pikepdf.open(io.BytesIO(data)) as doc:
        return sorted(
            {
                f"{f.rule_id}: {f.message}"
                for f in report.failures
                if not (allow_helvetica and _is_unembedded_helvetica(doc, f))
            }
        )


def pdfua_findings(data: bytes) -> list[str]:
    """pdfua's findings of any severity (it reads files, not bytes)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "checked.pdf"
        path.write_bytes(data)
        report = pdfua.validate(str(path))
    return sorted({f"{f.rule_id} {f.severity.name}: {f.message}" for f in report.findings})
