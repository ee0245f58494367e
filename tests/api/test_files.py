"""Signed file URLs: served without a key, refused when tampered or expired."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI
from fastapi.testclient import TestClient

from seesay.platform import Platform
from seesay.storage import UrlSigner


def _signed(platform: Platform, data: bytes = b"ID3fake-mp3") -> tuple[str, str, str, str]:
    blob_id = platform.storage.put(data, content_type="audio/mpeg", suffix=".mp3")
    url = platform.signer.url_path(blob_id)
    query = parse_qs(urlsplit(url).query)
    return url, blob_id, query["expires"][0], query["sig"][0]


def test_signed_url_serves_the_file_without_a_key(platform: Platform, client: TestClient) -> None:
    url, _, _, _ = _signed(platform)
    r = client.get(url)
    assert r.status_code == 200
    assert r.content == b"ID3fake-mp3"
    assert r.headers["content-type"] == "audio/mpeg"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_tampering_with_id_expiry_or_signature_is_403(
    platform: Platform, client: TestClient
) -> None:
    _, blob_id, expires, sig = _signed(platform)
    other_id = platform.storage.put(b"other", content_type="audio/mpeg", suffix=".mp3")
    flipped = sig[:-2] + ("AA" if not sig.endswith("AA") else "BB")
    cases = [
        f"/files/{other_id}?expires={expires}&sig={sig}",
        f"/files/{blob_id}?expires={int(expires) + 3600}&sig={sig}",
        f"/files/{blob_id}?expires={expires}&sig={flipped}",
        f"/files/{blob_id}?expires={expires}",
        f"/files/{blob_id}",
    ]
    for url in cases:
        r = client.get(url)
        assert r.status_code == 403, url
        assert r.json()["error"]["code"] == "permission_denied"


def test_expired_url_is_403(platform: Platform, client: TestClient) -> None:
    blob_id = platform.storage.put(b"x", content_type="audio/wav", suffix=".wav")
    secret = platform.settings.signing_secrets[0].get_secret_value()
    past = UrlSigner([secret], clock=lambda: 1_000_000.0)
    r = client.get(past.url_path(blob_id, ttl=60))
    assert r.status_code == 403


def test_rotated_secret_keeps_old_urls_valid(platform: Platform, client: TestClient) -> None:
    old = UrlSigner(["an-old-secret-that-was-rotated-out"])
    blob_id = platform.storage.put(b"x", content_type="audio/wav", suffix=".wav")
    url = old.url_path(blob_id)
    assert client.get(url).status_code == 403
    platform.signer = UrlSigner(
        [
            platform.settings.signing_secrets[0].get_secret_value(),
            "an-old-secret-that-was-rotated-out",
        ]
    )
    assert client.get(url).status_code == 200


def test_path_traversal_is_404(client: TestClient) -> None:
    for path in (
        "/files/..%2F..%2Fetc%2Fpasswd?expires=1&sig=x",
        "/files/%2e%2e?expires=1&sig=x",
        "/files/....?expires=1&sig=x",
        "/files/%2e%2e%2fseesay.db?expires=1&sig=x",
    ):
        r = client.get(path)
        assert r.status_code == 404, path
        assert r.json()["error"]["code"] == "not_found"


def test_raw_dot_segments_never_reach_the_filesystem(app: FastAPI) -> None:
    """HTTP clients normalise ``..`` away; a raw request can still send it."""
    import asyncio

    async def call(path: str) -> int:
        status: list[int] = []

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))  # type: ignore[call-overload]

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"expires=1&sig=x",
            "root_path": "",
            "headers": [(b"host", b"testserver")],
            "client": ("127.0.0.1", 1),
            "server": ("testserver", 80),
        }
        await app(scope, receive, send)
        return status[0]

    for path in ("/files/../seesay.db", "/files/../../etc/passwd", "/files/..", "/files/./x"):
        assert asyncio.run(call(path)) == 404, path
