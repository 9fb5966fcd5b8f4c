"""Accuracy of the scan reader on synthetic scans with known answers.

Stacks of questionnaires (patient, unit and the every-type test form, in both
languages) are filled by hand, printed and scanned by pdfforms/testing/scans.py,
shuffled into one image-only PDF per stack, and read end to end by
`pdfforms.parse.scan.parse_scan`. Every tick box and text box is then scored
from what the reader *output* (answers, problems, review) against the truth:

- decided correctly: no review, and the decision is right;
- sent to review: an uncertain mark, two marks in one group, handwriting to
  transcribe, or a page that could not be identified or aligned;
- decided wrongly without review: the number that must be 0.

Every box is also scored by what was drawn in it (its mark kind, "empty" for
none) and by what its page went through beyond the profile's ordinary
distortion (tints, stamps, watermarks, shadows, creases, wrinkles and folds,
the scanner's whitening, effects of the augraphy library, worn copies; "ordinary"
for none), so a silent error shows where it comes from. Every page is also
counted by how it was identified: by its QR code, by the serial printed as digits
in its margin (layout edition 6), placed by its layout, not at all, or as another
page (issue 17). The people's marks of
pdfforms/testing/scans.py (rings around a box or its words, underlined words, ticks
running out of the box, whitened pencil) are drawn as often as any other kind.

Run by `make bench` (section "scans"), or alone:
`python benchmarks/scan_accuracy.py [test|stress|photo] [PAGES]` ("photo": every
page a phone's photo of it on a table, pdfforms/testing/scans.py's `Photo`).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STACK = 4  # questionnaires per scanned file
PAGE_REVIEWS = ("alignment", "poor_scan", "page_placed_by_layout")  # a whole page to a person
# Share of pages that also get one overlay (synth.OVERLAYS), the scanner's
# whitening, one augraphy effect, textured paper or a broad shadow (synth.PAPER;
# each drawn on its own).
EXTRAS = dict(overlays=0.3, whitening=0.2, augraphy=0.2, paper=0.3)
# Share of questionnaires that come back as worn copies (issue 17: a photocopy of a
# photocopy, each page with one of synth.WORN's damages over its QR code or a corner).
WORN_COPIES = 0.15
# The pages of the review target (issue 17: at most 2 % of tick boxes to a
# person): ordinary scans, on textured paper, under a shadow.
PLAIN_PAGES = {"ordinary", "texture", "shadow_edge", "shadow"}
# Each ordinary mark kind is drawn this many times as often as each of the
# people's marks (rings, underlines, ticks running out, whitened pencil).
ORDINARY_WEIGHT = 3
# What became of a box: decided right, sent to a person, decided wrongly without
# review, or read as empty where the scan itself does not show its mark (the scan
# of the same page without it differs by less than a visible spot:
# synth.marks_in_scan): no reader can see such a mark, so it is counted apart.
OUTCOMES = ("right", "review", "wrong", "erased")


def _forms():
    from pdfforms.model.definition import load_form

    return [
        load_form(ROOT / "form_definitions" / "patient.yaml"),
        load_form(ROOT / "form_definitions" / "unit.yaml"),
        load_form(ROOT / "tests" / "forms" / "all_types.yaml"),
    ]


def _box_decisions(form, layout, response) -> dict:
    """(field, on) → ("ticked" | "empty" | "review", why), read off the response; `why`
    is what sent the box to a person: its page's review reason (or "missing_page"),
    "multiple_marks", or what the reader saw in an uncertain mark (ReviewItem.seen)."""
    seen = {}
    for item in response.review:
        if item.reason == "uncertain_mark":
            seen.setdefault(item.field, item.seen or item.reason)
    review_pages = _pages_for_a_person(response)
    # a question marked twice: its marked boxes are review items (seen
    # "multiple_marks"), so a grid's other rows, read and decided, are not counted
    # as sent to a person; a problem without such items would send it all
    shown = {item.question for item in response.review if item.seen == "multiple_marks"}
    flagged = {p.question for p in response.problems if p.code == "multiple_marks"} - shown
    out = {}
    for page in layout.pages:
        for w in page.widgets:
            if w.kind not in ("checkbox", "radio"):
                continue
            key = (w.field, w.on)
            q = form.question(w.question)
            if page.number in review_pages:
                out[key] = ("review", review_pages[page.number])
                continue
            if w.field in seen:
                out[key] = ("review", seen[w.field])
                continue
            if q.id in flagged:
                out[key] = ("review", "multiple_marks")
                continue
            answer = response.answers[q.id]
            if q.type == "multiple":
                chosen = w.on in answer
            elif q.type == "grid":
                chosen = answer.get(w.field.split("__", 1)[1]) == w.on
            elif q.type == "yesno":
                chosen = answer is not None and ("yes" if answer else "no") == w.on
            else:
                chosen = answer is not None and str(answer) == w.on
            out[key] = ("ticked" if chosen else "empty", None)
    return out


def _pages_for_a_person(response) -> dict[int, str]:
    """Form pages read by no one yet, and why: sent to review whole, or missing from
    the scan."""
    pages = {p: "missing_page" for p in _missing_pages(response)}
    for item in response.review:
        if item.reason in PAGE_REVIEWS:
            pages.setdefault(item.page, item.reason)
    return pages


def _missing_pages(response) -> set[int]:
    return {int(p.message.split()[1]) for p in response.problems if p.code == "missing_page"}


def _text_decisions(layout, response) -> dict:
    review = {item.field: item.reason for item in response.review}
    pages = _pages_for_a_person(response)
    out = {}
    for page in layout.pages:
        for w in page.widgets:
            if w.kind in ("text", "choice"):
                if page.number in pages or w.field in review:
                    out[w.field] = "review"
                else:
                    out[w.field] = "empty"
    return out


def run_stack(args: tuple[str, int]) -> dict:
    """Make one stack of questionnaires, read it, and score it."""
    from pdfforms.model.layout import build_layout
    from pdfforms.parse.scan import parse_scan
    from pdfforms.testing import scans as synth

    profile, seed = args
    rng = random.Random(seed)
    forms = _forms()
    truths = []
    pages = []
    kinds = synth.MARK_KINDS if profile in ("test", "photo") else synth.STRESS_MARK_KINDS
    # phone photos: the photo is the distortion (its light, a hand's shadow, blur, JPEG)
    extras = {} if profile == "photo" else EXTRAS
    for i in range(STACK):
        form = forms[(seed + i) % len(forms)]
        lang = rng.choice(form.languages)
        worn = rng.random() < WORN_COPIES
        distortions = [
            synth.with_extras(
                synth.Distortion.profile(profile, rng),
                rng,
                **extras,
                worn=rng.choice(synth.WORN) if worn and profile != "photo" else None,
            )
            for _ in build_layout(form, lang).pages
        ]
        images, truth = synth.random_questionnaire(
            form,
            rng,
            lang=lang,
            distortion=distortions,
            cancel_rate=0.08,
            faint_rate=0.0 if profile == "test" else 0.15,
            mark_kinds=kinds * ORDINARY_WEIGHT + synth.PEOPLE_MARK_KINDS,
            check_erased=True,
        )
        truths.append((form, truth))
        pages += images
    order = list(range(len(pages)))
    rng.shuffle(order)
    score = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scan.pdf"
        path.write_bytes(synth.scanned_pdf([pages[i] for i in order]))
        t0 = time.perf_counter()
        result = parse_scan(
            path,
            [ROOT / "form_definitions", ROOT / "tests" / "forms"],
            review_dir=Path(tmp) / "review",
        )
        score["seconds"] += time.perf_counter() - t0
    score["pages"] += len(pages)
    # how each page was identified, by what it went through: its code, its layout,
    # not at all, or as another page (which must never happen)
    where = {}
    # a page identified by its printed serial says so in its note (parse/scan.py)
    from pdfforms.model.messages import text as msg

    by_digits = msg("scan.printed_serial", page="\0", score="").split("\0")[0]
    for report in result.pages:
        if report.status in ("read", "unaligned", "poor_scan", "placed_by_layout"):
            how = report.status
            if report.note.startswith(by_digits):
                how = "serial"
            where[report.page] = (report.serial, report.form_page, how)
    position = {index: n for n, index in enumerate(order, start=1)}
    index = 0
    for _, truth in truths:
        for info in truth["pages"]:
            got = where.get(position[index])
            index += 1
            if got is None:
                how = "none"
            elif got[:2] != (truth["serial"], info["number"]):
                how = "wrong"
            else:
                how = {"placed_by_layout": "layout", "serial": "serial"}.get(got[2], "code")
            for name in synth.distortion_kinds(info["distortion"]):
                score[f"ident:{name.split(':')[0] if name.startswith('worn') else name}:{how}"] += 1
                if name.startswith("worn"):
                    score[f"ident:{name}:{how}"] += 1
            score[f"ident:all:{how}"] += 1
    by_serial = {r.serial: r for r in result.responses}
    for form, truth in truths:
        layout = build_layout(form, truth["language"])
        response = by_serial.get(truth["serial"])
        page_kinds = {
            info["number"]: synth.distortion_kinds(info["distortion"]) for info in truth["pages"]
        }
        people = {f for (f, _), k in truth["kinds"].items() if k in synth.PEOPLE_MARK_KINDS}
        if response is None:  # no page of it identified: all of it is for a person
            decided = {}
            score["text_review"] += len(truth["text"])
        else:
            decided = _box_decisions(form, layout, response)
        for key, ticked in truth["boxes"].items():
            got, why = decided.get(key, ("review", "unidentified"))
            kind = truth["kinds"].get(key, "empty")
            if got == "review":
                outcome = "review"
            elif (got == "ticked") == ticked:
                outcome = "right"
            elif key in truth["erased"]:
                # the scan does not show the mark (synth.marks_in_scan): "empty" is
                # what the image says, counted apart, never as right
                outcome = "erased"
            else:
                outcome = "wrong"
                score[f"wrong:{kind}"] += 1
            score[f"boxes_{outcome}"] += 1
            score[f"mark:{kind}:{outcome}"] += 1
            dists = page_kinds[layout.page_of(key[0])]
            for name in dists:
                score[f"dist:{name}:{outcome}"] += 1
            if outcome == "review":
                score[f"why:all:{why}"] += 1
            # the review target: ordinary marks, on ordinary, textured or shadowed pages
            if set(dists) <= PLAIN_PAGES and key[0] not in people:
                score[f"target:{outcome}"] += 1
                if outcome == "review":
                    score[f"why:target:{why}"] += 1
                # ... and by what its page went through (issue 17: where the share comes from)
                page = "+".join(sorted(dists))
                score[f"targetpage:{page}:{outcome}"] += 1
                if outcome == "review":
                    score[f"whypage:{page}:{why}"] += 1
            # what the reader before issue 17 was measured on: ordinary marks, ordinary pages
            if dists == ["ordinary"] and key[0] not in people:
                score[f"plain:{outcome}"] += 1
        if response is None:
            continue
        for item in response.review:
            page = item.page
            if page is None or page_kinds.get(page) != ["ordinary"]:
                continue
            fields = [item.field] if item.field else item.fields or []
            if not any(f in people for f in fields):
                score[f"plainitem:{item.seen or item.reason}"] += 1
        texts = _text_decisions(layout, response)
        for name, written in truth["text"].items():
            got = texts.get(name, "review")
            kind = truth["text_kinds"].get(name, "empty")
            if got == "review":
                score["text_review" if written else "text_review_empty"] += 1
                outcome = "review"
            elif written:
                score["text_wrong"] += 1  # written, but read as empty
                outcome = "wrong"
            else:
                score["text_right"] += 1
                outcome = "right"
            score[f"text:{kind}:{outcome}"] += 1
            for dist in page_kinds[layout.page_of(name)]:
                score[f"tdist:{dist}:{outcome}"] += 1
    for response in result.responses:
        for item in response.review:
            score[f"item:{item.seen or item.reason}"] += 1
    score["unidentified_pages"] += sum(p.status == "unidentified" for p in result.pages)
    score["unaligned_pages"] += sum(p.status in ("unaligned", "poor_scan") for p in result.pages)
    return dict(score)


def measure(profile: str, pages: int, workers: int = 2, seed: int = 1) -> Counter:
    stacks = max(1, round(pages / (STACK * 2.67)))
    total: Counter = Counter()
    with ProcessPoolExecutor(workers) as pool:
        for score in pool.map(run_stack, [(profile, seed * 100_000 + i) for i in range(stacks)]):
            total.update(score)
    return total


def lines(profile: str, total: Counter) -> list[str]:
    boxes = sum(total[f"boxes_{o}"] for o in OUTCOMES)
    written = total["text_review"] + total["text_wrong"]
    empty_text = total["text_right"] + total["text_review_empty"]
    wrong_kinds = (
        ", ".join(f"{k[6:]} {v}" for k, v in sorted(total.items()) if k.startswith("wrong:"))
        or "none"
    )
    return [
        f"| {profile} | {total['pages']:,} | {boxes:,} | "
        f"{total['boxes_right'] / boxes:.2%} | {total['boxes_review'] / boxes:.2%} | "
        f"{total['boxes_wrong']} ({total['boxes_wrong'] / boxes:.3%}) | {total['boxes_erased']} | "
        f"{total['text_review'] / max(written, 1):.1%} of {written:,} | "
        f"{total['text_wrong']} | {total['text_review_empty'] / max(empty_text, 1):.1%} | "
        f"{total['unidentified_pages']} / {total['unaligned_pages']} | "
        f"{total['pages'] / total['seconds']:.1f} | {wrong_kinds} |"
    ]


def _wrong(counts: dict) -> str:
    """Wrong without review, and the marks the scan erased (read empty) beside it."""
    erased = counts.get("erased", 0)
    return f"{counts['wrong']}" + (f" (+{erased} erased by the scan)" if erased else "")


def review_lines(profile: str, total: Counter) -> list[str]:
    """The share of tick boxes sent to a person (issue 17's target: at most 2 % of the
    ordinary marks, on ordinary, textured and shadowed pages, with none wrong), and
    what sent them, per box."""
    out = [
        f"| {profile}: tick boxes | boxes | decided right | sent to review | "
        "wrong without review | sent to review by what sent them (boxes) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, what in (
        ("all", "(a) all"),
        ("target", "(b) ordinary marks, pages ordinary, textured or shadowed"),
    ):
        if name == "all":
            counts = {o: total.get(f"boxes_{o}", 0) for o in OUTCOMES}
        else:
            counts = {o: total.get(f"target:{o}", 0) for o in OUTCOMES}
        n = sum(counts.values())
        if not n:
            continue
        why = {k.split(":", 2)[2]: v for k, v in total.items() if k.startswith(f"why:{name}:")}
        reasons = ", ".join(f"{r} {v:,}" for r, v in sorted(why.items(), key=lambda x: -x[1]))
        out.append(
            f"| {what} | {n:,} | {counts['right'] / n:.2%} | {counts['review'] / n:.2%} | "
            f"{_wrong(counts)} | {reasons or 'none'} |"
        )
        # whole pages whose corner marks were not found are the alignment's (align.py)
        aligned = n - why.get("alignment", 0)
        if name == "target" and aligned:
            review = counts["review"] - why.get("alignment", 0)
            out.append(
                f"| (b) without pages unaligned | {aligned:,} | "
                f"{counts['right'] / aligned:.2%} | {review / aligned:.2%} | "
                f"{_wrong(counts)} | |"
            )
        if name == "target":
            out += _target_pages(total)
    return out


def _target_pages(total: Counter) -> list[str]:
    """(b) by what its pages went through: which pages the share sent to a person
    comes from (ordinary, textured, shadowed, or two of them)."""
    pages = sorted({k.split(":")[1] for k in total if k.startswith("targetpage:")})
    out = []
    for page in pages:
        counts = {o: total.get(f"targetpage:{page}:{o}", 0) for o in OUTCOMES}
        n = sum(counts.values())
        why = {k.split(":", 2)[2]: v for k, v in total.items() if k.startswith(f"whypage:{page}:")}
        reasons = ", ".join(f"{r} {v:,}" for r, v in sorted(why.items(), key=lambda x: -x[1]))
        out.append(
            f"| (b) on pages {page.replace('+', ' and ')} | {n:,} | {counts['right'] / n:.2%} "
            f"| {counts['review'] / n:.2%} | {_wrong(counts)} | {reasons or 'none'} |"
        )
    return out


def kind_lines(profile: str, total: Counter) -> list[str]:
    """Per mark kind, per text kind and per page distortion: right / review / wrong."""
    out = [
        f"| {profile}: what was drawn, or what the page went through | boxes | decided right "
        "| sent to review | wrong without review |",
        "|---|---:|---:|---:|---:|",
    ]
    for prefix, what in (
        ("mark", "mark"),
        ("dist", "page"),
        ("text", "text box"),
        ("tdist", "text box, page"),
    ):
        names = sorted(
            {k[len(prefix) + 1 :].rsplit(":", 1)[0] for k in total if k.startswith(prefix + ":")}
        )
        for name in names:
            counts = {o: total.get(f"{prefix}:{name}:{o}", 0) for o in OUTCOMES}
            n = sum(counts.values())
            out.append(
                f"| {what} {name} | {n:,} | {counts['right'] / n:.1%} | "
                f"{counts['review'] / n:.1%} | {_wrong(counts)} |"
            )
    items = sorted((k[5:], v) for k, v in total.items() if k.startswith("item:"))
    if items:
        out.append(
            "| review items by what was seen: "
            + ", ".join(f"{name} {count:,}" for name, count in items)
            + " | | | | |"
        )
    items = sorted((k[10:], v) for k, v in total.items() if k.startswith("plainitem:"))
    if items:
        out.append(
            "| review items on questions without people's marks, on ordinary pages: "
            + ", ".join(f"{name} {count:,}" for name, count in items)
            + " | | | | |"
        )
    plain = sum(total.get(f"plain:{o}", 0) for o in OUTCOMES)
    if plain:
        out.append(
            f"| questions without people's marks, on ordinary pages | {plain:,} | "
            f"{total.get('plain:right', 0) / plain:.1%} | "
            f"{total.get('plain:review', 0) / plain:.2%} | "
            f"{_wrong({o: total.get(f'plain:{o}', 0) for o in OUTCOMES})} |"
        )
    return out


HEADER = [
    "| set | pages | tick boxes | decided right | sent to review | wrong without review | "
    "read empty, the scan erased the mark | written text boxes sent to review | "
    "written read as empty | empty text boxes sent to review | pages unidentified / unaligned "
    "| pages/s (one core) | wrong by mark kind |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
]


def identity_lines(profile: str, total: Counter) -> list[str]:
    """Per kind of page: identified by its code, by its printed serial, placed by its
    layout, not at all, or as another page."""
    out = [
        f"| {profile}: pages by what they went through | pages | by their QR code "
        "| by printed serial | placed by layout | not identified | identified wrongly |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    names = sorted({k.split(":", 1)[1].rsplit(":", 1)[0] for k in total if k.startswith("ident:")})
    for name in names:
        c = {
            h: total.get(f"ident:{name}:{h}", 0)
            for h in ("code", "serial", "layout", "none", "wrong")
        }
        n = sum(c.values())
        out.append(
            f"| {name} | {n:,} | {c['code']} ({c['code'] / n:.1%}) | {c['serial']} | "
            f"{c['layout']} | {c['none']} | {c['wrong']} |"
        )
    return out


def main(argv: list[str]) -> int:
    profile = argv[0] if argv else "test"
    pages = int(argv[1]) if len(argv) > 1 else 200
    total = measure(profile, pages)
    print(
        "\n".join(
            HEADER
            + lines(profile, total)
            + [""]
            + identity_lines(profile, total)
            + review_lines(profile, total)
            + [""]
            + kind_lines(profile, total)
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
