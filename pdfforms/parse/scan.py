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
import shutil
from dataclasses import asdict, dataclass, field, replace
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
from ..read.scan.align import (
    MAX_RESIDUAL_MM,
    align,
    confirmed,
    outline_match,
    percentile,
    recover,
    sample,
)
from ..read.scan.identify import identify_page, is_blank
from ..read.scan.ink import (
    MULTIPLE_SEEN,
    Reference,
    crop,
    page_ink,
    read_marks,
    review_rect,
)
from ..read.scan.pages import PageImage, ScannedPage, ScanPages, draw_pages
from ..read.scan.photo import identify as identify_photo
from ..read.scan.photo import rectify
from ..read.scan.serial import read_serial
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
    folder: Path = Path()  # where its pages' crops are saved as they are read
    read: dict[int, _PageRead] = field(default_factory=dict)  # by page number of the form


@dataclass
class _PageRead:
    """What one page of a questionnaire gave, kept once its pixels are dropped."""

    fields: dict[str, str | None] = field(default_factory=dict)
    multiple: dict[str, list[str]] = field(default_factory=dict)
    pending: set[str] = field(default_factory=set)
    review: list[ReviewItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _border_match(pixels: np.ndarray, transform: Transform, layout_page) -> float:
    """Share of the layout's box borders that are dark on the page."""
    hits = total = 0
    paper = percentile(pixels, 90) or 255.0
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
    sha = _sha256(path, data)
    library = _library(definitions)
    review_dir = review_dir or Path("review")
    reports: dict[int, PageReport] = {}
    groups: list[_Group] = []
    with ScanPages(path, data) as source:
        # One page at a time: drawn, identified, grouped and read, then its pixels
        # are dropped; only what was measured and the crops on disk remain.
        pages: list[ScannedPage] = []
        state = _Grouping()
        for image in source:
            page = ScannedPage(image)
            pages.append(page)
            try:
                group = _identify(page, path, library, reports, groups, state, review_dir)
                if group is not None:
                    _read_now(group, page, reports)
            finally:
                page.image.pixels = None
        _place_by_layout(source, pages, groups, reports)
    _unread_candidates(pages, groups, reports)
    responses = [_read_group(g, path, sha, reports, review_dir, today) for g in groups]
    return ScanResult(responses, [reports[n] for n in sorted(reports)])


def _sha256(path: Path, data: bytes | None) -> str:
    if isinstance(data, (bytes, bytearray)):
        return hashlib.sha256(data).hexdigest()
    with open(path, "rb") as fh:  # the file itself: hashed as it is read, not held
        return hashlib.file_digest(fh, "sha256").hexdigest()


# -- a scan file in parts: page ranges read apart (on many cores or machines), then
# assembled into what parse_scan gives for the whole file --------------------------

# Where a range of pages saves its crops under the file's review folder until the
# assembly knows each page's questionnaire (and which pages are read twice).
STAGING = ".pages"


@dataclass
class PageResult:
    """One page of a scan file read on its own, without its pixels (it is pickled
    from the process that read it to the one that assembles the file)."""

    report: PageReport  # as identified, before its marks were read
    identity: Identity | None = None  # a page of a form the library reads
    read: _PageRead | None = None  # what its marks gave, its crops under STAGING
    after: PageReport | None = None  # its report once read


def read_pages(
    path: str | Path,
    first: int,
    last: int,
    definitions: list[Path] | None = None,
    review_dir: Path | None = None,
) -> list[PageResult]:
    """Pages `first` to `last` - 1 (1-based; past the end: to the end) of a scan file,
    each identified and read as it would be in parse_scan: `assemble_scan` puts the
    ranges' results together. A page's questionnaire is not known here, so every
    page of a form is read (a page read twice is dropped when assembled)."""
    path = Path(path)
    library = _library(definitions)
    staging = (review_dir or Path("review")) / STAGING
    layouts: dict[tuple, Layout] = {}
    results = []
    with ScanPages(path) as source:
        for n in range(max(1, first), min(last, len(source) + 1)):
            page = ScannedPage(source.page(n))
            try:
                report, form = _look(page, path, library)
                result = PageResult(replace(report))
                results.append(result)
                if form is None:
                    continue
                ident = result.identity = page.identity
                lang = ident.language if ident.language in form.languages else form.default_language
                key = (form.id, form.version, lang, bool(ident.large_print), ident.edition)
                if key not in layouts:
                    layouts[key] = build_layout(form, lang, bool(ident.large_print), ident.edition)
                layout = layouts[key]
                if 1 <= ident.page <= len(layout.pages):
                    group = _Group(ident, form, layout, folder=staging / str(n))
                    group.pages[ident.page] = page
                    result.read = _read_page(group, ident.page, page, report)
                    result.after = report
            finally:
                page.image.pixels = None
    return results


def assemble_scan(
    path: str | Path,
    results: list[PageResult],
    definitions: list[Path] | None = None,
    review_dir: Path | None = None,
    today: datetime.date | None = None,
) -> ScanResult:
    """The questionnaires of a scan file from its pages' results (`read_pages`, every
    page once): the same ScanResult, and the same crops, as parse_scan."""
    path = Path(path)
    sha = _sha256(path, None)
    library = _library(definitions)
    review_dir = review_dir or Path("review")
    reports: dict[int, PageReport] = {}
    groups: list[_Group] = []
    pages: list[ScannedPage] = []
    state = _Grouping()
    for result in sorted(results, key=lambda r: r.report.page):
        report = result.report
        page = ScannedPage(PageImage(str(path), report.page, None), result.identity)
        pages.append(page)
        reports[report.page] = report
        if result.identity is None:
            if report.form is not None:  # as _identify: a form not read here ends a run
                state.current = None
            continue
        form = library.get(result.identity.form, result.identity.version)
        group = _join(page, form, path, groups, state, review_dir, report)
        if group is not None and result.read is not None:
            reports[report.page] = result.after
            group.read[result.identity.page] = result.read
    for group in groups:  # the crops go where parse_scan saved them as it read
        _move_crops(group, group.folder, staged=True)
    shutil.rmtree(review_dir / STAGING, ignore_errors=True)  # those of pages read twice
    with ScanPages(path) as source:
        _place_by_layout(source, pages, groups, reports)
    _unread_candidates(pages, groups, reports)
    responses = [_read_group(g, path, sha, reports, review_dir, today) for g in groups]
    return ScanResult(responses, [reports[n] for n in sorted(reports)])


@dataclass
class _Grouping:
    """Where the grouping of a file's pages stands: its serials' questionnaires, and
    the questionnaire the last identified page went to (a copy without serials
    is a run of rising page numbers)."""

    by_key: dict[tuple, _Group] = field(default_factory=dict)
    current: _Group | None = None


def _identify(
    page: ScannedPage,
    path: Path,
    library: FormLibrary,
    reports: dict[int, PageReport],
    groups: list[_Group],
    state: _Grouping,
    review_dir: Path,
) -> _Group | None:
    """Identify a page and put it in its questionnaire; the questionnaire, or None
    for a page not read as one of its pages (blank, unknown, a duplicate)."""
    report, form = _look(page, path, library)
    reports[page.image.index] = report
    if form is None:
        if report.form is not None:  # a form this library cannot read ends a run
            state.current = None
        return None
    return _join(page, form, path, groups, state, review_dir, report)


def _look(page: ScannedPage, path: Path, library: FormLibrary) -> tuple[PageReport, Form | None]:
    """What a page's pixels say it is: its report, and its form when it is a page of a
    form this library reads (its identity is then on the page)."""
    ident = identify_page(page.image)
    if ident is None and not is_blank(page.image.pixels):
        ident = identify_photo(page.image)  # a phone's photo: its code read upright
    report = PageReport(str(path), page.image.index, "unidentified")
    if ident is None:
        # A blank back or an unreadable page does not end a run of pages:
        # pages 1, ?, 3 of a copy without serials are one questionnaire.
        if is_blank(page.image.pixels):
            report.status = "blank"
            report.note = msg("scan.blank")
        else:
            report.note = msg("scan.no_qr")
        return report, None
    form = library.get(ident.form, ident.version)
    report.form, report.serial, report.form_page = ident.form, ident.serial, ident.page
    if form is None:
        report.note = msg("scan.unknown_form", form=ident.form, version=ident.version)
        return report, None
    try:
        layout_edition(ident.edition)
    except ValueError as exc:  # printed by a newer pdfforms
        report.note = msg("scan.form_edition", form=ident.form, reason=exc)
        return report, None
    page.identity = ident
    return report, form


def _join(
    page: ScannedPage,
    form: Form,
    path: Path,
    groups: list[_Group],
    state: _Grouping,
    review_dir: Path,
    report: PageReport,
) -> _Group | None:
    """Put an identified page in its questionnaire (None: a page read before)."""
    ident = page.identity
    lang = ident.language if ident.language in form.languages else form.default_language
    current = state.current
    if ident.serial:
        key = (form.id, form.version, lang, ident.serial)
        group = state.by_key.get(key)
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
        # the crops' folder is named as _read_group names it; a copy without
        # serials by its first page so far (a page placed later may come before)
        folder = review_dir / (ident.serial or f"{path.stem}-p{page.image.index}")
        group = _Group(ident, form, layout, folder=folder)
        groups.append(group)
        if key is not None:
            state.by_key[key] = group
    state.current = group
    if ident.page in group.pages:
        report.status = "duplicate"
        report.note = msg("scan.page_read_before", page=ident.page)
        return None
    group.pages[ident.page] = page
    return group


def _read_now(group: _Group, page: ScannedPage, reports: dict[int, PageReport]) -> None:
    """Read a page of a questionnaire while its pixels are at hand (a page number
    the form does not have is kept in the group, and read as nothing)."""
    number = next(n for n, p in group.pages.items() if p is page)
    if 1 <= number <= len(group.layout.pages):
        group.read[number] = _read_page(group, number, page, reports[page.image.index])


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
    source: ScanPages,
    pages: list[ScannedPage],
    groups: list[_Group],
    reports: dict[int, PageReport],
) -> None:
    """Put pages whose QR code could not be read where they clearly belong, and read
    them there. Their pixels were dropped: each is drawn again, one at a time."""
    for page in pages:
        report = reports[page.image.index]
        if report.status != "unidentified" or page.identity is not None or report.form:
            continue
        if not any(n not in g.pages for g in groups for n in range(1, len(g.layout.pages) + 1)):
            continue  # no questionnaire lacks a page: nothing to compare with
        page.image = source.page(page.image.index)
        try:
            _place(page, groups, report)
        finally:
            page.image.pixels = None


