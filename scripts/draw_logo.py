"""Draw the synthetic logo of the letters' test form (tests/forms/letters/logo.png).

No artwork of anyone's: a green rounded square with a white cross, and three bars
beside it where a unit's name would be, on a transparent ground (the PNG's alpha is
what a real logo often has, and what the letters must draw right).

    .venv/bin/python scripts/draw_logo.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "tests" / "forms" / "letters" / "logo.png"


def draw(path: Path = OUT) -> Path:
    image = Image.new("RGBA", (480, 160), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    green = (0, 122, 84, 255)
    pen.rounded_rectangle((8, 8, 152, 152), radius=28, fill=green)
    pen.rectangle((62, 30, 98, 130), fill="white")
    pen.rectangle((30, 62, 130, 98), fill="white")
    for n, width in enumerate((300, 240, 180)):
        top = 28 + n * 42
        pen.rounded_rectangle((176, top, 176 + width, top + 24), radius=10, fill=green)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)
    return path


if __name__ == "__main__":
    print(draw())
