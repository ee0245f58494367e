"""The remote ElevenLabs-compatible cloner, against a real server process on 127.0.0.1
(``engines/sound/elevenlabs_server.py``) and, for the request shape, an httpx.MockTransport."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import numpy as np
import pytest
from pydantic import SecretStr

from engines.sound.xi_process import elevenlabs_server, last_request
from seesay.engines.base import Audio, CloneEngine, VoiceProfile
from seesay.engines.clone.elevenlabs import ElevenLabsCloneEngine
from seesay.engines.clone.settings import ElevenLabsCloneSettings
from seesay.errors import InvalidAudio, InvalidRequest, UnknownVoice, UnsupportedLanguage

KEY = "xi-test-clone-key"


def tone(hz: float, seconds: float = 2.0, rate: int = 16_000) -> Audio:
    t = np.arange(round(seconds * rate)) / rate
    return Audio((0.4 * np.sin(2 * np.pi * hz * t)).astype(np.float32), rate)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with elevenlabs_server(KEY) as url:
        yield url


@pytest.fixture(scope="module")
def engine(base_url: str) -> ElevenLabsCloneEngine:
    settings = ElevenLabsCloneSettings(base_url=base_url, api_key=SecretStr(KEY), backoff=0.05)
    e = ElevenLabsCloneEngine(settings)
    e.load()
    return e


def test_clone_then_speak_through_a_real_server(
    engine: ElevenLabsCloneEngine, base_url: str
) -> None:
    assert isinstance(engine, CloneEngine)
    low, high = engine.analyse(tone(120)), engine.analyse(tone(240))
    assert low.data["voice_id"] != high.data["voice_id"]
    assert low.method.startswith("neural")
    added = last_request(base_url)
    assert added["form"]["name"].startswith("seesay-")  # type: ignore[index]
    assert added["files"][0].endswith(".wav")  # type: ignore[index]
    # The stored profile works after a JSON round trip, as a stored clone would.
    low = VoiceProfile.from_json(json.loads(json.dumps(low.to_json())))
    speech = engine.synthesize("one two three four five", low, "en-US", 1.0)
    assert speech.sample_rate == 24_000
    assert speech.duration == pytest.approx(0.5, abs=0.02)
    spoken = last_request(base_url)["json"]
    assert spoken["language_code"] == "en"  # type: ignore[index]
    assert spoken["model_id"] == "eleven_multilingual_v2"  # type: ignore[index]
    # Each clone speaks with its own sample's pitch (the test server's "voice").
    for profile, hz in ((low, 120), (high, 240)):
        audio = engine.synthesize("one two three four five", profile, "en", 1.0)
        spectrum = np.abs(np.fft.rfft(audio.samples))
        peak = np.argmax(spectrum) * audio.sample_rate / len(audio.samples)
        assert peak == pytest.approx(hz, rel=0.05)


def test_unknown_remote_voice_and_bad_input(engine: ElevenLabsCloneEngine) -> None:
    ghost = VoiceProfile(
        engine="elevenlabs-clone", method="x", base_voice="gone", sample_seconds=1.0,
        data={"voice_id": "gone0001"},
    )  # fmt: skip
    with pytest.raises(UnknownVoice):
        engine.synthesize("hello there", ghost, "en", 1.0)
    with pytest.raises(InvalidAudio):
        engine.analyse(Audio(np.zeros(32_000, np.float32), 16_000))
    other = VoiceProfile(engine="voice-conversion", method="x", base_voice="piper/joe",
                         sample_seconds=1.0)  # fmt: skip
    with pytest.raises(InvalidRequest):
        engine.synthesize("hello", other, "en", 1.0)


def test_request_shape_over_a_mock_transport() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/voices/add"):
            return httpx.Response(200, json={"voice_id": "abc123", "requires_verification": False})
        return httpx.Response(200, content=np.zeros(2400, "<i2").tobytes())

    settings = ElevenLabsCloneSettings(
        base_url="https://voices.example/v1", api_key=SecretStr(KEY), languages=["en", "de"]
    )
    e = ElevenLabsCloneEngine(settings, transport=httpx.MockTransport(handler))
    e.load()
    profile = e.analyse(tone(200))
    e.synthesize("Guten Tag", profile, "de-DE", 1.5)
    add, speak = seen
    assert add.url.path == "/v1/voices/add"
    assert add.headers["xi-api-key"] == KEY
    assert "authorization" not in add.headers
    assert add.headers["content-type"].startswith("multipart/form-data")
    assert b'name="files"; filename="sample-' in add.content
    assert b"RIFF" in add.content
    assert speak.url.path == "/v1/text-to-speech/abc123"
    assert speak.url.params["output_format"] == "pcm_24000"
    assert json.loads(speak.content) == {
        "text": "Guten Tag",
        "model_id": "eleven_multilingual_v2",
        "language_code": "de",
        "voice_settings": {"speed": 1.2},  # brought into the provider's range
    }
    with pytest.raises(UnsupportedLanguage):
        e.synthesize("Bonjour", profile, "fr", 1.0)
    assert len(seen) == 2
