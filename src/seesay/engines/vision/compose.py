"""Turn perception findings into what a listener hears, at three detail levels.

Contract (tested): ``brief`` is 1-2 sentences, ``standard`` 2-3, ``detailed`` at least as many
as ``standard``; ``detailed`` adds content (every line of text, a second guess, each reading's
full content), never metadata. A prompt the findings can answer is answered first; one they
cannot answer is said so in one sentence; the description follows within the level's budget.
Nothing said carries a score, a pixel size or the name of a model (see ``sentences``).

The pieces: ``subject`` (how sure the main subject is), ``kind`` (photo, document, sign...),
``sentences`` (one sentence per topic), ``answer`` (prompts), and ``findings.Reading`` (the
seam where codes, charts and document layout plug in their own sentences).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from seesay.engines.base import Detail
from seesay.engines.vision.answer import answer
from seesay.engines.vision.findings import Findings, Reading
from seesay.engines.vision.sentences import topics
from seesay.engines.vision.subject import CONFIDENT, POSSIBLE, Subject, find_subject, with_article

__all__ = [
    "CONFIDENT",
    "POSSIBLE",
    "Composed",
    "Findings",
    "Reading",
    "Subject",
    "compose",
    "find_subject",
    "with_article",
]

_MAX_SENTENCES: Final[dict[str, int]] = {"brief": 2, "standard": 3, "detailed": 99}
# Topic order per level; "readings" stands for every reading part's key, in their order.
_ORDER: Final[dict[str, tuple[str, ...]]] = {
    "brief": ("lead", "text", "readings", "safety", "people", "missing"),
    "standard": ("lead", "text", "readings", "safety", "people", "look", "missing"),
    "detailed": ("lead", "people", "text", "readings", "also", "look", "safety", "missing"),
}


@dataclass(frozen=True, slots=True)
class Composed:
    """What is said (``text``), whether the prompt was answered from the findings, and the
    exact strings read out (text lines, codes) for surfaces that list them (markdown)."""

    text: str
    answered: bool
    read_out: list[str] = field(default_factory=list)


def _ordered(said: dict[str, str], detail: Detail) -> list[str]:
    keys: list[str] = []
    for topic in _ORDER[detail]:
        if topic == "readings":
            keys += [k for k in said if k.startswith("reading:")]
        elif topic in said:
            keys.append(topic)
    return keys


def compose(f: Findings, detail: Detail, prompt: str | None) -> Composed:
    """The description of ``f`` at ``detail``, answering ``prompt`` first."""
    said = topics(f, detail)
    keys = _ordered(said, detail)
    if "missing" in said and "missing" not in keys[: _MAX_SENTENCES[detail]]:
        keys = [k for k in keys if k != "missing"]
        keys.insert(1, "missing")  # unavailable parts are said within the budget
    picked = [said[k] for k in keys]
    answered = False
    if prompt and prompt.strip():
        sentence, topic, answered = answer(prompt, f, said)
        if sentence is not None:
            covered = {sentence, said.get(topic or "", "")}
            if topic == "people" and "people" not in said:
                covered.add(said["lead"])  # the lead said the people: the answer repeats it
            picked = [sentence, *(s for s in picked if s not in covered)]
    picked = picked[: _MAX_SENTENCES[detail]]
    if detail == "standard" and len(picked) < 2 and said.get("look") not in picked:
        picked += [said["look"]] if "look" in said else []
    return Composed(" ".join(picked), answered, _read_out(f))


def _read_out(f: Findings) -> list[str]:
    out: list[str] = []
    for reading in f.readings:
        out += reading.read_out()
    if f.text and not any(r.topic == "text" for r in f.readings):
        out = [line.text for line in f.text] + out
    return out
