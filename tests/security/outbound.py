"""A ``seesay serve`` process whose every outbound network attempt is trapped and recorded.

Three nets, because no single one sees everything:
- ``outbound_trap/sitecustomize.py`` wraps the socket layer of every Python process started with
  :func:`trap_env`: a non-loopback connect or name lookup is written to a log and fails before
  any packet leaves;
- :class:`CanaryProxy`, a loopback HTTP proxy named by ``HTTP(S)_PROXY``/``ALL_PROXY``, records
  any request made through it, which is how native clients that bypass Python (onnxruntime's
  telemetry) show up;
- :class:`SocketWatcher` polls the process's own sockets in ``/proc`` and records any with a
  non-loopback peer, whoever opened it (it sees, it cannot block: the other two block).
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key
from support.live import free_port, spawn, wait_until_ready

TRAP_DIR = Path(__file__).with_name("outbound_trap")


class CanaryProxy:
    """A loopback "proxy" that forwards nothing: it records each request line and hangs up."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> CanaryProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._sock.close()
        self._thread.join(timeout=5)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._record, args=(conn,), daemon=True).start()

    def _record(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                first = conn.recv(4096).split(b"\r\n", 1)[0]
            except OSError:
                first = b"(no request line)"
            with self._lock:
                self.requests.append(first.decode("latin-1"))

    def seen(self) -> list[str]:
        with self._lock:
            return list(self.requests)


class SocketWatcher:
    """Polls ``/proc/PID`` every few milliseconds for sockets whose peer is off loopback.

    Reads the process's socket inodes from ``fd/`` and finds them in ``net/{tcp,udp}{,6}``; a
    connection that opens and closes between two polls is missed, which is why this only adds to
    the trap and the canary. A connected UDP socket counts although connecting it sends nothing.
    """

    def __init__(self, pid: int, interval: float = 0.01) -> None:
        self.pid, self.interval = pid, interval
        self.found: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SocketWatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.found.update(self.poll())
            except OSError:  # the process is gone
                return
            time.sleep(self.interval)

    def poll(self) -> list[str]:
        proc = Path(f"/proc/{self.pid}")
        inodes = set()
        for fd in (proc / "fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        found = []
        for table in ("tcp", "tcp6", "udp", "udp6"):
            for line in (proc / "net" / table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[9] not in inodes:
                    continue
                peer = _proc_address(fields[2])
                if peer is not None:
                    found.append(f"{table} {peer}")
        return found


def _proc_address(field: str) -> str | None:
    """``/proc/net`` hex ``ADDR:PORT`` -> ``ip:port`` when it is a non-loopback peer."""
    hex_address, hex_port = field.split(":")
    port = int(hex_port, 16)
    raw = bytes.fromhex(hex_address)
    # The kernel prints each 32-bit word in host (little-endian) order.
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    address = ipaddress.ip_address(words)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if port == 0 or address.is_loopback or address.is_unspecified:
        return None
    return f"{address}:{port}"


def trap_env(log: Path, proxy: CanaryProxy) -> dict[str, str]:
    """Environment for a child process: the socket trap first on the path, every proxy
    variable at the canary, loopback exempt."""
    path = [str(TRAP_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {"PYTHONPATH": os.pathsep.join(path), "SEESAY_OUTBOUND_TRAP_LOG": str(log)}
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"):
        env[name] = env[name.lower()] = proxy.url
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost,::1"
    # The variable under test must come from the code, not from whoever runs the suite.
    env["ORT_DISABLE_TELEMETRY"] = ""
    return env


def attempts(log: Path) -> list[dict[str, Any]]:
    """The trap's records so far."""
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def describe_attempts(found: list[dict[str, Any]]) -> str:
    return "\n\n".join(f"{a['kind']} {a['target']}\n{''.join(a['stack'])}" for a in found)


@dataclass
class TrappedServer:
    base: str
    keys: list[str]
    log: Path
    proxy: CanaryProxy
    server_log: Path
    pid: int
    watcher: SocketWatcher

    def attempts(self) -> list[dict[str, Any]]:
        return attempts(self.log)


@contextmanager
def trapped_server(
    data_dir: Path, *, keys: int = 1, credits: float = 1000
) -> Iterator[TrappedServer]:
    """``seesay serve`` on a loopback port under the trap, with ``keys`` paid keys, each on an
    account of its own (so a fuzzer's request rate stays under each plan's limit)."""
    platform = Platform.build(load_settings(data_dir=data_dir))
    try:
        made = [make_key(platform, credits=credits).key for _ in range(keys)]
    finally:
        platform.close()
    log = data_dir / "outbound.jsonl"
    with CanaryProxy() as proxy:
        child_env = {"SEESAY_DATA_DIR": str(data_dir), **trap_env(log, proxy)}
        port = free_port()
        server_log = data_dir / "serve.log"
        with spawn("serve", "--port", str(port), env=child_env, log=server_log) as proc:
            base = f"http://127.0.0.1:{port}"
            with SocketWatcher(proc.pid) as watcher:
                wait_until_ready(base + "/healthz", timeout=120, proc=proc)
                yield TrappedServer(base, made, log, proxy, server_log, proc.pid, watcher)
