"""WebVoice keys in headers (never the query), the error shape, status, onboarding, keys/,
voices/ and the schema of the new tables."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from seesay.db.models import Base
from support.webvoice import BASE, WebVoice


def test_key_in_x_api_key_or_bearer_works(wv: WebVoice) -> None:
    key = wv.key(credits=12.5)
    for headers in ({"X-API-Key": key.key}, {"Authorization": f"Bearer {key.key}"}):
        r = wv.client.get(f"{BASE}/status/", headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["success"] is True
        assert body["credits"] == 12.5
        assert body["api_key"]["usage_count"] == 0
        assert body["api_key"]["created_at"]


def test_key_in_the_query_string_is_refused_even_with_a_header(wv: WebVoice) -> None:
    key = wv.key()
    r = wv.client.get(f"{BASE}/status/", params={"api_key": key.key})
    assert r.status_code == 401
    assert "query" in r.json()["message"]
    r = wv.client.get(f"{BASE}/status/?api_key={key.key}", headers=wv.headers(key))
    assert r.status_code == 401


def test_missing_and_unknown_keys_get_the_spec_error_shape(wv: WebVoice) -> None:
    for headers in ({}, {"X-API-Key": "wv_not_a_seesay_key"}):
        r = wv.client.get(f"{BASE}/status/", headers=headers)
        assert r.status_code == 401
        body = r.json()
        assert body["error"] == "Unauthorized"
        assert body["message"]
    # Unknown routes and bad bodies under the prefix use the same shape.
    r = wv.client.get(f"{BASE}/nope/")
    assert r.status_code == 404
    assert r.json()["error"] == "Not Found"
    r = wv.client.post(f"{BASE}/keys/", content=b"{not json", headers=wv.headers(wv.key()))
    assert r.status_code == 400
    assert r.json()["error"] == "Bad Request"


def test_onboarding_reports_credits_and_null_payment_fields(wv: WebVoice) -> None:
    rich, broke = wv.key(credits=3), wv.key(plan="paid", credits=0)
    body = wv.client.get(f"{BASE}/onboarding/", headers=wv.headers(rich)).json()
    assert body["credits"] == 3
    assert body["can_use_api"] is True
    assert body["billing"]["topup_required"] is False
    assert body["solana"] is None
    assert body["urls"]["buy_credits_paypal"] is None
    body = wv.client.get(f"{BASE}/onboarding/", headers=wv.headers(broke)).json()
    assert body["can_use_api"] is False
    assert body["billing"]["topup_required"] is True
    assert wv.client.get(f"{BASE}/onboarding/").status_code == 401


def test_keys_creates_a_working_seesay_key(wv: WebVoice) -> None:
    key = wv.key()
    r = wv.client.post(f"{BASE}/keys/", json={"name": "my-agent"}, headers=wv.headers(key))
    assert r.status_code == 200, r.text
    new = r.json()
    assert new["api_key"].startswith("seesay_live_")
    assert new["name"] == "my-agent"
    status = wv.client.get(f"{BASE}/status/", headers={"X-API-Key": new["api_key"]}).json()
    assert status["api_key"]["name"] == "my-agent"
    assert wv.client.post(f"{BASE}/keys/", json={"name": "x"}).status_code == 401
    r = wv.client.post(f"{BASE}/keys/", json={"name": "x" * 201}, headers=wv.headers(key))
    assert r.status_code == 400


def test_a_test_key_cannot_mint_live_keys(wv: WebVoice) -> None:
    key = wv.key(mode="test")
    made = wv.client.post(f"{BASE}/keys/", json={"name": "t"}, headers=wv.headers(key)).json()
    assert made["api_key"].startswith("seesay_test_")


def test_voices_grouped_by_language_and_filtered(wv: WebVoice) -> None:
    key = wv.key()
    body = wv.client.get(f"{BASE}/voices/", headers=wv.headers(key)).json()
    voices = body["voices"]
    assert {"en", "it", "es", "ja"} <= set(voices)
    assert all(v["id"] and v["name"] for v in voices["en"])
    english_ids = {v["id"] for v in voices["en"]}
    assert "en_US-joe-medium" in english_ids  # the bundled Piper voice
    only_it = wv.client.get(
        f"{BASE}/voices/", params={"language": "it"}, headers=wv.headers(key)
    ).json()["voices"]
    assert list(only_it) == ["it"]
    assert only_it["it"]
    r = wv.client.get(f"{BASE}/voices/", params={"language": "!!"}, headers=wv.headers(key))
    assert r.status_code == 400
    assert wv.client.get(f"{BASE}/voices/").status_code == 401


def test_every_spec_route_is_in_the_openapi_document(wv: WebVoice) -> None:
    paths = wv.client.get("/openapi.json").json()["paths"]
    for route in (
        "auth/send-code/",
        "auth/verify-code/",
        "onboarding/",
        "keys/",
        "tts/",
        "voices/",
        "status/",
        "send-email/",
        "voice-memo/text/",
        "image/",
        "image-to-image/",
        "image-to-video/",
        "text-to-video/",
    ):
        assert f"{BASE}/{route}" in paths, route


def test_the_webvoice_tables_match_the_migration(wv: WebVoice) -> None:
    with wv.platform.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    mine = {"sign_in_codes", "voice_memos", "sent_mails"}
    assert [d for d in diff if any(t in str(d) for t in mine)] == []
