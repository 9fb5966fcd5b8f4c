"""Phone photos of a form on a table: the corner marks found anywhere in the frame, a
perspective fit, and a fit that the printed boxes do not confirm sent to a person."""

from __future__ import annotations

import importlib
import random
from dataclasses import replace

import numpy as np
import pytest

from pdfforms.model.layout import build_layout
from pdfforms.parse.scan import parse_scan
from pdfforms.read.scan import photo
from pdfforms.testing import scans as synth

from .conftest import DEFINITIONS, TEST_FORMS
from .test_scan import _answers, _check_no_wrong

DIRS = [DEFINITIONS, TEST_FORMS]

# Photos as people take them: strongly tilted, a landscape frame with the page
# turned a quarter, a hand's shadow over a part, a fabric table.
PHOTOS = {
    "tilted": synth.Photo(tilt=24.0, tilt_axis=30.0, turn=-6.0, share=0.75, seed=11),
    "landscape": synth.Photo(
        tilt=15.0, tilt_axis=200.0, turn=92.0, share=0.85, frame=(2400, 1800), seed=12
    ),
    "hand_shadow_fabric": synth.Photo(
        tilt=12.0, tilt_axis=120.0, turn=4.0, table="fabric", hand=0.4, light=0.3, seed=13
    ),
}


def _photos(form, answers, p: synth.Photo, seed: int = 1):
    rng = random.Random(seed)
    serial = synth.serial_for(rng)
    layout = build_layout(form, form.default_language)
    distortions = [
        synth.Distortion(photo=replace(p, seed=p.seed + n)) for n in range(len(layout.pages))
    ]
    return synth.make_scan(form, None, answers, serial, rng, distortions)


def test_a_photo_is_a_frame_with_the_page_in_perspective(forms):
    form = forms["patient"]
    p = PHOTOS["tilted"]
    [page, *_], truth = _photos(form, _answers(form, 1), p)
    assert page.shape == (p.frame[1], p.frame[0])
    matrix = truth["pages"][0]["matrix"]
    assert matrix.shape == (3, 3) and abs(matrix[2, :2]).max() > 1e-6  # a perspective
    layout = build_layout(form, truth["language"])
    for m in layout.pages[0].marks:  # each corner mark lies dark where the map puts it
        col, row = synth.map_point(matrix, *synth.pt_to_px(m.x + m.w / 2, m.y + m.h / 2))
        assert page[int(row) - 2 : int(row) + 3, int(col) - 2 : int(col) + 3].mean() < 90
    assert truth["pages"][0]["marks_inside"]
    # around the page, the table: not paper-white
    assert page[:20, :20].mean() < 215 or page[-20:, -20:].mean() < 215


@pytest.mark.parametrize("name", sorted(PHOTOS))
def test_a_phone_photo_of_a_filled_form_reads_back(tmp_path, forms, name):
    form = forms["unit"]
    answers = _answers(form, 5)
    pages, truth = _photos(form, answers, PHOTOS[name])
    path = tmp_path / "photo.pdf"
    path.write_bytes(synth.scanned_pdf(pages))
    result = parse_scan(path, DIRS, tmp_path / "review")
    [response] = result.responses
    assert response.serial == truth["serial"]
    assert [p.status for p in result.pages] == ["read"] * len(pages)
    assert not [i for i in response.review if i.reason == "alignment"]
    assert _check_no_wrong(form, response, answers) >= 6  # of its 10 choice questions


def test_a_phone_photo_saved_as_jpeg_reads_back(tmp_path, forms):
    form = forms["patient"]
    answers = _answers(form, 6)
    pages, truth = _photos(form, answers, PHOTOS["tilted"], seed=2)
    files = synth.save_images(pages[:1], tmp_path / "inbox", "jpeg", quality=88)
    result = parse_scan(files[0], DIRS, tmp_path / "review")
    assert [p.status for p in result.pages] == ["read"]
    assert result.pages[0].serial == truth["serial"]


