"""Judging what a speech recogniser heard.

Piper and Kokoro sample noise while they synthesize, so the same sentence comes out a little
differently on each run, and Whisper tiny sometimes mishears one word of it ("brand fox").
Tests that round-trip speech judge the transcript by word error rate against what was said,
never by one exact word.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["assert_heard", "spoken_words", "wer"]


def spoken_words(text: str) -> list[str]:
    """Lowercased words without punctuation."""
    return re.sub(r"[^\w\s']", " ", text.lower()).split()


def wer(reference: str, hypothesis: str, words: Callable[[str], list[str]] = spoken_words) -> float:
    """Word error rate: word-level Levenshtein distance over the reference's length, on the
    words ``words`` finds in each text."""
    ref, hyp = words(reference), words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1] / max(1, len(ref))


def assert_heard(reference: str, hypothesis: str, max_wer: float = 0.25) -> None:
    """Fail unless ``hypothesis`` is ``reference`` heard with at most ``max_wer`` errors.

    A quarter allows two slips in a nine-word sentence, while silence, the wrong language or
    another sentence all score 1.0 or near it.
    """
    score = wer(reference, hypothesis)
    assert score <= max_wer, f"heard {hypothesis!r} for {reference!r} (WER {score:.2f})"
