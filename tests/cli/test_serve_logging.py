"""``seesay serve``'s logs, captured from a real run: one JSON line per request with its id,
account, route template, status, latency and credits; engine loads and job state changes under
the submitting request's id, which the webhook delivery carries too; and no secret (API keys,
the webhook secret, a signed URL's signature) anywhere in them."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from support.live import free_port, run_cli, seesay_cmd, wait_until_ready


@contextmanager
def _webhook_receiver() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A loopback HTTP server that records the headers of each POST it receives."""
    received: list[dict[str, str]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.append({k.lower(): v for k, v in self.headers.items()})
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def _serve(env: dict[str, str], port: int, stdout: Path, stderr: Path) -> Iterator[None]:
    """``seesay serve`` with its stdout (the owner key, shown once) apart from its logs."""
    with stdout.open("wb") as out, stderr.open("wb") as err:
        proc = subprocess.Popen(
            seesay_cmd("serve", "--port", str(port)),
            env={**os.environ, **env},
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/healthz", timeout=60, proc=proc)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_for(condition: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_real_run_logs_requests_jobs_and_engines_without_secrets(tmp_path: Path) -> None:
    env = {
        "SEESAY_DATA_DIR": str(tmp_path / "data"),
        "SEESAY_LOG_FORMAT": "json",
        "SEESAY_FETCH__ALLOWED_HOSTS": "127.0.0.1",  # the webhook receiver is on loopback
    }
    created = run_cli("keys", "create", "--credits", "50", "--name", "logs", env=env)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    auth = {"Authorization": f"Bearer {key}"}
    out_log, err_log = tmp_path / "stdout.log", tmp_path / "serve.log"
    with _webhook_receiver() as (hook_url, received), _serve(env, port, out_log, err_log):
        account = httpx.get(f"{base}/v1/account", headers=auth, timeout=10)
        assert account.status_code == 200, account.text
        account_id = account.json()["id"]
        webhook_secret = account.json()["webhook_secret"]
        spoken = httpx.post(
            f"{base}/v1/speech",
            json={"text": "Hello there.", "format": "wav"},
            headers=auth,
            timeout=120,
        )
        assert spoken.status_code == 200, spoken.text
        audio_url = spoken.json()["audio_url"]
        signature = parse_qs(urlsplit(audio_url).query)["sig"][0]
        fetched = httpx.get(audio_url, timeout=10)
        assert fetched.status_code == 200
        assert fetched.content[:4] == b"RIFF"
        # A key in a query string, and a key sent as a request id: neither may be logged.
        refused = httpx.get(f"{base}/v1/account?api_key={key}", timeout=10)
        assert refused.status_code == 401
        echoed = httpx.get(f"{base}/healthz", headers={"X-Request-Id": key}, timeout=10)
        assert echoed.headers["x-request-id"] != key
        job = httpx.post(
            f"{base}/v1/speech",
            json={"text": "A job.", "format": "wav", "async": True, "webhook_url": hook_url},
            headers=auth,
            timeout=30,
        )
        assert job.status_code == 202, job.text
        job_request_id = job.headers["x-request-id"]
        _wait_for(lambda: received)
        time.sleep(0.5)  # let the delivery's own log line reach the file
    owner_key = out_log.read_text().strip().splitlines()[-1]
    text = err_log.read_text()

    # The control for the secret checks: these values are real and were in play.
    assert key.startswith("seesay_live_")
    assert owner_key.startswith("seesay_live_")
    assert webhook_secret.startswith("whsec_")
    assert len(signature) > 10
    for secret in (key, key[-16:], owner_key, owner_key[-16:], webhook_secret, signature):
        assert secret not in text

    records = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    requests = [r for r in records if r["message"] == "request"]

    def request_line(route: str, status: int) -> dict[str, Any]:
        found = [r for r in requests if r["route"] == route and r["status"] == status]
        assert found, f"no request line for {route} {status}"
        first: dict[str, Any] = found[0]
        return first

    speech = request_line("/v1/speech", 200)
    assert speech["request_id"] == spoken.headers["x-request-id"]
    assert speech["account_id"] == account_id
    assert speech["method"] == "POST"
    assert speech["credits"] > 0
    assert speech["latency_ms"] > 0
    assert request_line("/files/{blob_id}", 200)["credits"] == 0
    assert "account_id" not in request_line("/v1/account", 401)

    engine_loads = [r for r in records if r["message"] == "engine loaded"]
    assert any(r["task"] == "tts" and r["request_id"] == speech["request_id"] for r in engine_loads)

    job_lines = [r for r in records if r["message"].startswith("job ")]
    job_states = [r["message"] for r in job_lines]
    for state in ("job queued", "job running", "job succeeded", "job webhook delivered"):
        assert state in job_states, job_states
    assert {r["request_id"] for r in job_lines} == {job_request_id}
    assert {r["account_id"] for r in job_lines} == {account_id}
    succeeded = next(r for r in job_lines if r["message"] == "job succeeded")
    assert succeeded["credits"] > 0
    assert received[0]["x-request-id"] == job_request_id
