"""A small LibreTranslate-compatible server for tests (stdlib only), run as a subprocess.

    python libretranslate_test_server.py  ->  prints "PORT <n>" once listening on 127.0.0.1

Speaks the real API: ``GET /languages`` (en, es, pb with their targets) and
``POST /translate`` (JSON ``q``, ``source``, ``target``, ``format``, ``api_key``). It is a
test double, not a model: it translates word by word with a tiny dictionary and leaves
unknown words as they are. With ``--key K`` it refuses requests without ``api_key=K`` (403);
``q`` equal to "please fail" gets a 500 whose body must never reach the caller.
"""

from __future__ import annotations

import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

LANGUAGES = [
    {"code": "en", "name": "English", "targets": ["en", "es", "pb"]},
    {"code": "es", "name": "Spanish", "targets": ["en", "es"]},
    {"code": "pb", "name": "Portuguese (Brazil)", "targets": ["en", "pb"]},
]
WORDS = {
    ("en", "es"): {"the": "el", "cat": "gato", "sleeps": "duerme", "red": "rojo", "hello": "hola"},
    ("en", "pb"): {"the": "o", "cat": "gato", "sleeps": "dorme", "hello": "olá"},
    ("es", "en"): {"el": "the", "gato": "cat", "duerme": "sleeps"},
}
KEY = sys.argv[sys.argv.index("--key") + 1] if "--key" in sys.argv else None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/languages":
            return self._send(200, LANGUAGES)
        return self._send(404, {"error": "Not Found"})

    def do_POST(self) -> None:
        if self.path != "/translate":
            return self._send(404, {"error": "Not Found"})
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        if KEY is not None and body.get("api_key") != KEY:
            return self._send(403, {"error": "Invalid API key"})
        if body.get("q") == "please fail":
            return self._send(500, {"error": "Traceback: SECRET-UPSTREAM-DETAIL"})
        pair = (body.get("source"), body.get("target"))
        if pair not in WORDS:
            return self._send(400, {"error": f"{pair} is not supported"})
        table = WORDS[pair]

        def swap(match: re.Match[str]) -> str:
            word = match.group(0)
            out = table.get(word.lower(), word)
            return out.capitalize() if word[0].isupper() else out

        return self._send(200, {"translatedText": re.sub(r"\w+", swap, body["q"])})


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
