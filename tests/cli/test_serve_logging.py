"""``seesay serve`` keeps query strings out of its access log: a key sent as ``?api_key=``
(refused, but sent all the same) must not land in the log."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import httpx

from support.live import free_port, spawn, wait_until_ready


def test_access_log_shows_paths_without_query_strings(tmp_path: Path) -> None:
    key = "seesay_live_" + secrets.token_urlsafe(32)
    port = free_port()
    log = tmp_path / "serve.log"
    env = {"SEESAY_DATA_DIR": str(tmp_path / "data")}
    with spawn("serve", "--port", str(port), env=env, log=log) as proc:
        base = f"http://127.0.0.1:{port}"
        wait_until_ready(f"{base}/healthz", timeout=60, proc=proc)
        refused = httpx.get(f"{base}/v1/account?api_key={key}&lang=en", timeout=10)
        webvoice = httpx.get(f"{base}/compat/webvoice/api/v1/status/?api_key={key}", timeout=10)
        time.sleep(0.5)  # let the access lines reach the file
    assert refused.status_code == 401
    assert webvoice.status_code == 401
    text = log.read_text()
    assert '"GET /v1/account HTTP/1.1" 401' in text  # the access log is on, path only
    assert "/compat/webvoice/api/v1/status/ HTTP/1.1" in text
    assert key not in text
    assert key[-12:] not in text
    assert "api_key" not in text
