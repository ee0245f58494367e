"""The guarded fetcher end to end, against real HTTP and HTTPS servers on 127.0.0.1.

Safety of the suite itself: no packet may leave loopback. The autouse ``tripwire`` fixture
replaces ``socket.getaddrinfo`` with a stub DNS (names the test registers; anything else fails
the test) and wraps ``socket.socket.connect`` so that connecting to any non-loopback address
fails the test. A broken guard therefore shows up as a failing test, never as traffic. Public
addresses used below (93.184.216.34, 8.8.8.8) are only ever *resolved to*, never reached.

Each server records every TCP connection it accepts, so "refused" means "no connection made".
"""

from __future__ import annotations

import contextlib
import datetime
import http.server
import io
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from PIL import Image

from seesay.errors import InvalidRequest, PayloadTooLarge, UnsafeUrl
from seesay.media.fetch import Fetcher, UrlGuard, fetch

_REAL_GETADDRINFO = socket.getaddrinfo
_REAL_CONNECT = socket.socket.connect


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


# --- the loopback servers -------------------------------------------------------------------


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # Let the tests stop a server while handlers still trickle or stream.
    block_on_close = False

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections: list[tuple[str, int]] = []
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would call socket.getfqdn (a DNS lookup); none needed here.
        self.socket.bind(self.server_address)
        self.server_address = self.socket.getsockname()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.lock:
            self.connections.append(client_address)
        super().process_request(request, client_address)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.lock:
            self.server.requests.append((self.command, self.path, dict(self.headers), body))
        route = url.path.strip("/").split("/")
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        route_to = getattr(self, "route_" + route[0].split(".")[0].replace("-", "_"))
        # The fetcher hanging up mid-answer is what several tests want.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, ssl.SSLError):
            route_to(route[1:], query, body)

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {"Content-Type": "image/png"}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route_pixel(self, rest: list[str], query: dict[str, str], body: bytes) -> None:
        self._send(200, PNG, {"Content-Type": "image/png; charset=binary"})

    def route_echo(self, rest: list[str], query: dict[str, str], body: bytes) -> None:
        seen = f"host={self.headers.get('Host')};cookie={self.headers.get('Cookie')};body="
        self._send(200, seen.encode() + body, {"Content-Type": "text/plain"})

    def route_set_cookie(self, rest: list[str], query: dict[str, str], body: bytes) -> None:
        self._send(200, b"ok", {"Set-Cookie": "session=victim; Path=/"})

    def route_hops(self, rest: list[str], query: dict[str, str], body: bytes) -> None:
        left = int(rest[0])  # redirects still to come, this one included
        target = "/pixel.png" if left <= 1 else f"/hops/{left - 1}"
        self._send(302, b"", {"Location": target})

    def route_to(self, rest: list[str], query: dict[str, str], body: bytes) -> None:
        self._send(int(query.get("status", "302")), b"", {"Location": query["url"]})

    def route_status(self, rest: list[str], query: dict[str, str], body: bytes) -> None:
        self._send(int(rest[0]), b"internal secret detail", {"Content-Type": "text/plain"})

    def route_gzip(self, rest: list[str], query: dict[str, str], body: bytes) -> None:
        self._send(200, b"\x1f\x8b" + b"\0" * 20, {"Content-Encoding": "gzip"})

    def route_declared_huge(self, rest: list[str], query: dict[str, str], body: bytes) -> None:
        # Claims 21 MB, then sends nothing: only the header can make the fetcher stop at once.
        self.send_response(200)
        self.send_header("Content-Length", str(21 * 1024 * 1024))
        self.end_headers()
        self.wfile.flush()
        self.server.stop.wait(5)

    def route_endless(self, rest: list[str], query: dict[str, str], body: bytes) -> None:
        # No length, never ends: the fetcher must stop reading at the cap.
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"\0" * 65536
        while not self.server.stop.is_set():
            self.wfile.write(chunk)

    def route_trickle(self, rest: list[str], query: dict[str, str], body: bytes) -> None:
        # A byte every 50 ms: never idle long enough for a per-read timeout to fire. Gives up
        # after 3 s, so a fetcher without a total deadline fails the test instead of hanging.
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        for _ in range(60):
            if self.server.stop.wait(0.05):
                break
            self.wfile.write(b"x")
            self.wfile.flush()


