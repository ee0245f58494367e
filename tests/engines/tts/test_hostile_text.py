"""Text no reader would type, as fuzzers and pasted documents send it, is spoken by every
bundled engine (or refused with a SeeSay error), never a library exception that becomes a 500.
Each string is one the fuzzers found crashing an engine's own front end."""

from __future__ import annotations

import pytest

from seesay.engines.base import Audio
from seesay.engines.tts.common import SentenceEngine

HOSTILE = (
    "\u00b9\u0098\u001d\u00ee\U0010f31b",  # "¹" passed isdigit() and failed int()
    "step \u2784 of \u2460",  # dingbat and circled digits
    "\U0001f39e\u0668\U0001f58b\uffc6 \u0661\u0662 \u0664",  # Arabic-Indic digits in Japanese
    "\u0901\u064e)",  # marks alone: no phoneme the model knows
    "\x00\x07\x1b[31m red \x7f",
    "on 2025-13-45 at 24:99, 31/31/2025 -$1.00 10-12% 1990s",  # month 13: an IndexError
)


@pytest.mark.parametrize("name", ["hibari", "piper", "kokoro", "espeak"])
def test_every_bundled_engine_speaks_hostile_text(
    request: pytest.FixtureRequest, name: str
) -> None:
    engine: SentenceEngine = request.getfixturevalue(name)
    for voice in engine.info.voices[:2]:
        for text in HOSTILE:
            audio = engine.synthesize(text, voice.id, voice.language, 1.0)
            assert isinstance(audio, Audio)
            assert audio.samples.dtype.name == "float32"
