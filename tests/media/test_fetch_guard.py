"""Unit tests of the fetcher's policy: address classification, URL rules, the allow-list.

Nothing here touches the network: an autouse fixture makes any DNS lookup or socket connect
fail the test, and resolution, where exercised, goes through an injected resolver.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import pytest

from seesay.errors import InvalidRequest, UnsafeUrl
from seesay.media.fetch import UrlGuard, check_url, refusal_reason
from seesay.media.fetch.addresses import embedded_ipv4


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"network use in a unit test: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


# --- addresses ------------------------------------------------------------------------------

FORBIDDEN = [
    ("127.0.0.1", "loopback"),
    ("127.255.255.254", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.255", "private"),
    ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.255", "carrier-grade NAT"),
    ("0.0.0.0", "unspecified"),
    ("0.1.2.3", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "broadcast"),
    ("198.18.0.1", "benchmarking"),
    ("198.19.255.255", "benchmarking"),
    ("192.0.2.1", "documentation"),
    ("198.51.100.1", "documentation"),
    ("203.0.113.1", "documentation"),
    ("192.0.0.8", "IETF"),
    ("::", "unspecified"),
    ("::1", "loopback"),
    ("fe80::1", "link-local"),
    ("fe80::1%eth0", "link-local"),
    ("fec0::1", "site-local"),
    ("fc00::1", "unique-local"),
    ("fd12:3456::1", "unique-local"),
    ("ff02::1", "multicast"),
    ("2001:db8::1", "documentation"),
    ("2001::1", "Teredo"),
    ("100::1", "discard"),
    ("64:ff9b:1::1", "NAT64"),
    # IPv6 forms carrying a forbidden IPv4 address are judged by that address.
    ("::ffff:127.0.0.1", "loopback"),
    ("::ffff:169.254.169.254", "link-local"),
    ("::ffff:10.0.0.1", "private"),
    ("::127.0.0.1", "loopback"),
    ("::10.0.0.1", "private"),
    ("64:ff9b::7f00:1", "loopback"),
    ("64:ff9b::a9fe:a9fe", "link-local"),
    ("2002:7f00:1::", "loopback"),
    ("2002:a00:1::1", "private"),
    ("2002:c0a8:101::", "private"),
]

PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
]


@pytest.mark.parametrize(("address", "phrase"), FORBIDDEN)
def test_forbidden_addresses_are_refused_with_a_reason(address: str, phrase: str) -> None:
    reason = refusal_reason(ipaddress.ip_address(address))
    assert reason is not None
    assert phrase in reason


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None


def test_embedded_ipv4_forms() -> None:
    v4 = ipaddress.IPv4Address("10.0.0.1")
    for v6 in ("::ffff:10.0.0.1", "::10.0.0.1", "64:ff9b::10.0.0.1", "2002:a00:1::"):
        assert embedded_ipv4(ipaddress.ip_address(v6)) == v4
    assert embedded_ipv4(ipaddress.ip_address("::1")) is None
    assert embedded_ipv4(ipaddress.ip_address("2606:4700::1")) is None
    assert embedded_ipv4(v4) is None


# --- URL rules ------------------------------------------------------------------------------

REFUSED_URLS = [
    ("file:///etc/passwd", "scheme"),
    ("ftp://example.com/x.png", "scheme"),
    ("gopher://example.com/", "scheme"),
    ("data:image/png;base64,AAAA", "scheme"),
    ("javascript:alert(1)", "scheme"),
    ("//example.com/x.png", "scheme"),
    ("http://user:pass@example.com/", "credentials"),
    ("http://user@example.com/", "credentials"),
    ("http://@example.com/", "credentials"),
    ("http://:@example.com/", "credentials"),
    ("http://example.com\\@evil.com/", "credentials"),
    ("http://0x7f.1/", "numeric_host"),
    ("http://0x7f000001/", "numeric_host"),
    ("http://2130706433/", "numeric_host"),
    ("http://017700000001/", "numeric_host"),
    ("http://127.1/", "numeric_host"),
    ("http://127.0.1/", "numeric_host"),
    ("http://127.0.0.1./", "numeric_host"),
    ("http://1.2.3.4.5/", "numeric_host"),
    ("http://0177.0.0.1/", "malformed"),
    ("http://127.000.000.001/", "malformed"),
    ("http://[fe80::1%25eth0]/", "malformed"),
    ("http://[fe80::1%2\u02b45eth0]/", "malformed"),  # non-ASCII zone: found by bench.fuzz
    ("http://exa%20mple.com/", "malformed"),
    ("http://１２７.0.0.1/", "malformed"),
    ("http:///x.png", "malformed"),
    ("http://[::1/", "malformed"),
    ("http://example.com:0/", "malformed"),
    ("http://127.0.0.1/", "forbidden_address"),
    ("http://127.0.0.1:8080/", "forbidden_address"),
    ("http://127。0。0。1/", "forbidden_address"),
    ("http://169.254.169.254/latest/meta-data/", "forbidden_address"),
    ("http://0.0.0.0/", "forbidden_address"),
    ("http://100.64.0.1/", "forbidden_address"),
    ("http://10.0.0.1/", "forbidden_address"),
    ("http://[::1]/", "forbidden_address"),
    ("http://[::]/", "forbidden_address"),
    ("http://[::ffff:127.0.0.1]/", "forbidden_address"),
    ("http://[::ffff:7f00:1]/", "forbidden_address"),
    ("http://[64:ff9b::a9fe:a9fe]/", "forbidden_address"),
    ("http://[2002:7f00:1::]/", "forbidden_address"),
    ("http://[fd00::1]/", "forbidden_address"),
    ("http://localhost/", "forbidden_address"),
    ("http://LOCALHOST./", "forbidden_address"),
    ("http://api.localhost/", "forbidden_address"),
    ("http://example.com/" + "a" * 9000, "too_long"),
]


@pytest.mark.parametrize(("url", "reason"), REFUSED_URLS)
def test_check_url_refuses(url: str, reason: str) -> None:
    with pytest.raises(UnsafeUrl) as caught:
        UrlGuard().check_url(url)
    assert caught.value.details["reason"] == reason
    assert caught.value.param == "image_url"
    assert caught.value.code == "unsafe_url"
    assert isinstance(caught.value, InvalidRequest)


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("http://example.com/a.png", "http://example.com/a.png"),
        ("  HTTPS://Example.COM:8443/a.png?x=1  ", "https://example.com:8443/a.png?x=1"),
        ("http://bücher.de/a.png", "http://xn--bcher-kva.de/a.png"),
        ("http://8.8.8.8/a.png", "http://8.8.8.8/a.png"),
        ("http://[2606:4700::1111]/a.png", "http://[2606:4700::1111]/a.png"),
        ("http://cdn_1.example.com/a.png", "http://cdn_1.example.com/a.png"),
        ("http://example.com./a.png", "http://example.com./a.png"),
    ],
)
def test_check_url_accepts_public_urls_without_resolving(url: str, normalised: str) -> None:
    assert str(UrlGuard().check_url(url)) == normalised


def test_param_is_the_callers() -> None:
    with pytest.raises(UnsafeUrl) as caught:
        UrlGuard().check_url("ftp://x", param="webhook_url")
    assert caught.value.param == "webhook_url"
    with pytest.raises(UnsafeUrl) as caught:
        check_url("http://10.0.0.1/hook", param="webhook_url")
    assert caught.value.param == "webhook_url"
    assert "private" in caught.value.message


def test_check_url_can_resolve_for_early_feedback() -> None:
    answers = {"hooks.example": ["93.184.216.34"], "internal.example": ["10.0.0.7"]}
    guard = UrlGuard.from_allowed_hosts((), resolver=lambda host, port: answers[host])
    assert (
        str(guard.check_url("https://hooks.example/h", resolve=True)) == "https://hooks.example/h"
    )
    guard.check_url("https://internal.example/h")  # not resolved: only the static rules
    with pytest.raises(UnsafeUrl) as caught:
        guard.check_url("https://internal.example/h", resolve=True)
    assert caught.value.message == "the URL's host resolves to a private address"
    assert "10.0.0.7" not in caught.value.message  # internal DNS is not leaked


def test_unresolvable_host_is_an_invalid_request_not_unsafe() -> None:
    def nxdomain(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    guard = UrlGuard.from_allowed_hosts((), resolver=nxdomain)
    with pytest.raises(InvalidRequest) as caught:
        guard.check_url("https://nowhere.example/", resolve=True)
    assert not isinstance(caught.value, UnsafeUrl)
    assert caught.value.details["reason"] == "unresolvable"


def test_any_forbidden_address_refuses_the_whole_name() -> None:
    guard = UrlGuard.from_allowed_hosts((), resolver=lambda h, p: ["93.184.216.34", "10.0.0.1"])
    with pytest.raises(UnsafeUrl, match="private"):
        guard.resolve("mixed.example", 80)


# --- allow-list -----------------------------------------------------------------------------


def test_allow_list_parses_hostnames_addresses_and_ranges() -> None:
    guard = UrlGuard.from_allowed_hosts(
        " images.internal , 10.1.0.0/16,127.0.0.1, ::1, [fd00::5], Bücher.DE., ,"
    )
    assert guard.allowed_hostnames == {"images.internal", "xn--bcher-kva.de"}
    assert {str(n) for n in guard.allowed_networks} == {
        "10.1.0.0/16",
        "127.0.0.1/32",
        "::1/128",
        "fd00::5/128",
    }


@pytest.mark.parametrize(
    "entry", ["10.0.0.0/33", "http://x/", "host:80", "bad host", "a/b", "127.1", "0x7f.1"]
)
def test_allow_list_typos_fail_loudly(entry: str) -> None:
    with pytest.raises(ValueError, match="not a"):
        UrlGuard.from_allowed_hosts([entry])


def test_allow_listed_ranges_and_names_bypass_the_address_check() -> None:
    guard = UrlGuard.from_allowed_hosts(
        ["127.0.0.1/32", "10.1.0.0/16", "images.internal"],
        resolver=lambda host, port: {"images.internal": ["192.168.7.7"]}.get(host, ["10.2.0.1"]),
    )
    guard.check_url("http://127.0.0.1:8080/a.png")
    guard.check_url("http://[::ffff:127.0.0.1]/a.png")  # the embedded address is allow-listed
    guard.check_url("http://localhost/a.png")  # judged as 127.0.0.1
    guard.check_url("http://10.1.2.3/a.png")
    assert guard.resolve("images.internal", 80) == ["192.168.7.7"]
    with pytest.raises(UnsafeUrl):
        guard.check_url("http://127.0.0.2/")
    with pytest.raises(UnsafeUrl):
        guard.resolve("other.internal", 80)
    with pytest.raises(UnsafeUrl):  # the allow-list never loosens the syntax rules
        guard.check_url("http://0x7f.1/")
