"""Turn perception findings into plain English at three detail levels, and answer prompts.

Contract (tested): ``brief`` is 1-2 sentences, ``standard`` 2-3, ``detailed`` 3 or more. An object
is named as fact only at or above ``CONFIDENT`` probability, as "possibly ..." between
``POSSIBLE`` and ``CONFIDENT``, and never below ``POSSIBLE``. A prompt the findings can answer
(read the text, count the people, name the main object, colors, lighting, safety) is answered
first; the rest of the description follows within the level's sentence budget.

A part of the perception stack that did not look (``None`` in ``Findings``) is never read as an
absence: "I could not read text in this image" is said instead of nothing, so a listener who
cannot see the image never takes a broken text reader for a picture without text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from seesay.engines.base import Detail
from seesay.engines.vision.appearance import Appearance, orientation_of
from seesay.engines.vision.charts import Chart
from seesay.engines.vision.codes import Code
from seesay.engines.vision.efficientnet import Label
from seesay.engines.vision.people import PeopleFindings
from seesay.engines.vision.readouts import chart_answer, chart_sentence, code_sentence, codes_answer
from seesay.engines.vision.text_reader import TextLine

__all__ = [
    "CONFIDENT",
    "POSSIBLE",
    "UNAVAILABLE",
    "Findings",
    "Subject",
    "compose",
    "find_subject",
    "with_article",
]

CONFIDENT: Final = 0.5
POSSIBLE: Final = 0.2
_MAX_SENTENCES: Final[dict[str, int]] = {"brief": 2, "standard": 3, "detailed": 99}

# What is said for a part that did not look, by the topic it would have covered.
UNAVAILABLE: Final[dict[str, str]] = {
    "text": "I could not read text in this image: the text reader is unavailable.",
    "people": "I could not look for people or faces: the people detector is unavailable.",
    "safety": "I could not check the image for explicit content: the safety check is unavailable.",
    "look": "I could not analyse its colors and lighting: the color analysis is unavailable.",
}

# Coarse groups of ImageNet indices: several fine classes of one group (three cat breeds at
# 0.4/0.35/0.15) make the group itself certain even when no single breed is.
_GROUPS: Final[tuple[tuple[range, str], ...]] = (
    (range(0, 7), "fish"),
    (range(7, 25), "bird"),
    (range(25, 33), "amphibian"),
    (range(33, 69), "reptile"),
    (range(69, 80), "spider or similar creature"),
    (range(80, 101), "bird"),
    (range(127, 147), "bird"),
    (range(147, 151), "marine mammal"),
    (range(151, 269), "dog"),
    (range(269, 281), "wild dog or fox"),
    (range(281, 286), "cat"),
    (range(286, 294), "big cat"),
    (range(294, 298), "bear"),
    (range(300, 327), "insect"),
    (range(365, 385), "monkey or ape"),
    (range(389, 398), "fish"),
    (range(923, 970), "food or drink"),
    (range(970, 981), "landscape"),
    (range(984, 998), "plant or fungus"),
)


def _group(index: int) -> str | None:
    return next((name for r, name in _GROUPS if index in r), None)


def with_article(noun: str) -> str:
    """``noun`` with "a" or "an" by sound ("an espresso", "a unicycle", "an iPod")."""
    word = noun.split()[0]
    low = word.lower()
    if re.fullmatch(r"[A-Z]{2,}", word):  # acronyms are spelled out: "an MRI", "a CD"
        vowel = low[0] in "aefhilmnorsx"
    elif low.startswith(("uni", "eu", "one", "use", "ewe", "ukulele")):
        vowel = False
    elif low.startswith(("hour", "honest", "heir")):
        vowel = True
    else:
        vowel = low[0] in "aeiou"
    return f"{'an' if vowel else 'a'} {noun}"


@dataclass(frozen=True, slots=True)
class Subject:
    """What the picture mainly shows. ``phrase`` is ready to print ("a cat, most likely ...")."""

    label: str
    score: float
    certainty: str  # "high" or "possible"
    phrase: str
    group: str | None = None


def find_subject(labels: list[Label]) -> Subject | None:
    """The main subject under the confidence rules, or None when nothing is likely enough."""
    if not labels:
        return None
    top = labels[0]
    if top.score >= CONFIDENT:
        return Subject(top.name, top.score, "high", with_article(top.name), _group(top.index))
    group = _group(top.index)
    if group is not None and top.score >= POSSIBLE:
        share = sum(lb.score for lb in labels if _group(lb.index) == group)
        if share >= CONFIDENT:
            phrase = f"{with_article(group)}, possibly {with_article(top.name)}"
            return Subject(group, share, "high", phrase, group)
    if top.score >= POSSIBLE:
        phrase = f"possibly {with_article(top.name)}"
        runner = labels[1] if len(labels) > 1 else None
        if runner is not None and runner.score >= POSSIBLE / 2:
            phrase += f" or {with_article(runner.name)}"
        return Subject(top.name, top.score, "possible", phrase, group)
    return None


def _quote(lines: list[TextLine], limit: int = 160) -> str:
    text = " ".join(line.text for line in lines)
    text = text if len(text) <= limit else text[: limit - 3].rsplit(" ", 1)[0] + "..."
    # Sentence-final punctuation inside the quote would read as the end of our sentence.
    return '"' + text.rstrip(".!?") + '"'


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _people_phrase(n: int) -> str:
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    count = words[n] if n < len(words) else str(n)
    return f"{count} {'person' if n == 1 else 'people'}"


@dataclass(frozen=True, slots=True)
class Findings:
    """Everything the perception stack saw in one image. ``None`` means that part did not look
    (it is unavailable), which is not the same as an empty result."""

    labels: list[Label] | None
    subject: Subject | None
    text: list[TextLine] | None
    people: PeopleFindings | None
    look: Appearance | None
    size: tuple[int, int]
    codes: list[Code] | None = None  # boxes in the same pixels as the text's
    charts: list[Chart] | None = None

    @property
    def unavailable(self) -> tuple[str, ...]:
        """The parts that did not look: ``labels``, ``text``, ``people``, ``appearance``,
        ``codes``, ``charts``."""
        parts = (
            ("labels", self.labels),
            ("text", self.text),
            ("people", self.people),
            ("appearance", self.look),
            ("codes", self.codes),
            ("charts", self.charts),
        )
        return tuple(name for name, found in parts if found is None)

    @property
    def kind(self) -> str:
        """ "photo", "document", "screenshot", "graphic", or "image" without the appearance."""
        if self.charts:
            return "chart"
        if _main_code(self) is not None:
            return "code"
        if self.look is None:
            return "image"
        lines = len(self.text or ())
        if self.look.white_share > 0.45 and lines >= 3:
            return "document"
        if self.look.flat_share > 0.55:
            return "screenshot" if lines >= 3 else "graphic"
        return "photo"


def _sentences(f: Findings) -> dict[str, str]:
    """Every sentence the findings support, keyed by topic."""
    kind = f.kind
    noun = {"photo": "photo", "document": "document", "screenshot": "screenshot"}.get(
        kind, "picture"
    )
    out: dict[str, str] = {}
    people = f.people.people if f.people is not None else 0
    text = f.text or []
    subject = f.subject
    if f.labels is None:
        seen = ([_people_phrase(people)] if people else []) + (["text"] if text else [])
        out["subject"] = (
            f"This {noun} shows {_join(seen)}; I could not identify anything else: "
            if seen
            else f"I could not identify what this {noun} shows: "
        ) + "the object classifier is unavailable."
    elif subject is not None and subject.certainty == "high":
        lead = f"This {noun} shows {subject.phrase}"
        if people:
            lead += f", with {_people_phrase(people)} in view"
        out["subject"] = lead + "."
    elif people:
        out["subject"] = f"This {noun} shows {_people_phrase(people)}."
        if subject is not None:
            out["maybe"] = f"It might also show {subject.phrase.removeprefix('possibly ')}."
    elif subject is not None:
        out["subject"] = f"This {noun} might show {subject.phrase.removeprefix('possibly ')}."
    elif text:
        out["subject"] = f"This {noun} mainly shows text."
    else:
        out["subject"] = (
            f"This {noun} shows a scene whose main subject could not be identified with confidence."
        )
    if f.text is None:
        out["text"] = UNAVAILABLE["text"]
    elif text:
        out["text"] = f"The text reads {_quote(text)}."
    if f.people is None:
        out["people"] = UNAVAILABLE["people"]
    elif people and subject is not None and subject.certainty == "high":
        faces = f.people.faces
        kinds = sorted({face.presentation for face in faces if face.presentation})
        who = f" ({_join(list(kinds))})" if kinds and len(faces) == 1 else ""
        out["people"] = f"{_people_phrase(people).capitalize()}{who} can be seen."
    if f.look is None:
        out["look"] = UNAVAILABLE["look"]
    elif colors := [name for name, _ in f.look.colors[:3]]:
        light = {"dark": "dark", "dim": "dimly lit", "normal": "evenly lit", "bright": "bright"}
        main = "main color is" if len(colors) == 1 else "main colors are"
        out["look"] = f"The {main} {_join(colors)}, and the image is {light[f.look.lighting]}."
    labels = f.labels or []
    alternatives = [lb for lb in labels[1:4] if lb.score >= 0.05]
    if subject is not None and alternatives:
        alt = ", ".join(f"{lb.name} ({lb.score:.0%})" for lb in alternatives)
        out["alternatives"] = (
            f"The classifier is {subject.score:.0%} sure of its first guess; "
            f"other candidates are {alt}."
        )
    elif subject is None and labels and labels[0].score >= 0.1:
        guesses = " or ".join(with_article(lb.name) for lb in labels[:2] if lb.score >= 0.1)
        out["alternatives"] = f"It might contain {guesses}, but the classifier is unsure."
    width, height = f.size
    shape = with_article(f"{orientation_of(width, height)} {kind}")
    out["frame"] = f"It is {shape} of {width} by {height} pixels."
    if f.people is None:
        out["safety"] = UNAVAILABLE["safety"]
    else:
        out["safety"] = {
            "safe": "Nothing unsafe or explicit was detected.",
            "suggestive": "Some exposed skin was detected, so the image may be suggestive.",
            "explicit": "The image appears to contain explicit nudity.",
        }[f.people.safety.rating]
    return out


_ORDER: Final[dict[str, tuple[str, ...]]] = {
    "brief": ("subject", "codes", "text"),
    "standard": ("subject", "codes", "text", "people", "maybe", "look"),
    "detailed": (
        "subject",
        "codes",
        "people",
        "maybe",
        "text",
        "look",
        "alternatives",
        "frame",
        "safety",
    ),
}


def _main_code(f: Findings) -> Code | None:
    """The code the picture is mainly of, if any: a twentieth of its area or more (the box is
    the code without its quiet margin)."""
    area = max(1, f.size[0] * f.size[1])
    big = [c for c in f.codes or () if c.box[2] * c.box[3] >= 0.05 * _work_area(f, area)]
    return big[0] if big else None


def _work_area(f: Findings, area: int) -> float:
    # Code and text boxes are in the work image's pixels (long side at most 640).
    scale = min(1.0, 640 / max(1, *f.size))
    return area * scale * scale


def _read_codes_and_charts(f: Findings, detail: Detail, s: dict[str, str]) -> None:
    """A chart is read as a chart instead of as loose text; codes are said by their content,
    and the digits printed by a barcode are not read again as text."""
    used: set[int] = set()
    if f.charts:
        s["subject"] = chart_sentence(f.charts[0], detail)
        used |= f.charts[0].used
    if f.codes:
        said = code_sentence(f.codes, detail, _work_size(f))
        if said and (_main_code(f) is not None or f.subject is None):
            s["subject"] = said
        elif said:
            s["codes"] = said
        contents = {c.content.replace(" ", "") for c in f.codes}
        for i, line in enumerate(f.text or ()):
            if line.text.replace(" ", "") in contents or any(
                _near(line.box, c.box) for c in f.codes
            ):
                used.add(i)
    if used and f.text:
        rest = [line for i, line in enumerate(f.text) if i not in used]
        if rest:
            s["text"] = f"Other text reads {_quote(rest)}."
        else:
            s.pop("text", None)


def _work_size(f: Findings) -> tuple[int, int]:
    scale = min(1.0, 640 / max(1, *f.size))
    return round(f.size[0] * scale), round(f.size[1] * scale)


def _near(line: tuple[int, int, int, int], code: tuple[int, int, int, int]) -> bool:
    """A text line inside a code's box or just under it (a barcode's printed digits; a linear
    code's box can be a thin band across its bars, hence the reach by its width)."""
    x, y, w, h = line
    cx, cy, cw, ch = code
    below = ch + max(0.3 * ch, 0.4 * cw)
    return cx - 0.1 * cw <= x + w / 2 <= cx + 1.1 * cw and cy <= y + h / 2 <= cy + below


