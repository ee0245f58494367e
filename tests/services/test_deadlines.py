"""A request whose engine overruns its deadline gets the surface's timeout error, costs
nothing and frees its concurrency slot; the engine stops at its next deadline check.

The engine here is ``SlowFakeSttEngine``, a test-only stand-in that would run for a minute:
it replaces the configured speech-to-text engines where the registry builds them, so the
request goes through the real routes, metering, concurrency limiter and inference executor.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.requests import Request

from engines.stt.helpers import encode, tone
from seesay.api import create_app
from seesay.api.imagedescriber.errors import render_describer_error
from seesay.api.img2voice.errors import render_img2voice_error
from seesay.api.vimmerse.errors import render_vimmerse_error
from seesay.api.voiceclone.errors import render_voiceclone_error
from seesay.engines import deadline
from seesay.engines import stt as stt_engines
from seesay.engines.base import Audio, Engine, EngineContext, EngineInfo, Task, Transcript
from seesay.engines.stt.settings import SttSettings
from seesay.errors import EngineTimeout
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key
from support.webvoice import BASE as WEBVOICE

DEADLINE = 0.5


class SlowFakeSttEngine:
    """Test-only: each transcription would take a minute. A cooperative one checks the
    request's deadline every 10 ms; an uncooperative one never does. ``fast`` makes the
    running and the next transcriptions answer at once."""

    def __init__(self, *, cooperative: bool = True) -> None:
        self.cooperative = cooperative
        self.fast = False
        self.started = threading.Event()
        self.stopped = threading.Event()
        self.remaining: float | None = None
        self.info = EngineInfo(
            name="whisper",
            task=Task.STT,
            model="slow-fake",
            licence="test",
            local=True,
            languages=("en",),
            formats=("wav",),
        )

    def load(self) -> None:
        return None

    def unload(self) -> None:
        return None

    def transcribe(self, audio: Audio, language: str | None, **_: Any) -> Transcript:
        self.stopped.clear()
        self.remaining = deadline.remaining()
        self.started.set()
        try:
            end = time.monotonic() + (0.0 if self.fast else 60.0)
            while not self.fast and time.monotonic() < end:
                if self.cooperative:
                    deadline.check()
                time.sleep(0.01)
            return Transcript(text="finished", language="en", duration=audio.duration)
        finally:
            self.stopped.set()


@pytest.fixture
def slow_engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowFakeSttEngine]:
    engine = SlowFakeSttEngine()

    def build(settings: SttSettings, ctx: EngineContext) -> list[Engine]:
        return [engine]

    monkeypatch.setattr(stt_engines, "build", build)
    yield engine
    engine.fast = True  # let an abandoned uncooperative call end with the test


@pytest.fixture
def slow_client(tmp_path: Path, slow_engine: SlowFakeSttEngine) -> Iterator[TestClient]:
    settings = load_settings(
        data_dir=tmp_path / "data",
        deadlines={"transcribe": DEADLINE, "transcribe_per_audio_second": 0.0},
    )
    platform = Platform.build(settings)
    app: FastAPI = create_app(settings, platform=platform)
    with TestClient(app) as client:
        yield client


def _platform(client: TestClient) -> Platform:
    platform: Platform = client.app.state.platform  # type: ignore[attr-defined]
    return platform


CLIP = encode(tone(2.0, 16_000), 16_000, "wav")


def _openai(client: TestClient, key: str) -> Any:
    return client.post(
        "/v1/audio/transcriptions",
        headers={"Authorization": f"Bearer {key}"},
        files={"file": ("clip.wav", CLIP, "audio/wav")},
        data={"model": "whisper-1", "language": "en"},
    )


def test_openai_transcription_times_out_refunds_and_frees_the_slot(
    slow_client: TestClient, slow_engine: SlowFakeSttEngine
) -> None:
    platform = _platform(slow_client)
    key = make_key(platform, plan="free", credits=10)  # the free plan allows 1 at a time
    before = platform.ledger.balances(key.account_id).total

    r = _openai(slow_client, key.key)

    assert r.status_code == 504, r.text
    error = r.json()["error"]
    assert error["type"] == "server_error"
    assert error["code"] == "timeout"
    assert "deadline" in error["message"]
    assert platform.ledger.balances(key.account_id).total == before
    # The engine saw its deadline pass and stopped instead of running on for a minute.
    assert slow_engine.stopped.wait(10)

    # Its one concurrent slot is free again: the next request runs (and is charged).
    slow_engine.fast = True
    again = _openai(slow_client, key.key)
    assert again.status_code == 200, again.text
    assert again.json()["text"] == "finished"
    assert platform.ledger.balances(key.account_id).total < before


def test_an_engine_that_never_checks_still_times_out(
    slow_client: TestClient, slow_engine: SlowFakeSttEngine
) -> None:
    slow_engine.cooperative = False
    platform = _platform(slow_client)
    key = make_key(platform, plan="free", credits=10)
    before = platform.ledger.balances(key.account_id).total

    r = _openai(slow_client, key.key)

    assert r.status_code == 504, r.text
    assert r.json()["error"]["code"] == "timeout"
    assert not slow_engine.stopped.is_set()  # the caller did not wait for the engine
    assert platform.ledger.balances(key.account_id).total == before
    # The slot is free although the abandoned call still runs.
    second = _openai(slow_client, key.key)
    assert second.status_code == 504, second.text


def test_native_and_webvoice_answer_their_timeout_shapes(
    slow_client: TestClient, slow_engine: SlowFakeSttEngine
) -> None:
    platform = _platform(slow_client)
    key = make_key(platform, plan="free", credits=10)
    before = platform.ledger.balances(key.account_id).total

    native = slow_client.post(
        "/v1/transcribe",
        headers={"Authorization": f"Bearer {key.key}"},
        files={"file": ("clip.wav", CLIP, "audio/wav")},
        data={"language": "en"},
    )
    assert native.status_code == 504, native.text
    assert native.json()["error"]["code"] == "timeout"

    webvoice = slow_client.post(
        f"{WEBVOICE}/stt/",
        headers={"X-API-Key": key.key},
        files={"audio": ("clip.wav", CLIP, "audio/wav")},
        data={"language": "en"},
    )
    assert webvoice.status_code == 504, webvoice.text
    body = webvoice.json()
    assert body["success"] is False
    assert body["error"] == "Gateway Timeout"
    assert body["code"] == "timeout"
    assert platform.ledger.balances(key.account_id).total == before


def _request(path: str) -> Request:
    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "headers": [],
        "query_string": b"",
        "app": FastAPI(),
    }
    return Request(scope)


@pytest.mark.parametrize(
    ("render", "path", "status", "expected"),
    [
        # The specs without a timeout code: their documented server error, "retry".
        (render_img2voice_error, "/compat/img2voice/v1", 500, {"error": {"code": "server_error"}}),
        (render_describer_error, "/compat/imagedescriber", 500, {"code": 500, "succeed": False}),
        (render_voiceclone_error, "/compat/voiceclone", 500, {"code": "INTERNAL_ERROR"}),
        (render_vimmerse_error, "/compat/vimmerse/v2/audio", 504, {"code": "timeout"}),
    ],
)
def test_other_surfaces_map_a_timeout_to_their_server_error(
    render: Any, path: str, status: int, expected: dict[str, Any]
) -> None:
    response = render(_request(path), EngineTimeout("it took too long"))
    assert response.status_code == status
    body = json.loads(response.body)
    for name, value in expected.items():
        if isinstance(value, dict):
            assert {k: body[name][k] for k in value} == value
        else:
            assert body[name] == value


def test_a_longer_clip_gets_a_longer_deadline(
    tmp_path: Path, slow_engine: SlowFakeSttEngine
) -> None:
    settings = load_settings(
        data_dir=tmp_path, deadlines={"transcribe": DEADLINE, "transcribe_per_audio_second": 2.0}
    )
    platform = Platform.build(settings)
    try:
        slow_engine.fast = True
        key = make_key(platform, credits=10)
        who = platform.accounts.authenticate(key.key)
        result = platform.transcription.transcribe(who, CLIP, language="en")
        assert result.text == "finished"
        # 0.5 s, and 2 s for each of the clip's 2 seconds.
        assert slow_engine.remaining is not None
        assert DEADLINE + 3.0 < slow_engine.remaining <= DEADLINE + 4.0
    finally:
        platform.close()


def test_the_audio_allowance_grows_the_transcription_deadline(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    seconds = settings.deadlines.seconds_for
    assert seconds("transcribe.run", audio_seconds=600) == pytest.approx(
        settings.deadlines.transcribe + 600 * settings.deadlines.transcribe_per_audio_second
    )
    assert seconds("speech.synthesize", audio_seconds=600) == settings.deadlines.speech
    assert seconds("unknown.call") is None
