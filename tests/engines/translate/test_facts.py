"""A translated description keeps its facts: numbers, dates, codes, URLs and quoted text keep
their values and month names become month names, through the real offline translators."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest

from seesay.engines.translate.apertium import ApertiumEngine
from seesay.engines.translate.facts import protect, restore, translate_text_keeping_facts
from seesay.engines.translate.fast import FastTranslateEngine
from seesay.engines.translate.settings import ApertiumSettings

CHART = "This is a chart. January 25, May 58, June 180. The highest value is 180, in June."
SIGN = 'This is a sign. It reads "ROAD CLOSED", "8AM-6PM". Mostly red and gray, in even light.'
CODE = "It is a QR code with the web address https://example.org/a?b=1, open on Monday 12 May."


@pytest.fixture(scope="module")
def fast() -> Iterator[FastTranslateEngine]:
    engine = FastTranslateEngine()
    engine.load()
    yield engine
    engine.unload()


def numbers(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def test_facts_become_placeholders_and_come_back() -> None:
    masked = protect(CHART, "pt")
    bare = re.sub(r"\[\d+\]", "", masked.text)
    assert not re.search(r"\d|January|May|June", bare), masked.text
    assert restore(masked.text, masked) == CHART.replace("January", "Janeiro").replace(
        "May", "maio"
    ).replace("June", "junho")
    # A placeholder lost or doubled by the translator is caught, never restored wrongly.
    assert restore(masked.text.replace("[2]", ""), masked) is None
    assert restore(masked.text + " [2]", masked) is None
    # "May" the verb stays a word for the translator; "May" by a number is the month.
    assert "May" not in protect("Opens May 5.", "pt").text
    assert protect("It may rain. May I help?", "pt").text == "It may rain. May I help?"
    # Text that already holds "[1]" never clashes with a placeholder.
    odd = protect('It reads "[1] 5".', "pt")
    assert restore(odd.text, odd) == 'It reads "[1] 5".'


def test_en_to_pt_keeps_numbers_codes_urls_quotes_and_names_months(
    fast: FastTranslateEngine,
) -> None:
    def pt(text: str) -> str:
        return fast.translate(text, "en", "pt").text

    chart = translate_text_keeping_facts(pt, CHART, "pt")
    assert numbers(chart) == numbers(CHART), chart
    for month in ("janeiro", "maio", "junho"):
        assert month in chart.lower(), chart
    assert "pode" not in chart
    sign = translate_text_keeping_facts(pt, SIGN, "pt")
    assert '"ROAD CLOSED", "8AM-6PM"' in sign, sign
    assert "vermelho" in sign  # the rest is Portuguese
    code = translate_text_keeping_facts(pt, CODE, "pt")
    assert "https://example.org/a?b=1" in code, code
    assert "segunda-feira" in code
    assert "maio" in code
    people = "There are three people: two on the left and one in the middle."
    placed = translate_text_keeping_facts(pt, people, "pt")
    assert "no meio" in placed, placed
    assert "não" not in placed  # "não meio" would say "not in the middle"
    # Control: the same translator, unprotected, breaks the URL and turns May 58 into a date.
    assert "https://example.org/a?b=1" not in pt(CODE)
    assert pt("May 58.") != "Maio 58."
    assert "não" in pt(people)


@pytest.mark.skipif(not shutil.which("apertium"), reason="scripts/ensure-system-packages.sh")
def test_en_to_es_with_apertium_keeps_them_too() -> None:
    engine = ApertiumEngine(ApertiumSettings())
    engine.load()

    def es(text: str) -> str:
        return engine.translate(text, "en", "es").text

    chart = translate_text_keeping_facts(es, CHART, "es")
    assert numbers(chart) == numbers(CHART), chart
    assert "mayo" in chart
    assert "junio" in chart
    assert '"ROAD CLOSED", "8AM-6PM"' in translate_text_keeping_facts(es, SIGN, "es")