def _answer(prompt: str, f: Findings, s: dict[str, str]) -> tuple[str | None, str | None, bool]:
    """(sentence, topic it covers, whether the findings answer it) for a prompt about a topic
    the stack covers; a part that did not look is said to be unavailable, not answered."""
    p = prompt.lower()
    if re.search(r"\b(how many|count|number of)\b", p) and re.search(
        r"\b(people|persons?|faces?|humans?|men|women|kids|children)\b", p
    ):
        if f.people is None:
            return UNAVAILABLE["people"], "people", False
        n = f.people.people
        return (
            (f"I can see {_people_phrase(n)}." if n else "I don't see any people."),
            "people",
            True,
        )
    if re.search(r"\b(read|text|written|writing|say|says|words?|sign|caption|label)\b", p):
        if f.text is None:
            return UNAVAILABLE["text"], "text", False
        if f.text:
            return f"The text reads {_quote(f.text, 400)}.", "text", True
        return "I could not find any readable text in the image.", "text", True
    if re.search(r"\bcolou?rs?\b", p):
        if f.look is None:
            return UNAVAILABLE["look"], "look", False
        colors = [name for name, _ in f.look.colors[:4]]
        return (f"The main colors are {_join(colors)}." if colors else None), "look", True
    if re.search(r"\b(safe|nsfw|explicit|nudity|appropriate)\b", p):
        return s["safety"], "safety", f.people is not None
    if re.search(r"\b(bright|dark|light|lighting|lit)\b", p):
        if f.look is None:
            return UNAVAILABLE["look"], "look", False
        return f"The image is {f.look.lighting}.", "look", True
    if re.search(r"\b(what|which|main|object|subject|animal|thing|describe|who)\b", p):
        return s["subject"], "subject", f.labels is not None
    return None, None, False


