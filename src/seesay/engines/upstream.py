"""A small HTTP client for remote engines: retries with backoff, Retry-After, error mapping.

Contract of :class:`UpstreamClient`:
- connection failures and HTTP 408/425/429/500/502/503/504 are retried up to
  ``settings.retries`` times, waiting ``backoff * 2**attempt`` seconds, or the upstream's
  ``Retry-After`` (seconds or HTTP date) when it sends one, capped at ``max_retry_after``;
  a Retry-After above the cap is not waited for;
- a read timeout is not retried (the remote is slow, a second try would double the wait)
  and raises ``EngineTimeout``;
- every other failure raises ``UpstreamError`` naming the provider and the HTTP status, never
  echoing the upstream's body (it may hold prompts, keys or internal details);
- the API key is sent as ``Authorization: Bearer`` and never appears in a message;
- no exchange outlasts the request's deadline (``engines.deadline``), and none starts past it.

Tests inject an ``httpx`` transport (``httpx.MockTransport``) through ``transport``.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Final, Protocol

import httpx
import numpy as np
from pydantic import BaseModel, Field, SecretStr

from seesay.engines import deadline
from seesay.engines.base import Audio, EngineInfo, Task, VoiceInfo
from seesay.errors import EngineTimeout, InvalidAudio, UpstreamError

__all__ = [
    "MAX_AUDIO_BYTES",
    "REMOTE_LICENCE",
    "RETRYABLE_STATUS",
    "ProviderEndpoint",
    "RemoteEngine",
    "RemoteSettings",
    "UpstreamClient",
    "decode_audio_answer",
    "parse_retry_after",
    "provider_client",
    "remote_info",
]

log = logging.getLogger(__name__)

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_AUDIO_BYTES: Final = 64 * 1024 * 1024
#: What ``/v1/models`` says of the terms of every engine that calls a remote service.
REMOTE_LICENCE: Final = "remote service: see the provider's terms"


class RemoteSettings(BaseModel):
    """Where a remote engine lives and how patiently to talk to it."""

    base_url: str = Field(description="API root (with its /v1 where the API has one).")
    api_key: SecretStr | None = Field(None, description="Sent as a Bearer token when set.")
    timeout: float = Field(60.0, gt=0, description="Seconds for one HTTP exchange.")
    retries: int = Field(2, ge=0, le=10, description="Extra tries after a retryable failure.")
    backoff: float = Field(0.5, ge=0, description="First retry delay in seconds; doubles.")
    max_retry_after: float = Field(
        30.0, ge=0, description="Longest upstream Retry-After honoured before giving up."
    )


def parse_retry_after(value: str | None, now: Callable[[], datetime] | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now() if now else datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


class ProviderEndpoint(Protocol):
    """Where a provider answers and how: ``RemoteSettings`` and the chat providers' settings."""

    @property
    def base_url(self) -> str: ...
    @property
    def api_key(self) -> SecretStr | None: ...
    @property
    def timeout(self) -> float: ...


def provider_client(
    endpoint: ProviderEndpoint,
    *,
    transport: httpx.BaseTransport | None,
    trust_env: bool,
    headers: Mapping[str, str] | None = None,
) -> httpx.Client:
    """A pooled client for one provider's API root: the key (when set) as a Bearer token,
    and redirects never followed, so the key cannot be carried to another host."""
    sent = {"User-Agent": "seesay", **(headers or {})}
    key = endpoint.api_key
    if key is not None and key.get_secret_value():
        sent["Authorization"] = f"Bearer {key.get_secret_value()}"
    return httpx.Client(
        base_url=endpoint.base_url.rstrip("/") + "/",
        headers=sent,
        timeout=endpoint.timeout,
        transport=transport,
        trust_env=trust_env,
        follow_redirects=False,
    )


