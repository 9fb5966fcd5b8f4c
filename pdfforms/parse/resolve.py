"""Which definition a returned file was made from.

The definition embedded in the PDF when it matches the file's identity, else the
definition folders; a file that names no form is matched by its field names.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..model.definition import parse_definition
from ..model.form import Form
from ..model.library import FormLibrary, default_definition_dirs, version_key
from ..model.messages import text as msg
from ..read import RawForm, ReadError


@lru_cache(maxsize=64)
def _embedded_form(text: str) -> Form | None:
    form, _faults = parse_definition(text, "<definition embedded in the PDF>")
    return form


@lru_cache(maxsize=16)
def _library(dirs: tuple[str, ...], stamp: tuple[float, ...]) -> FormLibrary:
    del stamp  # part of the cache key only: an edited definition is loaded again
    return FormLibrary.from_dirs([Path(d) for d in dirs])


def library_for(dirs: list[Path]) -> FormLibrary:
    stamps = []
    for d in dirs:
        stamps.append(max((p.stat().st_mtime for p in Path(d).glob("*.y*ml")), default=0.0))
    return _library(tuple(str(d) for d in dirs), tuple(stamps))


def resolve_form(raw: RawForm, definitions: list[Path] | None = None) -> Form:
    """The definition a file was made from.

    With `definitions` given, only those folders count. Without, the definition
    embedded in the PDF is used when it is there and matches the file's identity,
    then the `form_definitions/` folders.
    """
    ident = raw.identity
    if definitions is None:
        if raw.embedded_definition and ident.form:
            form = _embedded_form(raw.embedded_definition)
            if form is not None and (form.id, form.version) == (ident.form, ident.version):
                return form
        dirs = default_definition_dirs()
    else:
        dirs = list(definitions)
    library = library_for(dirs)
    where = ", ".join(str(d) for d in dirs) or msg("resolve.no_folder")
    if not ident.form:
        if not raw.fields:
            raise ReadError(msg("resolve.not_ours"))
        form = _match_by_fields(raw, library)
        if form is not None:
            raw.matched_by_fields = [
                f.version
                for f in library.forms.values()
                if f.id == form.id and set(f.field_names()) == set(form.field_names())
            ]
        if form is None:
            raise ReadError(msg("resolve.no_match", where=where))
        return form
    form = library.get(ident.form, ident.version or "")
    if form is not None:
        return form
    versions = library.versions(ident.form)
    if versions:
        raise ReadError(
            msg(
                "resolve.unknown_version",
                form=ident.form,
                version=ident.version,
                known=", ".join(versions),
                where=where,
            )
        )
    raise ReadError(msg("resolve.unknown_form", form=ident.form, where=where))


def _match_by_fields(raw: RawForm, library: FormLibrary) -> Form | None:
    names = set(raw.fields)
    best, best_score = None, 0.0
    # newest first, so that of versions with the same fields the newest is taken
    for form in sorted(library.forms.values(), key=lambda f: version_key(f.version), reverse=True):
        expected = set(form.field_names())
        if not expected:
            continue
        score = len(names & expected) / len(names | expected)
        if score > best_score:
            best, best_score = form, score
    return best if best_score >= 0.9 else None
