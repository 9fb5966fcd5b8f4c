"""Every message a person reads, in Swedish and English: the one catalogue.

A message is looked up by its key and filled in with `str.format` values:
`text("cli.no_dataset", dataset=path, stem=stem)`. Swedish comes first in every
entry, English second; tests/test_messages.py checks that every key has both,
with the same placeholders, and that no message a command prints, an error
raises or a parsed form's problem carries is written outside this catalogue in
the modules that have moved to it.

The language of the messages is, in this order:

1. what `set_language` was given (the command's global `--lang`, or a script);
2. the environment variable PDFFORMS_LANG (`sv` or `en`): this is how the reader
   processes of `extract` get the language of the command that started them;
3. the locale's language for messages (the first of LC_ALL, LC_MESSAGES and LANG
   that is set, as POSIX orders them) when it is one we have: `sv_SE.UTF-8` and
   `sv_FI` give Swedish, `en_GB` and `en_US` English;
4. Swedish: the users are Swedish primary care, so a locale in another language
   (or none, `C`, `POSIX`) gets Swedish.

The codes that programs read (a problem's `code`, SPEC §4; exit statuses) never
depend on the language; only the words do.

Not here: the report's words (report/text.py: a report is written in the language
asked for, whatever the user's), and the texts of the forms themselves (the
definitions carry them per language).
"""

from __future__ import annotations

import contextlib
import os
import string

LANGUAGES = ("sv", "en")
DEFAULT = "sv"
ENV = "PDFFORMS_LANG"

_chosen: str | None = None


def set_language(lang: str | None) -> None:
    """Choose the messages' language for this process (None: back to the environment)."""
    global _chosen
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"no messages in {lang!r}; the languages are {', '.join(LANGUAGES)}")
    _chosen = lang


