"""The `pdfforms` command: a thin shell over the Python API (SPEC §5).

Commands parse arguments, call the API and print. A file that cannot be read
gives one line on stderr naming the file and the reason, never a traceback.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import click

from . import PdfformsError, __version__
from .generate.fields import AnswerError
from .model.definition import DefinitionError, check_definition, load_form
from .model.messages import LANGUAGES, count, language, set_language
from .model.messages import text as msg
from .read import ReadError

# Where a command names what it works on, for the last-resort net's line.
_SUBJECT = "pdfforms.subject"
_READING = "pdfforms.reading"  # the subject is a returned file being read


def one_line(text: str) -> str:
    """A message as one line: control characters (a newline in a file name), format
    characters (a right-to-left override) and bytes that are not UTF-8 are shown
    escaped. Every line the commands write on stderr goes through here."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _say(message: str) -> None:
    click.echo(one_line(f"pdfforms: {message}"), err=True)


def _fail(message: str, status: int = 2) -> None:
    _say(message)
    sys.exit(status)


def _subject(what, reading: bool = False) -> None:
    """Name what the running command works on (a file), for the last-resort net;
    `reading`: a returned file is being read, so a fault is that file's reason."""
    ctx = click.get_current_context()
    ctx.meta[_SUBJECT], ctx.meta[_READING] = str(what), reading


# -- help and a mistyped command line in the messages' language -------------------------
#
# click writes its help and its usage errors in English, from texts fixed when the
# commands are defined. Here every text is looked up in the catalogue (model/help.py)
# when it is shown, which is after the global --lang has been read: `help.<command>`,
# `help.<command>.<option>`, `help.metavar.<NAME>`, and click's own words (headings,
# the help and version options, defaults) as `help.*`. A mistyped command line is one
# line, as every other error of pdfforms is, after the usage.


def _command_key(cmd: click.Command) -> str:
    return "pdfforms" if isinstance(cmd, click.Group) else str(cmd.name)


def _metavar(word: str) -> str:
    """The name a value is shown under: PATH, INTEGER RANGE, NAME … in the language."""
    word = word.removesuffix(" RANGE")
    return msg(f"help.metavar.{word}")


def _localise(cmd: click.Command) -> None:
    """Set the command's texts from the catalogue, in the messages' language now."""
    key = _command_key(cmd)
    cmd.help = msg(f"help.{key}")
    cmd.options_metavar = msg("help.options_metavar")
    if isinstance(cmd, click.Group):
        cmd.subcommand_metavar = msg("help.subcommand_metavar")
    for param in cmd.params:
        word = getattr(param, "_pdfforms_metavar", None)
        if word is None:  # the English name it was defined with, kept for every language
            if isinstance(param.type, click.Choice) or getattr(param, "is_flag", False):
                word = ""
            else:
                word = param.metavar or (param.name or "").upper()
                if isinstance(param, click.Option) and param.metavar is None:
                    word = param.type.name.upper()
            param._pdfforms_metavar = word
        if word:
            shown = _metavar(_METAVAR_KEYS.get(word, word))
            if isinstance(param, click.Argument):
                shown = shown if param.required else f"[{shown}]"
                shown += "..." if param.nargs != 1 else ""
            param.metavar = shown
        if isinstance(param, click.Option):
            param.help = (
                msg("help.version_option")
                if param.name == "version"
                else msg(f"help.{key}.{param.name}")
            )


# Explicit names of values that are not one word of the catalogue's
_METAVAR_KEYS = {"[LANG=]FILE": "LETTER"}


class _Texts:
    """What the pdfforms commands and their group share: texts from the catalogue."""

    def get_help_option(self, ctx: click.Context):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = msg("help.help_option")
        return option

    def format_help(self, ctx: click.Context, formatter) -> None:
        _localise(self)
        super().format_help(ctx, formatter)

    def format_usage(self, ctx: click.Context, formatter) -> None:
        _localise(self)
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), f"{msg('help.usage')} ")

    def format_options(self, ctx: click.Context, formatter) -> None:
        rows = []
        for param in self.get_params(ctx):
            if isinstance(param, click.Option) and not param.hidden:
                names = param.get_help_record(ctx)[0]
                rows.append((names, _option_help(param, ctx)))
        if rows:
            with formatter.section(msg("help.options")):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """click's parse, with a left-over argument said in the messages' language."""
        allowed = isinstance(self, click.Group) or ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        except click.UsageError as exc:
            exc.ctx = exc.ctx or ctx  # click's parser leaves it out: the usage is this command's
            raise
        finally:
            ctx.allow_extra_args = allowed
        if allowed:
            return rest
        if rest and not ctx.resilient_parsing:
            ctx.fail(msg("help.error.extra", args=" ".join(rest)))
        return rest


