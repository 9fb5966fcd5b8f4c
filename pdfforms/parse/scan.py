"""A scan file → the questionnaires in it, and a report of every page.

One scan may hold many questionnaires, pages in any order, upside down, a page
missing, blank back sides, or a page from something else. Pages are grouped by
form, version, language and serial (or, for copies printed without serials, by
runs of consecutive page numbers). Every page ends in the report: read, blank,
placed by its layout, or not identified, with its file and page number.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ..model.form import Form
from ..model.identity import Identity
from ..model.layout import Layout, Transform, build_layout
from ..model.layout import edition as layout_edition
from ..model.library import FormLibrary, default_definition_dirs
from ..model.messages import text as msg
from ..model.response import Problem, Response, ReviewItem
from ..read import ocr
from ..read.scan import digits
from ..read.scan.align import MAX_RESIDUAL_MM, align, sample
from ..read.scan.identify import identify_page
from ..read.scan.ink import (
    BLANK_PAGE,
    MAX_FLOOR,
    Reference,
    crop,
    ink_share,
    page_ink,
    read_marks,
    review_rect,
)
from ..read.scan.pages import ScannedPage, draw_pages, load_pages
from .interpret import respond

# A page without a readable QR code is placed at a missing page of a
# questionnaire only when this share of that page's box borders is dark where
# the layout has them, and no other candidate comes close.
LAYOUT_MATCH = 0.8


@dataclass
class PageReport:
    """What became of one page of a scan file."""

    file: str
    page: int  # 1-based, in the file
    # read | blank | placed_by_layout | unaligned | poor_scan | unidentified | duplicate
    status: str
    form: str | None = None
    serial: str | None = None
    form_page: int | None = None
    residual_mm: float | None = None
    note: str = ""

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class ScanResult:
    responses: list[Response]
    pages: list[PageReport]


@dataclass
class _Group:
    ident: Identity
    form: Form
    layout: Layout
    pages: dict[int, ScannedPage] = field(default_factory=dict)
    placed: set[int] = field(default_factory=set)
    unread: list[int] = field(default_factory=list)  # file pages that may be its missing ones


def _border_match(pixels: np.ndarray, transform: Transform, layout_page) -> float:
    """Share of the layout's box borders that are dark on the page."""
    hits = total = 0
    paper = float(np.percentile(pixels, 90)) or 255.0
    for w in layout_page.widgets:
        for x0, y0, x1, y1 in (
            (w.x - 0.6, w.y, w.x + 0.6, w.y + w.h),
            (w.x + w.w - 0.6, w.y, w.x + w.w + 0.6, w.y + w.h),
        ):
            strip = sample(pixels, transform, x0, y0 + w.h * 0.2, x1, y1 - w.h * 0.2, 3.0)
            total += 1
            hits += int((strip.min(axis=1) < paper * 0.6).mean() > 0.7)
    return hits / total if total else 0.0


def _library(definitions: list[Path] | None) -> FormLibrary:
    from .resolve import library_for

    return library_for(list(definitions) if definitions else default_definition_dirs())


