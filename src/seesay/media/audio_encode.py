"""Encode synthesized speech (``Audio``, float32 mono) to the formats the APIs return.

Formats follow OpenAI's ``/audio/speech``: ``mp3``, ``wav`` (16-bit PCM), ``opus`` (in an Ogg
container), ``flac``, ``aac`` (ADTS stream, as OpenAI returns it) and ``pcm`` (raw 16-bit
little-endian, 24 kHz mono, resampled when the voice speaks at another rate).

Everything goes through PyAV's bundled FFmpeg libraries, so no ``ffmpeg`` binary is needed.
``EncodedAudio.duration`` is exact: the number of samples handed to the encoder divided by the
rate they were encoded at. Lossy codecs add their own priming/padding, which a decoder trims for
mp3 and opus (both carry the information) but not for ADTS AAC (a raw stream has no place for it),
so an AAC file decodes up to about two codec frames (2 x 1024 samples) longer.

``StreamEncoder`` encodes chunk by chunk for chunked HTTP responses: ``feed`` returns whatever
bytes are ready, ``finish`` the rest. mp3, aac and pcm stream as self-delimiting frames; wav
streams with the "unknown length" header OpenAI also sends (sizes 0xFFFFFFFF); opus and flac
stream through an Ogg/FLAC muxer writing into a buffer that is drained after each chunk.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

import numpy as np
import numpy.typing as npt

from seesay.errors import InvalidRequest
from seesay.media.audio import Audio
from seesay.media.libav import FRAME_SAMPLES, load_av, run_resampler

__all__ = [
    "FORMATS",
    "MIME_TYPES",
    "PCM_SAMPLE_RATE",
    "STREAMABLE_FORMATS",
    "AudioFormat",
    "EncodedAudio",
    "StreamEncoder",
    "encode",
    "encode_stream",
    "resample",
]

AudioFormat = Literal["mp3", "wav", "opus", "flac", "aac", "pcm"]
FORMATS: Final[tuple[str, ...]] = get_args(AudioFormat)
STREAMABLE_FORMATS: Final[tuple[str, ...]] = FORMATS
PCM_SAMPLE_RATE: Final = 24_000

MIME_TYPES: Final[dict[str, str]] = {
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "opus": "audio/ogg; codecs=opus",
    "flac": "audio/flac",
    "aac": "audio/aac",
    "pcm": "audio/pcm",
}


@dataclass(frozen=True, slots=True)
class _Codec:
    container: str  # FFmpeg muxer name
    codec: str
    bit_rate: int | None
    rates: tuple[int, ...] | None  # rates the codec accepts; None: any


# Bit rates are speech-sized (mono, <= 24 kHz content): transparent for voice, small files.
_CODECS: Final[dict[str, _Codec]] = {
    "mp3": _Codec("mp3", "libmp3lame", 64_000, (8_000, 11_025, 12_000, 16_000, 22_050, 24_000)),
    "opus": _Codec("ogg", "libopus", 32_000, (8_000, 12_000, 16_000, 24_000, 48_000)),
    "flac": _Codec("flac", "flac", None, None),
    "aac": _Codec("adts", "aac", 64_000, (8_000, 11_025, 12_000, 16_000, 22_050, 24_000)),
}


@dataclass(frozen=True, slots=True)
class EncodedAudio:
    """Encoded bytes with their MIME type, exact duration (s) and the rate they were encoded at."""

    data: bytes
    format: str
    mime_type: str
    duration: float
    sample_rate: int


def _check_format(fmt: str) -> AudioFormat:
    if fmt not in FORMATS:
        raise InvalidRequest(
            f"unsupported audio format {fmt!r}; use one of {', '.join(FORMATS)}",
            param="response_format",
            details={"supported": list(FORMATS)},
        )
    return fmt  # type: ignore[return-value]


def _target_rate(fmt: AudioFormat, rate: int) -> int:
    """The rate ``fmt`` is encoded at: pcm is always 24 kHz; other codecs keep the voice's rate
    when they accept it, else the nearest accepted rate above it (never lose bandwidth)."""
    if fmt == "pcm":
        return PCM_SAMPLE_RATE
    if fmt == "wav":
        return rate
    rates = _CODECS[fmt].rates
    if rates is None or rate in rates:
        return rate
    higher = [r for r in rates if r >= rate]
    return min(higher) if higher else max(rates)


def resample(samples: npt.NDArray[np.float32], rate: int, target: int) -> npt.NDArray[np.float32]:
    """Band-limited polyphase resampling; the result has ``ceil(n * target / rate)`` samples."""
    if rate == target or len(samples) == 0:
        return np.ascontiguousarray(samples, dtype=np.float32)
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(rate, target)
    out = resample_poly(samples.astype(np.float32), target // g, rate // g)
    return np.asarray(out, dtype=np.float32)


def _to_int16(samples: npt.NDArray[np.float32]) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).round().astype("<i2").tobytes()


def _wav_header(rate: int, n_samples: int | None) -> bytes:
    """A 44-byte PCM16 mono RIFF header; ``None`` writes the 0xFFFFFFFF 'unknown' sizes."""
    data_size = 0xFFFFFFFF if n_samples is None else n_samples * 2
    riff_size = 0xFFFFFFFF if n_samples is None else 36 + data_size
    return (
        b"RIFF"
        + struct.pack("<I", riff_size)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
        + b"data"
        + struct.pack("<I", data_size)
    )


class _Drain(io.RawIOBase):
    """A write-only sink the muxer writes into; ``take`` hands out what was written so far.

    It claims to be unseekable so muxers write streaming-friendly output (no header rewrite).
    """

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def write(self, b: Any) -> int:
        data = bytes(b)
        self._parts.append(data)
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


class _AvEncoder:
    """One PyAV container + audio stream writing into ``sink``."""

    def __init__(self, fmt: AudioFormat, rate: int, sink: Any) -> None:
        av = load_av()

        spec = _CODECS[fmt]
        self._av = av
        self._rate = rate
        self._container: Any = av.open(sink, mode="w", format=spec.container)
        stream: Any = self._container.add_stream(spec.codec, rate=rate, layout="mono")
        if spec.bit_rate is not None:
            stream.bit_rate = spec.bit_rate
        self._stream = stream
        self._pts = 0

    def feed(self, samples: npt.NDArray[np.float32]) -> None:
        # Frames of bounded size: FFmpeg's allocations are capped (``media.libav``), and an
        # hour of speech in one frame would be a single allocation of hundreds of megabytes.
        for start in range(0, len(samples), FRAME_SAMPLES):
            chunk = np.ascontiguousarray(samples[start : start + FRAME_SAMPLES], dtype=np.float32)
            frame = self._av.AudioFrame.from_ndarray(chunk[None, :], format="flt", layout="mono")
            frame.sample_rate = self._rate
            frame.pts = self._pts
            self._pts += len(chunk)
            for packet in self._stream.encode(frame):
                self._container.mux(packet)

    def close(self) -> None:
        for packet in self._stream.encode(None):
            self._container.mux(packet)
        self._container.close()


def encode(audio: Audio, fmt: str) -> EncodedAudio:
    """Encode ``audio`` as ``fmt`` (one of ``FORMATS``); raises ``InvalidRequest`` otherwise."""
    f = _check_format(fmt)
    rate = _target_rate(f, audio.sample_rate)
    samples = resample(audio.samples, audio.sample_rate, rate)
    duration = len(samples) / rate
    if f == "pcm":
        data = _to_int16(samples)
    elif f == "wav":
        data = _wav_header(rate, len(samples)) + _to_int16(samples)
    else:
        buf = io.BytesIO()
        enc = _AvEncoder(f, rate, buf)
        enc.feed(samples)
        enc.close()
        data = buf.getvalue()
    return EncodedAudio(data, f, MIME_TYPES[f], duration, rate)


class StreamEncoder:
    """Encode a sequence of ``Audio`` chunks incrementally (for chunked HTTP responses).

    All chunks must share one sample rate (that of the first chunk). Not thread-safe: one
    encoder serves one response.
    """

    def __init__(self, fmt: str) -> None:
        self.format: AudioFormat = _check_format(fmt)
        self.mime_type = MIME_TYPES[self.format]
        self._source_rate: int | None = None
        self.sample_rate: int | None = None
        self._samples_out = 0
        self._resampler: Any = None
        self._sink = _Drain()
        self._enc: _AvEncoder | None = None
        self._finished = False

    @property
    def duration(self) -> float:
        """Seconds of audio encoded so far (exact once ``finish`` returned)."""
        return self._samples_out / self.sample_rate if self.sample_rate else 0.0

    def _start(self, rate: int) -> bytes:
        self._source_rate = rate
        self.sample_rate = _target_rate(self.format, rate)
        if self.sample_rate != rate:
            av = load_av()

            # A stateful resampler: chunk joins stay seamless, unlike resampling each chunk.
            self._resampler = av.AudioResampler(format="flt", layout="mono", rate=self.sample_rate)
        if self.format == "wav":
            return _wav_header(self.sample_rate, None)
        if self.format in _CODECS:
            self._enc = _AvEncoder(self.format, self.sample_rate, self._sink)
        return b""

    def _convert(self, samples: npt.NDArray[np.float32] | None) -> npt.NDArray[np.float32]:
        if self._resampler is None:
            return np.zeros(0, np.float32) if samples is None else samples
        return run_resampler(self._resampler, samples, self._source_rate or 0)

    def _emit(self, samples: npt.NDArray[np.float32]) -> bytes:
        self._samples_out += len(samples)
        if self._enc is not None:
            self._enc.feed(samples)
            return self._sink.take()
        return _to_int16(samples)

    def feed(self, audio: Audio) -> bytes:
        """Encode one chunk; returns the bytes that are ready (possibly empty)."""
        if self._finished:
            raise RuntimeError("StreamEncoder.feed after finish")
        head = b""
        if self._source_rate is None:
            head = self._start(audio.sample_rate)
        elif audio.sample_rate != self._source_rate:
            raise ValueError(
                f"chunk at {audio.sample_rate} Hz after chunks at {self._source_rate} Hz"
            )
        return head + self._emit(self._convert(audio.samples))

    def finish(self) -> bytes:
        """Flush the encoder; returns the final bytes. Call once."""
        if self._finished:
            return b""
        self._finished = True
        if self._source_rate is None:  # nothing was fed: still a valid, empty file
            self._start(PCM_SAMPLE_RATE)
            if self.format == "wav":
                return _wav_header(PCM_SAMPLE_RATE, 0)
        tail = self._emit(self._convert(None)) if self._resampler is not None else b""
        if self._enc is not None:
            self._enc.close()
            tail += self._sink.take()
        return tail


def encode_stream(chunks: Iterable[Audio], fmt: str) -> Iterator[bytes]:
    """Encode ``chunks`` as they come; yields non-empty byte strings."""
    enc = StreamEncoder(fmt)
    for chunk in chunks:
        data = enc.feed(chunk)
        if data:
            yield data
    tail = enc.finish()
    if tail:
        yield tail
