"""pdfforms: questionnaires in YAML → fillable, printable PDF forms → JSON and datasets.

The public API, one function per step of the pipeline (the `pdfforms` command is a
thin shell over these):

    form = load_form("form_definitions/patient.yaml")      # a Form; DefinitionError
    pdf = generate(form, "sv")                             # the fillable, printable PDF
    run = print_run(form, "utskick.pdf", copies=200)       # a print run and its ledger
    filled = fill("patient.pdf", {"fast_vardkontakt": "ja"})  # PDF bytes
    document = parse("returned.pdf")                       # .responses, .pages
    summary = extract(["inkommet/"], "svar.csv")           # many files → one dataset
    written = report(["svar.csv"], "sammanstallning.pdf")  # the Sammanställning
    definition, notes = import_definition("phq9.json")     # FHIR Questionnaire or XLSForm in
    definition, notes = import_xlsform("enkat.xlsx")       # an XLSForm, notes by sheet and row
    resource = questionnaire(form)                         # the form as a FHIR Questionnaire
    resource = questionnaire_response(document.responses[0])  # a returned form, in FHIR

Every error a person can act on is a `PdfformsError` (pdfforms/model/errors.py):
a bad definition, a file that is no form of ours, an answer the form cannot hold,
a dataset that cannot be written. Its message says what is wrong, and which file.
A ValueError or TypeError that escapes is a wrong argument or a fault in pdfforms.

These names are the stable surface: their signatures change only with a note in
the README. Everything under the step packages (model, generate, read, parse,
dataset, review, report, testing) may change between versions.

`import pdfforms` is cheap (about 1 ms): each function imports its step when called.

Three of the functions share their names with step packages (pdfforms/generate/,
parse/, report/). The name on `pdfforms` is the function, always: the class below
keeps it when the package is imported. Reach into a step with
`from pdfforms.parse.file import parse_document`, never `pdfforms.parse.file`.
"""

from __future__ import annotations

import datetime
import sys
import types
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

__version__ = "0.1.0"  # before any import of ours: modules read it from here

from .model.errors import PdfformsError  # noqa: E402

# The language of every message (errors, a parsed form's problems): Swedish unless the
# locale or PDFFORMS_LANG says English; set_language("en") for a whole script,
# `with messages_in("en"):` for a part of it (model/messages.py).
from .model.messages import in_language as messages_in  # noqa: E402
from .model.messages import set_language  # noqa: E402

TYPE_CHECKING = False  # typing itself costs more to import than all of this module
if TYPE_CHECKING:
    from .dataset.build import RunSummary
    from .exchange.xlsform import Note
    from .generate.printrun import RunResult
    from .model.form import Form
    from .parse.scan import ScanResult

__all__ = [
    "PdfformsError",
    "__version__",
    "extract",
    "fill",
    "generate",
    "import_definition",
    "import_xlsform",
    "load_form",
    "messages_in",
    "parse",
    "print_run",
    "questionnaire",
    "questionnaire_response",
    "report",
    "set_language",
]

PathLike = str | Path


def load_form(path: PathLike) -> Form:
    """The form a definition file (YAML, SPEC §1) describes, checked and ready to print.

    Raises DefinitionError (a PdfformsError) with every fault in `faults`, each as
    `file:line: message`; a text the form's fonts cannot draw is one of them.
    """
    from .model.definition import load_form as load

    return load(path)


def generate(form: Form, lang: str | None = None, *, large_print: bool = False) -> bytes:
    """The fillable, printable PDF of `form` in `lang` (default: its first language).

    `large_print`: 16 pt text and bigger boxes. The same form and options give the
    same bytes every time. A language the form lacks is a ValueError.
    """
    from .generate.render import generate as render_form

    return render_form(form, lang, large_print=large_print)


