"""API key format: ``seesay_live_<43 chars>`` / ``seesay_test_<43 chars>``.

The prefix names the product and the mode so secret scanners and humans recognise a key,
and so a test key can never be mistaken for a live one. Only ``hash_key`` of a key is
stored; lookups are by hash, which makes comparison constant-time by construction (the
database compares digests, never the secret).
"""

from __future__ import annotations

import hashlib
import re
import secrets

__all__ = ["KEY_PATTERN", "generate_key", "hash_key", "key_hint", "key_mode"]

KEY_PATTERN = re.compile(r"^seesay_(live|test)_[A-Za-z0-9_-]{43}$")


def generate_key(mode: str) -> str:
    if mode not in ("live", "test"):
        raise ValueError("mode must be 'live' or 'test'")
    return f"seesay_{mode}_{secrets.token_urlsafe(32)}"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def key_mode(key: str) -> str | None:
    """'live' or 'test' for a well-formed key, else None."""
    match = KEY_PATTERN.match(key)
    return match.group(1) if match else None


def key_hint(key: str) -> str:
    """What listings show: the prefix and the last four characters."""
    prefix = key[: len("seesay_live_")]
    return f"{prefix}…{key[-4:]}"