def _place(page: ScannedPage, groups: list[_Group], report: PageReport) -> None:
    if _place_by_serial(page, groups, report) is not None:
        return  # its printed serial placed it, or says it is none of the missing pages
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
                        turns,  # not the pixels: a page is 4 MB, and there may be many
                    )
                )
    scores.sort(key=lambda s: -s[0])
    if not scores or scores[0][0] < LAYOUT_MATCH:
        return
    if len(scores) > 1 and scores[1][0] > scores[0][0] - 0.15:
        report.note = msg("scan.ambiguous_page")
        return
    score, group, number, turns = scores[0]
    page.image.pixels = np.ascontiguousarray(np.rot90(page.image.pixels, turns))
    page.identity = group.ident
    group.pages[number] = page
    group.placed.add(number)
    report.status = "placed_by_layout"
    report.form, report.serial, report.form_page = group.form.id, group.ident.serial, number
    report.note = msg("scan.placed", page=number, score=f"{score:.0%}")
    group.read[number] = _read_page(group, number, page, report)


def _place_by_serial(page: ScannedPage, groups: list[_Group], report: PageReport) -> bool | None:
    """Put a page whose codes are gone into its questionnaire by the serial and page
    number printed as digits up its margin (layout edition 6 on), and read it there
    as a page identified by its code is read. Only when the digits are each clearly
    one digit and their check digits hold (read/scan/serial.py), a questionnaire of
    this file has that serial and lacks that page, and the page's boxes lie where
    that page has them (LAYOUT_MATCH): a misread never puts a page elsewhere.

    True: placed. False: its digits name a page that is not one this file lacks (or
    whose boxes do not match): it stays unidentified, and is not placed by its layout
    either. None: no digits read (none printed, or not clearly): the layout decides.
    """
    printed = [g for g in groups if g.ident.serial and g.layout.pages[0].serial_line is not None]
    if not printed:
        return None
    any_page = printed[0].layout  # the marks and the line lie alike on every such page
    for turns in (0, 2):  # the page may also lie upside down
        pixels = np.ascontiguousarray(np.rot90(page.image.pixels, turns))
        found = read_serial(pixels, any_page.pages[0], any_page)
        if found is None:
            continue
        (serial, number), fitted, alignment = found
        group = next((g for g in printed if g.ident.serial == serial), None)
        layout_page = (
            group.layout.pages[number - 1]
            if group is not None
            and number not in group.pages
            and 1 <= number <= len(group.layout.pages)
            else None
        )
        score = (
            _border_match(fitted, alignment.transform, layout_page)
            if layout_page is not None and layout_page.widgets
            else 0.0
        )
        # and its boxes' sides are lines on paper, not the edge of a spill that
        # darkens borders and all (outline_match: darker than either side)
        if score >= LAYOUT_MATCH:
            score = min(score, outline_match(fitted, alignment.transform, layout_page))
        if score < LAYOUT_MATCH:  # not a page this file lacks, or not like it
            key = (
                "scan.printed_serial_other" if layout_page is None else "scan.printed_serial_unlike"
            )
            report.note = msg(key, serial=serial, page=number)
            return False
        page.image.pixels = pixels
        page.identity = replace(group.ident, page=number, found_in="printed serial")
        group.pages[number] = page
        report.form, report.serial, report.form_page = group.form.id, serial, number
        report.note = msg("scan.printed_serial", page=number, score=f"{score:.0%}")
        group.read[number] = _read_page(group, number, page, report)
        return True
    return None