def print_run(
    form: Form,
    output: PathLike,
    *,
    copies: int | None = None,
    respondents: PathLike | None = None,
    lang: str | None = None,
    cover: PathLike | Mapping[str | None, PathLike] | None = None,
    large_print: bool = False,
    split: bool = False,
    unit: str | None = None,
    ledger_columns: Iterable[str] = (),
    letter: bool = True,
    letter_date: datetime.date | None = None,
) -> RunResult:
    """Write a print run of `form` to `output`: many copies, each with its own serial,
    in one print-ready PDF, and its ledger (`<output>.ledger.csv`: serial → CSV line,
    language; no personal data).

    Give `copies` (that many blank copies in `lang`) or `respondents` (a CSV file:
    one copy per row, its question columns pre-filled, a `language` column for the
    copy's language, other columns for the cover letter). `cover` is a letter file
    printed before every copy, or letters by language ({"sv": "brev.txt", "en":
    "letter.txt"}; the key None serves the languages without their own). `split`:
    also one fillable PDF per copy, named by its serial, in a folder beside `output`.
    `unit`: the care unit the copies are for, printed at the top of each and kept in
    the ledger and each split copy (a `unit` column in `respondents` overrides it).
    `ledger_columns`: columns of `respondents` kept in the ledger beside each serial
    (a team, a clinic), for `report(by=...)`; personal data is refused. `letter`: print
    the definition's `letter:` before each copy of a run with `respondents` (False:
    not); `cover` files replace its text; `letter_date` is its date (default: the
    definition's `date`, else today).

    Returns what was written (`output`, `ledger`, `copies`, `pages`, `split_dir`).
    Raises PrintRunError (a PdfformsError) before anything is written: `faults`
    lists every fault of the letters, the CSV and the copies, `summary` sums them up.
    """
    from .generate import printrun

    if cover is None:
        covers = []
    elif isinstance(cover, Mapping):
        covers = [(language, Path(path)) for language, path in cover.items()]
    else:
        covers = [(None, Path(cover))]
    lang = lang or form.default_language
    run, letters = printrun.plan_run(
        form,
        lang,
        copies=copies,
        respondents=Path(respondents) if respondents is not None else None,
        covers=covers,
        unit=unit,
        ledger_columns=ledger_columns,
        letter=letter,
        letter_date=letter_date,
    )
    return printrun.print_run(
        form, run, Path(output), large_print=large_print, cover=letters, split=split
    )


def fill(
    form_pdf: PathLike,
    answers: dict,
    *,
    definitions: PathLike | Iterable[PathLike] | None = None,
    flatten: bool = False,
) -> bytes:
    """The form in `form_pdf` (one pdfforms generated, blank or filled) with `answers`
    written into its fields: the PDF's bytes, which parse back to those answers.

    `answers` is SPEC §4's `answers` object: question id → value; a question left
    out is left blank. The form and its language are found as `parse` finds
    them (`definitions`: folders to look in first). `flatten`: a copy without
    fields, which cannot be edited and still parses.

    Raises ReadError when `form_pdf` is no form of ours, AnswerError for an answer
    the form cannot hold, FillError for one its field cannot show (all PdfformsError).
    """
    from .generate.fill import fill_answers
    from .parse.resolve import resolve_form
    from .read import read_file

    form_pdf = Path(form_pdf)
    raw = read_file(form_pdf)
    form = resolve_form(raw, _folders(definitions))
    said = raw.identity.language
    lang = said if said in form.languages else form.default_language
    return fill_answers(form_pdf.read_bytes(), form, answers, lang, flatten=flatten)


def parse(
    path: PathLike,
    definitions: PathLike | Iterable[PathLike] | None = None,
    *,
    review_dir: PathLike | None = None,
) -> ScanResult:
    """Every questionnaire in one returned file, and what became of each scanned page.

    Returns `.responses`: one Response per questionnaire (SPEC §4; `.to_json()`
    gives the JSON object), in the order of the file. A PDF with fields, or a
    flattened one, holds one; a scan (an image-only PDF, PNG, JPEG, TIFF) may hold
    several. `.pages` says for each page of a scan whether it was read, blank or not
    one of our forms (status, note); it is empty for a PDF that is not a scan.
    A page that could not be read is there, never silently left out.

    `definitions`: folders to look for the form in before the definition embedded
    in the PDF and form_definitions/. Crops of handwriting and of uncertain marks
    go under `review_dir` (default: ./review).

    Raises ReadError (a PdfformsError) for a file that cannot be read as one of our
    forms; its message says why (not a PDF, damaged, an unknown form or version).
    """
    from .parse.file import parse_document

    return parse_document(
        Path(path),
        _folders(definitions),
        review_dir=Path(review_dir) if review_dir is not None else None,
    )


