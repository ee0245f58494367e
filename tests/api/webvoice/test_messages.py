"""WebVoice ``send-email/`` (real local SMTP, 10 per account per hour) and
``voice-memo/text/`` (stored, listed back)."""

from __future__ import annotations

from seesay.settings import load_settings
from support.webvoice import BASE, WebVoice


def test_send_email_delivers_plain_text(wv: WebVoice) -> None:
    key = wv.key()
    r = wv.client.post(
        f"{BASE}/send-email/",
        json={"to": "destinatario@example.com", "subject": "Oggetto", "body": "Testo dell'email"},
        headers=wv.headers(key),
    )
    assert r.status_code == 200, r.text
    assert r.json() == {
        "success": True,
        "message": "Email sent successfully",
        "to": "destinatario@example.com",
        "subject": "Oggetto",
    }
    mail = wv.inbox.wait_for("destinatario@example.com")
    assert mail["Subject"] == "Oggetto"
    assert mail.get_content().strip() == "Testo dell'email"
    assert not mail.is_multipart()


def test_send_email_accepts_text_or_content_and_defaults_the_subject(wv: WebVoice) -> None:
    key = wv.key()
    for field, to in (("text", "t@example.com"), ("content", "c@example.com")):
        r = wv.client.post(
            f"{BASE}/send-email/", json={"to": to, field: "hi"}, headers=wv.headers(key)
        )
        assert r.status_code == 200, r.text
        assert r.json()["subject"] == "Message from WebVoice API"
        assert wv.inbox.wait_for(to).get_content().strip() == "hi"


def test_send_email_is_limited_to_10_per_account_per_hour(wv: WebVoice) -> None:
    key, other = wv.key(), wv.key()
    body = {"to": "many@example.com", "body": "x"}
    for _ in range(10):
        assert wv.client.post(f"{BASE}/send-email/", json=body, headers=wv.headers(key)).is_success
    r = wv.client.post(f"{BASE}/send-email/", json=body, headers=wv.headers(key))
    assert r.status_code == 429
    assert r.json()["error"] == "Too Many Requests"
    assert 3500 <= int(r.headers["Retry-After"]) <= 3600
    # Another account is not affected.
    assert wv.client.post(f"{BASE}/send-email/", json=body, headers=wv.headers(other)).is_success


def test_send_email_errors(wv: WebVoice) -> None:
    key = wv.key()
    h = wv.headers(key)
    cases = [
        {"to": "not-an-address", "body": "x"},
        {"to": "a@example.com"},
        {"to": "a@example.com", "body": "   "},
        {"to": "a@example.com", "body": "x" * 50_001},
        {"to": "a@example.com", "body": "x", "subject": "Hi\r\nBcc: victim@example.com"},
        {"body": "x"},
    ]
    for body in cases:
        r = wv.client.post(f"{BASE}/send-email/", json=body, headers=h)
        assert r.status_code == 400, (body, r.text)
    assert wv.client.post(f"{BASE}/send-email/", json={"to": "a@example.com"}).status_code == 401


def test_a_failed_delivery_is_503_and_does_not_count(wv: WebVoice) -> None:
    key = wv.key()
    wv.inbox.refuse = True
    body = {"to": "r@example.com", "body": "x"}
    for _ in range(11):
        r = wv.client.post(f"{BASE}/send-email/", json=body, headers=wv.headers(key))
        assert r.status_code == 503
        assert "internal-gateway" not in r.text
    wv.inbox.refuse = False
    assert wv.client.post(f"{BASE}/send-email/", json=body, headers=wv.headers(key)).is_success


def test_without_smtp_settings_send_email_is_503_naming_the_setting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from seesay.api import create_app
    from seesay.platform import Platform
    from support.accounts import make_key

    settings = load_settings(data_dir=tmp_path)
    platform = Platform.build(settings)
    try:
        with TestClient(create_app(settings, platform=platform)) as client:
            key = make_key(platform)
            r = client.post(
                f"{BASE}/send-email/",
                json={"to": "a@example.com", "body": "x"},
                headers={"X-API-Key": key.key},
            )
            assert r.status_code == 503
            assert "SEESAY_SMTP__HOST" in r.json()["message"]
            r = client.post(
                f"{BASE}/auth/send-code/",
                json={"email": "a@example.com", "accept_privacy": True, "accept_terms": True},
            )
            assert r.status_code == 503
            assert "SEESAY_SMTP__HOST" in r.json()["message"]
    finally:
        platform.close()


def test_voice_memos_are_stored_and_listed_back(wv: WebVoice) -> None:
    key, stranger = wv.key(), wv.key()
    r = wv.client.post(
        f"{BASE}/voice-memo/text/", json={"text": "Your note text here"}, headers=wv.headers(key)
    )
    assert r.status_code == 200, r.text
    memo = r.json()
    assert memo["success"] is True
    assert isinstance(memo["voice_note_id"], int)
    assert memo["title"] == "Your note text here"
    assert memo["detail_url"].endswith(f"{BASE}/voice-memo/{memo['voice_note_id']}/")
    assert memo["created_at"]
    long_text = "A" * 80
    titled = wv.client.post(
        f"{BASE}/voice-memo/text/", json={"text": long_text}, headers=wv.headers(key)
    ).json()
    assert titled["title"] == "A" * 50

    listed = wv.client.get(f"{BASE}/voice-memo/", headers=wv.headers(key)).json()["voice_notes"]
    assert [m["voice_note_id"] for m in listed] == [
        titled["voice_note_id"],
        memo["voice_note_id"],
    ]
    assert listed[1]["text"] == "Your note text here"
    detail = wv.client.get(memo["detail_url"], headers=wv.headers(key))
    assert detail.status_code == 200
    assert detail.json()["text"] == "Your note text here"
    # Memos are free, and private to their account.
    assert wv.platform.ledger.balances(key.account_id).total == 100_000
    assert wv.client.get(memo["detail_url"], headers=wv.headers(stranger)).status_code == 404
    assert (
        wv.client.get(f"{BASE}/voice-memo/", headers=wv.headers(stranger)).json()["voice_notes"]
        == []
    )


def test_voice_memo_errors(wv: WebVoice) -> None:
    h = wv.headers(wv.key())
    for body in ({"text": ""}, {"text": "x" * 10_001}, {}, {"text": "x", "title": "t" * 201}):
        r = wv.client.post(f"{BASE}/voice-memo/text/", json=body, headers=h)
        assert r.status_code == 400, body
    assert wv.client.post(f"{BASE}/voice-memo/text/", json={"text": "x"}).status_code == 401


def test_memo_ids_past_64_bits_are_not_found(wv: WebVoice) -> None:
    key = wv.key()
    made = wv.client.post(
        f"{BASE}/voice-memo/text/", json={"text": "kept"}, headers=wv.headers(key)
    ).json()
    for memo_id in (2**63, 2**64 + made["voice_note_id"], 10**40, 0, -1):
        r = wv.client.get(f"{BASE}/voice-memo/{memo_id}/", headers=wv.headers(key))
        assert r.status_code == 404, (memo_id, r.text)
        assert r.json()["success"] is False
        assert r.json()["param"] == "voice_note_id"
    kept = wv.client.get(made["detail_url"], headers=wv.headers(key))
    assert kept.json()["text"] == "kept"