class UpstreamClient:
    """Talks to one remote provider; thread-safe (one pooled ``httpx.Client``)."""

    def __init__(
        self,
        settings: RemoteSettings,
        *,
        provider: str,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        trust_env: bool = True,
    ) -> None:
        """``trust_env=False`` ignores proxy settings in the environment (for a URL that must
        be reached directly, such as a model server on this machine)."""
        self._settings = settings
        self._provider = provider
        self._sleep = sleep
        self._client = provider_client(settings, transport=transport, trust_env=trust_env)

    @property
    def provider(self) -> str:
        return self._provider

    def close(self) -> None:
        self._client.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
    ) -> httpx.Response:
        """Send one request with retries; return a 2xx response or raise a domain error."""
        settings = self._settings
        url = path.lstrip("/")  # relative to base_url, which keeps its own path
        attempt = 0
        while True:
            wait: float | None
            deadline.check()  # no (further) try once the request's deadline has passed
            left = deadline.remaining()
            timeout = settings.timeout if left is None else min(settings.timeout, left)
            try:
                response = self._client.request(
                    method, url, json=json, data=data, files=files, timeout=timeout
                )
            except httpx.TimeoutException as exc:
                if isinstance(exc, httpx.ConnectTimeout) and attempt < settings.retries:
                    wait = None
                else:
                    raise EngineTimeout(
                        f"{self._provider} did not answer within {timeout:g} s"
                    ) from exc
            except httpx.TransportError as exc:
                if attempt >= settings.retries:
                    raise UpstreamError(f"could not reach {self._provider}") from exc
                wait = None
            else:
                if response.is_success:
                    return response
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                status = response.status_code
                retryable = status in RETRYABLE_STATUS and attempt < settings.retries
                if retry_after is not None and retry_after > settings.max_retry_after:
                    retryable = False
                if not retryable:
                    raise self._status_error(status, retry_after)
                wait = retry_after
                log.info("%s answered HTTP %s; retrying", self._provider, status)
            self._sleep(wait if wait is not None else settings.backoff * 2**attempt)
            attempt += 1

    def _status_error(self, status: int, retry_after: float | None) -> UpstreamError:
        if status in (401, 403):
            message = f"{self._provider} refused the configured credentials (HTTP {status})"
        elif status == 429:
            message = f"{self._provider} is rate limiting requests (HTTP 429)"
        elif 400 <= status < 500:
            message = f"{self._provider} refused the request (HTTP {status})"
        else:
            message = f"{self._provider} failed (HTTP {status})"
        return UpstreamError(
            message,
            upstream_status=status,
            retry_after=None if retry_after is None else max(1, round(retry_after)),
        )

    def json(self, response: httpx.Response) -> Any:
        """The JSON body of ``response``, or ``UpstreamError`` if it is not JSON."""
        try:
            return response.json()
        except ValueError as exc:
            raise UpstreamError(f"{self._provider} answered with invalid JSON") from exc


def remote_info(
    name: str,
    task: Task,
    model: str,
    *,
    description: str,
    languages: tuple[str, ...] = (),
    voices: tuple[VoiceInfo, ...] = (),
    formats: tuple[str, ...] = (),
    extra: Mapping[str, Any] | None = None,
) -> EngineInfo:
    """The ``EngineInfo`` of an engine that calls a remote service (not local, the provider's
    licence terms)."""
    return EngineInfo(
        name=name,
        task=task,
        model=model,
        licence=REMOTE_LICENCE,
        local=False,
        languages=languages,
        voices=voices,
        formats=formats,
        description=description,
        extra=dict(extra or {}),
    )


class RemoteEngine:
    """The lifecycle every remote engine shares; subclasses set ``_info`` and do the calls.

    ``load`` opens one pooled ``UpstreamClient`` (``_connect``), ``unload`` closes it, and
    ``upstream()`` hands it out, opening it first if nobody loaded the engine; all three are
    thread-safe. ``transport`` is the test seam (``httpx.MockTransport``).
    """

    _info: EngineInfo

    def __init__(
        self,
        settings: RemoteSettings,
        *,
        provider: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._remote = settings
        self._provider = provider
        self._transport = transport
        self._client_lock = threading.Lock()
        self._client: UpstreamClient | None = None

    @property
    def info(self) -> EngineInfo:
        return self._info

    def _connect(self) -> UpstreamClient:
        """A new client for the settings; overridden where a provider authenticates
        differently."""
        return UpstreamClient(self._remote, provider=self._provider, transport=self._transport)

    def load(self) -> None:
        self.upstream()

    def unload(self) -> None:
        with self._client_lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def upstream(self) -> UpstreamClient:
        """The open client (opened now if the engine was not loaded)."""
        with self._client_lock:
            if self._client is None:
                self._client = self._connect()
            return self._client


def decode_audio_answer(data: bytes, *, pcm16: bool, rate: int, provider: str) -> Audio:
    """Float mono audio from a remote engine's answer: raw 16-bit little-endian PCM at
    ``rate`` when ``pcm16``, else any container PyAV decodes, resampled to ``rate``.
    ``UpstreamError`` when the answer is empty, over ``MAX_AUDIO_BYTES`` or undecodable."""
    if not data or len(data) > MAX_AUDIO_BYTES:
        raise UpstreamError(f"{provider} answered with no or oversized audio")
    if pcm16:
        usable = len(data) - len(data) % 2
        pcm = np.frombuffer(data[:usable], dtype="<i2").astype(np.float32) / 32768.0
        return Audio(pcm, rate)
    from seesay.media.audio_decode import AudioLimits, decode_audio

    try:
        return decode_audio(
            data, AudioLimits(max_bytes=MAX_AUDIO_BYTES, max_seconds=3600.0, target_rate=rate)
        )
    except InvalidAudio as exc:
        raise UpstreamError(f"{provider} answered with undecodable audio") from exc
