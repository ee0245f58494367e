"""Text preparation for speech: say numbers, money, dates and abbreviations as words, and cut long
text into sentences.

``normalize(text, language)`` rewrites what a synthesizer would otherwise read digit by digit or
letter by letter. English gets the full treatment: currency ($3.50 -> "three dollars and fifty
cents", EUR and GBP too), percentages, ordinals (21st), clock times (9:05 am), dates
(2024-03-15, March 15, 2024; a month with a number that cannot be a day, or a list of such
pairs, is a chart's category and value: "Mar 58" -> "March fifty-eight"), years, decimals,
grouped thousands, units after numbers (5 km, 3 kg), common abbreviations (Dr., Mr., St., etc.,
e.g.) and web and e-mail addresses as a screen reader says them ("example dot com slash menu",
"name at example dot com", no "https://"). German, French, Spanish, Italian, Portuguese and
Dutch say an address's dots, slashes and at signs in their words; other languages keep an
address as written, its digits unread. Other languages get numbers, decimals, percentages and
currency through ``num2words`` where it supports the language; text in any other language is
returned unchanged (the engines' own front ends then read what they can). Japanese is left
alone: Kokoro's Japanese front end reads digits itself.

``split_sentences(text, language)`` cuts at sentence ends (and, for a sentence longer than
``max_chars``, at clause marks, then at spaces), so each piece can be synthesized and streamed
on its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Final

from num2words import CONVERTER_CLASSES, num2words

__all__ = ["normalize", "split_sentences"]

_MONTHS: Final = [
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
]
_MONTH_RE: Final = "|".join(_MONTHS + [m[:3] for m in _MONTHS if len(m) > 3] + ["Sept"])

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
# Abbreviations that may end a sentence keep a full stop after expansion, so splitting still works.
_MAY_END_SENTENCE: Final = frozenset({"etc.", "Inc.", "Ltd.", "Co.", "Jr.", "Sr."})

_SCALES: Final = ("thousand", "million", "billion", "trillion")
_NUM: Final = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SENTENCE_END: Final = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)\]]))\s+|(?<=[。！？])\s*")
_CLAUSE_END: Final = re.compile(r"(?<=[,;:、，；])\s+")


def _base(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def _n2w_lang(language: str) -> str | None:
    """The num2words converter for a BCP-47 tag (pt-BR -> pt_BR), or None if unsupported."""
    parts = language.replace("_", "-").split("-")
    if len(parts) > 1 and f"{parts[0].lower()}_{parts[1].upper()}" in CONVERTER_CLASSES:
        return f"{parts[0].lower()}_{parts[1].upper()}"
    return parts[0].lower() if parts[0].lower() in CONVERTER_CLASSES else None


# A numeral with more digits than this (an id, a card or phone number, or a hostile 400-digit
# string) is read digit by digit: num2words overflows past its largest scale word (10**27 in
# some languages) and ``int()`` refuses over 4300 digits.
_MAX_WORDED_DIGITS: Final = 15


def _too_long(numeral: str) -> bool:
    return sum(ch.isdigit() for ch in numeral) > _MAX_WORDED_DIGITS


def _digit_by_digit(numeral: str, lang: str, decimal_mark: str) -> str:
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


def _number(text: str, lang: str = "en") -> str:
    """Read a numeral such as "1,234" or "3.14" (a '.' decimal point) as words."""
    if _too_long(text):
        return _digit_by_digit(text, lang, ".")
    clean = text.replace(",", "")
    value: int | float = float(clean) if "." in clean else int(clean)
    words = num2words(value, lang=lang)
    return str(words).replace(",", "")


def _ordinal(numeral: str) -> str:
    if _too_long(numeral):
        return _digit_by_digit(numeral, "en", ".")
    return str(num2words(int(numeral), to="ordinal"))


def _year(n: int) -> str:
    return str(num2words(n, to="year")).replace("-", " ")


def _money(sym: str, amount: str, scale: str | None) -> str:
    """English money: "$3.50" -> "three dollars and fifty cents"; "$2.5 million" ->
    "two point five million dollars"; "$0.99" -> "ninety-nine cents"."""
    _code, one, many, cent, cents = _CURRENCIES[sym]
    clean = amount.replace(",", "")
    if scale:
        return f"{_number(amount)} {scale} {many}"
    if _too_long(amount):
        return f"{_number(amount)} {many}"
    major_s, _, minor_s = clean.partition(".")
    major = int(major_s or "0")
    minor = int((minor_s + "00")[:2]) if minor_s else 0
    parts = []
    if major or not minor:
        parts.append(f"{_number(str(major))} {one if major == 1 else many}")
    if minor:
        parts.append(f"{_number(str(minor))} {cent if minor == 1 else cents}")
    return " and ".join(parts)


def _stop_kept(m: re.Match[str], spoken: str) -> str:
    """``spoken`` plus a full stop when the match swallowed one that also ended the sentence
    ("... at 9 a.m. The next"), so sentence splitting still sees it."""
    if m[0].endswith(".") and re.match(r"\s+[A-Z\"'“]|\s*$", m.string[m.end() :]):
        return spoken + "."
    return spoken


def _time(h: int, m: int, ampm: str | None) -> str:
    hour = _number(str(h))
    if m == 0:
        spoken = hour if ampm else f"{hour} o'clock"
    elif m < 10:
        spoken = f"{hour} oh {_number(str(m))}"
    else:
        spoken = f"{hour} {_number(str(m))}"
    if ampm:
        spoken += " " + " ".join(ampm.replace(".", "").upper())
    return spoken


def _date(month: int, day: int, year: int | None) -> str:
    spoken = f"{_MONTHS[month - 1]} {_ordinal(str(day))}"
    return f"{spoken}, {_year(year)}" if year else spoken


def _month_index(name: str) -> int:
    key = name[:3].lower()
    return next(i for i, m in enumerate(_MONTHS) if m[:3].lower() == key) + 1


_MONTH_VALUE: Final = rf"\b({_MONTH_RE})\.? ({_NUM})(?![\w%]|[.,]\d)"
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
    said = [f"{_MONTHS[_month_index(name) - 1]} {_number(n)}" for name, n in pairs]
    return said[0] + "".join(f"{sep} {one}" for sep, one in zip(seps, said[1:], strict=True))


# Top-level domains that make "word.tld" a web address without a scheme or "www." (the ones
# that are also common file extensions or words, such as .md or .it, need either).
_TLDS: Final = frozenset(
    (
        *("com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "io", "co", "ai"),
        *("app", "dev", "tv", "us", "uk", "de", "fr", "es", "nl", "be", "ch", "se", "dk"),
        *("fi", "pl", "pt", "ru", "jp", "cn", "br", "au", "ca", "nz", "ie", "eu", "xyz"),
        *("online", "site", "shop", "store", "blog", "news", "tech", "cloud"),
    )
)
_HOST: Final = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
_EMAIL: Final = re.compile(rf"(?<![\w.+%-])([A-Za-z0-9._%+-]*[A-Za-z0-9_%+-])@({_HOST})(?![\w@-])")
_URL: Final = re.compile(
    rf"(?<![\w@/.-])(?:(?:https?|ftp)://)?({_HOST})(:\d{{1,5}})?((?:/[^\s]*)?)(?![\w@-])",
    re.IGNORECASE,
)
_URL_TAIL: Final = re.compile(r"[.,;:!?)\]'\"”’]+$")

# How an address's marks are said, per language (screen readers' words): a language without
# an entry keeps its addresses as written, its digits untouched.
_ADDRESS_MARKS: Final[dict[str, dict[str, str]]] = {
    "en": {
        ".": "dot",
        "/": "slash",
        "@": "at",
        ":": "colon",
        "-": "dash",
        "_": "underscore",
        "?": "question mark",
        "=": "equals",
        "&": "and",
        "#": "hash",
        "%": "percent",
        "+": "plus",
        "~": "tilde",
    },
    "de": {".": "Punkt", "/": "Schrägstrich", "@": "at", ":": "Doppelpunkt"},
    "fr": {".": "point", "/": "barre oblique", "@": "arobase", ":": "deux-points"},
    "es": {".": "punto", "/": "barra", "@": "arroba", ":": "dos puntos"},
    "it": {".": "punto", "/": "barra", "@": "chiocciola", ":": "due punti"},
    "pt": {".": "ponto", "/": "barra", "@": "arroba", ":": "dois pontos"},
    "nl": {".": "punt", "/": "schuine streep", "@": "apenstaartje", ":": "dubbele punt"},
}


def _say_marks(part: str, marks: dict[str, str]) -> str:
    """``part`` of an address with each mark said as a word ("menu-2.html" -> "menu dash 2
    dot html"); a mark without a word is kept."""
    pieces = re.split(r"([^\w\s])", part)
    said = [marks.get(p, p) for p in pieces if p]
    return " ".join(p.strip() for p in said if p.strip())


def _say_host(host: str, marks: dict[str, str]) -> str:
    labels = ["w w w" if label.lower() == "www" else label for label in host.split(".")]
    return f" {marks['.']} ".join(_say_marks(label, marks) for label in labels)


def _is_address(m: re.Match[str]) -> bool:
    """A web address, not "e.g." or "end.Next": a scheme, "www." or a known domain ending."""
    host = m[1].lower()
    return "://" in m[0] or host.startswith("www.") or host.rsplit(".", 1)[-1] in _TLDS


def _say_addresses(text: str, marks: dict[str, str]) -> str:
    """Web and e-mail addresses in ``text`` said as a screen reader does: "example dot com
    slash menu", "name at example dot com"; the scheme (https://) and a last slash are left
    out, punctuation ending the sentence is kept."""

    def email(m: re.Match[str]) -> str:
        return f"{_say_marks(m[1], marks)} {marks['@']} {_say_host(m[2], marks)}"

    def url(m: re.Match[str]) -> str:
        if not _is_address(m):
            return m[0]
        path, tail = m[3], ""
        if trailing := _URL_TAIL.search(path):
            path, tail = path[: trailing.start()], trailing[0]
        said = _say_host(m[1], marks)
        if m[2]:
            said += f" {marks.get(':', ':')} {m[2][1:]}"
        path = path.rstrip("/")
        if path:
            said += " " + _say_marks(path, marks)
        return said + tail

    return _URL.sub(url, _EMAIL.sub(email, text))


Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]

