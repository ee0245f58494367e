"""Form fields shared by the routes that clone voices (Voice Clone surface, native API)."""

from __future__ import annotations

import json

from seesay.errors import InvalidRequest

__all__ = ["parse_consent", "parse_cover", "parse_tags"]

_MAX_TAGS = 50
_TRUE = {"true", "1", "yes", "on", "y"}
_FALSE = {"false", "0", "no", "off", "n"}


def parse_tags(raw: str | None) -> tuple[str, ...]:
    """Tags as a JSON array of strings or a comma-separated list."""
    if raw is None or not raw.strip():
        return ()
    text = raw.strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError:
            raise InvalidRequest("tags is not a valid JSON array", param="tags") from None
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise InvalidRequest("tags must be a JSON array of strings", param="tags")
        items = value
    else:
        items = text.split(",")
    tags = tuple(dict.fromkeys(t.strip() for t in items if t.strip()))
    if len(tags) > _MAX_TAGS or any(len(t) > 50 for t in tags):
        raise InvalidRequest(f"at most {_MAX_TAGS} tags of 50 characters each", param="tags")
    return tags


def parse_consent(raw: str | None) -> bool | None:
    if raw is None or not raw.strip():
        return None
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InvalidRequest("consent must be true or false", param="consent")


def parse_cover(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    url = raw.strip()
    if len(url) > 2048 or not url.lower().startswith(("http://", "https://")) or " " in url:
        raise InvalidRequest("coverImage must be an http(s) URL", param="coverImage")
    return url
