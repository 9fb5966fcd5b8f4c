"""A print run's respondents CSV → pre-filled answers, cover texts and languages.

Synthetic people only; every personnummer is built on 1912-12-12.
"""

from __future__ import annotations

import datetime

import pytest

from pdfforms.generate import respondents as respondents_module
from pdfforms.generate.fields import AnswerError, answers_to_fields
from pdfforms.generate.respondents import Respondent, RespondentsError, read_respondents
from pdfforms.parse import respond

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def patient(forms):
    return forms["patient"]


@pytest.fixture
def unit(forms):
    return forms["unit"]


@pytest.fixture
def all_types(forms):
    return forms["all_types"]


@pytest.fixture
def write(tmp_path):
    """write(text, bom=False, name=...) → the path of a CSV file holding `text` as UTF-8."""

    def make(text: str, bom: bool = False, name: str = "respondents.csv"):
        path = tmp_path / name
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        return path

    return make


def read(path, form, lang="sv", cover=frozenset()):
    return read_respondents(path, form, lang, cover, today=TODAY)


def faults_of(path, form, lang="sv", cover=frozenset()) -> list[str]:
    with pytest.raises(RespondentsError) as info:
        read(path, form, lang, cover)
    assert str(info.value) == "\n".join(info.value.faults)
    return info.value.faults


def one(path, form, lang="sv", cover=frozenset()) -> Respondent:
    (respondent,) = read(path, form, lang, cover)
    return respondent


def cell(write, form, column: str, value: str, lang="sv"):
    """The answers of a one-row comma file with a single column."""
    path = write(f'{column}\n"{value}"\n')
    return one(path, form, lang).answers


def cell_faults(write, form, column: str, value: str) -> list[str]:
    path = write(f'{column}\n"{value}"\n')
    return faults_of(path, form)


# --------------------------------------------------------------------------- files


def test_comma_file_prefills_and_keeps_cover_texts(write, patient):
    path = write(
        "namn,adress,fast_vardkontakt,nasta_steg,personnummer\n"
        "Åsa Öberg,Storgatan 1,ja,Delvis,19121212-1212\n"
        "Bo Ek,Lillgatan 2,,nej,\n"
    )
    first, second = read(path, patient, cover={"namn", "adress"})
    assert first == Respondent(
        row=2,
        language="sv",
        answers={
            "fast_vardkontakt": "ja",
            "nasta_steg": "delvis",
            "personnummer": "19121212-1212",
        },
        cover={"namn": "Åsa Öberg", "adress": "Storgatan 1"},
    )
    assert second.row == 3
    assert second.answers == {"nasta_steg": "nej"}  # blank cells pre-fill nothing
    assert second.cover == {"namn": "Bo Ek", "adress": "Lillgatan 2"}


def test_semicolon_file_from_swedish_excel_with_bom(write, unit):
    # Swedish Excel: ';' between cells, a BOM, CRLF line ends, labels with commas unquoted.
    path = write(
        "enhetens_namn;fast_vardkontakt;andel_fast_lakare;ansvarig\r\n"
        "Vårdcentralen Ärtan;Ja, fullt ut;71;Åsa Öberg\r\n"
        "Vårdcentralen Björken;Nej, men planerat;12;Bo Ek\r\n",
        bom=True,
    )
    first, second = read(path, unit, cover={"ansvarig"})
    assert first.answers == {
        "enhetens_namn": "Vårdcentralen Ärtan",
        "fast_vardkontakt": "ja_fullt",
        "andel_fast_lakare": 71,
    }
    assert first.cover == {"ansvarig": "Åsa Öberg"}
    assert second.answers["fast_vardkontakt"] == "nej_planerat"
    assert (first.row, second.row) == (2, 3)


def test_bom_does_not_become_part_of_the_first_column(write, patient):
    path = write("fast_vardkontakt,nasta_steg\nja,nej\n", bom=True)
    assert one(path, patient).answers == {"fast_vardkontakt": "ja", "nasta_steg": "nej"}