def _option_help(param: click.Option, ctx: click.Context) -> str:
    """An option's text with its default, range and whether it is required."""
    extra = param.get_help_extra(ctx)
    items = []
    if "default" in extra:
        items.append(msg("help.default", value=extra["default"]))
    if "range" in extra:
        items.append(extra["range"])
    if "required" in extra:
        items.append(msg("help.required"))
    text = param.help or ""
    if items:
        text = f"{text}  [{'; '.join(items)}]" if text else f"[{'; '.join(items)}]"
    return text


class _Command(_Texts, click.Command):
    """A pdfforms command: its help from the catalogue."""


class _Mistyped(click.UsageError):
    """A command line click could not take, said in one line in the messages' language."""

    def __init__(self, error: click.UsageError):
        super().__init__(_mistake(error), error.ctx)

    def show(self, file=None) -> None:
        if self.ctx is not None:
            click.echo(self.ctx.get_usage(), err=True)
        command = self.ctx.command_path if self.ctx is not None else "pdfforms"
        click.echo(one_line(msg("help.try", error=self.message, command=command)), err=True)


def _mistake(error: click.UsageError) -> str:
    """What was wrong with a command line, in the messages' language."""
    if isinstance(error, click.NoSuchOption):
        if error.possibilities:
            return msg(
                "help.error.did_you_mean",
                option=error.option_name,
                options=", ".join(error.possibilities),
            )
        return msg("help.error.no_such_option", option=error.option_name)
    no_such_command = getattr(click.exceptions, "NoSuchCommand", ())
    if no_such_command and isinstance(error, no_such_command):
        commands = ", ".join(sorted(main.commands))
        return msg("help.error.no_such_command", name=error.command_name, commands=commands)
    if isinstance(error, click.MissingParameter) and error.param is not None:
        ctx = error.ctx
        return msg("help.error.missing", what=_param_hint(error.param, ctx))
    if isinstance(error, click.BadParameter) and error.param is not None:
        return msg(
            "help.error.bad_value", what=_param_hint(error.param, error.ctx), reason=error.message
        )
    if isinstance(error, click.BadOptionUsage):
        # click's parser says an option lacks its value, or has one it does not take
        if error.option_name and error.message.startswith(f"Option '{error.option_name}' does not"):
            return msg("help.error.takes_no_value", option=error.option_name)
        return msg("help.error.needs_value", option=error.option_name)
    return error.message


def _param_hint(param: click.Parameter, ctx: click.Context | None) -> str:
    if isinstance(param, click.Argument):
        if ctx is not None:
            _localise(ctx.command)
        return param.make_metavar(ctx) if ctx is not None else (param.name or "").upper()
    return " / ".join(param.opts)


class _Choice(click.Choice):
    """click's Choice, refusing a value in the messages' language."""

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            choices = ", ".join(f"'{c}'" for c in self.choices)
            self.fail(msg("help.error.not_one_of", value=value, choices=choices), param, ctx)


class _Range:
    """click's IntRange and FloatRange, refusing a value in the messages' language."""

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            try:
                self._number(value)
            except (TypeError, ValueError):
                key = "help.error.not_whole" if self._number is int else "help.error.not_number"
                self.fail(msg(key, value=value), param, ctx)
            if self.min is not None and self.max is not None:
                range_ = msg("help.error.between", low=self.min, high=self.max)
            elif self.min is not None:
                range_ = msg("help.error.at_least", low=self.min)
            else:
                range_ = msg("help.error.at_most", high=self.max)
            self.fail(msg("help.error.not_in_range", value=value, range=range_), param, ctx)


class _Date(click.DateTime):
    """click's DateTime, refusing a value in the messages' language."""

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(msg("help.error.not_date", value=value), param, ctx)


class _IntRange(_Range, click.IntRange):
    _number = int


