"""A small standalone OpenAI-compatible chat server for the remote vision engine's tests.

Run as ``python openai_server.py PORT_FILE``: binds 127.0.0.1 on a free port, writes the port to
PORT_FILE, and serves ``POST /v1/chat/completions`` with the real request/response shapes. It
decodes the ``image_url`` data URL and answers with what it can measure (image size, mean color),
so a test can tell the image really travelled. Behaviour switches (the model name picks them):
``flaky-*`` answers 503 with Retry-After once per distinct prompt before succeeding,
``always-500`` always fails with a body holding a fake secret, ``slow`` sleeps 3 s.
A Bearer key must equal the SEESAY_TEST_KEY environment variable.
"""

from __future__ import annotations

import base64
import io
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image

_SEEN: set[str] = set()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(
        self, status: int, payload: dict[str, object], headers: dict[str, str] | None = None
    ) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        if self.path != "/v1/chat/completions":
            self._send(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
            return
        if self.headers.get("Authorization") != f"Bearer {os.environ.get('SEESAY_TEST_KEY', '')}":
            self._send(401, {"error": {"message": "bad key", "type": "invalid_request_error"}})
            return
        req = json.loads(raw)
        model = req["model"]
        user = next(m for m in req["messages"] if m["role"] == "user")
        text = next(p["text"] for p in user["content"] if p["type"] == "text")
        url = next(p["image_url"]["url"] for p in user["content"] if p["type"] == "image_url")
        if model == "always-500":
            self._send(500, {"error": {"message": "internal sk-SECRET-LEAK trace"}})
            return
        if model == "slow":
            time.sleep(3)
        if model.startswith("flaky") and text not in _SEEN:
            _SEEN.add(text)
            self._send(503, {"error": {"message": "busy"}}, {"Retry-After": "0"})
            return
        header, b64 = url.split(",", 1)
        image = Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGB")
        r, g, b = (round(sum(c) / len(c)) for c in zip(*image.getdata(), strict=True))
        answer = (
            f"A {image.width}x{image.height} image, mean color {r},{g},{b} "
            f"({header.split(';')[0]}). Asked: {text.splitlines()[0]}"
        )
        self._send(
            200,
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": answer},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 12, "total_tokens": 22},
            },
        )


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1], "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