def test_sniffing_uses_the_header_line_only(write, unit):
    # The header has more ',' than ';', so ';' in a row is text, not a delimiter.
    path = write('enhetens_namn,ifylld_av\nÄrtan;Björken,"Åsa Öberg; Bo Ek"\n')
    assert one(path, unit).answers == {
        "enhetens_namn": "Ärtan;Björken",
        "ifylld_av": "Åsa Öberg; Bo Ek",
    }


def test_whitespace_around_headers_and_cells_is_ignored(write, patient):
    path = write(" namn , fast_vardkontakt \n  Åsa Öberg  ,  Ja  \n")
    respondent = one(path, patient, cover={"namn"})
    assert respondent.answers == {"fast_vardkontakt": "ja"}
    assert respondent.cover == {"namn": "Åsa Öberg"}


def test_blank_lines_and_empty_excel_rows_are_skipped_but_lines_still_count(write, patient):
    path = write("fast_vardkontakt;nasta_steg\n\nja;nej\n;\n;;\nnej;ja\n")
    rows = read(path, patient)
    assert [r.row for r in rows] == [3, 6]
    assert [r.answers["fast_vardkontakt"] for r in rows] == ["ja", "nej"]


def test_blank_lines_above_the_header_are_skipped_and_the_header_line_is_real(write, patient):
    path = write("\n;;\nfast_vardkontakt;nasta_steg;fast_vardkontak\nja;nej;\n")
    faults = faults_of(path, patient)
    assert len(faults) == 1
    assert faults[0].startswith(f"{path}:3: column 'fast_vardkontak' is not a question")
    path = write("\nfast_vardkontakt;nasta_steg\nja;nej\n")
    assert [(r.row, r.answers) for r in read(path, patient)] == [
        (3, {"fast_vardkontakt": "ja", "nasta_steg": "nej"})
    ]


def test_empty_file_has_no_respondents(write, patient):
    path = write("")
    faults = faults_of(path, patient)
    assert len(faults) == 1
    assert faults[0].startswith(f"{path}:1: ")
    assert "has no respondents" in faults[0]


def test_file_with_only_a_bom_or_blank_lines_has_no_respondents(write, patient):
    assert "has no respondents" in faults_of(write("\n\n", bom=True), patient)[0]


def test_header_only_has_no_respondents(write, patient):
    path = write("namn;fast_vardkontakt\r\n")
    faults = faults_of(path, patient, cover={"namn"})
    assert faults == [f"{path}:1: the file has no respondents, only a header"]


def test_header_and_empty_rows_has_no_respondents(write, patient):
    path = write("namn;fast_vardkontakt\n;\n;\n")
    assert faults_of(path, patient, cover={"namn"}) == [
        f"{path}:1: the file has no respondents, only a header"
    ]


def test_file_that_is_not_utf8_is_refused_at_its_line(tmp_path, patient):
    path = tmp_path / "ansi.csv"
    path.write_bytes("namn;fast_vardkontakt\nBo Ek;ja\nÅsa Öberg;nej\n".encode("cp1252"))
    faults = faults_of(path, patient, cover={"namn"})
    assert len(faults) == 1
    assert faults[0].startswith(f"{path}:3: the file is not UTF-8 text")
    assert "CSV UTF-8" in faults[0]


def test_missing_file_is_a_respondents_error(tmp_path, patient):
    faults = faults_of(tmp_path / "finns-inte.csv", patient)
    assert faults[0].startswith(f"{tmp_path / 'finns-inte.csv'}:1: cannot read the file")


def test_unknown_default_language_is_a_programming_error(write, patient):
    with pytest.raises(ValueError, match="'de' is not one of the form's languages"):
        read_respondents(write("fast_vardkontakt\nja\n"), patient, "de")


# --------------------------------------------------------------------------- header


def test_unknown_column_is_on_line_1_with_did_you_mean(write, patient):
    path = write("namn,fast_vardkontak\nÅsa Öberg,ja\n")
    faults = faults_of(path, patient, cover={"namn"})
    assert faults == [
        f"{path}:1: column 'fast_vardkontak' is not a question of form 'patient-7-fragor' "
        "and not used by the cover page (did you mean 'fast_vardkontakt'?)"
    ]


