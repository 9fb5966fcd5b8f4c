"""The words and number formats of a report, in Swedish and English.

One table of phrases, so that the PDF, the HTML and the CSV notes say the same
thing in the same words. Swedish is the default: the readers are managers in
Swedish primary care.
"""

from __future__ import annotations

LANGUAGES = ("sv", "en")
NBSP = "\u00a0"

PHRASES: dict[str, dict[str, str]] = {
    "report": {"sv": "Sammanställning", "en": "Summary report"},
    "forms": {"sv": "Formulär", "en": "Forms"},
    "period": {"sv": "Period", "en": "Period"},
    "period_unknown": {
        "sv": "okänd (svaren har inget datum)",
        "en": "unknown (the answers carry no date)",
    },
    "responses": {"sv": "Antal svar", "en": "Number of responses"},
    "response_rate": {"sv": "Svarsfrekvens", "en": "Response rate"},
    "rate_line": {
        "sv": "{returned} av {sent} utskickade exemplar ({pct})",
        "en": "{returned} of {sent} copies sent out ({pct})",
    },
    "rate_unserialled": {
        "sv": "{n} svar utan löpnummer från utskicket räknas inte in i svarsfrekvensen.",
        "en": "{n} responses without a serial from the print run are not counted in the rate.",
    },
    "made": {"sv": "Sammanställd", "en": "Made"},
    "min_count_fact": {"sv": "Minsta antal svarande som visas", "en": "Fewest respondents shown"},
    "grouped_by": {"sv": "Uppdelat på", "en": "Grouped by"},
    "unit": {"sv": "Enhet", "en": "Care unit"},
    "no_unit": {"sv": "Utan känd enhet", "en": "No known unit"},
    "all_units": {"sv": "Alla enheter tillsammans", "en": "All units together"},
    "skr_heading": {
        "sv": "SKR:s frågor: patienterna och enheten",
        "en": "SKR's questions: the patients and the unit",
    },
    "skr_intro_unit": {
        "sv": "Patienternas svar på SKR:s frågor, som andelar och diagram, bredvid enhetens "
        "eget svar på samma fråga.",
        "en": "The patients' answers to SKR's questions, as shares and a chart, beside the "
        "unit's own answer to the same question.",
    },
    "skr_intro_total": {
        "sv": "Alla enheters patienter tillsammans, bredvid hur många enheter som gav varje svar.",
        "en": "The patients of all units together, beside how many units gave each answer.",
    },
    "patients_chart": {"sv": "Patienternas svar", "en": "Patients' answers"},
    "texts_in_appendix": {
        "sv": "Fritextsvaren finns i bilagan sist i sammanställningen.",
        "en": "The free-text answers are in the appendix at the end.",
    },
    "appendix_texts": {"sv": "Bilaga: fritextsvar per enhet", "en": "Appendix: free text by unit"},
    "kind_acroform": {"sv": "ifyllda digitalt", "en": "filled in on screen"},
    "kind_flattened": {"sv": "utskrivna till PDF", "en": "printed to PDF"},
    "kind_scan": {"sv": "skannade pappersblanketter", "en": "scanned paper forms"},
    "needs_review": {
        "sv": "{n} svar väntar på granskning av en person (handskrift eller osäkra kryss). "
        "Till dess räknas de svaren som Ej svar.",
        "en": "{n} responses await a person's review (handwriting or uncertain marks). "
        "Until then those answers count as No answer.",
    },
    "fewer_than": {"sv": "färre än {n}", "en": "fewer than {n}"},
    "duplicates": {
        "sv": "{n} svar fanns i mer än en av de givna datamängderna och räknas en gång.",
        "en": "{n} responses were in more than one of the datasets given and count once.",
    },
    "contents": {"sv": "Innehåll", "en": "Contents"},
    "all_responses": {"sv": "Alla svar", "en": "All responses"},
    "all_responses_by": {
        "sv": "Alla svar tillsammans. Fritextsvaren visas per grupp längre fram.",
        "en": "All responses together. Free-text answers are shown per group further on.",
    },
    "group": {"sv": "Grupp", "en": "Group"},
    "total": {"sv": "Totalt", "en": "Total"},
    "answer": {"sv": "Svar", "en": "Answer"},
    "count": {"sv": "Antal", "en": "Count"},
    "share": {"sv": "Andel", "en": "Share"},
    "chart": {"sv": "Diagram", "en": "Chart"},
    "no_answer": {"sv": "Ej svar", "en": "No answer"},
    "yes": {"sv": "Ja", "en": "Yes"},
    "no": {"sv": "Nej", "en": "No"},
    "row": {"sv": "Påstående", "en": "Item"},
    "n": {"sv": "n", "en": "n"},
    "median": {"sv": "Median", "en": "Median"},
    "mean": {"sv": "Medelvärde", "en": "Mean"},
    "quartiles": {"sv": "Mittersta hälften (kvartiler)", "en": "Middle half (quartiles)"},
    "range": {"sv": "Lägsta – högsta", "en": "Lowest – highest"},
    "answered": {"sv": "Antal som svarat", "en": "Number who answered"},
    "measure": {"sv": "Mått", "en": "Measure"},
    "value": {"sv": "Värde", "en": "Value"},
    "month": {"sv": "Månad", "en": "Month"},
    "code": {"sv": "Kod", "en": "Code"},
    "base_all": {"sv": "Svarande: {n}.", "en": "Respondents: {n}."},
    "base_conditional_rule": {
        "sv": "Frågan gällde {base} av {n} svarande: de som uppfyllde villkoret i formuläret.",
        "en": "The question applied to {base} of {n} respondents: those who met the form's "
        "condition for it.",
    },
    "base_conditional": {
        "sv": "Frågan gällde {base} av {n} svarande: de som svarat {values} på fråga {number}.",
        "en": "The question applied to {base} of {n} respondents: those who answered {values} "
        "to question {number}.",
    },
    "out_of_turn": {
        "sv": "Dessutom svarade {n} fast frågan inte gällde dem; de svaren räknas inte med här.",
        "en": "Besides, {n} answered although the question did not apply to them; those "
        "answers are not counted here.",
    },
    "out_of_turn_label": {
        "sv": "Svarade fast frågan inte gällde dem",
        "en": "Answered although the question did not apply to them",
    },
    "or": {"sv": "eller", "en": "or"},
    "multiple_note": {
        "sv": "Flera svar möjliga: andelarna kan tillsammans bli mer än 100 %.",
        "en": "Several answers possible: the shares may add up to more than 100%.",
    },
    "scale_ends": {
        "sv": "{lo} = {lo_label}, {hi} = {hi_label}.",
        "en": "{lo} = {lo_label}, {hi} = {hi_label}.",
    },
    "scale_median": {
        "sv": "Median: {median} (av {n} som valt ett värde på skalan).",
        "en": "Median: {median} (of {n} who chose a point on the scale).",
    },
    "pending": {
        "sv": "{n} av svaren väntar på granskning och räknas som Ej svar.",
        "en": "{n} of the answers await review and count as No answer.",
    },
    "group_columns": {
        "sv": "En rad per ifylld rad i tabellen: {columns} (– tom ruta).",
        "en": "One line per row filled in: {columns} (– an empty box).",
    },
    "texts_count": {
        "sv": "{k} av {n} har skrivit något.",
        "en": "{k} of {n} wrote something.",
    },
    "other_texts": {"sv": "Skrivet vid {label}", "en": "Written beside {label}"},
    "no_free_text": {
        "sv": "Fritextsvaren är utelämnade (--no-free-text).",
        "en": "Free-text answers are left out (--no-free-text).",
    },
    "free_text_by_group": {
        "sv": "Fritextsvaren visas per grupp.",
        "en": "Free-text answers are shown per group.",
    },
    "hidden_small": {
        "sv": "Visas inte: färre än {n} svarande.",
        "en": "Not shown: fewer than {n} respondents.",
    },
    "hidden_complement": {
        "sv": "Visas inte, för att skydda en mindre grupp: annars kunde dess svar räknas fram "
        "ur totalen.",
        "en": "Not shown, to protect a smaller group whose answers could otherwise be worked "
        "out from the total.",
    },
    "hidden_short": {"sv": "dold", "en": "hidden"},
    "hidden_small_short": {"sv": "färre än {n}", "en": "fewer than {n}"},
    "no_respondents": {"sv": "Inga svarande.", "en": "No respondents."},
    "over_time": {
        "sv": "Över tid: {latest} mot {previous}",
        "en": "Over time: {latest} against {previous}",
    },
    "over_time_fact": {"sv": "Jämförelse över tid", "en": "Compared over time"},
    "over_time_line": {
        "sv": "{latest} mot {previous} ({form}: {n_latest} och {n_previous} svar)",
        "en": "{latest} against {previous} ({form}: {n_latest} and {n_previous} responses)",
    },
    "over_time_none": {
        "sv": "{form}: inga svar under {previous}, perioden före {latest}; ingen jämförelse",
        "en": "{form}: no responses in {previous}, the period before {latest}; no comparison",
    },
    "over_time_intro": {
        "sv": "Andel av de svarande under varje period, och förändringen i procentenheter. "
        "Ett svar hör till perioden för datumet som står på det ({question}).",
        "en": "The share of the respondents in each period, and the change in percentage "
        "points. A response belongs to the period of the date written on it ({question}).",
    },
    "over_time_hidden": {
        "sv": "– betyder att perioden har färre än {n} svarande i gruppen, eller att den "
        "döljs så att ingen dold period kan räknas fram; då visas ingen förändring heller.",
        "en": "– means the period has fewer than {n} respondents in the group, or is hidden "
        "so that no hidden period can be worked out; no change is shown then either.",
    },
    "over_time_undated": {
        "sv": "{n} svar utan datum ingår inte i jämförelsen över tid.",
        "en": "{n} responses without a date are not in the comparison over time.",
    },
    "over_time_future": {
        "sv": "{n} svar med ett datum efter {today} räknas som svar utan datum.",
        "en": "{n} responses dated after {today} are counted as having no date.",
    },
    "over_time_too_small": {
        "sv": "{title} – {form}: för få svarande för att jämföra perioderna. Ingen andel kan "
        "visas: färre än {n} svarande under perioden (eller dolt så att ingen dold grupp kan "
        "räknas fram), eller inga svar alls.",
        "en": "{title} – {form}: too few respondents to compare the periods. No share can be "
        "shown: fewer than {n} respondents in the period (or hidden so that no hidden group "
        "can be worked out), or no answers at all.",
    },
    "respondents": {"sv": "Antal svarande", "en": "Respondents"},
    "change": {"sv": "Förändring", "en": "Change"},
    "no_date_question": {"sv": "formuläret har ingen datumfråga", "en": "the form has no date"},
    "comparison": {"sv": "Jämförelse mellan grupper", "en": "Comparison between groups"},
    "comparison_intro": {
        "sv": "Andel av de svarande i varje grupp. Grupper med färre än {n} svarande visas inte; "
        "ibland döljs också en större grupp, så att en dold grupps svar inte kan räknas fram "
        "ur totalen.",
        "en": "Share of the respondents in each group. Groups with fewer than {n} respondents "
        "are not shown; sometimes a larger group is hidden too, so that a hidden group's "
        "answers cannot be worked out from the total.",
    },
    "group_sizes": {"sv": "Antal svarande per grupp", "en": "Respondents per group"},
    "by_missing": {
        "sv": "{form} har ingen fråga eller kolumn '{column}' och redovisas bara totalt.",
        "en": "{form} has no question or column '{column}' and is shown in total only.",
    },
    "all_groups_hidden": {
        "sv": "Varje grupp har färre än {n} svarande: bara totalen visas.",
        "en": "Every group has fewer than {n} respondents: only the total is shown.",
    },
    "language": {"sv": "Språk", "en": "Language"},
    "kind": {"sv": "Sätt att svara", "en": "How answered"},
    "version": {"sv": "Version", "en": "Version"},
    "lang_sv": {"sv": "Svenska", "en": "Swedish"},
    "lang_en": {"sv": "Engelska", "en": "English"},
    "pairing": {
        "sv": "Patienter och verksamhet sida vid sida",
        "en": "Patients and care unit side by side",
    },
    "pairing_intro": {
        "sv": "Frågorna med samma kod ({codes}) ställs både till patienterna och till "
        "verksamheten. Tabellen visar hur stor andel av patienterna som gav varje svar, och "
        "verksamhetens eget svar. Skillnaden räknas på en skala där Ja (Ja, fullt ut) = 100, "
        "Delvis = 50 och Nej (även Nej, men planerat) = 0: verksamhetens svar minus "
        "patienternas medelvärde, utan Vet inte och Ej svar. Ett positivt tal betyder att "
        "verksamheten ser sig själv i ljusare dager än patienterna. Störst skillnad står först.",
        "en": "The questions with the same code ({codes}) are put both to the patients and to "
        "the care unit. The table shows the share of patients giving each answer, and the "
        "unit's own answer. The difference is counted on a scale where Yes (Yes, fully) = "
        "100, Partly = 50 and No (also No, but planned) = 0: the unit's answer minus the "
        "patients' mean, without Don't know and No answer. A positive number means that the "
        "unit sees itself in a brighter light than its patients do. The largest difference "
        "comes first.",
    },
    "pairing_unit_answers": {
        "sv": "Verksamhetens svar är enhetens egen bedömning, inte en persons svar, och visas "
        "därför även när det kommer från en enda blankett. Patienternas svar följer samma "
        "regel som resten av sammanställningen: färre än {n} patientsvar visas inte.",
        "en": "The unit's answer is the unit's own assessment, not a person's answer, and is "
        "therefore shown even when it comes from a single form. The patients' answers follow "
        "the same rule as the rest of the report: fewer than {n} patient responses are not "
        "shown.",
    },
    "pairing_no_unit": {
        "sv": "{form} har ingen fråga om vårdenhet, så svaren jämförs bara för alla enheter "
        "tillsammans.",
        "en": "{form} has no question naming the care unit, so the answers are compared for "
        "all units together only.",
    },
    "pairing_total": {"sv": "Alla enheter tillsammans", "en": "All units together"},
    "pairing_unit": {"sv": "Enhet: {unit}", "en": "Unit: {unit}"},
    "pairing_unmatched": {
        "sv": "{n} patientsvar hör inte till någon enhet som har svarat och ingår bara i totalen.",
        "en": "{n} patient responses belong to no unit that answered and are in the total only.",
    },
    "pairing_unmatched_few": {
        "sv": "Några patientsvar hör inte till någon enhet som har svarat och ingår bara i "
        "totalen.",
        "en": "Some patient responses belong to no unit that answered and are in the total only.",
    },
    "pairing_out_of_turn": {
        "sv": "{code}: {n} patienter svarade fast frågan inte gällde dem; de svaren räknas "
        "inte med.",
        "en": "{code}: {n} patients answered although the question did not apply to them; "
        "those answers are not counted.",
    },
    "pairing_unit_out_of_turn": {
        "sv": "{code}: {n} verksamhetssvar gavs fast frågan inte gällde verksamheten; de "
        "räknas inte med.",
        "en": "{code}: {n} unit answers were given although the question did not apply to "
        "the unit; they are not counted.",
    },
    "question": {"sv": "Fråga", "en": "Question"},
    "unit_answer": {"sv": "Verksamhetens svar", "en": "Unit's answer"},
    "units_answers": {"sv": "Verksamheternas svar", "en": "Units' answers"},
    "difference": {"sv": "Skillnad", "en": "Difference"},
    "no_unit_answer": {"sv": "inget svar", "en": "no answer"},
    "patients_hidden": {
        "sv": "Patienternas svar visas inte: färre än {n} patientsvar.",
        "en": "The patients' answers are not shown: fewer than {n} patient responses.",
    },
    "patients_hidden_complement": {
        "sv": "Patienternas svar visas inte, för att skydda en mindre enhet: annars kunde dess "
        "svar räknas fram ur totalen.",
        "en": "The patients' answers are not shown, to protect a smaller unit whose answers "
        "could otherwise be worked out from the total.",
    },
    "about": {"sv": "Om sammanställningen", "en": "About this report"},
    "about_counting": {
        "sv": "Varje returnerad blankett är en svarande. Ett obesvarat svar räknas som Ej svar, "
        "och Vet inte är ett svar som alla andra. Andelarna räknas av alla svarande som frågan "
        "gällde och avrundas till hela procent (0,5 uppåt), så att de tillsammans kan bli 99 "
        "eller 101 %. En fråga gällde den som gett det svar på en tidigare fråga som den "
        "hänvisar till. Den som ändå svarade på en fråga som inte gällde dem räknas inte in "
        "i den frågans svar, men antalet sådana svar anges vid frågan.",
        "en": "Each returned form is one respondent. A question left blank counts as No answer, "
        "and Don't know is an answer like any other. Shares are of all respondents the "
        "question applied to, rounded to whole per cent (0.5 up), so together they may make "
        "99 or 101%. A question applied to those who gave the answer to an earlier question "
        "that it refers to. Respondents who answered a question that did not apply to them "
        "are not counted in its answers; how many did is stated with the question.",
    },
    "about_privacy": {
        "sv": "Integritet: en grupp, eller en fråga, med färre än {n} svarande visar varken "
        "antal, andelar eller fritext. Om en dold grupps svar skulle kunna räknas fram genom "
        "att dra de visade grupperna från totalen döljs också den minsta visade gruppen, tills "
        "de dolda tillsammans har minst {n} svarande. Personnummer och löpnummer visas aldrig, "
        "och personnummer som skrivits i fritext är maskerade.",
        "en": "Privacy: a group, or a question, with fewer than {n} respondents shows no counts, "
        "shares or free text. If a hidden group's answers could be worked out by subtracting "
        "the shown groups from the total, the smallest shown group is hidden too, until the "
        "hidden ones have at least {n} respondents together. Personal identity numbers and "
        "serials never appear, and identity numbers written in free text are masked.",
    },
    "total_hidden": {
        "sv": "Färre än {n} svarande: inga resultat visas.",
        "en": "Fewer than {n} respondents: no results are shown.",
    },
    "page": {"sv": "sida", "en": "page"},
}