def _save_crop(pixels: np.ndarray, folder: Path, name: str) -> str:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.png"
    # zlib's fastest level: the same pixels, 4–7× faster than Pillow's default (6)
    # for files about 15 % larger (a whole synthetic scanned page: 172 ms against
    # 733 ms; a text box's crop: 7.5 ms against 50 ms)
    Image.fromarray(pixels).save(target, compress_level=1)
    return str(target)


def _read_group(
    group: _Group,
    path: Path,
    sha: str,
    reports: dict[int, PageReport],
    review_dir: Path,
    today: datetime.date | None,
) -> Response:
    """A questionnaire's response from what its pages gave as each was read."""
    form, layout = group.form, group.layout
    label = group.ident.serial or f"{path.stem}-p{min(p.image.index for p in group.pages.values())}"
    _move_crops(group, review_dir / label)
    fields: dict[str, str | None] = {w.field: None for w in layout.widgets()}
    multiple: dict[str, list[str]] = {}
    pending: set[str] = set()
    review: list[ReviewItem] = []
    problems: list[Problem] = []
    for number, layout_page in enumerate(layout.pages, start=1):
        page = group.pages.get(number)
        questions = {w.question for w in layout_page.widgets}
        if page is None and not layout_page.widgets:
            # A page with nothing to fill (the end of a data-protection text, say)
            # loses no answer when it is not returned: a respondent may keep it.
            continue
        if page is None:
            pending |= questions
            problems.append(Problem(None, "missing_page", "error", _missing(number, layout, group)))
            continue
        read = group.read[number]
        fields.update(read.fields)
        multiple.update(read.multiple)
        pending |= read.pending
        review += read.review
        problems += read.problems
    for item in review:  # a comb's suggestion against the question's own check
        if item.suggestion is not None and item.suggestion_problem is None:
            item.suggestion_problem = _suggestion_check(form, layout.language, item, today)
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