def test_did_you_mean_covers_cover_fields_and_language(write, patient):
    path = write("adres,langauge\nStorgatan 1,sv\n")
    faults = faults_of(path, patient, cover={"adress"})
    assert faults[0].endswith("(did you mean 'adress'?)")
    assert faults[1].endswith("(did you mean 'language'?)")
    assert all(f.startswith(f"{path}:1: ") for f in faults)


def test_unrelated_unknown_column_has_no_guess(write, patient):
    path = write("xyzzy\n1\n")
    (fault,) = faults_of(path, patient)
    assert fault.endswith("not used by the cover page")


def test_cover_column_is_only_allowed_when_the_cover_uses_it(write, patient):
    path = write("namn,fast_vardkontakt\nÅsa Öberg,ja\n")
    assert "column 'namn' is not a question" in faults_of(path, patient)[0]
    assert one(path, patient, cover={"namn"}).cover == {"namn": "Åsa Öberg"}


def test_duplicate_column_is_a_fault(write, patient):
    path = write("fast_vardkontakt,nasta_steg,fast_vardkontakt\nja,nej,ja\n")
    assert faults_of(path, patient) == [
        f"{path}:1: column 'fast_vardkontakt' appears twice (columns 1 and 3)"
    ]


def test_bare_grid_column_is_refused_with_its_row_columns(write, unit):
    path = write("viktigt_for_dig\nalltid\n")
    (fault,) = faults_of(path, unit)
    assert fault == (
        f"{path}:1: column 'viktigt_for_dig' is a grid; give each row its own column: "
        "viktigt_for_dig__fragas, viktigt_for_dig__dokumenteras"
    )


def test_checkbox_column_of_a_multiple_is_refused_with_a_hint(write, patient):
    path = write("kontaktvagar__telefon\nja\n")
    (fault,) = faults_of(path, patient)
    assert "one checkbox; put the chosen answers in column 'kontaktvagar'" in fault
    assert fault.startswith(f"{path}:1: ")


def test_other_text_column_needs_a_question_with_other(write, patient):
    path = write("fast_vardkontakt__other_text\nBrev\n")
    assert "column 'fast_vardkontakt__other_text' is not a question" in faults_of(path, patient)[0]


def test_info_block_is_not_a_column(write, patient):
    path = write("instruktion_sju\nx\n")
    assert "column 'instruktion_sju' is not a question" in faults_of(path, patient)[0]


def test_value_under_a_nameless_column_is_a_fault_but_empty_ones_are_fine(write, patient):
    path = write("fast_vardkontakt,,nasta_steg,\nja,,nej,\n")
    assert one(path, patient).answers == {"fast_vardkontakt": "ja", "nasta_steg": "nej"}
    path = write("fast_vardkontakt,,nasta_steg\nja,,nej\nnej,Åsa,ja\n")
    assert faults_of(path, patient) == [f"{path}:3: column 2 has a value but no name in the header"]


def test_row_with_more_cells_than_the_header(write, patient):
    path = write("fast_vardkontakt,nasta_steg\nja,nej,,\nja,nej,Åsa Öberg\nja\n")
    faults = faults_of(path, patient)
    # trailing empty cells (line 2) and short rows (line 4) are fine
    assert faults == [
        f"{path}:3: the row has a value in column 3, but the header has only 2 columns"
    ]


def test_header_faults_do_not_hide_row_faults(write, patient):
    path = write("fast_vardkontak,nasta_steg\nja,kanske\n")
    faults = faults_of(path, patient)
    assert [f.split(": ")[0] for f in faults] == [f"{path}:1", f"{path}:2"]
    assert "'kanske' is not one of" in faults[1]


# --------------------------------------------------------------------------- line numbers


def test_every_bad_row_is_reported_with_its_line_sorted(write, all_types):
    path = write(
        "namn,beskrivning,antal,besok,pnr,roker\n"
        "Åsa Öberg,,3,2026-03-05,19121212-1212,ja\n"  # 2: fine
        'Bo Ek,"Rad ett\nRad två\nRad tre",31,,,\n'  # 3–5: the record starts on 3
        "Kim Ås,,,31/2 2026,19121212-1213,kanske\n"  # 6: three bad cells
        "\n"  # 7: blank
        "Li Yu,,2;5,,,nej\n"  # 8
    )
    faults = faults_of(path, all_types)
    assert faults == [
        f"{path}:3: column 'antal': '31' is more than the largest allowed, 30",
        f"{path}:6: column 'besok': '31/2 2026' is not a date: there is no day 31 in month 2 "
        "of 2026",
        f"{path}:6: column 'pnr': '19121212-1213' has a wrong check digit",
        f"{path}:6: column 'roker': 'kanske' is neither yes nor no (write ja or nej, yes or no)",
        f"{path}:8: column 'antal': '2;5' is not a number",
    ]


