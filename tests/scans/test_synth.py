"""The synthetic scan generator itself: sizes, truth, ink, QR codes, files, piles."""

from __future__ import annotations

import io
import math
import random
from dataclasses import replace

import numpy as np
import pdfplumber
import pytest
import zxingcpp
from PIL import Image

from pdfforms.model.identity import parse_qr
from pdfforms.model.layout import PAGE_HEIGHT, PAGE_WIDTH, build_layout
from pdfforms.read.scan.identify import find_code
from pdfforms.testing import scans as synth
from pdfforms.testing.synthetic import synthetic_answers

DPI = 200
SHAPE = (math.ceil(PAGE_HEIGHT * DPI / 72), math.ceil(PAGE_WIDTH * DPI / 72))  # (2339, 1654)


def darkness(image: np.ndarray, box: synth.Box, inner: float = 0.5, inset: float = 0) -> float:
    """Mean ink (255 − grey) in the middle `inner` share of a box, or inside it
    `inset` pixels from its edges: away from its outline."""
    x0, y0, x1, y1 = box
    mx, my = (x1 - x0) * (1 - inner) / 2, (y1 - y0) * (1 - inner) / 2
    if inset:
        mx = my = inset
    window = image[int(y0 + my) : int(y1 - my), int(x0 + mx) : int(x1 - mx)]
    return float(255 - window.mean())


def qr_codes(image: np.ndarray) -> list:
    found = zxingcpp.read_barcodes(Image.fromarray(image), formats=zxingcpp.BarcodeFormat.QRCode)
    return [b for b in found if parse_qr(b.text) is not None]


