"""Which form, page and copy a scanned page is: its QR code, read with zxing-cpp.

The code's orientation also tells a page fed upside down or sideways, which is
turned upright here.
"""

from __future__ import annotations

import numpy as np

from ...model.identity import Identity, parse_qr
from .pages import PageImage


def _decode(image: np.ndarray):
    import zxingcpp
    from PIL import Image

    pil = Image.fromarray(image)
    for binarizer in (zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.GlobalHistogram):
        for result in zxingcpp.read_barcodes(
            pil, formats=zxingcpp.BarcodeFormat.QRCode, binarizer=binarizer
        ):
            ident = parse_qr(result.text)
            if ident is not None:
                return ident, result
    return None, None


def identify_page(page: PageImage) -> Identity | None:
    """Decode the page's QR code; turn the page upright by the code's orientation.

    A blurred or noisy scan may defeat a whole-page search, so the corners where
    the code sits (bottom right, or top left on a page fed upside down) are
    tried again, enlarged.
    """
    from PIL import Image

    ident, result = _decode(page.pixels)
    if ident is None:
        rows, cols = page.pixels.shape
        h, w = rows // 4, cols // 3
        for r0, c0 in ((rows - h, cols - w), (0, 0), (0, cols - w), (rows - h, 0)):
            corner = page.pixels[r0 : r0 + h, c0 : c0 + w]
            big = np.asarray(Image.fromarray(corner).resize((w * 2, h * 2), Image.LANCZOS))
            ident, result = _decode(big)
            if ident is not None:
                break
    if ident is None:
        return None
    turns = int(round(result.orientation / 90)) % 4
    if turns:
        page.pixels = np.ascontiguousarray(np.rot90(page.pixels, turns))
    return ident