def _suggestion(form, page, alignment, ink, w) -> dict:
    """The recogniser's reading of a comb's cells, for a person to confirm: the
    suggestion, each cell, and why it is not pre-filled when a digit is unsure (the
    question's own check comes when the whole questionnaire is read:
    `_suggestion_check`)."""
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
    return {"suggestion": read.suggestion, "cells": read.cells, "suggestion_problem": problem}


def _suggestion_check(form, language, item, today) -> str | None:
    """Why a sure suggestion fails the question's own check (None: it passes), through
    the one door every value goes through."""
    q = form.question(item.question)
    _, problems = respond(form, {item.field: item.suggestion}, language, today=today)
    failed = [p for p in problems if p.question == q.id and p.code in SUGGESTION_CHECKS]
    return failed[0].message if failed else None


def _move_crops(group: _Group, folder: Path, staged: bool = False) -> None:
    """Crops saved before a copy without serials got a page that comes before its
    first (placed by its layout) go where its name now says; `staged`: crops a range
    of pages saved apart (read_pages) go to the questionnaire's folder."""
    if folder == group.folder and not staged:
        return
    for read in group.read.values():
        for item in read.review:
            if item.image and Path(item.image).parent != folder:
                source = Path(item.image)
                folder.mkdir(parents=True, exist_ok=True)
                target = folder / source.name
                shutil.move(source, target)
                item.image = str(target)
    if group.folder.is_dir() and not any(group.folder.iterdir()):
        group.folder.rmdir()
    group.folder = folder