def centre(barcode) -> tuple[float, float]:
    p = barcode.position
    corners = (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
    return sum(c.x for c in corners) / 4, sum(c.y for c in corners) / 4


def test_pages_and_truth_cover_the_form(forms):
    form = forms["all_types"]
    pages, truth = synth.random_questionnaire(form, random.Random(1), distortion="test")
    layout = build_layout(form, truth["language"])
    assert len(pages) == len(layout.pages) == len(truth["pages"])
    for image, info, page in zip(pages, truth["pages"], layout.pages, strict=True):
        assert image.shape == SHAPE and image.dtype == np.uint8
        assert info["number"] == page.number
        assert info["matrix"].shape == (2, 3)
    boxes = {(w.field, w.on) for w in layout.widgets() if w.kind in ("checkbox", "radio")}
    fields = {w.field for w in layout.widgets() if w.kind in ("text", "choice")}
    assert set(truth["boxes"]) == boxes
    assert set(truth["text"]) == fields
    for key, ticked in truth["boxes"].items():
        assert (truth["kinds"].get(key) in synth.MARK_KINDS) == ticked
    radios = {w.field for w in layout.widgets() if w.kind == "radio"}
    for name in radios:
        chosen = [on for (f, on), ticked in truth["boxes"].items() if f == name and ticked]
        assert len(chosen) <= 1
        assert (chosen[0] if chosen else None) == truth["values"][name]
    assert set(truth["text_kinds"]) == {f for f, written in truth["text"].items() if written}
    assert synth.is_valid_serial(truth["serial"])


def test_page_size_follows_dpi(forms):
    pages, _ = synth.random_questionnaire(
        forms["all_types"], random.Random(2), distortion=None, dpi=100
    )
    assert pages[0].shape == (math.ceil(PAGE_HEIGHT * 100 / 72), math.ceil(PAGE_WIDTH * 100 / 72))


@pytest.mark.parametrize("kind", [*synth.MARK_KINDS, synth.CANCEL])
def test_marks_darken_ticked_boxes_only(forms, kind):
    form = forms["patient"]
    layout = build_layout(form, "sv")
    ticked, empty = [], []
    for seed in range(2):
        rng = random.Random(seed)
        answers = synthetic_answers(form, rng, blank_rate=0.0)
        kinds = ("tick",) if kind == synth.CANCEL else (kind,)
        cancel = 1.0 if kind == synth.CANCEL else 0.0
        pages, truth = synth.make_scan(
            form, "sv", answers, None, rng, None, mark_kinds=kinds, cancel_rate=cancel
        )
        for page in layout.pages:
            for w in page.widgets:
                if w.kind not in ("checkbox", "radio"):
                    continue
                # All the inside but the outline: a circle keeps to the rim, a
                # small tick may miss the middle.
                ink = darkness(pages[page.number - 1], synth.widget_box(w), inner=0.8)
                drawn = truth["kinds"].get((w.field, w.on))
                if drawn == kind:
                    ticked.append(ink)
                elif drawn is None:
                    empty.append(ink)
    assert ticked, f"no box got a {kind} mark"
    # An empty box is white inside; the faintest mark still leaves ink in the middle.
    assert max(empty) < 1.0
    assert min(ticked) > 1.5, sorted(ticked)[:5]


def test_handwriting_darkens_written_boxes_only(forms):
    form = forms["all_types"]
    layout = build_layout(form, "sv")
    pages, truth = synth.random_questionnaire(
        form, random.Random(3), distortion=None, faint_rate=0.5
    )
    # the form as printed, nothing written: a comb's printed cells lie inside its box
    printed, _ = synth.make_scan(form, "sv", {}, truth["serial"], random.Random(0), None)
    written, blank = [], []
    for page in layout.pages:
        for w in page.widgets:
            if w.kind in ("text", "choice"):
                box = synth.widget_box(w)
                ink = darkness(pages[page.number - 1], box, inset=6)
                ink -= darkness(printed[page.number - 1], box, inset=6)
                (written if truth["text"][w.field] else blank).append(ink)
    assert written and blank
    assert max(blank) < 0.5 < min(written)


def test_every_digit_written_into_a_comb_leaves_ink_in_its_cell(forms):
    """The truth says a comb was written only when its cells hold the digits: a
    narrow cell once got margins wider than itself, nothing was drawn, and the
    benchmark counted the reader's right "empty" as written text read as empty."""
    layout = build_layout(forms["all_types"], "sv")
    combs = [w for page in layout.pages for w in page.widgets if w.comb]
    assert combs
    rng = random.Random(5)
    for w in combs:
        digits = [rect for ch, rect in w.cells() if ch == "#"]
        for _ in range(40):
            image = np.full((int(PAGE_HEIGHT / 72 * synth.BASE_DPI) + 1, 1700), 255, np.uint8)
            value = "".join(str(rng.randint(0, 9)) for _ in digits)
            synth.write_comb(image, w, value, rng)
            for x0, y0, x1, y1 in digits:
                cell = synth.widget_box(replace(w, x=x0, y=y0, w=x1 - x0, h=y1 - y0))
                assert darkness(image, cell, inner=1.0) > 0.0, (w.field, value)


@pytest.mark.parametrize("seed", range(4))
def test_qr_code_survives_a_test_scan(forms, seed):
    form = forms["patient"]
    rng = random.Random(seed)
    distortion = replace(synth.profile("test", rng), upside_down=False)
    answers = synthetic_answers(form, rng)
    serial = synth.serial_for(rng)
    pages, truth = synth.make_scan(form, "sv", answers, serial, rng, distortion)
    layout = build_layout(form, "sv")
    for n, image in enumerate(pages, start=1):
        # edition 5 prints the code twice
        codes = [b.text for b in qr_codes(image)]
        assert codes == [layout.qr_payload(n, serial)] * 2, distortion


def test_upside_down_page_has_its_qr_code_turned(forms):
    form = forms["patient"]
    rng = random.Random(5)
    distortion = synth.Distortion(rotation=1.0, noise=4, jpeg_quality=80, upside_down=True)
    pages, truth = synth.make_scan(form, "sv", {}, synth.serial_for(rng), rng, distortion)
    layout = build_layout(form, "sv")
    height, width = SHAPE
    for image, info, page in zip(pages, truth["pages"], layout.pages, strict=True):
        qr = page.qr
        expected = synth.map_point(
            info["matrix"], *synth.pt_to_px(qr.x + qr.w / 2, qr.y + qr.h / 2, DPI)
        )
        # the first of edition 5's two codes: the one nearest where it is printed
        code = min(qr_codes(image), key=lambda c: np.hypot(*np.subtract(centre(c), expected)))
        assert abs(code.orientation) > 170
        x, y = centre(code)
        assert x < width / 4 and y < height / 4  # the QR code is bottom right on paper
        assert abs(x - expected[0]) < 6 and abs(y - expected[1]) < 6
        assert info["marks_inside"] and info["qr_inside"]


def test_scanned_pdf_holds_images_only(forms):
    pages, _ = synth.random_questionnaire(forms["all_types"], random.Random(6), distortion="test")
    data = synth.scanned_pdf(pages, dpi=DPI)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == len(pages)
        for page in pdf.pages:
            assert page.chars == []
            assert len(page.images) == 1
            assert page.width == pytest.approx(PAGE_WIDTH, abs=1)
            assert page.height == pytest.approx(PAGE_HEIGHT, abs=1)


def test_image_files(forms, tmp_path):
    pages, _ = synth.random_questionnaire(forms["all_types"], random.Random(7), distortion=None)
    (tiff,) = synth.save_images(pages, tmp_path, "tiff")
    with Image.open(tiff) as image:
        assert image.n_frames == len(pages)
        assert image.info["dpi"] == pytest.approx((DPI, DPI))
    pngs = synth.save_images(pages, tmp_path, "png")
    jpegs = synth.save_images(pages, tmp_path, "jpeg")
    assert len(pngs) == len(jpegs) == len(pages)
    with Image.open(pngs[0]) as image:
        assert np.array_equal(np.asarray(image), pages[0])


def test_same_seed_same_scan(forms):
    form = forms["all_types"]
    first = synth.random_questionnaire(form, random.Random(8), distortion="stress", cancel_rate=0.5)
    again = synth.random_questionnaire(form, random.Random(8), distortion="stress", cancel_rate=0.5)
    other = synth.random_questionnaire(form, random.Random(9), distortion="stress", cancel_rate=0.5)
    for a, b in zip(first[0], again[0], strict=True):
        assert np.array_equal(a, b)
    for key in ("serial", "boxes", "kinds", "text", "text_kinds"):
        assert first[1][key] == again[1][key]
    assert not np.array_equal(first[0][0], other[0][0])


def test_distortion_none_changes_nothing():
    image = np.full((50, 40), 255, np.uint8)
    image[10:20, 10:30] = 0
    out, matrix = synth.distort(image, synth.Distortion(), random.Random(0))
    assert np.array_equal(out, image)
    assert np.allclose(matrix, [[1, 0, 0], [0, 1, 0]])


def test_stack_says_how_pages_group(forms):
    form = forms["all_types"]
    rng = random.Random(10)
    questionnaires = [synth.random_questionnaire(form, rng, distortion="test") for _ in range(3)]
    images, expected = synth.stack(
        questionnaires, rng, shuffle=True, blank_backs=0.5, missing=1, foreign=2
    )
    sources = expected["sources"]
    assert len(images) == len(sources)
    kinds = [s["kind"] for s in sources]
    assert kinds.count("form") == 3 * 2 - 1
    assert kinds.count("foreign") == 2 and expected["foreign"] == [
        i for i, k in enumerate(kinds) if k == "foreign"
    ]
    assert expected["blank"] == [i for i, k in enumerate(kinds) if k == "blank"]
    for i in expected["blank"]:  # a back follows its front
        front = sources[i - 1]
        assert front["kind"] == "form" and front["page"] == sources[i]["back_of"]
        # zxing reads the front's code showing through, mirrored and faint (with two
        # codes a page, often): the reader takes no code that is not ink
        assert images[i].mean() > 200 and find_code(images[i]) == (None, None)
    for i in expected["foreign"]:
        assert not qr_codes(images[i])
    assert sum(len(g["missing"]) for g in expected["groups"]) == 1
    for group, (_, truth) in zip(expected["groups"], questionnaires, strict=True):
        assert group["serial"] == truth["serial"]
        assert set(group["pages"]) | set(group["missing"]) == {1, 2}
        for n, index in group["pages"].items():
            codes = qr_codes(images[index])  # edition 5 prints the code twice
            assert len(codes) == 2 and len({c.text for c in codes}) == 1
            assert codes[0].text.split("|")[4:6] == [f"{n}/2", truth["serial"]]


def test_stack_without_shuffle_keeps_order(forms):
    rng = random.Random(11)
    questionnaires = [
        synth.random_questionnaire(forms["all_types"], rng, distortion=None) for _ in range(2)
    ]
    images, expected = synth.stack(questionnaires, rng, shuffle=False, distortion=None)
    assert [(s["questionnaire"], s["page"]) for s in expected["sources"]] == [
        (0, 1),
        (0, 2),
        (1, 1),
        (1, 2),
    ]
    assert expected["groups"][1]["pages"] == {1: 2, 2: 3}


def test_cancels_sit_next_to_a_tick_in_radio_groups(forms):
    form = forms["patient"]
    layout = build_layout(form, "sv")
    rng = random.Random(12)
    answers = synthetic_answers(form, rng, blank_rate=0.0)
    _, truth = synth.make_scan(form, "sv", answers, None, rng, None, cancel_rate=1.0)
    kinds = {w.field: w.kind for w in layout.widgets()}
    cancelled = [key for key, kind in truth["kinds"].items() if kind == synth.CANCEL]
    ticked_radios = {f for (f, _), t in truth["boxes"].items() if t and kinds[f] == "radio"}
    assert sorted(f for f, _ in cancelled) == sorted(ticked_radios)
    for key in cancelled:
        assert truth["boxes"][key] is False


def _page_two(forms, answers, seed, kinds, distortion=None):
    form = forms["patient"]
    layout = build_layout(form, "sv")
    rng = random.Random(seed)
    pages, truth = synth.make_scan(form, "sv", answers, None, rng, distortion, mark_kinds=kinds)
    return pages[1], truth, layout.pages[1]


@pytest.mark.parametrize("kind", ["ring_box", "ring_label", "underline_label"])
def test_people_marks_lie_outside_the_box(forms, kind):
    """A ring around the box or its words, or a line under them, leave the box's
    middle white and put ink beside it."""
    answers = {"leva_livet": "nej", "nasta_steg": "delvis", "nasta_tid": "ja"}
    page, truth, layout_page = _page_two(forms, answers, 13, [kind])
    blank = synth.make_scan(forms["patient"], "sv", {}, None, random.Random(13), None)[0][1]
    marked = [w for w in layout_page.widgets if (w.field, w.on) in truth["kinds"]]
    assert len(marked) == len(answers)
    for w in marked:
        assert truth["kinds"][(w.field, w.on)] == kind
        x0, y0, x1, y1 = synth.widget_box(w)
        assert darkness(page, (x0, y0, x1, y1), inner=0.6) < 1.0  # the middle stays white
        side = x1 - x0
        near = _beside(x0, y0, x1, y1, side, kind)
        assert (page[near] < 128).sum() > (blank[near] < 128).sum() + 40  # a stroke, no speck


@pytest.mark.parametrize("kind", ["ring_label", "underline_label"])
def test_on_a_right_to_left_page_people_mark_the_words_left_of_the_box(forms, kind):
    """On an Arabic page an option's words stand left of its box: a ring around them,
    or a line under them, is drawn there, on the box's own line (it was drawn
    around whatever stood above the box, the option before or the question)."""
    form = forms["patient"]
    answers = {"leva_livet": "nej", "nasta_steg": "delvis", "nasta_tid": "ja"}
    layout_page = build_layout(form, "ar").pages[1]
    pages, truth = synth.make_scan(
        form, "ar", answers, None, random.Random(13), None, mark_kinds=[kind]
    )
    blank = synth.make_scan(form, "ar", {}, None, random.Random(13), None)[0][1]
    page = pages[1]
    marked = [w for w in layout_page.widgets if (w.field, w.on) in truth["kinds"]]
    assert len(marked) == len(answers)
    for w in marked:
        x0, y0, x1, y1 = synth.widget_box(w)
        side = x1 - x0
        left = np.s_[int(y0 - 0.5 * side) : int(y1 + 0.5 * side), int(x0 - 6 * side) : int(x0)]
        above = np.s_[int(y0 - 2.5 * side) : int(y0 - side), int(x0 - side) : int(x1 + side)]
        added = (page[left] < 128).sum() - (blank[left] < 128).sum()
        assert added > 40, added  # a stroke beside the words
        assert (page[above] < 128).sum() - (blank[above] < 128).sum() < 20


def _beside(x0, y0, x1, y1, side, kind):
    """Around the box (a ring around it), or to its right (its words)."""
    if kind == "ring_box":
        return np.s_[int(y0 - side) : int(y1 + side), int(x0 - side) : int(x1 + side)]
    return np.s_[int(y0 - side) : int(y1 + side), int(x1) : int(x1 + 5 * side)]


def test_whitened_pencil_ends_12_to_16_levels_under_white(forms):
    """Once blurred and whitened, a whitened pencil's darkest middle is 12–16 levels
    (give or take the grain) under paper that the whitening made 255."""
    levels = (15.0, 230.0, 1.0)
    d = synth.Distortion(blur=0.8, whiten=levels)
    page, truth, layout_page = _page_two(forms, {"leva_livet": "ja"}, 14, ["whitened_pencil"], d)
    w = next(w for w in layout_page.widgets if (w.field, w.on) == ("leva_livet", "ja"))
    x0, y0, x1, y1 = synth.widget_box(w)
    inside = page[int(y0) + 6 : int(y1) - 6, int(x0) + 6 : int(x1) - 6]
    assert np.median(page[100:300, 10:60]) == 255  # paper is white
    assert 236 <= int(inside.min()) <= 246


def test_whitening_pushes_paper_to_white_and_light_grey_up():
    image = np.array([[250, 235, 200, 120, 10]], dtype=np.uint8)
    out = synth.whiten(image, (20.0, 230.0, 1.0))
    assert out[0, 0] == 255 and out[0, 1] == 255
    assert out[0, 2] > 200 and out[0, 3] > 120 and out[0, 4] == 0


def test_a_wrinkle_moves_the_box_it_aims_at_by_the_share_asked(forms):
    form = forms["patient"]
    layout = build_layout(form, "sv")
    clean, _ = synth.make_scan(form, "sv", {}, None, random.Random(15), None)
    w = layout.pages[1].widgets[5]
    box = synth.widget_box(w)
    moved = synth.apply_overlay(clean[1], "wrinkle", random.Random(2), [box], shift=0.5)
    x0, y0, x1, y1 = (int(v) for v in box)
    side = x1 - x0
    window = np.s_[y0 - side : y1 + side, x0 - side : x1 + side]
    after = moved[window].astype(int)
    # the box is where the clean page, moved by (dx, dy), matches best
    best = min(
        (
            np.abs(
                clean[1][y0 - side - dy : y1 + side - dy, x0 - side - dx : x1 + side - dx] - after
            ).sum(),
            dx,
            dy,
        )
        for dy in range(-side // 2 - 4, side // 2 + 5)
        for dx in range(-side // 2 - 4, side // 2 + 5)
    )
    assert 0.4 * side < math.hypot(best[1], best[2]) < 0.6 * side
    corners = [m for m in layout.pages[1].marks]
    for m in corners:  # the corner marks stay where they were
        mx0, my0, mx1, my1 = (int(v) for v in synth.widget_box(m))
        assert np.array_equal(clean[1][my0:my1, mx0:mx1], moved[my0:my1, mx0:mx1])


@pytest.mark.parametrize("name", synth.OVERLAYS)
def test_overlays_darken_near_their_target_only(forms, name):
    form = forms["patient"]
    layout = build_layout(form, "sv")
    clean, _ = synth.make_scan(form, "sv", {}, None, random.Random(16), None)
    box = synth.widget_box(layout.pages[1].widgets[9])
    out = synth.apply_overlay(clean[1], name, random.Random(3), [box])
    assert out.shape == clean[1].shape and out.dtype == np.uint8
    changed = np.abs(out.astype(int) - clean[1].astype(int)) > 8
    assert changed.any()
    ys, xs = np.nonzero(changed)
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    # the overlay reaches the box it was aimed at
    assert np.hypot(xs - cx, ys - cy).min() < 3 * (box[2] - box[0])


def test_a_mark_the_scan_whitens_away_is_counted_as_erased(forms):
    """A pencil mark (100–150 grey) under a whitening that turns everything from grey
    100 up into paper is not in the scan: the truth says so, box by box. The same
    marks scanned without it are all there; asking changes none of the scan."""
    form = forms["patient"]
    answers = {"leva_livet": "ja", "nasta_steg": "nej", "overblick_planer": "delvis"}
    keys = {("leva_livet", "ja"), ("nasta_steg", "nej"), ("overblick_planer", "delvis")}

    def scan(distortion, check):
        rng = random.Random(41)
        return synth.make_scan(
            form,
            "sv",
            answers,
            synth.serial_for(rng),
            rng,
            distortion,
            mark_kinds=["pencil"],
            check_erased=check,
        )

    erasing = synth.Distortion(whiten=(0.0, 100.0, 1.0))
    pages, truth = scan(erasing, True)
    assert truth["erased"] == keys
    assert all(truth["mark_pixels"][key] <= synth.ERASED_PIXELS for key in keys)
    plain_pages, _ = scan(erasing, False)
    assert all(np.array_equal(a, b) for a, b in zip(pages, plain_pages, strict=True))

    _, kept = scan(synth.Distortion(blur=0.8, noise=3.0), True)
    assert kept["erased"] == set()
    assert all(kept["mark_pixels"][key] > 50 for key in keys)