class _FloatRange(_Range, click.FloatRange):
    _number = float


class _Commands(_Texts, click.Group):
    """The commands under one last-resort net: an error pdfforms did not expect is one
    line on stderr, naming the file (or the command) and the error, and exit 2.

    The line is made as extract makes a failed file's reason (workers.reason_for),
    so a file fails in the same words whichever command read it.
    """

    command_class = _Command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `--lang en` before the command also gives the help in English: click shows
        # help while it parses, which is before main() has set the language
        for i, arg in enumerate(args):
            if arg in self.commands:
                break
            value = arg.partition("=")[2] if arg.startswith("--lang=") else None
            if arg == "--lang" and i + 1 < len(args):
                value = args[i + 1]
            if value in LANGUAGES:
                set_language(value)
        return super().parse_args(ctx, args)

    def format_commands(self, ctx: click.Context, formatter) -> None:
        for cmd in self.commands.values():
            _localise(cmd)
        rows = [
            (name, cmd.get_short_help_str(formatter.width - 6 - max(map(len, self.commands))))
            for name, cmd in sorted(self.commands.items())
            if not cmd.hidden
        ]
        if rows:
            with formatter.section(msg("help.commands")):
                formatter.write_dl(rows)

    def make_context(self, *args, **kwargs) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except _Mistyped:
            raise
        except click.UsageError as exc:
            raise _Mistyped(exc) from None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except _Mistyped:
            raise
        except click.UsageError as exc:  # a subcommand's line: its parse runs in here
            raise _Mistyped(exc) from None
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the net: no traceback reaches a person
            from .dataset.workers import internal_error, reason_for

            subject = ctx.meta.get(_SUBJECT)
            if subject is not None and ctx.meta.get(_READING):
                _fail(f"{subject}: {reason_for(exc)[0]}")
            what = subject or ctx.invoked_subcommand or "pdfforms"
            _fail(f"{what}: {internal_error(exc, file=subject is not None)}")


def _load(path: Path):
    try:
        return load_form(path)
    except DefinitionError as exc:
        for fault in exc.faults:
            click.echo(one_line(str(fault)), err=True)
        _fail(msg("cli.definition_faults", path=path, n=len(exc.faults)))


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pdfforms")
@click.option(
    "--lang",
    "messages_lang",
    type=_Choice(LANGUAGES),
)
def main(messages_lang: str | None) -> None:
    """Questionnaires in YAML → fillable, printable PDF forms → JSON."""
    if messages_lang:
        set_language(messages_lang)


