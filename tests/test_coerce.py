"""Tests for pdfforms.model.coerce."""

from __future__ import annotations

import datetime
import math

import pytest

from pdfforms.model.coerce import CoerceError, parse_date, parse_number

TODAY = datetime.date(2024, 6, 1)
MARCH_5 = datetime.date(2024, 3, 5)


# ===================================================================== dates


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-05",
        "2024-3-5",
        "20240305",
        "2024/03/05",
        "2024.03.05",
        "2024 03 05",
        "240305",
        "24-03-05",
        "5/3 2024",
        "5/3-2024",
        "05/03/2024",
        "5/3/2024",
        "5.3.2024",
        "05.03.2024",
        "5-3-2024",
        "5 / 3 2024",
        "5 mars 2024",
        "5 Mars 2024",
        "5 MARS 2024",
        "05 mars 2024",
        "5 mar 2024",
        "5 mar. 2024",
        "5:e mars 2024",
        "5e mars 2024",
        "5-mar-2024",
        "5 March 2024",
        "5 MAR 2024",
        "March 5, 2024",
        "march 5 2024",
        "Mar. 5, 2024",
        "March 5th, 2024",
        "5th March 2024",
        "  2024-03-05  ",
        "\t5/3 2024\n",
        "2024\u201303\u201305",  # en dashes from a word processor
        "5\u00a0mars\u00a02024",
    ],
)
def test_date_spellings(text: str) -> None:
    assert parse_date(text, today=TODAY) == MARCH_5


SWEDISH_MONTHS = [
    ("januari", "jan"),
    ("februari", "feb"),
    ("mars", "mar"),
    ("april", "apr"),
    ("maj", "maj"),
    ("juni", "jun"),
    ("juli", "jul"),
    ("augusti", "aug"),
    ("september", "sep"),
    ("oktober", "okt"),
    ("november", "nov"),
    ("december", "dec"),
]
ENGLISH_MONTHS = [
    ("January", "Jan"),
    ("February", "Feb"),
    ("March", "Mar"),
    ("April", "Apr"),
    ("May", "May"),
    ("June", "Jun"),
    ("July", "Jul"),
    ("August", "Aug"),
    ("September", "Sept"),
    ("October", "Oct"),
    ("November", "Nov"),
    ("December", "Dec"),
]


@pytest.mark.parametrize("month", range(1, 13))
def test_swedish_month_names_full_and_abbreviated(month: int) -> None:
    full, abbr = SWEDISH_MONTHS[month - 1]
    expected = datetime.date(2023, month, 7)
    for text in (f"7 {full} 2023", f"7 {abbr} 2023", f"7:e {full.upper()} 2023", f"7 {abbr}. 2023"):
        assert parse_date(text, today=TODAY) == expected, text


@pytest.mark.parametrize("month", range(1, 13))
def test_english_month_names_full_and_abbreviated(month: int) -> None:
    full, abbr = ENGLISH_MONTHS[month - 1]
    expected = datetime.date(2023, month, 7)
    for text in (f"{full} 7, 2023", f"{abbr} 7 2023", f"7 {full.lower()} 2023", f"7 {abbr} 2023"):
        assert parse_date(text, today=TODAY) == expected, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1:a januari 2000", datetime.date(2000, 1, 1)),
        ("2:a februari 2000", datetime.date(2000, 2, 2)),
        ("31 december 1950", datetime.date(1950, 12, 31)),
        ("31/12 1950", datetime.date(1950, 12, 31)),
        ("Dec 31, 1950", datetime.date(1950, 12, 31)),
        ("1950-12-31", datetime.date(1950, 12, 31)),
        ("sept 1, 2020", datetime.date(2020, 9, 1)),
        ("1 sep 2020", datetime.date(2020, 9, 1)),
        ("12/1 2024", datetime.date(2024, 1, 12)),  # day first: 12 January, never December 1
        ("1/12 2024", datetime.date(2024, 12, 1)),
    ],
)
def test_other_dates(text: str, expected: datetime.date) -> None:
    assert parse_date(text, today=TODAY) == expected


# ------------------------------------------------------- two-digit year rule


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("240601", datetime.date(2024, 6, 1)),
        ("241231", datetime.date(2024, 12, 31)),
        ("250101", datetime.date(2025, 1, 1)),  # next year: allowed
        ("251231", datetime.date(2025, 12, 31)),
        ("260101", datetime.date(1926, 1, 1)),  # two years ahead: last century
        ("991231", datetime.date(1999, 12, 31)),
        ("000101", datetime.date(2000, 1, 1)),
        ("25-01-01", datetime.date(2025, 1, 1)),
        ("26-01-01", datetime.date(1926, 1, 1)),
        ("50-07-14", datetime.date(1950, 7, 14)),
    ],
)
def test_two_digit_year_in_2024(text: str, expected: datetime.date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected_year"),
    [
        ("000101", datetime.date(2099, 6, 1), 2100),
        ("990101", datetime.date(2099, 6, 1), 2099),
        ("010101", datetime.date(2099, 6, 1), 2001),
        ("260101", datetime.date(2025, 1, 1), 2026),
        ("260101", datetime.date(2024, 12, 31), 1926),
    ],
)
def test_two_digit_year_follows_today(text: str, today: datetime.date, expected_year: int) -> None:
    assert parse_date(text, today=today).year == expected_year


