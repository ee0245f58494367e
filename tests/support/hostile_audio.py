"""Hostile audio uploads: a tiny FLAC that expands to hours, a WAV naming no known codec."""

from __future__ import annotations

import io
import struct
import wave

import numpy as np


def silent_flac(seconds: float, rate: int = 8000) -> bytes:
    """``seconds`` of silence as FLAC in the largest blocks the format allows: about 2 KB per
    hour, so a few tens of KB decode to hours (the probe's upload bomb, made smaller)."""
    import av

    out = io.BytesIO()
    with av.open(out, "w", format="flac") as container:
        stream = container.add_stream("flac", rate=rate, layout="mono")
        stream.codec_context.options = {"compression_level": "0", "frame_size": "65535"}
        minute = np.zeros((1, rate * 60), dtype=np.int16)
        whole, rest = divmod(round(seconds * rate), rate * 60)
        for chunk in [minute] * whole + ([minute[:, :rest]] if rest else []):
            frame = av.AudioFrame.from_ndarray(chunk, format="s16", layout="mono")
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def wav_with_unknown_codec(format_tag: int = 0x1234) -> bytes:
    """A one-second WAV whose ``fmt`` chunk names a codec tag no decoder knows."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16_000)
        wav.writeframes(np.zeros(16_000, dtype=np.int16).tobytes())
    data = bytearray(buf.getvalue())
    assert data[12:16] == b"fmt "
    data[20:22] = struct.pack("<H", format_tag)
    return bytes(data)
