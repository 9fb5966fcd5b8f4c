"""The command line's help, in Swedish and English: part of the one catalogue.

`pdfforms --help` and every command's `--help` are written from here when they
are shown, in the messages' language (model/messages.py: `--lang`, PDFFORMS_LANG,
the locale, else Swedish). Keys: `help.<command>` is a command's text (its first
sentence is its line in `pdfforms --help`), `help.<command>.<parameter>` an
option's, `help.metavar.<NAME>` the name a value is shown under, and the other
`help.*` keys the words click would write in English (headings, the help and
version options, a mistyped command line's error). cli.py looks them up; a test
checks that every command and option has its text here and nowhere else.
"""

from __future__ import annotations

HELP: dict[str, dict[str, str]] = {
    # --- the words around every help page, and a mistyped command line ---
    "help.usage": {"sv": "Användning:", "en": "Usage:"},
    "help.options": {"sv": "Flaggor", "en": "Options"},
    "help.commands": {"sv": "Kommandon", "en": "Commands"},
    "help.options_metavar": {"sv": "[FLAGGOR]", "en": "[OPTIONS]"},
    "help.subcommand_metavar": {"sv": "KOMMANDO [ARGUMENT]...", "en": "COMMAND [ARGS]..."},
    "help.help_option": {
        "sv": "Visa den här hjälpen och avsluta.",
        "en": "Show this message and exit.",
    },
    "help.version_option": {
        "sv": "Visa versionen och avsluta.",
        "en": "Show the version and exit.",
    },
    "help.default": {"sv": "standard: {value}", "en": "default: {value}"},
    "help.required": {"sv": "krävs", "en": "required"},
    "help.try": {
        "sv": "pdfforms: {error} (se '{command} --help')",
        "en": "pdfforms: {error} (see '{command} --help')",
    },
    "help.error.no_such_option": {"sv": "okänd flagga {option}", "en": "no such option {option}"},
    "help.error.did_you_mean": {
        "sv": "okänd flagga {option}; menade du {options}?",
        "en": "no such option {option}; did you mean {options}?",
    },
    "help.error.no_such_command": {
        "sv": "okänt kommando '{name}'; kommandona är {commands}",
        "en": "no such command '{name}'; the commands are {commands}",
    },
    "help.error.missing_command": {
        "sv": "ange ett kommando: {commands}",
        "en": "name a command: {commands}",
    },
    "help.error.missing": {"sv": "{what} saknas", "en": "{what} is missing"},
    "help.error.needs_value": {
        "sv": "flaggan {option} behöver ett värde",
        "en": "option {option} needs a value",
    },
    "help.error.takes_no_value": {
        "sv": "flaggan {option} tar inget värde",
        "en": "option {option} takes no value",
    },
    "help.error.extra": {
        "sv": "oväntat argument: {args}",
        "en": "unexpected argument(s): {args}",
    },
    "help.error.bad_value": {
        "sv": "ogiltigt värde för {what}: {reason}",
        "en": "invalid value for {what}: {reason}",
    },
    "help.error.not_one_of": {
        "sv": "'{value}' är inte ett av {choices}",
        "en": "'{value}' is not one of {choices}",
    },
    "help.error.not_whole": {
        "sv": "'{value}' är inte ett heltal",
        "en": "'{value}' is not a whole number",
    },
    "help.error.not_number": {"sv": "'{value}' är inte ett tal", "en": "'{value}' is not a number"},
    "help.error.not_in_range": {
        "sv": "måste vara {range}, inte {value}",
        "en": "must be {range}, not {value}",
    },
    "help.error.not_date": {
        "sv": "'{value}' är inget datum skrivet ÅÅÅÅ-MM-DD",
        "en": "'{value}' is not a date written YYYY-MM-DD",
    },
    "help.error.at_least": {"sv": "minst {low}", "en": "at least {low}"},
    "help.error.at_most": {"sv": "högst {high}", "en": "at most {high}"},
    "help.error.between": {"sv": "mellan {low} och {high}", "en": "between {low} and {high}"},
    "help.error.other": {"sv": "{message}", "en": "{message}"},
    # --- the names values are shown under (click's PATH, INTEGER …, and ours) ---
    "help.metavar.PATH": {"sv": "SÖKVÄG", "en": "PATH"},
    "help.metavar.TEXT": {"sv": "TEXT", "en": "TEXT"},
    "help.metavar.INTEGER": {"sv": "HELTAL", "en": "INTEGER"},
    "help.metavar.FLOAT": {"sv": "TAL", "en": "FLOAT"},
    "help.metavar.LANG": {"sv": "SPRÅK", "en": "LANG"},
    "help.metavar.YYYY-MM-DD": {"sv": "ÅÅÅÅ-MM-DD", "en": "YYYY-MM-DD"},
    "help.metavar.NAME": {"sv": "NAMN", "en": "NAME"},
    "help.metavar.COLUMN": {"sv": "KOLUMN", "en": "COLUMN"},
    "help.metavar.ADDRESS": {"sv": "ADRESS", "en": "ADDRESS"},
    "help.metavar.LETTER": {"sv": "[SPRÅK=]FIL", "en": "[LANG=]FILE"},
    "help.metavar.DEFINITIONS": {"sv": "DEFINITIONER", "en": "DEFINITIONS"},
    "help.metavar.DEFINITION": {"sv": "DEFINITION", "en": "DEFINITION"},
    "help.metavar.FORM_PDF": {"sv": "FORMULÄR_PDF", "en": "FORM_PDF"},
    "help.metavar.ANSWERS_JSON": {"sv": "SVAR_JSON", "en": "ANSWERS_JSON"},
    "help.metavar.FILE": {"sv": "FIL", "en": "FILE"},
    "help.metavar.INPUTS": {"sv": "INDATA", "en": "INPUTS"},
    "help.metavar.DATASETS": {"sv": "DATAMÄNGDER", "en": "DATASETS"},
    "help.metavar.DATASET": {"sv": "DATAMÄNGD", "en": "DATASET"},
    "help.metavar.KEYFILE": {"sv": "NYCKELFIL", "en": "KEYFILE"},
    "help.metavar.SOURCE": {"sv": "KÄLLA", "en": "SOURCE"},
    # --- pdfforms ---
    "help.pdfforms": {
        "sv": "Enkäter i YAML → ifyllbara, utskrivbara PDF-formulär → JSON.",
        "en": "Questionnaires in YAML → fillable, printable PDF forms → JSON.",
    },
    "help.pdfforms.messages_lang": {
        "sv": "Språk för meddelanden, hjälp och granskningssidan [standard: lokalens (LC_ALL, "
        "LC_MESSAGES, LANG) när den är svensk eller engelsk, annars svenska].",
        "en": "Language of the messages, the help and the review page [default: the locale's "
        "(LC_ALL, LC_MESSAGES, LANG) when it is Swedish or English, else Swedish].",
    },
    # --- validate ---
    "help.validate": {
        "sv": "Granska definitionsfiler; skriv varje fel som fil:rad: meddelande.",
        "en": "Check definition files; print every fault as file:line: message.",
    },
    # --- generate ---
    "help.generate": {
        "sv": "Skriv ett formulärs ifyllbara, utskrivbara PDF, eller ett utskick med många "
        "exemplar.",
        "en": "Write the fillable, printable PDF of a form, or a print run of many copies.",
    },
    "help.generate.output": {
        "sv": "Vart PDF:en skrivs [standard: output/<namn>-<språk>.pdf].",
        "en": "Where to write the PDF [default: output/<name>-<lang>.pdf].",
    },
    "help.generate.lang": {
        "sv": "Formulärets språk [standard: definitionens första].",
        "en": "Language of the form [default: the definition's first].",
    },
    "help.generate.large_print": {
        "sv": "Text i 16 punkter, svart och rak, och större rutor.",
        "en": "16 pt text, black and upright, and bigger boxes.",
    },
    "help.generate.copies": {
        "sv": "Ett utskick med N exemplar, vart och ett med eget löpnummer, i en PDF klar "
        "att skriva ut.",
        "en": "A print run of N copies, each with its own serial, in one print-ready PDF.",
    },
    "help.generate.respondents": {
        "sv": "Ett utskick med ett exemplar per rad i denna CSV: frågekolumner fylls i i "
        "förväg, kolumnen 'language' väljer språk, övriga kolumner fyller följebrevet.",
        "en": "A print run with one copy per row of this CSV: question columns pre-fill, a "
        "'language' column picks the language, other columns fill the cover page.",
    },
    "help.generate.cover": {
        "sv": "Ett följebrev som skrivs ut före varje exemplar: text med {{kolumn}}-platshållare, "
        "'# ' för en rubrik. Upprepa som SPRÅK=FIL (en=letter.txt) för ett brev per språk; en "
        "FIL utan SPRÅK= gäller de språk som saknar ett eget.",
        "en": "A cover letter printed before each copy: text with {{column}} placeholders, '# ' "
        "for a heading. Repeat as LANG=FILE (en=letter.txt) for a letter per language; a FILE "
        "without LANG= serves the languages that have none of their own.",
    },
    "help.generate.split": {
        "sv": "Skriv också en ifyllbar PDF per exemplar, namngiven efter löpnumret, i en mapp "
        "bredvid utdata.",
        "en": "Also write one fillable PDF per copy, named by its serial, in a folder beside "
        "the output.",
    },
    "help.generate.unit": {
        "sv": "Vårdenheten som utskicket gäller: skrivs överst på varje exemplar och sparas i "
        "exemplaret och utskicksloggen (kolumnen 'unit' i en respondent-CSV gäller före den, "
        "per exemplar).",
        "en": "The care unit the run is for: printed at the top of each copy, kept in the copy "
        "and the ledger (a respondents CSV's 'unit' column overrides it per copy).",
    },
    "help.generate.ledger_columns": {
        "sv": "Spara denna kolumn ur respondent-CSV:n (ett team, en mottagning) i "
        "utskicksloggen bredvid varje löpnummer, så att 'report --by' kan gruppera efter den "
        "(upprepningsbar); personuppgifter (namn, adresser, personnummer) avvisas.",
        "en": "Keep this column of the respondents CSV (a team, a clinic) in the ledger beside "
        "each serial, so that 'report --by' can group by it (repeatable); personal data "
        "(names, addresses, personnummer) is refused.",
    },
    "help.generate.no_letter": {
        "sv": "Skriv inte ut definitionens brev ('letter:'); ett utskick med --respondents skriver "
        "annars ut det före varje exemplar, på exemplarets språk, med adressfältet.",
        "en": "Print no letter from the definition's 'letter:' (a run with --respondents prints "
        "it before each copy, in the copy's language, with the address block).",
    },
    "help.generate.letter_date": {
        "sv": "Datumet på definitionens brev [standard: definitionens 'date:', annars i dag].",
        "en": "The date on the definition's letters [default: the definition's 'date:', else "
        "today].",
    },
    # --- fill ---
    "help.fill": {
        "sv": "Fyll i ett genererat formulär med svar (ett tolkat formulärs JSON, eller dess "
        "'answers').",
        "en": "Fill a generated form with answers (a parsed form's JSON, or its 'answers').",
    },
    "help.fill.output": {
        "sv": "Vart den ifyllda PDF:en skrivs.",
        "en": "Where to write the filled PDF.",
    },
    "help.fill.flatten": {
        "sv": "Skriv en kopia utan fält (den går fortfarande att tolka).",
        "en": "Write a copy without fields (it still parses).",
    },
    "help.fill.definitions": {
        "sv": "Mapp med definitioner (upprepningsbar) [standard: som för parse].",
        "en": "Folder of definitions (repeatable) [default: as for parse].",
    },
    # --- parse ---
    "help.parse": {
        "sv": "Läs ett returnerat formulär och skriv dess svar som JSON.\n\nEn skanning kan "
        "rymma flera enkäter: då är utdata en lista av dem. Urklipp av handskrift och av osäkra "
        "markeringar hamnar i review/ bredvid utdata.",
        "en": "Read a returned form and print its answers as JSON.\n\nA scan may hold several "
        "questionnaires: then the output is a list of them. Crops of handwriting and of "
        "uncertain marks go to review/ beside the output.",
    },
    "help.parse.definitions": {
        "sv": "Mapp med definitioner (upprepningsbar) [standard: definitionen som är inbäddad i "
        "PDF:en, sedan form_definitions/].",
        "en": "Folder of definitions (repeatable) [default: the definition embedded in the PDF, "
        "then form_definitions/].",
    },
    "help.parse.output": {"sv": "Skriv JSON hit.", "en": "Write the JSON here."},
    "help.parse.fmt": {
        "sv": "json: SPEC:s JSON; fhir: ett FHIR R4 QuestionnaireResponse (en skanning med "
        "flera enkäter: ett Bundle av dem).",
        "en": "json: SPEC's JSON; fhir: a FHIR R4 QuestionnaireResponse (a scan of several "
        "questionnaires: a Bundle of them).",
    },
    "help.parse.keep_personnummer": {
        "sv": "Med --format fhir: skriv personnummer som de är, och personen som subject. "
        "Utan detta utelämnas de.",
        "en": "With --format fhir: write personnummer as they are, and the person as subject. "
        "Without this they are left out.",
    },
    # --- extract ---
    "help.extract": {
        "sv": "Läs många returnerade formulär (filer, mappar, mönster) till en datamängd.\n\n"
        "Varje indatafil hamnar i loggen som parsed, parsed_with_problems, needs_review, "
        "failed (med orsaken) eller duplicate. En avbruten körning fortsätter där den slutade "
        "när samma kommando körs igen.",
        "en": "Read many returned forms (files, folders, globs) into one dataset.\n\nEvery input "
        "file ends in the ledger as parsed, parsed_with_problems, needs_review, failed (with "
        "the reason) or duplicate. Interrupted runs continue where they stopped when the same "
        "command is run again.",
    },
    "help.extract.output": {
        "sv": "Datamängden: .csv, .xlsx, .jsonl, .parquet, .sav (SPSS), .dta (Stata) eller "
        ".json (FHIR R4 Bundle). "
        "Kodbok, logg och journalen som gör körningen återupptagbar skrivs bredvid.",
        "en": "The dataset: .csv, .xlsx, .jsonl, .parquet, .sav (SPSS), .dta (Stata) or "
        ".json (FHIR R4 Bundle). "
        "Codebook, ledger and the journal that makes the run resumable are written beside it.",
    },
    "help.extract.definitions": {
        "sv": "Mapp med definitioner (upprepningsbar) [standard: definitionen som är inbäddad i "
        "varje PDF, sedan form_definitions/].",
        "en": "Folder of definitions (repeatable) [default: the definition embedded in each "
        "PDF, then form_definitions/].",
    },
    "help.extract.workers": {
        "sv": "Processer som läser filer samtidigt [standard: en per kärna].",
        "en": "Processes reading files at once [default: one per core].",
    },
    "help.extract.cluster": {
        "sv": "Läs filerna på ett Dask-kluster (tcp://värd:8786); dess arbetare måste se samma "
        "sökvägar. Kräver pdfforms[cluster].",
        "en": "Read the files on a Dask cluster (tcp://host:8786); its workers must see the "
        "same paths. Needs pdfforms[cluster].",
    },
    "help.extract.key_file": {
        "sv": "Ersätt varje personnummer med en nyckelberoende hash (HMAC-SHA256); samma person "
        "får samma pseudonym med samma nyckel. Skapa en nyckel med 'pdfforms keygen'.",
        "en": "Replace every personnummer with a keyed hash (HMAC-SHA256); the same person gets "
        "the same pseudonym under the same key. Make a key with 'pdfforms keygen'.",
    },
    "help.extract.keep_personnummer": {
        "sv": "Skriv personnummer som de är. Utan detta eller en nyckel utelämnas de.",
        "en": "Write personnummer as they are. Without this or a key they are left out.",
    },
    "help.extract.time_limit": {
        "sv": "Sekunder en fil får ta innan den räknas som misslyckad.",
        "en": "Seconds one file may take before it is failed.",
    },
    "help.extract.memory_limit": {
        "sv": "MB minne en fil får behöva innan den räknas som misslyckad.",
        "en": "MB of memory one file may need before it is failed.",
    },
    "help.extract.file_limit": {
        "sv": "MB: större filer räknas som misslyckade utan att läsas.",
        "en": "MB: larger files are failed unread.",
    },
    "help.extract.fmt": {
        "sv": "fhir: datamängden som ett FHIR R4 Bundle av QuestionnaireResponse, ett per "
        "enkät (utdata ska sluta på .json; .json betyder detta även utan flaggan).",
        "en": "fhir: the dataset as a FHIR R4 Bundle of QuestionnaireResponses, one per "
        "questionnaire (the output must end in .json; .json means this without the option too).",
    },
    "help.extract.fresh": {
        "sv": "Läs om varje fil och bortse från sparade framsteg.",
        "en": "Read every file again, ignoring saved progress.",
    },
    "help.extract.csv_dialect": {
        "sv": "CSV för Excel på svenska (sv: ';' mellan kolumner, decimalkomma) eller engelska "
        "(en: ',' och decimalpunkt) [standard: sv när lokalen (LC_ALL, LC_NUMERIC, LANG) är "
        "svensk, annars en].",
        "en": "CSV for Excel in Swedish (sv: ';' between columns, decimal comma) or English (en: "
        "',' and decimal point) [default: sv when the locale (LC_ALL, LC_NUMERIC, LANG) is "
        "Swedish, else en].",
    },
    "help.extract.delimiter": {
        "sv": "Avgränsare i CSV, oavsett vad --csv säger.",
        "en": "CSV separator, whatever --csv says.",
    },
    "help.extract.ledgers": {
        "sv": "Ett utskicks logg (<utdata>.ledger.csv; upprepningsbar): ett exemplar som inte "
        "anger någon enhet (en skanning) får sitt löpnummers enhet därifrån, med en varning "
        "som säger det.",
        "en": "A print run's ledger (<output>.ledger.csv; repeatable): a copy that names no "
        "unit (a scan) gets its serial's unit from it, with a warning saying so.",
    },
    # --- report ---
    "help.report": {
        "sv": "Sammanfatta datamängder gjorda av extract: Sammanställningen (PDF, HTML eller "
        "CSV).\n\nDATAMÄNGDER är sökvägarna som gavs till 'pdfforms extract -o' (eller deras "
        "manifest); en patient- och en verksamhetsdatamängd som ges tillsammans jämförs också "
        "sida vid sida.",
        "en": "Summarise datasets made by extract: the Sammanställning (PDF, HTML or CSV).\n\n"
        "DATASETS are the paths given to 'pdfforms extract -o' (or their manifests); a patient "
        "and a unit dataset given together are also compared side by side.",
    },
    "help.report.output": {
        "sv": "Rapporten: .pdf, .html (en fil som öppnas utan nätverk) eller .csv "
        "(sammanfattningens tabeller).",
        "en": "The report: .pdf, .html (one file that opens offline) or .csv (the summary tables).",
    },
    "help.report.fmt": {
        "sv": "Rapportens format [standard: från utdatans namn].",
        "en": "The report's format [default: from the output's name].",
    },
    "help.report.lang": {
        "sv": "Rapportens språk (för dess läsare, oavsett meddelandenas språk).",
        "en": "Language of the report (for its readers, whatever the messages' language).",
    },
    "help.report.by": {
        "sv": "Upprepa sammanfattningen per grupp och jämför grupperna: unit (exemplarets "
        "vårdenhet, annars frågan som namnger den; standard när något svar anger en), en fråga "
        "(ett datum per månad, ett val), language, kind, version, eller med --ledger en kolumn "
        "i utskicksloggen. Upprepa för en grupp per kombination; 'none' för bara totalen. "
        "Personuppgifter (personnummer, namn, adresser) avvisas.",
        "en": "Repeat the summary per group and compare the groups: unit (the copy's care unit, "
        "else the question naming it; the default when any return names one), a question (a "
        "date by month, a choice), language, kind, version, or with --ledger a column of the "
        "print run's ledger. Repeat for a group per combination; 'none' for the total only. "
        "Personal data (personnummer, names, addresses) is refused.",
    },
    "help.report.min_count": {
        "sv": "Minsta antal svarande en visad tabell får ha; mindre grupper visar inga antal, "
        "procent eller fritext.",
        "en": "Fewest respondents a shown table may have; smaller groups show no counts, "
        "percentages or free text.",
    },
    "help.report.no_free_text": {
        "sv": "Utelämna fritextsvar.",
        "en": "Leave free-text answers out.",
    },
    "help.report.ledgers": {
        "sv": "Ett utskicks logg (<utdata>.ledger.csv), för svarsfrekvensen och --by dess "
        "kolumner (upprepningsbar).",
        "en": "A print run's ledger (<output>.ledger.csv), for the response rate and --by its "
        "columns (repeatable).",
    },
    "help.report.definitions": {
        "sv": "Mapp med definitioner, för en datamängd vars manifest saknar dem (upprepningsbar).",
        "en": "Folder of definitions, for a dataset whose manifest lacks them (repeatable).",
    },
    "help.report.period": {
        "sv": "Perioden som skrivs ut [standard: från datumen].",
        "en": "The period to print [default: from the dates].",
    },
    "help.report.compare": {
        "sv": "Jämför den senaste perioden med den före [standard: quarter (kvartal), när de "
        "daterade svaren spänner över båda].",
        "en": "Compare the latest period with the one before it [default: quarter, when the "
        "dated responses span both].",
    },
    # --- review ---
    "help.review": {
        "sv": "Skriv av handskrift och avgör osäkra markeringar i webbläsaren.\n\nStartar en "
        "sida på 127.0.0.1 för DATAMÄNGD (gjord av `pdfforms extract`) och öppnar den. Varje "
        "beslut sparas direkt i DATAMÄNGDs beslutsfil; datamängden skrivs om när beslut kommer "
        "in och när sidan stängs med Ctrl-C. Flera flikar kan arbeta samtidigt: var och en får "
        "sin egen post.",
        "en": "Transcribe handwriting and decide uncertain marks in the browser.\n\nStarts a "
        "page on 127.0.0.1 for DATASET (made by `pdfforms extract`) and opens it. Each decision "
        "is saved at once to DATASET's decisions file; the dataset is written again as "
        "decisions come in and when the page is closed with Ctrl-C. Several tabs may work at "
        "once: each gets its own item.",
    },
    "help.review.port": {
        "sv": "Port på 127.0.0.1 [standard: en ledig].",
        "en": "Port on 127.0.0.1 [default: a free one].",
    },
    "help.review.reviewer": {
        "sv": "Vem som beslutar [standard: ditt användarnamn].",
        "en": "Who decides [default: your user name].",
    },
    "help.review.lang": {
        "sv": "Sidans språk [standard: meddelandenas språk, se pdfforms --help].",
        "en": "Language of the page [default: the messages' language, see pdfforms --help].",
    },
    "help.review.key_file": {
        "sv": "Nyckeln som datamängden gjordes med, om dess personnummer är pseudonymiserade.",
        "en": "The key the dataset was made with, if its personnummer are pseudonymised.",
    },
    "help.review.no_browser": {
        "sv": "Skriv ut adressen; öppna ingen webbläsare.",
        "en": "Print the address; open no browser.",
    },
    # --- keygen ---
    "help.keygen": {
        "sv": "Skriv en ny slumpmässig pseudonymiseringsnyckel (läsbar bara för dig).\n\nHåll "
        "den åtskild från data: med nyckeln kan pseudonymer prövas mot personnummer; utan den "
        "kan de inte det.",
        "en": "Write a new random pseudonymisation key (readable by you only).\n\nKeep it apart "
        "from the data: with the key, pseudonyms can be tested against personnummer; without "
        "it, they cannot.",
    },
    # --- schema ---
    # --- import, export (issue 18: the systems around pdfforms) ---
    "help.import": {
        "sv": "Gör en definition av ett annat systems formulär: ett FHIR Questionnaire (.json) "
        "eller en XLSForm (.xlsx).\n\nDet som inte kunde föras över listas på stderr, en rad "
        "var, och som kommentarer överst i YAML-filen. Definitionen kontrolleras som validate "
        "kontrollerar.",
        "en": "Make a definition of another system's form: a FHIR Questionnaire (.json) or an "
        "XLSForm (.xlsx).\n\nWhat could not be carried over is listed on stderr, a line each, "
        "and as comments at the top of the YAML. The definition is checked as validate checks "
        "it.",
    },
    "help.import.output": {
        "sv": "Skriv definitionen (YAML) hit [standard: till stdout].",
        "en": "Write the definition (YAML) here [default: to stdout].",
    },
    "help.export": {
        "sv": "Skriv en definition i ett annat systems format: --fhir, ett FHIR R4 Questionnaire.",
        "en": "Write a definition in another system's format: --fhir, a FHIR R4 Questionnaire.",
    },
    "help.export.fhir": {
        "sv": "Som ett FHIR R4 Questionnaire (JSON).",
        "en": "As a FHIR R4 Questionnaire (JSON).",
    },
    "help.export.output": {
        "sv": "Skriv hit [standard: till stdout].",
        "en": "Write it here [default: to stdout].",
    },
    "help.schema": {
        "sv": "Skriv definitionsformatets JSON Schema.",
        "en": "Print the JSON Schema of the definition format.",
    },
}