def test_parse_date_default_today() -> None:
    assert parse_date("2024-03-05") == MARCH_5
    assert parse_date("000101").year == 2000  # true from 1999 to 2098


# --------------------------------------------------------------- leap days


@pytest.mark.parametrize("text", ["29/2 2024", "2000-02-29", "29 februari 1996", "Feb 29, 2024"])
def test_leap_day_in_leap_year(text: str) -> None:
    d = parse_date(text, today=TODAY)
    assert (d.month, d.day) == (2, 29)


@pytest.mark.parametrize("text", ["29/2 2023", "1900-02-29", "29 feb 2100", "230229"])
def test_leap_day_in_common_year(text: str) -> None:
    with pytest.raises(CoerceError) as exc:
        parse_date(text, today=TODAY)
    assert str(exc.value).startswith(f"{text!r} is not a date: there is no day 29 in month 2")


# ------------------------------------------------------------------ failures


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/2 1950", "there is no day 31 in month 2 of 1950"),
        ("31 februari 1950", "there is no day 31 in month 2 of 1950"),
        ("2024-04-31", "there is no day 31 in month 4 of 2024"),
        ("0/3 2024", "there is no day 0 in month 3 of 2024"),
        ("32/1 2024", "there is no day 32 in month 1 of 2024"),
        ("2024-13-01", "there is no month 13"),
        ("2024-00-10", "there is no month 0"),
        ("5/13 2024", "there is no month 13"),
        ("20241301", "there is no month 13"),
    ],
)
def test_impossible_date(text: str, reason: str) -> None:
    with pytest.raises(CoerceError) as exc:
        parse_date(text, today=TODAY)
    assert str(exc.value) == f"{text!r} is not a date: {reason}"


@pytest.mark.parametrize(
    "text",
    [
        "hello",
        "igår",
        "5/3 24",  # two-digit year after day/month: order is ambiguous
        "05.03.24",
        "5-3-24",
        "5 mars 24",
        "5 mars",
        "mars 2024",
        "2024-03",
        "2024-03-05T10:00",
        "2024-03-05 10:00",
        "5 foo 2024",
        "5 marsch 2024",
        "1/2/3",
        "2024--03-05",
        "24030",
        "2403051",
        "05032024x",
        "\uff12\uff10\uff12\uff14-03-05",  # full-width digits
        "5,3,2024",
    ],
)
def test_unrecognised_date(text: str) -> None:
    with pytest.raises(CoerceError) as exc:
        parse_date(text, today=TODAY)
    message = str(exc.value)
    assert message.startswith(f"{text!r} is not a date")
    assert "YYYY-MM-DD" in message


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_empty_date(text: str) -> None:
    with pytest.raises(CoerceError, match="empty") as exc:
        parse_date(text, today=TODAY)
    assert str(exc.value).startswith(repr(text))


def test_eight_digits_are_always_year_first() -> None:
    # 05032024 would be 5 March 2024 day-first, but eight digits mean YYYYMMDD.
    with pytest.raises(CoerceError, match="there is no month 20"):
        parse_date("05032024", today=TODAY)


def test_parse_date_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        parse_date(datetime.date(2024, 3, 5))  # type: ignore[arg-type]


def test_coerce_error_is_value_error() -> None:
    assert issubclass(CoerceError, ValueError)


# =================================================================== numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("0", 0),
        ("-3", -3),
        ("\u22123", -3),  # minus sign
        ("\u20133", -3),  # en dash, Swedish typographic minus
        ("- 3", -3),
        ("+7", 7),
        ("+ 7", 7),
        ("  12  ", 12),
        ("007", 7),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("1\u202f234", 1234),
        ("1\u2009234", 1234),
        ("12 345 678", 12345678),
        ("-1 234", -1234),
        ("50 %", 50),
        ("50%", 50),
        ("50\u00a0%", 50),
        ("-5 %", -5),
        ("-0", 0),
    ],
)
def test_integers(text: str, expected: int) -> None:
    for decimals in (None, 0):
        value = parse_number(text, decimals)
        assert value == expected
        assert type(value) is int


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("-12,5", -12.5),
        ("\u221212,5", -12.5),
        ("+0,5", 0.5),
        ("0,05", 0.05),
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),
        ("1\u202f234.5", 1234.5),
        ("1.234", 1.234),  # '.' is a decimal point, never a thousands separator
        ("1,234", 1.234),
        ("1,000", 1.0),
        ("12,0", 12.0),
        ("12,5 %", 12.5),
        ("37,50", 37.5),
    ],
)
def test_decimals(text: str, expected: float) -> None:
    value = parse_number(text)
    assert value == pytest.approx(expected)
    assert type(value) is float


