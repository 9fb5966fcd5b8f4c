"""Synthetic scans: paper forms filled in by hand, printed, scanned, with known answers.

The scan reader's tests and its accuracy benchmark need paper that came back.
This module makes it without paper: the blank form is generated with a serial
and drawn by PDFium at scanner resolution, the answers are drawn into it as a
person would (pen marks in the tick boxes, handwriting-like strokes in the text
boxes), and the page then goes through what printing and scanning do to it:
"fit to page" scaling, a skewed and shifted sheet, a sheet fed upside down,
blur, uneven light, sensor noise, dust and JPEG.

Coordinates: a box in pixels is `(x0, y0, x1, y1)` with the origin at the
top-left of the clean page image, x to the right and y down; pixel (col, row)
covers [col, col + 1) × [row, row + 1). `widget_box` turns a layout widget (PDF
points, origin bottom-left) into such a box. Stroke widths are given at 200 dpi
and scale with `dpi`.

All randomness comes from the `random.Random` passed in, so the same seed gives
the same images (numpy generators are seeded from it).

Main entry points:

- `Distortion`, `Distortion.profile(name, rng)` (also `profile`), `distort`;
- `draw_mark(image, box, kind, rng)`, `scribble_text(image, box, rng)`;
- `make_scan(form, lang, answers, serial, rng, distortion)` → (pages, truth);
- `random_questionnaire(form, rng)`: synthetic answers, a serial and a scan;
- `scanned_pdf(pages)`, `save_images(pages, folder, fmt)`;
- `stack(questionnaires, rng, ...)`: a pile of scanned sheets for grouping tests.
"""

from __future__ import annotations

import io
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from pdfforms.generate.fields import answers_to_fields
from pdfforms.generate.render import render
from pdfforms.model import fonts
from pdfforms.model.definition import logo_path
from pdfforms.model.form import Form
from pdfforms.model.layout import (
    EDITION,
    NORMAL,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Widget,
    build_layout,
)
from pdfforms.model.serials import ALPHABET, RANDOM_CHARS, is_valid_serial
from pdfforms.testing.synthetic import synthetic_answers

from ..read.scan.pages import draw_pages

Box = tuple[float, float, float, float]

MARK_KINDS = ("tick", "cross", "dot", "filled", "circle", "pencil", "marker", "slash")
"""Pen marks that mean "ticked". `filled` is a box inked in whole, as some people tick.

`pencil` is an ordinary pencil cross (HB, 0.2–0.4 mm); the stress set adds
`faint_pencil`, a hard pencil barely touching the paper."""
STRESS_MARK_KINDS = MARK_KINDS + ("faint_pencil",)
PEOPLE_MARK_KINDS = ("ring_box", "ring_label", "underline_label", "tick_out", "whitened_pencil")
"""How people also say "this one" on paper, found when the form was tried from outside.

`ring_box`: a ring drawn around the box, outside it (touching its border, crossing
it at the corners, or clear of it); `ring_label`: a ring around the option's words
(now and then around the box too); `underline_label`: a line under the option's
words; `tick_out`: a tick that starts inside the box and ends well outside it;
`whitened_pencil`: a light pencil cross whose core ends 12–16 grey levels under
the paper once the scanner has blurred and whitened the page (`Distortion.whiten`);
on a page that is not whitened, the same graphite as it was before a whitening
curve. A box with no words beside it (a grid's) gets `ring_box` for the label
kinds."""
CANCEL = "cancel"
"""A radio option inked in whole next to the ticked one, to take a tick back
(`make_scan` with `cancel_rate` > 0)."""

BASE_DPI = 200  # stroke widths and speck sizes are given at this resolution
MM_PER_INCH = 25.4
_WHITE = 255.0


# --------------------------------------------------------------------------- distortions


