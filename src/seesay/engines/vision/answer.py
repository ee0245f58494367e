"""Answering a prompt from the findings, before anything else is said.

``answer`` returns the sentence that answers the prompt and whether the findings answered it:

- a reading part (codes, charts, layout) is asked first: it knows its own content best;
- then the built-in topics: read the text (sign, page, screen), count the people, the colors,
  the light, the safety verdict, what the main subject is;
- a question about codes or charts that no reading answered is said plainly ("I found no QR
  code or barcode in this image."), as is any other question the findings cannot answer;
- a part that did not look is said to be unavailable, never taken for an absence."""

from __future__ import annotations

import re
from typing import Final

from seesay.engines.vision.findings import Findings
from seesay.engines.vision.kind import image_kind
from seesay.engines.vision.sentences import (
    MISSING,
    count_people,
    join,
    people_sentence,
    quote_lines,
    said_subject,
)

__all__ = ["Answer", "answer"]

Answer = tuple[str | None, str | None, bool]  # (sentence, topic it covers, answered)

_PEOPLE: Final = re.compile(
    r"\b(people|persons?|faces?|humans?|men|women|kids|children|anyone|anybody|someone)\b"
)
_COUNT: Final = re.compile(r"\b(how many|count|number of|is there|are there|any)\b")
_TEXT: Final = re.compile(
    r"\b(read|text|written|writing|says?|words?|sign|caption|label|page|document|screen|"
    r"letter|menu|title)\b"
)
_CODE: Final = re.compile(r"\b(qr|bar ?codes?)\b")
_LINK: Final = re.compile(r"\b(codes?|links?|url|web ?address)\b")
_CHART: Final = re.compile(
    r"\b(chart|graph|bars?|plot|axis|highest|lowest|largest|smallest|trend|values?)\b"
)
_COLOR: Final = re.compile(r"\bcolou?rs?\b")
_SAFETY: Final = re.compile(r"\b(safe|nsfw|explicit|nudity|appropriate)\b")
_LIGHT: Final = re.compile(r"\b(bright|dark|light|lighting|lit)\b")
_SUBJECT: Final = re.compile(r"\b(what|which|main|object|subject|animal|thing|who|show)\b")
_IS_THERE: Final = re.compile(
    r"^\s*(?:is there|are there|is this|is it|is that|does it show|do you see|can you see)\s+"
    r"(?P<thing>(?:an?|any|some|the)\s+[a-z][a-z -]{1,40}?)"
    r"\s*(?:in (?:it|the \w+|this \w+))?\??\s*$"
)
_QUESTION: Final = re.compile(r"\?\s*$|^\s*(is|are|does|do|can|could|was|were|will|has|have)\b")
_LIGHTING: Final[dict[str, str]] = {
    "dark": "It is dark.",
    "dim": "It is dimly lit.",
    "normal": "It is evenly lit.",
    "bright": "It is brightly lit.",
}


def _words(name: str) -> set[str]:
    return {w.removesuffix("s") for w in re.findall(r"[a-z]+", name.lower())}


def _is_there(thing: str, f: Findings, lead: str) -> Answer:
    """ "Is there a dog?": yes (hedged as the subject is) when the said subject or its group
    names it; otherwise that it cannot be told, since a thousand classes never prove absence."""
    asked = _words(thing) - {"a", "an", "the", "any", "some"}
    subject = said_subject(f)
    if asked and subject is not None:
        named = _words(subject.label) | _words(subject.noun) | _words(subject.group or "")
        if asked <= named:
            yes = {"": "Yes.", "probably": "Probably.", "possibly": "Possibly."}[subject.hedge]
            return f"{yes} {lead}", "lead", True
    return f"I cannot tell whether there is {thing.strip()}.", None, False


def _read(f: Findings) -> Answer:
    if f.text is None:
        return MISSING["text"], "text", False
    if not f.text:
        return "I could not find any readable text in the image.", "text", True
    kind = image_kind(f)
    what = {"sign": "The sign", "document": "The page", "screenshot": "The screen"}
    return f"{what.get(kind, 'The text')} reads {quote_lines(f.text, 'detailed')}.", "text", True


def answer(prompt: str, f: Findings, said: dict[str, str]) -> Answer:
    """(sentence, topic it covers, whether the findings answer it) for ``prompt``; the
    sentence is None for an instruction ("Describe this image") that needs no answer."""
    p = prompt.lower()
    for reading in f.readings:
        if (found := reading.answer(prompt)) is not None:
            return found, f"reading:{reading.topic}", True
    if _CODE.search(p) or (_LINK.search(p) and not _TEXT.search(p)):
        if "codes" in f.looked:
            return "I found no QR code or barcode in this image.", None, True
        return "I could not look for codes: the code reader is unavailable.", None, False
    if _CHART.search(p) and image_kind(f) != "photo":
        if "charts" in f.looked:
            return "I could not find a chart in this image.", None, True
        return "I could not read the chart: the text reader is unavailable.", None, False
    if _PEOPLE.search(p) and _COUNT.search(p):
        if f.people is None:
            return MISSING["people"], "people", False
        n = f.people.people
        if not n:
            return "I don't see any people.", "people", True
        where = people_sentence(f, opening=("I", "can see"))
        return where or f"I can see {count_people(n)}.", "people", True
    if _TEXT.search(p):
        return _read(f)
    if _COLOR.search(p):
        if f.look is None:
            return MISSING["appearance"], "look", False
        colors = [name for name, _ in f.look.colors[:4]]
        if not colors:
            return None, None, False
        return f"The main colors are {join(colors)}.", "look", True
    if _SAFETY.search(p):
        if f.people is None:
            return "I could not check whether it is safe to view.", "safety", False
        return said.get("safety", "Nothing unsafe was found."), "safety", True
    if _LIGHT.search(p):
        if f.look is None:
            return MISSING["appearance"], "look", False
        return _LIGHTING[f.look.lighting], "look", True
    if (thing := _IS_THERE.search(p)) is not None and f.labels is not None:
        return _is_there(thing.group("thing"), f, said["lead"])
    if _SUBJECT.search(p):
        return said["lead"], "lead", f.labels is not None
    if _QUESTION.search(p):
        return "I cannot answer that from what I can see.", None, False
    return None, None, False