def _read_page(group: _Group, number: int, page: ScannedPage, report: PageReport) -> _PageRead:
    """Align a page of a questionnaire, read its marks, and save the crops a person
    needs; what it gave is kept, its pixels are not."""
    form, layout, folder = group.form, group.layout, group.folder
    layout_page = layout.pages[number - 1]
    out = _PageRead()
    questions = {w.question for w in layout_page.widgets}
    # the fields of the page in printed order: what a person fills in if it is unread
    page_fields = list(dict.fromkeys(w.field for w in layout_page.widgets))
    if report.status == "unidentified":
        report.status = "read"
    if number in group.placed:
        out.review.append(_whole_page("page_placed_by_layout", number, page_fields, page, folder))
    alignment = align(page.image.pixels, layout_page, layout)
    aligned = confirmed(alignment, page.image.pixels, layout_page)
    if not aligned:
        # a mark cut off or blotted: three marks, confirmed by the box outlines
        found = recover(page.image.pixels, layout_page, layout)
        if found is None:
            # a phone's photo: the marks anywhere in the frame, a perspective fit
            # confirmed by the box outlines, the page drawn upright through it
            upright = rectify(page.image.pixels, layout_page, layout)
            if upright is not None and upright.alignment.residual_mm <= MAX_RESIDUAL_MM:
                page.image.pixels, found = upright.pixels, upright.alignment
        if found is not None:
            alignment, aligned = found, True
    if alignment is not None:
        report.residual_mm = round(float(alignment.residual_mm), 3)
    if not aligned:
        report.status = "unaligned"
        report.note = (
            msg("scan.no_corners")
            if alignment is None
            else msg("scan.corners_off", mm=f"{alignment.residual_mm:.1f}")
            if alignment.residual_mm > MAX_RESIDUAL_MM
            else msg("scan.outlines_off")
        )
        out.pending |= questions
        out.review.append(_whole_page("alignment", number, page_fields, page, folder))
        return out
    reference = reference_page(form, layout, number)
    ink = page_ink(page.image.pixels, alignment.transform, reference, layout)
    if ink.poor:
        report.status = "poor_scan"
        report.note = msg("scan.poor", floor=f"{ink.floor:.3f}")
        out.pending |= questions
        out.review.append(_whole_page("poor_scan", number, page_fields, page, folder))
        return out
    marks = read_marks(ink, layout_page)
    out.fields.update(marks.fields)
    out.multiple.update(marks.multiple)
    uncertain = [
        # what the reader saw, as a code and in words, and what it leans to
        (
            name,
            r,
            dict(
                marked=marks.firm.get(name, []), seen=r.seen, note=r.note, confidence=r.confidence
            ),
        )
        for name, r in marks.uncertain
    ] + [
        # a one-answer question marked more than once: its `multiple_marks` problem
        # stands, and each mark is shown, none of them put forward as the answer
        (name, r, dict(seen=MULTIPLE_SEEN, note=msg(f"ink.{MULTIPLE_SEEN}")))
        for name, r in marks.twice
    ]
    for name, reading, said in uncertain:
        w = reading.widget
        out.pending.add(w.question)
        image = crop(
            page.image.pixels, alignment.transform, w, reading.offset, rect=review_rect(reading)
        )
        out.review.append(
            ReviewItem(
                w.question,
                "uncertain_mark",
                field=name,
                option=w.on,
                page=number,
                file_page=page.image.index,
                ink=round(reading.ink, 3),
                image=_save_crop(image, folder, f"{name}-{w.on}"),
                **said,
            )
        )
    for name, cancelled in marks.corrected:
        out.problems.append(
            Problem(
                layout_page_question(layout_page, name),
                "corrected_mark",
                "warning",
                msg("scan.corrected", boxes=", ".join(cancelled), name=name),
            )
        )
    for w in marks.written:
        image = crop(page.image.pixels, alignment.transform, w)
        item = ReviewItem(
            w.question,
            "handwriting",
            field=w.field,
            page=number,
            file_page=page.image.index,
            image=_save_crop(image, folder, w.field),
            # digits in comb cells: the recogniser's suggestion, shown to a person,
            # never the answer
            **(_suggestion(form, page, alignment, ink, w) if w.comb else {}),
        )
        text = None if w.comb else ocr.recognise(image, form.question(w.question), layout.language)
        if text is not None:
            out.fields[w.field] = text
            item.reason = "ocr"
            item.text = text
        else:
            out.pending.add(w.question)
        out.review.append(item)
    for w, ink_seen in marks.unsure_text:
        out.pending.add(w.question)
        out.review.append(
            ReviewItem(
                w.question,
                "faint_writing",
                field=w.field,
                page=number,
                file_page=page.image.index,
                confidence=round(min(1.0, ink_seen), 3),
                image=_save_crop(crop(page.image.pixels, alignment.transform, w), folder, w.field),
            )
        )
    return out


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
            for pixels in draw_pages(render(form, layout, scripts=False), forms=True)
        ]
    return _REFERENCES[key][number - 1]


def layout_page_question(layout_page, field_name: str) -> str | None:
    return next((w.question for w in layout_page.widgets if w.field == field_name), None)
