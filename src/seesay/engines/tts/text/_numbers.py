"""Numbers said as words, in English and in every language ``num2words`` knows: integers,
decimals, ordinals, years and money; a numeral too long for words is read digit by digit."""

from __future__ import annotations

import re
from typing import Final

from num2words import CONVERTER_CLASSES, num2words

__all__ = [
    "NUM", "SCALES", "base_language", "digit_by_digit", "money", "n2w_lang", "number_words",
    "numbers_other", "ordinal_words", "phone_numbers", "too_long", "year_words",
]  # fmt: skip

# Currency symbols: (ISO code, major singular, major plural, minor singular, minor plural).
_CURRENCIES: Final[dict[str, tuple[str, str, str, str, str]]] = {
    "$": ("USD", "dollar", "dollars", "cent", "cents"),
    "€": ("EUR", "euro", "euros", "cent", "cents"),
    "£": ("GBP", "pound", "pounds", "penny", "pence"),
    "¥": ("JPY", "yen", "yen", "sen", "sen"),
}

_PERCENT_WORD: Final[dict[str, str]] = {
    "en": "percent",
    "es": "por ciento",
    "pt": "por cento",
    "it": "per cento",
    "fr": "pour cent",
    "de": "Prozent",
    "nl": "procent",
    "ca": "per cent",
}