def parse_scan(
    path: str | Path,
    definitions: list[Path] | None = None,
    review_dir: Path | None = None,
    data: bytes | None = None,
    today: datetime.date | None = None,
) -> ScanResult:
    """Read every questionnaire in a scan file; crops for review go under `review_dir`."""
    path = Path(path)
    data = path.read_bytes() if data is None else data
    sha = hashlib.sha256(data).hexdigest()
    library = _library(definitions)
    review_dir = review_dir or Path("review")
    pages = [ScannedPage(image) for image in load_pages(path, data)]
    reports: dict[int, PageReport] = {}
    groups: list[_Group] = []
    by_key: dict[tuple, _Group] = {}
    current: _Group | None = None
    for page in pages:
        ident = identify_page(page.image)
        report = PageReport(str(path), page.image.index, "unidentified")
        reports[page.image.index] = report
        if ident is None:
            # A blank back or an unreadable page does not end a run of pages:
            # pages 1, ?, 3 of a copy without serials are one questionnaire.
            if ink_share(page.image.pixels) < BLANK_PAGE:
                report.status = "blank"
                report.note = msg("scan.blank")
            else:
                report.note = msg("scan.no_qr")
            continue
        form = library.get(ident.form, ident.version)
        report.form, report.serial, report.form_page = ident.form, ident.serial, ident.page
        if form is None:
            report.note = msg("scan.unknown_form", form=ident.form, version=ident.version)
            current = None
            continue
        try:
            layout_edition(ident.edition)
        except ValueError as exc:  # printed by a newer pdfforms
            report.note = msg("scan.form_edition", form=ident.form, reason=exc)
            current = None
            continue
        page.identity = ident
        lang = ident.language if ident.language in form.languages else form.default_language
        if ident.serial:
            key = (form.id, form.version, lang, ident.serial)
            group = by_key.get(key)
        else:  # no serials: a questionnaire is a run of rising page numbers
            group = (
                current
                if (
                    current is not None
                    and not current.ident.serial
                    and (current.form.id, current.ident.language) == (form.id, lang)
                    and (current.layout.large_print, current.layout.edition)
                    == (bool(ident.large_print), ident.edition)
                    and ident.page > max(current.pages)
                )
                else None
            )
            key = None
        if group is None:
            layout = build_layout(form, lang, bool(ident.large_print), ident.edition)
            group = _Group(ident, form, layout)
            groups.append(group)
            if key is not None:
                by_key[key] = group
        current = group
        if ident.page in group.pages:
            report.status = "duplicate"
            report.note = msg("scan.page_read_before", page=ident.page)
            continue
        group.pages[ident.page] = page
    _place_by_layout(pages, groups, reports)
    _unread_candidates(pages, groups, reports)
    responses = [_read_group(g, path, sha, reports, review_dir, today) for g in groups]
    return ScanResult(responses, [reports[n] for n in sorted(reports)])


def _unread_candidates(
    pages: list[ScannedPage], groups: list[_Group], reports: dict[int, PageReport]
) -> None:
    """Name, for each questionnaire that lacks pages, the unread pages of the file
    that may be them: a page that could not be identified, lying next to one of
    its pages (blank backs between do not count). Such a page is there, so the
    questionnaire says that a page could not be read, not that it is absent.
    """
    order = [p for p in pages if reports[p.image.index].status != "blank"]
    owner = {}
    for group in groups:
        for page in group.pages.values():
            owner[page.image.index] = group
    for i, page in enumerate(order):
        report = reports[page.image.index]
        if report.status != "unidentified" or report.form is not None:
            continue
        neighbours = [order[j] for j in (i - 1, i + 1) if 0 <= j < len(order)]
        claimed = []
        for neighbour in neighbours:
            group = owner.get(neighbour.image.index)
            if group is None or group in claimed:
                continue
            if len(group.pages) < len(group.layout.pages):
                group.unread.append(page.image.index)
                claimed.append(group)
        if claimed:
            report.note += "; it may be a missing page of the questionnaire beside it"


def _place_by_layout(
    pages: list[ScannedPage], groups: list[_Group], reports: dict[int, PageReport]
) -> None:
    """Put pages whose QR code could not be read where they clearly belong."""
    for page in pages:
        report = reports[page.image.index]
        if report.status != "unidentified" or page.identity is not None or report.form:
            continue
        scores = []
        for group in groups:
            for number in range(1, len(group.layout.pages) + 1):
                if number in group.pages:
                    continue
                for turns in (0, 2):  # the page may also lie upside down
                    pixels = np.ascontiguousarray(np.rot90(page.image.pixels, turns))
                    layout_page = group.layout.pages[number - 1]
                    alignment = align(pixels, layout_page, group.layout)
                    if alignment is None or not layout_page.widgets:
                        continue
                    scores.append(
                        (
                            _border_match(pixels, alignment.transform, layout_page),
                            group,
                            number,
                            pixels,
                        )
                    )
        scores.sort(key=lambda s: -s[0])
        if not scores or scores[0][0] < LAYOUT_MATCH:
            continue
        if len(scores) > 1 and scores[1][0] > scores[0][0] - 0.15:
            report.note = msg("scan.ambiguous_page")
            continue
        score, group, number, pixels = scores[0]
        page.image.pixels = pixels
        page.identity = group.ident
        group.pages[number] = page
        group.placed.add(number)
        report.status = "placed_by_layout"
        report.form, report.serial, report.form_page = group.form.id, group.ident.serial, number
        report.note = msg("scan.placed", page=number, score=f"{score:.0%}")


def _save_crop(pixels: np.ndarray, folder: Path, name: str) -> str:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.png"
    Image.fromarray(pixels).save(target)
    return str(target)


