"""A line of text read from an image, and its words with their confidence."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

__all__ = ["UNSURE", "TextLine", "Word", "scale_lines"]

# A word whose weakest character scores below this is said as "possibly". Correctly read
# words of rendered pages dip to 0.43-0.52 on one letter (1 in 300), hence not higher.
UNSURE: Final = 0.4


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a line and the recogniser's confidence in its weakest character."""

    text: str
    score: float

    @property
    def unsure(self) -> bool:
        return self.score < UNSURE


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text read, with its box (x, y, width, height) in the given image's pixels.
    ``words`` holds the line's words with their own confidence (empty: not measured)."""

    text: str
    score: float
    box: tuple[int, int, int, int]
    words: tuple[Word, ...] = ()

    @property
    def unsure(self) -> bool:
        """True when any word of the line is unsure."""
        return any(w.unsure for w in self.words)


def scale_lines(lines: list[TextLine], factor: float) -> list[TextLine]:
    """``lines`` with their boxes scaled by ``factor`` (to another copy of the image)."""
    if factor == 1.0:
        return lines
    return [
        replace(line, box=(*(round(v * factor) for v in line.box),))  # type: ignore[arg-type]
        for line in lines
    ]
