"""Bars and stacked bars as plain shapes, drawn by reportlab in the PDF and as SVG in HTML.

One geometry for both outputs, so the printed and the on-screen charts are the
same picture. Coordinates run from the top left, in points (PDF) or CSS pixels
(HTML). Everything is grey: segments differ by shade *and* by hatching, each
has a black outline, and the numbers are printed in the tables beside the bars
(and inside a segment where it is wide enough), so a black-and-white print
loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: float | None  # grey level, 0 = black, 1 = white; None = no fill
    stroke: float | None = 0.0
    width: float = 0.6


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    grey: float = 0.0
    width: float = 0.6


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # baseline
    text: str
    size: float
    grey: float = 0.0
    anchor: str = "middle"  # start | middle | end


@dataclass
class Chart:
    width: float
    height: float
    alt: str  # what the picture says, for screen readers
    shapes: list = field(default_factory=list)


@dataclass(frozen=True)
class Pattern:
    fill: float
    hatch: str  # "" none, "/" diagonal lines, "x" crossed lines
    text: float | None  # grey of a number printed on it; None: no number on it


# Shades far enough apart to tell in a greyscale print, alternated with hatching.
# Digits are printed on plain segments only: over hatching they are hard to read.
PATTERNS = (
    Pattern(0.2, "", 1.0),
    Pattern(0.62, "", 0.0),
    Pattern(1.0, "/", None),
    Pattern(0.85, "", 0.0),
    Pattern(0.42, "", 1.0),
    Pattern(1.0, "", 0.0),
    Pattern(0.72, "/", None),
)
BAR = Pattern(0.3, "", 1.0)  # the bars of a choice question
BLANK = Pattern(1.0, "x", None)  # "Ej svar": cross-hatched white, in every chart
HATCH_STEP = 4.0
HATCH_GREY = 0.35


def pattern(index: int) -> Pattern:
    return PATTERNS[index % len(PATTERNS)]


def _hatch(x: float, y: float, w: float, h: float, crossed: bool = False) -> list[Line]:
    """Diagonal lines (both ways if `crossed`) filling a rectangle, clipped to it."""
    lines = []
    c = -h
    while c < w:
        s0, s1 = max(0.0, -c), min(h, w - c)
        if s1 > s0:
            lines.append(Line(x + c + s0, y + h - s0, x + c + s1, y + h - s1, HATCH_GREY, 0.5))
            if crossed:
                lines.append(Line(x + c + s0, y + s0, x + c + s1, y + s1, HATCH_GREY, 0.5))
        c += HATCH_STEP
    return lines


def _segment(x: float, y: float, w: float, h: float, p: Pattern) -> list:
    shapes: list = [Rect(x, y, w, h, p.fill, None)]
    if p.hatch:
        shapes += _hatch(x, y, w, h, crossed=p.hatch == "x")
    shapes.append(Rect(x, y, w, h, None, 0.0, 0.6))
    return shapes


def bar(fraction: float, width: float, height: float, alt: str, blank: bool = False) -> Chart:
    """One horizontal bar on a faint 0–100 % track."""
    chart = Chart(width, height, alt)
    pad = height * 0.18
    chart.shapes.append(Rect(0, pad, width, height - 2 * pad, None, 0.75, 0.5))
    w = max(0.0, min(1.0, fraction)) * width
    if w > 0:
        chart.shapes += _segment(0, pad, w, height - 2 * pad, BLANK if blank else BAR)
    return chart


def stacked(
    parts: list[tuple[float, Pattern, str]], width: float, height: float, alt: str, size: float
) -> Chart:
    """A 100 % bar of segments (fraction, pattern, text printed on it if it fits)."""
    chart = Chart(width, height, alt)
    pad = height * 0.12
    h = height - 2 * pad
    x = 0.0
    for fraction, p, text in parts:
        w = max(0.0, fraction) * width
        if w <= 0:
            continue
        chart.shapes += _segment(x, pad, w, h, p)
        if p.text is not None and text and w >= len(text) * size * 0.62 + 4:
            chart.shapes.append(Label(x + w / 2, pad + h / 2 + size * 0.36, text, size, p.text))
        x += w
    return chart


def swatch(p: Pattern, size: float) -> Chart:
    """A small square of a pattern, for a table header that says which segment is which."""
    chart = Chart(size, size, "")
    chart.shapes += _segment(0.5, 0.5, size - 1, size - 1, p)
    return chart
