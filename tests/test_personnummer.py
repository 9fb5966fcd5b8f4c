"""Tests for pdfforms.model.personnummer.

Only synthetic numbers are used: every number is built here from a date and
a serial with :func:`luhn`, so no real person's identifier is in the tests.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import hmac

import pytest

from pdfforms.model.personnummer import (
    Personnummer,
    PersonnummerError,
    is_valid,
    parse_personnummer,
    pseudonymise,
)

TODAY = datetime.date(2024, 6, 1)
KEY = b"k" * 32
OTHER_KEY = b"o" * 32


def luhn(nine: str) -> str:
    """Independent Luhn implementation, so the tests do not trust the code under test."""
    assert len(nine) == 9 and nine.isdigit()
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 - i % 2)
        total += d if d < 10 else d - 9
    return str(-total % 10)


def short(yymmdd: str, serial: str = "238") -> str:
    """A valid 10-digit number YYMMDDNNNC for the given date and serial."""
    return yymmdd + serial + luhn(yymmdd + serial)


def wrong_check(ten: str) -> str:
    """The same number with a check digit that is guaranteed to be wrong."""
    return ten[:9] + str((int(ten[9]) + 1) % 10)


# A synthetic person born 1985-07-14.
P = short("850714")  # 10 digits
P12 = "19" + P
P_NORM = f"19{P[:6]}-{P[6:]}"


def test_luhn_helper_agrees_with_skatteverket_test_number_style() -> None:
    # The classic 121212-1212 test-number pattern must come out valid.
    assert short("121212", "121") == "1212121212"
    # Hand-computed: 1*2 = 2 -> 8; 5*2 = 10 -> 1+0 = 1 -> 9; 9 (odd position, weight 1) -> 1.
    assert luhn("000000000") == "0"
    assert luhn("100000000") == "8"
    assert luhn("500000000") == "9"
    assert luhn("090000000") == "1"


# ------------------------------------------------------------------ spellings


SPELLINGS = [
    f"{P12[:8]}-{P12[8:]}",  # YYYYMMDD-NNNN
    P12,  # YYYYMMDDNNNN
    f"{P[:6]}-{P[6:]}",  # YYMMDD-NNNN
    P,  # YYMMDDNNNN
    f"19 {P[:6]} - {P[6:]}",  # spaces anywhere
    f"{P[:6]} {P[6:]}",
    f"{P12[:4]} {P12[4:6]} {P12[6:8]} {P12[8:]}",
    f"{P12[:8]}\u2013{P12[8:]}",  # en dash
    f"{P12[:8]}\u2212{P12[8:]}",  # minus sign
    f"{P[:6]}\u2013{P[6:]}",
    f"{P[:6]}\u2010{P[6:]}",  # Unicode hyphen
    f"{P[:6]}\u2011{P[6:]}",  # non-breaking hyphen (Word)
    f"  {P12[:8]}-{P12[8:]}  ",
    f"\t{P}\n",
    f"{P[:6]}\u00a0-\u00a0{P[6:]}",  # no-break spaces
]


@pytest.mark.parametrize("text", SPELLINGS)
def test_every_spelling_normalises_to_the_same_number(text: str) -> None:
    pn = parse_personnummer(text, today=TODAY)
    assert isinstance(pn, Personnummer)
    assert pn.number == P_NORM
    assert pn.birth_date == datetime.date(1985, 7, 14)
    assert pn.samordningsnummer is False
    assert str(pn) == P_NORM


def test_spellings_compare_equal() -> None:
    parsed = {parse_personnummer(t, today=TODAY) for t in SPELLINGS}
    assert len(parsed) == 1


def test_normalised_form_is_yyyymmdd_dash_nnnn() -> None:
    pn = parse_personnummer(P, today=TODAY)
    assert len(pn.number) == 13
    assert pn.number[8] == "-"
    assert pn.number.replace("-", "").isdigit()


def test_skatteverket_style_test_number() -> None:
    ten = short("121212", "121")
    pn = parse_personnummer(f"19{ten[:6]}-{ten[6:]}", today=TODAY)
    assert pn.number == "19121212-1212"
    assert pn.birth_date == datetime.date(1912, 12, 12)


def test_personnummer_is_frozen() -> None:
    pn = parse_personnummer(P, today=TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        pn.number = "x"  # type: ignore[misc]


def test_default_today_is_used_when_omitted() -> None:
    # A 12-digit number from 1985 is valid whatever today is.
    assert parse_personnummer(P12).number == P_NORM


# ------------------------------------------------------------- century rules


@pytest.mark.parametrize(
    ("yymmdd", "expected_year"),
    [
        ("240601", 2024),  # born today: not in the future
        ("240602", 1924),  # tomorrow in 2024 would be the future
        ("240531", 2024),
        ("231231", 2023),
        ("250101", 1925),
        ("000101", 2000),
        ("991231", 1999),
        ("850714", 1985),
    ],
)
def test_ten_digit_century_without_plus(yymmdd: str, expected_year: int) -> None:
    ten = short(yymmdd)
    for text in (ten, f"{ten[:6]}-{ten[6:]}"):
        pn = parse_personnummer(text, today=TODAY)
        assert pn.birth_date.year == expected_year
        assert pn.number == f"{expected_year}{ten[:6][2:]}-{ten[6:]}"
        assert pn.birth_date <= TODAY


@pytest.mark.parametrize(
    ("yymmdd", "expected_year"),
    [
        ("231231", 1923),
        ("250101", 1825),
        ("000101", 1900),
        ("991231", 1899),
        ("850714", 1885),
        # The year someone turns 100 Skatteverket already writes '+', even
        # before the birthday; such a person is 99 or 100, never 200.
        ("240601", 1924),
        ("240602", 1924),
        ("241231", 1924),
    ],
)
def test_ten_digit_century_with_plus(yymmdd: str, expected_year: int) -> None:
    ten = short(yymmdd)
    pn = parse_personnummer(f"{ten[:6]}+{ten[6:]}", today=TODAY)
    assert pn.birth_date.year == expected_year
    assert TODAY.year - pn.birth_date.year >= 100


@pytest.mark.parametrize("yymmdd", ["231231", "250101", "000101", "991231", "850714", "240531"])
def test_plus_is_a_hundred_years_before_minus_outside_the_birthday_year(yymmdd: str) -> None:
    ten = short(yymmdd)
    minus = parse_personnummer(f"{ten[:6]}-{ten[6:]}", today=TODAY)
    plus = parse_personnummer(f"{ten[:6]}+{ten[6:]}", today=TODAY)
    assert minus.birth_date.year - plus.birth_date.year == 100


def test_century_boundary_moves_with_today() -> None:
    ten = short("240602")
    assert parse_personnummer(ten, today=datetime.date(2024, 6, 1)).birth_date.year == 1924
    assert parse_personnummer(ten, today=datetime.date(2024, 6, 2)).birth_date.year == 2024


def test_plus_with_spaces_and_whitespace() -> None:
    ten = short("231231")
    pn = parse_personnummer(f" {ten[:6]} + {ten[6:]} ", today=TODAY)
    assert pn.number == f"1923{ten[2:6]}-{ten[6:]}"


def test_plus_is_rejected_in_twelve_digit_form() -> None:
    text = f"{P12[:8]}+{P12[8:]}"
    with pytest.raises(PersonnummerError, match="10-digit") as exc:
        parse_personnummer(text, today=TODAY)
    assert repr(text) in str(exc.value)


# ------------------------------------------------------------------ leap days


@pytest.mark.parametrize("year", [1996, 2000, 2004, 2024])
def test_feb_29_valid_in_leap_years(year: int) -> None:
    ten = short(f"{year % 100:02d}0229")
    pn = parse_personnummer(f"{year}{ten[2:]}", today=TODAY)
    assert pn.birth_date == datetime.date(year, 2, 29)


@pytest.mark.parametrize("year", [1900, 1997, 2023])
def test_feb_29_invalid_in_common_years(year: int) -> None:
    ten = short(f"{year % 100:02d}0229")
    text = f"{year}{ten[2:]}"
    with pytest.raises(PersonnummerError, match="is not a valid date") as exc:
        parse_personnummer(text, today=TODAY)
    assert repr(text) in str(exc.value)


def test_feb_29_ten_digit_century_decides_validity() -> None:
    ten = short("000229")
    assert parse_personnummer(ten, today=TODAY).birth_date == datetime.date(2000, 2, 29)
    # With '+' it is 1900, which was not a leap year.
    with pytest.raises(PersonnummerError, match="is not a valid date"):
        parse_personnummer(f"{ten[:6]}+{ten[6:]}", today=TODAY)
    ten04 = short("040229")
    plus = parse_personnummer(f"{ten04[:6]}+{ten04[6:]}", today=TODAY)
    assert plus.birth_date == datetime.date(1904, 2, 29)


# --------------------------------------------------------- samordningsnummer


@pytest.mark.parametrize(
    ("mmdd", "real"),
    [
        ("0172", datetime.date(1980, 1, 12)),
        ("0161", datetime.date(1980, 1, 1)),
        ("0391", datetime.date(1980, 3, 31)),
        ("0289", datetime.date(1980, 2, 29)),  # 1980 was a leap year
    ],
)
def test_samordningsnummer(mmdd: str, real: datetime.date) -> None:
    ten = short("80" + mmdd)
    pn = parse_personnummer(f"19{ten[:6]}-{ten[6:]}", today=TODAY)
    assert pn.samordningsnummer is True
    assert pn.birth_date == real
    assert pn.number == f"1980{mmdd}-{ten[6:]}"  # keeps day + 60
    assert parse_personnummer(ten, today=TODAY) == pn


@pytest.mark.parametrize("mmdd", ["0292", "0290", "0431", "0491", "0160", "0100", "1361"])
def test_samordningsnummer_or_personnummer_with_impossible_day(mmdd: str) -> None:
    ten = short("81" + mmdd)
    with pytest.raises(PersonnummerError, match="is not a valid date"):
        parse_personnummer(ten, today=TODAY)


def test_samordningsnummer_century_uses_real_day() -> None:
    today_s = short("240661")  # real date 2024-06-01 == TODAY
    tomorrow_s = short("240662")  # real date 2024-06-02
    assert parse_personnummer(today_s, today=TODAY).birth_date == datetime.date(2024, 6, 1)
    assert parse_personnummer(tomorrow_s, today=TODAY).birth_date == datetime.date(1924, 6, 2)


def test_ordinary_personnummer_is_not_samordningsnummer() -> None:
    assert parse_personnummer(short("800131"), today=TODAY).samordningsnummer is False


# ------------------------------------------------------------------- failures


@pytest.mark.parametrize("ten", [P, short("000101"), short("800172"), short("121212", "121")])
@pytest.mark.parametrize("bad", range(1, 10))
def test_every_wrong_check_digit_is_caught(ten: str, bad: int) -> None:
    text = ten[:9] + str((int(ten[9]) + bad) % 10)
    with pytest.raises(PersonnummerError) as exc:
        parse_personnummer(text, today=TODAY)
    assert str(exc.value) == f"{text!r} has a wrong check digit"


def test_wrong_check_digit_message_for_twelve_digit_form() -> None:
    text = "19" + wrong_check(P)[:6] + "-" + wrong_check(P)[6:]
    with pytest.raises(PersonnummerError) as exc:
        parse_personnummer(text, today=TODAY)
    assert str(exc.value) == f"{text!r} has a wrong check digit"


@pytest.mark.parametrize("position", range(9))
def test_single_digit_typo_is_caught(position: int) -> None:
    digit = str((int(P[position]) + 5) % 10)
    typo = P[:position] + digit + P[position + 1 :]
    assert not is_valid("19" + typo, today=TODAY)


@pytest.mark.parametrize(
    ("text", "n"),
    [
        (P[:8], 8),
        (P[:9], 9),
        (P12[:11], 11),
        (P12 + "0", 13),
        ("19" + P12, 14),
        (f"{P[:6]}-{P[6:9]}", 9),
        ("1", 1),
    ],
)
def test_wrong_number_of_digits(text: str, n: int) -> None:
    with pytest.raises(PersonnummerError) as exc:
        parse_personnummer(text, today=TODAY)
    assert str(exc.value) == f"{text!r} has {n} digits; a personnummer has 10 or 12"


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_empty(text: str) -> None:
    with pytest.raises(PersonnummerError, match="is empty") as exc:
        parse_personnummer(text, today=TODAY)
    assert repr(text) in str(exc.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (f"{P[:5]}-{P[5:]}", "wrong place"),
        (f"{P12[:6]}-{P12[6:]}", "wrong place"),
        (f"{P[:6]}--{P[6:]}", "more than one separator"),
        (f"{P[:6]}-+{P[6:]}", "more than one separator"),
        (f"{P12[:4]}-{P12[4:8]}-{P12[8:]}", "more than one separator"),
        (f"{P[:6]}/{P[6:]}", "contains '/'"),
        (f"{P[:6]}.{P[6:]}", "contains '.'"),
        (f"{P[:6]}-{P[6:9]}X", "contains 'X'"),
        ("ååmmdd-nnnn", "contains 'å'"),
        ("\uff11" * 10, "contains"),  # full-width digits are not accepted as digits
    ],
)
def test_malformed_text(text: str, fragment: str) -> None:
    with pytest.raises(PersonnummerError, match=fragment) as exc:
        parse_personnummer(text, today=TODAY)
    assert str(exc.value).startswith(repr(text))


@pytest.mark.parametrize("mmdd", ["1301", "0001", "0100", "0230", "0431", "0132"])
def test_invalid_date(mmdd: str) -> None:
    ten = short("85" + mmdd)
    text = f"19{ten[:6]}-{ten[6:]}"
    with pytest.raises(PersonnummerError) as exc:
        parse_personnummer(text, today=TODAY)
    assert str(exc.value).startswith(f"{text!r} is not a valid date")


@pytest.mark.parametrize("yyyymmdd", ["20240602", "20241231", "20300101", "20240662"])
def test_twelve_digit_future_date_rejected(yyyymmdd: str) -> None:
    ten = short(yyyymmdd[2:])
    text = f"{yyyymmdd[:2]}{ten[:6]}-{ten[6:]}"
    with pytest.raises(PersonnummerError, match="in the future") as exc:
        parse_personnummer(text, today=TODAY)
    assert str(exc.value).startswith(repr(text))


def test_twelve_digit_born_today_is_accepted() -> None:
    ten = short("240601")
    assert parse_personnummer("20" + ten, today=TODAY).birth_date == TODAY


def test_error_is_a_value_error() -> None:
    assert issubclass(PersonnummerError, ValueError)


def test_very_long_input_is_cut_at_2000_characters_in_message() -> None:
    text = "x" * 10_000
    with pytest.raises(PersonnummerError) as exc:
        parse_personnummer(text, today=TODAY)
    assert len(str(exc.value)) < 2200
    assert str(exc.value).startswith("'" + "x" * 1999 + "\u2026")


def test_long_input_is_quoted_whole_in_message() -> None:
    text = "1" * 300
    with pytest.raises(PersonnummerError) as exc:
        parse_personnummer(text, today=TODAY)
    assert repr(text) in str(exc.value)


@pytest.mark.parametrize("value", [8507142384, None, b"8507142384"])
def test_non_text_raises_type_error(value: object) -> None:
    with pytest.raises(TypeError):
        parse_personnummer(value, today=TODAY)  # type: ignore[arg-type]


# ------------------------------------------------------------------- is_valid


def test_is_valid() -> None:
    assert is_valid(P, today=TODAY) is True
    assert is_valid(P12) is True
    assert is_valid(wrong_check(P), today=TODAY) is False
    assert is_valid("", today=TODAY) is False
    assert is_valid("hello", today=TODAY) is False
    assert is_valid(12345, today=TODAY) is False  # type: ignore[arg-type]


def test_is_valid_respects_today() -> None:
    text = "20" + short("240602")
    assert is_valid(text, today=datetime.date(2024, 6, 1)) is False
    assert is_valid(text, today=datetime.date(2024, 6, 2)) is True


# --------------------------------------------------------------- pseudonymise


def test_pseudonym_format_is_documented_hmac() -> None:
    expected = "pn:" + hmac.new(KEY, P_NORM.encode("ascii"), hashlib.sha256).hexdigest()
    assert pseudonymise(P12, KEY) == expected
    assert len(expected) == 3 + 64


def test_pseudonym_is_stable() -> None:
    assert pseudonymise(P12, KEY) == pseudonymise(P12, KEY)


def test_pseudonym_depends_on_key() -> None:
    assert pseudonymise(P12, KEY) != pseudonymise(P12, OTHER_KEY)


def test_different_people_get_different_pseudonyms() -> None:
    others = [short("850714", "239"), short("850715"), short("750714")]
    pseudonyms = {pseudonymise(P12, KEY)} | {pseudonymise("19" + o, KEY) for o in others}
    assert len(pseudonyms) == 4


@pytest.mark.parametrize("text", SPELLINGS)
def test_same_person_different_spellings_same_pseudonym(text: str) -> None:
    # Born 1985: the 10-digit spellings resolve to 1985 until 2085, whatever today is.
    assert pseudonymise(text, KEY) == pseudonymise(P_NORM, KEY)


def test_pseudonymise_accepts_parsed_number() -> None:
    pn = parse_personnummer(P, today=TODAY)
    assert pseudonymise(pn, KEY) == pseudonymise(P12, KEY)


def test_pseudonym_does_not_contain_the_number() -> None:
    result = pseudonymise(P12, KEY)
    assert P not in result
    assert result.startswith("pn:")
    assert all(c in "0123456789abcdef" for c in result[3:])


def test_pseudonymise_accepts_bytearray_key() -> None:
    assert pseudonymise(P12, bytearray(KEY)) == pseudonymise(P12, KEY)


def test_pseudonymise_rejects_invalid_number() -> None:
    with pytest.raises(PersonnummerError, match="wrong check digit"):
        pseudonymise(wrong_check(P), KEY)


@pytest.mark.parametrize("key", [b"", b"short", b"x" * 15])
def test_pseudonymise_rejects_short_key(key: bytes) -> None:
    with pytest.raises(ValueError, match="at least 16"):
        pseudonymise(P12, key)


def test_pseudonymise_rejects_text_key() -> None:
    with pytest.raises(TypeError):
        pseudonymise(P12, "k" * 32)  # type: ignore[arg-type]


def test_pseudonymise_rejects_other_types() -> None:
    with pytest.raises(TypeError):
        pseudonymise(198507142384, KEY)  # type: ignore[arg-type]


def test_samordningsnummer_and_personnummer_with_same_digits_differ() -> None:
    # Same birth date written as personnummer and as samordningsnummer are different identities.
    pn = short("800112")
    sn = short("800172")
    assert pseudonymise("19" + pn, KEY) != pseudonymise("19" + sn, KEY)
