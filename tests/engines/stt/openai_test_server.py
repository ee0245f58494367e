"""A small OpenAI-compatible server for tests (stdlib only), run as a subprocess.

    python openai_test_server.py  ->  prints "PORT <n>" once listening on 127.0.0.1

Speaks the real wire protocol: multipart ``POST /v1/audio/transcriptions`` and
``/v1/audio/translations`` (reads the WAV it gets, answers json or verbose_json with segments
and words), and ``POST /v1/chat/completions``. It is a test double, not a model: the
transcript describes the audio it received, and a chat answer echoes the last user message
as ``[<target>] <text>`` where <target> is the language the system prompt names after "into".

Behaviour switches, by ``model`` name: ``needs-key`` answers 401 unless the key is
``test-key``; ``flaky`` answers 503 with ``Retry-After: 0`` on every other call;
``plain-only`` refuses verbose_json with 400; ``slow`` sleeps 2 s; ``broken`` answers 500
with a body holding a secret that must never be echoed. ``GET /_last`` returns the last
request's form fields and headers of interest.
"""

from __future__ import annotations

import email.parser
import email.policy
import io
import json
import re
import sys
import threading
import time
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_state: dict[str, Any] = {"last": {}, "calls": 0}
_lock = threading.Lock()


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if part.get_filename():
            fields[name] = payload
        elif name.endswith("[]"):
            fields.setdefault(name, []).append(payload.decode())
        else:
            fields[name] = payload.decode()
    return fields


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/_last":
            with _lock:
                self._send(200, _state["last"])
        elif self.path == "/v1/models":
            self._send(200, {"object": "list", "data": [{"id": "whisper-1", "object": "model"}]})
        else:
            self._send(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        ctype = self.headers.get("Content-Type", "")
        if ctype.startswith("multipart/form-data"):
            fields = _multipart(ctype, body)
        else:
            fields = json.loads(body or b"{}")
        model = str(fields.get("model", ""))
        with _lock:
            _state["calls"] += 1
            calls = _state["calls"]
            _state["last"] = {
                "path": self.path,
                "authorization": self.headers.get("Authorization"),
                "fields": {k: v for k, v in fields.items() if k != "file"},
                "file_bytes": len(fields["file"]) if "file" in fields else None,
            }
        if model == "needs-key" and self.headers.get("Authorization") != "Bearer test-key":
            return self._send(401, {"error": {"message": "Incorrect API key provided: sk-..."}})
        if model == "flaky" and calls % 2 == 1:
            return self._send(503, {"error": {"message": "busy"}}, {"Retry-After": "0"})
        if model == "broken":
            return self._send(500, {"error": {"message": "internal: SECRET-UPSTREAM-DETAIL"}})
        if model == "slow":
            time.sleep(2)
        if self.path in ("/v1/audio/transcriptions", "/v1/audio/translations"):
            return self._audio(fields)
        if self.path == "/v1/chat/completions":
            return self._chat(fields)
        return self._send(404, {"error": {"message": "not found"}})

    def _audio(self, fields: dict[str, Any]) -> None:
        fmt = fields.get("response_format", "json")
        if fmt == "verbose_json" and fields.get("model") == "plain-only":
            return self._send(400, {"error": {"message": "response_format not supported"}})
        with wave.open(io.BytesIO(fields["file"])) as w:
            rate, frames = w.getframerate(), w.getnframes()
        duration = frames / rate
        translating = self.path.endswith("translations")
        language = "english" if translating else fields.get("language", "english")
        text = f"received {frames} samples at {rate} hertz"
        if fmt != "verbose_json":
            return self._send(200, {"text": text})
        words = text.split()
        step = duration / len(words)
        half = len(words) // 2
        body = {
            "task": "translate" if translating else "transcribe",
            "language": language,
            "duration": duration,
            "text": text,
            "segments": [
                {
                    "id": 0,
                    "start": 0.0,
                    "end": half * step,
                    "text": " ".join(words[:half]),
                    "avg_logprob": -0.2,
                    "no_speech_prob": 0.01,
                },
                {
                    "id": 1,
                    "start": half * step,
                    "end": duration,
                    "text": " ".join(words[half:]),
                    "avg_logprob": -0.3,
                    "no_speech_prob": 0.02,
                },
            ],
        }
        if "word" in fields.get("timestamp_granularities[]", []):
            body["words"] = [
                {"word": w, "start": i * step, "end": (i + 1) * step} for i, w in enumerate(words)
            ]
        return self._send(200, body)

    def _chat(self, fields: dict[str, Any]) -> None:
        messages = fields.get("messages", [])
        system = " ".join(m["content"] for m in messages if m.get("role") == "system")
        user = [m["content"] for m in messages if m.get("role") == "user"][-1]
        found = re.search(r"into ([A-Za-z ()]+?)[.:(]", system)
        target = found.group(1).strip() if found else "?"
        return self._send(
            200,
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": fields.get("model"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": f"[{target}] {user}"},
                        "finish_reason": "stop",
                    }
                ],
            },
        )


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
