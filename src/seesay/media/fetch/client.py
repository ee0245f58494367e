"""The guarded fetcher: one request, its redirects and a capped body, under one total deadline.

:class:`Fetcher` is built once (from settings) and shared; it is thread-safe and keeps a
connection pool. :func:`fetch` is the one-shot form.

Outcomes, all subclasses of :class:`seesay.errors.InvalidRequest` (a 4xx for the caller, never a
500), each with ``param`` set to the caller's parameter name and ``details["reason"]``:

* :class:`UnsafeUrl` -- the URL or an address it leads to is refused by the :class:`UrlGuard`;
* :class:`PayloadTooLarge` (``too_large``) -- the body exceeds ``max_bytes``; reading stops at
  ``max_bytes + 1`` bytes, or before the body when ``Content-Length`` already says so;
* ``InvalidRequest`` with reason ``timeout`` -- connect, redirects and body together took
  longer than ``timeout_total``. Deliberately a 400 and not ``EngineTimeout`` (504): a slow
  URL is the caller's input, not a fault of this server;
* ``InvalidRequest`` with reason ``too_many_redirects``, ``upstream_status`` (non-2xx; the
  status is named, the body is never echoed), ``unsupported_encoding``, ``unresolvable`` or
  ``connection_failed``.
"""

from __future__ import annotations

import http.cookiejar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from ssl import SSLContext
from types import TracebackType
from typing import Final, Protocol, Self

import httpx

from seesay import __version__
from seesay.errors import InvalidRequest, PayloadTooLarge, SeeSayError
from seesay.media.fetch.guard import Resolver, UrlGuard
from seesay.media.fetch.transport import GuardedTransport, deadline, time_left

__all__ = [
    "DEFAULT_ACCEPT",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_TIMEOUT_TOTAL",
    "Fetched",
    "Fetcher",
    "fetch",
]

DEFAULT_MAX_BYTES: Final = 20 * 1024 * 1024
DEFAULT_TIMEOUT_TOTAL: Final = 15.0
DEFAULT_MAX_REDIRECTS: Final = 3
DEFAULT_ACCEPT: Final = "image/*, */*;q=0.5"

_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_FOLLOWS_REDIRECTS: Final = frozenset({"GET", "HEAD"})
_USER_AGENT: Final = f"SeeSay/{__version__} (image fetcher)"


class _HasAllowedHosts(Protocol):
    @property
    def allowed_hosts(self) -> Iterable[str]: ...


@dataclass(frozen=True, slots=True)
class Fetched:
    """A successful response: the body, its media type (lowercase, no parameters), where it
    ended up after redirects, and the status (2xx unless ``raise_for_status=False``)."""

    content: bytes
    content_type: str | None
    final_url: str
    status_code: int = 200


def _failed(message: str, reason: str, param: str | None) -> InvalidRequest:
    return InvalidRequest(message, param=param, details={"reason": reason})


