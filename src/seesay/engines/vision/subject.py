"""What a photo mainly shows, said only as surely as the classifier's scores support.

Contract (tested): the main subject is named as "probably ..." at or above ``CONFIDENT``
probability (an ImageNet class of 89% can still be wrong: a circuit board came back as "a
modem"), as "possibly ..." between ``POSSIBLE`` and ``CONFIDENT``, and never below ``POSSIBLE``.
Only a coarse group that the top classes agree on almost entirely (three cat breeds adding up
to 0.95) is said without a hedge ("a cat, probably a tabby cat"). Two close guesses from
different groups contradict each other, so neither is named. No number ever reaches the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from seesay.engines.vision.efficientnet import Label

__all__ = [
    "CONFIDENT",
    "MADE_OF_TEXT",
    "POSSIBLE",
    "SURE_GROUP",
    "TEXT_LABELS",
    "Subject",
    "find_subject",
    "group_of",
    "with_article",
]

CONFIDENT: Final = 0.5
POSSIBLE: Final = 0.2
SURE_GROUP: Final = 0.9  # a group's share that is said plainly ("a cat")
_CLOSE: Final = 1.6  # a runner-up within this ratio of the top guess competes with it

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

# ImageNet classes that are themselves text, screens or pages: they agree with text findings
# (a page read as "a website" is no contradiction), every other class competes with them.
TEXT_LABELS: Final = frozenset(
    {446, 527, 530, 549, 620, 664, 681, 692, 781, 782, 851, 916, 917, 918, 919, 920, 921, 922}
)


# Of those, the classes that are mostly text: a photo where the text reader found none is not
# one of them (a "website" guess on a photo without text contradicts the reader).
MADE_OF_TEXT: Final = frozenset({781, 916, 917, 918, 919, 921, 922})


def group_of(index: int) -> str | None:
    """The coarse group of an ImageNet class ("cat" for any cat breed), or None."""
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


Certainty = Literal["sure", "probable", "possible"]


@dataclass(frozen=True, slots=True)
class Subject:
    """What the picture mainly shows. ``noun`` is ready to say ("a tabby cat", "a cat,
    probably a tabby cat") after ``hedge`` ("probably", "possibly", or "" when sure)."""

    label: str
    score: float
    certainty: Certainty
    noun: str
    hedge: str
    group: str | None = None
    index: int = -1

    @property
    def phrase(self) -> str:
        """Hedge and noun: "probably a tabby cat"."""
        return f"{self.hedge} {self.noun}".strip()

    @property
    def confident(self) -> bool:
        """Said as more likely than not ("probably" or plainly)."""
        return self.certainty != "possible"


def _competes(top: Label, other: Label) -> bool:
    """Whether ``other`` is a close guess that a listener could not tell from ``top``."""
    if other.score * _CLOSE < top.score:
        return False
    group = group_of(top.index)
    return group is None or group_of(other.index) != group


def find_subject(labels: list[Label]) -> Subject | None:
    """The main subject under the confidence rules, or None when nothing is likely enough
    or the top guesses contradict each other."""
    if not labels:
        return None
    top = labels[0]
    group = group_of(top.index)
    share = sum(lb.score for lb in labels if group is not None and group_of(lb.index) == group)
    if group is not None and " or " in group and top.score >= CONFIDENT:
        group = None  # "a food or drink, probably an espresso" says less than "an espresso"
    if group is not None and share >= SURE_GROUP:
        noun = with_article(group)
        if group != top.name and CONFIDENT <= top.score < SURE_GROUP:
            noun += f", probably {with_article(top.name)}"
        elif top.score >= SURE_GROUP:
            noun = with_article(top.name)
        return Subject(group, share, "sure", noun, "", group, top.index)
    if top.score >= CONFIDENT:
        noun = with_article(top.name)
        return Subject(top.name, top.score, "probable", noun, "probably", group, top.index)
    if group is not None and share >= CONFIDENT:
        noun = with_article(group)
        return Subject(group, share, "probable", noun, "probably", group, top.index)
    if top.score >= POSSIBLE:
        if len(labels) > 1 and _competes(top, labels[1]):
            return None  # two unrelated guesses of the same weight: say neither
        noun = with_article(top.name)
        return Subject(top.name, top.score, "possible", noun, "possibly", group, top.index)
    return None
