"""Print runs: many traceable copies of a form in one print-ready PDF, plus a ledger.

Every copy gets its own serial, in the QR code and small print of each page, so
a returned paper form says which copy it is. Copies may be pre-filled (the
unit's name, a date) and preceded by a personal cover letter. Each copy starts
on a front side when printed double-sided: a blank page pads an odd count, and
a letter has an empty back, so its form is a sheet of its own.

Speed: the form is drawn once per language (reportlab, ~80 ms), each page's
content stream is shared by every copy, and a copy is then only its small overlay
(QR code, small print, pre-filled values) and its structure elements (the copy's
own tags, generate/tags.py's CopyTree) streamed to the file, so a run costs far
less than drawing every copy and memory stays flat however long it is.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import string
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from .. import __version__
from ..model import fonts, printable
from ..model.definition import DefinitionError, logo_path, logo_problem, placeholder_problem
from ..model.errors import PdfformsError
from ..model.form import Form, Letter, tr
from ..model.identity import (
    INFO_FORM,
    INFO_SERIAL,
    INFO_UNIT,
    INFO_VERSION,
    clean_unit,
    keywords_line,
)
from ..model.layout import (
    MARGIN_X,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Layout,
    Widget,
    build_layout,
    edition,
    wrap,
)
from ..model.messages import text as msg
from ..model.privacy import personal
from ..model.serials import new_serials
from .fields import answers_to_fields
from .fill import fill_fields
from .letter import (
    ADDRESS_COLUMNS,
    ADDRESS_REQUIRED,
    BODY_BOTTOM,
    BODY_TOP,
    NAME_COLUMN,
    SUBJECT_BASELINE,
    Head,
    address_lines,
    address_problem,
    form_logo_box,
    head_for,
    head_ops,
)
from .overlay import (
    OVERLAY_FONT,
    VALUE_FONT,
    VALUE_FONT_RTL,
    composite_metrics,
    cross_ops,
    font_metrics,
    measure_font,
    overlay_ops,
    pdf_text,
    qr_mask,
    stamp_pages,
    text_ops,
)
from .pdfstream import StreamWriter, pdf_string
from .render import render
from .respondents import RespondentsError, read_respondents, unit_problem
from .tags import CopyTree, artifact_ops, utf16_hex, xmp_packet

# the cover letters' headings: the overlay font's bold, embedded (the key kept, as
# OVERLAY_FONT's)
BOLD_FONT = "/PfHelvB"
# The ledger: serial → CSV line, form, version, language, date, the unit the copy was
# printed for; no personal data. A returned copy whose unit cannot be read (a scan) is
# assigned its unit here, by its serial.
LEDGER_COLUMNS = [
    "serial",
    "csv_line",
    "form",
    "version",
    "language",
    "large_print",
    "generated",
    "pages",
    "file",
    "unit",
]
BLANK_PAGE_TEXT = {"sv": "Sidan är avsiktligt tom.", "en": "This page is intentionally blank."}


@dataclass
class Copy:
    """One copy of a run: who it is for (a CSV line, if any) and what is pre-filled."""

    serial: str
    language: str
    answers: dict = field(default_factory=dict)
    cover: dict[str, str] = field(default_factory=dict)
    row: int | None = None
    unit: str | None = None  # the care unit it is for: printed on it, in the ledger
    kept: dict[str, str] = field(default_factory=dict)  # respondents' columns for the ledger
    # the recipient's name and postal address for the letter's window (generate/letter.py);
    # personal data: printed on the letter only, never in the ledger or the copy
    address: list[str] = field(default_factory=list)


class Letters(dict):
    """Each language's cover letter (language → text), as plan_run chose them. With
    the definition's letter in use, `head` is it: every letter of the run gets its
    head (logo, sender, date, the recipient's address), and the languages in
    `subjects` (whose text is the definition's) its subject."""

    def __init__(
        self,
        texts=(),
        head: Letter | None = None,
        subjects=(),
        date: datetime.date | None = None,
    ):
        super().__init__(texts)
        self.head = head
        self.subjects = set(subjects)
        self.date = date  # the run's --letter-date, before the definition's and today


@dataclass
class RunResult:
    output: Path
    ledger: Path
    copies: int
    pages: int
    split_dir: Path | None = None


class PrintRunError(PdfformsError, ValueError):
    """The run cannot be printed as asked: `faults` says what, line by line (the cover
    letter's lines, the respondents CSV's, each copy's; none when one thing is wrong),
    and `summary` sums it up in one line that names the file."""

    def __init__(self, faults: list[str], summary: str | None = None):
        self.faults = list(faults)
        self.summary = summary or msg("run.faults", n=len(self.faults))
        super().__init__("\n".join(self.faults) or self.summary)


# --------------------------------------------------------------------------- the run asked for


def cover_option(spec: str, languages: list[str]) -> tuple[str | None, Path]:
    """`--cover [LANG=]FILE` → (the letter's language, or None: every language without
    a letter of its own; the file). The prefix names a language only when the form has
    it, so a file named `a=b.txt` stays a file name."""
    prefix, sep, rest = spec.partition("=")
    return (prefix, Path(rest)) if sep and prefix in languages else (None, Path(spec))


def plan_run(
    form: Form,
    lang: str,
    *,
    copies: int | None = None,
    respondents: Path | None = None,
    covers: Iterable[tuple[str | None, Path]] = (),
    today: datetime.date | None = None,
    unit: str | None = None,
    ledger_columns: Iterable[str] = (),
    letter: bool = True,
    letter_date: datetime.date | None = None,
) -> tuple[list[Copy], dict[str, str] | None]:
    """The copies a run is asked for, and the cover letter of each copy's language.

    Either `copies` (that many blank copies in `lang`) or `respondents` (a CSV: one
    copy per row, pre-filled, each in its row's language, `lang` for rows without
    one). `covers` are the letters as (language or None, file): None serves every
    language without a letter of its own. Each copy gets a new serial.

    `unit`: the care unit of every copy whose row gives none. `ledger_columns`:
    columns of the respondents CSV kept in the ledger beside each serial (a team, a
    clinic), so a report can group by them; a column of personal data is refused.

    The definition's letter (`letter:`) is printed in a run with `respondents`
    (unless `letter` is False): a run by a list of people is a mailing, and a run of
    blank copies has no one to write to. A letter file replaces its text for its
    language, a file without a language for every language; the head (logo, sender,
    date, and the address from the CSV's columns namn, c/o, adress, postnummer, ort
    when it has them) stays the definition's. The letters are then a `Letters`.
    `letter_date`: the letters' date, before the definition's `date` and the run's.

    Raises PrintRunError before anything is written: every fault of the letters and
    the CSV together, or the one thing that makes the run impossible (a letter's
    placeholder the CSV has no column for, a language without a letter).
    """
    ledger_columns = list(dict.fromkeys(ledger_columns))
    for column in ledger_columns:
        if personal(column):
            raise PrintRunError([], msg("run.ledger_personal", column=column))
        if column in LEDGER_COLUMNS:
            raise PrintRunError([], msg("run.ledger_has", column=column))
    if ledger_columns and respondents is None:
        raise PrintRunError([], msg("run.ledger_needs_csv"))
    if bool(copies) == bool(respondents):
        raise PrintRunError([], msg("run.copies_or_respondents"))
    letters: dict[str | None, tuple[Path, str]] = {}  # language (None: the rest) → letter
    bad_cover: list[str] = []  # listed with the CSV's faults, so one run shows them all
    for key, path in covers:
        if key in letters:
            raise PrintRunError(
                [],
                msg(
                    "run.second_letter",
                    path=path,
                    lang=repr(key) if key else msg("run.every_language"),
                ),
            )
        if key is not None and key not in form.languages:
            raise PrintRunError(
                [],
                msg(
                    "run.letter_language", path=path, lang=key, languages=", ".join(form.languages)
                ),
            )
        try:
            letters[key] = (path, path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise PrintRunError([], msg("run.cannot_read_letter", path=path, reason=exc)) from None
        problem = placeholder_problem(letters[key][1])
        if problem is not None:
            raise PrintRunError([], msg("run.letter_placeholder", path=path, problem=problem))
        bad_cover += cover_faults(letters[key][1], str(path))
    head = form.letter if letter and respondents is not None else None
    if letter_date is not None and head is None:
        raise PrintRunError([], msg("run.letter_date_unused"))
    from_definition: set[str] = set()
    if head is not None and None not in letters:
        for language, text in head.text.items():
            if language not in letters:
                where = Path(msg("run.definition_letter", path=form.source, lang=language))
                letters[language] = (where, text)
                from_definition.add(language)
    placeholders = set().union(*(cover_fields(text) for _, text in letters.values()))
    placeholders |= set(ledger_columns)
    if head is not None:
        placeholders |= set(ADDRESS_COLUMNS)
    if unit is not None:
        problem = unit_problem(unit) if clean_unit(unit) else msg("run.unit_empty")
        if problem:
            raise PrintRunError([], msg("run.bad_unit", problem=problem))
        unit = clean_unit(unit)
    if respondents is not None:
        respondents = Path(respondents)
        try:
            people = read_respondents(respondents, form, lang, placeholders, today)
        except RespondentsError as exc:
            raise PrintRunError(
                bad_cover + exc.faults,
                msg("run.file_faults", path=respondents, n=len(exc.faults)),
            ) from None
        except OSError as exc:
            raise PrintRunError(
                bad_cover, msg("cli.cannot_read", path=respondents, reason=exc.strerror or exc)
            ) from None
    if bad_cover:
        raise PrintRunError(bad_cover, msg("run.letter_faults", n=len(bad_cover)))
    if respondents is not None:
        columns = set().union(*(p.cover for p in people))
        for column in ledger_columns:
            if column not in columns:
                raise PrintRunError(
                    [], msg("run.ledger_no_column", column=column, path=respondents)
                )
        for path, text in letters.values():
            missing = cover_fields(text) - columns
            if missing:
                raise PrintRunError(
                    [],
                    msg(
                        "run.letter_columns",
                        path=path,
                        fields=", ".join(sorted(missing)),
                        respondents=respondents,
                    ),
                )
        addresses = _addresses(people, columns, respondents) if head is not None else {}
        serials = new_serials(len(people))
        run = [
            Copy(
                s,
                p.language,
                p.answers,
                p.cover,
                p.row,
                p.unit or unit,
                {c: " ".join(p.cover.get(c, "").split()) for c in ledger_columns},
                addresses.get(p.row, []),
            )
            for s, p in zip(serials, people, strict=True)
        ]
    else:
        for path, text in letters.values():
            if cover_fields(text):
                raise PrintRunError(
                    [],
                    msg(
                        "run.placeholders", path=path, fields=", ".join(sorted(cover_fields(text)))
                    ),
                )
        run = [Copy(s, lang, unit=unit) for s in new_serials(copies)]
    letter_of: dict[str, str] = {}  # each copy's language → its letter
    for language in dict.fromkeys(c.language for c in run):
        chosen = letters.get(language, letters.get(None))
        if chosen is not None:
            letter_of[language] = chosen[1]
        elif letters:
            count = sum(c.language == language for c in run)
            key = "run.no_letter_in_definition" if head is not None else "run.no_letter"
            raise PrintRunError([], msg(key, n=count, lang=language))
    if head is not None and letter_of:
        return run, Letters(letter_of, head, from_definition & set(letter_of), letter_date)
    return run, letter_of or None


def _addresses(people, columns: set[str], respondents: Path) -> dict[int, list[str]]:
    """Each respondent's address block (by CSV line) when the CSV has address columns:
    every part the block needs must be there, and fit the envelope's window."""
    given = [c for c in ADDRESS_COLUMNS if c in columns]
    if not set(given) - {NAME_COLUMN}:  # a name alone is for the greeting ({namn})
        return {}  # letters without the block: a run handed out, or posted otherwise
    lacking = [c for c in ADDRESS_REQUIRED if c not in columns]
    if lacking:
        raise PrintRunError(
            [],
            msg(
                "run.address_columns",
                path=respondents,
                given=", ".join(given),
                lacking=", ".join(lacking),
            ),
        )
    faults: list[str] = []
    out: dict[int, list[str]] = {}
    for p in people:
        where = f"{respondents}:{p.row}"
        empty = [c for c in ADDRESS_REQUIRED if not p.cover.get(c, "").strip()]
        for column in empty:
            faults.append(msg("run.address_empty", where=where, column=column))
        lines = address_lines(p.cover)
        too_wide = address_problem(lines)
        if too_wide is not None:
            faults.append(msg("run.address_wide", where=where, line=repr(too_wide)))
        out[p.row] = lines
    if faults:
        raise PrintRunError(faults, msg("run.file_faults", path=respondents, n=len(faults)))
    return out


def cover_fields(template: str) -> set[str]:
    """The placeholders a cover template uses: `{namn}` → namn."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def cover_faults(template: str, name: str) -> list[str]:
    """`name:line: …` for each line of a cover letter that cannot be printed."""
    faults = []
    for number, line in enumerate(template.splitlines(), start=1):
        reason = printable.problem(line)
        if reason is not None:
            faults.append(msg("run.letter_line", where=f"{name}:{number}", reason=reason))
    return faults


def _letter(cover: str | Mapping[str, str] | None, language: str) -> str | None:
    """The cover letter of a copy in `language`: the one letter, or that language's."""
    return cover.get(language) if isinstance(cover, Mapping) else cover


def _cover_run_faults(cover: str | Mapping[str, str] | None, copies: list[Copy]) -> list[str]:
    """The letters' own faults, and copies whose language has no letter among several."""
    if cover is None:
        return []
    if not isinstance(cover, Mapping):
        return cover_faults(cover, msg("run.cover_letter"))
    faults = []
    for lang, text in cover.items():
        faults += cover_faults(text, msg("run.cover_letter_in", lang=lang))
    lacking: dict[str, list[str]] = {}
    for c in copies:
        if c.language not in cover:
            lacking.setdefault(c.language, []).append(str(c.row or c.serial))
    for lang, who in lacking.items():
        shown = ", ".join(who[:10]) + (" …" if len(who) > 10 else "")
        faults.append(msg("run.letter_missing", lang=lang, n=len(who), shown=shown))
    return faults


def _copy_faults(
    form: Form, copy: Copy, cover: str | None, head: Head | None = None, large: bool = False
) -> list[str]:
    """What in one copy cannot be printed: its answers, its cover letter's values, and a
    letter under the definition's head that runs off its page."""
    where = msg("run.copy", serial=copy.serial) + (
        msg("run.line", row=copy.row) if copy.row else ""
    )
    faults = []
    values = answers_to_fields(form, copy.answers, copy.language)  # AnswerError: not an answer
    for field_name, value in values.items():
        reason = printable.value_problem(value) if isinstance(value, str) else None
        if reason is not None:
            faults.append(
                msg("run.field", where=where, field=field_name, value=repr(value), reason=reason)
            )
    for key in sorted(cover_fields(cover)) if cover is not None else []:
        reason = printable.problem(str(copy.cover.get(key, "")))
        if reason is not None:
            faults.append(
                msg(
                    "run.letter_value",
                    where=where,
                    key=key,
                    value=repr(copy.cover[key]),
                    reason=reason,
                )
            )
    if head is not None and cover is not None and not faults:
        *_, lowest = _cover_layout(cover, copy.cover, large, head)
        if lowest < BODY_BOTTOM:
            faults.append(msg("run.letter_too_long", where=where))
    return faults


def _heads(cover, copies: list[Copy], today: datetime.date) -> dict[str, Head] | None:
    """Each copy's letter head (by serial), when the run prints the definition's letter."""
    letter = getattr(cover, "head", None)
    if letter is None:
        return None
    return {
        c.serial: head_for(
            letter,
            c.language,
            cover.date or letter.date or today,
            c.address,
            c.language in cover.subjects,
        )
        for c in copies
        if c.language in cover
    }


def _atomic_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


def _text_ops(text: str, x: float, y: float, font: str, size: float) -> bytes:
    return b"BT %s %.1f Tf %.2f %.2f Td (%s) Tj ET" % (font.encode(), size, x, y, pdf_text(text))


def _cover_ops(
    template: str,
    values: dict[str, str],
    large: bool,
    head: Head | None = None,
) -> tuple[bytes, list[tuple]]:
    """A cover letter: `# ` lines are headings, blank lines end paragraphs; with a
    `head` (the definition's letter) its logo, sender, date and address above, and its
    subject as the first heading.

    Also its structure: (H1 or P, the MCIDs of its lines[, attributes]) for each part,
    heading and paragraph, in reading order (generate/tags.py's CopyTree writes them).
    """
    ops, items, _bottom = _cover_layout(template, values, large, head)
    return ops, items


def _cover_layout(
    template: str, values: dict[str, str], large: bool, head: Head | None
) -> tuple[bytes, list[tuple], float]:
    """_cover_ops, and the baseline of the letter's last line (to find a letter that
    runs off its page)."""
    text = template.format_map({k: v for k, v in values.items()})
    body, heading = (14.0, 20.0) if large else (12.0, 17.0)
    width = PAGE_WIDTH - 2 * MARGIN_X
    y = PAGE_HEIGHT - 90
    ops = [b"0 g"]
    items: list[tuple] = []
    mcid = 0
    if head is not None:
        head_part, items = head_ops(head, BOLD_FONT, large)
        ops += head_part
        mcid = sum(len(item[1]) for item in items)
        items.append(("", []))  # the text's paragraphs are elements of their own
        y = SUBJECT_BASELINE
        if head.subject:
            text = f"# {head.subject}\n\n{text}"
        else:
            y = BODY_TOP
    lowest = y

    def line_ops(kind: str, part: str, font: str, size: float) -> None:
        nonlocal mcid, lowest
        if not items or items[-1][0] != kind or kind == "H1" or len(items[-1]) > 2:
            items.append((kind, []))
        items[-1][1].append(mcid)
        ops.append(b"/%s <</MCID %d>> BDC" % (kind.encode(), mcid))
        ops.append(_text_ops(part, MARGIN_X, y, font, size) + b" EMC")
        lowest = y
        mcid += 1

    for paragraph in text.split("\n\n"):
        lines = paragraph.strip("\n").split("\n")
        for line in lines:
            if line.startswith("# "):
                line_ops("H1", line[2:].strip(), BOLD_FONT, heading)
                y -= heading * 1.5
                continue
            for part in wrap(line, measure_font(), body, width):
                line_ops("P", part, OVERLAY_FONT, body)
                y -= body * 1.35
        if items and items[-1][0] == "P":
            items.append(("", []))  # a paragraph ends here
        y -= body * 0.8
    return b"\n".join(ops), [item for item in items if item[1]], lowest


def _value_ops(
    layout: Layout, page_no: int, values: dict, first_mcid: int = 0
) -> tuple[bytes, list[Widget]]:
    """Pre-filled values drawn onto a page (the print file has no fields), and the
    widgets drawn: each value is the marked content of its field's Form element,
    numbered from `first_mcid` (after the template page's own)."""
    ops = []
    drawn: list[Widget] = []
    for w in layout.pages[page_no - 1].widgets:
        value = values.get(w.field)
        if value in (None, False, ""):
            continue
        if w.kind in ("checkbox", "radio"):
            if (w.kind == "checkbox" and value is True) or (w.kind == "radio" and value == w.on):
                ops.append(b"/Form <</MCID %d>> BDC" % (first_mcid + len(drawn)))
                ops.append(b"q 1 0 0 1 %.2f %.2f cm %s Q EMC" % (w.x, w.y, cross_ops(w.w, w.h)))
                drawn.append(w)
            continue
        text = str(value)
        if w.kind == "choice":
            text = next((label for label, export in w.options if export == text), text)
        # a comb's characters stand apart, one a cell: what is said is the value whole
        said = b" /ActualText <%s>" % utf16_hex(text).encode() if w.comb else b""
        ops.append(b"/Form <</MCID %d%s>> BDC" % (first_mcid + len(drawn), said))
        ops.append(
            b"q 1 0 0 1 %.2f %.2f cm\n%s\nQ EMC"
            % (
                w.x,
                w.y,
                # a comb's value one character a cell, as a viewer draws it
                text_ops(
                    text,
                    w.w,
                    w.h,
                    w.font_size,
                    w.multiline,
                    False,
                    comb=len(w.comb) if layout.comb_fields else 0,
                ),
            )
        )
        drawn.append(w)
    return b"\n".join(ops), drawn


class _Template:
    """A form in one language, drawn once: fillable bytes, and pages to stamp copies on."""

    def __init__(
        self, form: Form, lang: str, large_print: bool, serial: str, logo: Path | None = None
    ):
        self.layout = build_layout(form, lang, large_print)
        # one QR mask per page, scored on the first copy's payload (stamp.qr_ops says why)
        self.masks = [
            qr_mask(self.layout.qr_payload(n, serial), edition(self.layout.edition).two_codes)
            for n in range(1, len(self.layout.pages) + 1)
        ]
        self.fillable = render(form, self.layout, stamp=False, logo=logo)
        self._pdf = pikepdf.open(io.BytesIO(self.fillable))
        self.tree = CopyTree(self._pdf, self.layout)
        self._pages: list[tuple[bytes, int]] | None = None

    def pages(self, writer: StreamWriter, page_fonts: dict[str, int]) -> list[tuple[bytes, int]]:
        """Each page's content streams, shared by every copy, and its resources with
        our fonts added (written once).

        The content streams are shared rather than drawn through one Form XObject,
        as a tagged page needs: an MCID is numbered per page, so every copy's page
        can point the template's marked content at that copy's structure elements
        (an XObject's marked content can have one parent only).
        """
        if self._pages is None:
            self._pages = []
            for page in self._pdf.pages:
                contents = page.obj.Contents
                streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
                refs = b" ".join(writer.import_object(st, self._pdf) for st in streams)
                res = page.obj.Resources
                items = [
                    k.encode() + b" " + writer.import_object(v, self._pdf)
                    for k, v in res.items()
                    if k != "/Font"
                ]
                font_items = [
                    k.encode() + b" " + writer.import_object(v, self._pdf)
                    for k, v in res.get("/Font", {}).items()
                ]
                font_items += [b"%s %d 0 R" % (k.encode(), n) for k, n in page_fonts.items()]
                items.append(b"/Font << %s >>" % b" ".join(font_items))
                self._pages.append((refs, writer.write(b"<< %s >>" % b" ".join(items))))
        return self._pages

    def close(self) -> None:
        self._pdf.close()


def _values_font(writer: StreamWriter, typed: fonts.TypedFont) -> int:
    """A values' font (overlay.VALUE_FONT), embedded once in the run's file as
    overlay.typed_font_object embeds it in a single form: Type0, Identity-H."""
    m = composite_metrics(typed)
    base = typed.base.encode()
    descriptor = _descriptor(writer, base, m["data"], m)
    to_unicode = writer.write_stream(m["to_unicode"])
    cid_font = writer.write(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont %s /CIDSystemInfo << /Registry "
        b"(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R "
        b"/W [0 [%s]] /CIDToGIDMap /Identity >>"
        % (base, descriptor, " ".join(str(w) for w in m["widths"]).encode())
    )
    return writer.write(
        b"<< /Type /Font /Subtype /Type0 /BaseFont %s /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (base, cid_font, to_unicode)
    )


def _descriptor(writer: StreamWriter, base: bytes, data: bytes, m: dict) -> int:
    """A TrueType font's file and its FontDescriptor, written once; its number."""
    font_file = writer.write_stream(data, b" /Length1 %d" % len(data))
    return writer.write(
        b"<< /Type /FontDescriptor /FontName %s /Flags 32 /FontBBox [%s] /ItalicAngle %s "
        b"/Ascent %s /Descent %s /CapHeight %s /StemV %s /FontFile2 %d 0 R >>"
        % (
            base,
            " ".join(str(v) for v in m["bbox"]).encode(),
            str(m.get("italic_angle", 0)).encode(),
            str(m["ascent"]).encode(),
            str(m["descent"]).encode(),
            str(m["cap_height"]).encode(),
            str(m["stem_v"]).encode(),
            font_file,
        )
    )


def _logo_xobject(writer: StreamWriter, path: Path) -> tuple[int, float, float]:
    """The logo as an image XObject in the run's file, written once: drawn by
    reportlab (PNG with transparency, JPEG) into a page of its own and copied from
    there. Its object number and its size in pixels (its shape)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas as rl_canvas

    image = ImageReader(str(path))
    width, height = image.getSize()
    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=(width, height), invariant=1)
    c.drawImage(image, 0, 0, width, height, mask="auto")
    c.showPage()
    c.save()
    with pikepdf.open(io.BytesIO(buf.getvalue())) as pdf:
        xobjects = pdf.pages[0].obj.Resources.XObject
        ref = writer.import_object(next(iter(xobjects.values())), pdf)
    return int(ref.split()[0]), float(width), float(height)


def _rtl_values(copies: list[Copy]) -> bool:
    """Whether any copy pre-fills a value written right to left (its font is then
    embedded too)."""
    return any(fonts.has_rtl(text) for c in copies for text in _texts(c.answers))


def _texts(value) -> list[str]:
    """Every text in an answer (grids and "other" answers hold texts inside)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    return []


def _embedded_font(writer: StreamWriter, bold: bool = False) -> int:
    """The overlay font (or its bold), embedded once in the run's file (overlay.py)."""
    data, m = font_metrics(bold)
    base = m["base"].encode()
    descriptor = _descriptor(writer, base, data, m)
    return writer.write(
        b"<< /Type /Font /Subtype /TrueType /BaseFont %s /FirstChar 32 /LastChar 255 "
        b"/Widths [%s] /Encoding /WinAnsiEncoding /FontDescriptor %d 0 R >>"
        % (base, " ".join(str(w) for w in m["widths"]).encode(), descriptor)
    )


def print_run(
    form: Form,
    copies: list[Copy],
    output: Path,
    *,
    large_print: bool = False,
    cover: str | Mapping[str, str] | None = None,
    split: bool = False,
    today: datetime.date | None = None,
) -> RunResult:
    """Write the print-ready PDF of `copies`, its ledger, and with `split` one PDF per copy.

    `cover` is one cover letter for every copy, or one per language (language →
    text), so that each copy's letter is in its respondent's language.

    Every copy's answers, and the cover letter with each copy's values, are
    checked before anything is written: PrintRunError lists every fault.
    """
    if form.print_faults:  # texts our fonts cannot draw (render.generate says why)
        raise DefinitionError(form.print_faults)
    today = today or datetime.date.today()
    faults = _cover_run_faults(cover, copies)
    heads = _heads(cover, copies, today)
    logo = None  # drawn on each copy's first page, and on the definition's letters
    if form.logo is not None:
        logo = logo_path(form)
        problem = logo_problem(logo)
        for language in dict.fromkeys(c.language for c in copies):
            if problem is None and form_logo_box(build_layout(form, language, large_print)) is None:
                problem = msg("def.logo_no_room", lang=language)
        if problem is not None:
            raise PrintRunError([], f"{form.source}:{form.logo.line}: {problem}")
    for c in copies:  # every copy is checked before anything is written
        head = heads.get(c.serial) if heads is not None else None
        faults += _copy_faults(form, c, _letter(cover, c.language), head, large_print)
    if faults:
        raise PrintRunError(faults, msg("run.file_faults", path=output, n=len(faults)))
    templates: dict[str, _Template] = {}
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = _atomic_path(output)
    ledger = output.with_suffix(".ledger.csv")
    ledger_tmp = _atomic_path(ledger)
    page_count = 0
    try:
        with open(tmp, "wb") as fh, open(ledger_tmp, "w", newline="", encoding="utf-8-sig") as lf:
            kept = list(dict.fromkeys(c for copy in copies for c in copy.kept))
            ledger_writer = csv.DictWriter(lf, fieldnames=LEDGER_COLUMNS + kept)
            ledger_writer.writeheader()
            writer = StreamWriter(fh)
            pages_root = writer.reserve()
            page_fonts = {
                OVERLAY_FONT: _embedded_font(writer),
                BOLD_FONT: _embedded_font(writer, bold=True),
                VALUE_FONT: _values_font(writer, fonts.TYPED),
            }
            if _rtl_values(copies):
                page_fonts[VALUE_FONT_RTL] = _values_font(writer, fonts.ARABIC_TYPED)
            font_refs = b" ".join(b"%s %d 0 R" % (n.encode(), num) for n, num in page_fonts.items())
            plain = writer.write(b"<< /Font << %s >> >>" % font_refs)
            letter_resources, logo_image = plain, None
            if logo is not None and heads is not None:  # one image in the file for all
                logo_image = _logo_xobject(writer, logo)
                letter_resources = writer.write(
                    b"<< /Font << %s >> /XObject << /PfLogo %d 0 R >> >>"
                    % (font_refs, logo_image[0])
                )
            media = b"[0 0 %.4f %.4f]" % (PAGE_WIDTH, PAGE_HEIGHT)
            kids = array("q")  # page object numbers, 8 bytes each
            # the tagged structure (generate/tags.py): one Part a copy under one
            # Document, and the ParentTree's (key, page array) pairs, 16 bytes a page
            document = writer.reserve()
            parts = array("q")
            parent_tree = array("q")
            # the shared template content runs inside q … Q, so what it leaves set
            # (colours, line width) never reaches the copy's own marks drawn after it
            save, restore = (
                writer.write_stream(b"q", compress=False),
                writer.write_stream(b"Q", compress=False),
            )

            def add_page(
                content: bytes,
                resources: int,
                shared: bytes = b"",
                number: int | None = None,
                marks: int | None = None,
            ) -> None:
                stream = writer.write_stream(content)
                contents = b"%d 0 R" % stream
                if shared:
                    contents = b"[%d 0 R %s %d 0 R %s]" % (save, shared, restore, contents)
                extra = b""
                if marks is not None:
                    extra = b" /StructParents %d" % (len(parent_tree) // 2)
                    parent_tree.extend((len(parent_tree) // 2, marks))
                kids.append(
                    writer.write(
                        b"<< /Type /Page /Parent %d 0 R /MediaBox %s /Resources %d 0 R "
                        b"/Contents %s%s >>" % (pages_root, media, resources, contents, extra),
                        number,
                    )
                )

            for copy in copies:
                template = templates.get(copy.language)
                if template is None:
                    template = templates[copy.language] = _Template(
                        form, copy.language, large_print, copy.serial, logo
                    )
                layout = template.layout
                field_values = answers_to_fields(form, copy.answers, copy.language)
                first = len(kids) + 1
                letter = _letter(cover, copy.language)
                cover_page = None
                if letter is not None:
                    head = heads.get(copy.serial) if heads is not None else None
                    if head is not None and logo_image is not None:
                        head.logo = logo_image
                        head.alt = tr(form.logo.alt, copy.language)
                    cover_ops, cover_items = _cover_ops(letter, copy.cover, large_print, head)
                    cover_page = (writer.reserve(), cover_items)
                shared = template.pages(writer, page_fonts)
                tree = template.tree
                numbers = [writer.reserve() for _ in layout.pages]
                contents, filled, ticked = [], [], set()
                for number in range(1, len(layout.pages) + 1):
                    values, drawn = _value_ops(
                        layout, number, field_values, tree.mcid_count(number - 1)
                    )
                    filled.append(drawn)
                    ticked |= {id(w) for w in drawn if w.kind in ("radio", "checkbox")}
                    overlay = overlay_ops(
                        layout, number, copy.serial, template.masks[number - 1], copy.unit
                    )
                    contents.append(b"\n".join([values, artifact_ops(overlay)]))
                part, marks = tree.write(
                    writer, document, numbers, filled, ticked, tree.lang, cover_page
                )
                parts.append(part)
                if cover_page is not None:
                    resources = letter_resources if heads is not None else plain
                    add_page(cover_ops, resources, number=cover_page[0], marks=marks.pop(0))
                    # the letter's back stays empty, so the form starts a sheet of its own
                    # when printed double-sided: the patient keeps the letter and posts
                    # the form back without it
                    add_page(b"", plain)
                for number, content in enumerate(contents):
                    refs, resources = shared[number]
                    add_page(content, resources, refs, numbers[number], marks[number])
                if (len(kids) - first + 1) % 2:
                    note = BLANK_PAGE_TEXT.get(copy.language, BLANK_PAGE_TEXT["en"])
                    add_page(
                        artifact_ops(
                            b"0.5 g " + _text_ops(note, MARGIN_X, PAGE_HEIGHT / 2, OVERLAY_FONT, 11)
                        ),
                        plain,
                    )
                ledger_writer.writerow(
                    {
                        "serial": copy.serial,
                        "csv_line": copy.row or "",
                        "form": form.id,
                        "version": form.version,
                        "language": copy.language,
                        "large_print": "yes" if large_print else "no",
                        "generated": today.isoformat(),
                        "pages": f"{first}-{len(kids)}",
                        "file": f"{copy.serial}.pdf" if split else "",
                        "unit": copy.unit or "",
                    }
                    | copy.kept
                )
            writer.write(
                b"<< /Type /Pages /Count %d /Kids [%s] >>"
                % (len(kids), b" ".join(b"%d 0 R" % k for k in kids)),
                pages_root,
            )
            title = tr(form.title, copies[0].language if copies else form.default_language)
            writer.write(
                b"<< /Type /StructElem /S /Document /P %d 0 R /K [%s] >>"
                % (struct_root := writer.reserve(), b" ".join(b"%d 0 R" % p for p in parts)),
                document,
            )
            tree_nums = writer.write(
                b"<< /Nums [%s] >>"
                % b" ".join(
                    b"%d %d 0 R" % (parent_tree[i], parent_tree[i + 1])
                    for i in range(0, len(parent_tree), 2)
                )
            )
            writer.write(
                b"<< /Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R /ParentTreeNextKey %d >>"
                % (document, tree_nums, len(parent_tree) // 2),
                struct_root,
            )
            xmp = xmp_packet(title)
            metadata = writer.write_stream(xmp, b" /Type /Metadata /Subtype /XML", compress=False)
            first_lang = templates[copies[0].language].tree.lang if copies else b"und"
            root = writer.write(
                b"<< /Type /Catalog /Pages %d 0 R /StructTreeRoot %d 0 R /MarkInfo << /Marked "
                b"true >> /Lang %s /ViewerPreferences << /DisplayDocTitle true >> "
                b"/Metadata %d 0 R >>"
                % (pages_root, struct_root, pikepdf.String(first_lang).unparse(), metadata)
            )
            info = writer.write(
                b"<< /Title %s /Subject %s /Creator %s /Producer %s %s %s %s %s >>"
                % (
                    pdf_string(title),
                    pdf_string(
                        f"{form.id} version {form.version}: print run of {len(copies)} copies"
                    ),
                    pdf_string(f"pdfforms {__version__}"),
                    pdf_string(f"pdfforms {__version__}"),
                    INFO_FORM.encode(),
                    pdf_string(form.id),
                    INFO_VERSION.encode(),
                    pdf_string(form.version),
                )
            )
            writer.finish(root, info)
            page_count = len(kids)
        split_dir = None
        if split:
            split_dir = output.with_suffix("")
            split_dir.mkdir(parents=True, exist_ok=True)
            for copy in copies:
                template = templates[copy.language]
                path = split_dir / f"{copy.serial}.pdf"
                field_values = answers_to_fields(form, copy.answers, copy.language)
                _write_split_copy(template, copy.serial, field_values, path, copy.unit)
        ledger_tmp.replace(ledger)
        tmp.replace(output)
    finally:
        for template in templates.values():
            template.close()
        for leftover in (tmp, ledger_tmp):
            if leftover.exists():
                leftover.unlink()
    return RunResult(output, ledger, len(copies), page_count, split_dir)


def _write_split_copy(
    template: _Template, serial: str, values: dict, path: Path, unit: str | None = None
) -> None:
    """One fillable copy with its serial (and unit): for e-mail, or a print of its own."""
    with pikepdf.open(io.BytesIO(template.fillable)) as pdf:
        stamp_pages(pdf, template.layout, serial, unit=unit)
        pdf.docinfo[INFO_SERIAL] = serial
        identity = template.layout.identity(serial)
        if unit:
            pdf.docinfo[INFO_UNIT] = unit
            identity.unit = unit
        pdf.docinfo["/Keywords"] = keywords_line(identity)
        if values:
            fill_fields(pdf, {k: v for k, v in values.items() if v not in (None, False, "")})
        tmp = _atomic_path(path)
        pdf.save(tmp, deterministic_id=True)
    os.replace(tmp, path)