def extract(
    inputs: PathLike | Iterable[PathLike],
    output: PathLike,
    *,
    definitions: PathLike | Iterable[PathLike] | None = None,
    pseudonymise_key: PathLike | None = None,
    keep_personnummer: bool = False,
    workers: int | None = None,
    time_limit: float | None = None,
    memory_limit: int | None = None,
    file_limit: int | None = None,
    cluster: str | None = None,
    fresh: bool = False,
    csv: str = "en",
    delimiter: str | None = None,
    warn: Callable[[str], None] | None = None,
    ledger: PathLike | Iterable[PathLike] | None = None,
) -> RunSummary:
    """Read many returned forms (files, folders, globs) into one dataset at `output`
    (.csv, .xlsx, .jsonl, .parquet, .sav or .dta), with its codebook, ledger and journal beside it.

    Every input file ends in the ledger: parsed, parsed_with_problems, needs_review,
    failed (with the reason) or duplicate; a file that cannot be read never stops
    the run. A run that was interrupted continues where it stopped (`fresh`: read
    everything again).

    Personnummer are left out unless `pseudonymise_key` (a key file made by
    `pdfforms keygen`: each number becomes a keyed hash) or `keep_personnummer`.
    `workers`: processes reading at once (default: one per core); `time_limit`
    (seconds), `memory_limit` and `file_limit` (MB) fail one file that exceeds
    them (defaults: 300 s, 2048 MB, 1024 MB, as the command's). `cluster`: a
    Dask scheduler's address. `csv`: a CSV dataset for Excel in Swedish ("sv": ';'
    between columns, decimal comma) or English ("en", the default: ',' and a decimal
    point); `delimiter` sets the separator alone. `warn` receives notices for people
    (default: stderr). `ledger`: print runs' ledgers (`<output>.ledger.csv`); a
    copy that names no unit (a scan) gets its serial's unit from them, with a
    `unit_from_ledger` warning.

    Returns the run's summary (`.line()`: "40 file(s): 38 parsed, …"; `.written`:
    the files written). Raises ExtractError or OutputError (PdfformsError) only
    when the run cannot happen at all.
    """
    from .dataset.extract import extract as run
    from .dataset.extract import privacy_for
    from .dataset.tables import CSV_DIALECTS
    from .dataset.workers import Limits

    if csv not in CSV_DIALECTS:
        raise ValueError(f"csv must be one of {', '.join(CSV_DIALECTS)}, not {csv!r}")
    separator, decimal = CSV_DIALECTS[csv]

    return run(
        # as given, not as Path spells them: the ledger shows each input as written
        [str(i) for i in ([inputs] if isinstance(inputs, (str, Path)) else inputs)],
        Path(output),
        definitions=_folders(definitions),
        privacy=privacy_for(
            Path(pseudonymise_key) if pseudonymise_key else None, keep_personnummer
        ),
        workers=workers,
        limits=Limits(**_given(seconds=time_limit, memory_mb=memory_limit, file_mb=file_limit)),
        cluster=cluster,
        fresh=fresh,
        delimiter=delimiter or separator,
        decimal=decimal,
        warn=warn,
        ledgers=_paths(ledger),
    )


def report(
    datasets: PathLike | Iterable[PathLike],
    output: PathLike,
    *,
    fmt: str | None = None,
    lang: str = "sv",
    by: str | Iterable[str] | None = None,
    min_count: int | None = None,
    free_text: bool = True,
    ledgers: PathLike | Iterable[PathLike] = (),
    definitions: PathLike | Iterable[PathLike] | None = None,
    period: str | None = None,
    compare: str | None = None,
) -> list[Path]:
    """Write the Sammanställning of datasets made by `extract` to `output`: .pdf,
    .html (one file that opens offline) or .csv (the summary tables), or as `fmt` says.

    `lang`: "sv" or "en". `by`: repeat the summary per group of a question (or
    unit, language, kind, version, or with `ledgers` a column of the print run's
    ledger) and compare the groups; several columns make a group per combination.
    By default (None) it is per care unit when any return names its unit; "none"
    gives the total only. Groups under `min_count`
    respondents (default 5) show no counts or free text; `free_text=False` leaves free text out.
    `ledgers`: print runs' ledgers, for the response rate. `period`: the period to
    print (default: from the dates). `compare`: "quarter", "month" or "year" compares
    the latest such period with the one before it, "none" does not; by default
    (None) quarters are compared when the dated responses span the latest two.

    Returns the files written. Raises ReportError (a PdfformsError), whose message
    names the file and what is wrong, for bad input of any kind.
    """
    from .report import report as write

    return write(
        _paths(datasets),
        Path(output),
        fmt=fmt,
        lang=lang,
        by=by if by is None or isinstance(by, str) else list(by),
        free_text=free_text,
        ledgers=_paths(ledgers),
        definitions=_folders(definitions),
        period=period,
        compare=compare,
        **_given(min_count=min_count),
    )


