"""Transcription as a service: real Whisper on speech made by a real voice, billed per started
minute, refused input costing nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from seesay.accounts.service import Principal
from seesay.engines.base import Audio
from seesay.errors import InvalidAudio, InvalidRequest, PayloadTooLarge, UnsupportedLanguage
from seesay.media.audio_encode import encode
from seesay.platform import Platform
from seesay.services.transcribe import billable_minutes
from seesay.settings import load_settings
from support.accounts import make_key
from support.speech import assert_heard

FOX = "The quick brown fox jumps over the lazy dog."

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    settings = load_settings(
        data_dir=tmp_path_factory.mktemp("stt"),
        engines={"stt": {"max_upload_bytes": 2_000_000, "max_audio_seconds": 90}},
    )
    built = Platform.build(settings)
    yield built
    built.close()


@pytest.fixture(scope="module")
def speech(platform: Platform) -> bytes:
    engine = platform.engines.tts("piper")
    audio = engine.synthesize(FOX, "en_US-joe-medium", "en", 1.0)
    return encode(audio, "mp3").data


def who(platform: Platform) -> tuple[Principal, str]:
    key = make_key(platform, credits=10)
    return platform.accounts.authenticate(key.key), key.account_id


def test_billable_minutes() -> None:
    assert [billable_minutes(s) for s in (0.5, 10.5, 60.0, 60.01, 125)] == [1, 1, 1, 2, 3]


def test_transcribes_with_words_and_charges_one_minute(platform: Platform, speech: bytes) -> None:
    principal, account = who(platform)
    result = platform.transcription.transcribe(
        principal, speech, filename="fox.mp3", language="en", word_timestamps=True
    )
    assert_heard(FOX, result.text)
    assert result.language == "en"
    assert 2.0 < result.duration < 6.0
    assert result.engine == "whisper"
    assert result.segments
    assert_heard(FOX, " ".join(w.word for w in result.words))
    assert all(w.start <= w.end for w in result.words)
    assert result.credits_used == platform.prices.cost("transcription")
    assert platform.ledger.balances(account).total == 10_000 - result.credits_used
    assert result.credits_remaining == 10_000 - result.credits_used


def test_detects_the_language_and_translates_to_english(platform: Platform, speech: bytes) -> None:
    principal, _ = who(platform)
    detected = platform.transcription.transcribe(principal, speech, language="auto")
    assert_heard(FOX, detected.text, max_wer=0.34)
    assert detected.words == ()
    translated = platform.transcription.transcribe(principal, speech, translate=True)
    assert translated.translated
    assert_heard(FOX, translated.text, max_wer=0.34)


@pytest.mark.parametrize(
    ("data", "kwargs", "error"),
    [
        (b"not audio at all", {}, InvalidAudio),
        (b"", {}, InvalidAudio),
        (b"\0" * 2_000_001, {}, PayloadTooLarge),
        (None, {"language": "xx-nope"}, UnsupportedLanguage),
        (None, {"engine": "nobody"}, InvalidRequest),
        (None, {"prompt": "p" * 5000}, InvalidRequest),
    ],
)
def test_refused_input_costs_nothing(
    platform: Platform,
    speech: bytes,
    data: bytes | None,
    kwargs: dict[str, Any],
    error: type[Exception],
) -> None:
    principal, account = who(platform)
    with pytest.raises(error):
        platform.transcription.transcribe(principal, speech if data is None else data, **kwargs)
    assert platform.ledger.balances(account).total == 10_000


def test_audio_over_the_duration_cap_is_refused(platform: Platform) -> None:
    import numpy as np

    principal, account = who(platform)
    long = encode(Audio(np.zeros(16_000 * 100, np.float32), 16_000), "mp3").data
    with pytest.raises(InvalidAudio):
        platform.transcription.transcribe(principal, long)
    assert platform.ledger.balances(account).total == 10_000
