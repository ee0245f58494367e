"""Native jobs: POST /v1/voices (clone), POST /v1/sounds, POST /v1/music, polled at
GET /v1/jobs/{id} and reported by signed webhooks to a loopback receiver."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from seesay.api import create_app
from seesay.jobs import verify_signature, webhook_secret
from seesay.media.audio_decode import decode_audio
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key
from support.clone_samples import CLONE_ENGINES, Hooks, sample_bytes, spoken, webhook_receiver


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Platform, TestClient]]:
    tmp: Path = tmp_path_factory.mktemp("native-jobs")
    settings = load_settings(
        data_dir=tmp,
        engines=CLONE_ENGINES,
        fetch={"allowed_hosts": ["127.0.0.1"]},  # the webhook receiver is on loopback
    )
    platform = Platform.build(settings)
    with TestClient(create_app(settings, platform=platform)) as client:
        yield platform, client


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    with webhook_receiver() as receiver:
        yield receiver


def _headers(platform: Platform, credits: float = 5000) -> tuple[dict[str, str], str]:
    key = make_key(platform, credits=credits)
    return {"X-API-Key": key.key}, key.account_id


def _finish(client: TestClient, headers: dict[str, str], job_id: str) -> Any:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish")


def assert_spoken_like_the_answer(result: dict[str, Any], answer: dict[str, Any]) -> None:
    """A queued speech's result says what the answer of one spoken now says, by its names
    (the audio as ``audio_url``, signed beside the stored ``blob_id``)."""
    shared = set(answer) - {"id", "object", "credits_used", "credits_remaining"}
    assert shared <= set(result), sorted(shared - set(result))
    assert {"duration", "fell_back", "reason"}.isdisjoint(result), sorted(result)
    assert result["voice"] == answer["voice"]
    assert result["audio_url"].startswith("http://testserver/files/")


def test_a_queued_speech_says_what_one_spoken_now_says(env: tuple[Platform, TestClient]) -> None:
    platform, client = env
    headers, _ = _headers(platform)
    body = {"text": "Hola.", "voice": "en_US-joe-medium", "language": "es", "format": "wav"}
    now = client.post("/v1/speech", headers=headers, json=body)
    assert now.status_code == 200, now.text
    assert now.json()["voice_fallback"]  # joe speaks no Spanish: another voice speaks
    queued = client.post("/v1/speech", headers=headers, json={**body, "async": True})
    assert queued.status_code == 202, queued.text
    done = _finish(client, headers, queued.json()["id"])
    assert done["status"] == "succeeded", done
    assert_spoken_like_the_answer(done["result"], now.json())
    assert done["result"]["voice_fallback"] == now.json()["voice_fallback"]
    assert abs(done["result"]["duration_seconds"] - now.json()["duration_seconds"]) < 0.05


def _hook_for(platform: Platform, hooks: Hooks, job_id: str, account: str) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for headers, body in hooks.received:
            event = json.loads(body)
            if event["id"] == job_id:
                secret = webhook_secret(
                    platform.settings.signing_secrets[0].get_secret_value(), account
                )
                assert verify_signature(secret, body, headers["SeeSay-Signature"])
                return dict(event)
        time.sleep(0.05)
    raise AssertionError("no webhook arrived")


def test_clone_job_with_webhook(env: tuple[Platform, TestClient], hooks: Hooks) -> None:
    platform, client = env
    headers, account = _headers(platform)
    sample = sample_bytes(spoken(platform), "wav")
    answer = client.post(
        "/v1/voices",
        headers=headers,
        files={"file": ("me.wav", sample)},
        data={"name": "Me", "consent": "true", "webhook_url": hooks.url, "tags": "a,b"},
    )
    assert answer.status_code == 202, answer.text
    created = answer.json()
    assert created["object"] == "job"
    assert created["kind"] == "voice_clone"
    assert created["voice"]["status"] == "processing"
    assert created["voice"]["consent"]["how"] == "explicit"
    voice_id = created["voice"]["id"]
    job = _finish(client, headers, created["id"])
    assert job["status"] == "succeeded"
    assert job["result"]["voice"]["id"] == voice_id
    assert job["result"]["audio_url"]  # the sample, signed
    event = _hook_for(platform, hooks, created["id"], account)
    assert event["status"] == "succeeded"
    voice = client.get(f"/v1/voices/{voice_id}", headers=headers).json()
    assert voice["status"] == "ready"
    assert voice["type"] == "clone"
    assert voice["tags"] == ["a", "b"]
    assert "not neural" in voice["method"]
    listed = client.get("/v1/voices", headers=headers).json()["data"]
    assert [v["type"] for v in listed if v["id"] == voice_id] == ["clone"]
    # The clone speaks on /v1/speech too, at one credit per UTF-8 byte.
    said = client.post("/v1/speech", headers=headers, json={"text": "Héllo.", "voice": voice_id})
    assert said.status_code == 200, said.text
    assert said.json()["voice"] == voice_id
    assert said.json()["credits_used"] == 7
    queued = client.post(
        "/v1/speech", headers=headers, json={"text": "Later.", "voice": voice_id, "async": True}
    )
    assert queued.status_code == 202
    assert _finish(client, headers, queued.json()["id"])["status"] == "succeeded"
    # Speed holds in a queued request as in an answered one.
    text = "Later, when the rain stops, we will walk to the station together."
    now = client.post("/v1/speech", headers=headers, json={"text": text, "voice": voice_id})
    fast = client.post(
        "/v1/speech",
        headers=headers,
        json={"text": text, "voice": voice_id, "async": True, "speed": 2.0},
    )
    done = _finish(client, headers, fast.json()["id"])
    assert done["status"] == "succeeded", done
    # Ignored, the speed would leave the length as it is (a ratio near 1). At twice the speed
    # a clone's speech is not halved: one CI run measured 0.755 of the length, others less.
    assert done["result"]["duration_seconds"] < 0.85 * now.json()["duration_seconds"]
    assert_spoken_like_the_answer(done["result"], now.json())
    other, _ = _headers(platform)
    refused = client.post("/v1/speech", headers=other, json={"text": "Hi.", "voice": voice_id})
    assert refused.status_code == 400  # not theirs: an unknown voice, as for any other id
    assert client.get(f"/v1/voices/{voice_id}", headers=other).status_code == 404
    assert voice_id not in {v["id"] for v in client.get("/v1/voices", headers=other).json()["data"]}
    assert client.get(f"/v1/jobs/{created['id']}", headers=other).status_code == 404


def test_clone_job_needs_consent(env: tuple[Platform, TestClient]) -> None:
    platform, client = env
    headers, _ = _headers(platform)
    sample = sample_bytes(spoken(platform, "A short one."), "mp3")
    answer = client.post("/v1/voices", headers=headers, files={"file": ("me.mp3", sample)})
    assert answer.status_code == 400
    assert answer.json()["error"]["param"] == "consent"


def test_sound_and_music_jobs_with_webhooks(env: tuple[Platform, TestClient], hooks: Hooks) -> None:
    platform, client = env
    headers, account = _headers(platform, credits=100)
    sound = client.post(
        "/v1/sounds",
        headers=headers,
        json={"prompt": "thunder and heavy rain", "duration_seconds": 3, "webhook_url": hooks.url},
    )
    music = client.post(
        "/v1/music",
        headers=headers,
        json={"prompt": "fast rock with drums", "duration_seconds": 4, "webhook_url": hooks.url},
    )
    assert sound.status_code == music.status_code == 202
    assert platform.ledger.balances(account).total == (100 - 3 - 4) * 1000  # held up front
    for created, seconds in ((sound.json(), 3), (music.json(), 4)):
        job = _finish(client, headers, created["id"])
        assert job["status"] == "succeeded", job
        audio = client.get(job["result"]["audio_url"].replace("http://testserver", ""))
        assert decode_audio(audio.content).duration == pytest.approx(seconds, abs=0.1)
        assert _hook_for(platform, hooks, created["id"], account)["status"] == "succeeded"
    assert sound.json()["kind"] == "sound"
    assert (
        "thunder" in _finish(client, headers, sound.json()["id"])["result"]["details"]["understood"]
    )
    assert platform.ledger.balances(account).total == 93 * 1000


def test_a_failed_sound_job_is_refunded(env: tuple[Platform, TestClient]) -> None:
    platform, client = env
    headers, account = _headers(platform, credits=10)
    created = client.post("/v1/sounds", headers=headers, json={"prompt": "qwzx flurb"}).json()
    job = _finish(client, headers, created["id"])
    assert job["status"] == "failed"
    assert job["error"]["param"] == "prompt"
    assert platform.ledger.balances(account).total == 10 * 1000
    refused = client.post(
        "/v1/music", headers=headers, json={"prompt": "jazz", "duration_seconds": 500}
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["param"] == "duration"
