"""Voice samples spoken by a bundled voice, in the Voice Clone spec's formats; a loopback
webhook receiver; and settings that keep the cloning engine's cold start short."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np

from seesay.engines.base import Audio
from seesay.media.audio_encode import encode
from seesay.platform import Platform

SAMPLE_TEXT = (
    "Hello there, this is a sample of my voice. I am speaking clearly for a few seconds, "
    "so that it can be cloned."
)

#: One base voice (piper's) instead of three: the conversion cloner calibrates each base
#: voice on first use, and kokoro's two take most of a minute on a small machine.
CLONE_ENGINES: dict[str, Any] = {
    "clone": {"conversion": {"base_voices": [{"engine": "piper", "voice": "en_US-joe-medium"}]}}
}
CLONE_ENV = {
    "SEESAY_ENGINES__CLONE__CONVERSION__BASE_VOICES": json.dumps(
        CLONE_ENGINES["clone"]["conversion"]["base_voices"]
    )
}


def spoken(platform: Platform, text: str = SAMPLE_TEXT) -> Audio:
    return platform.engines.tts("piper").synthesize(text, "en_US-joe-medium", "en-US", 1.0)


def sample_bytes(audio: Audio, fmt: str) -> bytes:
    """``audio`` as an ``mp3``, ``wav`` or ``webm`` (Opus) file."""
    if fmt in ("mp3", "wav"):
        return encode(audio, fmt).data
    import av

    out = io.BytesIO()
    with av.open(out, "w", format="webm") as container:
        stream = container.add_stream("libopus", rate=48_000)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(audio.samples, dtype=np.float32).reshape(1, -1),
            format="flt",
            layout="mono",
        )
        frame.sample_rate = audio.sample_rate
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000)
        for resampled in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(resampled):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def noise_wav(seconds: float = 3.0, rate: int = 16_000) -> bytes:
    """White noise: decodable audio with no voiced speech in it."""
    rng = np.random.default_rng(7)
    samples = (rng.standard_normal(int(seconds * rate)) * 0.2).astype(np.float32)
    return encode(Audio(samples, rate), "wav").data


@dataclass
class Hooks:
    url: str
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.received]


@contextmanager
def webhook_receiver() -> Iterator[Hooks]:
    """A loopback HTTP server recording every POST (headers, body)."""
    hooks = Hooks(url="")

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            hooks.received.append((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    hooks.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield hooks
    finally:
        server.shutdown()
        server.server_close()