_EN_RULES: Final[list[Rule]] = [
    (_MONTH_VALUES, _month_values),
    # ISO dates first, before the numbers inside them are read one by one.
    (
        re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
        lambda m: _date(int(m[2]), int(m[3]), int(m[1])),
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
            + _ordinal(m[1])
            + f" of {_MONTHS[_month_index(m[2]) - 1]}"
            + (f", {_year(int(m[3]))}" if m[3] else "")
        ),
    ),
    # A month abbreviation that is no English word ("Apr" is otherwise heard as a word), and
    # one that is ("Mar", "Jan") where a colon says it is a category ("Mar: 58").
    (
        re.compile(
            r"(?<![\w.])(?:(Feb|Apr|Aug|Sept?|Oct|Nov|Dec)\.?(?!\w)|(Jan|Mar|Jun|Jul)(?=:))"
        ),
        lambda m: _stop_kept(m, _MONTHS[_month_index(m[1] or m[2]) - 1]),
    ),
    (
        re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)(?:\s*([ap]\.?m\.?)(?=\W|$))?", re.IGNORECASE),
        lambda m: _stop_kept(m, _time(int(m[1]), int(m[2]), m[3])),
    ),
    (
        re.compile(r"\b(1[0-2]|[1-9])\s*([ap]\.?m\.?)(?=\W|$)", re.IGNORECASE),
        lambda m: _stop_kept(m, _time(int(m[1]), 0, m[2])),
    ),
    (
        re.compile(rf"([$€£¥])\s?({_NUM})(?:\s?({'|'.join(_SCALES)})\b)?"),
        lambda m: _money(m[1], m[2], m[3]),
    ),
    (re.compile(rf"({_NUM})\s?%"), lambda m: f"{_number(m[1])} percent"),
    (re.compile(r"\b(\d+)(?:st|nd|rd|th)\b"), lambda m: _ordinal(m[1])),
    (
        re.compile(
            rf"(?<![\w.])({_NUM})\s?("
            + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
            + r")(?![\w/])"
        ),
        lambda m: f"{_number(m[1])} {_UNITS[m[2]][0 if m[1] == '1' else 1]}",
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
    # A plain four-digit number from 1100 to 2099 is most often a year ("in 1999").
    (re.compile(r"(?<![\d.,])(1[1-9]\d\d|20\d\d)(?![\d.,]\d)"), lambda m: _year(int(m[1]))),
    (re.compile(r"(?<![\w.])-(?=\d)"), lambda m: "minus "),
    (re.compile(rf"(?<![\w.])({_NUM})(?![\d])"), lambda m: _number(m[1])),
    (re.compile(r"\s&\s"), lambda m: " and "),
]