@main.command()
@click.argument("definitions", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(definitions: tuple[Path, ...]) -> None:
    """Check definition files; print every fault as file:line: message."""
    total = 0
    for path in definitions:
        _subject(path)
        form, faults = check_definition(path)
        for fault in faults:
            click.echo(one_line(str(fault)))
        total += len(faults)
        if form is not None:
            for t in form.unreviewed():  # a warning, not a fault: the form still works
                warning = msg("cli.machine_translation", path=path, line=t.line, lang=t.lang)
                click.echo(one_line(warning + (f" ({t.note})" if t.note else "")), err=True)
            n = len(form.answerable)
            ok = msg(
                "cli.validate_ok",
                path=path,
                form=form.id,
                version=form.version,
                n=n,
                languages=", ".join(form.languages),
            )
            click.echo(one_line(ok), err=True)
    sys.exit(1 if total else 0)


@main.command()
@click.argument("definition", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
)
@click.option("--lang", metavar="LANG")
@click.option("--large-print", is_flag=True)
@click.option(
    "--copies",
    type=_IntRange(min=1),
)
@click.option(
    "--respondents",
    type=click.Path(path_type=Path),
)
@click.option(
    "--cover",
    multiple=True,
    metavar="[LANG=]FILE",
)
@click.option(
    "--no-letter",
    is_flag=True,
)
@click.option(
    "--letter-date",
    type=_Date(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
)
@click.option(
    "--split",
    is_flag=True,
)
@click.option(
    "--unit",
    metavar="NAME",
)
@click.option(
    "--ledger-column",
    "ledger_columns",
    metavar="COLUMN",
    multiple=True,
)
def generate(
    definition: Path,
    output: Path | None,
    lang: str | None,
    large_print: bool,
    copies: int | None,
    respondents: Path | None,
    cover: tuple[str, ...],
    no_letter: bool,
    letter_date,
    split: bool,
    unit: str | None,
    ledger_columns: tuple[str, ...],
) -> None:
    """Write the fillable, printable PDF of a form, or a print run of many copies."""
    from . import generate as generate_pdf

    _subject(definition)
    form = _load(definition)
    lang = lang or form.default_language
    if lang not in form.languages:
        languages = ", ".join(form.languages)
        _fail(msg("cli.no_language", path=definition, lang=lang, languages=languages))
    if output is None:
        suffix = "-stor" if large_print and lang == "sv" else "-large" if large_print else ""
        run = f"-{copies}ex" if copies else "-run" if respondents else ""
        output = Path("output") / f"{definition.stem}-{lang}{suffix}{run}.pdf"
    if copies or respondents or cover or split or unit is not None or ledger_columns or letter_date:
        _print_run(
            form,
            output,
            lang,
            large_print,
            copies,
            respondents,
            cover,
            split,
            unit,
            ledger_columns,
            letter=not no_letter,
            letter_date=letter_date.date() if letter_date else None,
        )
        return
    _write_output(output, generate_pdf(form, lang, large_print=large_print))
    click.echo(str(output))


def _print_run(
    form,
    output: Path,
    lang: str,
    large_print: bool,
    copies: int | None,
    respondents: Path | None,
    cover: tuple[str, ...],
    split: bool,
    unit: str | None = None,
    ledger_columns: tuple[str, ...] = (),
    letter: bool = True,
    letter_date=None,
) -> None:
    from .generate.printrun import PrintRunError, cover_option, plan_run, print_run

    try:
        run, letters = plan_run(
            form,
            lang,
            copies=copies,
            respondents=respondents,
            covers=[cover_option(spec, form.languages) for spec in cover],
            unit=unit,
            ledger_columns=ledger_columns,
            letter=letter,
            letter_date=letter_date,
        )
        result = print_run(form, run, output, large_print=large_print, cover=letters, split=split)
    except PrintRunError as exc:
        for fault in exc.faults:
            click.echo(one_line(fault), err=True)
        _fail(exc.summary)
    except OSError as exc:
        _fail(msg("cli.cannot_write", path=output, reason=exc.strerror or exc))
    click.echo(str(result.output))
    done = msg("cli.run_done", copies=result.copies, pages=result.pages, ledger=result.ledger)
    if result.split_dir:
        done += msg("cli.run_split", folder=result.split_dir)
    click.echo(done, err=True)


@main.command()
@click.argument("form_pdf", type=click.Path(path_type=Path))
@click.argument("answers_json", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
)
@click.option("--flatten", is_flag=True)
@click.option(
    "--definitions",
    "definitions",
    type=click.Path(path_type=Path),
    multiple=True,
)
def fill(
    form_pdf: Path, answers_json: Path, output: Path, flatten: bool, definitions: tuple[Path, ...]
) -> None:
    """Fill a generated form with answers (a parsed form's JSON, or its 'answers')."""
    from . import fill as fill_form

    try:
        data = json.loads(answers_json.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        _fail(msg("cli.cannot_read", path=answers_json, reason=exc))
    except json.JSONDecodeError as exc:
        _fail(msg("cli.not_json", path=answers_json, line=exc.lineno, reason=exc.msg))
    answers = data.get("answers", data) if isinstance(data, dict) else None
    if not isinstance(answers, dict):
        _fail(msg("cli.not_answers", path=answers_json))
    _subject(form_pdf, reading=True)
    try:
        filled = fill_form(form_pdf, answers, definitions=definitions, flatten=flatten)
    except ReadError as exc:
        _fail(f"{form_pdf}: {exc}")
    except AnswerError as exc:  # every answer the form cannot hold, one line each
        for fault in exc.faults:
            click.echo(one_line(f"{answers_json}: {fault}"), err=True)
        _fail(msg("cli.answer_faults", path=answers_json, n=len(exc.faults)))
    except PdfformsError as exc:  # an answer its field cannot show
        _fail(f"{answers_json}: {exc}")
    _write_output(output, filled)
    click.echo(str(output))


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--definitions",
    "definitions",
    type=click.Path(path_type=Path),
    multiple=True,
)
@click.option("-o", "--output", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=_Choice(["json", "fhir"]), default="json", show_default=True)
@click.option("--keep-personnummer", is_flag=True)
def parse(
    file: Path,
    definitions: tuple[Path, ...],
    output: Path | None,
    fmt: str,
    keep_personnummer: bool,
) -> None:
    """Read a returned form and print its answers as JSON.

    A scan may hold several questionnaires: then the output is a list of them.
    Crops of handwriting and of uncertain marks go to review/ beside the output.
    """
    from . import parse as parse_file
    from .read.quiet import quiet_libraries

    for d in definitions:
        if not d.is_dir():
            _fail(msg("cli.no_definitions_folder", path=d))
    review_dir = (output.parent if output else Path.cwd()) / "review"
    _subject(file, reading=True)
    try:
        # What the libraries say while reading is not for stderr: the readers report
        # what matters in a file themselves (read/quiet.py).
        with quiet_libraries():
            result = parse_file(file, definitions, review_dir=review_dir)
    except ReadError as exc:
        _fail(f"{file}: {exc}")
    _subject(file)
    for page in result.pages:
        if page.status not in ("read", "blank"):
            status = msg("cli.page_status", path=file, page=page.page, status=page.status)
            _say(status + (f" ({page.note})" if page.note else ""))
    if fmt == "fhir":
        from .exchange.fhir import bundle, questionnaire_response
        from .model.privacy import DROP, KEEP, Privacy

        privacy = Privacy(KEEP if keep_personnummer else DROP)
        objects = [questionnaire_response(r, r.form, privacy) for r in result.responses]
        payload = objects[0] if len(objects) == 1 else bundle(objects)
    else:
        objects = [r.to_json() for r in result.responses]
        payload = objects[0] if len(objects) == 1 else objects
    text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        _write_output(output, text.encode("utf-8"))


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path),
)
@click.option(
    "--definitions",
    "definitions",
    type=click.Path(path_type=Path),
    multiple=True,
)
@click.option(
    "--workers",
    type=_IntRange(min=1),
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
)
@click.option(
    "--pseudonymise-key",
    "key_file",
    type=click.Path(path_type=Path),
)
@click.option(
    "--keep-personnummer",
    is_flag=True,
)
@click.option(
    "--time-limit",
    type=_FloatRange(min=1),
    default=300,
    show_default=True,
)
@click.option(
    "--memory-limit",
    type=_IntRange(min=100),
    default=2048,
    show_default=True,
)
@click.option(
    "--file-limit",
    type=_IntRange(min=1),
    default=1024,
    show_default=True,
)
@click.option("--fresh", is_flag=True)
@click.option(
    "--csv",
    "csv_dialect",
    type=_Choice(["sv", "en"]),
)
@click.option(
    "--delimiter",
    type=_Choice([",", ";", "tab"]),
)
@click.option(
    "--ledger",
    "ledgers",
    type=click.Path(path_type=Path),
    multiple=True,
)
@click.option("--format", "fmt", type=_Choice(["fhir"]))
def extract(
    inputs: tuple[str, ...],
    output: Path,
    definitions: tuple[Path, ...],
    workers: int | None,
    cluster: str | None,
    key_file: Path | None,
    keep_personnummer: bool,
    time_limit: float,
    memory_limit: int,
    file_limit: int,
    fresh: bool,
    csv_dialect: str | None,
    delimiter: str | None,
    ledgers: tuple[Path, ...],
    fmt: str | None,
) -> None:
    """Read many returned forms (files, folders, globs) into one dataset.

    Every input file ends in the ledger as parsed, parsed_with_problems,
    needs_review, failed (with the reason) or duplicate. Interrupted runs continue
    where they stopped when the same command is run again.
    """
    from . import extract as run_extract
    from .dataset.tables import csv_dialect_of_locale

    _subject(output)
    if fmt == "fhir" and output.suffix.lower() != ".json":
        _fail(msg("cli.fhir_needs_json", path=output))
    for d in definitions:
        if not d.is_dir():
            _fail(msg("cli.no_definitions_folder", path=d))
    try:
        summary = run_extract(
            inputs,
            output,
            definitions=definitions,
            pseudonymise_key=key_file,
            keep_personnummer=keep_personnummer,
            workers=workers,
            time_limit=time_limit,
            memory_limit=memory_limit,
            file_limit=file_limit,
            cluster=cluster,
            fresh=fresh,
            csv=csv_dialect or csv_dialect_of_locale(),
            delimiter="\t" if delimiter == "tab" else delimiter,
            warn=_say,
            ledger=ledgers,
        )
    except PdfformsError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail(msg("cli.interrupted", path=output), 130)
    except OSError as exc:
        _fail(msg("cli.cannot_write", path=exc.filename or output, reason=exc.strerror or exc))
    _say(summary.line())
    for path in summary.written:
        click.echo(str(path))


