"""The offline server makes no outbound connection: serving, describing, speaking and
transcribing run under a trap that records (and blocks) every attempt to leave the machine."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import warnings
from pathlib import Path

import httpx
import pytest

from api.img2voice.helpers import photo_jpeg
from security.outbound import (
    CanaryProxy,
    SocketWatcher,
    attempts,
    describe_attempts,
    trap_env,
    trapped_server,
)

pytestmark = pytest.mark.slow

# onnxruntime's telemetry first connects about 9 s after the import, then retries (~14, ~23 s).
ORT_TELEMETRY_WINDOW_S = 30.0

CONTROL = r"""
import errno, json, socket, urllib.request
out = {}
try:
    socket.socket().connect(("192.0.2.1", 443))
except OSError as exc:
    out["connect"] = exc.errno
out["connect_ex"] = socket.socket(socket.AF_INET6).connect_ex(("2001:db8::1", 443, 0, 0))
try:
    socket.getaddrinfo("example.com", 443)
except socket.gaierror as exc:
    out["getaddrinfo"] = exc.errno
try:
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"?", ("192.0.2.53", 53))
except OSError as exc:
    out["sendto"] = exc.errno
try:
    urllib.request.urlopen("http://example.com/", timeout=5)
except Exception as exc:
    out["urlopen"] = type(exc).__name__
server = socket.create_server(("127.0.0.1", 0))
with socket.create_connection(server.getsockname(), timeout=5):
    out["loopback"] = "connected"
print(json.dumps(out))
"""


def run_trapped(code: str, env: dict[str, str], timeout: float = 60) -> str:
    import os

    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_trap_catches_every_kind_of_outbound_attempt(tmp_path: Path) -> None:
    """Control: without it, the server test below could pass by trapping nothing."""
    import errno

    log = tmp_path / "attempts.jsonl"
    with CanaryProxy() as proxy:
        out = json.loads(run_trapped(CONTROL, trap_env(log, proxy)))
        time.sleep(0.5)  # the canary records on its own thread
        seen = proxy.seen()
    assert out == {
        "connect": errno.ENETUNREACH,
        "connect_ex": errno.ENETUNREACH,
        "getaddrinfo": -2,  # EAI_NONAME
        "sendto": errno.ENETUNREACH,
        "urlopen": out.get("urlopen"),
        "loopback": "connected",
    }
    assert "urlopen" in out
    kinds = [(a["kind"], a["target"]) for a in attempts(log)]
    assert kinds == [
        ("connect", "('192.0.2.1', 443)"),
        ("connect_ex", "('2001:db8::1', 443, 0, 0)"),
        ("getaddrinfo", "'example.com'"),
        ("sendto", "('192.0.2.53', 53)"),
    ]
    # A client that honours the proxy variables (as native ones do) lands on the canary.
    assert seen == ["GET http://example.com/ HTTP/1.1"]


# The C-level socket type, as native code would use it, untouched by the trap. Connecting a UDP
# socket only records its peer in the kernel: nothing is sent.
NATIVE_LIKE = r"""
import _socket, sys, time
sock = _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM)
sock.connect(("192.0.2.1", 53))
print("connected", flush=True)
time.sleep(3)
"""


def test_the_socket_watcher_sees_a_socket_opened_behind_pythons_back(tmp_path: Path) -> None:
    import os

    with CanaryProxy() as proxy:
        child = subprocess.Popen(
            [sys.executable, "-c", NATIVE_LIKE],
            env={**os.environ, **trap_env(tmp_path / "attempts.jsonl", proxy)},
            stdout=subprocess.PIPE,
            text=True,
        )
        with SocketWatcher(child.pid) as watcher:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "connected"
            child.wait(timeout=30)
    assert watcher.found == {"udp 192.0.2.1:53"}
    assert attempts(tmp_path / "attempts.jsonl") == []  # the Python-level trap never saw it


def _ort_child(disable: bool) -> str:
    prelude = (
        "from seesay.engines.ort_offline import disable_ort_telemetry\ndisable_ort_telemetry()\n"
        if disable
        else ""
    )
    return prelude + f"import time, onnxruntime\ntime.sleep({ORT_TELEMETRY_WINDOW_S})\n"


def test_onnxruntime_calls_home_unless_the_engines_helper_ran_first(tmp_path: Path) -> None:
    """onnxruntime's own telemetry, seen by the canary, and gone with ``disable_ort_telemetry``."""
    import os

    with CanaryProxy() as plain_proxy, CanaryProxy() as quiet_proxy:
        plain = subprocess.Popen(
            [sys.executable, "-c", _ort_child(disable=False)],
            env={**os.environ, **trap_env(tmp_path / "plain.jsonl", plain_proxy)},
        )
        quiet = subprocess.Popen(
            [sys.executable, "-c", _ort_child(disable=True)],
            env={**os.environ, **trap_env(tmp_path / "quiet.jsonl", quiet_proxy)},
        )
        try:
            assert quiet.wait(timeout=ORT_TELEMETRY_WINDOW_S + 60) == 0
        finally:
            plain.kill()
            plain.wait()
        called_home, stayed = plain_proxy.seen(), quiet_proxy.seen()
    if not any("mobile.events.data.microsoft.com" in line for line in called_home):
        # Whether onnxruntime calls home within the window depends on the state it keeps in
        # ~/.cache/Microsoft (seen: at once on one run, not at all on a later one), so the
        # control cannot be demanded; the quiet child's silence below is what is asserted.
        warnings.warn(f"onnxruntime did not call home this time: {called_home}", stacklevel=1)
    assert stayed == []
    assert attempts(tmp_path / "quiet.jsonl") == []


def test_serving_describing_speaking_and_transcribing_make_no_outbound_attempt(
    tmp_path: Path,
) -> None:
    with trapped_server(tmp_path / "data") as server:
        headers = {"Authorization": f"Bearer {server.keys[0]}"}
        with httpx.Client(base_url=server.base, headers=headers, timeout=180) as client:
            assert client.get("/readyz").status_code == 200
            described = client.post(
                "/v1/describe",
                files={"image": ("cat.jpg", photo_jpeg(), "image/jpeg")},
            )
            onnxruntime_loaded = time.monotonic()
            assert described.status_code == 200, described.text
            assert "cat" in described.json()["description"].lower()

            spoken = client.post(
                "/v1/speech", json={"text": "The weather is lovely today.", "format": "wav"}
            )
            assert spoken.status_code == 200, spoken.text
            audio = client.get(spoken.json()["audio_url"])
            assert audio.status_code == 200

            heard = client.post(
                "/v1/transcribe",
                files={"file": ("speech.wav", audio.content, "audio/wav")},
                data={"language": "en"},
            )
            assert heard.status_code == 200, heard.text
            assert "weather" in heard.json()["text"].lower()

        maps = Path(f"/proc/{server.pid}/maps").read_text()
        assert "onnxruntime" in maps  # the runtime whose telemetry is in question is loaded
        time.sleep(max(0.0, ORT_TELEMETRY_WINDOW_S - (time.monotonic() - onnxruntime_loaded)))
        found, proxied, native = server.attempts(), server.proxy.seen(), server.watcher.found
    assert found == [], describe_attempts(found)
    assert proxied == []
    assert native == set()
