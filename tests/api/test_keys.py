"""API keys: shown once, stored hashed, revocable, and refused alike when bad."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text

from seesay.platform import Platform
from support.accounts import make_key


def test_created_key_works_and_database_never_holds_it(
    platform: Platform, client: TestClient, settings
) -> None:
    owner = make_key(platform)
    r = client.post("/v1/keys", json={"name": "ci"}, headers={"X-API-Key": owner.key})
    assert r.status_code == 201
    new_key = r.json()["key"]
    assert new_key.startswith("seesay_live_")
    assert (
        client.get("/v1/account", headers={"Authorization": f"Bearer {new_key}"}).status_code == 200
    )

    listed = client.get("/v1/keys", headers={"X-API-Key": owner.key}).json()["data"]
    assert all("key" not in k for k in listed)
    assert {k["hint"][-4:] for k in listed} >= {new_key[-4:], owner.key[-4:]}

    # No table holds either secret, in any column.
    with platform.db.read() as s:
        for table in inspect(platform.db.engine).get_table_names():
            for row in s.execute(text(f'SELECT * FROM "{table}"')):
                flat = " ".join(str(v) for v in row)
                assert new_key not in flat
                assert owner.key not in flat
    db_file = Path(str(settings.database_url).removeprefix("sqlite:///"))
    raw = b"".join(p.read_bytes() for p in db_file.parent.glob("seesay.db*"))
    assert new_key.encode() not in raw
    assert owner.key.encode() not in raw


def test_revoked_unknown_and_malformed_keys_get_the_same_401(
    platform: Platform, client: TestClient
) -> None:
    owner = make_key(platform)
    victim = client.post("/v1/keys", json={}, headers={"X-API-Key": owner.key}).json()
    revoked = client.delete(f"/v1/keys/{victim['id']}", headers={"X-API-Key": owner.key})
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None

    bodies = []
    for presented in (victim["key"], "seesay_live_" + "A" * 43, "not-a-key", None):
        headers = {"X-API-Key": presented} if presented else {}
        r = client.get("/v1/account", headers=headers)
        assert r.status_code == 401
        body = r.json()["error"]
        bodies.append((body["code"], body["message"]))
    assert len(set(bodies)) == 1


def test_test_key_cannot_mint_live_keys_and_sees_test_balance(
    platform: Platform, client: TestClient
) -> None:
    test_key = make_key(platform, mode="test", credits=7)
    r = client.post("/v1/keys", json={"mode": "live"}, headers={"X-API-Key": test_key.key})
    assert r.status_code == 403
    account = client.get("/v1/account", headers={"X-API-Key": test_key.key}).json()
    assert account["key_mode"] == "test"
    assert account["balances"]["credits"] == 7
    live = platform.ledger.balances(test_key.account_id, "live")
    assert live.purchased == 0


def test_cannot_revoke_another_accounts_key(platform: Platform, client: TestClient) -> None:
    a = make_key(platform)
    b = make_key(platform)
    r = client.delete(f"/v1/keys/{b.key_id}", headers={"X-API-Key": a.key})
    assert r.status_code == 404
    with platform.db.read() as s:
        from seesay.db.models import ApiKey

        assert s.scalar(select(ApiKey.revoked_at).where(ApiKey.id == b.key_id)) is None