@main.command()
@click.argument("datasets", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
)
@click.option(
    "--format",
    "fmt",
    type=_Choice(["pdf", "html", "csv"]),
)
@click.option(
    "--lang",
    type=_Choice(LANGUAGES),
    default="sv",
    show_default=True,
)
@click.option(
    "--by",
    metavar="COLUMN",
    multiple=True,
)
@click.option(
    "--min-count",
    type=_IntRange(min=1),
    default=5,
    show_default=True,
)
@click.option("--no-free-text", is_flag=True)
@click.option(
    "--ledger",
    "ledgers",
    type=click.Path(path_type=Path),
    multiple=True,
)
@click.option(
    "--definitions",
    "definitions",
    type=click.Path(path_type=Path),
    multiple=True,
)
@click.option("--period", metavar="TEXT")
@click.option("--compare", type=_Choice(["quarter", "month", "year", "none"]))
def report(
    datasets: tuple[Path, ...],
    output: Path,
    fmt: str | None,
    lang: str,
    by: tuple[str, ...],
    min_count: int,
    no_free_text: bool,
    ledgers: tuple[Path, ...],
    definitions: tuple[Path, ...],
    period: str | None,
    compare: str | None,
) -> None:
    """Summarise datasets made by extract: the Sammanställning (PDF, HTML or CSV).

    DATASETS are the paths given to 'pdfforms extract -o' (or their manifests);
    a patient and a unit dataset given together are also compared side by side.
    """
    from . import report as write_report

    _subject(output)
    for d in definitions:
        if not d.is_dir():
            _fail(msg("cli.no_definitions_folder", path=d))
    try:
        written = write_report(
            list(datasets),
            output,
            fmt=fmt,
            lang=lang,
            by=list(by) if by else None,
            min_count=min_count,
            free_text=not no_free_text,
            ledgers=ledgers,
            definitions=definitions,
            period=period,
            compare=compare,
        )
    except PdfformsError as exc:
        _fail(str(exc))
    for path in written:
        click.echo(str(path))