# Languages writing a decimal point (others write a decimal comma).
_DECIMAL_POINT: Final = frozenset(
    {"en", "ja", "zh", "ko", "he", "th", "hi", "bn", "te", "kn", "am"}
)
SCALES: Final = ("thousand", "million", "billion", "trillion")
NUM: Final = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def base_language(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def n2w_lang(language: str) -> str | None:
    """The num2words converter for a BCP-47 tag (pt-BR -> pt_BR), or None if unsupported."""
    parts = language.replace("_", "-").split("-")
    if len(parts) > 1 and f"{parts[0].lower()}_{parts[1].upper()}" in CONVERTER_CLASSES:
        return f"{parts[0].lower()}_{parts[1].upper()}"
    return parts[0].lower() if parts[0].lower() in CONVERTER_CLASSES else None


# What num2words' converters raise on what they cannot say, beyond NotImplementedError: a
# converter without ``to_currency`` (vi), one that takes no currency (pt_BR, sv, tr), bugs
# (am fails on 1234 with a TypeError, ro on pounds with an IndexError). Speech text never fails
# for them: the number is read another way.
N2W_FAILURES: Final = (
    NotImplementedError, TypeError, AttributeError, IndexError, KeyError, ValueError,
    ArithmeticError,
)  # fmt: skip

# A numeral with more digits than this (an id, a card or phone number, or a hostile 400-digit
# string) is read digit by digit: num2words overflows past its largest scale word (10**27 in
# some languages) and ``int()`` refuses over 4300 digits.
_MAX_WORDED_DIGITS: Final = 15


def too_long(numeral: str) -> bool:
    return sum(ch.isdigit() for ch in numeral) > _MAX_WORDED_DIGITS


def digit_by_digit(numeral: str, lang: str, decimal_mark: str) -> str:
    """Read ``numeral`` one digit at a time; ``decimal_mark`` is read as the language's "point",
    other separators (thousands) are dropped. Works for any length."""
    digits = [str(num2words(d, lang=lang)) for d in range(10)]
    point = getattr(CONVERTER_CLASSES.get(lang), "pointword", None) or "point"
    point = str(point[0] if isinstance(point, (tuple, list)) else point)
    words = [
        digits[int(ch)] if ch.isdigit() else point
        for ch in numeral
        if ch.isdigit() or ch == decimal_mark
    ]
    return " ".join(words)


def number_words(text: str, lang: str = "en") -> str:
    """Read a numeral such as "1,234" or "3.14" (a '.' decimal point) as words. Every digit
    after the point is said, trailing zeros too, as a screen reader says them: "2.50" is "two
    point five zero" (a price), not the "two point five" of the float it is equal to."""
    if too_long(text):
        return digit_by_digit(text, lang, ".")
    if said := decimal_words(text, ".", lang):
        return said
    words = num2words(int(text.replace(",", "")), lang=lang)
    return str(words).replace(",", "")


# The word for the decimal mark where a fraction is said digit by digit ("zwei Komma fünf
# null"); other languages (Russian) say it as a number of tenths or hundredths, by num2words.
_POINT_WORDS: Final[dict[str, str]] = {
    "en": "point",
    "de": "Komma",
    "fr": "virgule",
    "es": "punto",
    "it": "virgola",
    "pt": "vírgula",
    "nl": "komma",
}


def decimal_words(numeral: str, mark: str, lang: str) -> str | None:
    """A numeral with a fraction after ``mark`` said as its whole part, the point word, then
    each digit, zeros too: "2.50" is "two point five zero", as a screen reader says a price,
    where num2words says the float 2.5. None where the numeral has no fraction or the language
    has no point word here."""
    point = _POINT_WORDS.get(lang.split("_")[0])
    whole, has_mark, fraction = numeral.partition(mark)
    if point is None or not has_mark or not fraction.isdigit():
        return None
    whole = re.sub(r"\D", "", whole) or "0"
    digits = " ".join(str(num2words(int(d), lang=lang)) for d in fraction)
    return f"{str(num2words(int(whole), lang=lang)).replace(',', '')} {point} {digits}"


def ordinal_words(numeral: str) -> str:
    if too_long(numeral):
        return digit_by_digit(numeral, "en", ".")
    return str(num2words(int(numeral), to="ordinal"))


def year_words(n: int) -> str:
    return str(num2words(n, to="year")).replace("-", " ")


def money(sym: str, amount: str, scale: str | None) -> str:
    """English money: "$3.50" -> "three dollars and fifty cents"; "$2.5 million" ->
    "two point five million dollars"; "$0.99" -> "ninety-nine cents"."""
    _code, one, many, cent, cents = _CURRENCIES[sym]
    clean = amount.replace(",", "")
    if scale:
        return f"{number_words(amount)} {scale} {many}"
    if too_long(amount):
        return f"{number_words(amount)} {many}"
    major_s, _, minor_s = clean.partition(".")
    major = int(major_s or "0")
    minor = int((minor_s + "00")[:2]) if minor_s else 0
    parts = []
    if major or not minor:
        parts.append(f"{number_words(str(major))} {one if major == 1 else many}")
    if minor:
        parts.append(f"{number_words(str(minor))} {cent if minor == 1 else cents}")
    return " and ".join(parts)


# A telephone number: an optional "+" and country code, then three groups of digits (the first
# may stand in brackets) split by spaces, dots or dashes; or the seven-digit "555-1234".
_PHONE: Final = re.compile(
    r"(?<![\w.,+-])(?:(\+)(\d{1,3})[ .-]?)?"
    r"((?:\(\d{2,5}\)|\d{2,5})[ .-]?\d{3,4}[ .-]\d{3,4}|\d{3}-\d{4})"
    r"(?!\w|[.,-]\d)"
)
_PLUS: Final = {"en": "plus", "es": "más", "pt": "mais", "it": "più", "fr": "plus", "de": "plus"}


def phone_numbers(text: str, language: str, lang: str) -> str:
    """Telephone numbers in ``text`` read digit by digit, group by group with a pause between,
    as people read them out ("555-1234" -> "five five five, one two three four"), never as
    "five hundred and fifty-five". Groups of three digits split by spaces alone are a number's
    thousands ("12 000 000"), not a telephone number."""
    digits = [str(num2words(d, lang=lang)) for d in range(10)]

    def say(m: re.Match[str]) -> str:
        body = m[3]
        groups = re.findall(r"\d+", body)
        if not m[1] and re.fullmatch(r"\d{1,3}(?: \d{3})+", body):
            return m[0]
        said = ", ".join(" ".join(digits[int(d)] for d in g) for g in groups)
        if m[1]:
            country = " ".join(digits[int(d)] for d in m[2])
            plus = _PLUS.get(base_language(language))
            said = f"{plus} {country}, {said}" if plus else f"{country}, {said}"
        return said

    return _PHONE.sub(say, text)


def numbers_other(text: str, language: str, lang: str) -> str:
    """Numbers, money and percentages in ``text`` said in ``lang`` (num2words' name)."""
    text = phone_numbers(text, language, lang)
    base = base_language(language)
    # Most languages but English write 3,5 for 3.5 and 1.000 for 1000.
    comma = base not in _DECIMAL_POINT
    # ... and group thousands with dots or spaces (1.000, 12 000 000).
    num = r"\d{1,3}(?:[. ]\d{3})+(?:,\d+)?|\d+(?:,\d+)?" if comma else NUM

    def value(numeral: str) -> float:
        if comma:
            numeral = numeral.replace(".", "").replace(" ", "").replace(",", ".")
        return float(numeral.replace(",", ""))

    def words(numeral: str) -> str:
        if too_long(numeral):
            return digit_by_digit(numeral, lang, "," if comma else ".")
        if said := decimal_words(numeral, "," if comma else ".", lang):
            return said
        v = value(numeral)
        try:
            return str(num2words(int(v) if v.is_integer() else v, lang=lang))
        except N2W_FAILURES:  # Amharic's converter fails on 1234: read it digit by digit
            return digit_by_digit(numeral, lang, "," if comma else ".")

    def money(sym: str, numeral: str, whole: str) -> str:
        if too_long(numeral):
            return whole  # its digits are read by the number rule below
        # pt_BR, sv and tr take no currency (a TypeError), vi has no to_currency, ro fails on
        # pounds (500s, all): the base language's converter (pt) may say it, else the amount
        # is read as a number.
        for converter in dict.fromkeys((lang, base)):
            if converter not in CONVERTER_CLASSES:
                continue
            try:
                return str(
                    num2words(
                        value(numeral), to="currency", currency=_CURRENCIES[sym][0], lang=converter
                    )
                )
            except N2W_FAILURES:
                continue
        return whole

    text = re.sub(rf"([$€£¥])\s?({num})", lambda m: money(m[1], m[2], m[0]), text)
    text = re.sub(rf"({num})\s?([$€£¥])", lambda m: money(m[2], m[1], m[0]), text)
    percent = _PERCENT_WORD.get(base)
    if percent:
        text = re.sub(rf"({num})\s?%", lambda m: f"{words(m[1])} {percent}", text)
    return re.sub(rf"(?<![\w.,])({num})(?![\d])", lambda m: words(m[1]), text)
