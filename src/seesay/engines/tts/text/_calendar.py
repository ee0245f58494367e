"""Dates written in numbers (2025-03-12, 25/12/2025, 12.03.2025) said as dates where their order
is sure, and clock times (14:30) said with the hour word of languages other than English.

A numeric date's order is sure when the year comes first (ISO 2025-03-12, 2025/03/12), when one
of the first two parts cannot be a month (25/12/2025 is the 25th of December wherever it was
printed; 12/25/2025 is December 25th), or when day and month are the same number (03/03/2025).
Otherwise (12/03/2025 is the 12th of March in Europe and December 3rd in the United States) the
order is a guess, and a guess said as a date is said as a fact. Such a date is said as its
numbers in the order printed, a comma's pause between them, the year said as a year: "twelve,
three, twenty twenty five". A listener hears a date whose order they can judge from where the
receipt or letter comes from, as a sighted reader does; nothing is said that the page does not
say, and no "slash" interrupts it. A two-digit year ("12/03/25") leaves even the century and
the year's place unsure, so such a date is always said as its numbers. A date that is no day
of the calendar (2025-02-30) is left as it was written. Dots mark dates only with a four-digit
year, and two-digit years only with slashes: "1.2.25" is as likely a version number.

The languages with month names here (English, German, French, Spanish, Italian, Portuguese and
Dutch) say a sure date in their own order ("March twelfth, twenty twenty five"; "zwölfter März
zweitausendfünfundzwanzig"; "douze mars deux mille vingt-cinq"); other languages keep numeric
dates as they were.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from num2words import num2words

from seesay.engines.tts.text._numbers import base_language

__all__ = ["DATE", "MONTH_NAMES", "SureDate", "UnsureDate", "clock_times", "dates", "read_date"]

# A numeric date: ISO or year first; or day and month (either order) then the year. A dash, a
# slash or a dot, the same one twice; not inside a longer run of numbers and marks.
_EDGE_BEFORE: Final = r"(?<![\w.,/:-])"
_EDGE_AFTER: Final = r"(?![\w/:-]|[.,]\d)"
DATE: Final = re.compile(
    _EDGE_BEFORE
    + r"(?:(?P<y1>\d{4})(?P<s1>[-/.])(?P<m1>\d{1,2})(?P=s1)(?P<d1>\d{1,2})"
    + r"|(?P<a>\d{1,2})(?P<s2>[-/.])(?P<b>\d{1,2})(?P=s2)(?P<y2>\d{4})"
    + r"|(?P<a3>\d{1,2})/(?P<b3>\d{1,2})/(?P<y3>\d{2}))"
    + _EDGE_AFTER
)


@dataclass(frozen=True, slots=True)
class SureDate:
    """A day of the calendar whose order was not in doubt; ``day_first`` as printed."""

    year: int
    month: int
    day: int
    day_first: bool


@dataclass(frozen=True, slots=True)
class UnsureDate:
    """A date whose day and month could be either way round: its parts in printed order;
    ``year_at`` the index of the part that is surely a four-digit year, or None."""

    parts: tuple[str, str, str]
    year_at: int | None


def _on_calendar(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def read_date(m: re.Match[str]) -> SureDate | UnsureDate | None:
    """What a ``DATE`` match says: a sure date, an unsure one, or None (no day of the calendar:
    left as written)."""
    if m["y1"]:
        y, mo, d = int(m["y1"]), int(m["m1"]), int(m["d1"])
        return SureDate(y, mo, d, False) if _on_calendar(y, mo, d) else None
    if m["a3"]:
        a, b = int(m["a3"]), int(m["b3"])
        if a > 31 or b > 31 or not (a <= 12 or b <= 12):
            return None
        return UnsureDate((m["a3"], m["b3"], m["y3"]), None)
    a, b, y = int(m["a"]), int(m["b"]), int(m["y2"])
    fits_dm = _on_calendar(y, b, a)
    fits_md = _on_calendar(y, a, b)
    if fits_dm and fits_md and a != b:
        return UnsureDate((m["a"], m["b"], m["y2"]), 2)
    if fits_dm:
        return SureDate(y, b, a, True)
    if fits_md:
        return SureDate(y, a, b, False)
    return None


MONTH_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "de": (
        *("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August"),
        *("September", "Oktober", "November", "Dezember"),
    ),
    "fr": (
        *("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"),
        *("septembre", "octobre", "novembre", "décembre"),
    ),
    "es": (
        *("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto"),
        *("septiembre", "octubre", "noviembre", "diciembre"),
    ),
    "it": (
        *("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto"),
        *("settembre", "ottobre", "novembre", "dicembre"),
    ),
    "pt": (
        *("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto"),
        *("setembro", "outubro", "novembro", "dezembro"),
    ),
    "nl": (
        *("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus"),
        *("september", "oktober", "november", "december"),
    ),
}

# German ordinals take the case of the words before them: "am zwölften März", "der zwölfte
# März", and alone (a date line on a receipt) "zwölfter März".
_DE_DATIVE: Final = re.compile(r"(?i)\b(?:am|vom|zum|dem|beim|seit dem|bis zum)\s*$")
_DE_ARTICLE: Final = re.compile(r"(?i)\b(?:der|die|den)\s*$")
_DAY_ONE: Final = {"fr": "premier", "it": "primo", "pt": "primeiro"}


def _year(year: int, lang: str) -> str:
    try:
        return str(num2words(year, lang=lang, to="year"))
    except NotImplementedError:
        return str(num2words(year, lang=lang))


def say_sure(date: SureDate, language: str, lang: str, before: str) -> str:
    """A sure date in a language of ``MONTH_NAMES`` (not English), in its own order; ``before``
    is the text before it (German ordinals take its case)."""
    base = base_language(language)
    month = MONTH_NAMES[base][date.month - 1]
    year = _year(date.year, lang)
    if base == "de":
        day = str(num2words(date.day, lang=lang, to="ordinal"))
        if _DE_DATIVE.search(before):
            day += "n"
        elif not _DE_ARTICLE.search(before):
            day += "r"
        return f"{day} {month} {year}"
    first = _DAY_ONE.get(base) if date.day == 1 else None
    day = first or str(num2words(date.day, lang=lang))
    if base in ("es", "pt"):
        return f"{day} de {month} de {year}"
    return f"{day} {month} {year}"


def say_unsure(date: UnsureDate, number: Callable[[int], str], year: Callable[[int], str]) -> str:
    """An unsure date's numbers in printed order, a comma between, a four-digit year said as
    a year."""
    return ", ".join(
        year(int(p)) if i == date.year_at else number(int(p)) for i, p in enumerate(date.parts)
    )


# "12. März 2025", "1. Mai": a German day is an ordinal written with a dot.
_DE_DAY_MONTH: Final = re.compile(
    r"(?<![\w.,])(3[01]|[12]\d|0?[1-9])\. (" + "|".join(MONTH_NAMES["de"]) + r")\b(?: (\d{4})\b)?"
)


def dates(text: str, language: str, lang: str) -> str:
    """Numeric dates in ``text`` said in a language of ``MONTH_NAMES`` (``lang`` is num2words'
    name for it); text in other languages is returned as it was."""
    base = base_language(language)
    if base not in MONTH_NAMES:
        return text

    def numeric(m: re.Match[str]) -> str:
        date = read_date(m)
        if isinstance(date, SureDate):
            return say_sure(date, language, lang, m.string[: m.start()])
        if isinstance(date, UnsureDate):
            return say_unsure(
                date, lambda n: str(num2words(n, lang=lang)), lambda n: _year(n, lang)
            )
        return m[0]

    text = DATE.sub(numeric, text)
    if base != "de":
        return text

    def worded(m: re.Match[str]) -> str:
        month = MONTH_NAMES["de"].index(m[2]) + 1
        said = say_sure(SureDate(2000, month, int(m[1]), True), language, lang, text[: m.start()])
        said = said.rsplit(" ", 1)[0]  # without the placeholder year
        return f"{said} {_year(int(m[3]), lang)}" if m[3] else said

    return _DE_DAY_MONTH.sub(worded, text)


# Clock times: (said after a whole hour of one, after other whole hours, between hour and
# minutes). The hour is counted in feminine words where the language's hour is feminine
# ("une heure", "duas horas", "ein Uhr").
_CLOCK: Final[dict[str, tuple[str, str, str]]] = {
    "de": ("Uhr", "Uhr", " Uhr "),
    "fr": ("heure", "heures", " heures "),
    "nl": ("uur", "uur", " uur "),
    "es": ("en punto", "en punto", " y "),
    "it": ("in punto", "in punto", " e "),
    "pt": ("hora", "horas", " e "),
}
_FEMININE_HOURS: Final[dict[str, dict[int, str]]] = {
    "de": {1: "ein"},
    "fr": {1: "une", 21: "vingt et une"},
    "es": {1: "una", 21: "veintiuna"},
    "it": {1: "una"},
    "pt": {1: "uma", 2: "duas", 21: "vinte e uma", 22: "vinte e duas"},
}
_TIME: Final = re.compile(r"(?<![\w.,:])([01]?\d|2[0-3]|24(?=:00)):([0-5]\d)(?![\d:]|[.,]\d)")


def clock_times(text: str, language: str, lang: str) -> str:
    """Clock times ("14:30") said with the language's hour word ("vierzehn Uhr dreißig",
    "quatorze heures trente"); a colon between two numbers is otherwise read as nothing."""
    base = base_language(language)
    if base not in _CLOCK:
        return text
    one, many, between = _CLOCK[base]

    def say(m: re.Match[str]) -> str:
        h, mins = int(m[1]), int(m[2])
        hour = _FEMININE_HOURS.get(base, {}).get(h) or str(num2words(h, lang=lang))
        if mins == 0:
            return f"{hour} {one if h == 1 else many}"
        return f"{hour}{between}{num2words(mins, lang=lang)}"

    return _TIME.sub(say, text)
