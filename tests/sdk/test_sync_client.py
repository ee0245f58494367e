"""``seesay_sdk.Client`` against a live server (real uvicorn on loopback): every platform method
and the typed errors a user meets."""

from __future__ import annotations

import io
import time

import httpx
import pytest

import seesay_sdk
from seesay.platform import Platform
from seesay_sdk import errors
from seesay_sdk.types import Job
from support.accounts import make_key
from support.live import free_port


@pytest.fixture(scope="module")
def key(sdk_platform: Platform) -> str:
    return make_key(sdk_platform, plan="paid", credits=500).key


@pytest.fixture
def client(live_url: str, key: str) -> seesay_sdk.Client:
    with seesay_sdk.Client(base_url=live_url, api_key=key, timeout=120) as c:
        yield c  # type: ignore[misc]


def test_account_shows_plan_and_balance(client: seesay_sdk.Client) -> None:
    account = client.account(days=7)
    assert account.plan.name == "paid"
    assert account.key_mode == "live"
    assert account.balances.credits >= 400
    assert account.usage.days == 7
    assert account.webhook_secret


def test_voices_and_engines_come_from_the_registry(client: seesay_sdk.Client) -> None:
    voices = client.voices()
    assert voices
    assert all(v.id and v.engine for v in voices)
    english = client.voices(language="en")
    assert english[0].language.startswith("en")  # best match first
    japanese = client.voices(language="ja")
    assert {v.id for v in japanese} != {v.id for v in english}
    engines = client.engines()
    assert {e.task for e in engines} >= {"tts"}


def test_speech_now_then_download_the_audio(client: seesay_sdk.Client, tmp_path) -> None:
    before = client.account().balances.credits
    speech = client.speech("Hello from the SeeSay SDK.", voice="eve", format="mp3")
    assert speech.duration_seconds > 0.5
    assert speech.format == "mp3"
    assert speech.credits_used > 0
    assert speech.credits_remaining == pytest.approx(before - speech.credits_used)
    target = tmp_path / "hello.mp3"
    data = client.files.download(speech.audio_url, target)
    assert target.read_bytes() == data
    assert data[:3] == b"ID3" or data[0] == 0xFF  # an MP3 stream
    with client.files.stream(speech.audio_url) as audio:
        assert audio.content_type == "audio/mpeg"
        assert b"".join(audio.iter_bytes()) == data


def test_speech_as_a_job_then_wait(client: seesay_sdk.Client) -> None:
    job = client.speech("Queued hello.", wait=False)
    assert isinstance(job, Job)
    assert job.kind == "speech"
    assert job.status in {"queued", "running", "succeeded"}
    assert client.jobs.get(job.id).id == job.id
    done = client.jobs.wait(job.id, timeout=120)
    assert done.status == "succeeded", done.error
    assert done.audio_url is not None
    assert len(client.files.download(done.audio_url)) > 1000
    # Cancelling a finished job returns it unchanged.
    assert client.jobs.cancel(job.id).status == "succeeded"


def test_wait_gives_up_after_its_timeout(client: seesay_sdk.Client) -> None:
    # Long enough (several seconds of synthesis) to be unfinished at the first poll.
    job = client.speech("Waiting for this job is given up at once. " * 6, wait=False)
    with pytest.raises(errors.JobWaitTimeout) as caught:
        client.jobs.wait(job.id, timeout=0)
    assert caught.value.job.id == job.id
    assert client.jobs.wait(job.id, timeout=120).done  # nothing left running at teardown


def test_keys_create_list_revoke(client: seesay_sdk.Client, live_url: str) -> None:
    created = client.keys.create(name="ci", mode="test")
    assert created.key.startswith("seesay_test_")
    assert created.id in {k.id for k in client.keys.list()}
    with seesay_sdk.Client(base_url=live_url, api_key=created.key) as other:
        assert other.account().key_mode == "test"
        revoked = client.keys.revoke(created.id)
        assert revoked.revoked_at is not None
        with pytest.raises(errors.AuthenticationError) as caught:
            other.account()
    assert caught.value.status_code == 401
    assert caught.value.code == "invalid_api_key"
    assert caught.value.request_id


def test_typed_errors(client: seesay_sdk.Client, live_url: str, sdk_platform: Platform) -> None:
    with pytest.raises(errors.InvalidRequestError) as bad_voice:
        client.speech("Hello.", voice="no-such-voice")
    assert bad_voice.value.status_code == 400
    assert bad_voice.value.code == "invalid_voice"
    assert bad_voice.value.param == "voice"

    with pytest.raises(errors.NotFoundError) as missing:
        client.jobs.get("job_doesnotexist")
    assert missing.value.code == "not_found"

    with pytest.raises(errors.NotFoundError):
        client.keys.revoke("key_doesnotexist")

    poor = make_key(sdk_platform, plan="paid", credits=0).key
    with (
        seesay_sdk.Client(base_url=live_url, api_key=poor) as broke,
        pytest.raises(errors.InsufficientCreditsError) as no_credits,
    ):
        broke.speech("This costs credits the account does not have.")
    assert no_credits.value.status_code == 402
    assert no_credits.value.code == "quota_exceeded"

    url = client.speech("Signed.").audio_url
    with pytest.raises(errors.PermissionDeniedError) as tampered:
        client.files.download(url.replace("sig=", "sig=0"))
    assert tampered.value.status_code == 403

    with (
        seesay_sdk.Client(base_url=live_url, api_key="seesay_live_wrong") as wrong,
        pytest.raises(errors.AuthenticationError),
    ):
        wrong.voices()


def test_rate_limit_is_a_rate_limit_error_with_retry_after(
    live_url: str, sdk_platform: Platform
) -> None:
    free = make_key(sdk_platform, plan="free", credits=0).key
    with seesay_sdk.Client(base_url=live_url, api_key=free, max_retries=0) as c:
        for _ in range(10):
            c.voices()
        started = time.monotonic()
        with pytest.raises(errors.RateLimitError) as limited:
            c.voices()
    assert time.monotonic() - started < 1.0
    assert limited.value.status_code == 429
    assert limited.value.code == "rate_limit_exceeded"
    assert limited.value.retry_after is not None
    assert 1 <= limited.value.retry_after <= 60


def test_unreachable_server_is_a_connection_error() -> None:
    port = free_port()  # nothing listens there
    with (
        seesay_sdk.Client(base_url=f"http://127.0.0.1:{port}", api_key="k", max_retries=1) as c,
        pytest.raises(errors.APIConnectionError) as caught,
    ):
        c.voices()
    assert "127.0.0.1" in str(caught.value)


def test_bring_your_own_http_client_is_not_closed(live_url: str, key: str) -> None:
    http = httpx.Client()
    with seesay_sdk.Client(base_url=live_url, api_key=key, http_client=http) as c:
        assert c.voices()
    assert not http.is_closed
    http.close()


def test_file_objects_and_paths_are_accepted_as_uploads() -> None:
    from seesay_sdk import _endpoints as ep

    call = ep.describe(
        io.BytesIO(b"\x89PNG..."),
        image_base64=None,
        mime_type=None,
        detail="brief",
        language=None,
        prompt=None,
        idempotency_key=None,
    )
    assert call.files is not None
    assert call.files["image"][1] == b"\x89PNG..."
    assert call.data == {"detail": "brief"}
    url_call = ep.describe(
        "https://example.com/a.png",
        image_base64=None,
        mime_type=None,
        detail=None,
        language="fr",
        prompt=None,
        idempotency_key=None,
    )
    assert url_call.json == {"image_url": "https://example.com/a.png", "language": "fr"}
