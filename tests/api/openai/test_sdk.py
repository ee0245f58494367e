"""The official ``openai`` Python SDK against a live ``seesay serve`` process, with the chat
bridge pointed at a real local OpenAI-compatible provider process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest
from openai import OpenAI

from support.live import free_port, run_cli, spawn, wait_until_ready
from support.speech import assert_heard
from support.upstream_openai import SECRET_MARKER, Upstream, start_upstream

pytestmark = pytest.mark.slow

FOX = "The quick brown fox jumps over the lazy dog."
WEATHER_TOOL: Any = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get current weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    with start_upstream() as server:
        yield server


@pytest.fixture(scope="module")
def server(
    upstream: Upstream, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """(base URL of /v1, an API key with 100 credits)."""
    home = tmp_path_factory.mktemp("sdk")
    providers = [
        {
            "name": "local",
            "base_url": upstream.base_url,
            "api_key": upstream.api_key,
            "models": [
                "echo-model",
                "fail-500",
                {"id": "local:free", "free": True, "upstream_model": "echo-model"},
            ],
        }
    ]
    env = {"SEESAY_DATA_DIR": str(home / "data"), "SEESAY_PROVIDERS": json.dumps(providers)}
    done = run_cli("keys", "create", "--plan", "paid", "--credits", "100", env=env)
    assert done.returncode == 0, done.stderr
    key = done.stdout.strip().splitlines()[-1]
    port = free_port()
    with spawn("serve", "--port", str(port), env=env, log=home / "serve.log") as proc:
        wait_until_ready(f"http://127.0.0.1:{port}/healthz", timeout=60, proc=proc)
        yield f"http://127.0.0.1:{port}/v1", key


@pytest.fixture(scope="module")
def client(server: tuple[str, str]) -> OpenAI:
    base, key = server
    return OpenAI(base_url=base, api_key=key, max_retries=0, timeout=120)


@pytest.fixture(scope="module")
def speech_mp3(client: OpenAI) -> bytes:
    response = client.audio.speech.create(model="tts-1", voice="onyx", input=FOX)
    data: bytes = response.content
    return data


def test_speech_create(speech_mp3: bytes) -> None:
    assert len(speech_mp3) > 5000
    assert speech_mp3[:3] == b"ID3" or speech_mp3[0] == 0xFF


def test_speech_streaming_response(client: OpenAI, tmp_path: Path) -> None:
    chunks: list[bytes] = []
    with client.audio.speech.with_streaming_response.create(
        model="tts-1",
        voice="nova",
        input="First sentence here. And a second one follows. Then a third.",
        response_format="wav",
    ) as response:
        assert response.headers["content-type"] == "audio/wav"
        chunks.extend(response.iter_bytes())
    audio = b"".join(chunks)
    assert audio.startswith(b"RIFF")
    assert len(audio) > 20_000


def test_transcriptions_json_and_verbose_json_with_words(client: OpenAI, speech_mp3: bytes) -> None:
    plain = client.audio.transcriptions.create(
        model="whisper-1", file=("fox.mp3", speech_mp3, "audio/mpeg")
    )
    assert_heard(FOX, plain.text)
    verbose = client.audio.transcriptions.create(
        model="whisper-1",
        file=("fox.mp3", speech_mp3, "audio/mpeg"),
        language="en",
        response_format="verbose_json",
        timestamp_granularities=["word", "segment"],
    )
    assert verbose.language == "english"
    assert verbose.duration > 2
    assert verbose.words is not None
    assert_heard(FOX, " ".join(w.word for w in verbose.words))
    assert all(a.end <= b.start + 0.01 for a, b in zip(verbose.words, verbose.words[1:]))
    assert verbose.segments is not None
    assert verbose.segments[0].end > verbose.segments[0].start
    srt = client.audio.transcriptions.create(
        model="whisper-1", file=("fox.mp3", speech_mp3), response_format="srt"
    )
    assert " --> " in str(srt)


def test_chat_non_streaming_and_streaming(client: OpenAI) -> None:
    done = client.chat.completions.create(
        model="echo-model", messages=[{"role": "user", "content": "Hello"}]
    )
    assert done.choices[0].message.content == "You said: Hello"
    assert done.model == "echo-model"
    stream = client.chat.completions.create(
        model="echo-model", messages=[{"role": "user", "content": "Hello"}], stream=True
    )
    text = "".join(event.choices[0].delta.content or "" for event in stream)
    assert text.strip() == "You said: Hello"


def test_chat_with_tools_streaming_and_not(client: OpenAI) -> None:
    messages: list[Any] = [{"role": "user", "content": "What is the weather in Rome?"}]
    first = client.chat.completions.create(
        model="echo-model", messages=messages, tools=[WEATHER_TOOL], tool_choice="auto"
    )
    assert first.choices[0].finish_reason == "tool_calls"
    call = first.choices[0].message.tool_calls[0]  # type: ignore[index]
    assert call.function.name == "get_weather"  # type: ignore[union-attr]
    assert json.loads(call.function.arguments) == {"city": "Rome"}  # type: ignore[union-attr]
    messages += [
        first.choices[0].message.model_dump(exclude_none=True),
        {"role": "tool", "tool_call_id": call.id, "content": '{"temp_c": 22}'},
    ]
    second = client.chat.completions.create(
        model="echo-model", messages=messages, tools=[WEATHER_TOOL]
    )
    assert second.choices[0].message.content == 'Tool said: {"temp_c": 22}'
    stream = client.chat.completions.create(
        model="echo-model", messages=messages[:1], tools=[WEATHER_TOOL], stream=True
    )
    arguments, finish = "", None
    for event in stream:
        for delta in event.choices[0].delta.tool_calls or []:
            arguments += delta.function.arguments or ""  # type: ignore[union-attr]
        finish = event.choices[0].finish_reason or finish
    assert json.loads(arguments) == {"city": "Rome"}
    assert finish == "tool_calls"


def test_the_clients_key_never_reaches_upstream_and_500_is_not_echoed(
    client: OpenAI, server: tuple[str, str], upstream: Upstream
) -> None:
    _, key = server
    upstream.clear()
    client.chat.completions.create(model="echo-model", messages=[{"role": "user", "content": "a"}])
    with pytest.raises(openai.InternalServerError) as err:
        client.chat.completions.create(
            model="fail-500", messages=[{"role": "user", "content": "a"}]
        )
    assert err.value.status_code == 502
    assert SECRET_MARKER not in err.value.response.text
    assert "hunter2" not in err.value.response.text
    seen = upstream.requests()
    assert len(seen) == 2
    for request in seen:
        assert request["authorization"] == f"Bearer {upstream.api_key}"
        assert key not in json.dumps(request)


def test_free_model_limit_through_the_sdk(server: tuple[str, str]) -> None:
    base, key = server
    client = OpenAI(base_url=base, api_key=key, max_retries=0)
    for _ in range(20):
        client.chat.completions.create(
            model="local:free", messages=[{"role": "user", "content": "x"}]
        )
    with pytest.raises(openai.RateLimitError) as err:
        client.chat.completions.create(
            model="local:free", messages=[{"role": "user", "content": "x"}]
        )
    assert 1 <= int(err.value.response.headers["retry-after"]) <= 60


def test_models_list(client: OpenAI) -> None:
    ids = [m.id for m in client.models.list()]
    for expected in ("tts-1", "whisper-1", "seesay-vision", "echo-model", "local:free"):
        assert expected in ids
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("no-such-model")