def _start(tls: ssl.SSLContext | None = None) -> _Server:
    server = _Server(tls)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server


def _stop(server: _Server) -> None:
    server.stop.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _start()
    yield srv
    _stop(srv)


# --- the tripwire ---------------------------------------------------------------------------


@dataclass
class Network:
    """The stub DNS (``names``) and a log of every connect attempt that reached the socket."""

    names: dict[str, list[str] | Callable[[], list[str]]] = field(default_factory=dict)
    connects: list[str] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)


@pytest.fixture(autouse=True)
def network(monkeypatch: pytest.MonkeyPatch) -> Network:
    net = Network()

    def getaddrinfo(
        host: Any, port: Any, family: int = 0, type: int = 0, proto: int = 0, flags: int = 0
    ) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        try:
            ipaddress.ip_address(name)
        except ValueError:
            pass
        else:  # a literal: the real function, told not to touch DNS
            return _REAL_GETADDRINFO(name, port, family, type, proto, socket.AI_NUMERICHOST)
        net.lookups.append(name)
        if name not in net.names:
            raise AssertionError(f"DNS lookup of a name the test did not stub: {name!r}")
        entry = net.names[name]
        answers = entry() if callable(entry) else entry
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                socket.IPPROTO_TCP,
                "",
                (ip, int(port), 0, 0) if ":" in ip else (ip, int(port)),
            )
            for ip in answers
        ]

    def connect(sock: socket.socket, address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else str(address)
        net.connects.append(str(host))
        if not ipaddress.ip_address(str(host).split("%")[0]).is_loopback:
            raise AssertionError(f"the fetcher tried to connect to {host}: a guard is broken")
        _REAL_CONNECT(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return net


LOOPBACK_ALLOWED = ("127.0.0.1/32",)


# --- refusals: nothing is connected to ------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "forbidden_address"),
        ("http://127.0.0.1:{port}/pixel.png", "forbidden_address"),
        ("http://[::ffff:127.0.0.1]:{port}/pixel.png", "forbidden_address"),
        ("http://[::1]:{port}/pixel.png", "forbidden_address"),
        ("http://0x7f.1:{port}/pixel.png", "numeric_host"),
        ("http://2130706433:{port}/pixel.png", "numeric_host"),
        ("http://127.1:{port}/pixel.png", "numeric_host"),
        ("http://0177.0.0.1:{port}/pixel.png", "malformed"),
        ("http://0.0.0.0:{port}/pixel.png", "forbidden_address"),
        ("http://100.64.0.1/", "forbidden_address"),
        ("http://localhost:{port}/pixel.png", "forbidden_address"),
        ("file:///etc/passwd", "scheme"),
        ("ftp://x", "scheme"),
        ("http://user:pass@127.0.0.1:{port}/pixel.png", "credentials"),
        ("http://user:pass@images.example/pixel.png", "credentials"),
    ],
)
def test_refused_before_any_connection(
    server: _Server, network: Network, template: str, reason: str
) -> None:
    url = template.format(port=server.port)
    with pytest.raises(UnsafeUrl) as caught:
        fetch(url)
    assert caught.value.details["reason"] == reason
    assert caught.value.param == "image_url"
    assert server.connections == []
    assert network.connects == []


def test_refusals_name_the_reason() -> None:
    with pytest.raises(UnsafeUrl, match="link-local"):
        fetch("http://169.254.169.254/")
    with pytest.raises(UnsafeUrl, match="carrier-grade NAT"):
        fetch("http://100.64.0.1/")
    with pytest.raises(UnsafeUrl, match="non-canonical"):
        fetch("http://0x7f.1/")
    with pytest.raises(UnsafeUrl, match="http and https"):
        fetch("file:///etc/passwd")
    with pytest.raises(UnsafeUrl, match="credentials"):
        fetch("http://user:pass@host/")


def test_name_resolving_to_a_public_and_a_private_address_is_refused(
    server: _Server, network: Network
) -> None:
    network.names["mixed.example"] = ["93.184.216.34", "127.0.0.1"]
    with pytest.raises(UnsafeUrl, match="loopback"):
        fetch(f"http://mixed.example:{server.port}/pixel.png")
    network.names["mixed6.example"] = ["2606:4700::1111", "fd00::1"]
    with pytest.raises(UnsafeUrl, match="unique-local"):
        fetch("http://mixed6.example/pixel.png")
    assert network.lookups == ["mixed.example", "mixed6.example"]
    assert network.connects == []
    assert server.connections == []