@main.command()
@click.argument("dataset", type=click.Path(path_type=Path))
@click.option(
    "--port",
    type=_IntRange(0, 65535),
    default=0,
)
@click.option("--reviewer", metavar="NAME")
@click.option(
    "--lang",
    type=_Choice(LANGUAGES),
)
@click.option(
    "--pseudonymise-key",
    "key_file",
    type=click.Path(path_type=Path),
)
@click.option("--no-browser", is_flag=True)
def review(
    dataset: Path,
    port: int,
    reviewer: str | None,
    lang: str | None,
    key_file: Path | None,
    no_browser: bool,
) -> None:
    """Transcribe handwriting and decide uncertain marks in the browser.

    Starts a page on 127.0.0.1 for DATASET (made by `pdfforms extract`) and opens
    it. Each decision is saved at once to DATASET's decisions file; the dataset
    is written again as decisions come in and when the page is closed with
    Ctrl-C. Several tabs may work at once: each gets its own item.
    """
    import getpass
    import signal
    import threading
    import webbrowser

    from .dataset.extract import privacy_for
    from .dataset.tables import DatasetFiles
    from .review.server import Running, serve
    from .review.session import ReviewSession

    _subject(dataset)
    try:
        files = DatasetFiles(dataset)
        privacy = privacy_for(key_file) if key_file else None
    except PdfformsError as exc:
        _fail(str(exc))
    if not files.sidecar("manifest.json").exists():
        _fail(msg("cli.no_dataset", path=dataset, stem=files.stem))
    running = Running(files.sidecar("review.lock"))
    if not running.held:
        url = running.other()
        running.close()
        if not url:
            _fail(msg("cli.review_elsewhere", path=dataset))
        _say(msg("cli.review_open", path=dataset, url=url))
        if not no_browser:
            webbrowser.open(url)
        return
    try:
        session = ReviewSession(dataset, privacy, reviewer or getpass.getuser())
    except PdfformsError as exc:
        running.close()
        _fail(str(exc))
    counts = session.counts()
    if counts["total"] == 0:
        running.close()
        _say(msg("cli.review_nothing", path=dataset))
        return

    def ready(url: str) -> None:
        running.record(url)
        left, total = count(counts["left"]), count(counts["total"])
        click.echo(msg("cli.review_ready", left=left, total=total, url=url), err=True)
        if not no_browser:
            webbrowser.open(url)

    def stop(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)  # also when started in the background, where it is ignored
    try:
        server, _thread = serve(dataset, session, port, lang or language(), ready)
    except PdfformsError as exc:
        running.close()
        _fail(str(exc))
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        if session.stop() or session.saved_this_session:
            session.write_dataset()
        running.close()
    left = session.counts()["left"]
    saved = count(session.saved_this_session)
    click.echo(msg("cli.review_saved", saved=saved, left=count(left)), err=True)
    if session.rebuild_error:
        _fail(msg("cli.review_not_rebuilt", path=dataset, reason=session.rebuild_error))


