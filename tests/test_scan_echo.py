"""The printed border's echo (ink.ECHO_BAND): a JPEG's ringing and a blur's halo
along a tick box's sides are not a trace of ink; a person's faint mark is."""

from __future__ import annotations

import numpy as np
import pytest

from pdfforms.read.scan.ink import TRACE_MIN, _echo


def _inside(side: int = 40) -> np.ndarray:
    """A tick box's inside as the reader measures it (darkness, 3×3 means): paper."""
    return np.zeros((side, side), dtype=np.float64)


def test_an_even_faint_line_along_a_side_is_the_borders_echo_not_a_trace():
    inside = _inside()
    inside[:, 1:3] = 0.024  # a JPEG's ringing beside the left border (quality 35)
    inside[-2:, :] = 0.03  # and a blur's halo along the bottom
    assert (inside > TRACE_MIN).mean() > 0.05
    assert ((inside - _echo(inside)) > TRACE_MIN).mean() == 0


@pytest.mark.parametrize(
    "draw",
    [
        "a faint stroke along a side, over less than half of it",
        "a faint diagonal stroke",
        "a faint stroke through the middle, the whole height",
        "a stroke along a side darker than an echo",
    ],
)
def test_a_persons_faint_mark_keeps_its_trace(draw):
    inside = _inside()
    if draw.startswith("a faint stroke along"):
        inside[:18, 2:4] = 0.03
    elif draw.endswith("diagonal stroke"):
        for k in range(40):
            inside[k, max(0, k - 1) : k + 1] = 0.03
    elif draw.endswith("whole height"):
        inside[:, 19:21] = 0.03
    else:
        inside[:, 2:4] = 0.09  # ECHO_INK at most is taken: 0.05 is left
    before = (inside > TRACE_MIN).mean()
    assert ((inside - _echo(inside)) > TRACE_MIN).mean() == before


@pytest.mark.parametrize("echo", [True, False], ids=["read", "without the rule"])
def test_a_strongly_compressed_scan_copied_pixel_for_pixel_reads_its_empty_boxes(
    tmp_path, forms, monkeypatch, echo
):
    """A scan at JPEG quality 35, whose PDF page is a hair smaller than its pixels
    (595.43 pt for 1,654 of them, as a scanner that rounds down writes it): PDFium
    copies its pixels as they are, ringing and all, with nothing to soften it.
    Its empty boxes read empty; without the rule, the ringing sends some of them to
    a person as faint marks."""
    import io
    import random

    from PIL import Image

    from pdfforms.parse.scan import parse_scan
    from pdfforms.read.scan import ink
    from pdfforms.testing import scans as synth

    from .conftest import DEFINITIONS
    from .test_scan import _answers, _check_no_wrong

    if not echo:
        monkeypatch.setattr(ink, "ECHO_INK", 0.0)
    form = forms["patient"]
    answers = _answers(form, 11)
    rng = random.Random(5)
    pages, _ = synth.make_scan(
        form, "sv", answers, synth.serial_for(rng), rng, synth.Distortion(jpeg_quality=35)
    )
    images = [Image.fromarray(p, "L") for p in pages]
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=200.001)
    path = tmp_path / "scan.pdf"
    path.write_bytes(buf.getvalue())
    [response] = parse_scan(path, [DEFINITIONS], tmp_path / "review").responses
    faint = [i.field for i in response.review if getattr(i, "seen", None) == "faint_mark"]
    if echo:
        assert faint == []
        assert _check_no_wrong(form, response, answers) >= 8
    else:
        assert faint
