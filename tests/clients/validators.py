"""Two independent PDF/UA-1 validators, as the accessibility tests use them.

- page (PyPI page-validation): a full PDF/UA-1 rule set in Rust, which passes the
  veraPDF corpus; its own profiles for PDF/A too.
- pdfua (PyPI pdfua): the machine-checkable subset of PDF/UA-1 and WCAG 2.1, on
  pikepdf; a different code base with different rules (it checks, for example,
  that headings do not skip levels and that form fields have names).

Each returns the failed rules as "RULE: message" lines: [] means it passes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import page
import pdfua


def page_failures(data: bytes, profile: str = "ua1") -> list[str]:
    """page's failed rules (one line per rule and object) for a PDF's bytes."""
    report = page.validate_pdf_bytes(data, profile=profile)
    return sorted({f"{f.rule_id}: {f.message}" for f in report.failures})


def pdfua_findings(data: bytes) -> list[str]:
    """pdfua's findings of any severity (it reads files, not bytes)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "checked.pdf"
        path.write_bytes(data)
        report = pdfua.validate(str(path))
    return sorted({f"{f.rule_id} {f.severity.name}: {f.message}" for f in report.findings})
