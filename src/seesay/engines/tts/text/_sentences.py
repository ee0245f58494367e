"""Text cut into sentences short enough to synthesize and stream one at a time."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

__all__ = ["split_sentences"]

_SENTENCE_END: Final = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)\]]))\s+|(?<=[。！？])\s*")
_CLAUSE_END: Final = re.compile(r"(?<=[,;:、，；])\s+")


def split_sentences(text: str, max_chars: int = 300) -> list[str]:
    """Cut ``text`` into sentences no longer than ``max_chars`` (long ones at clause marks, then
    at spaces); empty pieces are dropped. Joining the pieces with spaces gives the text back."""
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        sentence = sentence.strip()
        if not sentence:
            continue
        if len(sentence) <= max_chars:
            pieces.append(sentence)
            continue
        words = (w for clause in _CLAUSE_END.split(sentence) for w in _wrap(clause, max_chars))
        pieces += _pack(words, max_chars)
    return pieces


def _wrap(clause: str, max_chars: int) -> list[str]:
    """``clause`` as is, or cut at spaces when longer than ``max_chars``."""
    if len(clause) <= max_chars:
        return [clause]
    return _pack(clause.split(), max_chars)


def _pack(words: Iterable[str], max_chars: int) -> list[str]:
    """``words`` joined by spaces into as few lines as fit ``max_chars`` (a longer word
    stands alone)."""
    out: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > max_chars:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        out.append(current)
    return out