def test_multiline_cells_shift_the_following_rows(write, all_types):
    path = write(
        'namn,beskrivning\nÅsa Öberg,"Rad ett\r\nRad två"\n"Bo\nEk",\nKim Ås,Kort\n',
    )
    rows = read(path, all_types)
    assert [r.row for r in rows] == [2, 4, 6]
    assert rows[0].answers["beskrivning"] == "Rad ett\nRad två"  # CRLF in a cell becomes \n
    assert rows[1].answers["namn"] == "Bo Ek"  # a one-line text reads back joined


def test_unclosed_quote_is_reported_where_its_record_starts(write, patient):
    path = write('fast_vardkontakt,viktigast_nu\nja,bra\nnej,"Att gå i skogen\nja,bra\n')
    assert faults_of(path, patient) == [
        f"{path}:3: a quoted cell that starts here is never closed; nothing after it can be read"
    ]


def test_broken_quoting_is_reported_where_its_record_starts(write, patient):
    path = write('fast_vardkontakt,viktigast_nu\nja,"Skogen" och havet\nja,bra\n')
    (fault,) = faults_of(path, patient)
    assert fault.startswith(f"{path}:2: the quoting is broken")


# --------------------------------------------------------------------------- values


def test_text_and_textarea(write, all_types):
    path = write('namn,beskrivning\n"Åsa\nÖberg","  Upp tidigt.  \nKaffe.\n\nPromenad.  "\n')
    assert one(path, all_types).answers == {
        "namn": "Åsa Öberg",
        "beskrivning": "Upp tidigt.\nKaffe.\n\nPromenad.",
    }


def test_backslash_n_in_a_cell_stays_two_characters(write, all_types):
    assert cell(write, all_types, "beskrivning", r"Rad\nett")["beskrivning"] == "Rad\\nett"


@pytest.mark.parametrize(
    "column,text,expected",
    [
        ("antal", "3", 3),
        ("antal", "3,0", 3),
        ("antal", "0", 0),
        ("vikt", "72,5", 72.5),
        ("vikt", "72.5", 72.5),
        ("vikt", "72", 72.0),
        ("vikt", "350", 350.0),
    ],
)
def test_numbers(write, all_types, column, text, expected):
    value = cell(write, all_types, column, text)[column]
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    "column,text,message",
    [
        ("antal", "31", "'31' is more than the largest allowed, 30"),
        ("antal", "-1", "'-1' is less than the smallest allowed, 0"),
        ("antal", "2,5", "'2,5' is not a whole number"),
        ("antal", "ca 3", "'ca 3' is approximate"),
        ("vikt", "19,9", "'19,9' is less than the smallest allowed, 20"),
        ("vikt", "72,55", "'72,55' has more than 1 decimal"),
        ("vikt", "72,5 kg", "'72,5 kg' is not a number"),
    ],
)
def test_bad_numbers(write, all_types, column, text, message):
    (fault,) = cell_faults(write, all_types, column, text)
    assert f"respondents.csv:2: column '{column}': {message}" in fault


@pytest.mark.parametrize(
    "text,expected",
    [("2026-03-05", "2026-03-05"), ("5/3 2026", "2026-03-05"), ("5 mars 2026", "2026-03-05")],
)
def test_dates(write, all_types, text, expected):
    assert cell(write, all_types, "besok", text) == {"besok": expected}


@pytest.mark.parametrize(
    "text,message",
    [
        ("31/2 2026", "'31/2 2026' is not a date"),
        ("1999-12-31", "'1999-12-31' is less than the smallest allowed, 2000-01-01"),
        ("2031-01-01", "'2031-01-01' is more than the largest allowed, 2030-12-31"),
        ("nästa vecka", "'nästa vecka' is not a date"),
    ],
)
def test_bad_dates(write, all_types, text, message):
    (fault,) = cell_faults(write, all_types, "besok", text)
    assert f"column 'besok': {message}" in fault


