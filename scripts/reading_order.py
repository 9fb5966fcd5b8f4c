"""Write docs/reading-order.md: the structure tree of the Swedish patient form as text.

    python scripts/reading_order.py            # rewrite docs/reading-order.md
    python scripts/reading_order.py FORM.pdf   # print the tree of any PDF

What a screen reader reads, in the order it reads it: each structure element with
its type, the accessible name of a field (name: …) and the text it holds.
tests/test_accessibility.py checks that the committed file is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pdfforms.generate.render import generate
from pdfforms.generate.tags import reading_order
from pdfforms.model.definition import load_form

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "reading-order.md"

HEAD = """# Reading order of the patient form

The structure tree of `form_definitions/patient.yaml` in Swedish, as a screen
reader reads it (`python scripts/reading_order.py` writes this file;
`python scripts/reading_order.py FORM.pdf` prints the tree of any PDF). Each line is
a structure element: its type (H1, H2 headings, P paragraph, Sect a section, Div
a question, Form a fillable box, Table/TR/TH/TD a grid), the accessible name of a
box (`name: …`, what a screen reader says for it) and the text it holds; `[field
x]` is the AcroForm field the box belongs to. Corner marks, rules, the header and
footer, the QR code and the small print are artifacts and not in the tree.

```
"""


def main(argv: list[str]) -> int:
    if argv:
        sys.stdout.write(reading_order(Path(argv[0]).read_bytes()))
        return 0
    data = generate(load_form(ROOT / "form_definitions" / "patient.yaml"), "sv")
    DOC.write_text(HEAD + reading_order(data) + "```\n", encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
