"""Whisper cannot run away: REAL bundled models (tiny.en, base) on noise, music and a looping
clip finish within the deadline a request would get, with output bounded by the audio's
length; and an expired deadline stops it. The VAD is off so the decoder itself sees the
noise and music (with it on, they never reach the decoder)."""

from __future__ import annotations

import pytest

from engines.stt.helpers import chords, looping_phrase, noise
from seesay.engines.base import Audio, EngineContext, Transcript
from seesay.engines.deadline import Deadline, deadline_scope
from seesay.engines.stt.settings import WhisperSettings
from seesay.engines.stt.whisper import WhisperEngine
from seesay.errors import EngineTimeout
from seesay.jobs.settings import DeadlineSettings

pytestmark = pytest.mark.slow

RATE = 16_000
PHRASE = "Open the door."


@pytest.fixture(scope="module")
def whisper(engine_ctx: EngineContext) -> WhisperEngine:
    engine = WhisperEngine(WhisperSettings(vad=False), engine_ctx)
    engine.load()
    return engine


def _noise(seconds: float) -> Audio:
    return Audio(noise(seconds, RATE), RATE)


def _music(seconds: float) -> Audio:
    return Audio(chords(seconds, RATE), RATE)


@pytest.fixture(scope="module")
def looping_clip() -> Audio:
    """One short phrase spoken by the bundled Piper voice, 15 times back to back."""
    return Audio(looping_phrase(PHRASE, 15, RATE), RATE)


def _transcribe_within_deadline(
    whisper: WhisperEngine, audio: Audio, language: str | None
) -> Transcript:
    """Transcribe under the deadline a transcription request of this audio would get."""
    seconds = DeadlineSettings().seconds_for("transcribe.run", audio_seconds=audio.duration)
    assert seconds is not None
    with deadline_scope(Deadline.after(seconds, "transcription")):
        # Word timestamps with auto-detection also exercise the hallucination-silence skip.
        return whisper.transcribe(audio, language, word_timestamps=language is None)


def _assert_bounded(transcript: Transcript, audio: Audio) -> None:
    settings = WhisperSettings()
    assert len(transcript.text) <= audio.duration * settings.max_chars_per_second + 60
    for segment in transcript.segments:
        assert 0 <= segment.start <= segment.end <= audio.duration


@pytest.mark.parametrize("language", ["en", None], ids=["tiny.en", "base-detect"])
@pytest.mark.parametrize("make", [_noise, _music], ids=["noise", "music"])
def test_noise_and_music_finish_with_bounded_output(
    whisper: WhisperEngine, make: object, language: str | None
) -> None:
    audio = make(20.0)  # type: ignore[operator]
    transcript = _transcribe_within_deadline(whisper, audio, language)
    _assert_bounded(transcript, audio)


@pytest.mark.parametrize("language", ["en", None], ids=["tiny.en", "base-detect"])
def test_a_looping_clip_finishes_with_bounded_output(
    whisper: WhisperEngine, looping_clip: Audio, language: str | None
) -> None:
    transcript = _transcribe_within_deadline(whisper, looping_clip, language)
    _assert_bounded(transcript, looping_clip)
    assert "open the door" in transcript.text.lower()


def test_the_transcript_is_capped_by_the_audio_length(
    engine_ctx: EngineContext, looping_clip: Audio
) -> None:
    tight = WhisperEngine(
        WhisperSettings(vad=False, model=None, max_chars_per_second=1.0), engine_ctx
    )
    tight.load()
    transcript = tight.transcribe(looping_clip, "en")
    # A segment that would cross the cap is dropped with everything after it.
    assert len(transcript.text) <= looping_clip.duration * 1.0 + 60


def test_an_expired_deadline_stops_whisper(whisper: WhisperEngine, looping_clip: Audio) -> None:
    with (
        deadline_scope(Deadline.after(0.0, "transcription")),
        pytest.raises(EngineTimeout, match="transcription did not finish"),
    ):
        whisper.transcribe(looping_clip, "en")


def test_segment_times_never_pass_the_end_of_the_audio() -> None:
    # faster-whisper gives a segment with no closing timestamp its window's end.
    from types import SimpleNamespace

    from seesay.engines.stt.whisper import _segment

    word = SimpleNamespace(word=" door", start=15.1, end=16.0, probability=0.9)
    raw = SimpleNamespace(
        start=-0.02,
        end=16.0,
        text=" Open the door",
        words=[word],
        avg_logprob=-0.1,
        no_speech_prob=0.1,
    )
    segment = _segment(0, raw, 15.3)
    assert (segment.start, segment.end) == (0.0, 15.3)
    assert (segment.words[0].start, segment.words[0].end) == (15.1, 15.3)