def _covered_and_look_alike(form, answers):
    """A photo whose top-left mark is under a scrap of paper, with a black square
    of a mark's size on the page's left margin 100 pt below it."""
    p = PHOTOS["tilted"]
    [page, *_], truth = _photos(form, answers, p)
    page = page.copy()
    matrix = truth["pages"][0]["matrix"]
    layout = build_layout(form, truth["language"])
    top_left = max(layout.pages[0].marks, key=lambda m: (m.y, -m.x))
    x, y = top_left.x + top_left.w / 2, top_left.y + top_left.h / 2

    def at(px: float, py: float) -> tuple[int, int]:
        col, row = synth.map_point(matrix, *synth.pt_to_px(px, py))
        return int(round(col)), int(round(row))

    col, row = at(x, y)
    side = int(abs(at(x + top_left.w, y)[0] - col)) + 1
    paper = int(np.median(page[row - 3 * side : row + 3 * side, col + 2 * side : col + 4 * side]))
    page[row - side : row + side, col - side : col + side] = paper  # covered
    col, row = at(x, y - 100)
    page[row - side // 2 : row + side // 2 + 1, col - side // 2 : col + side // 2 + 1] = 20
    return page, truth, layout, at(x, y - 100)


def test_a_fit_on_a_look_alike_is_not_read(tmp_path, forms, monkeypatch):
    form = forms["patient"]
    answers = _answers(form, 7)
    page, truth, layout, look_alike = _covered_and_look_alike(form, answers)
    # the look-alike is taken for the mark by the search: a fit through it exists
    shrink = max(page.shape) / photo.REDUCED
    from PIL import Image

    small = np.asarray(
        Image.fromarray(page).resize(
            (round(page.shape[1] / shrink), round(page.shape[0] / shrink)), Image.Resampling.BOX
        )
    )
    dark = photo._darkness(small, int(photo.MARK_PX[1] * 2.2) | 1)
    tops = [
        photo.project(h, *photo._centres(layout.pages[0])[0])
        for _, h in photo._fits(dark, layout.pages[0])
    ]
    assert any(
        np.hypot(c * shrink - look_alike[0], r * shrink - look_alike[1]) < 10 for c, r in tops
    )
    assert photo.rectify(page, layout.pages[0], layout) is None
    path = tmp_path / "photo.pdf"
    path.write_bytes(synth.scanned_pdf([page]))
    result = parse_scan(path, DIRS, tmp_path / "review")
    [response] = result.responses
    assert result.pages[0].status == "unaligned"
    assert [i.page for i in response.review if i.reason == "alignment"] == [1]
    # and it is the check of the box outlines that stops it: without it, it is read
    monkeypatch.setattr(photo, "OUTLINE_FOUND", 0.0)
    assert photo.rectify(page, layout.pages[0], layout) is not None


def test_homography_maps_four_points_exactly():
    src = [(0, 0), (100, 0), (100, 50), (0, 50)]
    dst = [(10, 20), (300, 35), (280, 190), (5, 170)]
    h = photo.homography(src, dst)
    for (x, y), (u, v) in zip(src, dst, strict=True):
        got = photo.project(h, x, y)
        assert got == pytest.approx((u, v), abs=1e-6)
    assert np.allclose(synth.homography(src, dst), h)


# --------------------------------------------------------------------------- flat-bed scans


@pytest.mark.parametrize(
    "shift",
    [(7.0, 3.0), (7.0, 6.5)],
    ids=["the bottom-right mark cut", "both bottom marks cut in part"],
)
def test_a_scan_with_a_corner_mark_cut_off_is_read_from_three(tmp_path, forms, shift, monkeypatch):
    """A sheet shifted on the glass so far that its bottom-right mark is cut by the
    scan's edge: the three others, confirmed by the box outlines, align it. Shifted
    further down, the bottom-left mark is cut too: what is left of the two is found
    as a phone photo's marks are, and the box outlines confirm the fit."""
    from pdfforms.read.scan import align as alignment

    from .test_scan import _scan

    recovered = []

    def recover(*args):
        found = alignment.recover(*args)
        recovered.append(found is not None)
        return found

    # `pdfforms.parse` is also the package's parse(): the module is named by import
    monkeypatch.setattr(importlib.import_module("pdfforms.parse.scan"), "recover", recover)
    form = forms["unit"]
    answers = _answers(form, 8)
    d = synth.Distortion(rotation=1.5, shift=shift, noise=4.0, jpeg_quality=80)
    path, truth = _scan(tmp_path, form, answers, d)
    assert not any(info["marks_inside"] for info in truth["pages"])
    result = parse_scan(path, DIRS, tmp_path / "review")
    if shift[1] < 4:  # the bottom-left mark whole: three marks align every page
        assert recovered == [True] * len(truth["pages"])
    [response] = result.responses
    assert [p.status for p in result.pages] == ["read"] * len(truth["pages"])
    assert _check_no_wrong(form, response, answers) >= 6  # of its 10 choice questions


def test_three_marks_and_a_look_alike_are_not_read_off_a_wrong_fit(tmp_path, forms, monkeypatch):
    """Two right-hand marks covered, a black square of a mark's size 9 pt above where
    the bottom-right one was: three "marks" whose fit is plausible (a rotation and
    scale paper makes) but wrong. The box outlines do not confirm it: the page
    goes to review, where it was read off the wrong fit before."""
    from pdfforms.read.scan import align as alignment

    form = forms["unit"]
    rng = random.Random(9)
    [page, *_], truth = synth.make_scan(form, None, _answers(form, 9), synth.serial_for(rng), rng)
    page = page.copy()
    layout = build_layout(form, truth["language"])
    lp = layout.pages[0]
    k = synth.BASE_DPI / 72
    right = sorted(lp.marks, key=lambda m: -m.x)[:2]
    for m in right:  # covered by a scrap of white paper
        x0, y0, x1, y1 = synth.widget_box(m)
        page[int(y0) - 4 : int(y1) + 4, int(x0) - 4 : int(x1) + 4] = 250
    bottom_right = min(right, key=lambda m: m.y)
    x0, y0, x1, y1 = synth.widget_box(bottom_right)
    lift = int(round(9 * k))
    page[int(y0) - lift : int(y1) - lift, int(x0) : int(x1)] = 10
    found = alignment.align(page, lp, layout)
    assert found is not None and found.marks == 3 and found.residual_mm < 0.01
    cx, cy = bottom_right.x + 7, bottom_right.y + 7
    seen = np.array(found.transform.point(cx, cy))
    assert np.hypot(*(seen - synth.pt_to_px(cx, cy))) > 6 * k  # the fit is wrong there
    path = tmp_path / "scan.pdf"
    path.write_bytes(synth.scanned_pdf([page]))
    result = parse_scan(path, DIRS, tmp_path / "review")
    [response] = result.responses
    assert result.pages[0].status == "unaligned"
    assert [i.page for i in response.review if i.reason == "alignment"] == [1]


def test_a_whole_mark_close_to_the_scans_edge_is_found_one_cut_off_is_not():
    from pdfforms.read.scan import align as alignment

    k = synth.BASE_DPI / 72
    side = int(round(14 * k))  # a mark's 14 pt
    window = np.zeros((200, 200), dtype=np.float32)  # how dark, 0…1
    window[200 - side - 6 : 194, 40 : 40 + side] = 1.0  # 6 px (0.8 mm) from the edge
    [(_, row, col)] = alignment._candidates(window, int(side * 0.8), side**2)
    assert (row, col) == pytest.approx((194 - side / 2 - 0.5, 40 + side / 2 - 0.5))
    cut = np.zeros((200, 200), dtype=np.float32)
    cut[200 - side + 8 :, 40 : 40 + side] = 1.0  # 8 px of it beyond the edge
    assert alignment._candidates(cut, int(side * 0.8), side**2) == []


# Material from outside our generator: a photographed table (scikit-image's
# public-domain textures) and augraphy's own models of a photo's light.
OUTSIDE = {
    "brick_lighting_gradient": ("brick", "LightingGradient"),
    "gravel_shadow_cast": ("gravel", "ShadowCast"),
}


@pytest.mark.parametrize("name", sorted(OUTSIDE))
def test_a_photo_on_a_photographed_table_in_augraphys_light_reads_back(tmp_path, forms, name):
    pytest.importorskip("augraphy")
    pytest.importorskip("skimage")
    background, light = OUTSIDE[name]
    form = forms["unit"]
    answers = _answers(form, 10)
    p = replace(PHOTOS["tilted"], tilt=14.0, background=background, lighting=(light,))
    pages, truth = _photos(form, answers, p)
    path = tmp_path / "photo.pdf"
    path.write_bytes(synth.scanned_pdf(pages))
    result = parse_scan(path, DIRS, tmp_path / "review")
    [response] = result.responses
    assert [p.status for p in result.pages] == ["read"] * len(pages)
    assert _check_no_wrong(form, response, answers) >= 5
