"""A small OpenAI-compatible ``POST /v1/audio/speech`` server for the remote engine's tests.

Run as ``python speech_server.py API_KEY``; it binds 127.0.0.1 on a free port and prints the
port on its first stdout line. It speaks the real protocol: Bearer auth, the JSON body of
OpenAI's API, ``response_format`` pcm (16-bit LE, 24 kHz mono) or wav, and OpenAI-style JSON
errors. Its "speech" is a tone of 0.1 s per input word (at ``speed`` 1), so tests can check the
duration. Inputs containing these markers misbehave on purpose:
``[busy]`` answers 429 with ``Retry-After: 1`` the first time that input is seen;
``[crash]`` answers 500 with a body holding a fake secret; ``[slow]`` waits 3 s.
"""

from __future__ import annotations

import io
import json
import sys
import threading
import time
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

RATE = 24_000
SECRET_IN_BODY = "internal-trace-s3cr3t"


class Handler(BaseHTTPRequestHandler):
    api_key = ""
    seen: set[str] = set()
    lock = threading.Lock()
    requests = 0

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _json(
        self, status: int, body: dict[str, object], headers: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._json(
            status, {"error": {"message": message, "type": "invalid_request_error"}}, headers
        )

    def do_GET(self) -> None:
        if self.path == "/v1/requests":
            self._json(200, {"requests": Handler.requests})
        else:
            self._error(404, "not found")

    def do_POST(self) -> None:
        with Handler.lock:
            Handler.requests += 1
        if self.path != "/v1/audio/speech":
            return self._error(404, "not found")
        if self.headers.get("Authorization") != f"Bearer {self.api_key}":
            return self._error(401, "Incorrect API key provided")
        try:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            text, voice = str(body["input"]), str(body["voice"])
            speed = float(body.get("speed", 1.0))
            fmt = body.get("response_format", "mp3")
        except (ValueError, KeyError):
            return self._error(400, "invalid body")
        if not body.get("model") or voice not in ("alloy", "nova", "onyx"):
            return self._error(400, f"unknown voice {voice}")
        if "[busy]" in text:
            with Handler.lock:
                first = text not in Handler.seen
                Handler.seen.add(text)
            if first:
                return self._error(429, "Rate limit reached", {"Retry-After": "1"})
        if "[crash]" in text:
            return self._error(500, f"Traceback ... {SECRET_IN_BODY}")
        if "[slow]" in text:
            time.sleep(3)
        seconds = 0.1 * len(text.split()) / speed
        t = np.arange(round(seconds * RATE)) / RATE
        pcm = (0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype("<i2").tobytes()
        if fmt == "pcm":
            data, ctype = pcm, "audio/pcm"
        elif fmt == "wav":
            buf = io.BytesIO()
            with wave.open(buf, "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(RATE)
                w.writeframes(pcm)
            data, ctype = buf.getvalue(), "audio/wav"
        else:
            return self._error(400, f"response_format {fmt} not supported by this test server")
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main() -> None:
    Handler.api_key = sys.argv[1]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
