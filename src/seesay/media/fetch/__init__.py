"""Guarded HTTP fetching of untrusted URLs: ``image_url`` inputs and outgoing webhooks.

Threat model. The URL comes from an API caller, who may be hostile. The server sits inside a
network the caller cannot reach directly: cloud metadata (169.254.169.254), loopback services
(this server's own admin endpoints, databases, Redis), and private or link-local hosts. The
attacker wins by making the server (a) connect to such an address and perhaps return what it
read (SSRF), or (b) spend unbounded memory or time on one request. Countermeasures:

* only ``http``/``https``; no credentials in URLs; hosts must be plain names or canonical IP
  literals, so odd encodings (``0x7f.1``, ``2130706433``, ``127.1``, ``0177.0.0.1``) cannot
  mean one thing to the check and another to the resolver (:mod:`.guard`);
* every address a host resolves to is checked *in the same step that connects*, and the socket
  goes to a checked address while TLS still verifies the hostname; a name with any forbidden
  address is refused, and a later DNS answer cannot swap addresses in (:mod:`.transport`);
* forbidden: loopback, private, link-local, CGNAT, multicast, unspecified, reserved, broadcast,
  benchmarking, documentation, unique- and site-local IPv6, and IPv6 forms carrying any of
  those IPv4 addresses (mapped, compatible, NAT64, 6to4) (:mod:`.addresses`);
* redirects are followed by hand, each target re-checked, at most 3; environment proxies and
  cookies are ignored; the body is capped while streaming (20 MB, no compressed transfer
  coding) and one deadline bounds DNS, connects, redirects and reads together (:mod:`.client`).

Operators reach internal image hosts by allow-listing hostnames or CIDR ranges
(``SEESAY_FETCH__ALLOWED_HOSTS``); allow-listed names and ranges skip the address check, nothing
else does. Out of scope: what the fetched bytes contain (the image decoder's job), and the
caller learning from error reasons whether a public host is up.
"""

from __future__ import annotations

from collections.abc import Iterable

from seesay.media.fetch.addresses import refusal_reason
from seesay.media.fetch.client import (
    DEFAULT_ACCEPT,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_REDIRECTS,
    DEFAULT_TIMEOUT_TOTAL,
    Fetched,
    Fetcher,
    fetch,
)
from seesay.media.fetch.guard import MAX_URL_LENGTH, Resolver, UrlGuard, system_resolve

__all__ = [
    "DEFAULT_ACCEPT",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_TIMEOUT_TOTAL",
    "MAX_URL_LENGTH",
    "Fetched",
    "Fetcher",
    "Resolver",
    "UrlGuard",
    "check_url",
    "fetch",
    "refusal_reason",
    "system_resolve",
]


def check_url(
    url: str,
    *,
    allowed_hosts: Iterable[str] = (),
    param: str | None = "image_url",
    resolve: bool = False,
) -> str:
    """Validate a URL to be fetched later (a webhook URL at submission); the normalised URL.

    Raises :class:`seesay.errors.UnsafeUrl` as :meth:`UrlGuard.check_url` does. Services that
    hold a :class:`UrlGuard` (or a :class:`Fetcher`'s ``guard``) should call its method instead.
    """
    guard = UrlGuard.from_allowed_hosts(allowed_hosts)
    return str(guard.check_url(url, param=param, resolve=resolve))
