"""Which IP addresses the guarded fetcher refuses to connect to, and why.

:func:`refusal_reason` is the single place that decides. It is deliberately a deny-by-default
classifier: an address must be globally reachable (``ipaddress``'s ``is_global``) *and* outside
every range in the explicit tables below. The tables exist so that refusals name a precise
reason, and so that the answer does not drift with the Python version (the standard library's
``is_private``/``is_global`` tables have changed between patch releases).

IPv6 forms that carry an IPv4 address (IPv4-mapped ``::ffff:0:0/96``, IPv4-compatible ``::/96``,
NAT64 ``64:ff9b::/96`` and 6to4 ``2002::/16``) are judged by the IPv4 address they carry: the
kernel or a translator on the path turns them into that IPv4 destination, so
``::ffff:127.0.0.1`` is loopback and ``2002:a00:1::`` is the private ``10.0.0.1``.
"""

from __future__ import annotations

import ipaddress
from typing import Final

__all__ = ["IPAddress", "IPNetwork", "embedded_ipv4", "refusal_reason"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_V4: Final[tuple[tuple[ipaddress.IPv4Network, str], ...]] = tuple(
    (ipaddress.IPv4Network(cidr), reason)
    for cidr, reason in (
        ("0.0.0.0/8", "an unspecified ('this network') address"),
        ("10.0.0.0/8", "a private address"),
        ("100.64.0.0/10", "a carrier-grade NAT address"),
        ("127.0.0.0/8", "a loopback address"),
        ("169.254.0.0/16", "a link-local address"),
        ("172.16.0.0/12", "a private address"),
        ("192.0.0.0/24", "an IETF protocol address"),
        ("192.0.2.0/24", "a documentation address"),
        ("192.88.99.0/24", "a 6to4 relay address"),
        ("192.168.0.0/16", "a private address"),
        ("198.18.0.0/15", "a benchmarking address"),
        ("198.51.100.0/24", "a documentation address"),
        ("203.0.113.0/24", "a documentation address"),
        ("224.0.0.0/4", "a multicast address"),
        ("240.0.0.0/4", "a reserved or broadcast address"),
    )
)

_V6: Final[tuple[tuple[ipaddress.IPv6Network, str], ...]] = tuple(
    (ipaddress.IPv6Network(cidr), reason)
    for cidr, reason in (
        ("::/128", "an unspecified address"),
        ("::1/128", "a loopback address"),
        ("64:ff9b:1::/48", "a local-use NAT64 address"),
        ("100::/64", "a discard-only address"),
        ("2001::/32", "a Teredo tunnel address"),
        ("2001:2::/48", "a benchmarking address"),
        ("2001:10::/28", "an ORCHID address"),
        ("2001:20::/28", "an ORCHID address"),
        ("2001:db8::/32", "a documentation address"),
        ("3fff::/20", "a documentation address"),
        ("5f00::/16", "a segment-routing address"),
        ("fc00::/7", "a unique-local address"),
        ("fe80::/10", "a link-local address"),
        ("fec0::/10", "a site-local address"),
        ("ff00::/8", "a multicast address"),
    )
)

_IPV4_COMPATIBLE: Final = ipaddress.IPv6Network("::/96")
_NAT64: Final = ipaddress.IPv6Network("64:ff9b::/96")


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4), or None."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    # ``::`` and ``::1`` sit inside ::/96 too but are their own thing (unspecified, loopback).
    if (address in _IPV4_COMPATIBLE and int(address) > 1) or address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal_reason(address: IPAddress) -> str | None:
    """Why connecting to ``address`` is refused (a phrase such as "a loopback address"), or None.

    None means the address is a globally reachable unicast address the fetcher may connect to.
    An IPv6 address carrying an IPv4 address is judged by the IPv4 address alone.
    """
    inner = embedded_ipv4(address)
    if inner is not None:
        reason = refusal_reason(inner)
        return None if reason is None else f"{reason} inside an IPv6 address"
    if address.version == 4:
        v4_reason = next((why for net, why in _V4 if address in net), None)
        if v4_reason is not None:
            return v4_reason
    else:
        # Scope ids (``fe80::1%eth0``) do not change which range an address is in.
        bare = ipaddress.IPv6Address(int(address))
        v6_reason = next((why for net, why in _V6 if bare in net), None)
        if v6_reason is not None:
            return v6_reason
    if not address.is_global:
        return "not a public address"
    return None
