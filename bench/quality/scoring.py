"""Word accuracy of a reading: 1 - WER over normalised words (case and punctuation kept out,
so "ROAD CLOSED" read as "Road closed" is right and "ROADCLOSED" is two errors)."""

from __future__ import annotations

import re

__all__ = ["normalise", "word_accuracy", "word_errors"]

_WORD = re.compile(r"[\w.,:/$%'-]+")


def normalise(text: str) -> list[str]:
    """Lower-cased words; punctuation at a word's edges is dropped, inner dots kept (12.50)."""
    words = (w.strip(".,:;!?\"'()-") for w in _WORD.findall(text.lower()))
    return [w for w in words if w]


def word_errors(reference: list[str], hypothesis: list[str]) -> int:
    """Levenshtein distance over words: substitutions + deletions + insertions."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def word_accuracy(reference: str, hypothesis: str) -> float:
    """1 - WER, floored at 0; an empty reference is perfectly read only by an empty reading."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    if not ref:
        return 1.0 if not hyp else 0.0
    return max(0.0, 1.0 - word_errors(ref, hyp) / len(ref))