class Fetcher:
    """Fetches untrusted URLs under a :class:`UrlGuard`, with caps that calls may tighten.

    ``max_bytes``, ``timeout_total`` and ``max_redirects`` are defaults for every call;
    ``ssl_context`` replaces the certifi bundle (tests use it to trust their own CA).
    """

    def __init__(
        self,
        guard: UrlGuard | None = None,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout_total: float = DEFAULT_TIMEOUT_TOTAL,
        max_redirects: int = DEFAULT_MAX_REDIRECTS,
        ssl_context: SSLContext | None = None,
    ) -> None:
        self.guard = guard or UrlGuard()
        self.max_bytes = max_bytes
        self.timeout_total = timeout_total
        self.max_redirects = max_redirects
        self._client = httpx.Client(
            transport=GuardedTransport(self.guard, ssl_context=ssl_context),
            trust_env=False,
            follow_redirects=False,
            headers={"User-Agent": _USER_AGENT},
        )
        # A shared client must not carry one caller's cookies into another caller's fetch: an
        # empty domain allow-list makes the jar refuse every cookie. (Set on the client's own
        # jar: httpx copies a jar passed to its constructor, dropping the policy.)
        self._client.cookies.jar.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))

    @classmethod
    def from_settings(
        cls, settings: _HasAllowedHosts, *, ssl_context: SSLContext | None = None
    ) -> Fetcher:
        """Build from ``Settings.fetch`` (anything with ``allowed_hosts``), default caps."""
        return cls(UrlGuard.from_allowed_hosts(settings.allowed_hosts), ssl_context=ssl_context)

    def fetch(
        self,
        url: str,
        *,
        accept: str = DEFAULT_ACCEPT,
        param: str | None = "image_url",
        max_bytes: int | None = None,
        timeout_total: float | None = None,
        max_redirects: int | None = None,
    ) -> Fetched:
        """GET ``url``, following up to ``max_redirects`` re-checked redirects; 2xx or raise."""
        return self.request(
            "GET",
            url,
            headers={"Accept": accept},
            param=param,
            max_bytes=max_bytes,
            timeout_total=timeout_total,
            max_redirects=max_redirects,
        )

    def request(
        self,
        method: str,
        url: str,
        *,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        param: str | None = "image_url",
        max_bytes: int | None = None,
        timeout_total: float | None = None,
        max_redirects: int | None = None,
        raise_for_status: bool = True,
    ) -> Fetched:
        """Send one request under the guard (e.g. a webhook ``POST``) and read the capped body.

        Only GET and HEAD follow redirects; any other method gets the 3xx back (or refused as
        non-2xx), since following would replay its body, perhaps signed, to another origin.
        With ``raise_for_status=False`` a non-2xx answer is returned instead of raised.
        """
        budget = self.timeout_total if timeout_total is None else timeout_total
        try:
            with deadline(budget):
                return self._send(
                    method.upper(),
                    url,
                    content=content,
                    headers=headers or {},
                    param=param,
                    max_bytes=self.max_bytes if max_bytes is None else max_bytes,
                    max_redirects=self.max_redirects if max_redirects is None else max_redirects,
                    raise_for_status=raise_for_status,
                )
        except httpx.TimeoutException:
            raise _failed(
                f"fetching the URL took longer than {budget:g} s", "timeout", param
            ) from None
        except httpx.HTTPError:
            # Transport and protocol errors (refused connection, TLS verification failure,
            # malformed response). Their text may name internal addresses, so it is not echoed.
            raise _failed("the URL could not be fetched", "connection_failed", param) from None
        except SeeSayError as exc:
            if exc.param is None:  # raised at connect time, where the parameter is unknown
                exc.param = param
            raise

    def _send(
        self,
        method: str,
        url: str,
        *,
        content: bytes | None,
        headers: Mapping[str, str],
        param: str | None,
        max_bytes: int,
        max_redirects: int,
        raise_for_status: bool,
    ) -> Fetched:
        target = self.guard.check_url(url, param=param)
        for _ in range(max_redirects + 1):
            left = time_left()
            if left is not None and left <= 0:
                raise httpx.TimeoutException("the total time allowed for the fetch ran out")
            request = self._client.build_request(
                method,
                target,
                content=content,
                # Compressed transfer would let a small body inflate past the cap in one chunk.
                headers={**headers, "Accept-Encoding": "identity"},
                timeout=httpx.Timeout(left),
            )
            response = self._client.send(request, stream=True)
            try:
                location = response.headers.get("Location")
                if response.status_code in _REDIRECTS and location and method in _FOLLOWS_REDIRECTS:
                    try:
                        next_url = response.url.join(location)
                    except httpx.InvalidURL:
                        raise _failed(
                            "the URL redirected to a malformed URL", "malformed", param
                        ) from None
                    target = self.guard.check_url(next_url, param=param)
                    continue
                if raise_for_status and not response.is_success:
                    raise _failed(
                        f"the URL answered HTTP {response.status_code}", "upstream_status", param
                    )
                return Fetched(
                    content=_read_capped(response, max_bytes, param),
                    content_type=_media_type(response),
                    final_url=str(response.url),
                    status_code=response.status_code,
                )
            finally:
                response.close()
        raise _failed(
            f"the URL redirected more than {max_redirects} times", "too_many_redirects", param
        )

    def close(self) -> None:
        """Close pooled connections; the fetcher must not be used afterwards."""
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _read_capped(response: httpx.Response, max_bytes: int, param: str | None) -> bytes:
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise _failed(
            "the URL answered with a compressed encoding although none was accepted",
            "unsupported_encoding",
            param,
        )
    too_large = PayloadTooLarge(
        f"the URL's content is larger than the {max_bytes} byte cap",
        param=param,
        details={"reason": "too_large", "max_bytes": max_bytes},
    )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    body = bytearray()
    for chunk in response.iter_raw():
        body += chunk
        if len(body) > max_bytes:
            raise too_large
    return bytes(body)


def _media_type(response: httpx.Response) -> str | None:
    value = response.headers.get("Content-Type")
    if not value:
        return None
    media_type = value.split(";", 1)[0].strip().lower()
    return media_type or None


def fetch(
    url: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout_total: float = DEFAULT_TIMEOUT_TOTAL,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    allowed_hosts: Iterable[str] = (),
    accept: str = DEFAULT_ACCEPT,
    param: str | None = "image_url",
    ssl_context: SSLContext | None = None,
    resolver: Resolver | None = None,
) -> Fetched:
    """One-shot :meth:`Fetcher.fetch` with its own guard and pool (prefer a shared Fetcher)."""
    guard = UrlGuard.from_allowed_hosts(allowed_hosts, resolver=resolver)
    with Fetcher(
        guard,
        max_bytes=max_bytes,
        timeout_total=timeout_total,
        max_redirects=max_redirects,
        ssl_context=ssl_context,
    ) as fetcher:
        return fetcher.fetch(url, accept=accept, param=param)