def _read_group(
    group: _Group,
    path: Path,
    sha: str,
    reports: dict[int, PageReport],
    review_dir: Path,
    today: datetime.date | None,
) -> Response:
    form, layout = group.form, group.layout
    label = group.ident.serial or f"{path.stem}-p{min(p.image.index for p in group.pages.values())}"
    folder = review_dir / label
    fields: dict[str, str | None] = {w.field: None for w in layout.widgets()}
    multiple: dict[str, list[str]] = {}
    pending: set[str] = set()
    review: list[ReviewItem] = []
    problems: list[Problem] = []
    for number, layout_page in enumerate(layout.pages, start=1):
        page = group.pages.get(number)
        questions = {w.question for w in layout_page.widgets}
        # the fields of the page in printed order: what a person fills in if it is unread
        page_fields = list(dict.fromkeys(w.field for w in layout_page.widgets))
        if page is None and not layout_page.widgets:
            # A page with nothing to fill (the end of a data-protection text, say)
            # loses no answer when it is not returned: a respondent may keep it.
            continue
        if page is None:
            pending |= questions
            problems.append(Problem(None, "missing_page", "error", _missing(number, layout, group)))
            continue
        report = reports[page.image.index]
        if report.status == "unidentified":
            report.status = "read"
        if number in group.placed:
            review.append(_whole_page("page_placed_by_layout", number, page_fields, page, folder))
        alignment = align(page.image.pixels, layout_page, layout)
        if alignment is not None:
            report.residual_mm = round(float(alignment.residual_mm), 3)
        if alignment is None or alignment.residual_mm > MAX_RESIDUAL_MM:
            report.status = "unaligned"
            report.note = (
                msg("scan.no_corners")
                if alignment is None
                else msg("scan.corners_off", mm=f"{alignment.residual_mm:.1f}")
            )
            pending |= questions
            review.append(_whole_page("alignment", number, page_fields, page, folder))
            continue
        reference = reference_page(form, layout, number)
        ink = page_ink(page.image.pixels, alignment.transform, reference, layout)
        if ink.floor > MAX_FLOOR:
            report.status = "poor_scan"
            report.note = msg("scan.poor", floor=f"{ink.floor:.3f}")
            pending |= questions
            review.append(_whole_page("poor_scan", number, page_fields, page, folder))
            continue
        marks = read_marks(ink, layout_page)
        fields.update(marks.fields)
        multiple.update(marks.multiple)
        for name, reading in marks.uncertain:
            w = reading.widget
            pending.add(w.question)
            image = crop(
                page.image.pixels, alignment.transform, w, reading.offset, rect=review_rect(reading)
            )
            review.append(
                ReviewItem(
                    w.question,
                    "uncertain_mark",
                    field=name,
                    option=w.on,
                    marked=marks.firm.get(name, []),
                    # what the reader saw, as a code and in words
                    seen=reading.seen,
                    note=reading.note,
                    page=number,
                    file_page=page.image.index,
                    confidence=reading.confidence,
                    ink=round(reading.ink, 3),
                    image=_save_crop(image, folder, f"{name}-{w.on}"),
                )
            )
        for name, cancelled in marks.corrected:
            problems.append(
                Problem(
                    layout_page_question(layout_page, name),
                    "corrected_mark",
                    "warning",
                    msg("scan.corrected", boxes=", ".join(cancelled), name=name),
                )
            )
        for w in marks.written:
            image = crop(page.image.pixels, alignment.transform, w)
            if w.comb:  # digits in cells: a suggestion, shown to a person, never the answer
                pending.add(w.question)
                review.append(
                    ReviewItem(
                        w.question,
                        "handwriting",
                        field=w.field,
                        page=number,
                        file_page=page.image.index,
                        image=_save_crop(image, folder, w.field),
                        **_suggestion(form, layout.language, page, alignment, ink, w, today),
                    )
                )
                continue
            text = ocr.recognise(image, form.question(w.question), layout.language)
            item = ReviewItem(
                w.question,
                "handwriting",
                field=w.field,
                page=number,
                file_page=page.image.index,
                image=_save_crop(image, folder, w.field),
            )
            if text is not None:
                fields[w.field] = text
                item.reason = "ocr"
                item.text = text
            else:
                pending.add(w.question)
            review.append(item)
        for w, ink in marks.unsure_text:
            pending.add(w.question)
            review.append(
                ReviewItem(
                    w.question,
                    "faint_writing",
                    field=w.field,
                    page=number,
                    file_page=page.image.index,
                    confidence=round(min(1.0, ink), 3),
                    image=_save_crop(
                        crop(page.image.pixels, alignment.transform, w), folder, w.field
                    ),
                )
            )
    answers, more = respond(
        form, fields, layout.language, today=today, multiple=multiple, pending=pending
    )
    return Response(
        form=form,
        form_id=form.id,
        version=form.version,
        language=layout.language,
        serial=group.ident.serial,
        source={
            "file": str(path),
            "sha256": sha,
            "kind": "scan",
            "pages": len(group.pages),
            "file_pages": sorted(p.image.index for p in group.pages.values()),
            # pages of the file that could not be read and may be its missing pages
            "unread_file_pages": sorted(group.unread),
            # per page of the form: how far the marks lie from where the fit puts them
            "residual_mm": {
                str(n): reports[p.image.index].residual_mm for n, p in sorted(group.pages.items())
            },
        },
        answers=answers,
        problems=problems + more,
        review=review,
    )