MONTHS = {
    "sv": [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


class Words:
    """Phrases and number formats in one language."""

    def __init__(self, lang: str):
        self.lang = lang if lang in LANGUAGES else "en"

    def __call__(self, key: str, **values) -> str:
        text = PHRASES[key].get(self.lang) or PHRASES[key]["en"]
        return text.format(**values) if values else text

    def count(self, n: int | None) -> str:
        if n is None:
            return "–"
        text = f"{n:,}"
        return text.replace(",", NBSP) if self.lang == "sv" else text

    def number(self, x: float | int | None, decimals: int = 1) -> str:
        """A measured value: whole numbers as such, others with `decimals` decimals."""
        if x is None:
            return "–"
        if float(x).is_integer():
            return self.count(int(x))
        text = f"{x:,.{decimals}f}"
        if self.lang == "sv":
            text = text.replace(",", NBSP).replace(".", ",")
        return text

    def percent(self, count: int | None, base: int | None) -> str:
        value = percent_int(count, base)
        if value is None:
            return "–"
        return f"{value}{NBSP}%" if self.lang == "sv" else f"{value}%"

    def month(self, key: str) -> str:
        """'2026-03' → 'mars 2026'."""
        try:
            year, month = key.split("-")[:2]
            return f"{MONTHS[self.lang][int(month) - 1]} {year}"
        except (ValueError, IndexError):
            return key

    def period(self, key: str) -> str:
        """'2026-Q2' → 'kv. 2 2026'; '2026-05' → 'maj 2026'; '2026' → '2026'."""
        if "-Q" in key:
            year, quarter = key.split("-Q")
            return f"kv.{NBSP}{quarter} {year}" if self.lang == "sv" else f"Q{quarter} {year}"
        return self.month(key) if "-" in key else key

    def change(self, points: int) -> str:
        """A change in percentage points, signed: +5, −3, ±0."""
        if points == 0:
            return "±0"
        return f"+{points}" if points > 0 else f"\u2212{-points}"

    def join_or(self, items: list[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self('or')} {items[-1]}"


def percent_int(count: int | None, base: int | None) -> int | None:
    """A share in whole per cent, 0.5 rounded up, in integers (no float surprises)."""
    if count is None or not base:
        return None
    return (200 * count + base) // (2 * base)
