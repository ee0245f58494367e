"""Signed file URLs: who holds the URL may fetch the file until it expires, without an API key.

A signature is ``v1.<kid>.<mac>`` where ``mac`` is HMAC-SHA256, under one secret, over the
version, the key id, the blob id and the expiry (seconds since the epoch), base64url without
padding. ``kid`` is derived from the secret itself (a hash, never the secret), so secrets can
be listed in any order and rotated by prepending: the FIRST secret signs new URLs and ALL of
them verify, so URLs signed before a rotation keep working until they expire; removing a
secret from the list revokes every URL it signed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets as _secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote, urlencode

from seesay.errors import PermissionDenied
from seesay.storage.base import is_valid_blob_id, require_blob_id

__all__ = ["DEFAULT_TTL_SECONDS", "SignedParams", "UrlSigner", "generate_secret"]

#: How long a signed URL stays valid unless the caller says otherwise: 24 h.
DEFAULT_TTL_SECONDS: Final = 86_400

_VERSION: Final = "v1"
_MIN_SECRET_BYTES: Final = 16
_KID_CHARS: Final = 8
_SIGNATURE_RE: Final = re.compile(r"v1\.([A-Za-z0-9_-]{8})\.([A-Za-z0-9_-]{43})")
# Twelve digits reach the year 33658; the bound keeps a hostile query from making us parse a
# huge integer.
_EXPIRES_RE: Final = re.compile(r"[0-9]{1,12}")


def generate_secret() -> str:
    """A new random signing secret (256 bits, URL-safe text) for settings or the data folder."""
    return _secrets.token_urlsafe(32)


@dataclass(frozen=True, slots=True)
class SignedParams:
    """The query parameters of a signed URL: ``?expires=<expires>&sig=<signature>``."""

    expires: int
    signature: str


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _kid(secret: bytes) -> str:
    # Domain-separated so the key id can never equal a MAC made with the same secret.
    return _b64(hashlib.sha256(b"seesay-url-signing-kid\0" + secret).digest())[:_KID_CHARS]


def _denied() -> PermissionDenied:
    # One message for every failure: telling "expired" from "forged" helps only an attacker.
    return PermissionDenied("This file link is invalid or has expired.")


class UrlSigner:
    """Signs and verifies file URLs with a list of secrets (the first signs, all verify).

    Each secret is text (UTF-8 encoded) or bytes of at least 16 bytes; use
    :func:`generate_secret`. ``clock`` returns seconds since the epoch (injectable for tests).
    """

    def __init__(
        self,
        secrets: Sequence[str | bytes],
        default_ttl_seconds: int = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        # A lone str is a Sequence[str] too; taking it character by character would sign
        # with a one-character key.
        if isinstance(secrets, str | bytes):
            raise TypeError("secrets must be a list of secrets, not a single str or bytes")
        keys = [s.encode() if isinstance(s, str) else bytes(s) for s in secrets]
        if not keys:
            raise ValueError("at least one signing secret is required")
        if any(len(k) < _MIN_SECRET_BYTES for k in keys):
            raise ValueError(f"signing secrets must be at least {_MIN_SECRET_BYTES} bytes")
        if default_ttl_seconds <= 0:
            raise ValueError("default_ttl_seconds must be positive")
        self._keys: list[tuple[str, bytes]] = [(_kid(k), k) for k in keys]
        self._default_ttl = int(default_ttl_seconds)
        self._clock = clock

    def __repr__(self) -> str:  # never show the secrets
        return f"UrlSigner(<{len(self._keys)} secrets>, default_ttl_seconds={self._default_ttl})"

    @property
    def default_ttl_seconds(self) -> int:
        return self._default_ttl

    def sign(self, blob_id: str, ttl: int | None = None) -> SignedParams:
        """Sign ``blob_id`` for ``ttl`` seconds (default: ``default_ttl_seconds``) from now.

        ``ValueError`` for a malformed id or a non-positive ttl: only real ids get URLs.
        """
        if not is_valid_blob_id(blob_id):
            raise ValueError("cannot sign a malformed blob id")
        ttl = self._default_ttl if ttl is None else int(ttl)
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        expires = int(self._clock()) + ttl
        kid, key = self._keys[0]
        return SignedParams(expires=expires, signature=self._signature(kid, key, blob_id, expires))

    def verify(self, blob_id: str, expires: int | str, signature: str) -> None:
        """Return if the signature is valid for this id and expiry and has not expired.

        ``expires`` and ``signature`` may be the raw query strings. A malformed ``blob_id``
        raises ``NotFound`` (it can never name a file, so the route answers 404 as for any
        path that is not a file); every other failure raises ``PermissionDenied``.
        """
        require_blob_id(blob_id)
        if isinstance(expires, bool):
            raise _denied()
        if isinstance(expires, str):
            if _EXPIRES_RE.fullmatch(expires) is None:
                raise _denied()
            expires = int(expires)
        if not isinstance(expires, int) or not isinstance(signature, str):
            raise _denied()
        match = _SIGNATURE_RE.fullmatch(signature)
        if match is None:
            raise _denied()
        kid = match.group(1)
        valid = False
        for key_kid, key in self._keys:
            if key_kid == kid:  # key ids are public, so comparing them in plain is fine
                expected = self._signature(key_kid, key, blob_id, expires)
                valid |= hmac.compare_digest(expected.encode(), signature.encode())
        # The expiry is checked after the MAC so both failures take the same path.
        if not valid or expires <= int(self._clock()):
            raise _denied()

    def url_path(self, blob_id: str, ttl: int | None = None, *, prefix: str = "/files") -> str:
        """The path and query of a signed URL, e.g. ``/files/<id>?expires=...&sig=...``."""
        params = self.sign(blob_id, ttl)
        query = urlencode({"expires": params.expires, "sig": params.signature})
        return f"{prefix.rstrip('/')}/{quote(blob_id, safe='')}?{query}"

    @staticmethod
    def _signature(kid: str, key: bytes, blob_id: str, expires: int) -> str:
        message = f"{_VERSION}\n{kid}\n{blob_id}\n{expires}".encode()
        mac = hmac.new(key, message, hashlib.sha256).digest()
        return f"{_VERSION}.{kid}.{_b64(mac)}"
