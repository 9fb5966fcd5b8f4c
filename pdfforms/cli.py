"""The `pdfforms` command: a thin shell over the Python API (SPEC §5).

Commands parse arguments, call the API and print. A file that cannot be read
gives one line on stderr naming the file and the reason, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .form import DefinitionError, check_definition, load_form
from .read import ReadError


def _fail(message: str, status: int = 2) -> None:
    click.echo(f"pdfforms: {message}", err=True)
    sys.exit(status)


def _load(path: Path):
    try:
        return load_form(path)
    except DefinitionError as exc:
        for fault in exc.faults:
            click.echo(str(fault), err=True)
        _fail(
            f"{path}: {len(exc.faults)} fault(s) in the definition; run "
            f"'pdfforms validate {path}' after fixing them"
        )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pdfforms")
def main() -> None:
    """Questionnaires in YAML → fillable, printable PDF forms → JSON."""


@main.command()
@click.argument("definitions", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(definitions: tuple[Path, ...]) -> None:
    """Check definition files; print every fault as file:line: message."""
    total = 0
    for path in definitions:
        form, faults = check_definition(path)
        for fault in faults:
            click.echo(str(fault))
        total += len(faults)
        if form is not None:
            n = len(form.answerable)
            click.echo(
                f"{path}: ok – form '{form.id}' version {form.version}, {n} questions, "
                f"languages {', '.join(form.languages)}",
                err=True,
            )
    sys.exit(1 if total else 0)


@main.command()
@click.argument("definition", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Where to write the PDF [default: output/<name>-<lang>.pdf].",
)
@click.option("--lang", help="Language of the form [default: the definition's first].")
@click.option("--large-print", is_flag=True, help="14 pt text and bigger boxes.")
def generate(definition: Path, output: Path | None, lang: str | None, large_print: bool) -> None:
    """Write the fillable, printable PDF of a form."""
    from .render import generate as generate_pdf

    form = _load(definition)
    lang = lang or form.default_language
    if lang not in form.languages:
        _fail(
            f"{definition}: the form has no language '{lang}' (it has {', '.join(form.languages)})"
        )
    if output is None:
        suffix = "-stor" if large_print and lang == "sv" else "-large" if large_print else ""
        output = Path("output") / f"{definition.stem}-{lang}{suffix}.pdf"
    data = generate_pdf(form, lang, large_print=large_print)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(output, data)
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror or exc})")
    click.echo(str(output))


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--definitions",
    "definitions",
    type=click.Path(path_type=Path),
    multiple=True,
    help="Folder of definitions (repeatable) [default: the definition embedded in "
    "the PDF, then form_definitions/].",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the JSON here.")
def parse(file: Path, definitions: tuple[Path, ...], output: Path | None) -> None:
    """Read a filled form and print its answers as JSON."""
    from .parse import parse as parse_file

    for d in definitions:
        if not d.is_dir():
            _fail(f"{d}: no such definitions folder")
    try:
        response = parse_file(file, list(definitions) or None)
    except ReadError as exc:
        _fail(f"{file}: {exc}")
    text = json.dumps(response.to_json(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            _write_atomic(output, text.encode("utf-8"))
        except OSError as exc:
            _fail(f"{output}: cannot write ({exc.strerror or exc})")


@main.command()
def schema() -> None:
    """Print the JSON Schema of the definition format."""
    from .schema import json_schema

    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file and rename, so no reader ever sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


if __name__ == "__main__":  # pragma: no cover
    main()