def _normalize_en(text: str) -> str:
    text = _say_addresses(text, _ADDRESS_MARKS["en"])
    for pattern, repl in _EN_RULES:
        text = pattern.sub(repl, text)
    return text


def _normalize_other(text: str, language: str) -> str:
    lang = _n2w_lang(language)
    if lang is None:
        return text
    base = _base(language)
    if base in _ADDRESS_MARKS:
        return _numbers_other(_say_addresses(text, _ADDRESS_MARKS[base]), language, lang)
    # An address this module cannot say in the language keeps its digits as written.
    parts = _split_addresses(text)
    return "".join(
        part if i % 2 else _numbers_other(part, language, lang) for i, part in enumerate(parts)
    )


def _numbers_other(text: str, language: str, lang: str) -> str:
    """Numbers, money and percentages in ``text`` said in ``lang`` (num2words' name)."""
    base = _base(language)
    # Most languages but English write 3,5 for 3.5 and 1.000 for 1000.
    comma = base not in _DECIMAL_POINT
    num = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?" if comma else _NUM

    def value(numeral: str) -> float:
        if comma:
            numeral = numeral.replace(".", "").replace(",", ".")
        return float(numeral.replace(",", ""))

    def words(numeral: str) -> str:
        if _too_long(numeral):
            return _digit_by_digit(numeral, lang, "," if comma else ".")
        v = value(numeral)
        return str(num2words(int(v) if v.is_integer() else v, lang=lang))

    def money(sym: str, numeral: str, whole: str) -> str:
        if _too_long(numeral):
            return whole  # its digits are read by the number rule below
        try:
            return str(
                num2words(value(numeral), to="currency", currency=_CURRENCIES[sym][0], lang=lang)
            )
        except NotImplementedError:  # num2words lacks this currency in this language
            return whole

    text = re.sub(rf"([$€£¥])\s?({num})", lambda m: money(m[1], m[2], m[0]), text)
    text = re.sub(rf"({num})\s?([$€£¥])", lambda m: money(m[2], m[1], m[0]), text)
    percent = _PERCENT_WORD.get(base)
    if percent:
        text = re.sub(rf"({num})\s?%", lambda m: f"{words(m[1])} {percent}", text)
    return re.sub(rf"(?<![\w.,])({num})(?![\d])", lambda m: words(m[1]), text)


