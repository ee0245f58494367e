"""English said as a reader would: chart values, dates, clock times, money, percentages,
ordinals, units, abbreviations, years, numbers and addresses, by an ordered list of rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from seesay.engines.calendar_names import MONTHS
from seesay.engines.tts.text._addresses import ADDRESS_MARKS, say_addresses
from seesay.engines.tts.text._calendar import DATE, SureDate, UnsureDate, read_date, say_unsure
from seesay.engines.tts.text._numbers import (
    NUM,
    SCALES,
    money,
    number_words,
    ordinal_words,
    phone_numbers,
    year_words,
)

__all__ = ["normalize_en"]

_MONTH_RE: Final = "|".join([*MONTHS, *(m[:3] for m in MONTHS if len(m) > 3), "Sept"])

# Currency codes said as their money ("EUR 2.50", "2.50 USD"), and an amount with a decimal
# comma ("2,50 €") where a currency says it is money.
_CURRENCY_CODES: Final = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
_CODES: Final = "|".join(_CURRENCY_CODES)
_RANGE_END: Final = rf"\d{{1,2}}:[0-5]\d|{NUM}"
_MONEY_NUM: Final = rf"\d+,\d{{2}}(?![\d,])|{NUM}"


def _decimal_point(amount: str) -> str:
    return amount.replace(",", ".") if re.fullmatch(r"\d+,\d{2}", amount) else amount


# Abbreviations that are unambiguous wherever they stand. The value is what is said.
_ABBREVIATIONS: Final[dict[str, str]] = {
    "Mr.": "Mister",
    "Mrs.": "Missus",
    "Ms.": "Miz",
    "Prof.": "Professor",
    "Jr.": "Junior",
    "Sr.": "Senior",
    "vs.": "versus",
    "etc.": "et cetera",
    "e.g.": "for example",
    "i.e.": "that is",
    "approx.": "approximately",
    "Ave.": "Avenue",
    "Mt.": "Mount",
    "Dept.": "Department",
    "Inc.": "Incorporated",
    "Ltd.": "Limited",
    "Co.": "Company",
    "Jan.": "January",
    "Feb.": "February",
    "Aug.": "August",
    "Sept.": "September",
    "Oct.": "October",
    "Nov.": "November",
    "Dec.": "December",
}

# Units after a number: (singular, plural).
_UNITS: Final[dict[str, tuple[str, str]]] = {
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "mph": ("mile per hour", "miles per hour"),
    "km": ("kilometer", "kilometers"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "m": ("meter", "meters"),
    "kg": ("kilogram", "kilograms"),
    "mg": ("milligram", "milligrams"),
    "g": ("gram", "grams"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "ft": ("foot", "feet"),
    "mi": ("mile", "miles"),
    "ml": ("milliliter", "milliliters"),
    "l": ("liter", "liters"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "kHz": ("kilohertz", "kilohertz"),
    "Hz": ("hertz", "hertz"),
    "KB": ("kilobyte", "kilobytes"),
    "MB": ("megabyte", "megabytes"),
    "GB": ("gigabyte", "gigabytes"),
    "TB": ("terabyte", "terabytes"),
    "h": ("hour", "hours"),
    "min": ("minute", "minutes"),
}

# Abbreviations that may end a sentence keep a full stop after expansion, so splitting still works.
_MAY_END_SENTENCE: Final = frozenset({"etc.", "Inc.", "Ltd.", "Co.", "Jr.", "Sr."})


def _stop_kept(m: re.Match[str], spoken: str) -> str:
    """``spoken`` plus a full stop when the match swallowed one that also ended the sentence
    ("... at 9 a.m. The next"), so sentence splitting still sees it."""
    if m[0].endswith(".") and re.match(r"\s+[A-Z\"'“]|\s*$", m.string[m.end() :]):
        return spoken + "."
    return spoken


def _time(h: int, m: int, ampm: str | None, seconds: int = 0) -> str:
    """A clock time: "nine oh five", "ten thirty P M"; a whole hour of the 24-hour clock is
    "fourteen hundred" (never "fourteen o'clock"), 00:00 and 24:00 "midnight"."""
    hour = number_words(str(h))
    if m == 0 and not ampm and h in (0, 24) and not seconds:
        return "midnight"
    if m == 0:
        spoken = hour if ampm else f"{hour} hundred" if h > 12 else f"{hour} o'clock"
    elif m < 10:
        spoken = f"{hour} oh {number_words(str(m))}"
    else:
        spoken = f"{hour} {number_words(str(m))}"
    if seconds:
        spoken += f" and {number_words(str(seconds))} second" + ("" if seconds == 1 else "s")
    if ampm:
        spoken += " " + " ".join(ampm.replace(".", "").upper())
    return spoken


def _plural(words: str) -> str:
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


def _numeric_date(m: re.Match[str]) -> str:
    """A numeric date (see ``_calendar``): a sure one in the order printed ("March twelfth,
    twenty twenty five"; 25/12/2025 "the twenty-fifth of December, twenty twenty five"), an
    unsure one as its numbers ("twelve, three, twenty twenty five")."""
    date = read_date(m)
    if isinstance(date, SureDate):
        if date.day_first:
            return f"the {ordinal_words(str(date.day))} of {MONTHS[date.month - 1]}, " + (
                year_words(date.year)
            )
        return _date(date.month, date.day, date.year)
    if isinstance(date, UnsureDate):
        return say_unsure(date, lambda n: number_words(str(n)), year_words)
    return m[0]


def _date(month: int, day: int, year: int | None) -> str:
    spoken = f"{MONTHS[month - 1]} {ordinal_words(str(day))}"
    return f"{spoken}, {year_words(year)}" if year else spoken


def _month_index(name: str) -> int:
    key = name[:3].lower()
    return next(i for i, m in enumerate(MONTHS) if m[:3].lower() == key) + 1


_MONTH_VALUE: Final = rf"\b({_MONTH_RE})\.? ({NUM})(?![\w%]|[.,]\d)"
_MONTH_VALUES: Final = re.compile(rf"{_MONTH_VALUE}(?:[,;] {_MONTH_VALUE})*")


def _can_be_day(numeral: str) -> bool:
    return numeral.isdigit() and 1 <= int(numeral) <= 31


def _month_values(m: re.Match[str]) -> str:
    """Months with numbers that cannot all be days are a chart's categories and values
    ("Mar 58"; "Jan 25, Feb 40, Mar 95"): every pair is then a month and a value, so one list
    is not heard half as dates ("January twenty-fifth, February forty"). Days, and a lone
    month with a year ("March 2024"), are left to the date and year rules."""
    pairs = re.findall(_MONTH_VALUE, m[0])
    if all(_can_be_day(n) for _, n in pairs):
        return m[0]
    if len(pairs) == 1 and re.fullmatch(r"1[1-9]\d\d|20\d\d", pairs[0][1]):
        return m[0]
    seps = re.findall(r"\d([,;]) ", m[0])
    said = [f"{MONTHS[_month_index(name) - 1]} {number_words(n)}" for name, n in pairs]
    return said[0] + "".join(f"{sep} {one}" for sep, one in zip(seps, said[1:], strict=True))


Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]

_EN_RULES: Final[list[Rule]] = [
    (_MONTH_VALUES, _month_values),
    # Numeric dates first, before the numbers inside them are read one by one.
    (DATE, _numeric_date),
    # A range ("10-12", "10–12 people", "2019-2020", "3-4 pm", "9:00-17:30"); a score ("won
    # 2-1") is said with "to" as well. Before the rules that then read its numbers as days,
    # times, money, percentages or units.
    (
        re.compile(
            rf"(?<![\w.,/:–-])({_RANGE_END})(?:-|\s?–\s?)(?!0\d)({_RANGE_END})(?![\d/:–-]|[.,]\d)"
        ),
        lambda m: f"{m[1]} to {m[2]}",
    ),
    (
        re.compile(
            rf"\b({_MONTH_RE})\.? (3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?:,? (\d{{4}}))?\b"
            r"(?![.,]\d)"
        ),
        lambda m: _date(_month_index(m[1]), int(m[2]), int(m[3]) if m[3] else None),
    ),
    (
        re.compile(
            rf"\b(3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)? ({_MONTH_RE})\.?(?:,? (\d{{4}}))?\b"
        ),
        lambda m: (
            "the "
            + ordinal_words(m[1])
            + f" of {MONTHS[_month_index(m[2]) - 1]}"
            + (f", {year_words(int(m[3]))}" if m[3] else "")
        ),
    ),
    # A month abbreviation that is no English word ("Apr" is otherwise heard as a word), and
    # one that is ("Mar", "Jan") where a colon says it is a category ("Mar: 58").
    (
        re.compile(
            r"(?<![\w.])(?:(Feb|Apr|Aug|Sept?|Oct|Nov|Dec)\.?(?!\w)|(Jan|Mar|Jun|Jul)(?=:))"
        ),
        lambda m: _stop_kept(m, MONTHS[_month_index(m[1] or m[2]) - 1]),
    ),
    (
        re.compile(
            r"(?<![\d.,:])([01]?\d|2[0-3]|24(?=:00)):([0-5]\d)(?::([0-5]\d))?(?![\d:]|[.,]\d)"
            r"(?:\s*([ap]\.?m\.?)(?=\W|$))?",
            re.IGNORECASE,
        ),
        lambda m: _stop_kept(m, _time(int(m[1]), int(m[2]), m[4], int(m[3] or 0))),
    ),
    (
        re.compile(r"\b(1[0-2]|[1-9])\s*([ap]\.?m\.?)(?=\W|$)", re.IGNORECASE),
        lambda m: _stop_kept(m, _time(int(m[1]), 0, m[2])),
    ),
    (
        re.compile(
            rf"(?:(?<![\w.])([-−]))?(?:([$€£¥])|\b({_CODES})) ?({_MONEY_NUM})"
            rf"(?:\s?({'|'.join(SCALES)})\b)?"
        ),
        lambda m: (
            ("minus " if m[1] else "")
            + money(m[2] or _CURRENCY_CODES[m[3]], _decimal_point(m[4]), m[5])
        ),
    ),
    (
        re.compile(rf"(?<![\w.,])({_MONEY_NUM}) ?(?:([$€£¥])|({_CODES})\b)"),
        lambda m: money(m[2] or _CURRENCY_CODES[m[3]], _decimal_point(m[1]), None),
    ),
    (re.compile(rf"({NUM})\s?%"), lambda m: f"{number_words(m[1])} percent"),
    (re.compile(r"\b(\d+)(?:st|nd|rd|th)\b"), lambda m: ordinal_words(m[1])),
    (
        re.compile(
            rf"(?<![\w.])({NUM})\s?("
            + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
            + r")(?![\w/])"
        ),
        lambda m: f"{number_words(m[1])} {_UNITS[m[2]][0 if m[1] == '1' else 1]}",
    ),
    (re.compile(r"\bNo\.\s?(?=\d)"), lambda m: "number "),
    # Dr. before a name is a title; elsewhere ("Elm Dr.") a street.
    (re.compile(r"\bDr\.(?=\s+[A-Z])"), lambda m: "Doctor"),
    (re.compile(r"\bDr\."), lambda m: "Drive"),
    (re.compile(r"\bSt\.(?=\s+[A-Z])"), lambda m: "Saint"),
    (re.compile(r"\bSt\."), lambda m: "Street"),
    (
        re.compile(r"(?<![\w.])(" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + ")"),
        lambda m: (
            _stop_kept(m, _ABBREVIATIONS[m[1]])
            if m[1] in _MAY_END_SENTENCE
            else _ABBREVIATIONS[m[1]]
        ),
    ),
    # Decades: "the 1990s", "the '80s", "in her 30s" -> "the nineteen nineties", "the
    # eighties", "in her thirties"; a bare "30s" may be thirty seconds, and is left alone.
    (
        re.compile(r"(?<![\w.,])(?:(1[1-9]\d0|20\d0)|['’]([1-9]0))s\b"),
        lambda m: _plural(year_words(int(m[1])) if m[1] else number_words(m[2])),
    ),
    (
        re.compile(r"(?i)\b((?:the|early|late|his|her|their|your|my|our) |mid-)([1-9]0)s\b"),
        lambda m: m[1] + _plural(number_words(m[2])),
    ),
    # A plain four-digit number from 1100 to 2099 is most often a year ("in 1999").
    (re.compile(r"(?<![\d.,])(1[1-9]\d\d|20\d\d)(?![\d.,]\d)"), lambda m: year_words(int(m[1]))),
    (re.compile(r"(?<![\w.])[-−](?=\d)"), lambda m: "minus "),
    # A version or an IP address ("1.2.3", "192.168.1.1"): each part a number, "point" between.
    (
        re.compile(r"(?<![\w.])\d+(?:\.\d+){2,}(?![\w]|\.\d)"),
        lambda m: " point ".join(number_words(part) for part in m[0].split(".")),
    ),
    (re.compile(rf"(?<![\w.])({NUM})(?![\d])"), lambda m: number_words(m[1])),
    (re.compile(r"\s&\s"), lambda m: " and "),
]


def normalize_en(text: str) -> str:
    text = phone_numbers(say_addresses(text, ADDRESS_MARKS["en"]), "en", "en")
    for pattern, repl in _EN_RULES:
        text = pattern.sub(repl, text)
    return text
