"""Where machine reading of handwriting plugs in. It reads nothing today.

A scanned text box that holds writing is cropped and listed in `review` with
the reason `handwriting`; its answer stays null until a person transcribes it.
A recogniser may be put here instead: `recognise` gets the crop (grayscale
numpy array, upright, about 200 dpi) and the question, and returns the text,
or None when it is not sure. Text it returns becomes the answer, and the crop
is still listed for review (reason `ocr`), so a person can check it.

We have not shipped one. General OCR engines (Tesseract included) are trained on
print. The answers that matter most here are free text in Swedish handwriting
("Vad är viktigt för dig?"), and a wrong guess in a health record is worse than
a blank a person fills in. docs/scanning.md says more.
"""

from __future__ import annotations

import numpy as np

from ..model.form import Question


def recognise(image: np.ndarray, question: Question, language: str) -> str | None:
    """The text written in a box, or None to leave it to a person."""
    del image, question, language
    return None
