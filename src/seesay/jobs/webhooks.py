"""Signed webhook delivery.

Each delivery is a JSON POST with ``SeeSay-Signature: t=<unix>,v1=<hex>``, where ``v1`` is
HMAC-SHA256 over ``f"{t}.{body}"`` with the account's webhook secret of the job's mode
(``webhook_secret``, shown on ``GET /v1/account`` to a key of that mode). Receivers should
recompute it and reject old timestamps. ``X-Request-Id`` names the request that submitted the
job (the id its response carried), so a receiver can tie the delivery to its call.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

from seesay.media.fetch import Fetcher

__all__ = ["WebhookSender", "sign_payload", "verify_signature", "webhook_secret"]


def webhook_secret(signing_secret: str, account_id: str, mode: str = "live") -> str:
    """Per-account, per-mode secret derived from the server secret, so nothing extra is
    stored. A test key sees (and test jobs are signed with) the test secret only."""
    scope = b"webhook:" if mode == "live" else f"webhook-{mode}:".encode()
    mac = hmac.new(signing_secret.encode(), scope + account_id.encode(), hashlib.sha256)
    return "whsec_" + mac.hexdigest()


def sign_payload(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify_signature(secret: str, body: bytes, header: str, *, tolerance: int = 300) -> bool:
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = sign_payload(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


class WebhookSender:
    """Posts one event through the guarded fetcher (a webhook URL is caller input, so it gets
    the same SSRF protection as an image URL); raises on any failure so the queue retries."""

    def __init__(
        self, secret_for: Callable[[str, str], str], fetcher: Fetcher, *, timeout: float = 10.0
    ) -> None:
        self._secret_for = secret_for
        self._fetcher = fetcher
        self._timeout = timeout

    def send(
        self,
        url: str,
        account_id: str,
        event: dict[str, Any],
        mode: str = "live",
        *,
        request_id: str | None = None,
    ) -> None:
        """POST ``event``; ``request_id`` (the request that submitted the job) goes in the
        ``X-Request-Id`` header so a receiver can tie the delivery to the call it made."""
        body = json.dumps(event, separators=(",", ":"), default=str).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "SeeSay-Webhooks/1",
            "SeeSay-Signature": sign_payload(
                self._secret_for(account_id, mode), body, int(time.time())
            ),
        }
        if request_id:
            headers["X-Request-Id"] = request_id
        answer = self._fetcher.request(
            "POST",
            url,
            content=body,
            headers=headers,
            param="webhook_url",
            max_bytes=64 * 1024,
            timeout_total=self._timeout,
            raise_for_status=False,
        )
        if answer.status_code >= 300:
            raise RuntimeError(f"webhook answered {answer.status_code}")
