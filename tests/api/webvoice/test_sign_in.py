"""WebVoice sign-in by email code over a real local SMTP server: send-code, verify-code,
welcome credits, single-use hashed codes, attempt and per-IP limits."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from seesay.db.models import SignInCode
from support.webvoice import BASE, WebVoice

ACCEPT = {"accept_privacy": True, "accept_terms": True}


@pytest.fixture(scope="module")
def wv_overrides() -> dict[str, Any]:
    return {"webvoice": {"welcome_credits": 20}}


def _send(wv: WebVoice, email: str, **extra: Any) -> Any:
    return wv.client.post(f"{BASE}/auth/send-code/", json={"email": email, **ACCEPT, **extra})


def _verify(wv: WebVoice, email: str, code: str, **extra: Any) -> Any:
    return wv.client.post(f"{BASE}/auth/verify-code/", json={"email": email, "code": code, **extra})


def test_agent_registers_by_email_code_and_uses_the_key(wv: WebVoice) -> None:
    r = _send(wv, "agent@example.com")
    assert r.status_code == 200, r.text
    assert r.json()["is_new_user"] is True
    mail = wv.inbox.wait_for("agent@example.com")
    assert str(mail["From"]) == "seesay@test.invalid"
    code = wv.inbox.code_for("agent@example.com")

    r = _verify(wv, "agent@example.com", code, create_api_key=True, api_key_name="cursor-agent")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["is_new_user"] is True
    assert body["api_key"].startswith("seesay_live_")
    onboarding = body["onboarding"]
    # The free plan's monthly grant plus the spec's welcome credits.
    assert onboarding["credits"] >= 20
    assert onboarding["can_use_api"] is True
    assert onboarding["solana"] is None

    status = wv.client.get(f"{BASE}/status/", headers={"X-API-Key": body["api_key"]}).json()
    assert status["user"] == "agent@example.com"
    assert status["api_key"]["name"] == "cursor-agent"
    assert status["credits"] == onboarding["credits"]

    # The code was single use.
    assert _verify(wv, "agent@example.com", code).status_code == 400
    # A returning user signs in again; no second welcome grant.
    wv.platform.webvoice.ip_limits.reset()
    r = _send(wv, "Agent@Example.com")
    assert r.json()["is_new_user"] is False
    again = _verify(wv, "agent@example.com", wv.inbox.code_for("Agent@Example.com")).json()
    assert again["is_new_user"] is False
    assert again["api_key"] is None  # create_api_key defaults to false
    assert again["onboarding"]["credits"] == onboarding["credits"]


def test_codes_are_stored_hashed_and_die_after_five_wrong_guesses(wv: WebVoice) -> None:
    assert _send(wv, "guess@example.com").status_code == 200
    code = wv.inbox.code_for("guess@example.com")
    with wv.platform.db.read() as s:
        row = s.scalars(select(SignInCode).where(SignInCode.email == "guess@example.com")).one()
    assert code not in row.code_hash
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    messages = set()
    for _ in range(5):
        r = _verify(wv, "guess@example.com", wrong)
        assert r.status_code == 400
        messages.add(r.json()["message"])
    # The right code no longer works, and every refusal read the same.
    r = _verify(wv, "guess@example.com", code)
    assert r.status_code == 400
    messages.add(r.json()["message"])
    assert len(messages) == 1


def test_an_expired_code_is_refused(wv: WebVoice) -> None:
    assert _send(wv, "late@example.com").status_code == 200
    code = wv.inbox.code_for("late@example.com")
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    with wv.platform.db.write() as s:
        s.execute(
            update(SignInCode)
            .where(SignInCode.email == "late@example.com")
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert _verify(wv, "late@example.com", code).status_code == 400


def test_a_new_code_replaces_the_old_one(wv: WebVoice) -> None:
    _send(wv, "twice@example.com")
    first = wv.inbox.code_for("twice@example.com")
    wv.inbox.clear()
    _send(wv, "twice@example.com")
    second = wv.inbox.code_for("twice@example.com")
    if first != second:
        assert _verify(wv, "twice@example.com", first).status_code == 400
    assert _verify(wv, "twice@example.com", second).status_code == 200


def test_send_code_errors(wv: WebVoice) -> None:
    r = wv.client.post(f"{BASE}/auth/send-code/", json={"email": "new@example.com"})
    assert r.status_code == 400
    assert "accept" in r.json()["message"]
    for bad in ("not-an-email", "a@b", "x@@y.com", "a b@c.com", ""):
        wv.platform.webvoice.ip_limits.reset()  # bad requests count against the IP too
        assert _send(wv, bad).status_code == 400, bad
    assert wv.client.post(f"{BASE}/auth/send-code/", json={}).status_code == 400
    r = _verify(wv, "nobody@example.com", "12ab56")
    assert r.status_code == 400
    assert r.json()["error"] == "Bad Request"


def test_per_ip_limits_5_send_code_and_20_verify_code(wv: WebVoice) -> None:
    for i in range(5):
        assert _send(wv, f"ip{i}@example.com").status_code == 200
    r = _send(wv, "ip5@example.com")
    assert r.status_code == 429
    assert r.json()["error"] == "Too Many Requests"
    assert 1 <= int(r.headers["Retry-After"]) <= 900
    for _ in range(20):
        assert _verify(wv, "ip0@example.com", "000000").status_code == 400
    r = _verify(wv, "ip0@example.com", "000000")
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) >= 1


def test_smtp_refusal_is_503_and_leaves_no_code(wv: WebVoice) -> None:
    wv.inbox.refuse = True
    r = _send(wv, "bounce@example.com")
    assert r.status_code == 503
    assert "internal-gateway" not in r.text  # the server's reply is not echoed
    with wv.platform.db.read() as s:
        rows = s.scalars(select(SignInCode).where(SignInCode.email == "bounce@example.com"))
        assert list(rows) == []


def test_signing_in_again_at_the_key_cap_replaces_the_oldest_sign_in_key(wv: WebVoice) -> None:
    """Each sign-in mints a key; at the account's key cap the oldest key of the same name is
    revoked, so an agent that keeps signing in is never locked out."""
    cap = wv.platform.settings.limits.max_keys_per_account
    keys: list[str] = []
    for _ in range(cap + 1):
        wv.platform.webvoice.ip_limits.reset()
        wv.inbox.clear()
        assert _send(wv, "often@example.com").status_code == 200
        code = wv.inbox.code_for("often@example.com")
        r = _verify(wv, "often@example.com", code, create_api_key=True, api_key_name="laptop")
        assert r.status_code == 200, r.text
        keys.append(r.json()["api_key"])

    def status(key: str) -> int:
        return int(wv.client.get(f"{BASE}/status/", headers={"X-API-Key": key}).status_code)

    assert status(keys[0]) == 401  # the oldest one made room
    assert all(status(key) == 200 for key in keys[1:])
