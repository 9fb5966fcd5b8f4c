"""A scanned page's QR code: decoded from the page at half its resolution first
(issue 17), against the whole page at full resolution first, as the reader did before.

Pages of the patient and unit forms through the scan benchmark's test profile (and
its worn copies), each identified both ways in the same process, one after the
other: the time per page (median and mean), how many decoded at half resolution,
and that every page identified one way is identified the other.

`python benchmarks/scan_identify.py [PAGES] [worn]`
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    from dataclasses import replace

    from pdfforms.model.definition import load_form
    from pdfforms.model.identity import parse_qr
    from pdfforms.model.layout import build_layout
    from pdfforms.read.scan import identify
    from pdfforms.testing import scans as synth

    pages = int(argv[0]) if argv else 40
    worn = len(argv) > 1 and argv[1] == "worn"
    forms = [load_form(ROOT / "form_definitions" / f) for f in ("patient.yaml", "unit.yaml")]
    rng = random.Random(17)
    images = []
    while len(images) < pages:
        form = forms[len(images) % 2]
        n = len(build_layout(form, "sv").pages)
        ds = [synth.Distortion.profile("test", rng) for _ in range(n)]
        if worn:
            ds = [replace(d, worn=rng.choice(synth.WORN)) for d in ds]
        scans, _ = synth.random_questionnaire(form, rng, lang="sv", distortion=ds)
        images += scans
    images = images[:pages]

    def full_first(pixels):
        """The reader before: the whole page, two binarizers, zxing's defaults."""
        import zxingcpp
        from PIL import Image

        pil = Image.fromarray(pixels)
        for binarizer in (zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.GlobalHistogram):
            for result in zxingcpp.read_barcodes(
                pil, formats=zxingcpp.BarcodeFormat.QRCode, binarizer=binarizer
            ):
                ident = parse_qr(result.text)
                if ident is not None:
                    return ident
        return None

    times = {"half first": [], "full first": []}
    found = {"half first": 0, "full first": 0}
    at_half = 0
    import zxingcpp

    for pixels in images:
        t = time.perf_counter()
        ident, _ = identify.find_code(pixels, thorough=False)
        times["half first"].append(time.perf_counter() - t)
        found["half first"] += ident is not None
        t = time.perf_counter()
        found["full first"] += full_first(pixels) is not None
        times["full first"].append(time.perf_counter() - t)
        small = identify._reduced(pixels, identify.REDUCE)
        at_half += identify._decode(small, (zxingcpp.Binarizer.LocalAverage,))[0] is not None
    print(
        f"{pages} pages ({'worn copies' if worn else 'test profile'}), decoded at half: {at_half}"
    )
    print("| order | pages identified | median ms/page | mean ms/page |")
    print("|---|---:|---:|---:|")
    for name, values in times.items():
        print(
            f"| {name} | {found[name]} | {statistics.median(values) * 1000:.1f} | "
            f"{statistics.mean(values) * 1000:.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