def test_name_resolving_to_loopback_is_refused_at_connect_time(
    server: _Server, network: Network
) -> None:
    network.names["sneaky.example"] = ["127.0.0.1"]
    with pytest.raises(UnsafeUrl, match="resolves to a loopback address"):
        fetch(f"http://sneaky.example:{server.port}/pixel.png")
    assert server.connections == []


def test_dns_rebinding_is_checked_on_the_answer_actually_connected_to(
    server: _Server, network: Network
) -> None:
    # First answer public (passes an early check), second answer loopback (the connect).
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    network.names["rebind.example"] = lambda: next(answers)
    guard = UrlGuard()
    guard.check_url(f"http://rebind.example:{server.port}/pixel.png", resolve=True)
    with Fetcher(guard) as fetcher, pytest.raises(UnsafeUrl, match="loopback"):
        fetcher.fetch(f"http://rebind.example:{server.port}/pixel.png")
    assert server.connections == []
    assert network.connects == []


# --- redirects ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/pixel.png",
        "http://localhost:{port}/pixel.png",
        "http://[::ffff:7f00:1]:{port}/pixel.png",
        "http://0x7f.1:{port}/pixel.png",
        "http://169.254.169.254/latest/meta-data/",
        "http://loopback.example:{port}/pixel.png",
        "file:///etc/passwd",
    ],
)
def test_public_url_redirecting_inward_is_refused(
    server: _Server, network: Network, target: str
) -> None:
    # "public.example" plays an allowed public host: allow-listed by name, served by the
    # loopback server. 127.0.0.1 itself is not allow-listed, so the redirect must be refused.
    network.names["public.example"] = ["127.0.0.1"]
    network.names["loopback.example"] = ["127.0.0.1"]
    location = target.format(port=server.port)
    url = f"http://public.example:{server.port}/to?url={location}"
    with pytest.raises(UnsafeUrl) as caught:
        fetch(url, allowed_hosts=["public.example"])
    assert caught.value.param == "image_url"
    assert len(server.connections) == 1  # the public hop only
    assert [r[1] for r in server.requests] == [f"/to?url={location}"]


def test_redirects_are_followed_up_to_the_cap(server: _Server) -> None:
    got = fetch(f"http://127.0.0.1:{server.port}/hops/3", allowed_hosts=LOOPBACK_ALLOWED)
    assert got.content == PNG
    assert got.final_url == f"http://127.0.0.1:{server.port}/pixel.png"
    assert len(server.requests) == 4


def test_one_redirect_too_many_is_refused(server: _Server) -> None:
    with pytest.raises(InvalidRequest, match="more than 3 times") as caught:
        fetch(f"http://127.0.0.1:{server.port}/hops/4", allowed_hosts=LOOPBACK_ALLOWED)
    assert caught.value.details["reason"] == "too_many_redirects"
    assert len(server.requests) == 4  # the fifth URL (the image) is never requested


def test_redirect_to_an_allowed_host_is_followed(server: _Server, network: Network) -> None:
    network.names["cdn.example"] = ["127.0.0.1"]
    start = f"http://127.0.0.1:{server.port}/to?url=http://cdn.example:{server.port}/pixel.png"
    got = fetch(start, allowed_hosts=LOOPBACK_ALLOWED)
    assert got.content == PNG
    assert got.final_url == f"http://cdn.example:{server.port}/pixel.png"


# --- the positive path and the caps ---------------------------------------------------------


def test_allow_listed_loopback_serves_an_image(server: _Server) -> None:
    got = fetch(f"http://127.0.0.1:{server.port}/pixel.png", allowed_hosts=LOOPBACK_ALLOWED)
    assert got.content == PNG
    assert got.content_type == "image/png"
    assert got.final_url == f"http://127.0.0.1:{server.port}/pixel.png"
    assert got.status_code == 200
    _, _, headers, _ = server.requests[0]
    assert headers["Accept-Encoding"] == "identity"
    assert headers["Accept"].startswith("image/")
    assert headers["User-Agent"].startswith("SeeSay/")