@pytest.mark.parametrize(
    "text,expected",
    [
        ("19121212-1212", "19121212-1212"),
        ("191212121212", "19121212-1212"),
        ("19121212 - 1212", "19121212-1212"),
        ("121212+1212", "19121212-1212"),  # '+': aged 100 or more
        ("121212-1212", "20121212-1212"),
    ],
)
def test_personnummer_spellings(write, all_types, text, expected):
    assert cell(write, all_types, "pnr", text) == {"pnr": expected}


@pytest.mark.parametrize(
    "text,message",
    [
        ("19121212-1213", "'19121212-1213' has a wrong check digit"),
        ("19121312-1212", "'19121312-1212' is not a valid date"),
        ("19121212", "'19121212' has 8 digits"),
    ],
)
def test_bad_personnummer(write, all_types, text, message):
    (fault,) = cell_faults(write, all_types, "pnr", text)
    assert f"column 'pnr': {message}" in fault


@pytest.mark.parametrize(
    "text", ["ja", "Ja", "JA", "j", "yes", "Yes", "y", "true", "TRUE", "1", "SANT"]
)
def test_yes_spellings(write, all_types, text):
    assert cell(write, all_types, "roker", text) == {"roker": True}


@pytest.mark.parametrize("text", ["nej", "Nej", "N", "no", "NO", "false", "0", "FALSKT"])
def test_no_spellings(write, all_types, text):
    assert cell(write, all_types, "roker", text) == {"roker": False}


@pytest.mark.parametrize("text", ["kanske", "2", "ja nej"])
def test_neither_yes_nor_no(write, all_types, text):
    (fault,) = cell_faults(write, all_types, "roker", text)
    assert f"column 'roker': {text!r} is neither yes nor no" in fault


@pytest.mark.parametrize(
    "text,expected",
    [
        ("ja", "ja"),
        ("JA", "ja"),
        ("Delvis", "delvis"),
        ("vet_inte", "vet_inte"),
        ("Vet inte", "vet_inte"),
        ("vet  INTE", "vet_inte"),
        ("Yes", "ja"),
        ("partly", "delvis"),
        ("Don't know", "vet_inte"),
    ],
)
def test_single_by_value_or_label_in_either_language(write, patient, text, expected):
    assert cell(write, patient, "fast_vardkontakt", text) == {"fast_vardkontakt": expected}


def test_single_labels_are_accepted_whatever_the_row_language(write, patient):
    path = write("fast_vardkontakt,nasta_steg,language\nYes,Nej,sv\nJa,No,en\n")
    first, second = read(path, patient)
    assert first.answers == {"fast_vardkontakt": "ja", "nasta_steg": "nej"}
    assert second.answers == {"fast_vardkontakt": "ja", "nasta_steg": "nej"}


def test_single_unknown_value_quotes_the_cell_and_lists_the_values(write, patient):
    path = write("fast_vardkontakt\nkanske\n")
    assert faults_of(path, patient) == [
        f"{path}:2: column 'fast_vardkontakt': 'kanske' is not one of ja, delvis, nej, vet_inte"
    ]


def test_other_is_only_an_answer_where_the_question_has_other(write, patient, all_types):
    (fault,) = cell_faults(write, patient, "fast_vardkontakt", "other")
    assert "'other' is not one of ja, delvis, nej, vet_inte" in fault
    assert cell(write, all_types, "hur_mycket", "other") == {"hur_mycket": "other"}
    assert cell(write, all_types, "hur_mycket", "Annat, nämligen") == {"hur_mycket": "other"}


@pytest.mark.parametrize(
    "text,expected",
    [("AB", "AB"), ("ab", "AB"), ("Stockholms län", "AB"), ("uppsala county", "C")],
)
def test_dropdown(write, all_types, text, expected):
    assert cell(write, all_types, "lan", text) == {"lan": expected}