@dataclass(frozen=True)
class Photo:
    """A phone's photo of the page lying on a table, instead of a scanner's image.

    tilt: degrees between the phone's view and straight down (5–25), about an
    axis at `tilt_axis` degrees in the page's plane; turn: the page's turn in
    the frame, degrees counter-clockwise as seen (a landscape frame holds it
    turned about 90°); share: how much of the frame's height (of its width, in
    a landscape frame) the page spans; frame: the photo's (width, height) in
    pixels; table: "wood" or "fabric", a texture made here; light: how much
    the light falls off across the frame at its worst; hand: a hand's soft
    shadow over part of the page (how much it darkens, 0 for none); blur: the
    focus's Gaussian sigma in pixels; noise: the sensor's, in grey levels;
    jpeg_quality: the phone's JPEG. `seed` draws the table's grain, the
    shadow's shape and where the page lies in the frame.

    Material from outside (bench and tests only): `background`, a photograph
    that scikit-image ships ("brick", "gravel", "grass": public-domain
    textures) as the table instead of ours; `lighting`, effects of the augraphy
    library on the whole frame ("LightingGradient", "ShadowCast",
    "ReflectedLight": its own models of a photo's light, default parameters).
    """

    tilt: float = 15.0
    tilt_axis: float = 0.0
    turn: float = 0.0
    share: float = 0.8
    frame: tuple[int, int] = (1536, 2048)
    table: str = "wood"
    light: float = 0.25
    hand: float = 0.0
    blur: float = 0.8
    noise: float = 3.0
    jpeg_quality: int | None = 85
    seed: int = 0
    background: str | None = None
    lighting: tuple[str, ...] = ()

    @classmethod
    def random(cls, rng: random.Random) -> Photo:
        """A phone photo as people take them of a form on a table (PROFILES["photo"])."""
        p = PROFILES["photo"]
        long_side = rng.randint(*p["frame"])
        landscape = rng.random() < p["landscape"]
        frame = (long_side, long_side * 3 // 4) if landscape else (long_side * 3 // 4, long_side)
        turn = rng.uniform(-p["turn"], p["turn"]) + (rng.choice((90, -90)) if landscape else 0)
        return cls(
            tilt=round(rng.uniform(*p["tilt"]), 2),
            tilt_axis=round(rng.uniform(0, 360), 1),
            turn=round(turn, 2),
            share=round(rng.uniform(*p["share"]), 3),
            frame=frame,
            table=rng.choice(("wood", "fabric")),
            light=round(rng.uniform(*p["light"]), 3),
            hand=round(rng.uniform(*p["hand"]), 3) if rng.random() < p["hand_share"] else 0.0,
            blur=round(rng.uniform(*p["blur"]), 2),
            noise=round(rng.uniform(*p["noise"]), 2),
            jpeg_quality=rng.randint(*p["jpeg"]),
            seed=rng.getrandbits(32),
            background=rng.choice(PHOTO_BACKGROUNDS) if rng.random() < p["outside"] else None,
            lighting=(rng.choice(PHOTO_LIGHTING),) if rng.random() < p["outside"] else (),
        )


PHOTO_BACKGROUNDS = ("brick", "gravel", "grass")  # scikit-image's photographed textures
PHOTO_LIGHTING = ("LightingGradient", "ShadowCast", "ReflectedLight")  # augraphy's


@dataclass(frozen=True)
class Distortion:
    """What printing and scanning do to one page.

    rotation: degrees, positive counter-clockwise as seen; scale: about the page
    centre, the page size kept ("fit to page" printing gives 0.94–0.97); shift:
    (x, y) in mm, right and down; blur: Gaussian sigma in pixels; noise:
    Gaussian sigma in grey levels; speckle: dark specks of dust per dm² (A4 is
    6.24 dm²); jpeg_quality: None (lossless) or the quality of a JPEG round
    trip; lighting: how much an uneven light (a gradient and a vignette)
    darkens the page at its worst, 0–0.4; upside_down: the sheet was fed
    turned 180°; photo: a phone's photo of the page (`Photo`) in place of the
    scanner's geometry, light, blur, noise and JPEG. The default is no
    distortion at all.
    """

    rotation: float = 0.0
    scale: float = 1.0
    shift: tuple[float, float] = (0.0, 0.0)
    blur: float = 0.0
    noise: float = 0.0
    speckle: float = 0.0
    jpeg_quality: int | None = None
    lighting: float = 0.0
    upside_down: bool = False
    # What else happens to paper, for the reader's harder cases (see OVERLAYS):
    # named overlays, and the scanner's "whitening" levels (black point, white
    # point, gamma) that push paper to 255 and light grey up.
    overlays: tuple[str, ...] = ()
    whiten: tuple[float, float, float] | None = None
    augraphy: tuple[str, ...] = ()  # effects of the augraphy library (bench only)
    # A worn copy (WORN): the sheet is a photocopy of a photocopy, and one of
    # WORN's damages ("faded" for none beyond the copying) lies over its QR code
    # or a corner (bench only: it draws augraphy's effects).
    worn: str | None = None
    photo: Photo | None = None
    # What the paper itself and the light bring (see PAPER): a textured sheet
    # under the print and the ink, a broad shadow over the scan.
    paper: tuple[str, ...] = ()

    @classmethod
    def profile(cls, name: str, rng: random.Random) -> Distortion:
        """A random distortion of profile "test" (moderate), "stress" (strong),
        "photo" (a phone's photo of the page on a table) or "none"."""
        if name == "none":
            return cls()
        if name == "photo":
            return cls(photo=Photo.random(rng))
        if name not in PROFILES:
            raise ValueError(f"unknown profile {name!r}: one of none, {', '.join(PROFILES)}")
        p = PROFILES[name]
        jpeg = None
        if rng.random() < p["jpeg_share"]:
            jpeg = rng.randint(*p["jpeg"])
        return cls(
            rotation=round(rng.uniform(-p["rotation"], p["rotation"]), 3),
            scale=round(rng.uniform(*p["scale"]), 4),
            shift=(
                round(rng.uniform(-p["shift"], p["shift"]), 2),
                round(rng.uniform(-p["shift"], p["shift"]), 2),
            ),
            blur=round(rng.uniform(0.0, p["blur"]), 2),
            noise=round(rng.uniform(0.0, p["noise"]), 2),
            speckle=round(rng.uniform(0.0, p["speckle"]), 2),
            jpeg_quality=jpeg,
            lighting=round(rng.uniform(0.0, p["lighting"]), 3),
            upside_down=rng.random() < p["upside_down"],
        )


PROFILES = {
    # rotation ±deg, scale range, shift ±mm, blur ≤ px, noise ≤ grey levels,
    # speckle ≤ specks/dm², JPEG quality range (for jpeg_share of the pages; the
    # rest are lossless scans), lighting ≤, share of sheets fed upside down.
    "test": dict(
        rotation=2.0,
        scale=(0.96, 1.02),
        shift=4.0,
        blur=1.2,
        noise=8.0,
        speckle=2.0,
        jpeg=(60, 95),
        jpeg_share=0.85,
        lighting=0.2,
        upside_down=0.1,
    ),
    "stress": dict(
        rotation=3.5,
        scale=(0.93, 1.04),
        shift=8.0,
        blur=2.0,
        noise=15.0,
        speckle=8.0,
        jpeg=(30, 95),
        jpeg_share=0.85,
        lighting=0.4,
        upside_down=0.2,
    ),
    # A phone held over a form on a table: tilt range (degrees from straight
    # down), the page's turn in the frame ±deg (a landscape frame, for that share
    # of photos, turns it a quarter more), the share of the frame's long side
    # the page spans, the frame's long side in pixels (messaging apps and
    # e-mail shrink a 12 MP photo to 1,600–2,560), light falloff, a hand's
    # shadow (how dark, for hand_share of photos), focus blur (px), sensor
    # noise, JPEG quality.
    "photo": dict(
        tilt=(5.0, 25.0),
        turn=12.0,
        landscape=0.3,
        share=(0.6, 0.9),
        frame=(2000, 2600),
        light=(0.1, 0.35),
        hand=(0.2, 0.45),
        hand_share=0.5,
        blur=(0.3, 1.3),
        noise=(1.0, 5.0),
        jpeg=(70, 92),
        outside=0.25,  # share of photos with a photographed table, and with augraphy's light
    ),
}

profile = Distortion.profile


def _gen(rng: random.Random) -> np.random.Generator:
    """A numpy generator drawn from rng, so that one seed fixes everything."""
    return np.random.default_rng(rng.getrandbits(64))


def page_matrix(d: Distortion, width: int, height: int, dpi: int = BASE_DPI) -> np.ndarray:
    """The 3×3 affine map from clean-page pixels to scanned pixels under `d`."""
    th = math.radians(d.rotation)
    c, s = math.cos(th), math.sin(th)
    a = d.scale * np.array([[c, s], [-s, c]])  # y points down: this turns counter-clockwise
    centre = np.array([width / 2, height / 2])
    shift = np.array(d.shift, dtype=float) * dpi / MM_PER_INCH
    m = np.eye(3)
    m[:2, :2] = a
    m[:2, 2] = centre - a @ centre + shift
    if d.upside_down:
        m = np.array([[-1.0, 0.0, width], [0.0, -1.0, height], [0.0, 0.0, 1.0]]) @ m
    return m


def map_point(matrix: np.ndarray, x: float, y: float) -> tuple[float, float]:
    """Apply a 2×3 affine or a 3×3 projective matrix (a photo's) to a pixel position."""
    m = np.asarray(matrix, dtype=float)
    w = float(m[2, 0] * x + m[2, 1] * y + m[2, 2]) if m.shape[0] == 3 else 1.0
    return (
        float(m[0, 0] * x + m[0, 1] * y + m[0, 2]) / w,
        float(m[1, 0] * x + m[1, 1] * y + m[1, 2]) / w,
    )


def pt_to_px(x: float, y: float, dpi: int = BASE_DPI, page_height: float = PAGE_HEIGHT):
    """A PDF point (origin bottom-left) → a clean-page pixel position (origin top-left)."""
    k = dpi / 72
    return x * k, (page_height - y) * k


def widget_box(widget: Widget, dpi: int = BASE_DPI, page_height: float = PAGE_HEIGHT) -> Box:
    """A widget's rectangle in clean-page pixels: (x0, y0, x1, y1), y down."""
    k = dpi / 72
    return (
        widget.x * k,
        (page_height - widget.y - widget.h) * k,
        (widget.x + widget.w) * k,
        (page_height - widget.y) * k,
    )


def distort(
    image: np.ndarray,
    d: Distortion,
    rng: random.Random,
    dpi: int = BASE_DPI,
    targets: Sequence[Box] = (),
    qr: Box | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Print and scan one page image: (scanned uint8 image, 2×3 matrix clean px → scan px;
    for a photo, its frame and the 3×3 projective matrix clean px → frame px).

    Order: what happens to the paper itself (its texture, `d.paper`, under print
    and ink; `d.overlays`, aimed at `targets`, boxes in clean-page pixels, so
    they lie over tick boxes; then `d.augraphy`; then `d.worn`, its damage aimed at
    `qr`, the QR code's box), the sheet's geometry (scale, rotation, shift, 180°)
    in one bilinear resampling with white outside the paper, dust, blur, uneven
    light and a shadow (`d.paper`), noise, the scanner's whitening, JPEG. The scan
    has the clean page's size; a phone photo (`d.photo`) is drawn into a frame of
    its own instead.
    """
    height, width = image.shape
    m = page_matrix(d, width, height, dpi)
    clean = np.clip(np.rint(image), 0, 255).astype(np.uint8) if image.dtype != np.uint8 else image
    if d.overlays or d.augraphy or d.worn or "texture" in d.paper:
        clean = clean.copy()
        if "texture" in d.paper:
            clean = paper_texture(clean, rng)
        for name in d.overlays:
            clean = apply_overlay(clean, name, rng, targets, dpi)
        for name in d.augraphy:
            clean = augraphy_effect(clean, name, rng)
        if d.worn:
            clean = worn_copy(clean, d.worn, rng, dpi, qr)
    if d.photo is not None:
        return photograph(clean, d.photo, dpi)
    pil = Image.fromarray(clean, "L")
    if not np.allclose(m, np.eye(3)):
        inverse = np.linalg.inv(m)
        pil = pil.transform(
            (width, height),
            Image.Transform.AFFINE,
            tuple(inverse[:2].ravel()),
            resample=Image.Resampling.BILINEAR,
            fillcolor=255,
        )
    gen = _gen(rng)
    if d.speckle > 0:
        _speckle(pil, d.speckle, gen, dpi)
    if d.blur > 0.05:
        pil = pil.filter(ImageFilter.GaussianBlur(d.blur))
    if d.lighting <= 0 and d.noise <= 0 and "shadow_edge" not in d.paper:
        out = np.array(pil)
    else:
        arr = np.asarray(pil, dtype=np.float32)
        if d.lighting > 0:
            arr = arr * _light_field(width, height, d.lighting, gen)
        if "shadow_edge" in d.paper:
            arr = arr * edge_shadow(width, height, rng)
        if d.noise > 0:
            arr = arr + gen.standard_normal(arr.shape, dtype=np.float32) * np.float32(d.noise)
        out = np.clip(np.rint(arr), 0, 255).astype(np.uint8)
    if d.whiten is not None:
        out = whiten(out, d.whiten)
    if d.jpeg_quality:
        out = jpeg_round_trip(out, d.jpeg_quality)
    return out, m[:2].copy()


# --------------------------------------------------------------------------- phone photos


def homography(src, dst) -> np.ndarray:
    """The 3×3 projective map taking four points `src` onto `dst` (x, y each):
    the eight unknowns of h (h33 = 1) solved from two equations a point."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    h = np.linalg.solve(np.array(rows, dtype=float), np.array(rhs, dtype=float))
    return np.append(h, 1.0).reshape(3, 3)


def photo_matrix(p: Photo, width: int, height: int, dpi: int = BASE_DPI) -> np.ndarray:
    """The 3×3 projective map from clean-page pixels to the photo's frame.

    The page lies flat, turned by `p.turn`; the phone looks down at it tilted
    by `p.tilt` about an in-plane axis, from as far as a 65° lens needs for the
    page to span `p.share` of the frame; the picture is then placed in the
    frame at a random spot (drawn from `p.seed`) where all of it is seen.
    """
    gen = np.random.default_rng(p.seed)
    mm = MM_PER_INCH / dpi
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=float)
    xy = (corners - [width / 2, height / 2]) * mm  # mm from the page's centre, y down
    th = math.radians(p.turn)
    c, s = math.cos(th), math.sin(th)
    xy = xy @ np.array([[c, s], [-s, c]]).T  # y points down: this turns counter-clockwise
    # the tilt: Rodrigues' rotation about the axis (cos a, sin a, 0)
    a, t = math.radians(p.tilt_axis), math.radians(p.tilt)
    k = np.array([math.cos(a), math.sin(a), 0.0])
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    r = np.eye(3) + math.sin(t) * kx + (1 - math.cos(t)) * kx @ kx
    long_side = max(width, height) * mm
    distance = long_side / (p.share * 2 * math.tan(math.radians(32.5)))
    points = np.c_[xy, np.zeros(4)] @ r.T + [0.0, 0.0, distance]
    seen = points[:, :2] / points[:, 2:3]
    fw, fh = p.frame
    span = seen.max(axis=0) - seen.min(axis=0)
    # the page spans `share` of the frame's long side, never more than fits
    scale = min(p.share * max(fw, fh) / max(span), 0.96 * fw / span[0], 0.96 * fh / span[1])
    seen = (seen - seen.min(axis=0)) * scale
    room = np.array([fw, fh]) - (seen.max(axis=0))
    seen += room * gen.uniform(0.2, 0.8, size=2)
    return homography(corners, seen)


def _smooth_field(shape, cells: int, gen: np.random.Generator) -> np.ndarray:
    """A smooth random field about 0 (σ ≈ 1) over `shape`, `cells` bumps across."""
    h, w = shape
    small = gen.standard_normal((max(2, cells * h // max(h, w)), max(2, cells * w // max(h, w))))
    image = Image.fromarray(small.astype(np.float32), "F").resize((w, h), Image.Resampling.BICUBIC)
    return np.asarray(image, dtype=np.float32)


def table(kind: str, shape, gen: np.random.Generator) -> np.ndarray:
    """A table top, grey: "wood" (rings of grain, warped, with streaks along them) or
    "fabric" (a weave, mottled), made here from random fields."""
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = gen.uniform(0, math.pi)
    along = xx * math.cos(angle) + yy * math.sin(angle)
    across = -xx * math.sin(angle) + yy * math.cos(angle)
    if kind == "wood":
        period = gen.uniform(18, 45)
        warp = _smooth_field(shape, 6, gen) * period * 0.8
        grain = np.sin(2 * math.pi * (across + warp) / period)
        streaks = _smooth_field((h, w), 400, gen) * 0.3
        base, depth = gen.uniform(95, 165), gen.uniform(18, 35)
        out = base + depth * (0.7 * grain + streaks) + 8 * _smooth_field(shape, 4, gen)
    else:
        period = gen.uniform(3, 6)
        weave = np.sin(2 * math.pi * along / period) * np.sin(2 * math.pi * across / period)
        base = gen.uniform(60, 200)
        out = base + 14 * weave + 18 * _smooth_field(shape, 10, gen)
    return out.astype(np.float32)


def _hand_shadow(shape, page: np.ndarray, gen: np.random.Generator) -> np.ndarray:
    """0…1: where a hand and arm, held between the light and the page, shade it.

    An arm comes in from one edge of the frame and ends in a hand over the
    page's margin or a part of it; its edge is soft, as a shadow from a
    ceiling lamp is.
    """
    h, w = shape
    n = 4  # drawn small, blurred, then enlarged
    pil = Image.new("L", (w // n, h // n), 0)
    draw = ImageDraw.Draw(pil)
    cx, cy = page.mean(axis=0)
    corner = page[gen.integers(4)]
    tx, ty = corner + (np.array([cx, cy]) - corner) * gen.uniform(0.15, 0.4)  # the hand
    side = gen.integers(4)
    ex, ey = [(tx, 0), (w, ty), (tx, h), (0, ty)][side]  # where the arm leaves the frame
    width = min(w, h) * gen.uniform(0.1, 0.16)
    draw.line([(ex / n, ey / n), (tx / n, ty / n)], fill=255, width=int(width / n))
    r = width * gen.uniform(0.7, 1.0)
    draw.ellipse([(tx - r) / n, (ty - r) / n, (tx + r) / n, (ty + r) / n], fill=255)
    pil = pil.filter(ImageFilter.GaussianBlur(gen.uniform(0.02, 0.05) * min(w, h) / n))
    big = pil.resize((w, h), Image.Resampling.BILINEAR)
    return np.asarray(big, dtype=np.float32) / 255.0


def _photographed(p: Photo, width: int, height: int) -> np.ndarray:
    """scikit-image's photograph `p.background`, enlarged 2–3 times and tiled over
    the frame (mirrored, so no seam shows)."""
    import skimage.data

    texture = np.asarray(getattr(skimage.data, p.background)(), dtype=np.float32)
    if texture.ndim == 3:
        texture = texture.mean(axis=2)
    grow = 2 + p.seed % 2
    big = Image.fromarray(texture, "F").resize(
        (texture.shape[1] * grow, texture.shape[0] * grow), Image.Resampling.BILINEAR
    )
    tile = np.asarray(big, dtype=np.float32)
    tile = np.concatenate([tile, tile[::-1]], axis=0)
    tile = np.concatenate([tile, tile[:, ::-1]], axis=1)
    reps = (-(-height // tile.shape[0]), -(-width // tile.shape[1]))
    return np.tile(tile, reps)[:height, :width]


def photograph(page: np.ndarray, p: Photo, dpi: int = BASE_DPI) -> tuple[np.ndarray, np.ndarray]:
    """A phone's photo of a printed page on a table: (frame, 3×3 clean px → frame px).

    The page (paper ~85–95 % as bright as the light) is drawn into the frame by
    `photo_matrix` over a table made by `table`; then the light falls off
    across the frame, a hand may shade a part, the focus blurs, the sensor adds
    noise and the phone writes a JPEG.
    """
    gen = np.random.default_rng(p.seed + 1)
    height, width = page.shape
    m = photo_matrix(p, width, height, dpi)
    fw, fh = p.frame
    inverse = np.linalg.inv(m)
    inverse /= inverse[2, 2]
    coefficients = tuple(inverse.ravel()[:8])
    warped = Image.fromarray(page, "L").transform(
        (fw, fh), Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BILINEAR, fillcolor=0
    )
    cover = Image.new("L", (width, height), 255).transform(
        (fw, fh), Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BILINEAR, fillcolor=0
    )
    alpha = np.asarray(cover, dtype=np.float32) / 255.0
    paper = np.asarray(warped, dtype=np.float32) * np.float32(gen.uniform(0.85, 0.95))
    ground = table(p.table, (fh, fw), gen) if p.background is None else _photographed(p, fw, fh)
    frame = alpha * paper + (1 - alpha) * ground
    frame *= _light_field(fw, fh, p.light, gen)
    if p.hand > 0:
        corners = np.array(
            [map_point(m, x, y) for x, y in ((0, 0), (width, 0), (width, height), (0, height))]
        )
        frame *= 1 - p.hand * _hand_shadow((fh, fw), corners, gen)
    frame = np.clip(frame, 0, 255).astype(np.uint8)
    lights = random.Random(p.seed + 2)
    for name in p.lighting:
        frame = augraphy_effect(frame, name, lights)
    pil = Image.fromarray(frame, "L")
    if p.blur > 0.05:
        pil = pil.filter(ImageFilter.GaussianBlur(p.blur))
    out = np.asarray(pil, dtype=np.float32)
    if p.noise > 0:
        out = out + gen.standard_normal(out.shape, dtype=np.float32) * np.float32(p.noise)
    out = np.clip(np.rint(out), 0, 255).astype(np.uint8)
    if p.jpeg_quality:
        out = jpeg_round_trip(out, p.jpeg_quality)
    return out, m


def jpeg_round_trip(image: np.ndarray, quality: int) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(image, "L").save(buf, "JPEG", quality=int(quality))
    buf.seek(0)
    return np.array(Image.open(buf).convert("L"))


def _speckle(pil: Image.Image, density: float, gen: np.random.Generator, dpi: int) -> None:
    """Dust: tiny dark dots, now and then a hair, `density` of them per dm²."""
    width, height = pil.size
    px_per_dm = dpi * 100 / MM_PER_INCH
    count = int(gen.poisson(density * width * height / px_per_dm**2))
    draw = ImageDraw.Draw(pil)
    k = dpi / BASE_DPI
    for _ in range(count):
        x, y = gen.uniform(0, width), gen.uniform(0, height)
        grey = int(gen.uniform(0, 120))
        if gen.random() < 0.1:  # a hair or a scratch
            length = gen.uniform(4, 20) * k
            angle = gen.uniform(0, math.pi)
            bend = gen.uniform(-0.3, 0.3)
            pts = [
                (
                    x + t * length * math.cos(angle + bend * t),
                    y + t * length * math.sin(angle + bend * t),
                )
                for t in np.linspace(0, 1, 5)
            ]
            draw.line(pts, fill=grey, width=1)
        else:
            r = gen.uniform(0.4, 1.4) * k
            ry = r * gen.uniform(0.7, 1.3)
            draw.ellipse([x - r, y - ry, x + r, y + ry], fill=grey)


def _light_field(width: int, height: int, strength: float, gen: np.random.Generator):
    """A smooth factor ≤ 1: a gradient in a random direction mixed with a vignette."""
    sw, sh = max(2, width // 16), max(2, height // 16)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    xx /= sw - 1
    yy /= sh - 1
    angle = gen.uniform(0, 2 * math.pi)
    ramp = (xx - 0.5) * math.cos(angle) + (yy - 0.5) * math.sin(angle) * height / width
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    cx, cy = gen.uniform(0.3, 0.7), gen.uniform(0.3, 0.7)
    r2 = (xx - cx) ** 2 + ((yy - cy) * height / width) ** 2
    r2 = r2 / max(float(r2.max()), 1e-6)
    mix = gen.uniform(0, 1)
    small = (1.0 - strength * (mix * ramp + (1 - mix) * r2)).astype(np.float32)
    field = Image.fromarray(small, "F").resize((width, height), Image.Resampling.BILINEAR)
    return np.asarray(field, dtype=np.float32)


# --------------------------------------------------------------------------- paper's harder cases

OVERLAYS = ("tint", "stamp", "watermark", "shadow", "crease", "wrinkle", "fold")
"""What lies on the paper beside the answers, each aimed at a tick box of the page:

- `tint`: a translucent grey patch with sharp edges (a highlighter, a stamp
  pad's smudge, coloured paper taped on), 70–93 % of the light;
- `stamp`: a receiving rubber stamp, frame and words, in coloured ink that a
  grey scan shows mid-grey, blotchy, over the boxes;
- `watermark`: large pale letters ("KOPIA") across a part of the page;
- `shadow`: the edge of a cast shadow (a phone photo, a lid not shut): one side
  of a line 55–85 % as bright, the edge sharp or a few pixels soft;
- `crease`: the dark line and light rim that a fold leaves, across the page;
- `wrinkle`: a band of the sheet shifted by a quarter to half a box (a fold or
  a wrinkle), the corner marks untouched, so alignment cannot know;
- `fold`: a crease and a wrinkle together."""

AUGRAPHY_EFFECTS = (
    "BleedThrough",
    "LowInkRandomLines",
    "LowInkPeriodicLines",
    "DirtyDrum",
    "ShadowCast",
    "Folding",
    "BrightnessTexturize",
    "NoiseTexturize",
    "Stains",
    "BadPhotoCopy",
    "SubtleNoise",
    "InkBleed",
    "Letterpress",
    "WaterMark",
    "Gamma",
)
"""Effects of the augraphy library (print-and-scan degradation, "Augmentation
pipeline for rendering synthetic paper printing and scanning processes") that
apply to a grey page, each with its own default parameters: material from
outside, not shaped to our reader."""

WORN = ("faded", "stain", "scratches", "folded_corner", "torn_corner")
"""A worn copy: a photocopy of a photocopy (two or three generations, each losing
contrast, blurring, and going through one of augraphy's copier and low-toner
effects, WORN_COPIER), then one damage:

- `faded`: none beyond the copying;
- `stain`: a coffee ring or drop, translucent brown-grey, over the QR code;
- `scratches`: two to five pen strokes or scuffs, dark or white, across the QR code;
- `folded_corner`: a corner folded over (dog-eared) and scanned so, the folded
  triangle blank paper with a crease along it; often the QR code's corner;
- `torn_corner`: a corner torn off, white where it was, its edge ragged.
"""
WORN_COPIER = (
    "BadPhotoCopy",
    "DirtyDrum",
    "LowInkRandomLines",
    "LowInkPeriodicLines",
    "Letterpress",
)


def worn_copy(
    image: np.ndarray,
    damage: str,
    rng: random.Random,
    dpi: int = BASE_DPI,
    qr: Box | None = None,
    copier: Sequence[str] = WORN_COPIER,
) -> np.ndarray:
    """A clean page (uint8) as a worn copy with `damage` (WORN) aimed at `qr`; a new image.

    `copier`: the augraphy effects a generation of copying draws one of (none: only
    its loss of contrast and blur, without augraphy, which the tests do not install).
    """
    if damage not in WORN:
        raise ValueError(f"unknown worn copy {damage!r}: one of {', '.join(WORN)}")
    height, width = image.shape
    k = dpi / BASE_DPI
    gen = _gen(rng)
    out = image
    for _ in range(rng.randint(2, 3)):  # each generation of copying
        if copier:
            out = augraphy_effect(out, rng.choice(tuple(copier)), rng)
        arr = out.astype(np.float32)
        paper = rng.uniform(228, 248)  # the copier's paper tone, not quite white
        contrast = rng.uniform(0.72, 0.9)  # black prints as dark grey
        arr = paper - (255.0 - arr) * contrast * (paper / 255.0)
        pil = Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8))
        out = np.asarray(pil.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.1) * k)))
    arr = out.astype(np.float32)
    if qr is not None:
        qx0, qy0, qx1, qy1 = qr
    else:  # where pdfforms prints it: the bottom right
        qx0, qy0, qx1, qy1 = width * 0.8, height * 0.9, width * 0.93, height * 0.97
    qcx, qcy, qside = (qx0 + qx1) / 2, (qy0 + qy1) / 2, max(qx1 - qx0, qy1 - qy0)
    if damage == "stain":
        # a drop or a ring, a third to the whole of the code across, off its centre
        r = rng.uniform(0.3, 0.8) * qside
        cx, cy = qcx + rng.uniform(-0.4, 0.4) * qside, qcy + rng.uniform(-0.4, 0.4) * qside
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        d = np.hypot((xx - cx) / r, (yy - cy) / (r * rng.uniform(0.7, 1.0)))
        d = d * (1 + 0.08 * np.sin(np.arctan2(yy - cy, xx - cx) * rng.randint(3, 7)))
        body = np.clip((1.0 - d) * 6, 0, 1) * rng.uniform(0.15, 0.4)
        ring = np.exp(-(((d - 1.0) / 0.04) ** 2)) * rng.uniform(0.3, 0.6)
        alpha = np.maximum(body, ring if rng.random() < 0.6 else 0)
        arr = arr * (1 - alpha * 0.75)
    elif damage == "scratches":
        pil = Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(pil)
        for _ in range(rng.randint(2, 5)):
            a = rng.uniform(0, math.pi)
            length = rng.uniform(0.8, 1.6) * qside
            ox, oy = rng.uniform(-0.35, 0.35) * qside, rng.uniform(-0.35, 0.35) * qside
            dx, dy = math.cos(a) * length / 2, math.sin(a) * length / 2
            tone = rng.choice([rng.uniform(20, 90), rng.uniform(235, 255)])  # pen or scuff
            draw.line(
                [(qcx + ox - dx, qcy + oy - dy), (qcx + ox + dx, qcy + oy + dy)],
                fill=int(tone),
                width=max(1, round(rng.uniform(2, 6) * k)),
            )
        arr = np.asarray(pil, dtype=np.float32)
    elif damage in ("folded_corner", "torn_corner"):
        # the QR code's corner half the time, else any of the four
        corner = (1, 1) if rng.random() < 0.5 else (rng.randint(0, 1), rng.randint(0, 1))
        cx, cy = corner[0] * width, corner[1] * height
        legs = (rng.uniform(0.12, 0.3) * width, rng.uniform(0.08, 0.2) * height)
        ax, ay = (cx - legs[0] if corner[0] else cx + legs[0]), cy
        bx, by = cx, (cy - legs[1] if corner[1] else cy + legs[1])
        mask = Image.new("L", (width, height), 0)
        if damage == "torn_corner":  # a ragged edge between the two points
            edge = [
                (
                    ax + (bx - ax) * t + gen.normal(0, 4 * k),
                    ay + (by - ay) * t + gen.normal(0, 4 * k),
                )
                for t in np.linspace(0, 1, 25)
            ]
            ImageDraw.Draw(mask).polygon([(cx, cy), *edge], fill=255)
            alpha = np.asarray(mask, dtype=np.float32) / 255.0
            arr = arr * (1 - alpha) + 255.0 * alpha  # the scanner's white lid
        else:  # the fold's triangle: the sheet's blank back, and a crease along the fold
            ImageDraw.Draw(mask).polygon([(cx, cy), (ax, ay), (bx, by)], fill=255)
            alpha = np.asarray(mask, dtype=np.float32) / 255.0
            arr = arr * (1 - alpha) + rng.uniform(225, 245) * alpha
            line = Image.new("L", (width, height), 0)
            ImageDraw.Draw(line).line([(ax, ay), (bx, by)], fill=255, width=max(2, round(3 * k)))
            crease = np.asarray(line.filter(ImageFilter.GaussianBlur(2 * k)), np.float32) / 255
            arr = arr * (1 - crease * rng.uniform(0.3, 0.6))
    return np.clip(np.rint(arr), 0, 255).astype(np.uint8)


PAPER = ("texture", "shadow_edge")
"""What the sheet and the light bring to a whole page, for the reader's ordinary cases:

- `texture`: textured paper (recycled or cheap office paper: grain and mottle)
  under the print and the ink, made by augraphy's own paper generators
  (BrightnessTexturize, then NoiseTexturize, with their default parameters) on
  a blank sheet and multiplied in: the texture is the paper's, so print and ink
  lie on it, as on paper;
- `shadow_edge`: the broad soft shadow of a scanner lid not shut or a sheet
  curling away from the glass, over one edge of the page: down to 55–85 % of
  the light at the edge, fading over 10–35 % of the page."""


def paper_texture(image: np.ndarray, rng: random.Random) -> np.ndarray:
    """A page printed on textured paper: augraphy's paper, multiplied under everything."""
    blank = np.full(image.shape, 255, dtype=np.uint8)
    paper = augraphy_effect(
        augraphy_effect(blank, "BrightnessTexturize", rng), "NoiseTexturize", rng
    )
    out = image.astype(np.float32) * (paper.astype(np.float32) / np.float32(_WHITE))
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def edge_shadow(width: int, height: int, rng: random.Random) -> np.ndarray:
    """A factor ≤ 1 over the page: a soft shadow coming in from one of its edges."""
    side = rng.choice(("left", "right", "top", "bottom"))
    length = width if side in ("left", "right") else height
    reach = rng.uniform(0.10, 0.35) * length
    depth = 1.0 - rng.uniform(0.55, 0.85)
    coord = np.arange(length, dtype=np.float32)
    if side in ("right", "bottom"):
        coord = coord[::-1]
    # a smooth fall from the edge: darkest there, gone at `reach`
    t = np.clip(coord / np.float32(reach), 0.0, 1.0)
    factor = 1.0 - depth * (1.0 - t) ** 2
    if side in ("left", "right"):
        return np.broadcast_to(factor[None, :], (height, width)).astype(np.float32)
    return np.broadcast_to(factor[:, None], (height, width)).astype(np.float32)


def whiten(image: np.ndarray, levels: tuple[float, float, float]) -> np.ndarray:
    """A scanner's "whitening": levels (black point, white point) and a gamma.

    Grey at or above the white point becomes 255, so paper turns flat white and
    light grey (faint pencil) moves up towards it.
    """
    black, white, gamma = levels
    arr = np.clip((image.astype(np.float32) - black) / max(white - black, 1.0), 0, 1)
    return np.clip(np.rint(255.0 * arr**gamma), 0, 255).astype(np.uint8)


def whitened_level(levels: tuple[float, float, float] | None, below: float) -> float:
    """The grey to draw with so that it ends `below` levels under white after `levels`."""
    if levels is None:
        return _WHITE - below
    black, white, gamma = levels
    return black + (white - black) * ((_WHITE - below) / _WHITE) ** (1.0 / gamma)


def random_whitening(rng: random.Random) -> tuple[float, float, float]:
    """Levels a scanner's "whiten background" setting applies: paper (≥ 225) to white."""
    return (
        round(rng.uniform(0, 30), 1),
        round(rng.uniform(222, 240), 1),
        round(rng.uniform(0.8, 1.1), 2),
    )


def with_extras(
    d: Distortion,
    rng: random.Random,
    overlays: float = 0.0,
    whitening: float = 0.0,
    augraphy: float = 0.0,
    kinds: Sequence[str] = OVERLAYS,
    worn: str | None = None,
    paper: float = 0.0,
) -> Distortion:
    """`d` with, each by its chance, one overlay of `kinds`, whitening, one augraphy
    effect, one of PAPER; and `worn`, a worn copy's damage (WORN), on every page of a
    worn copy."""
    from dataclasses import replace

    extra: dict = {}
    if overlays and rng.random() < overlays:
        extra["overlays"] = (rng.choice(tuple(kinds)),)
    if whitening and rng.random() < whitening:
        extra["whiten"] = random_whitening(rng)
    if augraphy and rng.random() < augraphy:
        extra["augraphy"] = (rng.choice(AUGRAPHY_EFFECTS),)
    if worn:
        extra["worn"] = worn
    # drawn last, so that the other extras of a seed stay as they were
    if paper and rng.random() < paper:
        extra["paper"] = (rng.choice(PAPER),)
    return replace(d, **extra) if extra else d


def distortion_kinds(d: Distortion) -> list[str]:
    """Names of what a page went through beyond the ordinary, for per-kind scores."""
    names = list(d.overlays) + [f"augraphy:{a}" for a in d.augraphy] + list(d.paper)
    if d.worn:
        names.append(f"worn:{d.worn}")
    if d.photo is not None:
        names.append("photo" + (":hand" if d.photo.hand else ""))
        if d.photo.background:
            names.append(f"photo:table:{d.photo.background}")
        names += [f"photo:augraphy:{name}" for name in d.photo.lighting]
    if d.whiten is not None:
        names.append("whiten")
    return names or ["ordinary"]


def _target(rng: random.Random, targets: Sequence[Box], width: int, height: int):
    """The centre of a random target box, or of the page's middle third."""
    if targets:
        x0, y0, x1, y1 = rng.choice(list(targets))
        return (x0 + x1) / 2, (y0 + y1) / 2, max(x1 - x0, y1 - y0)
    return rng.uniform(width / 3, 2 * width / 3), rng.uniform(height / 3, 2 * height / 3), 42.0


def apply_overlay(
    image: np.ndarray,
    name: str,
    rng: random.Random,
    targets: Sequence[Box] = (),
    dpi: int = BASE_DPI,
    shift: float | None = None,
) -> np.ndarray:
    """One of OVERLAYS on a clean page (uint8), aimed at one of `targets`; a new image.

    `shift`: for a wrinkle or fold, how far the box moves, as a share of its side
    (default: a quarter to a half, at random).
    """
    height, width = image.shape
    cx, cy, side = _target(rng, targets, width, height)
    k = dpi / BASE_DPI
    arr = image.astype(np.float32)
    if name == "tint":
        w, h = rng.uniform(60, 420) * k, rng.uniform(50, 260) * k
        # the patch's edge may run across the box, or the patch may cover it whole
        ox, oy = rng.uniform(-0.5, 0.5) * w, rng.uniform(-0.5, 0.5) * h
        factor = rng.uniform(0.7, 0.93)
        mask = Image.new("L", (width, height), 0)
        corners = _rotated_rect(cx + ox, cy + oy, w, h, rng.uniform(-8, 8))
        ImageDraw.Draw(mask).polygon(corners, fill=255)
        alpha = np.asarray(mask, dtype=np.float32) / 255.0
        arr = arr * (1 - alpha * (1 - factor))
    elif name == "stamp":
        arr = _stamp(arr, cx, cy, rng, k)
    elif name == "watermark":
        arr = _watermark(arr, cx, cy, rng, k)
    elif name == "shadow":
        angle = rng.uniform(0, math.pi)
        nx, ny = math.cos(angle), math.sin(angle)
        offset = rng.uniform(-0.4, 0.4) * side  # the edge crosses the box
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        dist = (xx - cx) * nx + (yy - cy) * ny - offset
        soft = rng.choice([0.0, rng.uniform(1.0, 6.0) * k])
        if soft <= 0:
            inside = (dist > 0).astype(np.float32)
        else:
            inside = 1.0 / (1.0 + np.exp(np.clip(-dist / soft, -60, 60)))
        factor = rng.uniform(0.55, 0.85)
        arr = arr * (1 - inside * (1 - factor))
    elif name == "crease":
        arr = _crease(arr, cx, cy, rng, k, side)
    elif name == "wrinkle":
        arr = _wrinkle(arr, cx, cy, rng, side, shift)
    elif name == "fold":
        arr = _wrinkle(arr, cx, cy, rng, side, shift)
        arr = _crease(arr, cx, cy, rng, k, side)
    else:
        raise ValueError(f"unknown overlay {name!r}: one of {', '.join(OVERLAYS)}")
    return np.clip(np.rint(arr), 0, 255).astype(np.uint8)


def _rotated_rect(cx: float, cy: float, w: float, h: float, degrees: float) -> list:
    a = math.radians(degrees)
    ca, sa = math.cos(a), math.sin(a)
    pts = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    return [(cx + x * ca - y * sa, cy + x * sa + y * ca) for x, y in pts]


def _stamp(arr: np.ndarray, cx: float, cy: float, rng: random.Random, k: float) -> np.ndarray:
    """A receiving stamp: a frame and two lines of words, blotchy, in one ink."""
    from PIL import ImageFont

    w, h = rng.uniform(220, 340) * k, rng.uniform(80, 130) * k
    ox, oy = rng.uniform(-0.35, 0.35) * w, rng.uniform(-0.35, 0.35) * h
    sx, sy = int(cx + ox - w / 2), int(cy + oy - h / 2)
    layer = Image.new("L", (int(w) + 1, int(h) + 1), 0)
    draw = ImageDraw.Draw(layer)
    line = max(2, int(rng.uniform(2, 4) * k))
    draw.rectangle([line, line, int(w) - line, int(h) - line], outline=255, width=line)
    size = int(h * 0.28)
    font = ImageFont.load_default(size=size)
    word = rng.choice(["INKOMMET", "MOTTAGET", "SKANNAD", "REGISTRERAD"])
    draw.text((int(w * 0.08), int(h * 0.12)), word, fill=255, font=font)
    date = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    draw.text((int(w * 0.2), int(h * 0.55)), date, fill=255, font=font)
    layer = layer.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BILINEAR, expand=True)
    alpha = np.asarray(layer, dtype=np.float32) / 255.0
    gen = _gen(rng)
    # a stamp inks unevenly: blotches of less ink
    blotch = gen.random((max(2, alpha.shape[0] // 12), max(2, alpha.shape[1] // 12)))
    blotch = np.asarray(
        Image.fromarray((blotch * 255).astype(np.uint8)).resize(
            (alpha.shape[1], alpha.shape[0]), Image.Resampling.BILINEAR
        ),
        dtype=np.float32,
    )
    alpha = alpha * (0.5 + 0.5 * blotch / 255.0)
    ink = rng.uniform(70, 170)  # red or blue ink, as a grey scan sees it
    return _blend(arr, alpha, ink, sx, sy)


def _watermark(arr: np.ndarray, cx: float, cy: float, rng: random.Random, k: float):
    """Large pale letters across part of the page."""
    from PIL import ImageFont

    size = int(rng.uniform(150, 300) * k)
    font = ImageFont.load_default(size=size)
    word = rng.choice(["KOPIA", "UTKAST", "COPY"])
    left, top, right, bottom = font.getbbox(word)
    layer = Image.new("L", (right + 20, bottom + 20), 0)
    ImageDraw.Draw(layer).text((10, 10), word, fill=255, font=font)
    layer = layer.rotate(rng.uniform(-40, 40), resample=Image.Resampling.BILINEAR, expand=True)
    alpha = np.asarray(layer, dtype=np.float32) / 255.0
    ink = rng.uniform(205, 240)
    sx = int(cx - alpha.shape[1] * rng.uniform(0.3, 0.7))
    sy = int(cy - alpha.shape[0] * rng.uniform(0.3, 0.7))
    return _blend(arr, alpha, ink, sx, sy)


def _blend(arr: np.ndarray, alpha: np.ndarray, ink: float, sx: int, sy: int) -> np.ndarray:
    """Ink of grey `ink` with coverage `alpha`, its top-left at (sx, sy); darkens only."""
    height, width = arr.shape
    y0, x0 = max(0, sy), max(0, sx)
    y1, x1 = min(height, sy + alpha.shape[0]), min(width, sx + alpha.shape[1])
    if y1 <= y0 or x1 <= x0:
        return arr
    a = alpha[y0 - sy : y1 - sy, x0 - sx : x1 - sx]
    region = arr[y0:y1, x0:x1]
    arr[y0:y1, x0:x1] = np.minimum(region, region * (1 - a) + ink * a)
    return arr


def _crease(arr, cx, cy, rng, k, side):
    """A fold's line across the page near a box: a dark groove beside a lit ridge."""
    height, width = arr.shape
    angle = rng.choice([0.0, math.pi / 2]) + math.radians(rng.uniform(-6, 6))
    nx, ny = -math.sin(angle), math.cos(angle)  # normal to the line
    offset = rng.uniform(-0.4, 0.4) * side
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    dist = (xx - cx) * nx + (yy - cy) * ny - offset
    groove = rng.uniform(1.0, 2.5) * k
    depth = rng.uniform(0.12, 0.35)
    shade = depth * np.exp(-((dist / groove) ** 2))
    ridge = 0.08 * np.exp(-(((dist - 2.5 * groove) / (1.5 * groove)) ** 2))
    return np.minimum(255.0, arr * (1 - shade) + 255.0 * ridge)


def _wrinkle(arr, cx, cy, rng, side, shift=None):
    """A band of the page, across it through (cx, cy), shifted by ¼–½ of `side`."""
    height, width = arr.shape
    amount = (rng.uniform(0.25, 0.5) if shift is None else shift) * side
    direction = rng.uniform(0, 2 * math.pi)
    dx, dy = amount * math.cos(direction), amount * math.sin(direction)
    band = rng.uniform(2.0, 5.0) * side  # the shift fades over a few boxes
    horizontal = rng.random() < 0.6
    coord = np.arange(height if horizontal else width, dtype=np.float32)
    centre = cy if horizontal else cx
    weight = np.exp(-(((coord - centre) / band) ** 2))
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    w = weight[:, None] if horizontal else weight[None, :]
    # what lands at (x, y) came from (x − dx·w, y − dy·w)
    src_x = np.clip(xx - dx * w, 0, width - 1)
    src_y = np.clip(yy - dy * w, 0, height - 1)
    x0, y0 = np.floor(src_x).astype(int), np.floor(src_y).astype(int)
    x1, y1 = np.minimum(x0 + 1, width - 1), np.minimum(y0 + 1, height - 1)
    fx, fy = src_x - x0, src_y - y0
    top = arr[y0, x0] * (1 - fx) + arr[y0, x1] * fx
    bottom = arr[y1, x0] * (1 - fx) + arr[y1, x1] * fx
    return top * (1 - fy) + bottom * fy


_NUMBA_SEED = None


def _seed_numba(seed: int) -> None:
    """Seed numba's generators (Python's and numpy's, as numba-compiled code sees
    them): they are not the interpreter's, and only compiled code can seed them."""
    global _NUMBA_SEED
    if _NUMBA_SEED is None:
        import numba

        @numba.njit
        def seed_them(s):
            random.seed(s)
            np.random.seed(s)

        _NUMBA_SEED = seed_them
    _NUMBA_SEED(seed)


def augraphy_effect(image: np.ndarray, name: str, rng: random.Random) -> np.ndarray:
    """One augraphy effect with its default parameters, seeded from rng (bench only).

    augraphy draws from Python's and numpy's global generators, so both are
    seeded here and put back afterwards; and inside its numba functions from
    numba's own generator, one a thread (Folding's noise along a fold), so that is
    seeded too and the effect runs on one numba thread: the same seed, the same
    page (before, a third of the scan benchmark's stacks came out differently
    from run to run).
    """
    import augraphy
    import numba

    seed = rng.getrandbits(32)
    state, np_state = random.getstate(), np.random.get_state()
    threads = numba.get_num_threads()
    try:
        random.seed(seed)
        np.random.seed(seed)
        numba.set_num_threads(1)
        _seed_numba(seed)
        out = getattr(augraphy, name)(p=1)(image.copy())
    finally:
        numba.set_num_threads(threads)
        random.setstate(state)
        np.random.set_state(np_state)
    if isinstance(out, tuple):
        out = out[0]
    out = np.asarray(out)
    if out.ndim == 3:
        out = np.asarray(Image.fromarray(out[..., :3].astype(np.uint8)).convert("L"))
    if out.shape != image.shape:
        out = np.asarray(
            Image.fromarray(out.astype(np.uint8)).resize(
                (image.shape[1], image.shape[0]), Image.Resampling.BILINEAR
            )
        )
    return out.astype(np.uint8)


# --------------------------------------------------------------------------- ink


def _path(points, rng: random.Random, step: float = 1.0, bow: float = 0.06, tremor: float = 0.3):
    """A hand-drawn polyline through `points`: segments bowed a little, with a tremor."""
    pts = np.asarray(points, dtype=float)
    parts = []
    for a, b in zip(pts[:-1], pts[1:], strict=True):
        d = b - a
        length = float(np.hypot(d[0], d[1]))
        n = max(2, int(length / step) + 1)
        t = np.linspace(0.0, 1.0, n)
        seg = a + d * t[:, None]
        if length > 0:
            normal = np.array([-d[1], d[0]]) / length
            seg = seg + normal * (rng.uniform(-bow, bow) * length * np.sin(np.pi * t))[:, None]
        parts.append(seg if not parts else seg[1:])
    return _tremor(np.concatenate(parts), rng, tremor)


def _tremor(path: np.ndarray, rng: random.Random, amount: float) -> np.ndarray:
    """A hand's tremor: smooth random wobble of about `amount` pixels along a dense path."""
    if amount <= 0 or len(path) <= 5:
        return path
    wobble = _gen(rng).normal(0.0, amount * 2.0, path.shape)
    kernel = np.ones(5) / 5
    wobble = np.stack([np.convolve(wobble[:, i], kernel, mode="same") for i in (0, 1)], 1)
    return path + wobble


def _widths(path: np.ndarray, width: float, taper: float = 0.35) -> np.ndarray:
    """Stroke widths along a path: lighter pressure where the pen lands and lifts."""
    seg = np.hypot(*np.diff(path, axis=0).T)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    t = s / s[-1] if s[-1] > 0 else np.zeros_like(s)
    return width * (1 - taper + taper * np.sin(np.pi * t) ** 0.35)


def _catmull_rom(points, step: float = 1.0) -> np.ndarray:
    """A smooth curve through `points`, sampled about every `step` pixels."""
    p = np.asarray(points, dtype=float)
    if len(p) < 3:
        return p
    ext = np.vstack([2 * p[0] - p[1], p, 2 * p[-1] - p[-2]])
    out = []
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1 : i + 3]
        n = max(2, int(np.hypot(*(p2 - p1)) / step) + 1)
        t = np.linspace(0.0, 1.0, n)[:, None]
        seg = 0.5 * (
            2 * p1
            + (p2 - p0) * t
            + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
            + (3 * p1 - p0 - 3 * p2 + p3) * t**3
        )
        out.append(seg[:-1])
    out.append(p[-1:])
    return np.concatenate(out)


def _paint(
    image: np.ndarray,
    rng: random.Random,
    ink: float,
    strokes: Sequence[tuple[np.ndarray, np.ndarray]] = (),
    polygons: Sequence[np.ndarray] = (),
    grain: float = 0.12,
    supersample: int = 4,
) -> None:
    """Ink strokes (path, widths) and filled polygons into `image`, in place.

    Drawn 4× supersampled for smooth edges; ink darkens what is below it and
    never lightens it, so strokes over the printed box outline look right.
    `grain` takes up to that share of the ink away at random (paper texture,
    pencil graphite).
    """
    shapes = [p for p, _ in strokes] + list(polygons)
    if not shapes:
        return
    allp = np.concatenate(shapes)
    pad = max((float(np.max(w)) for _, w in strokes), default=0.0) / 2 + 2
    height, width = image.shape
    x0 = max(0, int(math.floor(allp[:, 0].min() - pad)))
    y0 = max(0, int(math.floor(allp[:, 1].min() - pad)))
    x1 = min(width, int(math.ceil(allp[:, 0].max() + pad)))
    y1 = min(height, int(math.ceil(allp[:, 1].max() + pad)))
    if x1 <= x0 or y1 <= y0:
        return
    ss = supersample
    mask = Image.new("L", ((x1 - x0) * ss, (y1 - y0) * ss), 0)
    draw = ImageDraw.Draw(mask)
    origin = np.array([x0, y0], dtype=float)
    for poly in polygons:
        q = (np.asarray(poly) - origin) * ss
        draw.polygon([tuple(p) for p in q.tolist()], fill=255)
    for path, widths in strokes:
        q = ((path - origin) * ss).tolist()
        ws = (np.asarray(widths) * ss).tolist()
        for i in range(len(q) - 1):
            w = max(1, round((ws[i] + ws[i + 1]) / 2))
            draw.line([tuple(q[i]), tuple(q[i + 1])], fill=255, width=w)
        for (x, y), w in zip(q, ws, strict=True):
            r = w / 2
            draw.ellipse([x - r, y - r, x + r, y + r], fill=255)
    alpha = np.asarray(mask.reduce(ss), dtype=np.float32) / 255.0
    if grain > 0:
        alpha = alpha * (1 - grain * _gen(rng).random(alpha.shape, dtype=np.float32))
    region = image[y0:y1, x0:x1].astype(np.float32)
    painted = np.minimum(region, region * (1 - alpha) + np.float32(ink) * alpha)
    if np.issubdtype(image.dtype, np.integer):
        painted = np.rint(painted)
    image[y0:y1, x0:x1] = painted


def draw_mark(
    image: np.ndarray,
    box: Box,
    kind: str,
    rng: random.Random,
    dpi: int = BASE_DPI,
    label: Box | None = None,
    whitening: tuple[float, float, float] | None = None,
    blur: float = 0.0,
) -> None:
    """Draw a pen mark of `kind` (MARK_KINDS or CANCEL) into `box`, in place.

    `box` is in clean-page pixels (x0, y0, x1, y1), y down. Marks are 60–130 %
    of the box, jittered off its centre (large ones overshoot the outline, as
    people's do), tilted up to ±12°, 1.5–4 px wide at 200 dpi (marker 5–8), ink
    0–80 grey (pencil 100–150; faint_pencil 150–190, thin and grainy). `filled` and `cancel` ink the
    box in with a dense zig-zag; a cancel is more thorough and may spill over.
    PEOPLE_MARK_KINDS mark around the box or its words: `label` is the box of
    the option's words in the same pixels (None: there are none, and the label
    kinds ring the box); `whitening` and `blur` what the page will go through,
    for `whitened_pencil`.
    """
    x0, y0, x1, y1 = box
    side = min(x1 - x0, y1 - y0)
    k = dpi / BASE_DPI
    if kind in ("filled", CANCEL):
        _fill_box(image, box, rng, k, thorough=kind == CANCEL)
        return
    if kind in ("ring_label", "underline_label") and label is None:
        kind = "ring_box"
    if kind in ("ring_box", "ring_label", "underline_label"):
        _around(image, box, label, kind, rng, k)
        return
    size = rng.uniform(0.6, 1.3)
    half = size * side / 2
    spread = 0.12 * side
    cx = (x0 + x1) / 2 + max(-spread, min(spread, rng.gauss(0, spread / 2)))
    cy = (y0 + y1) / 2 + max(-spread, min(spread, rng.gauss(0, spread / 2)))
    angle = math.radians(rng.uniform(-12, 12))
    ca, sa = math.cos(angle), math.sin(angle)

    def at(u: float, v: float, jitter: float = 0.1) -> tuple[float, float]:
        u += rng.uniform(-jitter, jitter)
        v += rng.uniform(-jitter, jitter)
        return cx + half * (u * ca - v * sa), cy + half * (u * sa + v * ca)

    pen = rng.uniform(1.5, 4.0) * k  # 0.2–0.5 mm: ballpoint to felt tip
    ink = rng.uniform(0, 80)
    grain = 0.15
    tremor = 0.25 * k
    strokes: list[tuple[np.ndarray, np.ndarray]] = []
    polygons: list[np.ndarray] = []
    if kind == "tick_out":
        # starts inside, its long stroke runs on well past the border, up and right
        far = rng.uniform(1.5, 2.6) / max(size, 0.6)
        path = _path([at(-0.6, -0.05), at(-0.15, 0.55), at(far, -far * 1.1)], rng, tremor=tremor)
        strokes.append((path, _widths(path, pen)))
    elif kind in ("tick", "marker"):
        path = _path([at(-0.7, -0.05), at(-0.15, 0.6), at(0.75, -0.85)], rng, tremor=tremor)
        if kind == "marker":
            pen = rng.uniform(5.0, 8.0) * k
            ink = rng.uniform(10, 70)
            grain = 0.05
            strokes.append((path, np.full(len(path), pen)))
        else:
            strokes.append((path, _widths(path, pen)))
    elif kind in ("cross", "pencil", "faint_pencil", "whitened_pencil"):
        if kind == "whitened_pencil":
            pen = rng.uniform(1.5, 2.8) * k
            # The stroke's middle ends 12–16 levels under the paper once the page
            # is blurred (a thin line loses contrast: erf of its width over the
            # blur) and whitened. A scanner that does not whiten sees the same
            # graphite as it is before a whitening curve drawn at random.
            keep = math.erf(pen / (2 * math.sqrt(2) * blur)) if blur > 0.05 else 1.0
            ink = whitened_level(whitening or random_whitening(rng), rng.uniform(12, 16) / keep)
            grain = 0.1
        elif kind == "pencil":
            pen = rng.uniform(1.5, 3.0) * k
            ink = rng.uniform(100, 150)
            grain = 0.3
        elif kind == "faint_pencil":
            pen = rng.uniform(0.8, 1.6) * k
            ink = rng.uniform(150, 190)
            grain = 0.55
        for a, b in (((-0.7, -0.7), (0.7, 0.7)), ((0.7, -0.7), (-0.7, 0.7))):
            path = _path([at(*a, 0.12), at(*b, 0.12)], rng, bow=0.08, tremor=tremor)
            strokes.append((path, _widths(path, pen)))
    elif kind == "slash":
        ends = [at(-0.7, 0.7, 0.15), at(0.75, -0.75, 0.15)]
        if rng.random() < 0.2:  # a backslash
            ends = [at(-0.7, -0.7, 0.15), at(0.7, 0.75, 0.15)]
        path = _path(ends, rng, bow=0.06, tremor=tremor)
        strokes.append((path, _widths(path, pen)))
    elif kind == "dot":
        r = side * size * rng.uniform(0.12, 0.2)
        theta = np.linspace(0, 2 * np.pi, 24, endpoint=False)
        wobble = 1 + 0.15 * np.sin(2 * theta + rng.uniform(0, 6.3)) + 0.08 * np.sin(3 * theta)
        ratio = rng.uniform(0.75, 1.25)
        polygons.append(
            np.stack([cx + r * ratio * wobble * np.cos(theta), cy + r * wobble * np.sin(theta)], 1)
        )
        grain = 0.08
    elif kind == "circle":
        turns = rng.uniform(1.0, 1.35)
        r = half * rng.uniform(0.55, 0.8)
        ratio = rng.uniform(0.8, 1.2)
        n = max(24, int(turns * 2 * np.pi * r / k))
        theta = rng.uniform(0, 2 * np.pi) + np.linspace(0, turns * 2 * np.pi, n)
        rad = r * (1 + 0.08 * np.sin(2 * theta + rng.uniform(0, 6.3))) * np.linspace(1, 0.9, n)
        path = np.stack([cx + rad * ratio * np.cos(theta), cy + rad * np.sin(theta)], 1)
        path = _tremor(path, rng, tremor)
        strokes.append((path, _widths(path, pen, taper=0.25)))
    else:
        known = ", ".join(STRESS_MARK_KINDS + PEOPLE_MARK_KINDS)
        raise ValueError(f"unknown mark kind {kind!r}: one of {known}, {CANCEL}")
    _paint(image, rng, ink, strokes, polygons, grain=grain)


def _ring(cx, cy, rx, ry, rng: random.Random, k: float) -> np.ndarray:
    """A hand-drawn ring: 1–1.3 turns of a wobbly ellipse, tilted a little."""
    turns = rng.uniform(1.0, 1.3)
    n = max(32, int(turns * 2 * np.pi * max(rx, ry) / k))
    theta = rng.uniform(0, 2 * np.pi) + np.linspace(0, turns * 2 * np.pi, n)
    wobble = (1 + 0.06 * np.sin(2 * theta + rng.uniform(0, 6.3))) * np.linspace(1, 0.93, n)
    tilt = math.radians(rng.uniform(-8, 8))
    u, v = rx * wobble * np.cos(theta), ry * wobble * np.sin(theta)
    path = np.stack(
        [
            cx + u * math.cos(tilt) - v * math.sin(tilt),
            cy + u * math.sin(tilt) + v * math.cos(tilt),
        ],
        1,
    )
    return _tremor(path, rng, 0.25 * k)


def _around(image, box: Box, label: Box | None, kind: str, rng: random.Random, k: float) -> None:
    """A ring around the box or its words, or a line under the words."""
    x0, y0, x1, y1 = box
    side = min(x1 - x0, y1 - y0)
    pen = rng.uniform(1.5, 3.5) * k
    ink = rng.uniform(0, 90)
    if kind == "ring_box":
        # from crossing the border near the corners (0.6 of the side) to clear of it
        r = side * rng.uniform(0.6, 1.15)
        cx = (x0 + x1) / 2 + rng.uniform(-0.08, 0.08) * side
        cy = (y0 + y1) / 2 + rng.uniform(-0.08, 0.08) * side
        path = _ring(cx, cy, r * rng.uniform(0.95, 1.2), r * rng.uniform(0.85, 1.05), rng, k)
    elif kind == "ring_label":
        lx0, ly0, lx1, ly1 = label
        if rng.random() < 0.3:  # box and words in one ring, the box well inside it
            # (the words on either side of it: right-to-left pages)
            lx0, lx1 = min(lx0, x0 - 0.8 * side), max(lx1, x1 + 0.8 * side)
            ly0, ly1 = min(ly0, y0 - 0.25 * side), max(ly1, y1 + 0.25 * side)
        pad_x, pad_y = rng.uniform(4, 14) * k, rng.uniform(4, 10) * k
        path = _ring(
            (lx0 + lx1) / 2,
            (ly0 + ly1) / 2,
            (lx1 - lx0) / 2 * 1.08 + pad_x,
            (ly1 - ly0) / 2 * 1.15 + pad_y,
            rng,
            k,
        )
    else:  # underline_label
        lx0, ly0, lx1, ly1 = label
        y = ly1 + rng.uniform(2, 7) * k
        # under the whole word, give or take a tenth of it at either end
        short = 0.1 * (lx1 - lx0)
        ends = [
            (lx0 - rng.uniform(-short, 8 * k), y),
            (lx1 + rng.uniform(-short, 10 * k), y + rng.uniform(-3, 3) * k),
        ]
        path = _path(ends, rng, bow=0.02, tremor=0.25 * k)
    _paint(image, rng, ink, [(path, _widths(path, pen, taper=0.25))], grain=0.12)


def label_box(image: np.ndarray, box: Box, dpi: int = BASE_DPI, rtl: bool = False) -> Box | None:
    """Where the words of a tick box's option are printed, found on the clean page.

    The words follow the box on its right (a first line; on its left on a page
    of a right-to-left language, `rtl`), or a number stands above it (a scale).
    Read off the drawn page, not the layout, so the marks people make around
    words do not depend on what the reader believes.
    """
    k = dpi / BASE_DPI
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    height, width = image.shape
    band = image[max(0, y0 - int(3 * k)) : min(height, y1 + int(3 * k)), :]
    dark_cols = (band < 128).any(axis=0)
    step = -1 if rtl else 1  # a right-to-left page's words end left of the box
    first = x0 - 3 if rtl else x1 + 3
    ahead = range(first, min(width, max(-1, first + step * int(30 * k))), step)
    start = next((c for c in ahead if dark_cols[c]), None)
    if start is not None:
        end, gap = start, 0
        for c in range(start, -1 if rtl else width, step):
            if dark_cols[c]:
                end, gap = c, 0
            else:
                gap += 1
                if gap > 14 * k:
                    break
        start, end = min(start, end), max(start, end)
        rows = np.nonzero(
            (image[max(0, y0 - int(8 * k)) : y1 + int(8 * k), start : end + 1] < 128).any(axis=1)
        )[0]
        top = max(0, y0 - int(8 * k))
        return (float(start), float(top + rows.min()), float(end + 1), float(top + rows.max() + 1))
    above = image[max(0, y0 - int(30 * k)) : y0 - 2, max(0, x0 - int(10 * k)) : x1 + int(10 * k)]
    ys, xs = np.nonzero(above < 128)
    if len(ys):
        top, left = max(0, y0 - int(30 * k)), max(0, x0 - int(10 * k))
        return (
            float(left + xs.min()),
            float(top + ys.min()),
            float(left + xs.max() + 1),
            float(top + ys.max() + 1),
        )
    return None


def _fill_box(image: np.ndarray, box: Box, rng: random.Random, k: float, thorough: bool) -> None:
    x0, y0, x1, y1 = box
    side = min(x1 - x0, y1 - y0)
    extent = rng.uniform(0.95, 1.12) if thorough else rng.uniform(0.85, 1.04)
    hw, hh = (x1 - x0) / 2 * extent, (y1 - y0) / 2 * extent
    cx = (x0 + x1) / 2 + rng.uniform(-0.04, 0.04) * side
    cy = (y0 + y1) / 2 + rng.uniform(-0.04, 0.04) * side
    pen = rng.uniform(2.5, 4.5) * k
    step = pen * (rng.uniform(0.5, 0.62) if thorough else rng.uniform(0.55, 0.75))
    points = []
    y = cy - hh + pen / 2
    left = True
    while y <= cy + hh - pen / 2 + 1e-6:
        jx = rng.uniform(-0.05, 0.05) * side
        x = (cx - hw + pen / 2 if left else cx + hw - pen / 2) + jx
        points.append((x, y))
        left = not left
        y += step
    if len(points) < 2:
        points = [(cx - hw, cy), (cx + hw, cy)]
    path = _path(points, rng, step=k, bow=0.02, tremor=0.2 * k)
    angle = math.radians(rng.uniform(-4, 4))
    ca, sa = math.cos(angle), math.sin(angle)
    rel = path - (cx, cy)
    path = np.stack([cx + rel[:, 0] * ca - rel[:, 1] * sa, cy + rel[:, 0] * sa + rel[:, 1] * ca], 1)
    ink = rng.uniform(0, 70)
    _paint(image, rng, ink, [(path, _widths(path, pen, taper=0.15))], grain=0.12)


def scribble_text(
    image: np.ndarray,
    box: Box,
    rng: random.Random,
    lines: int | None = None,
    faint: bool = False,
    dpi: int = BASE_DPI,
    text: str | None = None,
) -> int:
    """Write handwriting-like words into a text box, in place; returns the lines written.

    A box holds as many written lines as fit at the form's line height (22 pt).
    With `text`, its words are written as cursive strokes of one "letter" per
    character, a new line at each line break, wrapped onto those lines (what
    does not fit is left out), at most `lines` of them. Without it, `lines`
    (default: 1 to as many as fit) are filled 30–95 % of their width (the
    last 12–85 %) with words of 1–8 letters. Letters are slanted, some with
    ascenders and descenders, at an x-height of about a quarter of a line.
    Dark pen ink (0–70 grey, 1.2–2.6 px at 200 dpi), or with `faint` a light,
    thin pen (140–180 grey, 0.8–1.3 px).
    """
    x0, y0, x1, y1 = box
    k = dpi / BASE_DPI
    height, width = y1 - y0, x1 - x0
    line_px = NORMAL.line * dpi / 72
    fit = max(1, int(height / (0.9 * line_px)))
    most = fit if lines is None else max(1, min(int(lines), fit))
    pitch = height / fit
    if faint:
        ink, pen, grain = rng.uniform(140, 180), rng.uniform(0.8, 1.3) * k, 0.35
    else:
        ink, pen, grain = rng.uniform(0, 70), rng.uniform(1.2, 2.6) * k, 0.12
    xh = pitch * rng.uniform(0.22, 0.3)
    ascent, descent = xh * rng.uniform(1.55, 1.9), xh * rng.uniform(0.6, 0.8)
    slant = rng.uniform(-0.05, 0.35)
    margin = rng.uniform(0.1, 0.3) * pitch + 3 * k
    # a narrow box (a comb's cell, 20 pt) still takes its letter: without this, a
    # wide margin left no room and nothing was written where the truth said written
    margin = min(margin, max(0.0, (width - 0.78 * xh) / 2 - 1))
    usable = max(width - 2 * margin, xh)
    letter, space = 0.78 * xh, 1.05 * xh  # mean letter width and word space

    plan: list[list[int]] = []  # letters of each word, line by line
    if text is not None:
        for paragraph in text.splitlines() or [text]:
            line: list[int] = []
            used = 0.0
            for word in paragraph.split():
                n = min(len(word), 14)
                need = n * letter + (space if line else 0.0)
                if line and used + need > usable:
                    plan.append(line)
                    line, used, need = [], 0.0, n * letter
                line.append(n)
                used += need
            if line:
                plan.append(line)
        plan = plan[:most] or [[1]]
    else:
        count = rng.randint(1, most) if lines is None else most
        for i in range(count):
            share = rng.uniform(0.3, 0.95) if i < count - 1 else rng.uniform(0.12, 0.85)
            line, used = [], 0.0
            while used < share * usable:
                n = rng.randint(1, 8)
                line.append(n)
                used += n * letter + space
            plan.append(line)

    for i, words in enumerate(plan):
        base = y0 + pitch * (i + 0.7) + rng.uniform(-0.04, 0.04) * pitch
        slope = rng.uniform(-0.012, 0.012)
        x = x0 + margin + (rng.uniform(0, 0.1) * pitch if i else 0.0)
        for letters in words:
            if x > x1 - margin - letter:
                break
            pts = [(x, base - 0.3 * xh)]
            dots = []
            for _ in range(letters):
                lw = xh * rng.uniform(0.55, 1.0)
                top = ascent if rng.random() < 0.2 else xh * rng.uniform(0.85, 1.1)
                pts.append((x + 0.35 * lw, base - top))
                low = descent if rng.random() < 0.12 else rng.uniform(-0.05, 0.05) * xh
                pts.append((x + 0.8 * lw, base + low))
                if top < ascent and rng.random() < 0.08:
                    dots.append((x + 0.35 * lw, base - 1.6 * xh))
                x += lw
                if x > x1 - margin - letter:
                    break
            pts.append((x + 0.2 * xh, base - 0.4 * xh))
            path = _tremor(_catmull_rom(pts, step=k), rng, 0.15 * k)
            y_here = path[:, 1] + slope * (path[:, 0] - x0)
            path = np.stack([path[:, 0] + (base - path[:, 1]) * slant, y_here], 1)
            strokes = [(path, _widths(path, pen, taper=0.2))]
            for dx, dy in dots:
                d = np.array([[dx + (base - dy) * slant, dy], [dx + (base - dy) * slant + pen, dy]])
                strokes.append((d, np.full(2, pen * 1.2)))
            _paint(image, rng, ink, strokes, grain=grain)
            x += space * rng.uniform(0.7, 1.3)
    return len(plan)


# --------------------------------------------------------------------------- questionnaires


def serial_for(rng: random.Random) -> str:
    """A valid serial (SPEC: nine characters and a check character) drawn from rng."""
    body = "".join(rng.choice(ALPHABET) for _ in range(RANDOM_CHARS))
    return next(body + c for c in ALPHABET if is_valid_serial(body + c))


def _distortions(distortion, pages: int, rng: random.Random) -> list[Distortion]:
    if distortion is None:
        return [Distortion()] * pages
    if isinstance(distortion, Distortion):
        return [distortion] * pages
    if isinstance(distortion, str):
        return [Distortion.profile(distortion, rng) for _ in range(pages)]
    out = list(distortion)
    if len(out) != pages:
        raise ValueError(f"{len(out)} distortions for {pages} pages")
    return out


def _inside(matrix, rects, width: int, height: int, dpi: int, page_height: float) -> bool:
    for r in rects:
        for x, y in ((r.x, r.y), (r.x + r.w, r.y), (r.x, r.y + r.h), (r.x + r.w, r.y + r.h)):
            sx, sy = map_point(matrix, *pt_to_px(x, y, dpi, page_height))
            if not (0 <= sx <= width and 0 <= sy <= height):
                return False
    return True


def _written(widget: Widget, value) -> str:
    """What a person writes into a text box or a dropdown (its option's label)."""
    if value is None:
        return ""
    text = str(value).strip()
    if widget.kind == "choice":
        text = next((label for label, export in widget.options if export == text), text)
    return text


def write_comb(
    img: np.ndarray,
    w: Widget,
    text: str,
    rng: random.Random,
    dpi: int = BASE_DPI,
    page_height: float = PAGE_HEIGHT,
    digit_image=None,
) -> None:
    """Write a value's digits into a comb's digit cells, in order, in place (the
    separators are printed). Each digit fills 55–80 % of its cell's height, a little
    off its middle, as people write in boxes."""
    cells = [rect for ch, rect in w.cells() if ch == "#"]
    k = dpi / 72
    for ch, (x0, y0, x1, y1) in zip([c for c in text if c.isdigit()], cells, strict=False):
        px0, py0 = x0 * k, (page_height - y1) * k
        cw, chh = (x1 - x0) * k, (y1 - y0) * k
        if digit_image is None:
            scribble_text(img, (px0, py0, px0 + cw, py0 + chh), rng, dpi=dpi, text=ch)
            continue
        glyph = np.asarray(digit_image(ch, rng), dtype=np.uint8)
        height = max(4, int(chh * rng.uniform(0.55, 0.8)))
        width = max(2, int(glyph.shape[1] * height / glyph.shape[0]))
        width = min(width, int(cw * 0.85))
        pil = Image.fromarray(glyph).resize((width, height), Image.BILINEAR)
        top = int(py0 + (chh - height) / 2 + rng.uniform(-0.08, 0.08) * chh)
        left = int(px0 + (cw - width) / 2 + rng.uniform(-0.08, 0.08) * cw)
        region = img[top : top + height, left : left + width]
        region[...] = np.minimum(region, np.asarray(pil)[: region.shape[0], : region.shape[1]])


def _with_unit_line(pdf: bytes, layout, unit: str) -> bytes:
    """The copy as a print run prints it for `unit`: its line over the first page."""
    import pikepdf

    from pdfforms.generate.overlay import unit_ops
    from pdfforms.generate.tags import artifact_ops

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        ops = artifact_ops(unit_ops(layout, unit))
        doc.pages[0].contents_add(pikepdf.Stream(doc, ops), prepend=False)
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


def make_scan(
    form: Form,
    lang: str | None,
    answers: dict,
    serial: str | None,
    rng: random.Random,
    distortion: Distortion | Sequence[Distortion] | str | None = None,
    dpi: int = BASE_DPI,
    mark_kinds: Sequence[str] | None = None,
    cancel_rate: float = 0.0,
    faint_rate: float = 0.1,
    large_print: bool = False,
    edition: int = EDITION,
    unit: str | None = None,
    logo: bool = False,
    digit_image=None,
    check_erased: bool = False,
) -> tuple[list[np.ndarray], dict]:
    """Fill a printed form by hand with `answers`, scan it: (page images, truth).

    A value in comb cells (layout edition 4) is written one digit a cell: each
    digit as `digit_image(digit, rng)` draws it (a grey image, paper 255: real
    handwritten digits, say), or as a stroke of handwriting without it.

    `edition`: the page design it was printed in (model/layout.py, EDITIONS), for
    paper printed by an older pdfforms. `unit`: the care unit a print run printed
    the copy for, whose line it carries at the top of its first page. `logo`: the
    definition's logo is printed beside the title, as generate prints it.

    The blank form with `serial` in its QR codes is drawn by PDFium at `dpi`
    with its widgets (a printed form shows its empty boxes). Each ticked box
    (a checkbox whose value is True, the chosen option of a radio group) gets a
    pen mark of a kind drawn from `mark_kinds` (default MARK_KINDS); each text
    or dropdown field with a value gets handwriting as long as the value (a
    dropdown's option label), faint for `faint_rate` of them.
    With `cancel_rate`, that share of the radio groups with a tick also get a
    cancelled box: another option of the group inked in whole, as people take
    a cross back (the reader reads a filled box next to a tick in a radio
    group as a correction). Checkboxes get none: a filled checkbox alone
    means ticked, and nothing on paper tells a cancelled one from it.

    `distortion`: None (a clean scan), one Distortion for every page, a list
    with one per page, or a profile name for a new random one per page.

    The truth dict:

    - "form", "version", "language", "serial", "large_print", "dpi": what
      was printed; "answers": the answers; "values": their field values
      (answers_to_fields);
    - "pages": one dict per page, in order: "number" (1-based), "distortion"
      (the Distortion), "matrix" (2×3 numpy array: clean-page pixel → scan
      pixel, 180° included), "upside_down", "marks_inside" / "qr_inside"
      (whether all four corner marks / the QR square lie wholly inside the
      scanned image; a strong shift or rotation can push them off);
    - "boxes": {(field, on): bool}, for every checkbox and radio widget of the
      form: whether it carries a tick (a cancelled box is False);
    - "kinds": {(field, on): kind} for every box with ink: a MARK_KINDS kind
      for ticked boxes, "cancel" for cancelled ones;
    - "text": {field: bool}, for every text and dropdown widget: whether
      something was written in it; "text_kinds": {field: "pen" | "faint"} for
      the written ones;
    - "erased" (with `check_erased`): the ticked boxes whose mark the scan does
      not show (marks_in_scan): the same page, scanned with the same draws
      but without its tick marks, differs from the scan in the box by no more
      than ERASED_PIXELS. Reading such a box as empty is what the image says;
      a benchmark counts it apart from the reader's errors. "mark_pixels":
      how many pixels each box differs by.
    """
    lang = lang or form.default_language
    layout = build_layout(form, lang, large_print, edition)
    values = answers_to_fields(form, answers, lang)
    drawn = logo_path(form) if logo and form.logo is not None else None
    pdf = render(form, layout, serial, logo=drawn)
    if unit:
        pdf = _with_unit_line(pdf, layout, unit)
    images = draw_pages(pdf, forms=True, dpi=dpi)
    kinds_pool = tuple(mark_kinds or MARK_KINDS)
    boxes: dict[tuple[str, str | None], bool] = {}
    kinds: dict[tuple[str, str | None], str] = {}
    text: dict[str, bool] = {}
    text_kinds: dict[str, str] = {}
    page_height = layout.height
    distortions = _distortions(distortion, len(layout.pages), rng)
    pages: list[np.ndarray] = []
    page_truth: list[dict] = []
    erased: set[tuple[str, str | None]] = set()
    mark_pixels: dict[tuple[str, str | None], int] = {}
    for page_layout, image, d in zip(layout.pages, images, distortions, strict=True):
        img = np.array(image, dtype=np.uint8)
        clean = img.copy()  # the printed page, for finding the words beside boxes
        ticked_here: list[tuple[tuple[str, str | None], Box, str]] = []
        groups: dict[str, list[Widget]] = {}
        ticked_groups: set[str] = set()
        for w in page_layout.widgets:
            box = widget_box(w, dpi, page_height)
            value = values.get(w.field)
            if w.kind in ("checkbox", "radio"):
                groups.setdefault(w.field, []).append(w)
                if w.kind == "checkbox":
                    ticked = value is True
                else:
                    ticked = value is not None and str(value) == w.on
                boxes[(w.field, w.on)] = ticked
                if ticked:
                    kind = rng.choice(kinds_pool)
                    label = None
                    if kind in ("ring_label", "underline_label"):
                        # a grid's column heading is no option's own words
                        if form.question(w.question).type != "grid":
                            label = label_box(clean, box, dpi, rtl=fonts.is_rtl(layout.language))
                    draw_mark(
                        img, box, kind, rng, dpi, label=label, whitening=d.whiten, blur=d.blur
                    )
                    kinds[(w.field, w.on)] = kind
                    ticked_here.append(((w.field, w.on), box, kind))
                    if w.kind == "radio":
                        ticked_groups.add(w.field)
            else:
                written_text = _written(w, value)
                written = bool(written_text)
                text[w.field] = written
                if written and w.comb:
                    write_comb(img, w, written_text, rng, dpi, page_height, digit_image)
                    text_kinds[w.field] = "pen"
                elif written:
                    faint = rng.random() < faint_rate
                    scribble_text(img, box, rng, faint=faint, dpi=dpi, text=written_text)
                    text_kinds[w.field] = "faint" if faint else "pen"
        if cancel_rate > 0:
            for group in sorted(ticked_groups):
                free = [w for w in groups[group] if not boxes[(w.field, w.on)]]
                if free and rng.random() < cancel_rate:
                    w = rng.choice(free)
                    draw_mark(img, widget_box(w, dpi, page_height), CANCEL, rng, dpi)
                    kinds[(w.field, w.on)] = CANCEL
        targets = [
            widget_box(w, dpi, page_height)
            for w in page_layout.widgets
            if w.kind in ("checkbox", "radio")
        ]
        qr = [page_layout.qr] if page_layout.qr is not None else []
        qr_box = widget_box(page_layout.qr, dpi, page_height) if qr else None
        state = rng.getstate()
        scan, matrix = distort(img, d, rng, dpi, targets, qr=qr_box)
        if check_erased and ticked_here and d.photo is None:
            twin = random.Random()
            twin.setstate(state)
            shown = marks_in_scan(img, clean, scan, ticked_here, d, twin, dpi, targets, qr_box)
            erased |= {key for key, n in shown.items() if n <= ERASED_PIXELS}
            mark_pixels.update(shown)
        height, width = scan.shape
        page_truth.append(
            {
                "number": page_layout.number,
                "distortion": d,
                "matrix": matrix,
                "upside_down": d.upside_down,
                "marks_inside": _inside(matrix, page_layout.marks, width, height, dpi, page_height),
                "qr_inside": _inside(matrix, qr, width, height, dpi, page_height),
            }
        )
        pages.append(scan)
    truth = {
        "form": form.id,
        "version": form.version,
        "language": lang,
        "serial": serial,
        "large_print": large_print,
        "dpi": dpi,
        "answers": answers,
        "values": values,
        "pages": page_truth,
        "boxes": boxes,
        "kinds": kinds,
        "text": text,
        "text_kinds": text_kinds,
    }
    if check_erased:
        truth["erased"] = erased
        truth["mark_pixels"] = mark_pixels
    return pages, truth


# A mark is in the scan when the scan of its page and the scan of the same page
# without its tick marks (the same draws: the same noise, light, effects) differ
# by ERASED_LEVELS grey levels or more in more than ERASED_PIXELS pixels of its
# box (border included). ERASED_PIXELS is a spot 2 pixels square (a quarter of a
# millimetre) a thirtieth of the way from paper to black: less than the smallest
# speck of dust the scan draws (_speckle), which no one would take for a mark.
# Only marks inside a box are judged: rings and underlines lie around it.
ERASED_LEVELS = 8
ERASED_PIXELS = 4
_AROUND_KINDS = ("ring_box", "ring_label", "underline_label")


def marks_in_scan(
    img: np.ndarray,
    clean: np.ndarray,
    scan: np.ndarray,
    ticked: Sequence[tuple[tuple[str, str | None], Box, str]],
    d: Distortion,
    twin: random.Random,
    dpi: int,
    targets: Sequence[Box],
    qr_box: Box | None,
) -> dict[tuple[str, str | None], int]:
    """How many pixels of each ticked box (its mark inside it) the scan shows of its
    mark (see ERASED_LEVELS): `twin` draws what the scan's own rng drew. Marks
    drawn around a box (rings, underlines) are left out."""
    height, width = img.shape
    bare = img.copy()
    areas = []
    # the mark's strokes may run out of the box: the box and this margin are drawn
    # bare, the box alone is compared
    m = int(np.ceil(8 * dpi / 72))
    for key, (x0, y0, x1, y1), kind in ticked:
        a = (
            max(0, int(x0)),
            max(0, int(y0)),
            min(width, int(np.ceil(x1))),
            min(height, int(np.ceil(y1))),
        )
        r0, r1 = max(0, a[1] - m), min(height, a[3] + m)
        c0, c1 = max(0, a[0] - m), min(width, a[2] + m)
        bare[r0:r1, c0:c1] = clean[r0:r1, c0:c1]
        if kind not in _AROUND_KINDS:
            areas.append((key, a))
    without, matrix = distort(bare, d, twin, dpi, targets, qr=qr_box)
    differ = np.abs(scan.astype(np.int16) - without.astype(np.int16)) >= ERASED_LEVELS
    out = {}
    for key, (x0, y0, x1, y1) in areas:
        # the box's corners on the scan (the sheet may be turned, shifted, upside down)
        corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=float)
        xs, ys = (corners @ matrix.T).T
        c0, c1 = max(0, int(xs.min())), min(scan.shape[1], int(np.ceil(xs.max())))
        r0, r1 = max(0, int(ys.min())), min(scan.shape[0], int(np.ceil(ys.max())))
        out[key] = int(differ[r0:r1, c0:c1].sum())
    return out


def random_questionnaire(
    form: Form,
    rng: random.Random,
    lang: str | None = None,
    distortion: Distortion | Sequence[Distortion] | str | None = "test",
    **kwargs,
) -> tuple[list[np.ndarray], dict]:
    """A synthetic respondent's answers, a serial, and their scan (make_scan's result)."""
    answers = synthetic_answers(form, rng)
    return make_scan(form, lang, answers, serial_for(rng), rng, distortion, **kwargs)


# --------------------------------------------------------------------------- files


SCAN_DATE = time.gmtime(1793611800)  # 2026-11-02 09:30 UTC; Pillow takes a struct_time


def scanned_pdf(pages: Sequence[np.ndarray], dpi: int = BASE_DPI) -> bytes:
    """An image-only PDF, one scanned page image a page, as a scanner writes it."""
    if not pages:
        raise ValueError("no pages")
    images = [Image.fromarray(p, "L") for p in pages]
    buf = io.BytesIO()
    images[0].save(
        buf,
        "PDF",
        save_all=True,
        append_images=images[1:],
        resolution=float(dpi),
        # a fixed date, so the same pages give the same bytes (and the same sha256)
        creationDate=SCAN_DATE,
        modDate=SCAN_DATE,
    )
    return buf.getvalue()


def save_images(
    pages: Sequence[np.ndarray],
    folder: str | Path,
    fmt: str = "png",
    stem: str = "scan",
    dpi: int = BASE_DPI,
    multipage: bool = True,
    quality: int = 85,
) -> list[Path]:
    """Write the pages as image files; returns their paths.

    png and jpeg (jpg) give one file a page, `<stem>-001.png` …; tiff (tif)
    gives one multi-page `<stem>.tiff` (LZW), or one file a page without
    `multipage`.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fmt = fmt.lower()
    images = [Image.fromarray(p, "L") for p in pages]
    if fmt in ("tif", "tiff"):
        if multipage:
            path = folder / f"{stem}.{fmt}"
            images[0].save(
                path,
                "TIFF",
                save_all=True,
                append_images=images[1:],
                dpi=(dpi, dpi),
                compression="tiff_lzw",
            )
            return [path]
        options: dict = dict(format="TIFF", dpi=(dpi, dpi), compression="tiff_lzw")
    elif fmt == "png":
        options = dict(format="PNG", dpi=(dpi, dpi))
    elif fmt in ("jpg", "jpeg"):
        options = dict(format="JPEG", dpi=(dpi, dpi), quality=quality)
    else:
        raise ValueError(f"unknown image format {fmt!r}: png, jpeg or tiff")
    paths = []
    for i, image in enumerate(images, start=1):
        path = folder / f"{stem}-{i:03d}.{fmt}"
        image.save(path, **options)
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- piles of sheets

_LETTER_WORDS = (
    "vi bekräftar din tid på vårdcentralen och ber dig komma tio minuter före "
    "besöket ta med legitimation och en lista över de läkemedel du använder "
    "om du får förhinder vill vi att du avbokar senast dagen innan så att "
    "någon annan kan få tiden patientavgiften betalas via faktura frikort "
    "gäller välkommen till oss med vänliga hälsningar mottagningen"
).split()


def foreign_page(rng: random.Random, dpi: int = BASE_DPI, qr: bool | None = None) -> np.ndarray:
    """A clean page of some other paper: a letter, sometimes with someone else's QR code."""
    import segno
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, PAGE_HEIGHT - 90, rng.choice(["Kallelse", "Provsvar", "Information", "Brev"]))
    c.setFont("Helvetica", 11)
    y = PAGE_HEIGHT - 130
    for _ in range(rng.randint(3, 7)):
        words = [rng.choice(_LETTER_WORDS) for _ in range(rng.randint(20, 70))]
        paragraph = " ".join(words).capitalize() + "."
        for line in simpleSplit(paragraph, "Helvetica", 11, PAGE_WIDTH - 144):
            if y < 140:
                break
            c.drawString(72, y, line)
            y -= 15
        y -= 12
    if qr if qr is not None else rng.random() < 0.5:
        code = segno.make(f"https://example.org/kallelse/{rng.getrandbits(40):x}", error="m")
        matrix = code.matrix
        module = 1.6
        n = len(matrix)
        x0, y0 = PAGE_WIDTH - 72 - n * module, 60
        for r, row in enumerate(matrix):
            for col, dark in enumerate(row):
                if dark:
                    c.rect(x0 + col * module, y0 + (n - 1 - r) * module, module, module, 0, 1)
    c.showPage()
    c.save()
    return draw_pages(buf.getvalue(), dpi=dpi)[0]


def blank_back(front: np.ndarray, rng: random.Random, show_through: float = 0.03) -> np.ndarray:
    """The clean back of a sheet printed on one side, the size of `front`: white,
    with the front showing through mirrored at up to `show_through` of its contrast."""
    k = rng.uniform(0, show_through) if show_through > 0 else 0.0
    back = _WHITE - k * (_WHITE - front[:, ::-1].astype(np.float32))
    return np.clip(np.rint(back), 0, 255).astype(np.uint8)


def stack(
    questionnaires: Sequence[tuple[list[np.ndarray], dict]],
    rng: random.Random,
    shuffle: bool = True,
    blank_backs: float = 0.0,
    missing: int = 0,
    foreign: int = 0,
    distortion: Distortion | str | None = "test",
    dpi: int = BASE_DPI,
    show_through: float = 0.03,
) -> tuple[list[np.ndarray], dict]:
    """A pile of scanned sheets from several questionnaires: (page images, expected).

    Each page of each questionnaire (make_scan's pages and truth) is one sheet;
    with probability `blank_backs` a sheet was scanned on both sides and its
    blank back (white, noise, faint mirrored show-through of the front) follows
    its front. `missing` sheets of the questionnaires, chosen at random, are
    lost; `foreign` sheets of other paper (a letter, half of them with a QR
    code that is not ours) are added. With `shuffle` the sheets, not the pages,
    are shuffled: a back stays behind its front. Blank and foreign pages are
    distorted with `distortion` (None, a Distortion, or a profile name).

    The expected reading, `expected`:

    - "sources": one dict per output page: {"kind": "form", "questionnaire": i,
      "serial", "page": n} | {"kind": "blank", "questionnaire": i, "back_of": n}
      | {"kind": "foreign", "qr": bool};
    - "groups": one per questionnaire, in input order: {"questionnaire": i,
      "serial", "form", "language", "pages": {n: output index}, "missing":
      [page numbers lost]}: a reader groups the form pages by the serial in
      their QR codes, orders each group by page number and reports the lost
      pages; a questionnaire all of whose pages were lost still appears, with
      "pages" empty;
    - "blank": output indices of blank backs, "foreign": of foreign pages; they
      belong to no group (a reader skips the blanks and reports the others as
      not ours).

    Serials must differ between questionnaires (and not be None) for the
    grouping to be defined.
    """
    serials = [truth["serial"] for _, truth in questionnaires]
    if None in serials or len(set(serials)) != len(serials):
        raise ValueError("every questionnaire needs its own serial")

    def extra(image: np.ndarray) -> np.ndarray:
        if isinstance(distortion, str):
            d = Distortion.profile(distortion, rng)
        else:
            d = distortion or Distortion()
        return distort(image, d, rng, dpi)[0]

    sheets: list[list[tuple[np.ndarray, dict]]] = []
    for qi, (pages, truth) in enumerate(questionnaires):
        for page, info in zip(pages, truth["pages"], strict=True):
            n = info["number"]
            sheet = [
                (page, {"kind": "form", "questionnaire": qi, "serial": truth["serial"], "page": n})
            ]
            if rng.random() < blank_backs:
                back = extra(blank_back(page, rng, show_through))
                sheet.append((back, {"kind": "blank", "questionnaire": qi, "back_of": n}))
            sheets.append(sheet)
    if missing > len(sheets):
        raise ValueError(f"cannot lose {missing} of {len(sheets)} sheets")
    lost = set(rng.sample(range(len(sheets)), missing))
    lost_pages = [sheets[i][0][1] for i in sorted(lost)]
    sheets = [s for i, s in enumerate(sheets) if i not in lost]
    for _ in range(foreign):
        with_qr = rng.random() < 0.5
        page = extra(foreign_page(rng, dpi, qr=with_qr))
        sheets.append([(page, {"kind": "foreign", "qr": with_qr})])
    if shuffle:
        rng.shuffle(sheets)
    images = [image for sheet in sheets for image, _ in sheet]
    sources = [source for sheet in sheets for _, source in sheet]
    groups = [
        {
            "questionnaire": qi,
            "serial": truth["serial"],
            "form": truth["form"],
            "language": truth["language"],
            "pages": {},
            "missing": [],
        }
        for qi, (_, truth) in enumerate(questionnaires)
    ]
    for index, source in enumerate(sources):
        if source["kind"] == "form":
            groups[source["questionnaire"]]["pages"][source["page"]] = index
    for source in lost_pages:
        groups[source["questionnaire"]]["missing"].append(source["page"])
    for group in groups:
        group["pages"] = dict(sorted(group["pages"].items()))
        group["missing"].sort()
    expected = {
        "sources": sources,
        "groups": groups,
        "blank": [i for i, s in enumerate(sources) if s["kind"] == "blank"],
        "foreign": [i for i, s in enumerate(sources) if s["kind"] == "foreign"],
    }
    return images, expected
