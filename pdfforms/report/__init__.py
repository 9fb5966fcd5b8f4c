"""The Sammanställning: datasets made by `pdfforms extract` → a summary report.

    load.py        a dataset, read through dataset/reader.py → typed records
    summarise.py   records → counts per form, group and question (pure counting)
    pairing.py     patient and unit questions that share a code, per care unit
    privacy.py     small-group suppression and its complement (free text is masked by
                   model/privacy.py's mask_for_report)
    visibility.py  the suppression applied to every table of a summary
    document.py    summary → blocks (headings, tables, texts) in one language
    charts.py      bars and stacked bars as shapes, for both outputs
    pdf.py, html.py, csvout.py   the three outputs

`report()` is the API the `pdfforms report` command calls.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from ..model.messages import text as msg
from .load import Datasets, ReportError, read_ledgers
from .pairing import PairTally
from .privacy import DEFAULT_MIN_COUNT
from .spill import TextStore
from .summarise import Tally
from .text import LANGUAGES, Words
from .visibility import decide

__all__ = ["ReportError", "report", "OUTPUT_FORMATS"]

OUTPUT_FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".csv": "csv"}


def output_format(output: Path, fmt: str | None) -> str:
    """The format asked for (--format), else the one the output's name says."""
    by_name = OUTPUT_FORMATS.get(output.suffix.lower())
    if fmt is None:
        if by_name is None:
            raise ReportError(msg("report.unknown_format", path=output, suffix=output.suffix))
        return by_name
    if by_name is not None and by_name != fmt:
        raise ReportError(msg("report.format_differs", path=output, name=by_name, format=fmt))
    return fmt


def report(
    datasets: list[Path],
    output: Path,
    *,
    fmt: str | None = None,
    lang: str = "sv",
    by: str | list[str] | None = None,
    min_count: int = DEFAULT_MIN_COUNT,
    free_text: bool = True,
    ledgers: list[Path] = (),
    definitions: list[Path] | None = None,
    period: str | None = None,
    today: datetime.date | None = None,
    compare: str | None = None,
) -> list[Path]:
    """Write the Sammanställning of `datasets` to `output`; return the files written.

    `by`: the column to group by, or several (a group per combination); None (the
    default) groups by care unit when any return names its unit; "none" or [] is
    the total only. `compare`: the latest quarter, month or year against the one
    before it ("none": no comparison); None (the default) compares quarters when the
    dated responses span the latest two.

    Raises ReportError, whose message names the file and what is wrong, for bad
    input of any kind.
    """
    output = Path(output)
    fmt = output_format(output, fmt)
    if lang not in LANGUAGES:
        raise ReportError(msg("report.lang", lang=lang, languages=msg("rules.or").join(LANGUAGES)))
    if min_count < 1:
        raise ReportError(msg("report.min_count", n=min_count))
    data = Datasets([Path(p) for p in datasets], definitions)
    inputs = {d.manifest.resolve() for d in data.datasets}
    inputs |= {t.path.resolve() for d in data.datasets for t in d.tables.values()}
    if output.resolve() in inputs:
        raise ReportError(msg("report.own_file", path=output))
    rows: dict[str, dict[str, str]] = {}
    sent_serials = read_ledgers([Path(p) for p in ledgers], rows)
    if by in ("none", ["none"], ()):  # in total only
        by = []
    # the free texts in a private temporary file (report/spill.py), removed however
    # the report ends; a CSV has no free text
    store = TextStore() if free_text and fmt != "csv" else None
    try:
        tally = Tally(
            data.forms,
            by,
            free_text,
            sent_serials,
            rows if ledgers else None,
            compare,
            today,
            store,
        )
        pairs = PairTally(data.forms)
        for record in data.records():
            tally.add(record)
            pairs.add(record)
        sent = {form_id: len(serials) for form_id, serials in sent_serials.items()}
        summary = tally.summary(sent, data.duplicates)
        pairings = pairs.pairings()
        seen = decide(summary, pairings, min_count)
        words = Words(lang)
        if fmt == "csv":
            from .csvout import pairing_csv, summary_csv

            written = [_write(output, summary_csv(summary, seen, lang, words).encode("utf-8"))]
            if pairings:
                side = output.with_name(f"{output.name[: -len(output.suffix) or None]}.pairing.csv")
                written.append(
                    _write(side, pairing_csv(pairings, seen, lang, words).encode("utf-8"))
                )
            return written
        from .document import build

        blocks = build(summary, pairings, seen, lang, period, today)
        titles = ", ".join(tr_title(fs.form, lang) for fs in summary.forms.values())
        title = f"{words('report')} – {titles}" if titles else words("report")
        if fmt == "html":
            from .html import write_html

            return [_write(output, write_html(blocks, words, title).encode("utf-8"))]
        from .pdf import write_pdf

        return [_write(output, write_pdf(blocks, words, title, title))]
    finally:
        if store is not None:
            store.close()


def tr_title(form, lang: str) -> str:
    from ..model.form import tr

    return tr(form.title, lang)


def _write(path: Path, data: bytes) -> Path:
    """Write whole or not at all: a temporary file renamed into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ReportError(msg("cli.cannot_write", path=path, reason=exc.strerror or exc)) from None
    return path