@pytest.mark.parametrize("text", ["12,5", "12.5", "-0,5", "1 234,5", "1.234", "12,01", "50,5 %"])
def test_fraction_is_not_a_whole_number(text: str) -> None:
    with pytest.raises(CoerceError) as exc:
        parse_number(text, decimals=0)
    assert str(exc.value) == f"{text!r} is not a whole number"


@pytest.mark.parametrize(("text", "expected"), [("12,0", 12), ("12.00", 12), ("-3,0", -3)])
def test_zero_fraction_with_decimals_zero_is_whole(text: str, expected: int) -> None:
    value = parse_number(text, decimals=0)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize(
    ("text", "decimals", "expected"),
    [
        ("12", 1, 12.0),
        ("12,5", 1, 12.5),
        ("12,5", 2, 12.5),
        ("12,345", 1, 12.345),  # not rounded: the caller reports excess precision
        ("12,345", 2, 12.345),
        ("-1 234,56", 2, -1234.56),
        ("50 %", 2, 50.0),
    ],
)
def test_decimals_positive_returns_unrounded_float(
    text: str, decimals: int, expected: float
) -> None:
    value = parse_number(text, decimals)
    assert type(value) is float
    assert value == pytest.approx(expected, abs=0)


@pytest.mark.parametrize(
    "text",
    [
        "ca 40",
        "ca. 40",
        "Ca 40",
        "CA. 40",
        "c:a 40",
        "cirka 40",
        "circa 40",
        "~40",
        "~ 40",
        "\u224840",
        "ungefär 40",
        "ca 12,5",
        "~-3",
    ],
)
def test_approximations_are_rejected(text: str) -> None:
    for decimals in (None, 0, 2):
        with pytest.raises(CoerceError) as exc:
            parse_number(text, decimals)
        assert str(exc.value).startswith(f"{text!r} is approximate")


@pytest.mark.parametrize("text", ["40-50", "40 - 50", "40\u201350", "1,5-2", "10-20 %"])
def test_ranges_are_rejected(text: str) -> None:
    with pytest.raises(CoerceError) as exc:
        parse_number(text)
    assert str(exc.value) == f"{text!r} looks like a range; write a single number"


@pytest.mark.parametrize("text", ["1.234,5", "1,234.5", "1 234.567,8"])
def test_mixed_separators_are_rejected(text: str) -> None:
    with pytest.raises(CoerceError) as exc:
        parse_number(text)
    assert str(exc.value).startswith(f"{text!r} mixes ',' and '.'")


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "12 34",  # not a thousands grouping
        "1234 567",
        "1 2345",
        "1.234.567",
        "1,2,3",
        "1e5",
        "1E5",
        "inf",
        "-inf",
        "Infinity",
        "nan",
        "NaN",
        "12,",
        "12.",
        ",5",
        ".5",
        "12 kg",
        "%",
        "50 %%",
        "--3",
        "+-3",
        "0x10",
        "1_000",
        "1'000",
        "\u0661\u0662",  # Arabic-Indic digits
        "\uff11\uff12",  # full-width digits
        "twelve",
        "12a",
    ],
)
def test_garbage_is_rejected(text: str) -> None:
    with pytest.raises(CoerceError) as exc:
        parse_number(text)
    assert str(exc.value) == f"{text!r} is not a number"


@pytest.mark.parametrize("text", ["", " ", "\u00a0", "\t\n"])
def test_empty_number(text: str) -> None:
    with pytest.raises(CoerceError) as exc:
        parse_number(text)
    assert str(exc.value) == f"{text!r} is not a number: it is empty"


@pytest.mark.parametrize("text", ["9" * 400 + ",5", "9" * 5000])
def test_too_large_is_rejected_and_message_bounded(text: str) -> None:
    with pytest.raises(CoerceError, match="too large") as exc:
        parse_number(text)
    message = str(exc.value)
    # The raw text is quoted whole up to 2,000 characters (SPEC §4), and no further.
    if len(text) <= 2000:
        assert repr(text) in message
    else:
        assert text[:1999] in message and text not in message and len(message) < 2200


def test_large_but_finite_values_are_kept() -> None:
    assert parse_number("123 456 789 012") == 123_456_789_012
    assert math.isfinite(parse_number("9" * 300 + ",5"))  # type: ignore[arg-type]


@pytest.mark.parametrize("decimals", [-1, True])
def test_invalid_decimals_argument(decimals: int) -> None:
    with pytest.raises(ValueError, match="decimals"):
        parse_number("12", decimals)


@pytest.mark.parametrize("value", [12, 12.5, None])
def test_parse_number_rejects_non_text(value: object) -> None:
    with pytest.raises(TypeError):
        parse_number(value)  # type: ignore[arg-type]