def _split_addresses(text: str) -> list[str]:
    """``text`` cut around its e-mail and web addresses: the odd items are the addresses."""
    spans = sorted(
        [m.span() for m in _EMAIL.finditer(text)]
        + [m.span() for m in _URL.finditer(text) if _is_address(m)]
    )
    parts: list[str] = []
    at = 0
    for start, end in spans:
        if start < at:
            continue  # the host of an e-mail address, found again as a web address
        parts += [text[at:start], text[start:end]]
        at = end
    return [*parts, text[at:]]


def normalize(text: str, language: str) -> str:
    """Rewrite ``text`` so a synthesizer says what a reader would; ``language`` is BCP-47."""
    text = re.sub(r"\s+", " ", _speakable(text)).strip()
    base = _base(language)
    if base == "en":
        return _normalize_en(text)
    if base in ("ja", "zh"):
        return text
    return _normalize_other(text, language)


_CONTROLS: Final = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_UNSPEAKABLE: Final = frozenset(("Cc", "Co", "Cn", "Cs"))


def _speakable(text: str) -> str:
    """Drop what no voice can say (control, private-use, unassigned and surrogate code points)
    and write every digit as an ASCII one: English front ends take a superscript 1 or a circled
    2 for digits, as ``str.isdigit`` does, and then fail on ``int()``, and Kokoro's Japanese
    number reader knows no Arabic-Indic or Devanagari digit. A number is said the same either
    way."""
    if text.isascii():
        return _CONTROLS.sub(" ", text)
    kept: list[str] = []
    for ch in text:
        if unicodedata.category(ch) in _UNSPEAKABLE:
            kept.append(" " if ch.isspace() or ord(ch) < 0xA0 else "")
        elif ch.isdecimal():
            kept.append(str(unicodedata.decimal(ch)))
        elif ch.isdigit():  # superscripts, circled digits: one digit each
            kept.append(str(unicodedata.digit(ch)))
        else:
            kept.append(ch)
    return "".join(kept)


def split_sentences(text: str, max_chars: int = 300) -> list[str]:
    """Cut ``text`` into sentences no longer than ``max_chars`` (long ones at clause marks, then
    at spaces); empty pieces are dropped. Joining the pieces with spaces gives the text back."""
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        sentence = sentence.strip()
        if not sentence:
            continue
        if len(sentence) <= max_chars:
            pieces.append(sentence)
            continue
        words = (w for clause in _CLAUSE_END.split(sentence) for w in _wrap(clause, max_chars))
        pieces += _pack(words, max_chars)
    return pieces


def _wrap(clause: str, max_chars: int) -> list[str]:
    """``clause`` as is, or cut at spaces when longer than ``max_chars``."""
    if len(clause) <= max_chars:
        return [clause]
    return _pack(clause.split(), max_chars)


def _pack(words: Iterable[str], max_chars: int) -> list[str]:
    """``words`` joined by spaces into as few lines as fit ``max_chars`` (a longer word
    stands alone)."""
    out: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > max_chars:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        out.append(current)
    return out
