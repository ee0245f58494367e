"""Start ``elevenlabs_server.py`` as a real process on 127.0.0.1 for a test module."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

SERVER = Path(__file__).with_name("elevenlabs_server.py")


@contextmanager
def elevenlabs_server(key: str) -> Iterator[str]:
    """Yield the server's API root (``http://127.0.0.1:PORT/v1``); stop it afterwards."""
    proc = subprocess.Popen([sys.executable, str(SERVER), key], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def requests_seen(base_url: str) -> int:
    return int(httpx.get(f"{base_url}/requests").json()["requests"])


def last_request(base_url: str) -> dict[str, object]:
    return dict(httpx.get(f"{base_url}/last").json())
