"""Loaded by every Python process started with this folder first on ``PYTHONPATH`` (Python
imports ``sitecustomize`` at start-up): traps each outbound network attempt of the process.

When ``SEESAY_OUTBOUND_TRAP_LOG`` names a file, every attempt to reach a non-loopback address
(``connect``/``connect_ex``/``sendto`` on a socket, ``create_connection``, and name lookups of
anything but ``localhost``) appends one JSON line there (what, where, pid, the calling frames)
and fails as an unreachable network would, before any packet is sent. Loopback and Unix
sockets work as usual, so the server can still talk to the test, PostgreSQL and Redis.

Native code (onnxruntime's telemetry client is C++) bypasses these Python wrappers; the test
catches that through ``HTTPS_PROXY``, pointed at a loopback canary proxy.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import os
import socket
import threading
import time
import traceback
from typing import Any

_LOG = os.environ.get("SEESAY_OUTBOUND_TRAP_LOG", "")
_write_lock = threading.Lock()

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_sendto = socket.socket.sendto
_real_create_connection = socket.create_connection
_real_getaddrinfo = socket.getaddrinfo
_real_gethostbyname = socket.gethostbyname
_real_gethostbyname_ex = socket.gethostbyname_ex

_LOCAL_NAMES = frozenset({"", "localhost", "localhost.localdomain", "ip6-localhost"})


def _host_text(host: Any) -> str:
    return host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)


def _is_local_host(host: Any) -> bool:
    """Loopback literals, the unspecified address (the local host on Linux) and localhost."""
    if host is None:
        return True
    name = _host_text(host).strip().lower().split("%", 1)[0]
    if name in _LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


def _is_ip_literal(host: Any) -> bool:
    try:
        ipaddress.ip_address(_host_text(host).split("%", 1)[0])
    except ValueError:
        return False
    return True


def _is_local_address(address: Any) -> bool:
    """Unix, netlink and other non-IP addresses are local; IP ones by their host."""
    if not isinstance(address, tuple) or not address or not isinstance(address[0], str | bytes):
        return True
    return _is_local_host(address[0])


def record(kind: str, target: Any) -> None:
    """Append one attempt to the trap's log (O_APPEND: safe across threads and processes)."""
    entry = {
        "kind": kind,
        "target": repr(target),
        "pid": os.getpid(),
        "time": time.time(),
        "stack": traceback.format_stack(limit=12)[:-2],
    }
    line = (json.dumps(entry) + "\n").encode()
    with _write_lock:
        fd = os.open(_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)


def _unreachable(target: Any) -> OSError:
    return OSError(errno.ENETUNREACH, f"outbound connection trapped by the test: {target!r}")


def _connect(self: socket.socket, address: Any) -> None:
    if not _is_local_address(address):
        record("connect", address)
        raise _unreachable(address)
    _real_connect(self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    if not _is_local_address(address):
        record("connect_ex", address)
        return errno.ENETUNREACH
    return int(_real_connect_ex(self, address))


def _sendto(self: socket.socket, data: Any, *args: Any) -> int:
    address = args[-1]
    if not _is_local_address(address):
        record("sendto", address)
        raise _unreachable(address)
    return int(_real_sendto(self, data, *args))


def _create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
    if not _is_local_address(address):
        record("create_connection", address)
        raise _unreachable(address)
    return _real_create_connection(address, *args, **kwargs)


def _getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    # An address literal resolves without any traffic (the connect is trapped instead); any
    # other name would send a DNS query off the machine.
    if not _is_local_host(host) and not _is_ip_literal(host):
        record("getaddrinfo", host)
        raise socket.gaierror(socket.EAI_NONAME, "name lookup trapped by the test")
    return _real_getaddrinfo(host, *args, **kwargs)


def _gethostbyname(host: Any) -> str:
    if not _is_local_host(host) and not _is_ip_literal(host):
        record("gethostbyname", host)
        raise socket.gaierror(socket.EAI_NONAME, "name lookup trapped by the test")
    return str(_real_gethostbyname(host))


def _gethostbyname_ex(host: Any) -> Any:
    if not _is_local_host(host) and not _is_ip_literal(host):
        record("gethostbyname_ex", host)
        raise socket.gaierror(socket.EAI_NONAME, "name lookup trapped by the test")
    return _real_gethostbyname_ex(host)


def install() -> None:
    socket.socket.connect = _connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
    socket.socket.sendto = _sendto  # type: ignore[method-assign,assignment]
    socket.create_connection = _create_connection  # type: ignore[assignment]
    socket.getaddrinfo = _getaddrinfo
    socket.gethostbyname = _gethostbyname
    socket.gethostbyname_ex = _gethostbyname_ex


if _LOG:
    install()
