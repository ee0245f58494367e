"""What a streamed audio answer says in its response headers, before the first byte: text is
percent-encoded UTF-8 (a header is latin-1; the SDK's ``AudioStream.header`` decodes it).

``X-SeeSay-Voice-Fallback`` is sent when another voice than the one asked for speaks (a voice
that cannot be loaded, or that does not speak the language), with the reason the JSON answers
give as ``voice_fallback``; it is absent when the asked voice speaks.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import quote

__all__ = ["VOICE_FALLBACK", "header_text", "voice_fallback_headers"]

VOICE_FALLBACK: Final = "X-SeeSay-Voice-Fallback"
_SAFE: Final = " ,.;:!?'()-"  # kept as they are: readable, and legal in a header


def header_text(text: str) -> str:
    """``text`` as a header value (percent-encoded UTF-8)."""
    return quote(text, safe=_SAFE)


def voice_fallback_headers(reason: str | None) -> dict[str, str]:
    """``{X-SeeSay-Voice-Fallback: reason}`` when another voice speaks, else nothing."""
    return {VOICE_FALLBACK: header_text(reason)} if reason else {}
