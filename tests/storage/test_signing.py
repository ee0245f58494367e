"""Signed file URLs: tampering, expiry, rotation, and the URL shape the API route reads."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from seesay.errors import NotFound, PermissionDenied
from seesay.storage import DEFAULT_TTL_SECONDS, UrlSigner, generate_secret, new_blob_id

NOW = 1_700_000_000
OLD_SECRET = "old-secret-" + "o" * 32
NEW_SECRET = "new-secret-" + "n" * 32


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def signer(clock: Clock) -> UrlSigner:
    return UrlSigner([OLD_SECRET], clock=clock)


def test_sign_and_verify(signer: UrlSigner) -> None:
    blob_id = new_blob_id(".mp3")
    params = signer.sign(blob_id)
    assert params.expires == NOW + DEFAULT_TTL_SECONDS
    signer.verify(blob_id, params.expires, params.signature)
    signer.verify(blob_id, str(params.expires), params.signature)  # raw query strings


def test_tampered_id_is_denied(signer: UrlSigner) -> None:
    blob_id, other = new_blob_id(".mp3"), new_blob_id(".mp3")
    params = signer.sign(blob_id)
    with pytest.raises(PermissionDenied):
        signer.verify(other, params.expires, params.signature)
    with pytest.raises(PermissionDenied):
        signer.verify(blob_id[:-4] + ".wav", params.expires, params.signature)


@pytest.mark.parametrize("expires_delta", [1, -1, 10**6])
def test_tampered_expiry_is_denied(signer: UrlSigner, expires_delta: int) -> None:
    blob_id = new_blob_id()
    params = signer.sign(blob_id)
    with pytest.raises(PermissionDenied):
        signer.verify(blob_id, params.expires + expires_delta, params.signature)


def test_tampered_signature_is_denied(signer: UrlSigner) -> None:
    blob_id = new_blob_id()
    sig = signer.sign(blob_id).signature
    expires = signer.sign(blob_id).expires
    flipped = sig[:-1] + ("A" if sig[-1] != "A" else "B")
    for bad in [flipped, sig[:-1], sig + "A", "", "v2" + sig[2:], sig.upper(), " " + sig]:
        with pytest.raises(PermissionDenied):
            signer.verify(blob_id, expires, bad)


@pytest.mark.parametrize("expires", ["", "abc", "-5", "1e10", " 1", "1" * 13, "１２３"])
def test_garbage_expiry_is_denied(signer: UrlSigner, expires: str) -> None:
    blob_id = new_blob_id()
    with pytest.raises(PermissionDenied):
        signer.verify(blob_id, expires, signer.sign(blob_id).signature)


def test_expired_url_is_denied(signer: UrlSigner, clock: Clock) -> None:
    blob_id = new_blob_id()
    params = signer.sign(blob_id, ttl=60)
    clock.now = NOW + 59
    signer.verify(blob_id, params.expires, params.signature)
    clock.now = NOW + 60
    with pytest.raises(PermissionDenied):
        signer.verify(blob_id, params.expires, params.signature)


def test_rotation_keeps_old_urls_until_they_expire(clock: Clock) -> None:
    blob_id = new_blob_id(".mp3")
    old_params = UrlSigner([OLD_SECRET], clock=clock).sign(blob_id)

    rotated = UrlSigner([NEW_SECRET, OLD_SECRET], clock=clock)
    rotated.verify(blob_id, old_params.expires, old_params.signature)  # still valid
    new_params = rotated.sign(blob_id)
    assert new_params.signature != old_params.signature
    UrlSigner([NEW_SECRET], clock=clock).verify(blob_id, new_params.expires, new_params.signature)

    clock.now = old_params.expires
    with pytest.raises(PermissionDenied):
        rotated.verify(blob_id, old_params.expires, old_params.signature)


def test_removing_a_secret_revokes_its_urls(clock: Clock) -> None:
    blob_id = new_blob_id()
    params = UrlSigner([OLD_SECRET], clock=clock).sign(blob_id)
    with pytest.raises(PermissionDenied):
        UrlSigner([NEW_SECRET], clock=clock).verify(blob_id, params.expires, params.signature)


def test_str_and_bytes_secrets_are_the_same_key(clock: Clock) -> None:
    blob_id = new_blob_id()
    params = UrlSigner([OLD_SECRET], clock=clock).sign(blob_id)
    UrlSigner([OLD_SECRET.encode()], clock=clock).verify(blob_id, params.expires, params.signature)


@pytest.mark.parametrize("bad_id", ["../x", "..", "%2e%2e", "/etc/passwd", "a\\b", "a\x00"])
def test_malformed_id_is_not_found(signer: UrlSigner, bad_id: str) -> None:
    with pytest.raises(NotFound):
        signer.verify(bad_id, NOW + 60, "v1.AAAAAAAA." + "A" * 43)
    with pytest.raises(ValueError, match="malformed"):
        signer.sign(bad_id)


def test_url_path(signer: UrlSigner) -> None:
    blob_id = new_blob_id(".mp3")
    url = signer.url_path(blob_id, ttl=300)
    parts = urlsplit(url)
    assert parts.path == f"/files/{blob_id}"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert set(query) == {"expires", "sig"}
    assert query["expires"] == str(NOW + 300)
    signer.verify(blob_id, query["expires"], query["sig"])
    assert signer.url_path(blob_id, prefix="/v1/files/").startswith(f"/v1/files/{blob_id}?")


def test_constructor_guards() -> None:
    with pytest.raises(TypeError):
        UrlSigner(OLD_SECRET)
    with pytest.raises(ValueError, match="at least one"):
        UrlSigner([])
    with pytest.raises(ValueError, match="16 bytes"):
        UrlSigner(["short"])
    with pytest.raises(ValueError, match="positive"):
        UrlSigner([OLD_SECRET], default_ttl_seconds=0)
    with pytest.raises(ValueError, match="positive"):
        UrlSigner([OLD_SECRET]).sign(new_blob_id(), ttl=0)
    assert OLD_SECRET not in repr(UrlSigner([OLD_SECRET]))


def test_generate_secret() -> None:
    first, second = generate_secret(), generate_secret()
    assert first != second
    assert len(first) >= 43
    UrlSigner([first])  # long enough to be accepted