def import_definition(path: PathLike) -> tuple[dict, list[str]]:
    """A definition made from another system's form: a FHIR R4 Questionnaire (.json)
    or an XLSForm workbook (.xlsx), as the mapping a definition's YAML holds, and the
    notes: one line for each element that could not be carried over or was
    approximated, naming it (a linkId; a sheet and row).

    Raises a PdfformsError naming the file for a file it cannot read or a kind it
    does not know. `pdfforms import` writes the definition as YAML, the notes as
    comments at its top.
    """
    from .exchange.importers import importer_for

    return importer_for(Path(path))(Path(path))


def questionnaire(form: Form) -> dict:
    """`form` as a FHIR R4 Questionnaire (a dict in FHIR's JSON): a group per section,
    an item per question (linkId = the question's id), its options as codings, its
    conditions as enableWhen, every language through the translation extension."""
    from .exchange.fhir import questionnaire as convert

    return convert(form)


def questionnaire_response(
    response,
    form: Form | None = None,
    *,
    pseudonymise_key: PathLike | None = None,
    keep_personnummer: bool = False,
) -> dict:
    """A parsed form (a `Response` from `parse`, or its SPEC §4 JSON with `form`) as a
    FHIR R4 QuestionnaireResponse (a dict).

    Personnummer follow a dataset's policy: left out by default, pseudonymised with
    `pseudonymise_key` (a key file made by `pdfforms keygen`), kept with
    `keep_personnummer`; only then is the person the resource's `subject`. `status`
    is `in-progress` while a review item or a problem with its answers is open, else
    `completed`; `authored` is the form's date question's answer.
    """
    from .dataset.extract import privacy_for
    from .exchange.fhir import questionnaire_response as convert

    key = Path(pseudonymise_key) if pseudonymise_key else None
    return convert(response, form, privacy_for(key, keep_personnummer))


def import_xlsform(path: PathLike) -> tuple[dict, list[Note]]:
    """The definition an XLSForm workbook (.xlsx, from ODK or KoboToolbox) describes,
    as a dict ready to be written as YAML, and a Note (`.sheet`, `.row`, `.text`;
    `str()` gives "survey row 14: …") for each thing that could not be carried over:
    a question type paper cannot hold, a `relevant` our conditions cannot express, a
    language our fonts cannot print. Nothing is dropped without a note.

    Raises XlsformError (a PdfformsError) for a file that is not an XLSForm workbook,
    naming the file and the sheet and row (no survey sheet, an answer list that is not
    there, a name used twice).
    """
    from .exchange.xlsform import import_xlsform as read

    return read(Path(path))


def _given(**options) -> dict:
    """The options a caller gave: the step's own defaults serve the others."""
    return {name: value for name, value in options.items() if value is not None}


def _paths(paths: PathLike | Iterable[PathLike] | None) -> list[Path]:
    """Paths given as one or as many."""
    if paths is None:
        return []
    if isinstance(paths, (str, Path)):
        return [Path(paths)]
    return [Path(p) for p in paths]


def _folders(definitions: PathLike | Iterable[PathLike] | None) -> list[Path] | None:
    """Definition folders as the steps take them: None (none given) for the default."""
    return _paths(definitions) or None


_FUNCTIONS = frozenset({"generate", "parse", "report"})


class _Package(types.ModuleType):
    """`pdfforms` itself. Importing a step's package sets it as an attribute of its
    parent; for pdfforms/generate/, parse/ and report/ that would replace the API's
    function of the same name, so the function keeps the name. The packages stay
    importable by their full names (sys.modules)."""

    def __setattr__(self, name: str, value) -> None:
        if name in _FUNCTIONS and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