def locale_language(environ=None) -> str | None:
    """The locale's language for messages when we have it ('sv', 'en'), else None."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            lang = value.split(".")[0].split("_")[0].split("@")[0].lower()
            return lang if lang in LANGUAGES else None
    return None


def language(environ=None) -> str:
    """The language messages are written in now (see the module's note for the order)."""
    if _chosen is not None:
        return _chosen
    environ = os.environ if environ is None else environ
    said = (environ.get(ENV) or "").strip().lower()
    if said in LANGUAGES:
        return said
    return locale_language(environ) or DEFAULT


@contextlib.contextmanager
def in_language(lang: str | None):
    """Messages in `lang` inside the block (None: as they are), then as before."""
    global _chosen
    if lang is None:
        yield
        return
    before = _chosen
    set_language(lang)
    try:
        yield
    finally:
        _chosen = before


def text(key: str, in_lang: str | None = None, **values) -> str:
    """The message `key` in `in_lang` (default: `language()`), filled in with `values`
    (which may themselves be named `lang`)."""
    entry = MESSAGES[key]
    return entry[in_lang or language()].format(**values)


def placeholders(template: str) -> set[str]:
    """The names a message template fills in (for the catalogue's test)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# Keys are `<where>.<what>`. Each entry: {"sv": ..., "en": ...}, Swedish first.
MESSAGES: dict[str, dict[str, str]] = {
    # --- the command line (pdfforms/cli.py) ---
    "cli.definition_faults": {
        "sv": "{path}: {n} fel i definitionen; kör 'pdfforms validate {path}' när de är rättade",
        "en": "{path}: {n} fault(s) in the definition; run 'pdfforms validate {path}' after "
        "fixing them",
    },
    "cli.machine_translation": {
        "sv": "{path}:{line}: varning: texterna på '{lang}' är maskinöversatta och måste "
        "granskas av en behörig översättare",
        "en": "{path}:{line}: warning: the '{lang}' texts are machine-made and must be checked "
        "by a qualified translator",
    },
    "cli.validate_ok": {
        "sv": "{path}: ok – formulär '{form}' version {version}, {n} frågor, språk {languages}",
        "en": "{path}: ok – form '{form}' version {version}, {n} questions, languages {languages}",
    },
    "cli.no_language": {
        "sv": "{path}: formuläret finns inte på språket '{lang}' (det finns på {languages})",
        "en": "{path}: the form has no language '{lang}' (it has {languages})",
    },
    "cli.cannot_write": {
        "sv": "{path}: kan inte skrivas ({reason})",
        "en": "{path}: cannot write ({reason})",
    },
    "cli.cannot_read": {
        "sv": "{path}: kan inte läsas ({reason})",
        "en": "{path}: cannot read ({reason})",
    },
    "cli.run_done": {
        "sv": "{copies} exemplar, {pages} sidor; liggare: {ledger}",
        "en": "{copies} copies, {pages} pages; ledger: {ledger}",
    },
    "cli.run_split": {
        "sv": "; en fil per exemplar i {folder}",
        "en": "; one file per copy in {folder}",
    },
    "cli.not_json": {
        "sv": "{path}: inte JSON (rad {line}: {reason})",
        "en": "{path}: not JSON (line {line}: {reason})",
    },
    "cli.not_answers": {
        "sv": "{path}: här väntades ett objekt med svar, eller ett tolkat formulär med 'answers'",
        "en": "{path}: expected an object of answers, or a parsed form with 'answers'",
    },
    "cli.answer_faults": {
        "sv": "{path}: {n} fel i svaren; inget skrevs",
        "en": "{path}: {n} fault(s) in the answers; nothing was written",
    },
    "cli.no_definitions_folder": {
        "sv": "{path}: det finns ingen sådan mapp med definitioner",
        "en": "{path}: no such definitions folder",
    },
    "cli.page_status": {
        "sv": "{path}: sida {page}: {status}",
        "en": "{path}: page {page}: {status}",
    },
    "cli.interrupted": {
        "sv": "{path}: avbrutet; det som lästs är sparat: kör samma kommando igen för att "
        "fortsätta",
        "en": "{path}: interrupted; what was read is saved: run the same command again to continue",
    },
    "cli.no_dataset": {
        "sv": "{path}: det finns ingen sådan datamängd (ingen {stem}.manifest.json bredvid); "
        "gör den med `pdfforms extract`",
        "en": "{path}: no such dataset (no {stem}.manifest.json beside it); make it with "
        "`pdfforms extract`",
    },
    "cli.review_elsewhere": {
        "sv": "{path}: granskas av en annan pdfforms; stäng den först",
        "en": "{path}: is being reviewed by another pdfforms; close that one first",
    },
    "cli.review_open": {
        "sv": "{path} är redan öppen för granskning: {url}",
        "en": "{path} is already open for review: {url}",
    },
    "cli.review_nothing": {
        "sv": "{path}: inget att granska",
        "en": "{path}: nothing to review",
    },
    "cli.review_ready": {
        "sv": "pdfforms: {left} av {total} att granska kvar på\n  {url}\n(Ctrl-C när du är "
        "klar: datamängden skrivs då igen)",
        "en": "pdfforms: {left} of {total} item(s) left to review at\n  {url}\n(Ctrl-C when "
        "done: the dataset is written again)",
    },
    "cli.review_saved": {
        "sv": "pdfforms: {saved} beslut sparade; {left} kvar att granska",
        "en": "pdfforms: {saved} decision(s) saved; {left} item(s) left",
    },
    "cli.review_not_rebuilt": {
        "sv": "{path}: besluten är sparade, men {reason}",
        "en": "{path}: the decisions are saved, but {reason}",
    },
    "cli.key_written": {
        "sv": "skrev en 256-bitars nyckel till {path}",
        "en": "wrote a 256-bit key to {path}",
    },
    # --- conditions in words (model/rules.py) ---
    "rules.is": {"sv": "{question} är {values}", "en": "{question} is {values}"},
    "rules.and": {"sv": " och ", "en": " and "},
    "rules.or": {"sv": " eller ", "en": " or "},
    "rules.not": {"sv": "inte ({condition})", "en": "not ({condition})"},
    # --- a parsed form's problems (parse/interpret.py; SPEC §4: the code stays) ---
    "interpret.question": {"sv": "fråga '{id}'", "en": "question '{id}'"},
    "interpret.question_numbered": {
        "sv": "fråga {number} '{id}'",
        "en": "question {number} '{id}'",
    },
    "interpret.row": {"sv": ", rad '{row}'", "en": ", row '{row}'"},
    "interpret.should_be_skipped": {
        "sv": "{question} är besvarad, men den ställs bara när {when}",
        "en": "{question} is answered, but it is only asked when {when}",
    },
    "interpret.did_not_apply": {
        "sv": ", och {question} gällde inte",
        "en": ", and {question} did not apply",
    },
    "interpret.too_long": {
        "sv": "{question}: svaret har {n} tecken, fler än de {max} som frågan medger: {value}",
        "en": "{question}: the answer has {n} characters, more than the {max} asked for: {value}",
    },
    "interpret.too_large": {
        "sv": "{question}: {value} är för stort för att vara ett tal",
        "en": "{question}: {value} is too large to be a number",
    },
    "interpret.too_many_decimals": {
        "sv": "{question}: {value} har fler än {decimals} decimaler",
        "en": "{question}: {value} has more than {decimals} decimals",
    },
    "interpret.below_min": {
        "sv": "{question}: {value} är mindre än det minsta tillåtna, {min}",
        "en": "{question}: {value} is less than the smallest allowed, {min}",
    },
    "interpret.above_max": {
        "sv": "{question}: {value} är större än det största tillåtna, {max}",
        "en": "{question}: {value} is more than the largest allowed, {max}",
    },
    "interpret.unknown_value": {
        "sv": "{question}: {value} är inte ett av dess svar ({allowed})",
        "en": "{question}: {value} is not one of its answers ({allowed})",
    },
    "interpret.multiple_marks": {
        "sv": "{question}: mer än en ruta är markerad ({marks}), men bara ett svar är tillåtet",
        "en": "{question}: more than one box is marked ({marks}), but only one answer is allowed",
    },
    "interpret.not_yes_or_no": {
        "sv": "{question}: {value} är varken ja eller nej",
        "en": "{question}: {value} is neither yes nor no",
    },
    "interpret.other_text_not_chosen": {
        "sv": "{question}: {text} står skrivet vid det andra svaret, men '{value}' är markerat",
        "en": "{question}: {text} is written beside the other choice, but '{value}' is marked",
    },
    "interpret.too_few_choices": {
        "sv": "{question}: {n} markerade ({chosen}), minst {min} efterfrågas",
        "en": "{question}: {n} marked ({chosen}), at least {min} asked for",
    },
    "interpret.too_many_choices": {
        "sv": "{question}: {n} markerade ({chosen}), högst {max} tillåts",
        "en": "{question}: {n} marked ({chosen}), at most {max} allowed",
    },
    "interpret.required_rows": {
        "sv": "{question} är obligatorisk, men rad(erna) {rows} är tomma",
        "en": "{question} is required, but row(s) {rows} are blank",
    },
    "interpret.required": {
        "sv": "{question} är obligatorisk men tom ({label})",
        "en": "{question} is required but blank ({label})",
    },
    # --- dates and numbers as typed (model/coerce.py) ---
    "coerce.no_month": {
        "sv": "{value} är inget datum: det finns ingen månad {month}",
        "en": "{value} is not a date: there is no month {month}",
    },
    "coerce.no_day": {
        "sv": "{value} är inget datum: det finns ingen dag {day} i månad {month} år {year}",
        "en": "{value} is not a date: there is no day {day} in month {month} of {year}",
    },
    "coerce.date_empty": {
        "sv": "{value} är inget datum: det är tomt",
        "en": "{value} is not a date: it is empty",
    },
    "coerce.not_a_date": {
        "sv": "{value} är inget datum; skriv det som ÅÅÅÅ-MM-DD, t.ex. 2024-03-05",
        "en": "{value} is not a date; write it as YYYY-MM-DD, e.g. 2024-03-05",
    },
    "coerce.number_empty": {
        "sv": "{value} är inget tal: det är tomt",
        "en": "{value} is not a number: it is empty",
    },
    "coerce.approximate": {
        "sv": "{value} är ungefärligt; skriv ett enda tal utan 'ca' eller '~'",
        "en": "{value} is approximate; write a single number without 'ca' or '~'",
    },
    "coerce.range": {
        "sv": "{value} ser ut som ett intervall; skriv ett enda tal",
        "en": "{value} looks like a range; write a single number",
    },
    "coerce.mixed_marks": {
        "sv": "{value} blandar ',' och '.'; använd ',' för decimaler och mellanslag mellan "
        "tusental, t.ex. 1 234,5",
        "en": "{value} mixes ',' and '.'; use ',' for decimals and spaces between thousands, "
        "e.g. 1 234,5",
    },
    "coerce.not_a_number": {"sv": "{value} är inget tal", "en": "{value} is not a number"},
    "coerce.not_whole": {
        "sv": "{value} är inget heltal",
        "en": "{value} is not a whole number",
    },
    "coerce.too_large": {
        "sv": "{value} är för stort för att vara ett tal",
        "en": "{value} is too large to be a number",
    },
    # --- personnummer (model/personnummer.py) ---
    "pnr.separators": {
        "sv": "{value} har mer än ett skiljetecken; skriv det som ÅÅÅÅMMDD-NNNN",
        "en": "{value} has more than one separator; write it as YYYYMMDD-NNNN",
    },
    "pnr.character": {
        "sv": "{value} innehåller {char}; ett personnummer har bara siffror och ett '-' eller "
        "'+' före de fyra sista siffrorna",
        "en": "{value} contains {char}; a personnummer has only digits and one '-' or '+' "
        "before the last four digits",
    },
    "pnr.empty": {
        "sv": "{value} är tomt; här väntades ett personnummer (ÅÅÅÅMMDD-NNNN)",
        "en": "{value} is empty; expected a personnummer (YYYYMMDD-NNNN)",
    },
    "pnr.digits": {
        "sv": "{value} har {n} siffror; ett personnummer har 10 eller 12",
        "en": "{value} has {n} digits; a personnummer has 10 or 12",
    },
    "pnr.separator_place": {
        "sv": "{value} har {separator} på fel plats; det ska stå före de fyra sista siffrorna",
        "en": "{value} has the {separator} in the wrong place; it belongs before the last "
        "four digits",
    },
    "pnr.plus_with_century": {
        "sv": "{value} har '+' med ett fyrsiffrigt år; '+' (100 år eller äldre) används bara "
        "i den tiosiffriga formen ÅÅMMDD+NNNN",
        "en": "{value} combines '+' with a 4-digit year; '+' (aged 100 or more) is only used "
        "in the 10-digit form YYMMDD+NNNN",
    },
    "pnr.no_such_day": {
        "sv": "{value} är inget giltigt datum: dag {day} i månad {month} finns inte år {year}",
        "en": "{value} is not a valid date: day {day} of month {month} does not exist in {year}",
    },
    "pnr.no_such_coordination_day": {
        "sv": "{value} är inget giltigt datum: samordningsnumrets dag {day} i månad {month} "
        "finns inte år {year}",
        "en": "{value} is not a valid date: samordningsnummer day {day} of month {month} does "
        "not exist in {year}",
    },
    "pnr.future": {
        "sv": "{value} har ett födelsedatum i framtiden ({date})",
        "en": "{value} has a birth date in the future ({date})",
    },
    "pnr.check_digit": {
        "sv": "{value} har fel kontrollsiffra",
        "en": "{value} has a wrong check digit",
    },
}
