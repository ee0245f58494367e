"""A small ElevenLabs-compatible server for the remote sound and clone engines' tests.

Run as ``python elevenlabs_server.py API_KEY``; it binds 127.0.0.1 on a free port and prints
the port on its first stdout line. It speaks the real protocol: the ``xi-api-key`` header,
``POST /v1/sound-generation`` (JSON ``text``, ``duration_seconds``), ``POST /v1/voices/add``
(multipart ``name`` and one or more ``files``), ``POST /v1/text-to-speech/{voice_id}`` (JSON
``text``, ``model_id``, ``voice_settings``), ``?output_format=pcm_<rate>`` (16-bit LE mono) or
``wav_<rate>``, and ElevenLabs-style ``{"detail": {"status", "message"}}`` errors.

Its sound is noise of exactly the asked duration; its speech is a tone at the pitch of the
cloned sample (estimated by zero crossings), 0.1 s per word at speed 1. ``GET /v1/requests``
counts requests; ``GET /v1/last`` returns the last request's headers and form fields. Prompts
or texts containing ``[busy]`` answer 429 with ``Retry-After: 1`` the first time they are
seen; ``[crash]`` answers 500 with a body holding a fake secret.
"""

from __future__ import annotations

import io
import json
import sys
import threading
import wave
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import numpy as np

SECRET_IN_BODY = "internal-trace-s3cr3t"


class Handler(BaseHTTPRequestHandler):
    api_key = ""
    voices: dict[str, float] = {}  # voice id -> pitch of its sample
    seen: set[str] = set()
    lock = threading.Lock()
    requests = 0
    last: dict[str, object] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _json(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._json(status, {"detail": {"status": "error", "message": message}}, headers)

    def _audio(self, samples: np.ndarray, fmt: str) -> None:
        codec, rate = fmt.split("_")[0], int(fmt.split("_")[1])
        pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
        if codec == "pcm":
            data, ctype = pcm, "audio/pcm"
        elif codec == "wav":
            buf = io.BytesIO()
            with wave.open(buf, "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(rate)
                w.writeframes(pcm)
            data, ctype = buf.getvalue(), "audio/wav"
        else:
            return self._error(422, f"output_format {fmt} not supported by this test server")
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/v1/requests":
            self._json(200, {"requests": Handler.requests})
        elif self.path == "/v1/last":
            self._json(200, Handler.last)
        else:
            self._error(404, "not found")

    def _misbehave(self, text: str) -> bool:
        if "[busy]" in text:
            with Handler.lock:
                first = text not in Handler.seen
                Handler.seen.add(text)
            if first:
                self._error(429, "too_many_concurrent_requests", {"Retry-After": "1"})
                return True
        if "[crash]" in text:
            self._error(500, f"Traceback ... {SECRET_IN_BODY}")
            return True
        return False

    def do_POST(self) -> None:
        with Handler.lock:
            Handler.requests += 1
        url = urlparse(self.path)
        fmt = parse_qs(url.query).get("output_format", ["mp3_44100_128"])[0]
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Handler.last = {"path": self.path, "headers": dict(self.headers.items())}
        if self.headers.get("xi-api-key") != self.api_key:
            return self._error(401, "invalid_api_key")
        if url.path == "/v1/sound-generation":
            return self._sound(body, fmt)
        if url.path == "/v1/voices/add":
            return self._add_voice(body)
        if url.path.startswith("/v1/text-to-speech/"):
            return self._speech(url.path.rsplit("/", 1)[1], body, fmt)
        return self._error(404, "not found")

    def _sound(self, body: bytes, fmt: str) -> None:
        try:
            req = json.loads(body)
            text, seconds = str(req["text"]), float(req.get("duration_seconds") or 5.0)
        except (ValueError, KeyError):
            return self._error(422, "invalid body")
        if not 0.5 <= seconds <= 30:
            return self._error(422, "duration_seconds must be between 0.5 and 30")
        if self._misbehave(text):
            return None
        Handler.last["json"] = req
        rate = int(fmt.split("_")[1])
        rng = np.random.default_rng(len(text))
        return self._audio(0.2 * rng.standard_normal(round(seconds * rate)), fmt)

    def _add_voice(self, body: bytes) -> None:
        ctype = self.headers.get("Content-Type", "")
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {ctype}\r\n\r\n".encode() + body
        )
        fields: dict[str, str] = {}
        files: list[tuple[str, bytes]] = []
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if part.get_filename():
                files.append((str(part.get_filename()), payload))
            else:
                fields[str(name)] = payload.decode()
        Handler.last["form"] = fields
        Handler.last["files"] = [f for f, _ in files]
        if not fields.get("name") or not files:
            return self._error(422, "name and at least one file are required")
        data = files[0][1]
        if not data.startswith(b"RIFF"):
            return self._error(422, "unsupported audio file")
        with wave.open(io.BytesIO(data)) as w:
            rate = w.getframerate()
            x = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64)
        crossings = np.count_nonzero(np.diff(np.signbit(x)))
        pitch = crossings / 2 / (len(x) / rate)
        with Handler.lock:
            voice_id = f"voice{len(Handler.voices) + 1:04d}"
            Handler.voices[voice_id] = pitch
        return self._json(200, {"voice_id": voice_id, "requires_verification": False})

    def _speech(self, voice_id: str, body: bytes, fmt: str) -> None:
        if voice_id not in Handler.voices:
            return self._error(404, f"voice {voice_id} not found")
        try:
            req = json.loads(body)
            text = str(req["text"])
            speed = float(req.get("voice_settings", {}).get("speed", 1.0))
        except (ValueError, KeyError, AttributeError):
            return self._error(422, "invalid body")
        if not req.get("model_id"):
            return self._error(422, "model_id is required")
        if self._misbehave(text):
            return None
        Handler.last["json"] = req
        rate = int(fmt.split("_")[1])
        seconds = 0.1 * len(text.split()) / speed
        t = np.arange(round(seconds * rate)) / rate
        return self._audio(0.3 * np.sin(2 * np.pi * Handler.voices[voice_id] * t), fmt)


def main() -> None:
    Handler.api_key = sys.argv[1]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