def test_dropdown_unknown_value(write, all_types):
    (fault,) = cell_faults(write, all_types, "lan", "Skåne län")
    assert "column 'lan': 'Skåne län' is not one of AB, C, Z" in fault


@pytest.mark.parametrize(
    "text,expected",
    [("0", 0), ("7", 7), ("10", 10), ("vet_inte", "vet_inte"), ("Vet inte", "vet_inte")],
)
def test_scale(write, all_types, text, expected):
    value = cell(write, all_types, "smak", text)["smak"]
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("text", ["11", "-1", "7,5", "sju"])
def test_scale_out_of_its_points(write, all_types, text):
    (fault,) = cell_faults(write, all_types, "smak", text)
    assert f"column 'smak': {text!r} is not one of 0, 1, 2, 3" in fault
    assert fault.endswith("10, vet_inte")


def test_scale_na_value_of_the_unit_form(write, unit):
    path = write("personcentrerat\nDon't know\n")
    assert one(path, unit).answers == {"personcentrerat": "vet_inte"}


# --------------------------------------------------------------------------- multiple


@pytest.mark.parametrize(
    "text",
    [
        "telefon;video",
        "video|telefon",
        "Telefon; Video",
        "VIDEO | telephone",
        "video;video;telefon",
    ],
)
def test_multiple_in_a_comma_file_takes_semicolon_or_bar(write, patient, text):
    assert cell(write, patient, "kontaktvagar", text) == {"kontaktvagar": ["telefon", "video"]}


def test_multiple_in_a_semicolon_file_takes_bar(write, patient):
    path = write("kontaktvagar;fast_vardkontakt\nBesök|1177/e-tjänst|Telefon;ja\n")
    assert one(path, patient).answers == {
        "kontaktvagar": ["telefon", "e_tjanst", "besok"],  # definition order
        "fast_vardkontakt": "ja",
    }


def test_multiple_in_a_semicolon_file_does_not_split_on_semicolon(write, patient):
    # Quoted so the CSV keeps it one cell: ';' is the file's delimiter, not a separator.
    path = write('kontaktvagar;fast_vardkontakt\n"telefon;video";ja\n')
    (fault,) = faults_of(path, patient)
    assert "column 'kontaktvagar': 'telefon;video' in 'telefon;video' is not among" in fault
    assert "(separate answers with '|')" in fault


def test_multiple_unknown_parts_are_all_named(write, patient):
    (fault,) = cell_faults(write, patient, "kontaktvagar", "telefon|brev|duva")
    assert "column 'kontaktvagar': 'brev', 'duva' in 'telefon|brev|duva' are not among " in fault
    assert "telefon, e_tjanst, video, webbtidbok, besok, other" in fault


def test_multiple_of_only_separators_prefills_nothing(write, patient):
    path = write("kontaktvagar,fast_vardkontakt\n|,ja\n")
    assert one(path, patient).answers == {"fast_vardkontakt": "ja"}


def test_multiple_too_many_choices(write, all_types):
    path = write("frukt,frukt__other_text\nÄpple|Päron|Banan,Kiwi\n")
    (fault,) = faults_of(path, all_types)
    assert fault == (
        f"{path}:2: column 'frukt': 4 chosen (apple, paron, banan, other), at most 3 allowed"
    )


# --------------------------------------------------------------------------- grids


def test_grid_columns_collect_into_one_answer(write, all_types):
    path = write("vanor__laser,vanor__promenad,vanor__sjunger\nSometimes,Alltid,\n")
    assert one(path, all_types).answers == {
        "vanor": {"promenad": "alltid", "laser": "ibland", "sjunger": None}
    }


def test_grid_with_every_cell_blank_prefills_nothing(write, all_types):
    path = write("namn,vanor__laser,vanor__promenad\nÅsa Öberg,,\n")
    assert one(path, all_types).answers == {"namn": "Åsa Öberg"}


def test_grid_bad_cell_names_its_row_column(write, unit):
    path = write("viktigt_for_dig__fragas;viktigt_for_dig__dokumenteras\nalltid;varje dag\n")
    assert faults_of(path, unit) == [
        f"{path}:2: column 'viktigt_for_dig__dokumenteras': 'varje dag' is not one of "
        "alltid, oftast, ibland, sallan_aldrig"
    ]