# The problems of the question's own check (parse/interpret.py) that a comb's
# suggestion may fail: it is then shown as failing, not pre-filled as if good.
SUGGESTION_CHECKS = ("invalid_date", "invalid_number", "invalid_personnummer", "out_of_range")


def _suggestion(form, language, page, alignment, ink, w, today) -> dict:
    """The recogniser's reading of a comb's cells, for a person to confirm: the
    suggestion, each cell, and why it is not pre-filled when it is not."""
    q = form.question(w.question)
    read = digits.read_comb(
        page.image.pixels, alignment.transform, ink, w, fixed=q.type != "number"
    )
    problem = None
    if not read.sure:
        places = [
            str(i)
            for i, c in enumerate(read.cells, start=1)
            if c["state"] == "uncertain"
            or (c["state"] == "written" and (c["confidence"] or 0) < digits.model().confident)
            or (c["state"] == "empty" and q.type != "number")
        ]
        problem = msg("scan.digits_unsure", cells=", ".join(places) or "–")
    else:
        # the question's own check, through the one door every value goes through
        _, problems = respond(form, {w.field: read.suggestion}, language, today=today)
        failed = [p for p in problems if p.question == q.id and p.code in SUGGESTION_CHECKS]
        if failed:
            problem = failed[0].message
    return {"suggestion": read.suggestion, "cells": read.cells, "suggestion_problem": problem}


def _whole_page(
    reason: str, number: int, page_fields: list[str], page: ScannedPage, folder: Path
) -> ReviewItem:
    """A page a person reads whole: every field on it, and the page as it was scanned."""
    return ReviewItem(
        None,
        reason,
        page=number,
        fields=page_fields,
        file_page=page.image.index,
        image=_save_crop(page.image.pixels, folder, f"page-{number}"),
    )


def _missing(number: int, layout: Layout, group: _Group) -> str:
    """What a missing_page problem says: a page not there, or there and unread."""
    total = len(layout.pages)
    # a page with nothing to fill is not missed (_read_group)
    missing = [
        n for n in range(1, total + 1) if n not in group.pages and layout.pages[n - 1].widgets
    ]
    unread = sorted(group.unread)
    if not unread:
        return msg("scan.page_missing", page=number, total=total)
    if len(unread) == 1 and len(missing) == 1:
        return msg("scan.page_unread", page=number, total=total, file_page=unread[0])
    which = ", ".join(str(n) for n in unread)
    key = "scan.page_unread_or_missing" if len(unread) == 1 else "scan.pages_unread_or_missing"
    return msg(key, page=number, total=total, file_pages=which)


_REFERENCES: dict[tuple, list[Reference]] = {}


def reference_page(form: Form, layout: Layout, number: int) -> Reference:
    """The blank form's page drawn at scan resolution (cached per form and printing)."""
    from ..generate.render import render

    key = (form.fingerprint, layout.language, layout.large_print, layout.edition)
    if key not in _REFERENCES:
        if len(_REFERENCES) > 16:
            _REFERENCES.clear()
        _REFERENCES[key] = [
            # drawn here to fill the image: the plain map, no fit
            Reference(pixels, Transform.drawn(layout.height, pixels.shape[1] / layout.width))
            for pixels in draw_pages(render(form, layout), forms=True)
        ]
    return _REFERENCES[key][number - 1]


def layout_page_question(layout_page, field_name: str) -> str | None:
    return next((w.question for w in layout_page.widgets if w.field == field_name), None)
