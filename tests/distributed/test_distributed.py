"""The distributed mode for real: PostgreSQL, Redis, S3 (moto server), two ``seesay serve``
processes and ``seesay worker`` processes, all on loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from support.live import free_port, run_cli, spawn, wait_until_ready
from support.services import fresh_postgres, fresh_redis

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

SECRET = "distributed-test-signing-secret-0123456789"


@pytest.fixture
def s3_url(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/moto-api/", proc=proc)
        import boto3

        boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{port}",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ).create_bucket(Bucket="seesay")
        yield f"s3://seesay/audio?endpoint_url=http://127.0.0.1:{port}&region=us-east-1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def cluster_env(tmp_path: Path, s3_url: str) -> Iterator[dict[str, str]]:
    with fresh_postgres() as pg, fresh_redis() as redis_url:
        yield {
            "SEESAY_DATABASE_URL": pg,
            "SEESAY_QUEUE_URL": redis_url,
            "SEESAY_RATELIMIT_URL": redis_url,
            "SEESAY_STORAGE_URL": s3_url,
            "SEESAY_SIGNING_SECRETS": f'["{SECRET}"]',
            "SEESAY_JOBS__LEASE_SECONDS": "2",
            "SEESAY_JOBS__RETRY_DELAY_SECONDS": "0.2",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "SEESAY_DATA_DIR": str(tmp_path / "cli"),
        }


def _jpeg_base64() -> str:
    import base64
    import io

    from PIL import Image
    from skimage import data

    out = io.BytesIO()
    Image.fromarray(data.chelsea()).save(out, "JPEG")
    return base64.b64encode(out.getvalue()).decode()


def _key(env: dict[str, str], *args: str) -> str:
    done = run_cli("keys", "create", *args, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def _serve(env: dict[str, str], tmp_path: Path, name: str):  # type: ignore[no-untyped-def]
    port = free_port()
    own = {**env, "SEESAY_DATA_DIR": str(tmp_path / name)}
    return port, spawn("serve", "--port", str(port), env=own, log=tmp_path / f"{name}.log")


def test_two_servers_and_a_worker_share_limits_credits_and_jobs(
    cluster_env: dict[str, str], tmp_path: Path
) -> None:
    env = cluster_env
    free_key = _key(env, "--plan", "free")
    paid_key = _key(env, "--plan", "paid", "--credits", "0.1")
    port_a, serve_a = _serve(env, tmp_path, "a")
    port_b, serve_b = _serve(env, tmp_path, "b")
    with (
        serve_a as proc_a,
        serve_b as proc_b,
        spawn("worker", env=env, log=tmp_path / "worker.log"),
    ):
        a, b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
        wait_until_ready(a + "/healthz", proc=proc_a)
        wait_until_ready(b + "/healthz", proc=proc_b)

        # Limits: ten requests a minute on a free key, counted across both servers.
        statuses = [
            httpx.get((a, b)[i % 2] + "/v1/account", headers={"X-API-Key": free_key}).status_code
            for i in range(11)
        ]
        assert statuses == [200] * 10 + [429]

        # Credits: 0.1 credits pay for two 40-character requests, wherever they land.
        text = "The cat sits on the mat by the red door."
        assert len(text) == 40
        paid = {"X-API-Key": paid_key}
        first = httpx.post(a + "/v1/speech", json={"text": text}, headers=paid, timeout=120)
        assert first.status_code == 200, first.text
        second = httpx.post(b + "/v1/speech", json={"text": text}, headers=paid, timeout=120)
        assert second.status_code == 200, second.text
        third = httpx.post(a + "/v1/speech", json={"text": text}, headers=paid, timeout=120)
        assert third.status_code == 402
        assert third.json()["error"]["code"] == "quota_exceeded"
        assert second.json()["credits_remaining"] == pytest.approx(0.02)

        # The audio is in S3 and any server's signed URL serves it.
        audio = httpx.get(first.json()["audio_url"].replace(a, b))
        assert audio.status_code == 200
        assert audio.headers["content-type"] == "audio/mpeg"

        # Jobs: submitted on one server, run by the worker, read on the other.
        job_key = _key(env, "--plan", "paid", "--credits", "10")
        job = httpx.post(
            a + "/v1/speech",
            json={"text": "Queued hello.", "async": True},
            headers={"X-API-Key": job_key},
        )
        assert job.status_code == 202
        job_id = job.json()["id"]
        deadline = time.monotonic() + 60
        while True:
            seen = httpx.get(f"{b}/v1/jobs/{job_id}", headers={"X-API-Key": job_key}).json()
            if seen["status"] in ("succeeded", "failed") or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert seen["status"] == "succeeded", seen
        assert httpx.get(seen["result"]["audio_url"]).status_code == 200

        # The core job: an image described and spoken, with vision and speech on the worker.
        described = httpx.post(
            b + "/compat/img2voice/v1",
            headers={"IMG2VOICE-API-KEY": job_key},
            json={"image_base64": _jpeg_base64(), "image_mime_type": "image/jpeg"},
            timeout=120,
        )
        assert described.status_code == 200, described.text
        body = described.json()
        assert "cat" in body["description"].lower()
        spoken = httpx.get(body["audio_url"].replace(b, a))
        assert spoken.status_code == 200
        assert spoken.headers["content-type"] == "audio/mpeg"

        # A batch: queued on one server, run by the worker, its audio served by the other.
        batch = httpx.post(
            a + "/compat/img2voice/v1/batch",
            headers={"IMG2VOICE-API-KEY": job_key},
            json={"images": [{"image_base64": _jpeg_base64()}] * 2, "voice_id": "rex"},
        )
        assert batch.status_code == 202, batch.text
        deadline = time.monotonic() + 120
        while True:
            state = httpx.get(
                f"{b}/compat/img2voice/v1/batch/{batch.json()['id']}",
                headers={"IMG2VOICE-API-KEY": job_key},
            ).json()
            if state["status"] in ("completed", "failed") or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        assert (state["status"], state["succeeded"]) == ("completed", 2), state
        assert all(r["voice_id"] == "rex" for r in state["results"])
        assert httpx.get(state["results"][1]["audio_url"]).status_code == 200

        # The API processes loaded no model: inference ran on the worker.
        for base in (a, b):
            ready = httpx.get(base + "/readyz").json()
            assert ready["inference"] == "workers"
            assert ready["engines_loaded"] == []


def test_worker_killed_mid_job_the_job_still_ends_once(
    cluster_env: dict[str, str], tmp_path: Path
) -> None:
    env = cluster_env
    key = _key(env, "--plan", "paid", "--credits", "10")
    headers = {"X-API-Key": key}
    port, serve = _serve(env, tmp_path, "api")
    with serve as api_proc:
        base = f"http://127.0.0.1:{port}"
        wait_until_ready(base + "/healthz", proc=api_proc)
        with spawn("worker", env=env, log=tmp_path / "worker1.log") as worker1:
            # Long enough that the worker is surely mid-synthesis when it dies.
            text = " ".join(["The quick brown fox jumps over the lazy dog."] * 60)
            job = httpx.post(
                base + "/v1/speech",
                json={"text": text, "async": True, "voice": "en_US-joe-medium"},
                headers=headers,
            ).json()
            deadline = time.monotonic() + 60
            while (
                httpx.get(f"{base}/v1/jobs/{job['id']}", headers=headers).json()["status"]
                != "running"
            ):
                assert time.monotonic() < deadline, "the job never started"
                time.sleep(0.1)
            time.sleep(0.5)
            os.kill(worker1.pid, signal.SIGKILL)
            worker1.wait()
            killed_at = time.monotonic()

        with spawn("worker", env=env, log=tmp_path / "worker2.log"):
            deadline = time.monotonic() + 120
            while True:
                response = httpx.get(f"{base}/v1/jobs/{job['id']}", headers=headers)
                assert response.status_code == 200, response.text
                seen = response.json()
                if seen["status"] in ("succeeded", "failed"):
                    break
                assert time.monotonic() < deadline, seen
                time.sleep(0.5)
            rescued_after = time.monotonic() - killed_at

        account = httpx.get(base + "/v1/account", headers=headers).json()
        audio = httpx.get(seen["result"]["audio_url"]) if seen["status"] == "succeeded" else None

    assert seen["status"] == "succeeded", seen
    assert seen["attempts"] == 2
    assert audio is not None
    assert audio.status_code == 200
    # Charged exactly once: 10 credits minus this text's price, nothing refunded or doubled.
    assert account["balances"]["millicredits"] == 10_000 - len(text)
    assert rescued_after < 60
