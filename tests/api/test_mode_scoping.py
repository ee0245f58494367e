"""Live and test mode are separate worlds within one account: a ``seesay_test_`` key sees and
acts on test-mode jobs, keys, voices and webhook secret only, and a live key on live jobs,
voices and secret (the probe's test key read, cancelled and revoked live resources). Keys are
the one exception upward: a live key, which may create test keys, also lists and revokes them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from seesay.accounts.plans import CREDIT
from seesay.api import create_app
from seesay.db.models import ClonedVoice
from seesay.jobs.contracts import JobKind
from seesay.jobs.store import JobView
from seesay.platform import Platform
from seesay.services.clone_speech import CLONE_SPEECH_JOB, CloneSpeechInput, SpeakingVoice
from seesay.services.clone_voices import CONSENT_STATEMENT, new_voice_id
from seesay.services.img2voice_batch import BATCH_JOB, BatchInput
from seesay.settings import Settings
from support.accounts import TestKey, make_key


@pytest.fixture
def idle_client(settings: Settings, platform: Platform) -> Iterator[TestClient]:
    """The app without job consumers, so submitted jobs stay queued."""
    with TestClient(create_app(settings, platform=platform, consume_jobs=False)) as client:
        yield client


def _both_modes(platform: Platform) -> tuple[TestKey, TestKey]:
    live = make_key(platform, credits=100)
    platform.ledger.grant(live.account_id, 100 * CREDIT, mode="test")
    test = make_key(platform, mode="test", account_id=live.account_id)
    return live, test


def _queued(
    platform: Platform, key: TestKey, kind: JobKind[Any], payload: Any, amount: int
) -> JobView:
    principal = platform.accounts.authenticate(key.key)
    return platform.jobs.submit(principal, kind, payload, feature="clone_speech", amount=amount)


_SPEECH = CloneSpeechInput(
    text="hi",
    format="mp3",
    language="en",
    credits=2,
    voice=SpeakingVoice(id="kokoro/af_heart", title="Heart", type="SYSTEM"),
)
_BATCH = BatchInput(images=[], detail="standard", language="en", format="mp3")


def test_a_test_key_neither_reads_nor_cancels_a_live_job(
    platform: Platform, idle_client: TestClient
) -> None:
    live, test = _both_modes(platform)
    job = _queued(platform, live, CLONE_SPEECH_JOB, _SPEECH, 60 * CREDIT)
    before = platform.ledger.balances(live.account_id, "live").total
    as_test = {"X-API-Key": test.key}

    assert idle_client.get(f"/v1/jobs/{job.id}", headers=as_test).status_code == 404
    assert idle_client.post(f"/v1/jobs/{job.id}/cancel", headers=as_test).status_code == 404
    tts = idle_client.get(f"/compat/voiceclone/api/v1/tts/{job.id}", headers=as_test)
    assert tts.status_code == 404

    # The live job is still queued and its 60 credits still held, not refunded.
    assert platform.jobs.get(platform.accounts.authenticate(live.key), job.id).status == "queued"
    assert platform.ledger.balances(live.account_id, "live").total == before
    seen = idle_client.get(f"/v1/jobs/{job.id}", headers={"X-API-Key": live.key})
    assert seen.status_code == 200
    assert seen.json()["status"] == "queued"


def test_a_test_key_cannot_read_a_live_img2voice_batch(
    platform: Platform, idle_client: TestClient
) -> None:
    live, test = _both_modes(platform)
    batch = _queued(platform, live, BATCH_JOB, _BATCH, CREDIT)
    path = f"/compat/img2voice/v1/batch/{batch.id}"
    assert idle_client.get(path, headers={"img2voice-api-key": test.key}).status_code == 404
    assert idle_client.get(path, headers={"img2voice-api-key": live.key}).status_code == 200


def test_a_live_key_cannot_read_a_test_job(platform: Platform, idle_client: TestClient) -> None:
    live, test = _both_modes(platform)
    job = _queued(platform, test, CLONE_SPEECH_JOB, _SPEECH, CREDIT)
    assert idle_client.get(f"/v1/jobs/{job.id}", headers={"X-API-Key": live.key}).status_code == 404
    assert idle_client.get(f"/v1/jobs/{job.id}", headers={"X-API-Key": test.key}).status_code == 200


def test_a_test_key_lists_and_revokes_test_keys_only(
    platform: Platform, client: TestClient
) -> None:
    live, test = _both_modes(platform)
    listed = client.get("/v1/keys", headers={"X-API-Key": test.key}).json()["data"]
    assert [k["id"] for k in listed] == [test.key_id]
    assert {k["mode"] for k in listed} == {"test"}

    revoke = client.delete(f"/v1/keys/{live.key_id}", headers={"X-API-Key": test.key})
    assert revoke.status_code == 404
    assert client.get("/v1/account", headers={"X-API-Key": live.key}).status_code == 200
    # A live key manages every key of its account (it may create test keys, too).
    live_listed = client.get("/v1/keys", headers={"X-API-Key": live.key}).json()["data"]
    assert {k["id"] for k in live_listed} == {live.key_id, test.key_id}
    assert client.delete(f"/v1/keys/{test.key_id}", headers={"X-API-Key": live.key}).is_success


def test_each_mode_has_its_own_webhook_secret(platform: Platform, client: TestClient) -> None:
    live, test = _both_modes(platform)
    live_secret = client.get("/v1/account", headers={"X-API-Key": live.key}).json()
    test_secret = client.get("/v1/account", headers={"X-API-Key": test.key}).json()
    assert live_secret["webhook_secret"].startswith("whsec_")
    assert test_secret["webhook_secret"].startswith("whsec_")
    assert live_secret["webhook_secret"] != test_secret["webhook_secret"]


def test_a_test_key_cannot_use_a_live_cloned_voice(platform: Platform, client: TestClient) -> None:
    live, test = _both_modes(platform)
    now = datetime.now(UTC)
    voice_id = new_voice_id()
    sample = platform.storage.put(b"RIFF", content_type="audio/wav", suffix=".wav")
    platform.voice_library.repo.add(
        ClonedVoice(
            id=voice_id,
            account_id=live.account_id,
            mode="live",
            title="mine",
            status="COMPLETED",
            engine="kokoro",
            sample_blob_id=sample,
            sample_format="wav",
            consent_at=now,
            consent_text=CONSENT_STATEMENT,
            consent_source="explicit",
            created_at=now,
            updated_at=now,
        )
    )
    assert client.get(f"/v1/voices/{voice_id}", headers={"X-API-Key": test.key}).status_code == 404
    assert client.get(f"/v1/voices/{voice_id}", headers={"X-API-Key": live.key}).status_code == 200
