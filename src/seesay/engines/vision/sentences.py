"""Each thing the findings support, said as one plain sentence for a listener.

Nothing here says a score, a pixel size or the name of a model: only what was seen, hedged as
the evidence allows ("probably", "possibly"). Topics (the keys of ``topics()``):

========== =====================================================================
lead       what the image is and mainly shows
people     how many people and where (left, in the middle, right)
text       the text read (replaced by a reading whose topic is "text")
reading:*  what each reading part (codes, charts, layout) says, one key each
look       the main colors and the light, in one short sentence
also       (detailed) a second guess at the subject, when one is plausible
safety     only when something unsafe was found
missing    the parts that could not look, said once
========== =====================================================================
"""

from __future__ import annotations

from typing import Final

from seesay.engines.base import Detail
from seesay.engines.vision.findings import Findings
from seesay.engines.vision.kind import image_kind
from seesay.engines.vision.read_aloud import say_blocks_by_line
from seesay.engines.vision.subject import (
    MADE_OF_TEXT,
    POSSIBLE,
    TEXT_LABELS,
    Subject,
    with_article,
)
from seesay.engines.vision.text_reader import TextLine

__all__ = [
    "MISSING",
    "count_people",
    "join",
    "look_sentence",
    "people_sentence",
    "quote_lines",
    "said_subject",
    "topics",
]

# What is said for a part that did not look, by the part's name.
MISSING: Final[dict[str, str]] = {
    "text": "I could not read text in this image.",
    "people": "I could not look for people in this image.",
    "labels": "I could not identify objects in this image.",
    "appearance": "I could not tell its colors or light.",
}
_NOUN: Final[dict[str, str]] = {
    "photo": "photo",
    "document": "page of text",
    "screenshot": "screenshot",
    "chart": "chart",
    "sign": "sign",
    "code": "code",
    "graphic": "picture",
    "image": "picture",
}
_TEXT_KINDS: Final = frozenset({"document", "screenshot", "chart", "sign", "code"})
_UNSURE_LINE: Final = 0.75  # a line read below this score is said as unclear
_LIGHT: Final[dict[str, str]] = {
    "dark": "in the dark",
    "dim": "in dim light",
    "normal": "in even light",
    "bright": "in bright light",
}
_NUMBERS: Final = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# How much text each level reads out (lines, characters) before "and more text".
_TEXT_BUDGET: Final[dict[str, tuple[int, int]]] = {
    "brief": (2, 120),
    "standard": (8, 400),
    "detailed": (10_000, 100_000),
}


