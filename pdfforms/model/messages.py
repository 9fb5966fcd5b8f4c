"""Every message a person reads, in Swedish and English: the one catalogue.

A message is looked up by its key and filled in with `str.format` values:
`text("cli.no_dataset", dataset=path, stem=stem)`. Swedish comes first in every
entry, English second; tests/test_messages.py checks that every key has both,
with the same placeholders, and that no message a command prints, an error
raises or a parsed form's problem carries is written outside this catalogue in
the modules that have moved to it.

The language of the messages is, in this order:

1. what `in_language` was given, inside its block and thread (the review server
   answers each page in the page's language), else what `set_language` was given
   (the command's global `--lang`, or a script);
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
import threading

LANGUAGES = ("sv", "en")
DEFAULT = "sv"
ENV = "PDFFORMS_LANG"

_chosen: str | None = None  # set_language's, for the process
_thread = threading.local()  # in_language's, for a block of one thread


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
    chosen = getattr(_thread, "lang", None) or _chosen
    if chosen is not None:
        return chosen
    environ = os.environ if environ is None else environ
    said = (environ.get(ENV) or "").strip().lower()
    if said in LANGUAGES:
        return said
    return locale_language(environ) or DEFAULT


@contextlib.contextmanager
def in_language(lang: str | None):
    """Messages in `lang` inside the block (None: as they are), then as before. For this
    thread only: the review server answers each page in its language while the command
    goes on in its own."""
    if lang is None:
        yield
        return
    if lang not in LANGUAGES:
        raise ValueError(f"no messages in {lang!r}; the languages are {', '.join(LANGUAGES)}")
    before = getattr(_thread, "lang", None)
    _thread.lang = lang
    try:
        yield
    finally:
        _thread.lang = before


def text(key: str, /, in_lang: str | None = None, **values) -> str:
    """The message `key` in `in_lang` (default: `language()`), filled in with `values`
    (which may themselves be named `key` or `lang`)."""
    entry = MESSAGES[key]
    return entry[in_lang or language()].format(**values)


def count(n: int, in_lang: str | None = None) -> str:
    """A whole number as the language writes it: 12 345 (a no-break space) in Swedish,
    12,345 in English."""
    written = f"{n:,}"
    return written.replace(",", "\u00a0") if (in_lang or language()) == "sv" else written


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
    "interpret.cell": {
        "sv": "{question}, rad {row}, ”{item}”",
        "en": "{question}, row {row}, “{item}”",
    },
    "interpret.required_group": {
        "sv": "{question} är obligatorisk, men ingen rad är ifylld",
        "en": "{question} is required, but no row is filled in",
    },
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
    # --- a returned file that cannot be read (read/; after "<file>: ") ---
    "read.no_such_file": {"sv": "finns inte", "en": "no such file"},
    "read.cannot_read": {"sv": "kan inte läsas ({reason})", "en": "cannot be read ({reason})"},
    "read.folder": {"sv": "är en mapp, inte en PDF-fil", "en": "is a folder, not a PDF file"},
    "read.not_regular": {
        "sv": "är ingen vanlig fil (en pipe, en enhet eller en socket)",
        "en": "is not a regular file (a pipe, a device or a socket)",
    },
    "read.empty": {"sv": "är tom (0 byte)", "en": "is empty (0 bytes)"},
    "read.not_pdf": {"sv": "är ingen PDF-fil", "en": "is not a PDF file"},
    "read.encrypted": {
        "sv": "är krypterad med lösenord; spara en oskyddad kopia och läs den",
        "en": "is encrypted with a password; save an unprotected copy and read that",
    },
    "read.cannot_open": {
        "sv": "är en skadad PDF som inte kan öppnas ({reason})",
        "en": "is a damaged PDF that cannot be opened ({reason})",
    },
    "read.damaged": {"sv": "är skadad: {what}", "en": "is damaged: {what}"},
    "read.damaged_pdf": {"sv": "är en skadad PDF ({reason})", "en": "is a damaged PDF ({reason})"},
    "read.looping": {
        "sv": "har en objektstruktur som går i cirkel",
        "en": "has a looping object structure",
    },
    "read.too_many_pages": {
        "sv": "har {n} sidor, fler än de {max} en returnerad fil får ha (en skanners bunt om "
        "500 ark, båda sidor); dela den i mindre filer",
        "en": "has {n} pages, more than the {max} a returned file may have (a scanner's batch "
        "of 500 sheets, both sides); split it into smaller files",
    },
    "read.too_many_pixels": {
        "sv": "{what} {width} × {height} bildpunkter, fler än de {max} en sida får ha",
        "en": "{what} {width} × {height} pixels, more than the {max} a page may have",
    },
    "read.bomb": {"sv": " (en dekomprimeringsbomb?)", "en": " (a decompression bomb?)"},
    "read.page_measures": {
        "sv": "sida {page} mäter {width} × {height} mm, vilket vid {dpi} dpi är",
        "en": "page {page} measures {width} × {height} mm, which at {dpi} dpi is",
    },
    "read.page_draws_image": {
        "sv": "sida {page} ritar en bild på",
        "en": "page {page} draws an image of",
    },
    "read.page_is_image": {"sv": "sida {page} är en bild på", "en": "page {page} is an image of"},
    "read.draws_too_much": {
        "sv": "dess sidor ritar mer än {mb} MB när de packats upp (sida {page} går över); "
        "inget av våra formulär kommer i närheten, så det kan vara en dekomprimeringsbomb",
        "en": "its pages draw more than {mb} MB once decompressed (page {page} goes past it); "
        "no form of ours comes near, so it may be a decompression bomb",
    },
    "read.fields_too_deep": {
        "sv": "formulärets fältträd är för djupt nästlat (en slinga?)",
        "en": "the form's field tree is nested too deeply (a loop?)",
    },
    "read.fields_loop": {
        "sv": "formulärets fältträd har en slinga i en /Parent-kedja",
        "en": "the form's field tree has a loop in a /Parent chain",
    },
    "read.drawing_unreadable": {
        "sv": "är skadad: dess ritade sidor kan inte läsas ({reason})",
        "en": "is damaged: its drawn pages cannot be read ({reason})",
    },
    "read.not_an_image": {
        "sv": "är ingen bild som kan läsas (varken PNG, JPEG eller TIFF, eller skadad)",
        "en": "is not an image that can be read (neither PNG, JPEG nor TIFF, or damaged)",
    },
    "read.image_too_many_pixels": {
        "sv": "är en bild på {pixels} bildpunkter, fler än de {max} en sida får ha",
        "en": "is an image of {pixels} pixels, more than the {max} a page may have",
    },
    "read.one_of_its_pages": {"sv": "en av dess sidor", "en": "one of its pages"},
    "read.page": {"sv": "sida {page}", "en": "page {page}"},
    "read.image_damaged": {
        "sv": "är en bild som inte kan läsas: {where} är skadad ({reason})",
        "en": "is an image that cannot be read: {where} is damaged ({reason})",
    },
    # --- a field found damaged (read/acroform.py; after the field's name) ---
    "field.mark_not_shown": {
        "sv": "lagrar markeringen {value} (/V) men visar ingen markering (/AS)",
        "en": "stores the mark {value} (/V) but shows no mark (/AS)",
    },
    "field.kids_broken": {
        "sv": "har inget användbart värde (/V) och dess widgetar (/Kids) är trasiga",
        "en": "has no usable value (/V) and its widgets (/Kids) are broken",
    },
    "field.widget_missing": {
        "sv": "har inget användbart värde (/V) och en av dess widgetar saknas",
        "en": "has no usable value (/V) and one of its widgets is missing",
    },
    "field.state_without_look": {
        "sv": "visar läget {state} (/AS), som det inte har något utseende för",
        "en": "shows the state {state} (/AS), which it has no look for",
    },
    "field.text_undecodable": {
        "sv": "har text som inte kan avkodas (skadade tecken)",
        "en": "holds text that cannot be decoded (damaged characters)",
    },
    "field.text_shown_not_stored": {
        "sv": "lagrar ingen text (/V) men visar text på sidan",
        "en": "stores no text (/V) but shows text on the page",
    },
    "field.shown_undecodable": {
        "sv": "lagrar ingen text (/V), och det som visas kan inte avkodas",
        "en": "stores no text (/V), and what it shows cannot be decoded",
    },
    "field.unknown_type": {
        "sv": "har en okänd fälttyp ({kind})",
        "en": "has an unknown field type ({kind})",
    },
    "field.no_type": {"sv": "har ingen fälttyp (/FT)", "en": "has no field type (/FT)"},
    "field.unreadable": {
        "sv": "{why}, så det som står i det kan inte läsas",
        "en": "{why}, so what it holds cannot be read",
    },
    # --- a flattened copy's drawing found damaged (read/flattened.py) ---
    "drawing.no_inflate": {
        "sv": "dess komprimerade data går inte att packa upp",
        "en": "its compressed data does not decompress",
    },
    "drawing.stops_short": {
        "sv": "dess komprimerade data tar slut för tidigt",
        "en": "its compressed data stops short",
    },
    "drawing.undecodable": {
        "sv": "dess data kan inte avkodas",
        "en": "its data cannot be decoded",
    },
    "drawing.not_operators": {
        "sv": "den består inte av ritoperatorer",
        "en": "it is not made of drawing operators",
    },
    "drawing.does_not_parse": {
        "sv": "den går inte att tolka som ritoperatorer",
        "en": "it does not parse as drawing operators",
    },
    "drawing.unknown_operator": {
        "sv": "den innehåller en operator som inte finns ({operator})",
        "en": "it holds an operator that does not exist ({operator})",
    },
    "drawing.part_missing": {
        "sv": "en del av dess ritning saknas",
        "en": "a part of its drawing is missing",
    },
    "drawing.in_object": {"sv": "{wrong} (objekt {object})", "en": "{wrong} (object {object})"},
    "drawing.content": {"sv": "dess innehåll", "en": "its content"},
    "drawing.font_missing": {
        "sv": "den skriver med ett typsnitt som filen saknar ({name})",
        "en": "it writes in a font the file lacks ({name})",
    },
    "drawing.xobject_missing": {
        "sv": "den ritar {name}, som filen saknar",
        "en": "it draws {name}, which the file lacks",
    },
    "drawing.xobject_kind": {
        "sv": "den ritar {name}, som varken är en ritning eller en bild",
        "en": "it draws {name}, which is not a drawing or an image",
    },
    "drawing.xobject_bbox": {
        "sv": "den ritar {name}, som saknar sin begränsningsruta (/BBox)",
        "en": "it draws {name}, which lacks its bounding box (/BBox)",
    },
    "drawing.page_damaged": {
        "sv": "ritningen på sida {page} är skadad: {fault}",
        "en": "page {page}'s drawing is damaged: {fault}",
    },
    "drawing.more": {"sv": " (och {n} till)", "en": " (and {n} more)"},
    "drawing.lost_letters": {
        "sv": "dess ritade text har bokstäver som inte motsvarar något tecken (kopian har "
        "förlorat dem)",
        "en": "its drawn text has letters that map to no character (the copy lost them)",
    },
    "drawing.foreign_characters": {
        "sv": "dess ritade text har tecken som varken typsnitten i formulärets fält eller "
        "formulärets språk har ({characters}): kopian kan ha ändrat det som skrevs",
        "en": "its drawn text has characters that no font of the form's fields has, nor the "
        "form's language ({characters}): the copy may have changed what was typed",
    },
    # --- reading a returned file as a form (parse/file.py) ---
    "parse.damaged_word": {"sv": "skadad", "en": "damaged"},
    "parse.damaged_and": {
        "sv": "är skadad: {damage}. Den {reason}",
        "en": "is damaged: {damage}. It {reason}",
    },
    "parse.too_few_fields": {
        "sv": "säger att den är formulär '{form}' version '{version}', men bara {n} av dess "
        "{total} fält finns i filen",
        "en": "says it is form '{form}' version '{version}', but only {n} of its {total} "
        "fields are in the file",
    },
    "parse.missing_fields": {
        "sv": "filen saknar {n} av formulärets fält: {fields}",
        "en": "the file lacks {n} field(s) of the form: {fields}",
    },
    "parse.damaged_no_answer": {
        "sv": "är skadad: {damage}. Inget svar kunde läsas ur den, så den räknas inte som "
        "ett formulär som lämnats tomt: be om filen igen",
        "en": "is damaged: {damage}. No answer could be read from it, so it is not counted "
        "as a form left blank: ask for the file again",
    },
    "parse.text_beyond_box": {
        "sv": "kopian har mer text utanför rutan än svaret rymmer (bara det som står inne i "
        "rutan lästes); utanför rutan: {beyond}. Jämför svaret med kopian",
        "en": "the copy has more text past the box than the answer holds (only what is "
        "inside the box was read); past the box: {beyond}. Check the answer against the copy",
    },
    "parse.unsure_rtl": {
        "sv": "vars bokstäver skrivs från höger till vänster: varje program ritar sådan "
        "inskriven text med egna former och i egen ordning, så det som skrevs",
        "en": "whose letters are written right to left: each program draws typed "
        "right-to-left text in its own shapes and order, so what was typed",
    },
    "parse.unsure_letters": {
        "sv": "vars bokstäver {letters} fältens typsnitt inte kan rita: det som skrevs",
        "en": "whose letters {letters} the fields' font cannot draw: what was typed",
    },
    "parse.text_unsure": {
        "sv": "en tillplattad eller utskriven kopia av ett formulär på '{lang}', {why} kan ha "
        "försvunnit eller ändrats på den här kopian (även en tom ruta). Läs svaret ur det "
        "sparade formuläret, inte en tillplattad kopia, eller kontrollera det med personen",
        "en": "a flattened or printed copy of a form in '{lang}', {why} may be lost or changed "
        "on this copy (an empty box too). Read the answer from the saved form, not a "
        "flattened copy, or check it with the person",
    },
    "parse.runs_on": {
        "sv": "inskriven text från rutan ovanför fortsätter in i den här rutan på kopian, så "
        "det som står här kan vara slutet på svaret ovanför, inte på det här. Jämför med "
        "det sparade formuläret eller med personen",
        "en": "typed text from the box above runs on into this box on the copy, so what it "
        "holds may be the end of the answer above, not this one. Check it against the saved "
        "form or with the person",
    },
    "parse.read_quoted": {"sv": " (läst: {read})", "en": " (read: {read})"},
    "parse.text_fills_box": {
        "sv": "{question}: texten når rutans nederkant{read}, och kopian visar inget utanför "
        "rutan. En skrivare kan ha klippt bort resten av svaret utan att det syns: jämför "
        "svaret med papperet eller med personen",
        "en": "{question}: the text reaches the bottom of its box{read}, and the copy shows "
        "nothing past the box. A printer may have cut off the rest of the answer without a "
        "trace: check the answer against the paper or with the person",
    },
    "parse.text_nearly_fills_box": {
        "sv": "{question}: texten når rutans näst sista rad{read}, och kopian visar inget "
        "utanför rutan. En skrivare kan ha klippt bort ett stycke efter en tom rad utan att "
        "det syns: jämför svaret med papperet eller med personen",
        "en": "{question}: the text reaches the last line but one of its box{read}, and the "
        "copy shows nothing past the box. A printer may have cut off a paragraph after an "
        "empty line without a trace: check the answer against the paper or with the person",
    },
    "parse.letters_warning": {
        "sv": "en tillplattad eller utskriven kopia: dess inskrivna svar är säkra bara i "
        "{letters}, bokstäverna i formulärets fält; en bokstav utanför dem kan ha tappats av "
        "programmet som plattade till den. Det sparade (inte tillplattade) formuläret har "
        "de exakta svaren",
        "en": "a flattened or printed copy: its typed answers are certain only in {letters}, "
        "the letters of the form's fields; a letter outside them may have been left out by "
        "the program that flattened it. The saved (not flattened) form has the exact answers",
    },
    "parse.file_damaged": {
        "sv": "filen är skadad: {damage}",
        "en": "the file is damaged: {damage}",
    },
    "parse.language_unknown": {
        "sv": "filen säger att den är på språket '{lang}', som formuläret inte har",
        "en": "the file says it is in language '{lang}', which the form does not have",
    },
    "parse.language_unsaid": {
        "sv": "filen säger inte på vilket språk den fylldes i (dess identitet saknas eller är "
        "skadad, och ingen sida säger det)",
        "en": "the file does not say in which language it was filled in (its identity is "
        "missing or damaged, and no page says)",
    },
    "parse.read_as_first_language": {
        "sv": "{why}; den läses som '{lang}', formulärets första språk",
        "en": "{why}; it is read as '{lang}', the form's first language",
    },
    "parse.type_text": {"sv": "textfält", "en": "text field"},
    "parse.type_button": {"sv": "knappfält", "en": "button field"},
    "parse.type_choice": {"sv": "valfält", "en": "choice field"},
    "parse.type_strange": {"sv": "okänt fält", "en": "strange field"},
    "parse.field_type": {
        "sv": "är ett {have} i filen, men ett {want} i formuläret",
        "en": "is a {have} in the file, but a {want} in the form",
    },
    "parse.the_field": {"sv": "fältet '{name}' {why}", "en": "the field '{name}' {why}"},
    "parse.field_damaged": {
        "sv": "{question}: {why}; filen är skadad där, så svaret utelämnas",
        "en": "{question}: {why}; the file is damaged there, so the answer is left out",
    },
    "parse.page_count": {
        "sv": "har {n} sidor, men formulär '{form}' version '{version}' på '{lang}' har "
        "{pages}; den kan inte passas ihop med formuläret",
        "en": "has {n} page(s), but form '{form}' version '{version}' in '{lang}' has "
        "{pages}; it cannot be lined up with the form",
    },
    "parse.many_questionnaires": {
        "sv": "innehåller {n} formulär; läs den med parse_document (eller pdfforms parse, "
        "som listar alla)",
        "en": "holds {n} questionnaires; read it with parse_document (or pdfforms parse, "
        "which lists them all)",
    },
    "parse.not_a_scan": {
        "sv": "kan inte läsas som en skanning ({reason})",
        "en": "cannot be read as a scan ({reason})",
    },
    "parse.not_an_image": {
        "sv": "är ingen bild som kan läsas ({reason})",
        "en": "is not an image that can be read ({reason})",
    },
    "parse.page_note": {"sv": "sida {page}: {note}", "en": "page {page}: {note}"},
    "parse.no_form_in_scan": {
        "sv": "är en skanning där ingen sida är ett av våra formulär ({pages})",
        "en": "is a scan in which no page is one of our forms ({pages})",
    },
    # --- which definition a file was made from (parse/resolve.py) ---
    "resolve.no_folder": {"sv": "ingen mapp med definitioner", "en": "no definition folder"},
    "resolve.not_ours": {
        "sv": "är inget pdfforms-formulär: den har inga formulärfält, och ingen sida bär ett "
        "pdfforms-formulärs id",
        "en": "is not a pdfforms form: it has no form fields, and no page carries a pdfforms "
        "form id",
    },
    "resolve.no_match": {
        "sv": "är inget pdfforms-formulär: den namnger inget formulär och dess fält passar "
        "ingen av definitionerna i {where}",
        "en": "is not a pdfforms form: it names no form and its fields match none of the "
        "definitions in {where}",
    },
    "resolve.unknown_version": {
        "sv": "är formulär '{form}' version '{version}', en okänd version (kända: {known} i "
        "{where})",
        "en": "is form '{form}' version '{version}', an unknown version (known: {known} in "
        "{where})",
    },
    "resolve.unknown_form": {
        "sv": "är formulär '{form}', som inte finns bland definitionerna i {where}",
        "en": "is form '{form}', which is not among the definitions in {where}",
    },
    # --- a scan's marks (parse/scan.py) ---
    "scan.corrected": {
        "sv": "ruta/rutor {boxes} i {name} är överstrukna bredvid ett kryss: läses som en rättelse",
        "en": "box(es) {boxes} of {name} are blacked out beside a tick: read as a correction",
    },
    "scan.digits_unsure": {
        "sv": "ruta {cells} gick inte att läsa säkert (? i förslaget)",
        "en": "box(es) {cells} could not be read surely (? in the suggestion)",
    },
    # --- a dataset (dataset/) ---
    "outcome.parsed": {"sv": "lästa", "en": "parsed"},
    "outcome.parsed_with_problems": {
        "sv": "lästa med problem",
        "en": "parsed with problems",
    },
    "outcome.needs_review": {"sv": "väntar på granskning", "en": "needs review"},
    "outcome.failed": {"sv": "misslyckade", "en": "failed"},
    "outcome.duplicate": {"sv": "dubbletter", "en": "duplicate"},
    "build.summary": {
        "sv": "{files} fil(er): {outcomes}; {questionnaires} formulär i datamängden",
        "en": "{files} file(s): {outcomes}; {questionnaires} questionnaire(s) in the dataset",
    },
    "build.none": {"sv": "inga", "en": "none"},
    "build.reviewed": {
        "sv": "; {n} beslut fattade vid granskning",
        "en": "; {n} item(s) decided in review",
    },
    "build.no_run": {
        "sv": "{path}: säger inte vilka filer datamängden gjordes av (gjord av en äldre "
        "pdfforms); kör `pdfforms extract` igen",
        "en": "{path}: does not say which files the dataset was made from (made by an older "
        "pdfforms); run `pdfforms extract` again",
    },
    "build.not_read": {
        "sv": "lästes inte (avbröts körningen?)",
        "en": "was not read (the run was interrupted?)",
    },
    "decisions.cannot_read": {
        "sv": "{path}: granskningsbesluten kan inte läsas ({reason})",
        "en": "{path}: cannot read the review decisions ({reason})",
    },
    "decisions.cannot_save": {
        "sv": "{path}: beslutet kan inte sparas ({reason})",
        "en": "{path}: cannot save the decision ({reason})",
    },
    "extract.no_inputs": {"sv": "inga indata", "en": "no inputs"},
    "extract.no_files": {
        "sv": "hittade inga filer att läsa i {where}",
        "en": "found no files to read in {where}",
    },
    "extract.cannot_make_folder": {
        "sv": "{path}: mappen kan inte skapas ({reason})",
        "en": "{path}: cannot make the folder ({reason})",
    },
    "extract.definition_lost": {
        "sv": "lästes med en definition som gått förlorad",
        "en": "was read with a definition that was lost",
    },
    "extract.needs_dask": {
        "sv": "--cluster behöver Dask: pip install 'pdfforms[cluster]'",
        "en": "--cluster needs Dask: pip install 'pdfforms[cluster]'",
    },
    "extract.no_cluster": {
        "sv": "når inte Dask-klustret på {address} ({reason})",
        "en": "cannot reach the Dask cluster at {address} ({reason})",
    },
    "extract.pages_failed": {
        "sv": "sidorna {first}–{last}: {reason}",
        "en": "pages {first}–{last}: {reason}",
    },
    "workers.not_on_worker": {
        "sv": "finns inte på Dask-arbetaren {host}: klustrets datorer måste se filerna "
        "under samma sökväg (en delad mapp)",
        "en": "is not on the Dask worker {host}: the cluster's machines must see the files "
        "at the same path (a shared folder)",
    },
    "extract.lost_worker": {
        "sv": "gick förlorad med sin Dask-arbetare ({reason})",
        "en": "was lost with its Dask worker ({reason})",
    },
    "extract.cannot_read_key": {
        "sv": "{path}: nyckeln kan inte läsas ({reason})",
        "en": "{path}: cannot read the key ({reason})",
    },
    "extract.short_key": {
        "sv": "{path}: nyckeln har {n} byte, minst 16 behövs; gör en med "
        "`pdfforms keygen NYCKELFIL`",
        "en": "{path}: the key has {n} bytes, at least 16 are needed; make one with "
        "`pdfforms keygen KEYFILE`",
    },
    "extract.key_and_keep": {
        "sv": "välj --pseudonymise-key eller --keep-personnummer, inte båda",
        "en": "choose --pseudonymise-key or --keep-personnummer, not both",
    },
    "extract.key_exists": {
        "sv": "{path}: finns redan; en ny nyckel skulle bryta kopplingen till gamla pseudonymer",
        "en": "{path}: exists already; a new key would break the links to old pseudonyms",
    },
    "journal.none": {
        "sv": "{path}: ingen journal; kör `pdfforms extract` igen",
        "en": "{path}: no journal; run `pdfforms extract` again",
    },
    "journal.not_ours": {
        "sv": "{path}: inte en journal från det här verktyget; börjar om",
        "en": "{path}: not a journal of this tool; starting over",
    },
    "journal.other_settings": {
        "sv": "{path}: det sparade förloppet gjordes med andra inställningar ({changed}); "
        "läser alla filer igen",
        "en": "{path}: the saved progress was made with other settings ({changed}); reading "
        "every file again",
    },
    "labelled.unknown_value": {
        "sv": "{path}: kolumnen '{column}' innehåller {value}, som definitionen inte har; det "
        "kan inte få någon kod",
        "en": "{path}: column '{column}' holds {value}, which the definition does not list; "
        "it cannot be given a code",
    },
    "tables.unknown_format": {
        "sv": "{path}: okänt format för datamängd '{suffix}'; döp den till .csv, .xlsx, "
        ".jsonl, .parquet, .sav (SPSS), .dta (Stata) eller .json (FHIR)",
        "en": "{path}: unknown dataset format '{suffix}'; name it .csv, .xlsx, .jsonl, "
        ".parquet, .sav (SPSS), .dta (Stata) or .json (FHIR)",
    },
    "tables.too_many_rows": {
        "sv": "bladet '{sheet}' har fler än {max} rader, Excels gräns; skriv .csv eller "
        ".parquet i stället",
        "en": "sheet '{sheet}' has more than {max} rows, Excel's limit; write .csv or "
        ".parquet instead",
    },
    "tables.unknown_value": {
        "sv": "{path}: kolumnen '{column}' innehåller {value}, som definitionen inte har",
        "en": "{path}: column '{column}' holds {value}, which the definition does not list",
    },
    "tables.needs_openpyxl": {
        "sv": "att skriva .xlsx kräver openpyxl: pip install openpyxl",
        "en": "writing .xlsx needs openpyxl: pip install openpyxl",
    },
    "tables.needs_pyarrow": {
        "sv": "{path}: att skriva .parquet kräver pyarrow: pip install 'pdfforms[parquet]'",
        "en": "{path}: writing .parquet needs pyarrow: pip install 'pdfforms[parquet]'",
    },
    "tables.needs_pyreadstat": {
        "sv": "{path}: att skriva .{format} kräver pyreadstat och pandas: "
        "pip install 'pdfforms[stats]'",
        "en": "{path}: writing .{format} needs pyreadstat and pandas: "
        "pip install 'pdfforms[stats]'",
    },
    # --- the reader processes (dataset/workers.py; after "<file>: ") ---
    "workers.time_limit": {
        "sv": "tog längre tid än {seconds} s, tidsgränsen för en fil (--time-limit); den kan "
        "vara skadad eller gjord för att få läsare att hänga sig",
        "en": "took longer than {seconds} s, the time limit for one file (--time-limit); it "
        "may be damaged or built to hang readers",
    },
    "workers.memory_limit": {
        "sv": "behövde mer än {mb} MB minne, gränsen för en fil (--memory-limit); den kan "
        "vara skadad eller gjord för att tömma läsarnas minne",
        "en": "needed more than {mb} MB of memory, the limit for one file (--memory-limit); "
        "it may be damaged or built to exhaust readers",
    },
    "workers.file_limit": {
        "sv": "är {size} MB, större än gränsen {mb} MB för en fil (--file-limit)",
        "en": "is {size} MB, larger than the {mb} MB limit for one file (--file-limit)",
    },
    "workers.out_of_memory": {
        "sv": "fick slut på minne medan den lästes; den kan vara skadad eller gjord för att "
        "tömma läsarnas minne",
        "en": "ran out of memory while being read; it may be damaged or built to exhaust readers",
    },
    "workers.too_deep": {
        "sv": "är för djupt nästlad för att läsas (en struktur som går i cirkel?)",
        "en": "is nested too deeply to be read (a looping structure?)",
    },
    "workers.could_not_read": {
        "sv": "kunde inte läsas: {error}",
        "en": "could not be read: {error}",
    },
    "workers.internal_file": {
        "sv": "{what} (ett fel i pdfforms; rapportera det gärna, med filen om du får dela den)",
        "en": "{what} (a fault in pdfforms; please report it with the file if you may share it)",
    },
    "workers.internal": {
        "sv": "{what} (ett fel i pdfforms; rapportera det gärna)",
        "en": "{what} (a fault in pdfforms; please report it)",
    },
    "workers.cannot_start": {
        "sv": "kan inte starta en läsarprocess ({reason}); systemet kan ha slut på processer "
        "eller minne",
        "en": "cannot start a reader process ({reason}); the system may be out of processes "
        "or memory",
    },
    "workers.killed": {
        "sv": "fick sin läsarprocess dödad (signal SIGKILL, oftast för att systemet fick slut "
        "på minne)",
        "en": "made its reader process get killed (signal SIGKILL, usually the system running "
        "out of memory)",
    },
    "workers.crashed": {
        "sv": "fick läsaren att krascha (signal {signal}); den kan vara skadad eller gjord för "
        "att krascha läsare",
        "en": "crashed the reader (signal {signal}); it may be damaged or built to crash readers",
    },
    "workers.stopped": {
        "sv": "fick läsaren att stanna oväntat (slutstatus {code}): {tail}",
        "en": "made its reader stop unexpectedly (exit status {code}): {tail}",
    },
    "workers.pool_cannot_start": {
        "sv": "läsarprocesserna kan inte starta: {reason}",
        "en": "the reader processes cannot start: {reason}",
    },
    "workers.no_message": {"sv": "inget meddelande", "en": "no message"},
    # --- the review (review/) ---
    "review.cannot_listen": {
        "sv": "kan inte lyssna på 127.0.0.1:{port} ({reason})",
        "en": "cannot listen on 127.0.0.1:{port} ({reason})",
    },
    "review.no_manifest": {
        "sv": "{path}: ingen {name} bredvid; gör datamängden med `pdfforms extract` först",
        "en": "{path}: no {name} beside it; make the dataset with `pdfforms extract` first",
    },
    "review.needs_key": {
        "sv": "{path}: dess personnummer är pseudonymiserade; ge samma nyckel med "
        "--pseudonymise-key NYCKELFIL",
        "en": "{path}: its personnummer are pseudonymised; give the same key with "
        "--pseudonymise-key KEYFILE",
    },
    "review.wrong_key": {
        "sv": "{path}: nyckeln är inte den som datamängden gjordes med (nyckel-id {given}, "
        "datamängdens {made})",
        "en": "{path}: the key given is not the one the dataset was made with (key id "
        "{given}, the dataset's {made})",
    },
    "review.no_run": {
        "sv": "{path}: säger inte vilka filer datamängden gjordes av; kör `pdfforms extract` igen",
        "en": "{path}: does not say which files the dataset was made from; run "
        "`pdfforms extract` again",
    },
    "review.no_image": {"sv": "ingen sådan bild", "en": "no such image"},
    "review.crop_gone": {
        "sv": "urklippet finns inte längre i granskningsmappen",
        "en": "the crop is gone from the review folder",
    },
    "review.no_item": {
        "sv": "ingen sådan punkt i den här datamängden",
        "en": "no such item in this dataset",
    },
    "review.bad_status": {
        "sv": "status måste vara transcribed eller unreadable",
        "en": "status must be transcribed or unreadable",
    },
    "review.leased": {"sv": "öppen i en annan flik", "en": "open in another tab"},
    "review.nothing_given": {
        "sv": "inget skrevs eller valdes; ett tomt svar sparas bara när det markerats som "
        'avsett ("empty": true)',
        "en": "nothing was typed or chosen; an empty answer is saved only when marked as "
        'meant ("empty": true)',
    },
    "review.decided_first": {
        "sv": "någon annan beslutade om den här punkten först",
        "en": "someone else decided this item first",
    },
    "review.page_value": {
        "sv": "en sida sparas som ett värde per fråga",
        "en": "a page is saved as one value per question",
    },
    "review.list_expected": {
        "sv": "{name}: här väntas en lista med svarsalternativ",
        "en": "{name}: a list of options is expected",
    },
    "review.not_options": {
        "sv": "{name}: {values} finns inte bland dess svarsalternativ",
        "en": "{name}: {values} are not among its options",
    },
    "review.text_expected": {"sv": "{name}: här väntas text", "en": "{name}: text is expected"},
    "review.not_option": {
        "sv": "{name}: {value} är inte ett av dess svarsalternativ",
        "en": "{name}: {value} is not one of its options",
    },
    "review.too_long": {
        "sv": "{name}: mer än {max} tecken",
        "en": "{name}: more than {max} characters",
    },
    # --- reading a dataset back (dataset/reader.py) ---
    "reader.no_dataset": {
        "sv": "{path}: ingen datamängd här (ingen *.manifest.json i mappen)",
        "en": "{path}: no dataset here (no *.manifest.json in the folder)",
    },
    "reader.many_datasets": {
        "sv": "{path}: innehåller {n} datamängder ({names}); ange en av dem",
        "en": "{path}: holds {n} datasets ({names}); name one of them",
    },
    "reader.no_such_file": {"sv": "{path}: filen finns inte", "en": "{path}: no such file"},
    "reader.no_manifest": {
        "sv": "{path}: inget manifest bredvid ({stem}.manifest.json); ange sökvägen som gavs "
        "till `pdfforms extract -o`",
        "en": "{path}: no manifest beside it ({stem}.manifest.json); give the path that was "
        "given to `pdfforms extract -o`",
    },
    "reader.not_utf8": {"sv": "{path}: inte UTF-8-text", "en": "{path}: not UTF-8 text"},
    "reader.not_utf8_excel": {
        "sv": "{path}: inte UTF-8-text (sparades den om i Excel?)",
        "en": "{path}: not UTF-8 text (was it saved again by Excel?)",
    },
    "reader.bad_manifest_json": {
        "sv": "{path}: inget manifest för en datamängd (felaktig JSON på rad {line}: {reason})",
        "en": "{path}: not a dataset manifest (bad JSON at line {line}: {reason})",
    },
    "reader.no_tables": {
        "sv": "{path}: inget manifest för en datamängd (inga 'tables')",
        "en": "{path}: not a dataset manifest (no 'tables')",
    },
    "reader.unknown_format": {
        "sv": "{path}: okänt format för datamängd {format}",
        "en": "{path}: unknown dataset format {format}",
    },
    "reader.bad_table_entry": {
        "sv": "{path}: en tabellpost är {name}, inte ett filnamn",
        "en": "{path}: a table entry is {name}, not a file name",
    },
    "reader.bad_variables": {
        "sv": "{path}: 'variables' är inget objekt med tabellfiler",
        "en": "{path}: 'variables' is not an object of table files",
    },
    "reader.no_variables": {
        "sv": "{path}: namnger inte variablerna i {name}",
        "en": "{path}: does not name the variables of {name}",
    },
    "reader.empty_table": {
        "sv": "{path}: tom; ingen tabell skriven av pdfforms extract",
        "en": "{path}: empty; not a table written by pdfforms extract",
    },
    "reader.row_cells": {
        "sv": "{path}: rad {row} har {n} celler, rubrikraden {header}",
        "en": "{path}: row {row} has {n} cells, the header {header}",
    },
    "reader.bad_csv": {
        "sv": "{path}: ingen läsbar CSV-tabell ({reason})",
        "en": "{path}: not a readable CSV table ({reason})",
    },
    "reader.bad_xlsx": {
        "sv": "{path}: ingen läsbar Excel-arbetsbok ({reason})",
        "en": "{path}: not a readable Excel workbook ({reason})",
    },
    "reader.no_sheet": {"sv": "{path}: inget blad '{sheet}'", "en": "{path}: no sheet '{sheet}'"},
    "reader.empty_sheet": {"sv": "{path}: tomt blad", "en": "{path}: empty sheet"},
    "reader.needs_pyarrow": {
        "sv": "{path}: att läsa .parquet kräver pyarrow: pip install 'pdfforms[parquet]'",
        "en": "{path}: reading .parquet needs pyarrow: pip install 'pdfforms[parquet]'",
    },
    "reader.bad_parquet": {
        "sv": "{path}: ingen läsbar Parquet-fil ({reason})",
        "en": "{path}: not a readable Parquet file ({reason})",
    },
    "reader.needs_pyreadstat": {
        "sv": "{path}: att läsa .{format} kräver pyreadstat: pip install 'pdfforms[stats]'",
        "en": "{path}: reading .{format} needs pyreadstat: pip install 'pdfforms[stats]'",
    },
    "reader.bad_stats": {
        "sv": "{path}: ingen läsbar .{format}-fil ({reason})",
        "en": "{path}: not a readable .{format} file ({reason})",
    },
    "reader.not_parsed_form": {
        "sv": "{path}: rad {line}: inget tolkat formulär (ett objekt enligt SPEC §4 med form "
        "och answers)",
        "en": "{path}: line {line}: not a parsed form (SPEC §4 object with form and answers)",
    },
    # --- filling a form with answers (generate/fields.py, fill.py) ---
    "fields.unknown_questions": {
        "sv": "okänd(a) fråga(or): {questions}",
        "en": "unknown question(s): {questions}",
    },
    "fields.not_bool": {
        "sv": "{question}: ett ja/nej-svar måste vara true eller false, inte {value}",
        "en": "{question}: a yes/no answer must be true or false, not {value}",
    },
    "fields.group_rows": {
        "sv": "{question}: en grupps svar är en lista med rader {{kolumn: värde}}, inte {value}",
        "en": "{question}: a group's answer is a list of rows {{column: value}}, not {value}",
    },
    "fields.group_too_many": {
        "sv": "{question}: {n} rader, men blanketten har {max}",
        "en": "{question}: {n} rows, but the form has {max}",
    },
    "fields.group_items": {
        "sv": "{question}, rad {row}: okänd kolumn {items} (kolumnerna är {allowed})",
        "en": "{question}, row {row}: unknown column {items} (the columns are {allowed})",
    },
    "fields.not_one_of": {
        "sv": "{question}: {value} är inte ett av {allowed}",
        "en": "{question}: {value} is not one of {allowed}",
    },
    "fields.not_among": {
        "sv": "{question}: {values} finns inte bland {allowed}",
        "en": "{question}: {values} not among {allowed}",
    },
    "fill.no_fields": {
        "sv": "formuläret har inte fältet/fälten {fields}",
        "en": "the form has no field(s) {fields}",
    },
    "fill.field_value": {
        "sv": "fältet {name}: {value} {reason}",
        "en": "field {name}: {value} {reason}",
    },
    "fill.not_option": {
        "sv": "fältet {name}: {value} är inte ett av dess alternativ ({allowed})",
        "en": "field {name}: {value} is not one of its options ({allowed})",
    },
    "fill.label": {
        "sv": "fältet {name}: etiketten för {value}, {label}, {reason}",
        "en": "field {name}: the label of {value}, {label}, {reason}",
    },
    "fill.not_choice": {
        "sv": "fältet {name}: {value} är inte ett av dess val ({allowed})",
        "en": "field {name}: {value} is not one of its choices ({allowed})",
    },
    # --- the report's errors (report/; its own words are in report/text.py) ---
    "report.unknown_format": {
        "sv": "{path}: okänt rapportformat '{suffix}'; döp den till .pdf, .html eller .csv, "
        "eller ange --format",
        "en": "{path}: unknown report format '{suffix}'; name it .pdf, .html or .csv, or "
        "give --format",
    },
    "report.format_differs": {
        "sv": "{path}: namnet säger {name} men --format säger {format}",
        "en": "{path}: the name says {name} but --format says {format}",
    },
    "report.lang": {
        "sv": "--lang {lang}: en rapport skrivs på {languages}",
        "en": "--lang {lang}: a report is written in {languages}",
    },
    "report.min_count": {
        "sv": "--min-count {n}: måste vara minst 1",
        "en": "--min-count {n}: must be at least 1",
    },
    "report.own_file": {
        "sv": "{path}: är en av datamängdens egna filer; ge rapporten ett eget namn",
        "en": "{path}: is one of the dataset's own files; name the report apart",
    },
    "load.missing": {
        "sv": "{path}: saknas (manifestet {manifest} nämner den)",
        "en": "{path}: missing (the manifest {manifest} names it)",
    },
    "load.definition_faults": {
        "sv": "{path}: definitionen av {form} version {version} har fel ({fault})",
        "en": "{path}: the definition of {form} version {version} has faults ({fault})",
    },
    "load.no_definition": {
        "sv": "{path}: ingen definition av formuläret '{form}' i manifestet eller i "
        "form_definitions/; ange --definitions MAPP",
        "en": "{path}: no definition of form '{form}' in the manifest or in "
        "form_definitions/; give --definitions DIR",
    },
    "load.twice": {
        "sv": "{path}: samma datamängd som {other}, angiven två gånger",
        "en": "{path}: the same dataset as {other}, given twice",
    },
    "load.differs": {
        "sv": "{path}: formulär {form} version {version} skiljer sig från definitionen av "
        "samma version i en annan datamängd",
        "en": "{path}: form {form} version {version} differs from the definition of that "
        "version in another dataset",
    },
    "load.not_in_manifest": {
        "sv": "{path}: formuläret '{form}' finns inte i manifestet",
        "en": "{path}: form '{form}' is not in the manifest",
    },
    "load.no_version": {
        "sv": "{path}: ingen definition av {form} version {version}",
        "en": "{path}: no definition of {form} version {version}",
    },
    "load.no_form_columns": {
        "sv": "{path}: inga kolumner 'form' och 'version'; ingen tabell skriven av "
        "pdfforms extract",
        "en": "{path}: no 'form' and 'version' columns; not a table written by pdfforms extract",
    },
    "load.other_form": {
        "sv": "{path}: innehåller formuläret '{row_form}' i tabellen för '{form}'",
        "en": "{path}: holds form '{row_form}' in the table of '{form}'",
    },
    "load.no_column": {
        "sv": "{path}: ingen kolumn '{column}' för {form} version {version}{more}; har "
        "tabellen redigerats?",
        "en": "{path}: no column '{column}' of {form} version {version}{more}; was the table "
        "edited?",
    },
    "load.not_a_ledger": {
        "sv": "{path}: ingen liggare från ett utskick (inga kolumner 'serial' och 'form')",
        "en": "{path}: not a print-run ledger (no 'serial' and 'form' columns)",
    },
    "load.extract_ledger": {
        "sv": "; detta är liggaren från `pdfforms extract` – ange den som ett utskick skrev "
        "(<utdata>.ledger.csv)",
        "en": "; this is the ledger of `pdfforms extract` – give the one a print run wrote "
        "(<output>.ledger.csv)",
    },
    "summarise.never_by": {
        "sv": "--by {column}: en rapport delas aldrig upp på {column} (det kan identifiera "
        "personer)",
        "en": "--by {column}: a report is never grouped by {column} (it could identify people)",
    },
    "summarise.no_groups": {
        "sv": "--by {column}: en fråga av typen {type} kan inte bilda grupper; använd en fråga "
        "med ett svarsalternativ, ja/nej, skala, datum (per månad) eller en textrad",
        "en": "--by {column}: a {type} question cannot make groups; use a single-choice, "
        "yes/no, scale, date (by month) or one-line text question",
    },
    "reader.manifest_other_format": {
        "sv": "{path}: dess manifest {manifest} beskriver en {have}-datamängd med samma namn, "
        "skriven efter den (datamängder med samma namn i samma mapp delar manifest): kör "
        "extract för {name} igen, eller ge varje format ett eget namn",
        "en": "{path}: its manifest {manifest} describes a {have} dataset of the same name, "
        "written after it (datasets of one name in one folder share their manifest): run "
        "extract for {name} again, or give each format a name of its own",
    },
    "units.two_units": {
        "sv": "{path}:{line}: serienummer {serial} är utskrivet för {unit} här och för {other} "
        "i en annan liggare",
        "en": "{path}:{line}: serial {serial} is printed for {unit} here and for {other} in "
        "another ledger",
    },
    "run.ledger_personal": {
        "sv": "--ledger-column {column}: kolumnen innehåller personuppgifter (vem någon är "
        "eller var hen bor); liggaren sparar den aldrig",
        "en": "--ledger-column {column}: the column holds personal data (who a person is or "
        "where they live); the ledger never keeps it",
    },
    "run.ledger_has": {
        "sv": "--ledger-column {column}: liggaren har redan den kolumnen",
        "en": "--ledger-column {column}: the ledger has that column",
    },
    "run.ledger_needs_csv": {
        "sv": "--ledger-column kräver --respondents FIL.csv",
        "en": "--ledger-column needs --respondents FILE.csv",
    },
    "run.bad_unit": {
        "sv": "--unit {problem}; inget skrevs",
        "en": "--unit {problem}; nothing was written",
    },
    "run.unit_empty": {
        "sv": "är tom",
        "en": "is empty",
    },
    "run.ledger_no_column": {
        "sv": "--ledger-column {column}: {path} har ingen sådan kolumn",
        "en": "--ledger-column {column}: {path} has no such column",
    },
    "run.unit_too_long": {
        "sv": "{raw} är längre än {n} tecken, för lång för enhetens rad",
        "en": "{raw} is longer than {n} characters, too long for the unit's line",
    },
    "summarise.compare": {
        "sv": "--compare {compare}: okänd period; välj {periods} eller none",
        "en": "--compare {compare}: unknown period; choose {periods} or none",
    },
    "summarise.personal_column": {
        "sv": "--by {column}: kolumnen innehåller personuppgifter (vem någon är eller var hen "
        "bor); en sammanställning grupperas aldrig efter den",
        "en": "--by {column}: the column holds personal data (who a person is or where they "
        "live); a report is never grouped by it",
    },
    "parse.form_guessed": {
        "sv": "filen säger inte vilket formulär den är (dess identitet saknas eller är skadad): "
        "den läses som formulär '{form}' version '{version}', vars fält den har{also}",
        "en": "the file does not say which form it is (its identity is missing or damaged): it "
        "is read as form '{form}' version '{version}', whose fields it has{also}",
    },
    "parse.form_guessed_also": {
        "sv": "; version {versions} av formuläret har samma fält och kan vara den den skrevs ut "
        "från",
        "en": "; version(s) {versions} of the form have the same fields and may be the one it "
        "was printed from",
    },
    "summarise.none_has_all": {
        "sv": "--by {columns}: inget formulär har alla dessa kolumner",
        "en": "--by {columns}: no form has all of these columns",
    },
    "summarise.personal": {
        "sv": "--by {column}: frågan innehåller personuppgifter (vem någon är eller var hen "
        "bor); en sammanställning grupperas aldrig efter den",
        "en": "--by {column}: the question holds personal data (who a person is or where they "
        "live); a report is never grouped by it",
    },
    "summarise.no_such": {
        "sv": "--by {column}: inget formulär har en sådan fråga eller kolumn (prova unit, "
        "language, kind, version, en kolumn i utskickets liggare med --ledger, eller en av: "
        "{questions})",
        "en": "--by {column}: no form has such a question or column (try unit, language, "
        "kind, version, a column of the print run's ledger with --ledger, or one of: "
        "{questions})",
    },
    # --- an XLSForm workbook read into a definition (exchange/xlsform.py; pdfforms import) ---
    "xlsform.at_row": {"sv": "{sheet} rad {row}: {text}", "en": "{sheet} row {row}: {text}"},
    "xlsform.at_sheet": {"sv": "{sheet}: {text}", "en": "{sheet}: {text}"},
    "xlsform.where": {"sv": "{sheet} rad {row}", "en": "{sheet} row {row}"},
    "xlsform.error": {"sv": "{path}: {where}: {text}", "en": "{path}: {where}: {text}"},
    "exchange.yaml_head": {
        "sv": "Gjord av 'pdfforms import' ur {source}. Kontrollera texterna och kör "
        "'pdfforms validate' innan formuläret skrivs ut.",
        "en": "Made by 'pdfforms import' from {source}. Check the texts and run "
        "'pdfforms validate' before the form is printed.",
    },
    "exchange.yaml_notes": {
        "sv": "{n} saker kunde inte föras över:",
        "en": "{n} thing(s) could not be carried over:",
    },
    "xlsform.xls": {
        "sv": "{path}: den gamla Excel-filtypen (.xls) kan inte läsas; spara arbetsboken som "
        ".xlsx och importera den",
        "en": "{path}: the old Excel file type (.xls) cannot be read; save the workbook as "
        ".xlsx and import that",
    },
    "xlsform.no_file": {"sv": "{path}: filen finns inte", "en": "{path}: no such file"},
    "xlsform.not_workbook": {
        "sv": "{path}: inte en Excel-arbetsbok (.xlsx) ({reason})",
        "en": "{path}: not an Excel workbook (.xlsx) ({reason})",
    },
    "xlsform.no_sheet": {
        "sv": "{path}: inget blad '{sheet}' med rader; en XLSForm har sina frågor på bladet "
        "'survey'",
        "en": "{path}: no sheet '{sheet}' with rows; an XLSForm has its questions on the sheet "
        "'survey'",
    },
    "xlsform.nothing": {
        "sv": "{path}: ingen fråga i arbetsboken kan skrivas ut på papper",
        "en": "{path}: no question of the workbook can be printed on paper",
    },
    "xlsform.column_left_out": {
        "sv": "kolumnen '{column}' förs inte över",
        "en": "column '{column}' is not carried over",
    },
    "xlsform.id_changed": {
        "sv": "namnet '{name}' blir '{id}' (ett id är små bokstäver a–z, siffror och _)",
        "en": "name '{name}' becomes '{id}' (an id is lowercase a–z, digits and _)",
    },
    "xlsform.version_changed": {
        "sv": "versionen '{said}' blir '{ours}' (bokstäver, siffror, '.', '_' och '-', högst 20)",
        "en": "version '{said}' becomes '{ours}' (letters, digits, '.', '_' and '-', at most 20)",
    },
    "xlsform.language_unknown": {
        "sv": "språket '{language}' har ingen kod vi känner igen; skriv det som "
        "'Namn (kod)', t.ex. 'Svenska (sv)'; dess texter är utelämnade",
        "en": "language '{language}' has no code we can tell; write it as 'Name (code)', e.g. "
        "'English (en)'; its texts are left out",
    },
    "xlsform.language_assumed": {
        "sv": "inget språk anges (varken label::Språk (kod) eller default_language); texterna "
        "antas vara på '{lang}'",
        "en": "no language is named (neither label::Language (code) nor default_language); the "
        "texts are taken to be in '{lang}'",
    },
    "xlsform.language_unprintable": {
        "sv": "språket '{lang}' utelämnas: våra typsnitt kan inte skriva ut {chars}",
        "en": "language '{lang}' is left out: our fonts cannot print {chars}",
    },
    "xlsform.translation_missing": {
        "sv": "'{column}' saknar översättning till {langs}; ett annat språks text används",
        "en": "'{column}' has no translation into {langs}; another language's text is used",
    },
    "xlsform.other_label": {"sv": "Annat, nämligen", "en": "Other, namely"},
    "xlsform.choice_incomplete": {
        "sv": "ett val utan list_name eller name; utelämnat",
        "en": "a choice without list_name or name; left out",
    },
    "xlsform.choice_twice_kept": {
        "sv": "valet '{value}' finns redan i listan '{list}'; en ruta per värde på papper",
        "en": "choice '{value}' is already in list '{list}'; one box per value on paper",
    },
    "xlsform.choice_twice": {
        "sv": "valet '{value}' finns två gånger i listan '{list}'",
        "en": "choice '{value}' is in list '{list}' twice",
    },
    "xlsform.choice_no_label": {
        "sv": "valet '{value}' har ingen text; dess namn skrivs ut",
        "en": "choice '{value}' has no label; its name is printed",
    },
    "xlsform.value_changed": {
        "sv": "värdet '{value}' blir '{ours}' (bokstäver A–Z, siffror och _)",
        "en": "value '{value}' becomes '{ours}' (letters A–Z, digits and _)",
    },
    "xlsform.no_name": {"sv": "frågan har inget namn", "en": "the question has no name"},
    "xlsform.name_twice": {
        "sv": "namnet '{name}' används redan på rad {other}",
        "en": "name '{name}' is already used in row {other}",
    },
    "xlsform.no_type": {
        "sv": "raden har ingen typ; utelämnad",
        "en": "the row has no type; left out",
    },
    "xlsform.disabled": {
        "sv": "frågan är avstängd (disabled); utelämnad",
        "en": "the question is disabled; left out",
    },
    "xlsform.end_without_begin": {
        "sv": "'end {kind}' utan 'begin {kind}' före",
        "en": "'end {kind}' without a 'begin {kind}' before it",
    },
    "xlsform.not_closed": {
        "sv": "'begin {kind}' avslutas aldrig med 'end {kind}'",
        "en": "'begin {kind}' is never closed by 'end {kind}'",
    },
    "xlsform.section_empty": {
        "sv": "gruppen har ingen fråga som kan skrivas ut; utelämnad",
        "en": "the group has no question that can be printed; left out",
    },
    "xlsform.note_empty": {
        "sv": "en note utan text (bara en bild eller ett ljud); utelämnad",
        "en": "a note without text (only an image or a sound); left out",
    },
    "xlsform.type_left_out": {
        "sv": "typen '{type}' kan inte skrivas ut på papper; utelämnad",
        "en": "type '{type}' cannot be printed on paper; left out",
    },
    "xlsform.no_list": {
        "sv": "svarslistan '{list}' finns inte på bladet 'choices'",
        "en": "answer list '{list}' is not on the sheet 'choices'",
    },
    "xlsform.no_label": {
        "sv": "'{name}' har ingen text; dess namn skrivs ut",
        "en": "'{name}' has no label; its name is printed",
    },
    "xlsform.other_choice": {
        "sv": "listan '{list}' har valet 'other': det blir vårt 'Annat' med en rad att skriva på",
        "en": "list '{list}' has the choice 'other': it becomes our 'Other' with a line to "
        "write on",
    },
    "xlsform.choice_filter": {
        "sv": "choice_filter '{filter}' förs inte över: alla val skrivs ut",
        "en": "choice_filter '{filter}' is not carried over: every choice is printed",
    },
    "xlsform.required_expression": {
        "sv": "required '{expression}' är ett uttryck; frågan är inte obligatorisk",
        "en": "required '{expression}' is an expression; the question is not required",
    },
    "xlsform.constraint": {
        "sv": "constraint '{expression}' förs inte över; svaret kontrolleras inte mot det",
        "en": "constraint '{expression}' is not carried over; the answer is not checked against it",
    },
    "xlsform.default": {
        "sv": "standardsvaret '{value}' förs inte över; rutan är tom",
        "en": "default '{value}' is not carried over; the box is blank",
    },
    "xlsform.read_only": {
        "sv": "read_only förs inte över: på papper kan frågan besvaras",
        "en": "read_only is not carried over: on paper the question can be answered",
    },
    "xlsform.label_refers": {
        "sv": "texten hänvisar till {names}, som papper inte kan fylla i; den skrivs ut som "
        "den står",
        "en": "the text refers to {names}, which paper cannot fill in; it is printed as written",
    },
    "xlsform.range_number": {
        "sv": "range {start}–{end} steg {step} är för många punkter för en skala; ett tal "
        "mellan {start} och {end}",
        "en": "range {start}–{end} step {step} has too many points for a scale; a number "
        "between {start} and {end}",
    },
    "xlsform.repeat_holds": {
        "sv": "den innehåller '{type}' (rad {row}), men en tabell har bara text-, tal- och "
        "datumkolumner",
        "en": "it holds '{type}' (row {row}), but a table has only text, number and date columns",
    },
    "xlsform.loop": {"sv": "en loop", "en": "a loop"},
    "xlsform.repeat_empty": {
        "sv": "den har ingen fråga som kan skrivas ut",
        "en": "it has no question that can be printed",
    },
    "xlsform.repeat_wide": {
        "sv": "den har {n} kolumner; en tabell har högst {max}",
        "en": "it has {n} columns; a table has at most {max}",
    },
    "xlsform.repeat_left_out": {
        "sv": "upprepningen kan inte bli en tabell ({reason}); utelämnad med {names}",
        "en": "the repeat cannot become a table ({reason}); left out with {names}",
    },
    "xlsform.repeat_rows": {
        "sv": "repeat_count '{count}' är inte ett antal 1–12; tabellen skrivs ut med {rows} rader",
        "en": "repeat_count '{count}' is not a count 1–12; the table is printed with {rows} rows",
    },
    "xlsform.column_dropped": {
        "sv": "{columns} i en tabells kolumn förs inte över",
        "en": "{columns} of a table's column not carried over",
    },
    "xlsform.relevant": {
        "sv": "relevant '{expression}' kan inte bli ett villkor ({reason}); frågan ställs "
        "till alla",
        "en": "relevant '{expression}' cannot become a condition ({reason}); the question is "
        "asked of everyone",
    },
    "xlsform.required_dropped": {
        "sv": "frågan är inte obligatorisk, eftersom dess villkor inte kunde föras över",
        "en": "the question is not required, as its condition could not be carried over",
    },
    "xlsform.why_syntax": {"sv": "vid '{at}'", "en": "at '{at}'"},
    "xlsform.why_type": {
        "sv": "'{id}' är av typen {type}, som ett villkor inte kan pröva",
        "en": "'{id}' is a {type}, which a condition cannot test",
    },
    "xlsform.why_name": {
        "sv": "'{name}' är ingen tidigare fråga på papperet",
        "en": "'{name}' is no earlier question on paper",
    },
    "xlsform.why_compare": {
        "sv": "'{op}' om valen i '{id}'",
        "en": "'{op}' of the choices of '{id}'",
    },
    "xlsform.why_multiple": {
        "sv": "'=' jämför alla val i '{id}' på en gång; använd selected()",
        "en": "'=' compares all the choices of '{id}' at once; use selected()",
    },
    "xlsform.why_number": {
        "sv": "'{value}' är inget tal att jämföra '{id}' med",
        "en": "'{value}' is no number to compare '{id}' with",
    },
    "xlsform.why_value": {
        "sv": "'{value}' är inget val i '{id}'",
        "en": "'{value}' is not a choice of '{id}'",
    },
    # --- pdfforms import (cli.py) ---
    "cli.imported": {
        "sv": "{path}: formulär '{form}', {n} frågor, språk {languages}; {notes} saker kunde "
        "inte föras över (ovan)",
        "en": "{path}: form '{form}', {n} questions, languages {languages}; {notes} thing(s) "
        "could not be carried over (above)",
    },
    "cli.import_faults": {
        "sv": "{path}: skriven, men definitionen har {n} fel (ovan); rätta dem och kör "
        "'pdfforms validate {path}'",
        "en": "{path}: written, but the definition has {n} fault(s) (above); fix them and run "
        "'pdfforms validate {path}'",
    },
    # --- a definition's faults (model/definition.py; pdfforms validate) ---
    "def.not_utf8": {
        "sv": "filen är inte UTF-8-text ({reason})",
        "en": "the file is not UTF-8 text ({reason})",
    },
    "def.cannot_read": {
        "sv": "filen kan inte läsas: {reason}",
        "en": "cannot read the file: {reason}",
    },
    "def.unknown_key": {
        "sv": "{where}: okänd nyckel '{key}'{hint}",
        "en": "{where}: unknown key '{key}'{hint}",
    },
    "def.missing": {
        "sv": "{where}: '{key}' saknas",
        "en": "{where}: '{key}' is missing",
    },
    "def.empty": {
        "sv": "{where}: '{key}' är tom",
        "en": "{where}: '{key}' is empty",
    },
    "def.foreign_language": {
        "sv": "{where}: '{key}' har en text på '{lang}', som inte är ett av formulärets språk "
        "({languages})",
        "en": "{where}: '{key}' has a text in '{lang}', which is not one of the form's languages "
        "({languages})",
    },
    "def.lang_not_text": {
        "sv": "{where}: '{key}' på '{lang}' måste vara text",
        "en": "{where}: '{key}' in '{lang}' must be text",
    },
    "def.lang_empty": {
        "sv": "{where}: '{key}' på '{lang}' är tom",
        "en": "{where}: '{key}' in '{lang}' is empty",
    },
    "def.no_translation": {
        "sv": "{where}: '{key}' saknar översättning till '{lang}'",
        "en": "{where}: '{key}' has no translation for '{lang}'",
    },
    "def.not_text": {
        "sv": "{where}: '{key}' måste vara text eller en tabell med språk, inte {kind}",
        "en": "{where}: '{key}' must be text or a map of languages, not {kind}",
    },
    "def.letter_note": {
        "sv": " (i följebrevets typsnitt, som bara har västeuropeiska bokstäver)",
        "en": " (in the cover letter's font, which has Western European letters only)",
    },
    "def.letter_mapping": {
        "sv": "letter: måste vara en tabell (text, subject, sender, date), inte {kind}",
        "en": "letter: must be a mapping (text, subject, sender, date), not {kind}",
    },
    "def.letter_subject_only": {
        "sv": "letter: 'subject' har en rubrik på '{lang}' men 'text' inget brev på det språket",
        "en": "letter: 'subject' has a subject in '{lang}' but 'text' no letter in that language",
    },
    "def.letter_placeholder": {
        "sv": "letter: 'text' på '{lang}': {problem}; en platshållare är en kolumns namn inom "
        "klamrar, som {{namn}}",
        "en": "letter: 'text' in '{lang}': {problem}; a placeholder is a column's name in "
        "braces, such as {{namn}}",
    },
    "def.letter_date": {
        "sv": "letter: 'date' måste vara ett datum ÅÅÅÅ-MM-DD, inte {value}",
        "en": "letter: 'date' must be a date YYYY-MM-DD, not {value}",
    },
    "def.sender_mapping": {
        "sv": "letter: 'sender' måste vara en tabell (name, address, phone, contact), inte {kind}",
        "en": "letter: 'sender' must be a mapping (name, address, phone, contact), not {kind}",
    },
    "def.sender_address": {
        "sv": "letter: sender: 'address' måste vara en lista med adressrader",
        "en": "letter: sender: 'address' must be a list of address lines",
    },
    "def.sender_phone": {
        "sv": "letter: sender: 'phone' måste vara text",
        "en": "letter: sender: 'phone' must be text",
    },
    "def.logo_mapping": {
        "sv": "logo: måste vara en tabell (file, alt), inte {kind}",
        "en": "logo: must be a mapping (file, alt), not {kind}",
    },
    "def.logo_file": {
        "sv": "logo: 'file' måste vara bildfilens namn (PNG eller JPEG, relativt definitionen)",
        "en": "logo: 'file' must name the image file (PNG or JPEG, relative to the definition)",
    },
    "def.logo_missing": {
        "sv": "logo: bildfilen {path} finns inte",
        "en": "logo: the image file {path} does not exist",
    },
    "def.logo_unreadable": {
        "sv": "logo: bildfilen {path} kan inte läsas som bild ({reason})",
        "en": "logo: the image file {path} cannot be read as an image ({reason})",
    },
    "def.logo_no_room": {
        "sv": "logo: titeln på '{lang}' lämnar ingen plats för logotypen bredvid sig på "
        "första sidan; korta titeln",
        "en": "logo: the title in '{lang}' leaves no room for the logo beside it on the "
        "first page; shorten the title",
    },
    "def.logo_kind": {
        "sv": "logo: {path} är en {kind}-bild; logotypen måste vara {kinds}",
        "en": "logo: {path} is a {kind} image; the logo must be {kinds}",
    },
    "def.unprintable": {
        "sv": "{what} {reason}{note}",
        "en": "{what} {reason}{note}",
    },
    "def.unprintable_all": {
        "sv": "{what} (alla språk) {reason}{note}",
        "en": "{what} (every language) {reason}{note}",
    },
    "def.unprintable_in": {
        "sv": "{what} (alla språk), på '{lang}', {reason}",
        "en": "{what} (every language), in '{lang}', {reason}",
    },
    "def.bad_id": {
        "sv": "{where}: id '{value}' måste börja med en bokstav och bara innehålla gemener, "
        "siffror och enkla '_' (inga '__')",
        "en": "{where}: id '{value}' must start with a letter and hold only lowercase letters, "
        "digits and single '_' (no '__')",
    },
    "def.not_whole": {
        "sv": "{where}: '{key}' måste vara ett heltal, inte {value}",
        "en": "{where}: '{key}' must be a whole number, not {value}",
    },
    "def.not_positive": {
        "sv": "{where}: '{key}' måste vara minst 1, inte {value}",
        "en": "{where}: '{key}' must be at least 1, not {value}",
    },
    "def.negative": {
        "sv": "{where}: '{key}' får inte vara negativ, inte {value}",
        "en": "{where}: '{key}' must not be negative, not {value}",
    },
    "def.decimals": {
        "sv": "{where}: 'decimals' måste vara 0 till 6, inte {value}",
        "en": "{where}: 'decimals' must be 0 to 6, not {value}",
    },
    "def.not_number": {
        "sv": "{where}: '{key}' måste vara ett tal, inte {value}",
        "en": "{where}: '{key}' must be a number, not {value}",
    },
    "def.not_bool": {
        "sv": "{where}: '{key}' måste vara true eller false, inte {value}",
        "en": "{where}: '{key}' must be true or false, not {value}",
    },
    "def.option_not_mapping": {
        "sv": "{where}: ett svarsalternativ måste vara en tabell {{value, label}}, inte {kind}",
        "en": "{where}: an option must be a mapping {{value, label}}, not {kind}",
    },
    "def.option_no_value": {
        "sv": "{where}: ett svarsalternativ saknar 'value'",
        "en": "{where}: an option has no 'value'",
    },
    "def.option_value_word": {
        "sv": "{where}: svarsalternativets värde {value} måste vara ett ord",
        "en": "{where}: option value {value} must be a word",
    },
    "def.option_value_chars": {
        "sv": "{where}: svarsalternativets värde '{value}' får bara innehålla bokstäverna A–Z, "
        "siffror och enkla '_'",
        "en": "{where}: option value '{value}' may hold only letters A–Z, digits and single '_'",
    },
    "def.options_list": {
        "sv": "{where}: options måste vara en lista med {{value, label}} som inte är tom",
        "en": "{where}: options must be a non-empty list of {{value, label}}",
    },
    "def.other_reserved": {
        "sv": "{where}: värdet 'other' är reserverat för valet 'other'; använd nyckeln 'other' i "
        "stället",
        "en": "{where}: option value 'other' is reserved for the 'other' choice; use the key "
        "'other' instead",
    },
    "def.option_twice": {
        "sv": "{where}: svarsalternativets värde '{value}' förekommer två gånger",
        "en": "{where}: option value '{value}' appears twice",
    },
    "def.not_mapping": {
        "sv": "en definition måste vara en tabell med 'form', 'version', 'languages', 'title' och "
        "'sections'",
        "en": "a definition must be a mapping with 'form', 'version', 'languages', 'title' and "
        "'sections'",
    },
    "def.form_missing": {
        "sv": "formulär: '{key}' saknas",
        "en": "form: '{key}' is missing",
    },
    "def.form_id": {
        "sv": "formulär: id '{value}' får bara innehålla gemener, siffror, '_' och '-' och måste "
        "börja med en bokstav",
        "en": "form: id '{value}' must hold only lowercase letters, digits, '_' and '-', starting "
        "with a letter",
    },
    "def.version_text": {
        "sv": "formulär: 'version' måste vara en kort text som \"1\", inte {value}",
        "en": "form: 'version' must be a short text like \"1\", not {value}",
    },
    "def.version_chars": {
        "sv": "formulär: versionen '{value}' får bara innehålla bokstäver, siffror, '.', '_' och "
        "'-' (högst 20)",
        "en": "form: version '{value}' may hold only letters, digits, '.', '_' and '-' (at most "
        "20)",
    },
    "def.languages_list": {
        "sv": "formulär: 'languages' måste vara en lista som [sv, en]",
        "en": "form: 'languages' must be a list like [sv, en]",
    },
    "def.language_code": {
        "sv": "formulär: språket '{lang}' måste vara en kod på två eller tre bokstäver, som sv "
        "eller en",
        "en": "form: language '{lang}' must be a two- or three-letter code such as sv or en",
    },
    "def.language_twice": {
        "sv": "formulär: språket '{lang}' står två gånger",
        "en": "form: language '{lang}' is listed twice",
    },
    "def.option_sets": {
        "sv": "formulär: 'option_sets' måste koppla namn till listor med svarsalternativ",
        "en": "form: 'option_sets' must map names to lists of options",
    },
    "def.option_set_name": {
        "sv": "svarsuppsättningen '{name}': ett namn måste bestå av gemener, siffror och '_'",
        "en": "option set '{name}': a name must be lowercase letters, digits and '_'",
    },
    "def.sections_list": {
        "sv": "formulär: 'sections' måste vara en lista som inte är tom",
        "en": "form: 'sections' must be a non-empty list",
    },
    "def.data_protection": {
        "sv": "{where} måste vara en tabell med {required} (och om så önskas legal_basis, "
        "retention), inte {kind}",
        "en": "{where} must be a mapping with {required} (and optionally legal_basis, retention), "
        "not {kind}",
    },
    "def.translations": {
        "sv": "formulär: 'translations' måste koppla språk till {{status, note}}, inte {kind}",
        "en": "form: 'translations' must map languages to {{status, note}}, not {kind}",
    },
    "def.translation_language": {
        "sv": "{where} är inte ett av formulärets språk ({languages})",
        "en": "{where} is not one of the form's languages ({languages})",
    },
    "def.translation_mapping": {
        "sv": "{where} måste vara en tabell {{status, note}}",
        "en": "{where} must be a mapping {{status, note}}",
    },
    "def.translation_status": {
        "sv": "{where}: 'status' måste vara en av {statuses}, inte {value}",
        "en": "{where}: 'status' must be one of {statuses}, not {value}",
    },
    "def.note_text": {
        "sv": "{where}: 'note' måste vara text",
        "en": "{where}: 'note' must be text",
    },
    "def.section_mapping": {
        "sv": "ett avsnitt måste vara en tabell med 'id', 'title' och 'questions'",
        "en": "a section must be a mapping with 'id', 'title' and 'questions'",
    },
    "def.id_twice": {
        "sv": "{where}: id förekommer två gånger (först på rad {line})",
        "en": "{where}: id appears twice (first on line {line})",
    },
    "def.questions_list": {
        "sv": "{where}: 'questions' måste vara en lista som inte är tom",
        "en": "{where}: 'questions' must be a non-empty list",
    },
    "def.code_used": {
        "sv": "fråga '{id}': koden '{code}' används redan av fråga '{other}'",
        "en": "question '{id}': code '{code}' is already used by question '{other}'",
    },
    "def.field_clash": {
        "sv": "fråga '{id}': dess PDF-fält '{name}' skulle få samma namn som ett fält i fråga "
        "'{other}'; byt ett id eller ett svarsvärde",
        "en": "question '{id}': its PDF field '{name}' would have the same name as a field of "
        "question '{other}'; rename an id or option value",
    },
    "def.field_twice": {
        "sv": "fråga '{id}': två av dess PDF-fält skulle båda heta '{name}'; byt svarsvärdet",
        "en": "question '{id}': two of its PDF fields would both be named '{name}'; rename the "
        "option value",
    },
    "def.when_unknown": {
        "sv": "{where}: enable_when hänvisar till en okänd fråga '{question}'{hint}",
        "en": "{where}: enable_when refers to unknown question '{question}'{hint}",
    },
    "def.when_later": {
        "sv": "{where}: enable_when hänvisar till '{question}', som inte kommer före; ett villkor "
        "får bara se bakåt",
        "en": "{where}: enable_when refers to '{question}', which does not come before it; a "
        "condition may only look back",
    },
    "def.when_unnumbered": {
        "sv": "{where}: enable_when hänvisar till '{question}', som skrivs ut utan nummer (dess "
        "avsnitt har numbered: false); det utskrivna villkoret nämner en fråga vid dess nummer",
        "en": "{where}: enable_when refers to '{question}', which is printed without a number "
        "(its section is numbered: false); the printed condition names a question by its number",
    },
    "def.when_compare_type": {
        "sv": "{where}: enable_when jämför '{question}', en fråga av typen {type}, med ett tal; "
        "jämförelser kräver en fråga med tal eller skala",
        "en": "{where}: enable_when compares '{question}', a {type} question, with a number; "
        "comparisons need a number or scale question",
    },
    "def.when_never": {
        "sv": "{where}: enable_when för '{question}' kan aldrig uppfyllas ({bounds})",
        "en": "{where}: enable_when on '{question}' can never hold ({bounds})",
    },
    "def.when_type": {
        "sv": "{where}: enable_when hänvisar till '{question}', en fråga av typen {type}; villkor "
        "kräver en fråga av typen yesno, single, multiple, scale eller dropdown (eller en "
        "jämförelse, för ett tal)",
        "en": "{where}: enable_when refers to '{question}', a {type} question; conditions need a "
        "yesno, single, multiple, scale or dropdown question (or a comparison, for a number)",
    },
    "def.when_value": {
        "sv": "{where}: enable_when-värdet '{value}' är inget svar på '{question}' "
        "({allowed}){hint}",
        "en": "{where}: enable_when value '{value}' is not an answer of '{question}' "
        "({allowed}){hint}",
    },
    "def.question_mapping": {
        "sv": "en fråga måste vara en tabell med 'id' och 'type', inte {kind}",
        "en": "a question must be a mapping with 'id' and 'type', not {kind}",
    },
    "def.type_missing": {
        "sv": "{where}: 'type' saknas (en av {types})",
        "en": "{where}: 'type' is missing (one of {types})",
    },
    "def.type_unknown": {
        "sv": "{where}: okänd typ '{type}'{hint}; kända typer: {types}",
        "en": "{where}: unknown type '{type}'{hint}; known types: {types}",
    },
    "def.type_key": {
        "sv": "{where}: okänd nyckel '{key}' för en fråga av typen {type}{hint}",
        "en": "{where}: unknown key '{key}' for a {type} question{hint}",
    },
    "def.info_text": {
        "sv": "{where}: en info-fråga behöver 'text' eller 'label'",
        "en": "{where}: an info question needs 'text' or 'label'",
    },
    "def.info_required": {
        "sv": "{where}: en info-fråga har inget svar och kan inte vara obligatorisk",
        "en": "{where}: an info question has no answer and cannot be required",
    },
    "def.lines": {
        "sv": "{where}: 'lines' får vara högst {max} så att rutan ryms på en sida, inte {value}",
        "en": "{where}: 'lines' must be at most {max} so the box fits one page, not {value}",
    },
    "def.whole_bound": {
        "sv": "{where}: '{key}' är {value} men decimals är 0",
        "en": "{where}: '{key}' is {value} but decimals is 0",
    },
    "def.date_bound": {
        "sv": "{where}: '{key}' måste vara ett datum \"ÅÅÅÅ-MM-DD\", inte {value}",
        "en": "{where}: '{key}' must be a date \"YYYY-MM-DD\", not {value}",
    },
    "def.scale_needs": {
        "sv": "{where}: en skala behöver '{key}'",
        "en": "{where}: a scale needs '{key}'",
    },
    "def.na_other": {
        "sv": "{where}: na-värdet får inte vara 'other'",
        "en": "{where}: the na value may not be 'other'",
    },
    "def.scale_points": {
        "sv": "{where}: en skala får ha högst {max} steg, inte {n}",
        "en": "{where}: a scale may have at most {max} points, not {n}",
    },
    "def.na_number": {
        "sv": "{where}: na-värdet '{value}' ser ut som ett steg på skalan; använd ett ord som "
        "vet_inte",
        "en": "{where}: the na value '{value}' looks like a number of the scale; use a word such "
        "as vet_inte",
    },
    "def.max_choices": {
        "sv": "{where}: max_choices {value} är fler än de {n} svarsalternativen",
        "en": "{where}: max_choices {value} is more than the {n} choices",
    },
    "def.min_choices": {
        "sv": "{where}: min_choices {value} är fler än de {n} svarsalternativen",
        "en": "{where}: min_choices {value} is more than the {n} choices",
    },
    "def.lo_hi": {
        "sv": "{where}: {lo_key} ({lo}) är större än {hi_key} ({hi})",
        "en": "{where}: {lo_key} ({lo}) is greater than {hi_key} ({hi})",
    },
    "def.scale_order": {
        "sv": "{where}: en skala behöver min < max, inte {lo} till {hi}",
        "en": "{where}: a scale needs min < max, not {lo} to {hi}",
    },
    "def.code_word": {
        "sv": "{where}: koden {code} måste vara ett ord som 'skr-7-1'",
        "en": "{where}: code {code} must be a word such as 'skr-7-1'",
    },
    "cli.fhir_needs_json": {
        "sv": "{path}: --format fhir skriver ett FHIR-Bundle i JSON: ge utdata ett namn som slutar "
        "på .json",
        "en": "{path}: --format fhir writes a FHIR Bundle in JSON: name the output .json",
    },
    "cli.export_which": {
        "sv": "ange formatet: --fhir (ett FHIR R4 Questionnaire)",
        "en": "name the format: --fhir (a FHIR R4 Questionnaire)",
    },
    "reader.fhir_bundle": {
        "sv": "{path}: datamängden är ett FHIR-Bundle, till andra system; sammanställningen "
        "läser en datamängd i en annan form (extract -o svar.csv)",
        "en": "{path}: the dataset is a FHIR Bundle, for other systems; the report reads a "
        "dataset in another format (extract -o svar.csv)",
    },
    "exchange.unknown_kind": {
        "sv": "{path}: okänd sorts fil ({suffix}); import läser FHIR Questionnaire (.json) "
        "och XLSForm (.xlsx)",
        "en": "{path}: unknown kind of file ({suffix}); import reads FHIR Questionnaire "
        "(.json) and XLSForm (.xlsx)",
    },
    "fhir.cannot_read": {
        "sv": "{path}: kan inte läsas: {reason}",
        "en": "{path}: cannot be read: {reason}",
    },
    "fhir.not_json": {
        "sv": "{path}: är inte JSON: {reason}",
        "en": "{path}: is not JSON: {reason}",
    },
    "fhir.not_questionnaire": {
        "sv": "{path}: är inget FHIR Questionnaire (resourceType {kind})",
        "en": "{path}: is not a FHIR Questionnaire (resourceType {kind})",
    },
    "fhir.no_questions": {
        "sv": "{path}: inga frågor som kan föras över",
        "en": "{path}: no questions that can be carried over",
    },
    "fhir.note_language": {
        "sv": "Questionnaire: inget språk (language) angivet; engelska (en) antas",
        "en": "Questionnaire: no language given; English (en) assumed",
    },
    "fhir.note_version": {
        "sv": "Questionnaire: ingen version; '1' används",
        "en": "Questionnaire: no version; '1' is used",
    },
    "fhir.note_element": {
        "sv": "Questionnaire: {element} förs inte över",
        "en": "Questionnaire: {element} not carried over",
    },
    "fhir.note_item_element": {
        "sv": "post {item}: {element} förs inte över",
        "en": "item {item}: {element} not carried over",
    },
    "fhir.note_form_extension": {
        "sv": "Questionnaire: tillägget {url} förs inte över",
        "en": "Questionnaire: extension {url} not carried over",
    },
    "fhir.note_grid_required": {
        "sv": "post {item}: bara några rader krävs; i rutnätet krävs ingen",
        "en": "item {item}: only some rows are required; in the grid none is",
    },
    "fhir.note_hidden": {
        "sv": "post {item}: dold (questionnaire-hidden), inte för den som svarar; utelämnad",
        "en": "item {item}: hidden (questionnaire-hidden), not for the respondent; left out",
    },
    "fhir.note_group_required": {
        "sv": "post {item}: en obligatorisk grupp (minst ett svar) kan inte uttryckas; "
        "dess frågor är obligatoriska bara om de själva säger det",
        "en": "item {item}: a required group (at least one answer) cannot be expressed; "
        "its questions are required only where they say so themselves",
    },
    "fhir.note_extension": {
        "sv": "post {item}: tillägget {url} förs inte över",
        "en": "item {item}: extension {url} not carried over",
    },
    "fhir.note_translation": {
        "sv": "post {item}: ingen text på {lang}; texten på {main} används",
        "en": "item {item}: no {lang} text; the {main} text is used",
    },
    "fhir.note_nested_group": {
        "sv": (
            "post {item}: en grupp i gruppen {group}; blir ett eget avsnitt (avsnitt kan inte "
            "ligga i varandra)"
        ),
        "en": (
            "item {item}: a group inside group {group}; made a section of its own (sections do "
            "not nest)"
        ),
    },
    "fhir.note_initial": {
        "sv": (
            "post {item}: förvalt svar (initial) förs inte över; en utskriven blankett börjar tom"
        ),
        "en": "item {item}: initial answer not carried over; a printed form starts blank",
    },
    "fhir.note_numbers": {
        "sv": "Questionnaire: frågornas nummer (prefix) skrivs inte ut som de står; pdfforms "
        "numrerar frågorna själv",
        "en": "Questionnaire: the questions' numbers (prefix) are not printed as given; pdfforms "
        "numbers the questions itself",
    },
    "fhir.note_prefix": {
        "sv": "post {item}: prefixet '{prefix}' skrivs inte ut; frågorna numreras av pdfforms",
        "en": "item {item}: prefix '{prefix}' not printed; questions are numbered by pdfforms",
    },
    "fhir.note_codes": {
        "sv": "post {item}: bara den första av {n} koder behålls",
        "en": "item {item}: only the first of {n} codes is kept",
    },
    "fhir.note_read_only": {
        "sv": (
            "post {item}: skrivskyddad (readOnly, oftast beräknad); utelämnad: räkna fram den ur "
            "svaren"
        ),
        "en": (
            "item {item}: read-only (readOnly, usually calculated); left out: compute it from the"
            " answers"
        ),
    },
    "fhir.note_no_text": {
        "sv": "post {item}: ingen text; linkId skrivs som frågans text",
        "en": "item {item}: no text; its linkId is printed as the question",
    },
    "fhir.note_repeats": {
        "sv": "post {item}: repeats; ett svar skrivs ut",
        "en": "item {item}: repeats; one answer is printed",
    },
    "fhir.note_child": {
        "sv": "post {item}: en fråga under frågan {parent}; ställs efter den",
        "en": "item {item}: a question under question {parent}; asked after it",
    },
    "fhir.note_as": {
        "sv": "post {item} (typ {type}): skrivs ut som en fråga av typen {ours}",
        "en": "item {item} (type {type}): printed as a question of type {ours}",
    },
    "fhir.note_type": {
        "sv": "post {item} (typ {type}): stöds inte, utelämnad",
        "en": "item {item} (type {type}): not supported, left out",
    },
    "fhir.note_option": {
        "sv": "post {item}: svarsalternativ {what} stöds inte, utelämnat",
        "en": "item {item}: answer option {what} not supported, left out",
    },
    "fhir.note_value_set": {
        "sv": (
            "post {item}: answerValueSet {url} finns inte i filen och kan inte hämtas utan nät; "
            "skrivs ut som en textfråga"
        ),
        "en": (
            "item {item}: answerValueSet {url} is not in the file and cannot be resolved offline;"
            " printed as a text question"
        ),
    },
    "fhir.note_condition": {
        "sv": (
            "post {item}: villkoret på {question} (operator {operator}) kan inte uttryckas; "
            "frågan ställs till alla"
        ),
        "en": (
            "item {item}: the condition on {question} (operator {operator}) cannot be expressed; "
            "the question is asked of everyone"
        ),
    },
    "fhir.note_condition_dropped": {
        "sv": (
            "post {item}: villkoret (enableWhenExpression) kan inte uttryckas; frågan ställs till"
            " alla"
        ),
        "en": (
            "item {item}: the condition (enableWhenExpression) cannot be expressed; the question "
            "is asked of everyone"
        ),
    },
    "fhir.note_rows": {
        "sv": "post {item}: en upprepad grupp utan maxOccurs; skrivs ut med {n} rader",
        "en": "item {item}: a repeating group without maxOccurs; printed with {n} rows",
    },
    "fhir.export_condition": {
        "sv": (
            "{item}: villkoret kan inte sägas med FHIR:s enableWhen; frågan ställs till alla i "
            "exporten"
        ),
        "en": (
            "{item}: the condition cannot be said with FHIR's enableWhen; the question is asked "
            "of everyone in the export"
        ),
    },
    "def.coding_shape": {
        "sv": "{where}: code ska vara ett ord som 'skr-7-1' eller {{system: URI, code: KOD}}",
        "en": "{where}: code must be a word such as 'skr-7-1' or {{system: URI, code: CODE}}",
    },
    "def.coding_system": {
        "sv": "{where}: kodsystemet {system} är ingen absolut URI (som 'http://loinc.org')",
        "en": "{where}: code system {system} is not an absolute URI (such as 'http://loinc.org')",
    },
    "def.coding_code": {
        "sv": "{where}: koden {code} måste vara text utan mellanslag först eller sist",
        "en": "{where}: code {code} must be text with no space at either end",
    },
    "def.options_missing": {
        "sv": "{where}: 'options' saknas",
        "en": "{where}: 'options' is missing",
    },
    "def.option_set_unknown": {
        "sv": "{where}: okänd svarsuppsättning '{name}'{hint}",
        "en": "{where}: unknown option set '{name}'{hint}",
    },
    "def.grid_rows": {
        "sv": "{where}: ett rutnät behöver 'rows', en lista med {{id, label}} som inte är tom",
        "en": "{where}: a grid needs 'rows', a non-empty list of {{id, label}}",
    },
    "def.row_mapping": {
        "sv": "{where}: en rad måste vara en tabell {{id, label}}",
        "en": "{where}: a row must be a mapping {{id, label}}",
    },
    "def.row_twice": {
        "sv": "{where}: rad-id '{id}' förekommer två gånger",
        "en": "{where}: row id '{id}' appears twice",
    },
    "def.group_rows": {
        "sv": "{where}: en grupp behöver 'rows', antalet tryckta rader (1–{max})",
        "en": "{where}: a group needs 'rows', the number of printed rows (1–{max})",
    },
    "def.group_rows_many": {
        "sv": "{where}: en grupp får ha högst {max} rader (en sida i stor stil), inte {value}",
        "en": "{where}: a group may have at most {max} rows (one page in large print), not {value}",
    },
    "def.group_items": {
        "sv": "{where}: en grupp behöver 'items', en lista med kolumner {{id, type, label}} "
        "av typerna {types}",
        "en": "{where}: a group needs 'items', a list of columns {{id, type, label}} "
        "of the types {types}",
    },
    "def.group_items_many": {
        "sv": "{where}: en grupp får ha högst {max} kolumner (så att de ryms på en A4 i "
        "stor stil), inte {n}",
        "en": "{where}: a group may have at most {max} columns (so that they fit an A4 page "
        "in large print), not {n}",
    },
    "def.group_item_mapping": {
        "sv": "{where}: en kolumn måste vara en tabell {{id, type, label}}",
        "en": "{where}: a column must be a mapping {{id, type, label}}",
    },
    "def.group_item_type": {
        "sv": "{where}: en kolumn har typen {type}, men en grupps kolumner kan vara {types}",
        "en": "{where}: a column has type {type}, but a group's columns can be {types}",
    },
    "def.group_item": {
        "sv": "{where}, kolumn '{id}'",
        "en": "{where}, column '{id}'",
    },
    "def.group_item_twice": {
        "sv": "{where}: kolumn-id '{id}' förekommer två gånger",
        "en": "{where}: column id '{id}' appears twice",
    },
    "def.when_shape": {
        "sv": "{where}: enable_when måste vara {{question: ID, in: [VÄRDEN]}}, {{question: ID, "
        "equals: VÄRDE}}, en jämförelse som {{question: ID, at_least: N}}, eller {{all: [...]}}, "
        "{{any: [...]}}, {{not: ...}}",
        "en": "{where}: enable_when must be {{question: ID, in: [VALUES]}}, {{question: ID, "
        "equals: VALUE}}, a comparison such as {{question: ID, at_least: N}}, or {{all: [...]}}, "
        "{{any: [...]}}, {{not: ...}}",
    },
    "def.when_alone": {
        "sv": "{where}: enable_when '{group}' står ensamt; lägg de andra testerna inuti det "
        "({others})",
        "en": "{where}: enable_when '{group}' stands alone; put the other tests inside it "
        "({others})",
    },
    "def.when_list": {
        "sv": "{where}: enable_when '{key}' måste vara en lista med villkor som inte är tom",
        "en": "{where}: enable_when '{key}' must be a non-empty list of conditions",
    },
    "def.when_question": {
        "sv": "{where}: enable_when behöver 'question'",
        "en": "{where}: enable_when needs 'question'",
    },
    "def.when_both": {
        "sv": "{where}: enable_when jämför ett tal ({compare}) eller nämner svar ('in', "
        "'equals'), inte båda",
        "en": "{where}: enable_when compares a number ({compare}) or names answers ('in', "
        "'equals'), not both",
    },
    "def.when_number": {
        "sv": "{where}: enable_when '{key}' måste vara ett tal, inte {value}",
        "en": "{where}: enable_when '{key}' must be a number, not {value}",
    },
    "def.when_one_of": {
        "sv": "{where}: enable_when behöver exakt en av 'in' och 'equals' (eller en jämförelse: "
        "{comparisons})",
        "en": "{where}: enable_when needs exactly one of 'in' and 'equals' (or a comparison: "
        "{comparisons})",
    },
    "def.when_in": {
        "sv": "{where}: enable_when 'in' måste vara en lista som inte är tom",
        "en": "{where}: enable_when 'in' must be a non-empty list",
    },
    "def.when_words": {
        "sv": "{where}: enable_when-värdena måste vara enkla ord eller tal",
        "en": "{where}: enable_when values must be plain words or numbers",
    },
    "def.field_note": {
        "sv": " (en rullgardinslista visar sina etiketter i fältens typsnitt)",
        "en": " (a drop-down list shows its labels in the fields' font)",
    },
    "def.did_you_mean": {
        "sv": " (menade du '{word}'?)",
        "en": " (did you mean '{word}'?)",
    },
    "def.belongs_to": {
        "sv": " (den hör till frågor av typen {types})",
        "en": " (it belongs to {types} questions)",
    },
    "def.question": {
        "sv": "fråga '{id}'",
        "en": "question '{id}'",
    },
    "def.question_any": {
        "sv": "fråga",
        "en": "question",
    },
    "def.section": {
        "sv": "avsnitt '{id}'",
        "en": "section '{id}'",
    },
    "def.section_any": {
        "sv": "avsnitt",
        "en": "section",
    },
    "def.option": {
        "sv": "{where}, alternativ '{value}'",
        "en": "{where}, option '{value}'",
    },
    "def.option_label": {
        "sv": "{where}, alternativ '{value}': 'label' på '{lang}'",
        "en": "{where}, option '{value}': 'label' in '{lang}'",
    },
    "def.row": {
        "sv": "{where}, rad '{id}'",
        "en": "{where}, row '{id}'",
    },
    "def.key_in_lang": {
        "sv": "{where}: '{key}' på '{lang}'",
        "en": "{where}: '{key}' in '{lang}'",
    },
    "def.option_set": {
        "sv": "svarsuppsättningen '{name}'",
        "en": "option set '{name}'",
    },
    "def.kind_bool": {
        "sv": "true/false",
        "en": "true/false",
    },
    "def.kind_number": {
        "sv": "ett tal",
        "en": "a number",
    },
    "def.kind_string": {
        "sv": "en sträng",
        "en": "a string",
    },
    "def.kind_list": {
        "sv": "en lista",
        "en": "a list",
    },
    "def.kind_mapping": {
        "sv": "en tabell",
        "en": "a mapping",
    },
    "def.kind_empty": {
        "sv": "tom",
        "en": "empty",
    },
    # --- a definition's YAML (model/yamlsource.py) ---
    "yaml.key_word": {
        "sv": "en nyckel måste vara ett enkelt ord",
        "en": "a key must be a plain word",
    },
    "yaml.key_twice": {
        "sv": "nyckeln '{key}' förekommer två gånger (först på rad {line})",
        "en": "key '{key}' appears twice (first on line {line})",
    },
    "yaml.syntax": {"sv": "syntaxfel i YAML: {problem}", "en": "YAML syntax error: {problem}"},
    "yaml.error": {"sv": "fel i YAML: {problem}", "en": "YAML error: {problem}"},
    "yaml.empty": {"sv": "filen är tom", "en": "the file is empty"},
    # --- a respondents CSV or answers to fill, and a print run (generate/) ---
    "resp.grid_column": {
        "sv": "kolumnen '{id}' är ett rutnät; ge varje rad en egen kolumn: {columns}",
        "en": "column '{id}' is a grid; give each row its own column: {columns}",
    },
    "resp.group_column": {
        "sv": "kolumnen '{id}' är en grupp; ge varje cell en egen kolumn, som {columns}",
        "en": "column '{id}' is a group; give each cell its own column, such as {columns}",
    },
    "resp.checkbox_column": {
        "sv": "kolumnen '{column}' är en enda kryssruta; skriv de valda svaren i kolumnen '{id}', "
        "åtskilda med '|'",
        "en": "column '{column}' is one checkbox; put the chosen answers in column '{id}', "
        "separated by '|'",
    },
    "resp.ambiguous": {
        "sv": "{value} kan vara vilket som helst av {hits}; skriv värdet i stället",
        "en": "{value} could be any of {hits}; write the value instead",
    },
    "fields.not_one_of_bare": {
        "sv": "{value} är inte ett av {allowed}",
        "en": "{value} is not one of {allowed}",
    },
    "resp.below_min": {
        "sv": "{value} är mindre än det minsta tillåtna, {min}",
        "en": "{value} is less than the smallest allowed, {min}",
    },
    "resp.above_max": {
        "sv": "{value} är större än det största tillåtna, {max}",
        "en": "{value} is more than the largest allowed, {max}",
    },
    "resp.decimals": {
        "sv": "{value} har fler än {n} decimaler",
        "en": "{value} has more than {n} decimals",
    },
    "resp.decimal": {
        "sv": "{value} har fler än {n} decimal",
        "en": "{value} has more than {n} decimal",
    },
    "resp.not_yes_or_no": {
        "sv": "{value} är varken ja eller nej (skriv ja eller nej, yes eller no)",
        "en": "{value} is neither yes nor no (write ja or nej, yes or no)",
    },
    "resp.not_among_one": {
        "sv": "{listed} i {value} finns inte bland {allowed} (skilj svaren åt med {separators})",
        "en": "{listed} in {value} is not among {allowed} (separate answers with {separators})",
    },
    "resp.not_among_many": {
        "sv": "{listed} i {value} finns inte bland {allowed} (skilj svaren åt med {separators})",
        "en": "{listed} in {value} are not among {allowed} (separate answers with {separators})",
    },
    "resp.cannot_read": {
        "sv": "{where}: filen kan inte läsas: {reason}",
        "en": "{where}: cannot read the file: {reason}",
    },
    "resp.not_utf8": {
        "sv": "{where}: filen är inte UTF-8-text; spara den i Excel som 'CSV UTF-8 "
        "(kommaavgränsad)' / 'CSV UTF-8 (Comma delimited)'",
        "en": "{where}: the file is not UTF-8 text; in Excel, save it as 'CSV UTF-8 "
        "(kommaavgränsad)' / 'CSV UTF-8 (Comma delimited)'",
    },
    "resp.quote_open": {
        "sv": "en cell inom citattecken som börjar här avslutas aldrig",
        "en": "a quoted cell that starts here is never closed",
    },
    "resp.quoting": {
        "sv": "citattecknen är trasiga ({reason}); en cell som innehåller ett citattecken måste "
        'stå inom citattecken, med citattecknet dubblerat: "säg ""hej"""',
        "en": "the quoting is broken ({reason}); a cell holding a quote must be in quotes, with "
        'the quote doubled: "say ""hello"""',
    },
    "resp.nothing_after": {
        "sv": "{where}: {why}; inget efter det kan läsas",
        "en": "{where}: {why}; nothing after it can be read",
    },
    "resp.empty": {
        "sv": "{where}: filen är tom; den har inga mottagare",
        "en": "{where}: the file is empty; it has no respondents",
    },
    "resp.column_twice": {
        "sv": "{where}: kolumnen '{column}' förekommer två gånger (kolumn {first} och {second})",
        "en": "{where}: column '{column}' appears twice (columns {first} and {second})",
    },
    "resp.unknown_column": {
        "sv": "kolumnen '{column}' är ingen fråga i formuläret '{form}' och används inte av "
        "följebrevet{hint}",
        "en": "column '{column}' is not a question of form '{form}' and not used by the cover "
        "page{hint}",
    },
    "resp.only_header": {
        "sv": "{where}: filen har inga mottagare, bara en rubrikrad",
        "en": "{where}: the file has no respondents, only a header",
    },
    "resp.other_and_choice": {
        "sv": "{text} står som det andra svaret, men {where} '{id}' väljer {value}; lämna ett av "
        "dem tomt",
        "en": "{text} is written as the other answer, but {where} '{id}' chooses {value}; leave "
        "one of them blank",
    },
    "resp.too_few": {
        "sv": "{n} valda ({chosen}), minst {min} efterfrågas",
        "en": "{n} chosen ({chosen}), at least {min} asked for",
    },
    "resp.too_many": {
        "sv": "{n} valda ({chosen}), högst {max} tillåts",
        "en": "{n} chosen ({chosen}), at most {max} allowed",
    },
    "resp.skipped_gives": {
        "sv": "den här frågan ställs bara när '{question}' är {values}, och {whole} anger "
        "{given}; lämna ett tomt",
        "en": "this question is only asked when '{question}' is {values}, and this {whole} gives "
        "{given}; leave one blank",
    },
    "resp.skipped": {
        "sv": "den här frågan ställs bara när {when}, och {whole} uppfyller inte det; lämna ett "
        "tomt",
        "en": "this question is only asked when {when}, and this {whole} does not meet that; "
        "leave one blank",
    },
    "resp.row_column": {
        "sv": "{where}: kolumnen '{column}': {message}",
        "en": "{where}: column '{column}': {message}",
    },
    "resp.value_past_header": {
        "sv": "{where}: raden har ett värde i kolumn {column}, men rubrikraden har bara {n} "
        "kolumner",
        "en": "{where}: the row has a value in column {column}, but the header has only {n} "
        "columns",
    },
    "resp.value_no_name": {
        "sv": "{where}: kolumn {column} har ett värde men inget namn i rubrikraden",
        "en": "{where}: column {column} has a value but no name in the header",
    },
    "resp.language": {
        "sv": "{value} är inte ett av formulärets språk ({languages})",
        "en": "{value} is not one of the form's languages ({languages})",
    },
    "resp.question": {
        "sv": "fråga '{id}': {message}",
        "en": "question '{id}': {message}",
    },
    "resp.not_text": {
        "sv": "{value} är ingen text",
        "en": "{value} is not text",
    },
    "resp.one_checkbox": {
        "sv": "'{key}' är en enda kryssruta; ge de valda svaren som en lista i '{base}', t.ex. "
        '"{base}": ["{option}"]',
        "en": "'{key}' is one checkbox; give the chosen answers as a list in '{base}', e.g. "
        '"{base}": ["{option}"]',
    },
    "resp.not_a_question": {
        "sv": "ingen fråga i formuläret '{form}'{hint}",
        "en": "not a question of form '{form}'{hint}",
    },
    "resp.group_answer": {
        "sv": "{value} är inget svar på en grupp; ge en lista med rader {{kolumn: värde}}",
        "en": "{value} is no answer to a group; give a list of rows {{column: value}}",
    },
    "resp.group_item": {
        "sv": "rad {row}: okänd kolumn {items} (kolumnerna är {allowed})",
        "en": "row {row}: unknown column {items} (the columns are {allowed})",
    },
    "resp.group_cell": {
        "sv": "rad {row}, '{item}': {error}",
        "en": "row {row}, '{item}': {error}",
    },
    "resp.group_too_many": {
        "sv": "{n} rader, men blanketten har {max}",
        "en": "{n} rows, but the form has {max}",
    },
    "resp.group_cell_json": {
        "sv": "gruppen ges både hel och cell för cell; ge den på ett av sätten",
        "en": "the group is given both whole and cell by cell; give it one way",
    },
    "resp.grid_answer": {
        "sv": "{value} är inget svar på ett rutnät; ge ett objekt med rad: svar",
        "en": "{value} is no answer to a grid; give an object of row: answer",
    },
    "resp.no_row": {
        "sv": "rutnätet har ingen rad {row} (dess rader: {rows})",
        "en": "the grid has no row {row} (its rows: {rows})",
    },
    "resp.no_answer": {
        "sv": "{value} är inget svar på en fråga av typen {type}",
        "en": "{value} is no answer to a {type} question",
    },
    "resp.not_an_answer": {
        "sv": "{bad} i {value} är inget svar",
        "en": "{bad} in {value} is not an answer",
    },
    "resp.not_among_bare_one": {
        "sv": "{listed} finns inte bland {allowed}",
        "en": "{listed} is not among {allowed}",
    },
    "resp.not_among_bare_many": {
        "sv": "{listed} finns inte bland {allowed}",
        "en": "{listed} are not among {allowed}",
    },
    "resp.row": {
        "sv": "den här raden",
        "en": "row",
    },
    "resp.form": {
        "sv": "det här formuläret",
        "en": "form",
    },
    "run.faults": {
        "sv": "{n} fel; inget skrevs",
        "en": "{n} fault(s); nothing was written",
    },
    "run.copies_or_respondents": {
        "sv": "ange antingen --copies N eller --respondents FIL.csv för ett utskick",
        "en": "give either --copies N or --respondents FILE.csv for a print run",
    },
    "run.second_letter": {
        "sv": "{path}: ett andra följebrev för {lang}",
        "en": "{path}: a second cover letter for {lang}",
    },
    "run.every_language": {
        "sv": "alla språk",
        "en": "every language",
    },
    "run.letter_language": {
        "sv": "{path}: ett följebrev på '{lang}', som inte är ett av formulärets språk "
        "({languages})",
        "en": "{path}: a cover letter in '{lang}', which is not among the form's languages "
        "({languages})",
    },
    "run.cannot_read_letter": {
        "sv": "{path}: följebrevet kan inte läsas ({reason})",
        "en": "{path}: cannot read the cover letter ({reason})",
    },
    "run.file_faults": {
        "sv": "{path}: {n} fel; inget skrevs",
        "en": "{path}: {n} fault(s); nothing was written",
    },
    "run.letter_faults": {
        "sv": "{n} fel i följebrevet; inget skrevs",
        "en": "{n} fault(s) in the cover letter; nothing was written",
    },
    "run.letter_columns": {
        "sv": "{path}: använder {fields}, som {respondents} saknar; inget skrevs",
        "en": "{path}: uses {fields}, which {respondents} lacks; nothing was written",
    },
    "run.placeholders": {
        "sv": "{path}: har platshållare ({fields}), som kräver --respondents",
        "en": "{path}: has placeholders ({fields}), which need --respondents",
    },
    "run.no_letter": {
        "sv": "{n} exemplar är på '{lang}', och inget följebrev är det; ange --cover {lang}=FIL "
        "(eller en FIL för alla språk); inget skrevs",
        "en": "{n} copies are in '{lang}', and no cover letter is; give --cover {lang}=FILE (or a "
        "FILE for every language); nothing was written",
    },
    "run.definition_letter": {
        "sv": "{path}: letter ({lang})",
        "en": "{path}: letter ({lang})",
    },
    "run.no_letter_in_definition": {
        "sv": "{n} exemplar är på '{lang}', och definitionens brev (letter:) har ingen text på "
        "det språket; skriv en i definitionen eller ange --cover {lang}=FIL; inget skrevs",
        "en": "{n} copies are in '{lang}', and the definition's letter (letter:) has no text in "
        "that language; write one in the definition or give --cover {lang}=FILE; nothing was "
        "written",
    },
    "run.letter_placeholder": {
        "sv": "{path}: {problem}; en platshållare är en kolumns namn inom klamrar, som {{namn}}",
        "en": "{path}: {problem}; a placeholder is a column's name in braces, such as {{namn}}",
    },
    "run.letter_date_unused": {
        "sv": "--letter-date är datumet på definitionens brev (letter:), som bara skrivs ut "
        "med --respondents",
        "en": "--letter-date is the date of the definition's letters (letter:), which are only "
        "printed with --respondents",
    },
    "run.address_columns": {
        "sv": "{path}: har adresskolumnerna {given} men inte {lacking}; brevets adressfält "
        "behöver namn, adress, postnummer och ort (c/o om det behövs)",
        "en": "{path}: has the address columns {given} but not {lacking}; the letter's address "
        "block needs namn, adress, postnummer and ort (c/o where needed)",
    },
    "run.address_empty": {
        "sv": "{where}: kolumnen '{column}' är tom; brevets adressfält behöver den",
        "en": "{where}: column '{column}' is empty; the letter's address block needs it",
    },
    "run.address_wide": {
        "sv": "{where}: adressraden {line} är för lång för kuvertets fönster (högst 89 mm)",
        "en": "{where}: the address line {line} is too long for the envelope's window (89 mm at "
        "most)",
    },
    "run.letter_too_long": {
        "sv": "{where}: brevet får inte plats på sin sida under brevhuvudet; korta texten",
        "en": "{where}: the letter does not fit its page below the letter head; shorten the text",
    },
    "run.letter_line": {
        "sv": "{where}: följebrevet {reason}",
        "en": "{where}: the cover letter {reason}",
    },
    "run.cover_letter": {
        "sv": "följebrev",
        "en": "cover letter",
    },
    "run.cover_letter_in": {
        "sv": "följebrev ({lang})",
        "en": "cover letter ({lang})",
    },
    "run.letter_missing": {
        "sv": "följebrev: inget på '{lang}', språket för {n} exemplar ({shown})",
        "en": "cover letter: none in '{lang}', the language of {n} copies ({shown})",
    },
    "run.copy": {
        "sv": "exemplar {serial}",
        "en": "copy {serial}",
    },
    "run.line": {
        "sv": " (rad {row})",
        "en": " (line {row})",
    },
    "run.field": {
        "sv": "{where}: fältet {field}: {value} {reason}",
        "en": "{where}: field {field}: {value} {reason}",
    },
    "run.letter_value": {
        "sv": "{where}: följebrevets {{{key}}}: {value} {reason}",
        "en": "{where}: cover letter's {{{key}}}: {value} {reason}",
    },
    "resp.where_column": {
        "sv": "kolumnen",
        "en": "column",
    },
    "resp.where_question": {
        "sv": "frågan",
        "en": "question",
    },
    # --- notes on files and damage (dataset/build.py, read/detect.py, flattened.py) ---
    "build.read_before": {
        "sv": "formulär {n} (löpnummer {serial}) lästes redan från {first}",
        "en": "questionnaire {n} (serial {serial}) was already read from {first}",
    },
    "build.same_bytes": {"sv": "samma byte som {other}", "en": "the same bytes as {other}"},
    "build.no_input": {
        "sv": "ingen sådan fil eller mapp, och ingen fil passar mönstret",
        "en": "no such file or folder, and no file matches it",
    },
    "decisions.unreadable": {
        "sv": "fråga {number} '{id}' kunde inte läsas (markerat så vid granskningen)",
        "en": "question {number} '{id}' could not be read (so marked in review)",
    },
    "detect.identity_disagrees": {
        "sv": "de två kopiorna av dess identitet i dokumentinformationen är oense om {keys}",
        "en": "the two copies of its identity in the document information disagree on its {keys}",
    },
    "detect.small_print_says": {
        "sv": " (det finstilta på dess sidor säger {said})",
        "en": " (the small print on its pages says {said})",
    },
    "detect.pages_disagree": {
        "sv": "dess sidor säger att de är formulär '{page_form}' version '{page_version}', men "
        "dess dokumentinformation säger formulär '{form}' version '{version}'",
        "en": "its pages say they are form '{page_form}' version '{page_version}', but its "
        "document information says form '{form}' version '{version}'",
    },
    "detect.cut_in_update": {
        "sv": "filen är avklippt mitt i en sparad ändring (en uppdatering som ett program lade "
        "till): de senast sparade svaren saknas",
        "en": "the file is cut short in the middle of a saved change (an update a viewer "
        "appended): the answers saved last are missing",
    },
    "detect.cut_short": {
        "sv": "filen är avklippt, så qpdf fick bygga om dess korsreferenstabell: de senast "
        "sparade svaren kan saknas",
        "en": "the file is cut short, so qpdf had to rebuild its cross-reference table: "
        "answers saved last may be missing",
    },
    "detect.xref_broken": {
        "sv": "dess korsreferenstabell är trasig, så qpdf fick bygga om den genom att söka "
        "igenom filen: de senast sparade svaren kan saknas",
        "en": "its cross-reference table is broken, so qpdf had to rebuild it by scanning "
        "the file: answers saved last may be missing",
    },
    "detect.repaired": {
        "sv": "qpdf fick reparera den: {warning}",
        "en": "qpdf had to repair it: {warning}",
    },
    "drawing.boxes_missing": {
        "sv": "sida {page} visar inte formulärets rutor där de ska vara ({sides} av {total} "
        "rutsidor ritade, {marks} av 4 hörnmärken hittade): dess ritning är skadad, så dess "
        "svar kan inte läsas",
        "en": "page {page} does not show the form's boxes where they belong ({sides} of "
        "{total} box sides drawn, {marks} of 4 corner marks found): its drawing is damaged, "
        "so its answers cannot be read",
    },
    "load.not_an_answer": {
        "sv": "{path}, kolumnen '{column}': {value} är inget svar på frågan '{id}' ({allowed})",
        "en": "{path}, column '{column}': {value} is not an answer of question '{id}' ({allowed})",
    },
    "review.bad_key": {
        "sv": "nyckeln i den här adressen är inte giltig",
        "en": "the key in this address is not valid",
    },
    # --- a scan's pages (parse/scan.py: `pdfforms parse` prints them; missing_page) ---
    "scan.blank": {
        "sv": "en tom sida (baksidan av en dubbelsidig skanning)",
        "en": "a blank page (the back of a duplex scan)",
    },
    "scan.no_qr": {"sv": "ingen läsbar QR-kod", "en": "no readable QR code"},
    "scan.unknown_form": {
        "sv": "formulär '{form}' version '{version}' finns inte bland definitionerna",
        "en": "form '{form}' version '{version}' is not among the definitions",
    },
    "scan.form_edition": {"sv": "formulär '{form}' {reason}", "en": "form '{form}' {reason}"},
    "scan.page_read_before": {
        "sv": "sida {page} av det här formuläret har redan lästs",
        "en": "page {page} of this questionnaire was already read",
    },
    "scan.ambiguous_page": {
        "sv": "ingen läsbar QR-kod; det ser ut att saknas mer än en sida",
        "en": "no readable QR code; it looks like more than one missing page",
    },
    "scan.printed_serial": {
        "sv": "ingen läsbar QR-kod; identifierad som sida {page} av serienumret tryckt i "
        "marginalen, och dess rutor passar ({score})",
        "en": "no readable QR code; identified as page {page} by the serial printed in its "
        "margin, and its boxes match ({score})",
    },
    "scan.printed_serial_other": {
        "sv": "ingen läsbar QR-kod; serienumret i marginalen ({serial}, sida {page}) stämmer "
        "inte med en sida som saknas i filen",
        "en": "no readable QR code; the serial printed in its margin ({serial}, page {page}) "
        "does not match a page missing from the file",
    },
    "scan.printed_serial_unlike": {
        "sv": "ingen läsbar QR-kod; serienumret i marginalen säger sida {page} av {serial}, "
        "men sidans rutor syns inte där den sidan har dem",
        "en": "no readable QR code; the serial printed in its margin says page {page} of "
        "{serial}, but the page's boxes cannot be seen where that page has them",
    },
    "scan.placed": {
        "sv": "ingen läsbar QR-kod; dess rutor passar sida {page} ({score})",
        "en": "no readable QR code; its boxes match page {page} ({score})",
    },
    "scan.no_corners": {"sv": "hörnmärkena hittades inte", "en": "corner marks not found"},
    "scan.corners_off": {
        "sv": "hörnmärkena passar inte (avvikelse {mm} mm)",
        "en": "corner marks do not fit (residual {mm} mm)",
    },
    "scan.outlines_off": {
        "sv": "hörnmärkena stämmer inte med rutornas tryckta kanter",
        "en": "corner marks do not agree with the printed box outlines",
    },
    "scan.poor": {
        "sv": "för suddig eller brusig för att skilja svaga markeringar från papperet "
        "(golv {floor})",
        "en": "too blurred or noisy to tell faint marks from paper (floor {floor})",
    },
    "scan.page_missing": {
        "sv": "sida {page} av {total} finns inte i skanningen",
        "en": "page {page} of {total} is not in the scan",
    },
    "scan.page_unread": {
        "sv": "sida {page} av {total} kunde inte läsas (sida {file_page} i filen)",
        "en": "page {page} of {total} could not be read (page {file_page} of the file)",
    },
    "scan.page_unread_or_missing": {
        "sv": "sida {page} av {total} kunde inte läsas, eller finns inte i skanningen (sida "
        "{file_pages} i filen kunde inte läsas)",
        "en": "page {page} of {total} could not be read, or is not in the scan (page "
        "{file_pages} of the file could not be read)",
    },
    "scan.pages_unread_or_missing": {
        "sv": "sida {page} av {total} kunde inte läsas, eller finns inte i skanningen (sidorna "
        "{file_pages} i filen kunde inte läsas)",
        "en": "page {page} of {total} could not be read, or is not in the scan (pages "
        "{file_pages} of the file could not be read)",
    },
    # --- what our fonts cannot draw (model/printable.py, fonts.py) ---
    "printable.cannot": {
        "sv": "kan inte skrivas ut: {chars}; {note}",
        "en": "cannot be printed: {chars}; {note}",
    },
    "printable.values_font": {
        "sv": "kan inte skrivas ut: {chars}; värdenas typsnitt har {has}",
        "en": "cannot be printed: {chars}; the values' font has {has}",
    },
    "printable.winansi": {
        "sv": "formulärets typsnitt har bara västeuropeiska bokstäver (Windows-1252)",
        "en": "the form's fonts have only Western European letters (Windows-1252)",
    },
    "printable.page_font": {
        "sv": "sidtextens typsnitt för det här språket ({family}) saknar dem",
        "en": "the page text's font for this language ({family}) lacks them",
    },
    "printable.accent": {
        "sv": " (en accent skriven skild från sin bokstav; skriv den accentuerade bokstaven i "
        "stället)",
        "en": " (an accent typed apart from its letter; type the accented letter instead)",
    },
    "printable.more": {"sv": " och {n} till", "en": " and {n} more"},
    "font.winansi": {
        "sv": "bokstäverna i Windows-1252 (västeuropeiska)",
        "en": "the letters of Windows-1252 (Western European)",
    },
    "font.typed": {
        "sv": "latinska, grekiska och kyrilliska bokstäver",
        "en": "Latin, Greek and Cyrillic letters",
    },
    "font.arabic": {"sv": "arabiska och latinska bokstäver", "en": "Arabic and Latin letters"},
    # --- the review page (review/page.js gets them as /page-texts.js) ---
    "page.title": {
        "sv": "Granskning",
        "en": "Review",
    },
    "page.left": {
        "sv": "{left} kvar av {total}",
        "en": "{left} left of {total}",
    },
    "page.reviewer": {
        "sv": "Granskare",
        "en": "Reviewer",
    },
    "page.save": {
        "sv": "Spara och nästa",
        "en": "Save and next",
    },
    "page.skip": {
        "sv": "Hoppa över",
        "en": "Skip",
    },
    "page.unreadable": {
        "sv": "Oläslig",
        "en": "Unreadable",
    },
    "page.empty": {
        "sv": "Tomt",
        "en": "Blank",
    },
    "page.back": {
        "sv": "Tillbaka",
        "en": "Back",
    },
    "page.none": {
        "sv": "Inget markerat",
        "en": "Nothing marked",
    },
    "page.file": {
        "sv": "Fil",
        "en": "File",
    },
    "page.page": {
        "sv": "sida",
        "en": "page",
    },
    "page.serial": {
        "sv": "löpnummer",
        "en": "serial",
    },
    "page.questionnaire": {
        "sv": "enkät",
        "en": "questionnaire",
    },
    "page.reasons.handwriting": {
        "sv": "Handskrift – skriv av texten.",
        "en": "Handwriting – type the text.",
    },
    "page.suggested": {
        "sv": "Maskinens förslag, siffra för siffra – jämför med bilden:",
        "en": "The machine's suggestion, digit by digit – compare it with the image:",
    },
    "page.suggestionFails": {
        "sv": "Maskinens förslag, inte ifyllt eftersom det inte stämmer:",
        "en": "The machine's suggestion, not filled in as it does not check out:",
    },
    "page.reasons.ocr": {
        "sv": "Maskinläst text – kontrollera och rätta.",
        "en": "Machine-read text – check and correct it.",
    },
    "page.reasons.faint_writing": {
        "sv": "Svag skrift – skriv av det som står, eller lämna tomt.",
        "en": "Faint writing – type what it says, or leave it blank.",
    },
    "page.reasons.uncertain_mark": {
        "sv": "Osäker markering – vilket svar är markerat?",
        "en": "Uncertain mark – which answer is marked?",
    },
    "page.reasons.alignment": {
        "sv": "Sidan kunde inte läsas (hörnmärkena hittades inte) – fyll i svaren från bilden.",
        "en": "The page could not be read (corner marks not found) – fill in the answers from the "
        "image.",
    },
    "page.reasons.poor_scan": {
        "sv": "Skanningen är för otydlig – fyll i svaren från bilden.",
        "en": "The scan is too unclear – fill in the answers from the image.",
    },
    "page.reasons.page_placed_by_layout": {
        "sv": "Sidan känns igen på utseendet – kontrollera svaren.",
        "en": "The page was recognised by its layout – check the answers.",
    },
    "page.seen.faint_mark": {
        "sv": "Svag markering i rutan: blyerts, eller bara smuts?",
        "en": "A faint mark in the box: pencil, or only dirt?",
    },
    "page.seen.ink_around_box": {
        "sv": "Bläck runt rutan: är svaret inringat?",
        "en": "Ink around the box: is the answer circled?",
    },
    "page.seen.ink_at_words": {
        "sv": "Bläck vid svarstexten: är den inringad eller understruken?",
        "en": "Ink at the answer's words: are they circled or underlined?",
    },
    "page.seen.paper_texture": {
        "sv": "Papperet är strukturerat eller brusigt: finns en svag markering i rutan?",
        "en": "The paper is textured or noisy: is there a faint mark in the box?",
    },
    "page.seen.multiple_marks": {
        "sv": "Fler än en ruta är markerad, men frågan har ett svar: vilken gäller?",
        "en": "More than one box is marked, but the question takes one answer: which holds?",
    },
    "page.seen.box_not_found": {
        "sv": "Rutan ligger inte där den ska (vikt eller skrynklig sida): titta själv.",
        "en": "The box is not where it should be (a folded or wrinkled page): look yourself.",
    },
    "page.doneTitle": {
        "sv": "Klart!",
        "en": "Done!",
    },
    "page.doneText": {
        "sv": "Alla {total} är granskade. Datasetet skrivs om av sig självt; avsluta med Ctrl-C i "
        "terminalen.",
        "en": "All {total} are reviewed. The dataset is written again by itself; stop with Ctrl-C "
        "in the terminal.",
    },
    "page.elsewhere": {
        "sv": "{n} kvar är öppna i andra flikar. Sidan frågar igen om en stund.",
        "en": "{n} left are open in other tabs. This page asks again in a moment.",
    },
    "page.saved": {
        "sv": "Sparat",
        "en": "Saved",
    },
    "page.offline": {
        "sv": "Servern svarar inte. Det du skrev finns kvar här: starta pdfforms review igen och "
        "försök på nytt.",
        "en": "The server does not answer. What you typed is still here: start pdfforms review "
        "again and retry.",
    },
    "page.again": {
        "sv": "Tryck Enter igen för att spara ändå.",
        "en": "Press Enter again to save anyway.",
    },
    "page.emptyHow.text": {
        "sv": "Inget är skrivet. Skriv av texten, eller tryck Alt+T om rutan är tom.",
        "en": "Nothing is typed. Type the text, or press Alt+T if the box is blank.",
    },
    "page.emptyHow.choice": {
        "sv": "Inget svar är valt. Välj ett, eller tryck 0 om inget är markerat (Alt+T: tomt).",
        "en": "No answer is chosen. Choose one, or press 0 if nothing is marked (Alt+T: blank).",
    },
    "page.emptyHow.page": {
        "sv": "Inget är ifyllt. Fyll i svaren, eller tryck Alt+T om sidan är tom.",
        "en": "Nothing is filled in. Fill in the answers, or press Alt+T if the page is blank.",
    },
    "page.leased": {
        "sv": "Den här är öppen i en annan flik just nu.",
        "en": "This one is open in another tab right now.",
    },
    "page.taken": {
        "sv": "{by} sparade den här {at}: {value}. Tryck Enter för att spara ditt svar i stället.",
        "en": "{by} saved this {at}: {value}. Press Enter to save your answer instead.",
    },
    "page.nothingBack": {
        "sv": "Inget att gå tillbaka till.",
        "en": "Nothing to go back to.",
    },
    "page.written": {
        "sv": "Datasetet skrivet {time}",
        "en": "Dataset written {time}",
    },
    "page.writeError": {
        "sv": "Datasetet kunde inte skrivas: {e}",
        "en": "The dataset could not be written: {e}",
    },
    "page.savedBy": {
        "sv": "Sparat av {by} {at}",
        "en": "Saved by {by} {at}",
    },
    "page.unreadableWord": {
        "sv": "oläslig",
        "en": "unreadable",
    },
    "page.emptyWord": {
        "sv": "tomt",
        "en": "blank",
    },
    "page.keys": {
        "sv": "Enter sparar · Skift+Enter ny rad · siffror väljer svar · Alt+T tomt",
        "en": "Enter saves · Shift+Enter new line · digits choose · Alt+T blank",
    },
    "page.row": {
        "sv": "rad",
        "en": "row",
    },
    # --- what the scan reader saw at an uncertain mark (read/scan/ink.py) ---
    "ink.box_not_found": {
        "sv": "rutans tryckta kant är inte där hörnmärkena placerar den (ett veck, en skrynkla "
        "eller något över den)",
        "en": "the box's printed border is not where the corner marks put it (a fold, a "
        "wrinkle, or something over it)",
    },
    "ink.ink_around_box": {
        "sv": "bläck runt rutan som ingen markering i en ruta förklarar (en ring runt den, ett "
        "streck genom den, en stämpel)",
        "en": "ink around the box that no mark in a box explains (a ring around it, a line "
        "through it, a stamp)",
    },
    "ink.ink_at_words": {
        "sv": "bläck på eller runt svarsalternativets ord (inringat eller understruket?)",
        "en": "ink on or around the option's words (circled or underlined?)",
    },
    "ink.faint_mark": {
        "sv": "en svag eller liten markering i rutan",
        "en": "a faint or small mark in the box",
    },
    "ink.paper_texture": {
        "sv": "papperets struktur kan dölja en svag markering i rutan",
        "en": "the paper's texture could hide a faint mark in the box",
    },
    "ink.multiple_marks": {
        "sv": "frågan har ett svar men fler än en ruta är markerad: välj vilken som gäller",
        "en": "the question takes one answer but more than one box is marked: choose which holds",
    },
}

# The command line's help is its own part of the catalogue (model/help.py).
from .help import HELP as _HELP  # noqa: E402 - after the table it joins

assert not _HELP.keys() & MESSAGES.keys(), "a help key is also a message key"
MESSAGES.update(_HELP)
