"""The URL policy of the guarded fetcher: which URLs may be fetched and which addresses reached.

:class:`UrlGuard` is immutable and cheap to share. It is built once from the operator's
allow-list (``SEESAY_FETCH__ALLOWED_HOSTS``) and used in two places:

* *before* a request, :meth:`UrlGuard.check_url` applies the static rules to a URL (scheme,
  credentials, host syntax, literal addresses); the fetcher calls it for the first URL and every
  redirect target, and the jobs API calls it to validate a webhook URL at submission time;
* *while connecting*, the fetcher's network backend calls :meth:`UrlGuard.resolve` to resolve
  the host and check every address it resolves to, then connects to one of exactly those
  addresses. Resolving and checking in the same step as connecting is what defeats DNS
  rebinding; the static check alone would not.

Every refusal is :class:`seesay.errors.UnsafeUrl` with a message that names the reason (never
the address a name resolved to, which would leak internal DNS) and ``details["reason"]``, a
stable code: ``malformed``, ``too_long``, ``scheme``, ``credentials``, ``numeric_host``,
``forbidden_address``.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit

import httpx

from seesay.errors import InvalidRequest, UnsafeUrl
from seesay.media.fetch.addresses import IPAddress, IPNetwork, embedded_ipv4, refusal_reason

__all__ = ["MAX_URL_LENGTH", "Resolver", "UrlGuard", "system_resolve"]

MAX_URL_LENGTH: Final = 8192

Resolver = Callable[[str, int], Sequence[str]]
"""Resolves ``(host, port)`` to IP address strings; raises ``OSError`` when it cannot."""

_SCHEMES: Final = frozenset({"http", "https"})
# Hosts after IDNA encoding (httpx does it, and lowercases): anything else, such as ``%`` from a
# percent-encoded host or an IPv6 zone id, is refused rather than handed to a resolver.
_HOST_CHARS: Final = re.compile(r"[a-z0-9._-]+")
# A host whose last label is a number is parsed as IPv4 by browsers (WHATWG) and by inet_aton,
# in decimal, octal or hex and with 1 to 4 parts: ``0x7f.1``, ``2130706433``, ``127.1``.
_NUMERIC_LABEL: Final = re.compile(r"[0-9]+|0x[0-9a-f]*")
_OCTET: Final = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_CANONICAL_IPV4: Final = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")
# What a ``localhost`` name is judged as before it is resolved (RFC 6761 makes it loopback).
_LOOPBACK: Final = ipaddress.IPv4Address("127.0.0.1")


def system_resolve(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the system resolver; the distinct addresses, in resolver order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _refused(message: str, reason: str, param: str | None) -> UnsafeUrl:
    return UnsafeUrl(message, param=param, details={"reason": reason})


def _normalise_hostname(name: str) -> str:
    """A hostname as it appears in a parsed URL: IDNA-encoded, lowercase, no trailing dot."""
    try:
        host = httpx.URL(f"http://{name}/").raw_host.decode("ascii")
    except httpx.InvalidURL as exc:
        raise ValueError(f"not a valid hostname: {name!r}") from exc
    host = host.rstrip(".")
    if not _HOST_CHARS.fullmatch(host) or _NUMERIC_LABEL.fullmatch(host.rsplit(".", 1)[-1]):
        raise ValueError(f"not a valid hostname: {name!r}")
    return host


@dataclass(frozen=True, slots=True)
class UrlGuard:
    """What the fetcher may reach. The default guard allows public addresses only.

    ``allowed_hostnames`` (normalised: IDNA, lowercase, no trailing dot) may resolve to any
    address; any address inside ``allowed_networks`` is allowed whatever name led to it. Build
    it with :meth:`from_allowed_hosts`. ``resolver`` is how hostnames are resolved at connect
    time (the system resolver unless a test or an operator injects another).
    """

    allowed_hostnames: frozenset[str] = frozenset()
    allowed_networks: tuple[IPNetwork, ...] = ()
    resolver: Resolver = field(default=system_resolve, compare=False)

    @classmethod
    def from_allowed_hosts(
        cls, entries: Iterable[str] | str = (), *, resolver: Resolver | None = None
    ) -> UrlGuard:
        """Build from allow-list entries: hostnames, IP addresses or CIDR ranges.

        A single string is split on commas (the environment variable's form). Blank entries are
        skipped; an entry that is neither a network nor a valid hostname raises ``ValueError``,
        so a typo in the configuration fails at start-up rather than silently allowing nothing.
        """
        if isinstance(entries, str):
            entries = entries.split(",")
        names: set[str] = set()
        networks: list[IPNetwork] = []
        for raw in entries:
            entry = raw.strip()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                if "/" in entry or ":" in entry:
                    raise ValueError(f"not a hostname or CIDR range: {entry!r}") from None
                names.add(_normalise_hostname(entry))
        return cls(
            allowed_hostnames=frozenset(names),
            allowed_networks=tuple(networks),
            resolver=resolver or system_resolve,
        )

    def host_is_allowed(self, host: str) -> bool:
        """Whether ``host`` (as in a parsed URL) is an allow-listed hostname."""
        return host.rstrip(".") in self.allowed_hostnames

    def address_refusal(self, host: str, address: IPAddress) -> str | None:
        """Why ``address`` (reached through ``host``) is refused, or None if it may be used."""
        if self.host_is_allowed(host):
            return None
        inner = embedded_ipv4(address)
        for network in self.allowed_networks:
            if address in network or (inner is not None and inner in network):
                return None
        return refusal_reason(address)

    def check_url(
        self, url: str | httpx.URL, *, param: str | None = "image_url", resolve: bool = False
    ) -> httpx.URL:
        """Apply the static rules to ``url`` and return it parsed; raise :class:`UnsafeUrl`.

        Refused: anything but http and https; credentials (``user:pass@``, even an empty
        ``@``); hosts with characters outside letters, digits, ``.-_`` after IDNA; numeric
        hosts in any form but canonical dotted-quad IPv4 or bracketed IPv6 (``0x7f.1``,
        ``2130706433``, ``127.1``, ``0177.0.0.1``); ``localhost`` names; literal addresses the
        policy refuses. With ``resolve=True`` a hostname is also resolved now and every address
        checked (useful to give a webhook URL early feedback; the connect-time check still
        runs, since DNS may answer differently later). Resolution failure is
        :class:`InvalidRequest` with reason ``unresolvable``.
        """
        text = str(url).strip()
        if len(text) > MAX_URL_LENGTH:
            raise _refused(f"the URL is longer than {MAX_URL_LENGTH} characters", "too_long", param)
        try:
            parsed = httpx.URL(text)
            authority = urlsplit(text).netloc
            # httpx accepts a non-ASCII IPv6 zone ("[fe80::1%é]") and fails only here.
            host = parsed.raw_host.decode("ascii")
        except (httpx.InvalidURL, ValueError):  # UnicodeError is a ValueError
            raise _refused("the URL is malformed", "malformed", param) from None
        if parsed.scheme not in _SCHEMES:
            raise _refused("only http and https URLs can be fetched", "scheme", param)
        if parsed.userinfo or "@" in authority:
            raise _refused(
                "URLs with credentials (user:password@) are refused", "credentials", param
            )
        if not host:
            raise _refused("the URL has no host", "malformed", param)
        if parsed.port == 0:
            raise _refused("the URL's port is invalid", "malformed", param)
        literal = _literal_address(host, param)
        if literal is not None:
            reason = self.address_refusal(host, literal)
            if reason is not None:
                raise _refused(f"the URL's host is {reason}", "forbidden_address", param)
        elif _is_localhost_name(host) and self.address_refusal(host, _LOOPBACK) is not None:
            raise _refused("the URL's host is a loopback name", "forbidden_address", param)
        elif resolve:
            self.resolve(
                host, parsed.port or (443 if parsed.scheme == "https" else 80), param=param
            )
        return parsed

    def resolve(self, host: str, port: int, *, param: str | None = "image_url") -> list[str]:
        """Resolve ``host`` and check every address; return them all, or raise.

        If *any* address is refused the whole name is refused: a name resolving to one public
        and one private address must not be reachable, since the connection could go to either.
        A literal address is checked without consulting the resolver.
        """
        try:
            addresses = [ipaddress.ip_address(host)]
        except ValueError:
            try:
                answers = self.resolver(host, port)
            except OSError:
                answers = ()
            addresses = [ipaddress.ip_address(answer) for answer in answers]
            if not addresses:
                raise InvalidRequest(
                    "the URL's host could not be resolved",
                    param=param,
                    details={"reason": "unresolvable"},
                ) from None
        for address in addresses:
            reason = self.address_refusal(host, address)
            if reason is not None:
                raise _refused(f"the URL's host resolves to {reason}", "forbidden_address", param)
        return [str(address) for address in addresses]


def _literal_address(host: str, param: str | None) -> IPAddress | None:
    """The address a URL host denotes literally, None for a hostname; refuse odd numeric forms."""
    if ":" in host:  # httpx has already taken the brackets off an IPv6 literal
        if "%" in host:
            raise _refused("IPv6 zone identifiers are refused", "malformed", param)
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            raise _refused("the URL's IPv6 address is malformed", "malformed", param) from None
    if not _HOST_CHARS.fullmatch(host):
        raise _refused("the URL's host contains characters not allowed", "malformed", param)
    name = host.removesuffix(".")
    if _NUMERIC_LABEL.fullmatch(name.rsplit(".", 1)[-1]):
        # Resolvers would read this as an IPv4 address in some legacy form; only the canonical
        # form is accepted, so that what is checked is unambiguously what gets connected to.
        if name != host or not _CANONICAL_IPV4.fullmatch(name):
            raise _refused(
                "the URL's host is a numeric address in a non-canonical form",
                "numeric_host",
                param,
            )
        return ipaddress.IPv4Address(name)
    return None


def _is_localhost_name(host: str) -> bool:
    name = host.removesuffix(".")
    return name == "localhost" or name.endswith(".localhost")
