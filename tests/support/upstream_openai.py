"""A real local OpenAI-compatible chat provider for tests, run as a subprocess on 127.0.0.1.

It speaks the protocol the chat bridge talks upstream: ``GET /v1/models`` and
``POST /v1/chat/completions`` (JSON, or SSE with ``stream: true`` ending in ``data: [DONE]``,
``stream_options.include_usage`` honoured), with tool calls.

Behaviour, chosen by the request's ``model``:

- any model: answers ``"You said: <last user text>"``; after a ``tool`` message it answers
  ``"Tool said: <tool content>"``; when ``tools`` are sent, the last message is the user's and
  ``tool_choice`` is not ``"none"``, it calls the first tool (or the one ``tool_choice`` names)
  with every required string parameter set to the last word of the user's text
  (``finish_reason: "tool_calls"``; streamed as partial ``delta.tool_calls``);
- ``fail-500``: HTTP 500 whose body holds a secret-looking string (``SECRET_MARKER``);
- ``fail-429``: HTTP 429 with ``Retry-After: 7``;
- ``fail-400``: HTTP 400 with an error body;
- ``drop-stream``: streams one content chunk, then closes the connection without finishing.

Only ``Authorization: Bearer <api key>`` (the key given at start) is accepted (401 otherwise).
Every request is recorded (path, Authorization header, every header, body) and can be read
back with ``GET /_test/requests`` (no key needed), so a test can prove which key reached it.

Use from a test::

    from support.upstream_openai import start_upstream

    with start_upstream() as upstream:
        upstream.base_url      # "http://127.0.0.1:PORT/v1"
        upstream.api_key       # the key it expects
        upstream.requests()    # what it received
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Lock
from typing import Any

import httpx

__all__ = ["SECRET_MARKER", "UPSTREAM_KEY", "Upstream", "start_upstream"]

SECRET_MARKER = "sk-upstream-INTERNAL-4f9a2c"
UPSTREAM_KEY = "upstream-provider-key-0123456789"
MODELS = ("echo-model", "tool-model", "fail-500", "fail-429", "fail-400", "drop-stream")


@dataclass
class Upstream:
    base_url: str
    api_key: str
    proc: subprocess.Popen[bytes]

    def requests(self) -> list[dict[str, Any]]:
        root = self.base_url.rsplit("/v1", 1)[0]
        data: list[dict[str, Any]] = httpx.get(root + "/_test/requests", timeout=5).json()
        return data

    def clear(self) -> None:
        root = self.base_url.rsplit("/v1", 1)[0]
        httpx.delete(root + "/_test/requests", timeout=5)


@contextmanager
def start_upstream(api_key: str = UPSTREAM_KEY, log: Path | None = None) -> Iterator[Upstream]:
    """Start the server as a subprocess on a free loopback port; stop it afterwards."""
    from support.live import free_port, wait_until_ready

    port = free_port()
    out = log.open("wb") if log is not None else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--port", str(port), "--key", api_key],
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/_test/requests", timeout=20, proc=proc)
        yield Upstream(f"http://127.0.0.1:{port}/v1", api_key, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log is not None and not isinstance(out, int):
            out.close()


# -- the server ----------------------------------------------------------------------------


def _last(messages: list[dict[str, Any]], role: str) -> dict[str, Any] | None:
    return next((m for m in reversed(messages) if m.get("role") == role), None)


def _text(message: dict[str, Any] | None) -> str:
    if message is None:
        return ""
    content = message.get("content")
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return str(content or "")


def _tool_call(body: dict[str, Any]) -> dict[str, Any] | None:
    tools = body.get("tools") or []
    messages = body.get("messages") or []
    choice = body.get("tool_choice", "auto")
    if not tools or choice == "none" or not messages or messages[-1].get("role") != "user":
        return None
    tool = tools[0]
    if isinstance(choice, dict):
        wanted = choice.get("function", {}).get("name")
        tool = next((t for t in tools if t.get("function", {}).get("name") == wanted), tool)
    fn = tool.get("function", {})
    params = fn.get("parameters") or {}
    words = _text(messages[-1]).replace("?", " ").replace(".", " ").split()
    value = words[-1] if words else ""
    args = {
        name: value
        for name in params.get("required", [])
        if params.get("properties", {}).get(name, {}).get("type", "string") == "string"
    }
    return {
        "id": "call_" + str(abs(hash(json.dumps(args))) % 10**8),
        "type": "function",
        "function": {"name": fn.get("name", "tool"), "arguments": json.dumps(args)},
    }


def _answer(body: dict[str, Any]) -> str:
    messages = body.get("messages") or []
    if messages and messages[-1].get("role") == "tool":
        return "Tool said: " + _text(messages[-1])
    return "You said: " + _text(_last(messages, "user"))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        sys.stderr.write("upstream: " + (format % args) + "\n")

    def _json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def _record(self, body: Any) -> None:
        with self.server.lock:
            self.server.seen.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body,
                }
            )

    def _authorized(self) -> bool:
        if self.headers.get("Authorization") == f"Bearer {self.server.key}":
            return True
        self._json(401, {"error": {"message": "Invalid API key", "type": "auth_error"}})
        return False

    def do_DELETE(self) -> None:
        if self.path == "/_test/requests":
            with self.server.lock:
                self.server.seen.clear()
            self._json(200, {"ok": True})
        else:
            self._json(404, {"error": {"message": "not found"}})

    def do_GET(self) -> None:
        if self.path == "/_test/requests":
            with self.server.lock:
                self._json(200, list(self.server.seen))
            return
        self._record(None)
        if self.path == "/v1/models":
            if self._authorized():
                data = [{"id": m, "object": "model", "created": 0, "owned_by": "t"} for m in MODELS]
                self._json(200, {"object": "list", "data": data})
            return
        self._json(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        self._record(body)
        if self.path != "/v1/chat/completions":
            self._json(404, {"error": {"message": "not found"}})
            return
        if not self._authorized():
            return
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            self._json(400, {"error": {"message": "messages is required"}})
            return
        model = str(body.get("model", ""))
        if model == "fail-500":
            self._json(
                500,
                {
                    "error": {
                        "message": f"internal failure; key={SECRET_MARKER}; "
                        "db=postgres://admin:hunter2@10.0.0.5/prod",
                        "type": "server_error",
                    }
                },
            )
            return
        if model == "fail-429":
            self._json(
                429,
                {"error": {"message": f"slow down {SECRET_MARKER}", "type": "rate_limit"}},
                {"Retry-After": "7"},
            )
            return
        if model == "fail-400":
            self._json(400, {"error": {"message": "bad tools", "type": "invalid_request_error"}})
            return
        if body.get("stream"):
            self._stream(body, model)
        else:
            self._complete(body, model)

    def _complete(self, body: dict[str, Any], model: str) -> None:
        call = _tool_call(body)
        message: dict[str, Any] = {"role": "assistant", "content": None if call else _answer(body)}
        if call:
            message["tool_calls"] = [call]
        self._json(
            200,
            {
                "id": "chatcmpl-upstream1",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": message,
                        "finish_reason": "tool_calls" if call else "stop",
                    }
                ],
                "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
            },
        )

    def _stream(self, body: dict[str, Any], model: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

        def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> None:
            event = {
                "id": "chatcmpl-upstream2",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                **extra,
            }
            self.wfile.write(b"data: " + json.dumps(event).encode() + b"\n\n")
            self.wfile.flush()

        self.wfile.write(b": keep-alive\n\n")
        chunk({"role": "assistant", "content": ""})
        if model == "drop-stream":
            chunk({"content": "Half an ans"})
            return  # the connection closes without a finish chunk or [DONE]
        call = _tool_call(body)
        if call:
            args = call["function"]["arguments"]
            head = {
                "index": 0,
                "id": call["id"],
                "type": "function",
                "function": {"name": call["function"]["name"], "arguments": ""},
            }
            chunk({"tool_calls": [head]})
            for i in range(0, len(args), 5):
                piece = {"index": 0, "function": {"arguments": args[i : i + 5]}}
                chunk({"tool_calls": [piece]})
            finish = "tool_calls"
        else:
            for word in _answer(body).split(" "):
                chunk({"content": word + " "})
                time.sleep(0.005)
            finish = "stop"
        chunk({}, finish)
        if (body.get("stream_options") or {}).get("include_usage"):
            usage = {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}
            event = {
                "id": "chatcmpl-upstream2",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": [],
                "usage": usage,
            }
            self.wfile.write(b"data: " + json.dumps(event).encode() + b"\n\n")
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, key: str) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.key = key
        self.seen: list[dict[str, Any]] = []
        self.lock = Lock()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key", default=UPSTREAM_KEY)
    args = parser.parse_args()
    _Server(args.port, args.key).serve_forever()


if __name__ == "__main__":
    main()