def _answer_codes_charts(
    prompt: str, f: Findings, s: dict[str, str], detail: Detail
) -> tuple[str, str, bool] | None:
    """The answer to a question about codes or a chart that was read, or None. Where the
    description already has the sentence that answers, that sentence moves to the front."""
    if found := codes_answer(prompt, f.codes, _work_size(f)):
        if f.codes:
            topic = "codes" if "codes" in s else "subject"
            return s[topic], topic, True
        return found[0], "codes", found[1]
    if found := chart_answer(prompt, f.charts, detail):
        said, answered = found
        return said, ("subject" if said == s["subject"] else "answer"), answered
    return None


def compose(f: Findings, detail: Detail, prompt: str | None) -> tuple[str, bool]:
    """The description text, and whether ``prompt`` was answered from the findings."""
    s = _sentences(f)
    _read_codes_and_charts(f, detail, s)
    picked = [s[topic] for topic in _ORDER[detail] if topic in s]
    answered = False
    if prompt and prompt.strip():
        answer, topic, answered = _answer_codes_charts(prompt, f, s, detail) or _answer(
            prompt, f, s
        )
        answered = answered and answer is not None
        if answer is not None:
            covered = {answer, s.get(topic or "")}
            people = f.people.people if f.people is not None else 0
            if topic == "people" and s["subject"].endswith(f"{_people_phrase(people)}."):
                covered.add(s["subject"])  # "shows one person" only repeats the answer
            rest = [x for x in picked if x not in covered]
            picked = [answer, *rest]
    budget = _MAX_SENTENCES[detail]
    picked = picked[:budget]
    minimum = {"brief": 1, "standard": 2, "detailed": 3}[detail]
    for filler in ("look", "frame", "safety"):
        if len(picked) >= minimum:
            break
        if s.get(filler) and s[filler] not in picked:
            picked.append(s[filler])
    return " ".join(picked), answered
