"""The connect-time half of the guard: a transport whose sockets reach only checked addresses.

httpcore connects through a pluggable ``NetworkBackend``. :class:`GuardedBackend` resolves the
host itself, has :meth:`UrlGuard.resolve` check every address, and opens the socket to one of
those checked addresses. httpcore still starts TLS with ``server_hostname`` set to the URL's
host, so SNI and certificate verification are for the name while the socket goes to the
checked IP, and the ``Host`` header is untouched. Nothing re-resolves the name between the
check and the connect, so a DNS answer that changes (DNS rebinding) cannot slip past the check.

The total deadline of a fetch is held in a context variable (:func:`deadline`) rather than on
the connection, because pooled connections outlive one fetch. Every connect, DNS lookup, read
and write clamps its own timeout to what is left of the deadline of the fetch running in the
current context, so a server trickling one byte at a time cannot hold a fetch past it.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from contextvars import ContextVar
from ssl import SSLContext
from typing import Any, Final

import httpcore
import httpx

from seesay.media.fetch.guard import UrlGuard

__all__ = ["GuardedBackend", "GuardedTransport", "deadline", "time_left"]

_DNS_THREADS: Final = 8

_deadline: ContextVar[float | None] = ContextVar("seesay_fetch_deadline", default=None)


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Bound all network I/O in this context to ``seconds`` from now (nesting keeps the earlier)."""
    at = time.monotonic() + seconds
    outer = _deadline.get()
    token = _deadline.set(at if outer is None else min(at, outer))
    try:
        yield
    finally:
        _deadline.reset(token)


def time_left(timeout: float | None = None) -> float | None:
    """``timeout`` clamped to the current deadline; None when neither bounds the wait."""
    at = _deadline.get()
    if at is None:
        return timeout
    left = at - time.monotonic()
    return left if timeout is None else min(left, timeout)


def _bounded(timeout: float | None, error: type[httpcore.TimeoutException]) -> float | None:
    left = time_left(timeout)
    if left is not None and left <= 0:
        raise error("the total time allowed for the fetch ran out")
    return left


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every operation respects the deadline of the current fetch."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        tls = self._inner.start_tls(
            ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Resolves, checks, then connects to a checked address; refuses Unix sockets.

    Refusals raise the guard's :class:`seesay.errors.UnsafeUrl` (or ``InvalidRequest`` when the
    name does not resolve) with ``param=None``; the fetcher names the parameter. A slow DNS
    lookup runs on a small thread pool so the deadline bounds it too (``getaddrinfo`` has no
    timeout of its own); a lookup abandoned at the deadline finishes in the background.
    """

    def __init__(self, guard: UrlGuard, inner: httpcore.NetworkBackend | None = None) -> None:
        self._guard = guard
        self._inner = inner or httpcore.SyncBackend()
        self._dns: ThreadPoolExecutor | None = None
        self._dns_lock = threading.Lock()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        last_error: httpcore.NetworkError | httpcore.TimeoutException | None = None
        for address in self._resolve(host, port, timeout):
            try:
                stream = self._inner.connect_tcp(
                    address,
                    port,
                    timeout=_bounded(timeout, httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc  # try the name's next (also checked) address
                continue
            return _DeadlineStream(stream)
        assert last_error is not None  # _resolve never returns an empty list
        raise last_error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("the guarded fetcher does not connect to Unix sockets")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)

    def close(self) -> None:
        """Stop the DNS threads (a lookup in flight finishes in the background)."""
        with self._dns_lock:
            if self._dns is not None:
                self._dns.shutdown(wait=False, cancel_futures=True)
                self._dns = None

    def _resolve(self, host: str, port: int, timeout: float | None) -> list[str]:
        try:
            ipaddress.ip_address(host)
        except ValueError:
            pass
        else:
            return self._guard.resolve(host, port, param=None)
        wait = _bounded(timeout, httpcore.ConnectTimeout)
        future = self._executor().submit(self._guard.resolve, host, port, param=None)
        try:
            return future.result(timeout=wait)
        except FutureTimeout:
            future.cancel()
            raise httpcore.ConnectTimeout("resolving the host timed out") from None

    def _executor(self) -> ThreadPoolExecutor:
        with self._dns_lock:
            if self._dns is None:
                self._dns = ThreadPoolExecutor(_DNS_THREADS, thread_name_prefix="seesay-dns")
            return self._dns


class GuardedTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` whose connections go through :class:`GuardedBackend`.

    HTTP/1.1 only, environment (proxies, ``SSL_CERT_FILE``) ignored. ``ssl_context`` defaults
    to certifi's bundle with hostname verification; tests pass one trusting their own CA.
    """

    def __init__(
        self,
        guard: UrlGuard,
        *,
        ssl_context: SSLContext | None = None,
        limits: httpx.Limits | None = None,
    ) -> None:
        context = ssl_context or httpx.create_ssl_context(trust_env=False)
        limits = limits or httpx.Limits(max_connections=50, max_keepalive_connections=10)
        super().__init__(verify=context, trust_env=False, limits=limits)
        self._backend = GuardedBackend(guard)
        # httpx has no parameter for the network backend, so the pool it just built is
        # replaced by an identical one that connects through the guard. The fetcher's tests
        # fail if this ever stops taking effect (every connection must hit the stub resolver).
        self._pool = httpcore.ConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=self._backend,
        )

    def close(self) -> None:
        super().close()
        self._backend.close()
