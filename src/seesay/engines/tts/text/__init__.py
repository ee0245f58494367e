"""Text preparation for speech: say numbers, money, dates and abbreviations as words, and cut long
text into sentences.

``normalize(text, language)`` rewrites what a synthesizer would otherwise read digit by digit or
letter by letter. English gets the full treatment: currency ($3.50 -> "three dollars and fifty
cents", EUR and GBP too, before or after the amount, as a sign or a code), percentages, ranges
("10-12" -> "ten to twelve"), ordinals (21st), decades (1990s), clock times (9:05 am, 14:00
"fourteen hundred"), dates (2024-03-15, 25/12/2024, March 15, 2024; a numeric date whose day
and month could be either way round, 12/03/2024, is said as its numbers, see ``_calendar``; a
month with a number that cannot be a day, or a list of such pairs, is a chart's category and
value: "Mar 58" -> "March fifty-eight"), years, decimals (every digit after the point: "2.50"
"two point five zero"), grouped thousands, units after numbers (5 km, 3 kg), common
abbreviations (Dr., Mr., St., etc., e.g.) and web and e-mail addresses as a screen reader says
them ("example dot com slash menu", "name at example dot com", no "https://"). German, French,
Spanish, Italian, Portuguese and Dutch say an address's dots, slashes and at signs in their
words, and numeric dates and clock times too ("zwölfter März zweitausendfünfundzwanzig",
"vierzehn Uhr dreißig"); other languages keep an address as written, its digits unread. Other
languages get numbers, decimals, percentages and currency through ``num2words`` where it
supports the language; text in any other language is returned unchanged (the engines' own
front ends then read what they can). Japanese is left alone: Kokoro's Japanese front end reads
digits itself.

``split_sentences(text, language)`` cuts at sentence ends (and, for a sentence longer than
``max_chars``, at clause marks, then at spaces), so each piece can be synthesized and streamed
on its own.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from seesay.engines.tts.text._addresses import ADDRESS_MARKS, say_addresses, split_addresses
from seesay.engines.tts.text._calendar import clock_times, dates
from seesay.engines.tts.text._english import normalize_en
from seesay.engines.tts.text._numbers import base_language, n2w_lang, numbers_other
from seesay.engines.tts.text._sentences import split_sentences

__all__ = ["normalize", "split_sentences"]


def normalize(text: str, language: str) -> str:
    """Rewrite ``text`` so a synthesizer says what a reader would; ``language`` is BCP-47."""
    text = re.sub(r"\s+", " ", _speakable(text)).strip()
    base = base_language(language)
    if base == "en":
        return normalize_en(text)
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


def _normalize_other(text: str, language: str) -> str:
    lang = n2w_lang(language)
    if lang is None:
        return text
    base = base_language(language)
    if base in ADDRESS_MARKS:
        return _numbers_said(say_addresses(text, ADDRESS_MARKS[base]), language, lang)
    # An address this module cannot say in the language keeps its digits as written.
    parts = split_addresses(text)
    return "".join(
        part if i % 2 else _numbers_said(part, language, lang) for i, part in enumerate(parts)
    )


def _numbers_said(text: str, language: str, lang: str) -> str:
    """Dates, then clock times, then every other number: each before its digits are read."""
    return numbers_other(clock_times(dates(text, language, lang), language, lang), language, lang)
