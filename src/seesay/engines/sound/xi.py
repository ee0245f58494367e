"""What the ElevenLabs-compatible remote engines (sound effects, voice cloning) share.

ElevenLabs authenticates with an ``xi-api-key`` header rather than a Bearer token, and names
audio formats ``<codec>_<rate>[_<bitrate>]`` (``pcm_24000`` is raw 16-bit little-endian mono,
``mp3_44100_128`` an MP3). ``xi_client`` builds a ``seesay.engines.upstream.UpstreamClient``
(retries, Retry-After, error mapping that never echoes the upstream's body) that sends the key
that way, through a transport wrapper, so any test transport still plugs in underneath.
"""

from __future__ import annotations

import re
from typing import Final

import httpx

from seesay.engines.base import Audio
from seesay.engines.upstream import (
    RemoteEngine,
    RemoteSettings,
    UpstreamClient,
    decode_audio_answer,
)

__all__ = ["XiEngine", "XiKeyTransport", "decode_xi_audio", "format_rate", "xi_client"]

_FORMAT: Final = re.compile(r"^([a-z0-9]+)_(\d{4,6})(?:_\d+)?$")


class XiKeyTransport(httpx.BaseTransport):
    """Adds ``xi-api-key`` to every request, then hands it to ``inner``."""

    def __init__(self, inner: httpx.BaseTransport, key: str) -> None:
        self._inner = inner
        self._key = key

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.headers["xi-api-key"] = self._key
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def xi_client(
    settings: RemoteSettings, provider: str, transport: httpx.BaseTransport | None
) -> UpstreamClient:
    """An ``UpstreamClient`` for ``settings`` that authenticates the ElevenLabs way."""
    inner = transport if transport is not None else httpx.HTTPTransport()
    key = settings.api_key.get_secret_value() if settings.api_key is not None else ""
    if key:
        inner = XiKeyTransport(inner, key)
    # No Bearer header: the key travels only as xi-api-key.
    plain = settings.model_copy(update={"api_key": None})
    return UpstreamClient(plain, provider=provider, transport=inner)


class XiEngine(RemoteEngine):
    """A ``RemoteEngine`` whose client authenticates the ElevenLabs way (``xi_client``)."""

    def _connect(self) -> UpstreamClient:
        return xi_client(self._remote, self._provider, self._transport)


def format_rate(output_format: str) -> int:
    """The sample rate an ElevenLabs output format names (``mp3_44100_128`` -> 44100)."""
    m = _FORMAT.match(output_format)
    if m is None:
        raise ValueError(f"not an ElevenLabs output format: {output_format!r}")
    return int(m.group(2))


def decode_xi_audio(data: bytes, output_format: str, provider: str) -> Audio:
    """Float mono audio from an answer in ``output_format``; ``UpstreamError`` when it is
    empty, oversized or undecodable."""
    return decode_audio_answer(
        data,
        pcm16=output_format.startswith("pcm_"),
        rate=format_rate(output_format),
        provider=provider,
    )
