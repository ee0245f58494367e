"""A batch whose worker died goes on where it stopped: images an earlier attempt finished are
neither spoken nor charged again, unless their audio is gone."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from api.img2voice.helpers import build_platform, photo_jpeg
from seesay.db.models import Job
from seesay.platform import Platform
from seesay.services.image_input import ImageInput
from seesay.services.img2voice import Img2VoiceRequest
from support.accounts import make_key

pytestmark = pytest.mark.slow

EARLIER = "Described by the attempt whose worker died."


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Platform]:
    built = build_platform(tmp_path, jobs={"lease_seconds": 2.0})
    yield built
    built.close()


def _image() -> ImageInput:
    return ImageInput(
        base64=base64.b64encode(photo_jpeg((320, 240))).decode(), mime_type="image/jpeg"
    )


def _worker_died_after_the_first_image(platform: Platform, job_id: str, audio: str) -> None:
    first = {
        "index": 0,
        "status": "completed",
        "description": EARLIER,
        "audio_blob": audio,
        "duration_seconds": 1.0,
        "voice_id": "rex",
        "voice": "en_US-joe-medium",
        "language": "en",
        "source_language": None,
        "translated": False,
        "elapsed_ms": 900,
    }
    progress = {"total": 2, "processed": 1, "succeeded": 1, "failed": 0, "results": [first]}
    with platform.db.write() as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(
                status="running",
                attempts=1,
                progress=progress,
                lease_owner="a-worker-that-died",
                lease_expires_at=datetime.now(UTC) - timedelta(seconds=5),
            )
        )


def _run_retry(platform: Platform, key: str, *, audio_kept: bool) -> tuple[Any, int]:
    who = platform.accounts.authenticate(key)
    options = Img2VoiceRequest(image=_image(), voice="rex", detail="brief")
    job = platform.img2voice_batches.submit_batch(who, [_image(), _image()], options)
    audio = platform.storage.put(b"ID3 earlier audio", content_type="audio/mpeg", suffix=".mp3")
    if not audio_kept:
        platform.storage.delete(audio)
    _worker_died_after_the_first_image(platform, job.id, audio)
    assert platform.runtime.reap() == 1  # queued again for its second attempt
    platform.start(consume=True)
    done = platform.jobs.wait(who, job.id, 120)
    return done, platform.ledger.balances(who.account_id).total


def test_a_retried_batch_keeps_the_images_an_earlier_attempt_finished(
    platform: Platform,
) -> None:
    key = make_key(platform, plan="paid", credits=10)
    done, balance = _run_retry(platform, key.key, audio_kept=True)
    assert done.status == "succeeded", done.error
    assert done.attempts == 2
    first, second = done.result["results"]
    assert first["description"] == EARLIER  # not described and spoken a second time
    assert second["status"] == "completed"
    assert second["description"] != EARLIER
    assert second["voice_id"] == "rex"
    assert platform.storage.exists(second["audio_blob"])
    assert (done.result["succeeded"], done.result["processed"]) == (2, 2)
    assert balance == 10_000 - 2 * platform.prices.cost("img2voice")  # two images, charged once


def test_an_image_whose_earlier_audio_is_gone_is_spoken_again(platform: Platform) -> None:
    key = make_key(platform, plan="paid", credits=10)
    done, balance = _run_retry(platform, key.key, audio_kept=False)
    assert done.status == "succeeded", done.error
    first, second = done.result["results"]
    assert first["description"] != EARLIER
    assert platform.storage.exists(first["audio_blob"])
    assert second["status"] == "completed"
    assert balance == 10_000 - 2 * platform.prices.cost("img2voice")
