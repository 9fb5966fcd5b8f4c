"""The per-copy marks of a page: its QR code and its small print, as content-stream bytes.

These are the only parts of a page that differ between the copies of a print run
(the serial), so they are drawn as an overlay on a shared page: the same bytes
serve a single generated form and copy 9,999 of a run. Drawing them is the hot
path of a print run, so the QR code comes from segno (with its mask chosen as the
QR standard asks) and becomes one rectangle per run of dark modules.
"""

from __future__ import annotations

import segno

from . import printable
from .layout import MARGIN_X, MARK_INSET, Layout

OVERLAY_FONT = "/PfHelv"  # Helvetica with WinAnsiEncoding, in every page's resources
QUIET_ZONE = 2  # modules of white around the code; the corner mark is 8 pt away
SMALL_PRINT_SIZE = 7


def pdf_text(text: str) -> bytes:
    """Text for a content-stream string in WinAnsi (OVERLAY_FONT's encoding).

    A character the font lacks raises printable.UnprintableError: the texts are
    checked where they enter, and this is the last guard against a '?' on paper.
    """
    raw = printable.encode(text)
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def qr_ops(payload: str, x: float, y: float, size: float, mask: int | None = None) -> bytes:
    """Fill operations drawing a QR code in the square (x, y, size).

    Without `mask`, segno scores all eight masks as the QR standard asks (2 ms);
    a print run scores them once and reuses the winner for every copy (0.4 ms):
    every mask is a valid code, the score only prefers fewer large blotches.
    """
    code = segno.make_qr(payload, error="m", boost_error=False, mask=mask)
    matrix = code.matrix
    n = len(matrix)
    module = size / (n + 2 * QUIET_ZONE)
    ops = [b"q 0 g"]
    for r, row in enumerate(matrix):
        top = y + size - (QUIET_ZONE + r) * module
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                ops.append(
                    b"%.3f %.3f %.3f %.3f re"
                    % (
                        x + (QUIET_ZONE + start) * module,
                        top - module,
                        (c - start) * module,
                        module,
                    )
                )
            else:
                c += 1
    ops.append(b"f Q")
    return b"\n".join(ops)


def qr_mask(payload: str) -> int:
    """The mask segno's scoring picks for a payload (to reuse for payloads like it)."""
    return segno.make_qr(payload, error="m", boost_error=False).mask


def overlay_ops(layout: Layout, page_no: int, serial: str | None, mask: int | None = None) -> bytes:
    """QR code and small print of one page of one copy."""
    page = layout.pages[page_no - 1]
    ops = []
    if page.qr is not None:
        q = page.qr
        ops.append(qr_ops(layout.qr_payload(page_no, serial), q.x, q.y, q.w, mask))
    small = layout.footer_small_print(page_no, serial)
    ops.append(
        b"q 0.3 g BT %s %d Tf %.2f %.2f Td (%s) Tj ET Q"
        % (OVERLAY_FONT.encode(), SMALL_PRINT_SIZE, MARGIN_X, MARK_INSET + 6, pdf_text(small))
    )
    return b"\n".join(ops)
