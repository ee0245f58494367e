"""A local upstream speaking the WebVoice media API, for forwarding tests (127.0.0.1).

``POST /api/v1/<image|image-to-image|image-to-video|text-to-video>/`` with a Bearer key
answers ``{"success", "provider", "image"|"video": base64}``. By prompt: ``fail`` -> 500 with
a secret-looking body, ``busy`` -> 429 with ``Retry-After: 9``, ``empty`` -> 200 without data.
Requests (path, headers, body) are recorded in ``requests``.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MEDIA_KEY = "media-provider-key-42"
MEDIA_SECRET = "internal-media-cluster-9f3"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
MP4 = b"\x00\x00\x00\x18ftypmp42fake-video-bytes"


@dataclass
class MediaUpstream:
    base_url: str
    requests: list[dict[str, Any]] = field(default_factory=list)


@contextmanager
def media_upstream() -> Iterator[MediaUpstream]:
    state = MediaUpstream("")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append(
                {"path": self.path, "headers": dict(self.headers.items()), "body": body}
            )
            if self.headers.get("Authorization") != f"Bearer {MEDIA_KEY}":
                self._send(401, {"error": "bad key"})
                return
            prompt = body.get("prompt", "")
            if prompt == "fail":
                self._send(500, {"error": f"crash at {MEDIA_SECRET}"})
            elif prompt == "busy":
                self._send(429, {"error": "slow down"}, {"Retry-After": "9"})
            elif prompt == "empty":
                self._send(200, {"success": True})
            elif "video" in self.path:
                video = base64.b64encode(MP4).decode()
                self._send(
                    200,
                    {
                        "success": True,
                        "provider": "seedance",
                        "video": video,
                        "duration": body.get("duration", 5),
                        "video_size_bytes": len(MP4),
                    },
                )
            else:
                image = base64.b64encode(PNG).decode()
                self._send(
                    200,
                    {
                        "success": True,
                        "provider": "minimax",
                        "image": image,
                        "images": [image],
                        "count": 1,
                        "credits_used": 999,
                        "credits_remaining": 999,
                    },
                )

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}/api/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