def test_grid_labels_in_both_languages(write, unit):
    path = write("viktigt_for_dig__fragas;viktigt_for_dig__dokumenteras\nRarely/never;Oftast\n")
    assert one(path, unit).answers == {
        "viktigt_for_dig": {"fragas": "sallan_aldrig", "dokumenteras": "oftast"}
    }


# --------------------------------------------------------------------------- other texts


def test_other_text_alone_chooses_other_in_a_single(write, all_types):
    path = write("roker,hur_mycket__other_text\nja,Bara på fest\n")
    assert one(path, all_types).answers == {
        "roker": True,
        "hur_mycket": "other",
        "hur_mycket__other_text": "Bara på fest",
    }


def test_other_text_beside_other_chosen(write, all_types):
    path = write('hur_mycket,hur_mycket__other_text\n"Annat, nämligen",Pipa\n')
    assert one(path, all_types).answers == {
        "hur_mycket": "other",
        "hur_mycket__other_text": "Pipa",
    }


def test_other_text_beside_another_choice_is_a_fault(write, all_types):
    path = write("hur_mycket,hur_mycket__other_text\nlite,Pipa\n")
    assert faults_of(path, all_types) == [
        f"{path}:2: column 'hur_mycket__other_text': 'Pipa' is written as the other answer, "
        "but column 'hur_mycket' chooses 'lite'; leave one of them blank"
    ]


def test_other_text_adds_other_to_a_multiple(write, patient):
    path = write("kontaktvagar,kontaktvagar__other_text\ntelefon,Brev\n,Brevduva\n")
    first, second = read(path, patient)
    assert first.answers == {
        "kontaktvagar": ["telefon", "other"],
        "kontaktvagar__other_text": "Brev",
    }
    assert second.answers == {"kontaktvagar": ["other"], "kontaktvagar__other_text": "Brevduva"}


def test_other_text_is_one_line(write, patient):
    path = write('kontaktvagar__other_text\n"Brev\npå papper"\n')
    assert one(path, patient).answers["kontaktvagar__other_text"] == "Brev på papper"


def test_answer_keys_follow_definition_order(write, patient):
    path = write(
        "personnummer,kontaktvagar__other_text,kontaktvagar,fast_vardkontakt\n"
        "19121212-1212,Brev,video,ja\n"
    )
    assert list(one(path, patient).answers) == [
        "fast_vardkontakt",
        "kontaktvagar",
        "kontaktvagar__other_text",
        "personnummer",
    ]


# --------------------------------------------------------------------------- conditions


def test_answer_to_a_question_its_condition_rules_out(write, patient):
    path = write("fast_vardkontakt,yrkesroll\nja,Läkare\nnej,Läkare\n,Kurator\n")
    faults = faults_of(path, patient)
    assert faults == [
        f"{path}:3: column 'yrkesroll': this question is only asked when 'fast_vardkontakt' is "
        "ja or delvis, and this row gives 'nej'; leave one blank"
    ]


def test_conditions_on_yesno_and_scale(write, all_types):
    path = write("roker,hur_mycket,smak,smak_varfor\nnej,lite,1,Salt\nja,lite,8,Len\n")
    faults = faults_of(path, all_types)
    assert len(faults) == 2
    assert f"{path}:2: column 'hur_mycket':" in faults[0]
    assert "this row gives 'no'" in faults[0]
    assert f"{path}:3: column 'smak_varfor':" in faults[1]
    assert "'smak' is 0 or 1 or 2, and this row gives 8" in faults[1]


# --------------------------------------------------------------------------- languages


def test_language_column(write, patient):
    path = write("namn,language\nÅsa Öberg,en\nBo Ek,\nKim Ås,SV\nLi Yu, En \n")
    rows = read(path, patient, lang="sv", cover={"namn"})
    assert [r.language for r in rows] == ["en", "sv", "sv", "en"]
    assert all("language" not in r.cover and "language" not in r.answers for r in rows)


def test_blank_language_takes_the_runs_language(write, patient):
    path = write("fast_vardkontakt,language\nja,\n")
    assert one(path, patient, lang="en").language == "en"
    assert one(write("fast_vardkontakt\nja\n"), patient, lang="en").language == "en"