@main.command()
@click.argument("keyfile", type=click.Path(path_type=Path))
def keygen(keyfile: Path) -> None:
    """Write a new random pseudonymisation key (readable by you only).

    Keep it apart from the data: with the key, pseudonyms can be tested against
    personnummer; without it, they cannot.
    """
    from .dataset.extract import write_key

    try:
        write_key(keyfile)
    except PdfformsError as exc:
        _fail(str(exc))
    _say(msg("cli.key_written", path=keyfile))


@main.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path))
def import_(source: Path, output: Path | None) -> None:
    """Make a definition of another system's form: a FHIR Questionnaire (.json) or an
    XLSForm (.xlsx).

    What could not be carried over is listed on stderr, a line each, and as comments
    at the top of the YAML. The definition is checked as validate checks it.
    """
    from . import import_definition
    from .exchange.importers import definition_yaml
    from .model.definition import parse_definition

    _subject(source, reading=True)
    try:
        definition, notes = import_definition(source)
    except PdfformsError as exc:
        _fail(str(exc))
    _subject(source)
    for note in notes:
        _say(one_line(f"{source}: {note}"))
    text = definition_yaml(definition, notes, source.name)
    target = str(output) if output is not None else "<stdout>"
    form, faults = parse_definition(text, target, printable=True)
    if output is not None:
        _write_output(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)
    for fault in faults:
        _say(one_line(str(fault)))
    if faults:
        _fail(msg("cli.import_faults", path=target, n=len(faults)), status=1)
    assert form is not None
    done = msg(
        "cli.imported",
        path=target,
        form=form.id,
        n=len(form.answerable),
        languages=", ".join(form.languages),
        notes=len(notes),
    )
    _say(done)


@main.command()
@click.argument("definition", type=click.Path(path_type=Path))
@click.option("--fhir", "fhir", is_flag=True)
@click.option("-o", "--output", type=click.Path(path_type=Path))
def export(definition: Path, fhir: bool, output: Path | None) -> None:
    """Write a definition in another system's format: --fhir, a FHIR R4 Questionnaire."""
    from .exchange.fhir import questionnaire

    if not fhir:
        _fail(msg("cli.export_which"))
    _subject(definition)
    form = _load(definition)
    notes: list[str] = []
    resource = questionnaire(form, notes)
    for note in notes:
        _say(one_line(f"{definition}: {note}"))
    text = json.dumps(resource, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        _write_output(output, text.encode("utf-8"))
        click.echo(str(output))


@main.command()
def schema() -> None:
    """Print the JSON Schema of the definition format."""
    from .model.schema import json_schema

    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


def _write_output(path: Path, data: bytes) -> None:
    """Write to a temporary file and rename, so no reader ever sees half a file.

    A failure is one line naming the file.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        _fail(msg("cli.cannot_write", path=path, reason=exc.strerror or exc))


if __name__ == "__main__":  # pragma: no cover
    main()
