"""Absolute URLs for links the API hands out (signed audio).

The ``Host`` header is the client's to write, so an arbitrary one never picks the host of a
returned URL: a forged one would send a caller's signed links (and the audio behind them) to
a host of the forger's choosing. The origin is the configured ``public_base_url``; without
one, the ``Host`` the client used when it names this machine (``localhost``, a loopback
address) or a host in ``trusted_hosts``; otherwise the address this connection actually
reached (the socket's local address, which the client cannot forge).
"""

from __future__ import annotations

from fastapi import Request

from seesay.platform import Platform

__all__ = ["absolute_url", "origin"]

_DEFAULT_PORTS = {"http": 80, "https": 443}
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def origin(request: Request, platform: Platform) -> str:
    """The configured public origin, a trusted ``Host``, else the server address the request
    reached (no trailing slash)."""
    configured = platform.settings.public_base_url
    if configured:
        return configured.rstrip("/")
    named = (request.url.hostname or "").lower()
    if named in _LOOPBACK_NAMES or named in platform.settings.trusted_hosts:
        return str(request.base_url).rstrip("/")
    scheme = request.url.scheme
    server = request.scope.get("server")
    if not server:  # not over a socket (an in-process call): the server's own settings
        return platform.settings.public_origin()
    host, port = str(server[0]), server[1]
    if ":" in host:
        host = f"[{host}]"
    if port is None or _DEFAULT_PORTS.get(scheme) == port:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def absolute_url(request: Request, platform: Platform, path: str) -> str:
    """``path`` on :func:`origin`."""
    return origin(request, platform) + path
