"""The inference methods (describe, img2voice and its stream, transcribe, translate) with the
real bundled models: the sync client against a live server, the async client through httpx's
ASGI transport on the same in-process app."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

import seesay_sdk
from sdk.media import corrupt_jpeg, photo_jpeg, serve_folder
from seesay.media.audio_decode import decode_audio
from seesay.platform import Platform
from seesay_sdk import errors
from support.accounts import make_key
from support.speech import assert_heard

FOX = "The quick brown fox jumps over the lazy dog."


@pytest.fixture(scope="module")
def key(sdk_platform: Platform) -> str:
    return make_key(sdk_platform, plan="paid", credits=500).key


@pytest.fixture(scope="module")
def client(live_url: str, key: str) -> Iterator[seesay_sdk.Client]:
    with seesay_sdk.Client(base_url=live_url, api_key=key, timeout=180) as c:
        yield c


@pytest.fixture
async def aclient(sdk_app: FastAPI, key: str) -> AsyncIterator[seesay_sdk.AsyncClient]:
    transport = httpx.ASGITransport(app=sdk_app)
    async with (
        httpx.AsyncClient(transport=transport, timeout=180) as http,
        seesay_sdk.AsyncClient(base_url="http://testserver", api_key=key, http_client=http) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("images") / "cat.jpg"
    path.write_bytes(photo_jpeg())
    return path


def test_describe_a_file_bytes_base64_and_url(client: seesay_sdk.Client, photo: Path) -> None:
    described = client.describe(photo, detail="brief")
    assert described.description
    assert described.language == "en"
    assert described.engines["vision"]
    assert described.credits_used == 1
    assert "total_ms" in described.timings

    from_bytes = client.describe(photo.read_bytes(), detail="brief")
    assert from_bytes.description == described.description
    encoded = base64.b64encode(photo.read_bytes()).decode()
    assert client.describe(image_base64=encoded, detail="brief").description
    assert client.describe(f"data:image/jpeg;base64,{encoded}", detail="brief").description
    with serve_folder(photo.parent) as base:
        assert client.describe(f"{base}/{photo.name}", detail="brief").description


def test_img2voice_speaks_the_description(client: seesay_sdk.Client, photo: Path) -> None:
    result = client.img2voice(photo, voice="eve", format="wav")
    assert result.description
    assert result.audio_url
    assert result.voice_requested == "eve"
    audio = decode_audio(client.files.download(result.audio_url))
    assert abs(audio.duration - result.duration_seconds) < 0.3


def test_img2voice_stream_yields_audio_as_it_is_made(
    client: seesay_sdk.Client, photo: Path, tmp_path: Path
) -> None:
    with client.img2voice_stream(photo, voice="rex", format="mp3") as stream:
        assert stream.content_type == "audio/mpeg"
        assert stream.description  # known before the first audio byte
        assert stream.voice
        assert stream.id
        chunks = list(stream.iter_bytes())
    assert len(chunks) >= 1
    assert sum(map(len, chunks)) > 2000
    assert decode_audio(b"".join(chunks)).duration > 1.0


def test_transcribe_round_trips_speech(client: seesay_sdk.Client, tmp_path: Path) -> None:
    spoken = client.speech(FOX, format="wav")
    wav = tmp_path / "fox.wav"
    client.files.download(spoken.audio_url, wav)
    heard = client.transcribe(wav, language="en", word_timestamps=True)
    assert_heard(FOX, heard.text)
    assert heard.language.startswith("en")
    assert heard.duration_seconds > 1
    assert heard.segments
    assert heard.words
    assert heard.credits_used > 0


def test_translate(client: seesay_sdk.Client) -> None:
    out = client.translate("The dog is on the table.", to="es")
    assert out.target == "es"
    assert out.source == "en"
    assert out.text
    assert out.text != "The dog is on the table."
    assert out.engine


def test_inference_errors_are_typed(client: seesay_sdk.Client, tmp_path: Path) -> None:
    with pytest.raises(errors.InvalidRequestError) as bad_image:
        client.describe(corrupt_jpeg())
    assert bad_image.value.code == "invalid_image"
    assert bad_image.value.param == "image"
    with pytest.raises(errors.InvalidRequestError) as unsafe:
        client.describe("http://169.254.169.254/latest/meta-data")
    assert unsafe.value.param == "image_url"
    with pytest.raises(errors.InvalidRequestError) as bad_voice:
        client.img2voice(photo_jpeg(), voice="nobody")
    assert bad_voice.value.code == "invalid_voice"
    with pytest.raises(errors.InvalidRequestError) as bad_audio:
        client.transcribe(b"this is not audio")
    assert bad_audio.value.code == "invalid_audio"
    with pytest.raises(errors.InvalidRequestError) as bad_language:
        client.translate("Hello.", to="not a language")
    assert bad_language.value.param == "target"


# -- the async client, in process ---------------------------------------------------------------


@pytest.mark.anyio
async def test_async_inference_methods(aclient: seesay_sdk.AsyncClient, photo: Path) -> None:
    described = await aclient.describe(photo, detail="brief", prompt="What animal is this?")
    assert described.description
    spoken = await aclient.img2voice(photo_jpeg(), voice="ara")
    assert spoken.audio_url.startswith("http://testserver/files/")
    audio = await aclient.files.download(spoken.audio_url)
    assert abs(decode_audio(audio).duration - spoken.duration_seconds) < 0.3

    stream = await aclient.img2voice_stream(photo, format="wav")
    async with stream:
        assert stream.description
        data = b"".join([chunk async for chunk in stream])
    assert decode_audio(data).duration > 1.0

    heard = await aclient.transcribe(audio, language="en")
    assert heard.text
    translated = await aclient.translate("Good morning.", to="es", source="en")
    assert translated.text
    with pytest.raises(errors.InvalidRequestError):
        await aclient.describe(corrupt_jpeg())