def test_unknown_language_is_a_fault(write, patient):
    path = write("fast_vardkontakt,language\nja,sv\nnej,de\nja,svenska\n")
    langs = "(sv, en, fi, se, uk, ar)"
    assert faults_of(path, patient) == [
        f"{path}:3: column 'language': 'de' is not one of the form's languages {langs}",
        f"{path}:4: column 'language': 'svenska' is not one of the form's languages {langs}",
    ]


# --------------------------------------------------------------------------- cover


def test_cover_has_every_cover_column_blank_or_not_and_nothing_else(write, patient):
    path = write(
        "namn,adress,fast_vardkontakt,language,personnummer\nÅsa Öberg,,ja,en,19121212-1212\n"
    )
    respondent = one(path, patient, cover={"namn", "adress", "postort"})
    assert respondent.cover == {"namn": "Åsa Öberg", "adress": ""}


def test_question_column_is_a_question_even_when_the_cover_names_it(write, patient):
    path = write("personnummer,namn\n191212121212,Åsa Öberg\n")
    respondent = one(path, patient, cover={"personnummer", "namn"})
    assert respondent.answers == {"personnummer": "19121212-1212"}
    assert respondent.cover == {"namn": "Åsa Öberg"}


def test_cover_cells_are_raw_text(write, patient):
    path = write('namn,hälsning\n"Öberg, Åsa","Hej!\nVälkommen"\n')
    respondent = one(path, patient, cover={"namn", "hälsning"})
    assert respondent.cover == {"namn": "Öberg, Åsa", "hälsning": "Hej!\nVälkommen"}


# --------------------------------------------------------------------------- the writer's contract


def _as_raw_fields(values: dict) -> dict:
    """Field values as a returned PDF holds them: a ticked checkbox is a word, unticked blank."""
    raw = {}
    for name, value in values.items():
        if value is True:
            raw[name] = "Yes"
        elif value is False or value is None:
            raw[name] = None
        else:
            raw[name] = value
    return raw


def test_prefilled_answers_fill_and_read_back_unchanged(write, all_types):
    path = write(
        "namn;beskrivning;antal;vikt;besok;pnr;roker;hur_mycket;hur_mycket__other_text;frukt;"
        "frukt__other_text;smak;smak_varfor;vanor__promenad;vanor__sjunger;lan;language\n"
        'Åsa Öberg;"Upp.\nUt.";3;72,5;5/3 2026;121212+1212;Ja;;Pipa;Äpple|Banan;Kiwi;1;'
        "Salt;Ibland;Always;Jämtlands län;en\n"
        "Bo Ek;;0;;;;nej;;;pear;;Vet inte;;;;ab;\n"
    )
    rows = read(path, all_types)
    assert [r.language for r in rows] == ["en", "sv"]
    assert rows[0].answers["frukt"] == ["apple", "banan", "other"]
    assert rows[0].answers["vanor"] == {"promenad": "ibland", "laser": None, "sjunger": "alltid"}
    for respondent in rows:
        fields = answers_to_fields(all_types, respondent.answers, respondent.language)
        parsed, problems = respond(
            all_types, _as_raw_fields(fields), respondent.language, today=TODAY
        )
        assert problems == []
        assert {k: parsed[k] for k in respondent.answers} == respondent.answers


def test_answer_error_from_the_writer_becomes_a_row_fault(write, patient, monkeypatch):
    def refuse(form, answers, lang):
        if answers.get("fast_vardkontakt") == "nej":
            raise AnswerError("fast_vardkontakt: the writer refuses this")
        return {}

    monkeypatch.setattr(respondents_module, "answers_to_fields", refuse)
    path = write("fast_vardkontakt\nja\nnej\n")
    assert faults_of(path, patient) == [f"{path}:3: fast_vardkontakt: the writer refuses this"]


def test_reading_prints_nothing(write, patient, capsys):
    read(write("namn,personnummer\nÅsa Öberg,19121212-1212\n"), patient, cover={"namn"})
    faults_of(write("namn,personnummer\nÅsa Öberg,19121212-1213\n"), patient, cover={"namn"})
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
