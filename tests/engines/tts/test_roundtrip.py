"""What a listener hears: each offline English voice, transcribed back by the bundled Whisper
tiny.en, says the test sentences (numbers, money, dates, units, abbreviations) with a word error
rate at or under 0.10; streaming equals synthesizing; speed changes the pace.

espeak-ng is the exception, stated in its EngineInfo (quality "robotic") and in MODELS.md: its
English round trip misses the 0.10 bar (measured 0.10-0.15 on these sentences after text
normalisation; MODELS.md saw 0.27 without it), so it is held to 0.20 here and ranked below the
neural voices, which keeps it out of the English defaults.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from seesay.engines.base import Audio
from seesay.engines.tts.common import SentenceEngine

pytestmark = pytest.mark.slow

VOICES = [
    ("hibari", "hibari-heart", 0.10),
    ("piper", "en_US-joe-medium", 0.10),
    ("kokoro", "jf_alpha", 0.10),
    ("espeak", "espeak-en-US", 0.20),
]


@pytest.mark.parametrize(("fixture", "voice", "max_wer"), VOICES)
def test_english_voice_round_trip_wer(
    request: pytest.FixtureRequest,
    fixture: str,
    voice: str,
    max_wer: float,
    transcribe: Callable[[Audio], str],
    word_error_rate: Callable[[str, str], float],
    english_sentences: tuple[str, ...],
) -> None:
    engine: SentenceEngine = request.getfixturevalue(fixture)
    scores = []
    for sentence in english_sentences:
        audio = engine.synthesize(sentence, voice, "en-US", 1.0)
        assert audio.samples.dtype == np.float32
        assert np.abs(audio.samples).max() <= 1.0
        heard = transcribe(audio)
        scores.append(word_error_rate(sentence, heard))
        print(f"{voice}: {sentence!r} -> {heard!r} WER {scores[-1]:.2f}")
    mean = sum(scores) / len(scores)
    print(f"{voice}: mean WER {mean:.3f}")
    assert mean <= max_wer


def test_stream_concatenates_to_synthesize(piper: SentenceEngine) -> None:
    text = "First sentence here. Second one follows! And a third?"
    chunks = list(piper.stream(text, "en_US-joe-medium", "en", 1.0))
    assert len(chunks) == 3
    whole = piper.synthesize(text, "en_US-joe-medium", "en", 1.0)
    joined = np.concatenate([c.samples for c in chunks])
    # Piper's VITS model draws noise per call, so compare lengths and rates, not samples.
    assert abs(len(joined) - len(whole.samples)) < 0.15 * len(whole.samples)
    assert {c.sample_rate for c in chunks} == {whole.sample_rate}
    # Joins are faded: every chunk starts and ends near silence (no click).
    for c in chunks:
        assert abs(float(c.samples[0])) < 0.01
        assert abs(float(c.samples[-1])) < 0.01


@pytest.mark.parametrize("fixture", ["hibari", "piper", "kokoro", "espeak"])
def test_speed_changes_duration(request: pytest.FixtureRequest, fixture: str) -> None:
    engine: SentenceEngine = request.getfixturevalue(fixture)
    voice = engine.info.voices[0].id if fixture != "espeak" else "espeak-en-US"
    language = "en-US"
    text = "Speed control works."
    slow = engine.synthesize(text, voice, language, 0.5).duration
    normal = engine.synthesize(text, voice, language, 1.0).duration
    fast = engine.synthesize(text, voice, language, 2.0).duration
    assert slow > normal * 1.4
    assert fast < normal * 0.75


def test_kokoro_speaks_japanese_with_every_voice(kokoro: SentenceEngine) -> None:
    for voice in ("jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo"):
        audio = kokoro.synthesize("こんにちは。", voice, "ja", 1.0)
        assert audio.sample_rate == 24_000
        assert 0.4 < audio.duration < 3.0
        assert float(np.sqrt(np.mean(audio.samples**2))) > 0.01


def test_espeak_speaks_other_languages(espeak: SentenceEngine) -> None:
    assert len(espeak.info.languages) > 100
    for voice, lang in (("espeak-de", "de"), ("espeak-pt-BR-female", "pt-BR"), ("espeak-hi", "hi")):
        audio = espeak.synthesize("123", voice, lang, 1.0)
        assert audio.duration > 0.3


def test_every_espeak_voice_loads(espeak: SentenceEngine) -> None:
    """en-GB and fr-FR (codes inside the files gmw/en and roa/fr) once failed to load: a 500
    on every surface that offered them."""
    for voice in espeak.info.voices:
        espeak.synthesize("Hi.", voice.id, voice.language, 1.0)  # raises if it cannot load
    for voice, lang in (("espeak-en-GB-female", "en-GB"), ("espeak-fr-FR", "fr-FR")):
        assert espeak.synthesize("Hello there.", voice, lang, 1.0).duration > 0.3
