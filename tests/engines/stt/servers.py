"""Start a test server script as a subprocess on 127.0.0.1 and stop it afterwards."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["LIBRETRANSLATE_SERVER", "OPENAI_SERVER", "running_server"]

OPENAI_SERVER = Path(__file__).with_name("openai_test_server.py")
LIBRETRANSLATE_SERVER = Path(__file__).parent.parent / "translate" / "libretranslate_test_server.py"


@contextmanager
def running_server(script: Path, *args: str, timeout: float = 15.0) -> Iterator[str]:
    """Run ``script`` (which prints ``PORT <n>`` when listening); yield its base URL."""
    proc = subprocess.Popen(
        [sys.executable, str(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # blocks until the server printed its port
        if not line.startswith("PORT "):
            err = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"test server {script.name} did not start: {line!r} {err}")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
