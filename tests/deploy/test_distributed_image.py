"""compose.yaml's distributed mode, from the image, as far as this machine allows: no registry
means no PostgreSQL, Redis or MinIO images, so the containers use the machine's own PostgreSQL
and Redis and a loopback S3 (moto) over ``--network host``. ``seesay db upgrade`` runs once in
its own container first, as compose's ``migrate`` service does; then two API containers and a
worker container from the same image share credits, jobs and stored audio.
"""

from __future__ import annotations

import time

import httpx
import pytest

from support import containers as ct
from support.live import free_port
from support.services import fresh_postgres, fresh_redis, moto_s3

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(2400)]

SECRET = "image-distributed-test-signing-secret-0123456789"


def settings_env(database: str, redis: str, s3: str) -> list[str]:
    """The same settings compose.yaml gives its SeeSay services, as ``-e`` options."""
    env = {
        "SEESAY_DATABASE_URL": database,
        "SEESAY_QUEUE_URL": redis,
        "SEESAY_RATELIMIT_URL": redis,
        "SEESAY_STORAGE_URL": f"s3://seesay/files?endpoint_url={s3}&region=us-east-1"
        "&addressing_style=path",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "SEESAY_SIGNING_SECRETS": f'["{SECRET}"]',
    }
    return [option for name, value in env.items() for option in ("-e", f"{name}={value}")]


def test_two_api_containers_and_a_worker_share_credits_and_jobs(image: str) -> None:
    with fresh_postgres() as database, fresh_redis(db=12) as redis, moto_s3() as s3:
        host = ["--network", "host", *settings_env(database, redis, s3)]

        def once(*args: str) -> str:
            done = ct.engine("run", "--rm", *host, image, *args, timeout=180)
            return done.stdout.strip().splitlines()[-1]

        assert once("db", "upgrade") == "database is up to date"
        paid = {"X-API-Key": once("keys", "create", "--plan", "paid", "--credits", "0.1")}
        jobs = {"X-API-Key": once("keys", "create", "--plan", "paid", "--credits", "10")}

        port_a, port_b = free_port(), free_port()
        a, b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
        with (
            ct.container(*host, "-e", f"SEESAY_PORT={port_a}", image) as api_a,
            ct.container(*host, "-e", f"SEESAY_PORT={port_b}", image) as api_b,
            ct.container(*host, image, "worker") as worker,
        ):
            ct.wait_for(a + "/healthz", api_a)
            ct.wait_for(b + "/healthz", api_b)

            # Credits: 0.1 credits pay for two 40-character requests, whichever API takes them.
            text = "The cat sits on the mat by the red door."
            first = httpx.post(a + "/v1/speech", json={"text": text}, headers=paid, timeout=180)
            assert first.status_code == 200, first.text + ct.logs(worker)
            second = httpx.post(b + "/v1/speech", json={"text": text}, headers=paid, timeout=180)
            assert second.status_code == 200, second.text
            third = httpx.post(a + "/v1/speech", json={"text": text}, headers=paid, timeout=180)
            assert third.status_code == 402
            # The audio is in S3: the other API's signed URL serves it.
            audio = httpx.get(first.json()["audio_url"].replace(a, b))
            assert audio.status_code == 200
            assert audio.headers["content-type"] == "audio/mpeg"

            # Jobs: queued on one API, run by the worker, read on the other.
            job = httpx.post(
                a + "/v1/speech", json={"text": "Queued hello.", "async": True}, headers=jobs
            )
            assert job.status_code == 202, job.text
            deadline = time.monotonic() + 120
            while True:
                seen = httpx.get(f"{b}/v1/jobs/{job.json()['id']}", headers=jobs).json()
                if seen["status"] in ("succeeded", "failed") or time.monotonic() > deadline:
                    break
                time.sleep(0.3)
            assert seen["status"] == "succeeded", seen
            assert httpx.get(seen["result"]["audio_url"]).status_code == 200

            # The API containers loaded no model: inference ran in the worker container.
            for base in (a, b):
                ready = httpx.get(base + "/readyz").json()
                assert ready["inference"] == "workers"
                assert ready["engines_loaded"] == []
            assert "SeeSay worker" in ct.logs(worker)