def join(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def count_people(n: int) -> str:
    count = _NUMBERS[n] if n < len(_NUMBERS) else str(n)
    return f"{count} {'person' if n == 1 else 'people'}"


def _side(centre: float) -> str:
    return "on the left" if centre < 0.38 else "on the right" if centre > 0.62 else "in the middle"


def _place(box: tuple[int, int, int, int], frame: tuple[int, int], detail: Detail) -> str:
    """Where a face is: its side, and (detailed) its height and how close it looks."""
    width, height = max(1, frame[0]), max(1, frame[1])
    place = _side((box[0] + box[2] / 2) / width)
    if detail != "detailed":
        return place
    middle = (box[1] + box[3] / 2) / height
    if middle < 0.33:
        place += ", near the top"
    elif middle > 0.67:
        place += ", near the bottom"
    if box[3] / height > 0.3:
        place += ", close up"
    return place


def people_sentence(
    f: Findings, *, opening: tuple[str, str] | None = None, detail: Detail = "standard"
) -> str | None:
    """ "There are two people: one on the left and one on the right." (None: no people).

    ``opening`` is a subject and verb ("This photo", "shows") said instead of "There are".
    Faces that only the weaker finder saw (Haar alone: a round grey shape can be one) make it
    "may": "There may be one person, on the right."
    """
    if f.people is None or not f.people.people:
        return None
    sides: dict[str, int] = {}
    for face in sorted(f.people.faces, key=lambda face: face.box[0]):
        side = _place(face.box, f.box_frame, detail)
        sides[side] = sides.get(side, 0) + 1
    n = f.people.people
    unsure = all(face.source == "haar" for face in f.people.faces)
    if opening is None:
        lead = "There may be" if unsure else f"There {'is' if n == 1 else 'are'}"
    else:
        who, verb = opening
        lead = (
            f"{who} may {verb.removeprefix('can ').removesuffix('s')}"
            if unsure
            else f"{who} {verb}"
        )
    if len(sides) == 1:
        (side,) = sides
        where = side if n == 1 else f"all {side}" if n > 2 else f"both {side}"
        return f"{lead} {count_people(n)}, {where}."
    parts = [f"{_NUMBERS[k] if k < len(_NUMBERS) else k} {side}" for side, k in sides.items()]
    return f"{lead} {count_people(n)}: {join(parts)}."


def look_sentence(f: Findings, detail: Detail = "standard") -> str | None:
    """ "Mostly green and white, in even light." (None: no colors found)."""
    if f.look is None:
        return None
    colors = [name for name, _ in f.look.colors[: 5 if detail == "detailed" else 3]]
    if not colors:
        return None
    return f"Mostly {join(colors)}, {_LIGHT[f.look.lighting]}."


def quote_lines(lines: list[TextLine], detail: Detail | str) -> str:
    """The lines as separate quotes, never run together: '"EXIT 42", "Main Street"'.
    A line the reader was unsure of is marked "(unclear)"; text past the level's budget is
    summed up as "and more text"."""
    most_lines, most_chars = _TEXT_BUDGET.get(detail, _TEXT_BUDGET["standard"])
    said: list[str] = []
    used = 0
    for line in lines:
        text = line.text.strip()
        if said and (len(said) >= most_lines or used + len(text) > most_chars):
            said.append("and more text")
            break
        used += len(text)
        # Sentence-final punctuation inside the quote would read as the end of ours.
        quoted = '"' + text.rstrip(".!?") + '"'
        said.append(quoted + (" (unclear)" if line.score < _UNSURE_LINE else ""))
    return ", ".join(said)


def said_subject(f: Findings) -> Subject | None:
    """The subject, unless other findings contradict it: a text-like image whose classifier
    guess is not text-like, a guess of a thing made of text where no text was read, or a
    person where the guess is only possible."""
    s = f.subject
    if s is None:
        return None
    people = f.people.people if f.people is not None else 0
    if s.certainty == "possible" and people:
        return None  # an astronaut is not "possibly a bobsleigh"
    if image_kind(f) in _TEXT_KINDS and s.index not in TEXT_LABELS and s.certainty != "sure":
        return None
    if s.index in MADE_OF_TEXT and f.text is not None and not f.text:
        return None  # "probably a website" where the text reader found no text at all
    return s


def _lead(f: Findings, kind: str, noun: str, detail: Detail) -> tuple[str, bool]:
    """The first sentence, and whether it already said the people."""
    if kind in _TEXT_KINDS:
        return f"This is {with_article(noun)}.", False
    subject = said_subject(f)
    if f.labels is None:
        return MISSING["labels"], False
    if subject is not None:
        verb = f"{subject.hedge} shows" if subject.hedge else "shows"
        return f"This {noun} {verb} {subject.noun}.", False
    people = people_sentence(f, opening=(f"This {noun}", "shows"), detail=detail)
    if people is not None:
        return people, True
    if f.text:
        return f"This {noun} shows some text.", False
    return f"I cannot tell what this {noun} shows.", False


def _also(f: Findings, subject: Subject | None) -> str | None:
    """Plausible other guesses, in words: "It could also be a tiger cat or a tabby cat."."""
    if subject is None or not f.labels:
        return None
    # Within a group every breed is plausible; across groups only a strong runner-up is.
    floor = POSSIBLE / 4 if subject.certainty == "sure" else POSSIBLE / 2
    others = [
        with_article(lb.name)
        for lb in f.labels[1:3]
        if lb.score >= floor and lb.name not in subject.noun and lb.name != subject.label
    ]
    return f"It could also be {' or '.join(others)}." if others else None


def topics(f: Findings, detail: Detail) -> dict[str, str]:
    """Every sentence the findings support at ``detail``, keyed by topic (see the module)."""
    kind = image_kind(f)
    out: dict[str, str] = {}
    lead, said_people = _lead(f, kind, _NOUN.get(kind, "picture"), detail)
    out["lead"] = lead
    if not said_people and (people := people_sentence(f, detail=detail)) is not None:
        out["people"] = people
    text_reading = any(r.topic == "text" for r in f.readings)
    used = frozenset().union(*(r.used_lines() for r in f.readings))
    rest = [line for i, line in enumerate(f.text or ()) if i not in used]
    if rest and not text_reading:
        verb = {"sign": "It reads", "screenshot": "The screen shows", "document": "It reads"}
        opening = "Other text reads" if used else verb.get(kind, "Text in it reads")
        out["text"] = f"{opening} {quote_lines(rest, detail)}."
        if kind == "document" and detail == "detailed":  # all of it, its blocks named
            out["text"] = f"{opening} {say_blocks_by_line(rest)}."
    for reading in f.readings:
        said = " ".join(reading.sentences(detail))
        if said and reading.kind == kind and out["lead"].startswith("This is "):
            out["lead"] = said  # the reading that made the kind says what the image is
        elif said:
            out[f"reading:{reading.topic}"] = said
    if (look := look_sentence(f, detail)) is not None:
        out["look"] = look
    if detail == "detailed" and (also := _also(f, said_subject(f))) is not None:
        out["also"] = also
    if f.people is not None and f.people.safety.rating != "safe":
        out["safety"] = {
            "suggestive": "Some exposed skin can be seen, so it may be suggestive.",
            "explicit": "It appears to contain explicit nudity.",
        }[f.people.safety.rating]
    # A broken text reader is said at every level (a listener must never take it for a
    # picture without text); missing people only beyond brief.
    parts = ("text",) if detail == "brief" else ("text", "people")
    if missing := [MISSING[part] for part in parts if part in f.unavailable]:
        out["missing"] = " ".join(missing)
    return out
