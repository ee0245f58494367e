"""The remote ElevenLabs-compatible sound engine, against a real server process on 127.0.0.1
(``elevenlabs_server.py``) and, for the exact request shape, an ``httpx.MockTransport``."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import numpy as np
import pytest
from pydantic import SecretStr

from engines.sound.xi_process import elevenlabs_server, last_request, requests_seen
from seesay.engines.base import SoundEngine
from seesay.engines.sound.elevenlabs import ElevenLabsSoundEngine
from seesay.engines.sound.settings import ElevenLabsSoundSettings
from seesay.errors import InvalidRequest, UpstreamError

KEY = "xi-test-sound-key"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with elevenlabs_server(KEY) as url:
        yield url


def engine(base_url: str, key: str = KEY, **overrides: object) -> ElevenLabsSoundEngine:
    settings = ElevenLabsSoundSettings(
        base_url=base_url,
        api_key=SecretStr(key),
        backoff=0.05,
        **overrides,  # type: ignore[arg-type]
    )
    e = ElevenLabsSoundEngine(settings)
    e.load()
    return e


@pytest.mark.parametrize(("fmt", "rate"), [("pcm_44100", 44_100), ("wav_22050", 22_050)])
def test_generates_the_asked_duration_through_a_real_server(
    base_url: str, fmt: str, rate: int
) -> None:
    e = engine(base_url, output_format=fmt)
    assert isinstance(e, SoundEngine)
    result = e.generate("Rain on a tin roof", 2.5, None)
    assert result.audio.sample_rate == rate
    assert len(result.audio.samples) == round(2.5 * rate)
    assert float(np.sqrt(np.mean(result.audio.samples**2))) > 0.05
    assert result.understood == ("rain", "on", "a", "tin", "roof")
    seen = last_request(base_url)
    assert seen["json"] == {"text": "Rain on a tin roof", "duration_seconds": 2.5}
    assert str(seen["path"]).endswith(f"output_format={fmt}")


def test_retries_a_busy_server_and_hides_a_crash(base_url: str) -> None:
    e = engine(base_url, output_format="pcm_44100")
    before = requests_seen(base_url)
    assert e.generate("[busy] wind", 1.0, None).audio.duration == pytest.approx(1.0)
    assert requests_seen(base_url) - before == 2
    with pytest.raises(UpstreamError) as err:
        e.generate("[crash] wind", 1.0, None)
    assert err.value.upstream_status == 500
    assert "s3cr3t" not in str(err.value)


def test_a_wrong_key_is_an_upstream_credentials_error(base_url: str) -> None:
    with pytest.raises(UpstreamError, match="credentials") as err:
        engine(base_url, key="wrong").generate("wind", 1.0, None)
    assert "wrong" not in str(err.value)


def test_request_shape_and_validation() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        pcm = np.zeros(round(1.2 * 16_000), "<i2").tobytes()  # a provider rounding up
        return httpx.Response(200, content=pcm, headers={"Content-Type": "audio/pcm"})

    settings = ElevenLabsSoundSettings(
        base_url="https://sfx.example/v1",
        api_key=SecretStr(KEY),
        output_format="pcm_16000",
        prompt_influence=0.4,
    )
    e = ElevenLabsSoundEngine(settings, transport=httpx.MockTransport(handler))
    e.load()
    assert len(e.generate("door slam", 1.0, 5).audio.samples) == 16_000  # cut to the ask
    (request,) = seen
    assert request.method == "POST"
    assert request.url.path == "/v1/sound-generation"
    assert request.url.params["output_format"] == "pcm_16000"
    assert request.headers["xi-api-key"] == KEY
    assert "authorization" not in request.headers
    assert json.loads(request.content) == {
        "text": "door slam",
        "duration_seconds": 1.0,
        "prompt_influence": 0.4,
    }
    for prompt, seconds, param in (("", 1.0, "prompt"), ("wind", 0.2, "duration_seconds"),
                                   ("wind", 31.0, "duration_seconds")):  # fmt: skip
        with pytest.raises(InvalidRequest) as err:
            e.generate(prompt, seconds, None)
        assert err.value.param == param
    assert len(seen) == 1  # nothing invalid was sent