def test_host_header_keeps_the_name_while_the_socket_goes_to_the_checked_address(
    server: _Server, network: Network
) -> None:
    network.names["images.example"] = ["127.0.0.1"]
    got = fetch(f"http://images.example:{server.port}/echo", allowed_hosts=LOOPBACK_ALLOWED)
    assert got.content.startswith(f"host=images.example:{server.port};".encode())
    assert network.connects == ["127.0.0.1"]


def test_environment_proxies_are_ignored(server: _Server, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://10.9.9.9:3128")
    got = fetch(f"http://127.0.0.1:{server.port}/pixel.png", allowed_hosts=LOOPBACK_ALLOWED)
    assert got.content == PNG


def test_cookies_do_not_travel_between_fetches(server: _Server) -> None:
    with Fetcher(UrlGuard.from_allowed_hosts(LOOPBACK_ALLOWED)) as fetcher:
        fetcher.fetch(f"http://127.0.0.1:{server.port}/set-cookie")
        got = fetcher.fetch(f"http://127.0.0.1:{server.port}/echo")
    assert b"cookie=None" in got.content


def test_upstream_error_names_the_status_not_the_body(server: _Server) -> None:
    with pytest.raises(InvalidRequest) as caught:
        fetch(f"http://127.0.0.1:{server.port}/status/404", allowed_hosts=LOOPBACK_ALLOWED)
    assert caught.value.message == "the URL answered HTTP 404"
    assert caught.value.details["reason"] == "upstream_status"
    assert "secret" not in str(caught.value.details)


def test_connection_refused_is_an_invalid_request() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: connections are refused
        with pytest.raises(InvalidRequest) as caught:
            fetch(f"http://127.0.0.1:{port}/", allowed_hosts=LOOPBACK_ALLOWED)
    assert caught.value.details["reason"] == "connection_failed"


def test_compressed_transfer_is_refused(server: _Server) -> None:
    with pytest.raises(InvalidRequest) as caught:
        fetch(f"http://127.0.0.1:{server.port}/gzip", allowed_hosts=LOOPBACK_ALLOWED)
    assert caught.value.details["reason"] == "unsupported_encoding"


def test_declared_oversize_body_is_refused_without_reading_it(server: _Server) -> None:
    started = time.monotonic()
    with pytest.raises(PayloadTooLarge) as caught:
        fetch(f"http://127.0.0.1:{server.port}/declared-huge", allowed_hosts=LOOPBACK_ALLOWED)
    assert time.monotonic() - started < 2
    assert str(20 * 1024 * 1024) in caught.value.message
    assert caught.value.param == "image_url"


def test_endless_body_is_cut_at_the_cap(server: _Server) -> None:
    started = time.monotonic()
    with pytest.raises(PayloadTooLarge) as caught:
        fetch(f"http://127.0.0.1:{server.port}/endless", allowed_hosts=LOOPBACK_ALLOWED)
    assert time.monotonic() - started < 5
    assert caught.value.details == {"reason": "too_large", "max_bytes": 20 * 1024 * 1024}


def test_smaller_cap_per_call(server: _Server) -> None:
    with Fetcher(UrlGuard.from_allowed_hosts(LOOPBACK_ALLOWED)) as fetcher:
        with pytest.raises(PayloadTooLarge, match="the 10 byte cap"):
            fetcher.fetch(f"http://127.0.0.1:{server.port}/pixel.png", max_bytes=10)
        assert fetcher.fetch(f"http://127.0.0.1:{server.port}/pixel.png").content == PNG


def test_trickling_server_is_cut_at_the_total_deadline(server: _Server) -> None:
    started = time.monotonic()
    with pytest.raises(InvalidRequest) as caught:
        fetch(
            f"http://127.0.0.1:{server.port}/trickle",
            allowed_hosts=LOOPBACK_ALLOWED,
            timeout_total=0.6,
        )
    elapsed = time.monotonic() - started
    assert 0.5 < elapsed < 1.5
    assert caught.value.details["reason"] == "timeout"
    assert "took longer than 0.6 s" in caught.value.message


def test_slow_dns_counts_against_the_deadline() -> None:
    release = threading.Event()

    def hanging_resolver(host: str, port: int) -> list[str]:
        release.wait(10)
        return ["93.184.216.34"]

    started = time.monotonic()
    try:
        with pytest.raises(InvalidRequest) as caught:
            fetch("http://slow-dns.example/a.png", timeout_total=0.3, resolver=hanging_resolver)
    finally:
        release.set()
    assert time.monotonic() - started < 1.5
    assert caught.value.details["reason"] == "timeout"


def test_webhook_post_is_sent_and_not_redirected(server: _Server) -> None:
    with Fetcher(UrlGuard.from_allowed_hosts(LOOPBACK_ALLOWED)) as fetcher:
        got = fetcher.request(
            "POST",
            f"http://127.0.0.1:{server.port}/echo",
            content=b'{"id": 1}',
            headers={"Content-Type": "application/json"},
            param="webhook_url",
        )
        assert got.content.endswith(b'body={"id": 1}')
        moved = f"http://127.0.0.1:{server.port}/to?status=307&url=/echo"
        answered = fetcher.request("POST", moved, content=b"{}", raise_for_status=False)
        assert answered.status_code == 307
        with pytest.raises(InvalidRequest, match="HTTP 307") as caught:
            fetcher.request("POST", moved, content=b"{}", param="webhook_url")
        assert caught.value.param == "webhook_url"
    assert [r[1] for r in server.requests].count("/echo") == 1


def test_unresolvable_host_is_an_invalid_request() -> None:
    def nxdomain(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(InvalidRequest) as caught:
        fetch("http://nowhere.example/a.png", resolver=nxdomain, param="image")
    assert not isinstance(caught.value, UnsafeUrl)
    assert caught.value.details["reason"] == "unresolvable"
    assert caught.value.param == "image"


def test_connect_time_refusal_carries_the_callers_param(network: Network) -> None:
    network.names["inside.example"] = ["10.0.0.8"]
    with Fetcher() as fetcher, pytest.raises(UnsafeUrl) as caught:
        fetcher.request("POST", "https://inside.example/hook", content=b"", param="webhook_url")
    assert caught.value.param == "webhook_url"
    assert caught.value.message == "the URL's host resolves to a private address"


# --- HTTPS: certificate and SNI still belong to the name ------------------------------------


@dataclass
class _Pki:
    client: ssl.SSLContext
    server: ssl.SSLContext
    sni: list[str | None]


def _certificate(
    subject: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Certificate | None, signer: Any
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
    )
    if issuer is None:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
    else:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(subject)]), False
        ).add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
    return builder.sign(signer, hashes.SHA256())


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> _Pki:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("SeeSay test CA", ca_key, None, ca_key)
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = _certificate("images.example", leaf_key, ca, ca_key)
    folder = tmp_path_factory.mktemp("pki")
    (folder / "cert.pem").write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    sni: list[str | None] = []
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    server.sni_callback = lambda sock, name, ctx: sni.append(name)
    client = ssl.create_default_context(cadata=ca.public_bytes(serialization.Encoding.PEM).decode())
    return _Pki(client=client, server=server, sni=sni)


