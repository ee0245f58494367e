"""Shared by the image-surface tests: images, a loopback image server that counts its
connections, a no-egress tripwire, fake engines and a platform with models loaded once."""

from __future__ import annotations

import http.server
import io
import ipaddress
import socket
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from seesay.engines.base import (
    Description,
    EngineContext,
    EngineInfo,
    Task,
    TranslateEngine,
    TtsEngine,
)
from seesay.engines.registry import EngineRegistry, build_registry
from seesay.errors import EngineError
from seesay.platform import Overrides, Platform
from seesay.settings import load_settings

_REAL_GETADDRINFO = socket.getaddrinfo
_REAL_CONNECT = socket.socket.connect


# --- images ---------------------------------------------------------------------------------


def photo_jpeg(size: tuple[int, int] = (640, 480), quality: int = 90) -> bytes:
    """A real photo (scikit-image's cat) as JPEG bytes."""
    from skimage import data as skdata

    image = Image.fromarray(skdata.chelsea()).resize(size)  # type: ignore[no-untyped-call]
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def decoded_seconds(data: bytes) -> float:
    """Length of encoded audio as PyAV decodes it."""
    import av

    samples, rate = 0, 1
    with av.open(io.BytesIO(data), mode="r") as container:
        for frame in container.decode(audio=0):
            samples += frame.samples
            rate = frame.sample_rate
    return samples / rate


def png_bomb_65_bytes() -> bytes:
    """A 65-byte PNG whose header claims 100000x100000 pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"\0" * 8)
    data += chunk(b"IEND", b"")
    assert len(data) == 65
    return data


# --- the loopback image server --------------------------------------------------------------


class ImageServer(http.server.ThreadingHTTPServer):
    """Serves ``files`` on 127.0.0.1 and records every connection it accepts."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, files: dict[str, tuple[bytes, str]]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.files = files
        self.connections: list[Any] = []
        self.lock = threading.Lock()

    def server_bind(self) -> None:  # no getfqdn() DNS lookup
        self.socket.bind(self.server_address)
        self.server_address = self.socket.getsockname()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.lock:
            self.connections.append(client_address)
        super().process_request(request, client_address)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: ImageServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        found = self.server.files.get(self.path.split("?")[0])
        body, kind = found if found else (b"not found", "text/plain")
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def image_server(files: dict[str, tuple[bytes, str]]) -> Iterator[ImageServer]:
    server = ImageServer(files)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


# --- no packet leaves loopback ---------------------------------------------------------------


@dataclass
class Network:
    names: dict[str, list[str]] = field(default_factory=dict)
    connects: list[str] = field(default_factory=list)


def install_tripwire(monkeypatch: pytest.MonkeyPatch) -> Network:
    """Stub DNS (only names the test registers) and fail any non-loopback connect."""
    net = Network()

    def getaddrinfo(host: Any, port: Any, family: int = 0, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        try:
            ipaddress.ip_address(name)
        except ValueError:
            pass
        else:
            return _REAL_GETADDRINFO(
                name, port, family, socket.SOCK_STREAM, 0, socket.AI_NUMERICHOST
            )
        if name not in net.names:
            raise AssertionError(f"DNS lookup of a name the test did not stub: {name!r}")
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                socket.IPPROTO_TCP,
                "",
                (ip, int(port or 0), 0, 0) if ":" in ip else (ip, int(port or 0)),
            )
            for ip in net.names[name]
        ]

    def connect(sock: socket.socket, address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else str(address)
        net.connects.append(str(host))
        if not ipaddress.ip_address(str(host).split("%")[0]).is_loopback:
            raise AssertionError(f"connect to {host}: a guard is broken")
        _REAL_CONNECT(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return net


# --- platforms ------------------------------------------------------------------------------


def build_platform(
    data_dir: Path, *, warm: bool = True, vision: Any = None, **overrides: Any
) -> Platform:
    """A platform, with the vision and English speech engines loaded up front if ``warm``.
    ``vision`` (a test engine) replaces the configured vision engines; the other engines
    are the configured ones."""
    settings = load_settings(data_dir=data_dir, **overrides)
    seams = Overrides()
    if vision is not None:
        configured = build_registry(
            settings.engines, EngineContext(cache_dir=settings.data_dir / "models")
        )
        seams = Overrides(engines=_with_vision(configured, vision))
    platform = Platform.build(settings, overrides=seams)
    if warm:
        platform.engines.vision()
        platform.engines.tts("piper")
    return platform


@dataclass
class FakeVisionEngine:
    """Test-only vision engine: a fixed description, a harmful verdict, or a failure."""

    harmful: bool = False
    fail: bool = False
    calls: int = 0

    @property
    def info(self) -> EngineInfo:
        return EngineInfo("fake-vision", Task.VISION, "fake", "none", True, languages=("en",))

    def load(self) -> None:
        pass

    def unload(self) -> None:
        pass

    def describe(self, image: Any, detail: str, prompt: str | None, language: str) -> Description:
        self.calls += 1
        if self.fail:
            raise EngineError("the fake vision engine failed on purpose")
        safety = {"rating": "explicit" if self.harmful else "safe", "harmful": self.harmful}
        return Description("A small test picture.", "en", "fake-vision", "fake", {"safety": safety})


def _with_vision(engines: EngineRegistry, vision: Any) -> EngineRegistry:
    """A registry of ``vision`` and the speech and translation engines of ``engines``."""
    tts = engines.all_of(Task.TTS, TtsEngine)  # type: ignore[type-abstract]
    translate = engines.all_of(Task.TRANSLATE, TranslateEngine)  # type: ignore[type-abstract]
    return EngineRegistry([vision, *tts, *translate])


@contextmanager
def vision_swapped(platform: Platform, vision: Any) -> Iterator[Platform]:
    """A second platform over ``platform``'s data folder (same accounts and ledger) whose
    vision engine is ``vision`` and whose speech and translation engines are ``platform``'s
    own, already loaded; closing it leaves those engines to ``platform``."""
    swapped = Platform.build(
        platform.settings,
        migrate=False,
        overrides=Overrides(engines=_with_vision(platform.engines, vision)),
    )
    try:
        yield swapped
    finally:
        swapped.close()


Balance = Callable[[], int]