@pytest.fixture
def tls_server(pki: _Pki) -> Iterator[_Server]:
    pki.sni.clear()
    srv = _start(pki.server)
    yield srv
    _stop(srv)


def test_https_verifies_the_hostname_through_connect_time_resolution(
    tls_server: _Server, network: Network, pki: _Pki
) -> None:
    network.names["images.example"] = ["127.0.0.1"]
    got = fetch(
        f"https://images.example:{tls_server.port}/pixel.png",
        allowed_hosts=LOOPBACK_ALLOWED,
        ssl_context=pki.client,
    )
    assert got.content == PNG
    assert pki.sni == ["images.example"]
    assert network.connects == ["127.0.0.1"]


def test_https_certificate_for_another_name_is_refused(
    tls_server: _Server, network: Network, pki: _Pki
) -> None:
    network.names["other.example"] = ["127.0.0.1"]
    with pytest.raises(InvalidRequest) as caught:
        fetch(
            f"https://other.example:{tls_server.port}/pixel.png",
            allowed_hosts=LOOPBACK_ALLOWED,
            ssl_context=pki.client,
        )
    assert caught.value.details["reason"] == "connection_failed"
    assert pki.sni == ["other.example"]


def test_https_with_the_default_trust_store_refuses_a_private_ca(
    tls_server: _Server, network: Network
) -> None:
    network.names["images.example"] = ["127.0.0.1"]
    with pytest.raises(InvalidRequest) as caught:
        fetch(f"https://images.example:{tls_server.port}/pixel.png", allowed_hosts=LOOPBACK_ALLOWED)
    assert caught.value.details["reason"] == "connection_failed"
