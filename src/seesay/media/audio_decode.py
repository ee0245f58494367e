"""Safe decoding of uploaded audio into mono float32 ``Audio`` through PyAV (no ffmpeg binary).

Contract: :func:`decode_audio` takes the raw bytes of an upload and returns
``seesay.media.audio.Audio`` at ``target_rate`` (16 kHz for Whisper), mono, float32 in
[-1, 1]. :func:`measure_audio` checks the same upload and returns only its decoded duration,
counting samples frame by frame without keeping them (memory stays at one frame, whatever the
length); use it wherever the samples themselves are not needed. Anything either will not or
cannot decode raises ``InvalidAudio`` (``PayloadTooLarge`` for bytes over the size cap), never
another exception: uploads are hostile until decoded.

Defences, and why:
- a byte cap before anything is parsed;
- an allow-list of demuxers (MP3, WAV, MP4/M4A, FLAC, Ogg, Matroska/WebM, ADTS AAC) given to
  libavformat itself, so the probe can never pick a playlist or concat demuxer that would
  open other files or URLs named inside the upload;
- a duration cap counted on the decoded output while decoding, so a tiny file that expands
  to hours of audio is stopped early instead of filling memory;
- sanity checks on the stream (a codec libavcodec knows, sample rate, channel count) before
  decoding.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from seesay.errors import InvalidAudio, PayloadTooLarge
from seesay.media.audio import Audio
from seesay.media.libav import load_av, run_resampler

__all__ = [
    "ACCEPTED_FORMATS",
    "AudioLimits",
    "decode_audio",
    "measure_audio",
    "resample",
]

ACCEPTED_FORMATS = ("mp3", "wav", "m4a", "mp4", "flac", "ogg", "opus", "webm", "aac")
"""What callers may tell users they can upload."""

# libavformat demuxer names for ACCEPTED_FORMATS ("mov" is the MP4/M4A demuxer, "matroska"
# also reads WebM, "adts" is raw AAC). Passed as ``format_whitelist`` to the probe.
_DEMUXERS = ("mp3", "wav", "mov", "flac", "ogg", "matroska", "aac")

_MAX_SAMPLE_RATE = 384_000
_MAX_CHANNELS = 32


@dataclass(frozen=True, slots=True)
class AudioLimits:
    """Caps applied to one upload. The defaults suit a transcription request."""

    max_bytes: int = 25 * 1024 * 1024
    max_seconds: float = 30 * 60.0
    target_rate: int = 16_000


def _av_errors() -> tuple[type[BaseException], ...]:
    av = load_av()

    # PyAV raises FFmpegError subclasses (some also ValueError/OSError); its Cython layer can
    # raise plain ValueError/TypeError/IndexError/RuntimeError on malformed input.
    return (av.FFmpegError, ValueError, TypeError, IndexError, RuntimeError, OSError, EOFError)


def _too_long(limits: AudioLimits) -> InvalidAudio:
    return InvalidAudio(
        f"audio is longer than the limit of {limits.max_seconds:g} seconds",
        param="file",
        details={"limit_seconds": limits.max_seconds},
    )


@contextmanager
def _opened(data: bytes, limits: AudioLimits) -> Iterator[tuple[Any, Any]]:
    """The container and its first audio stream, checked; corrupt input becomes InvalidAudio."""
    if len(data) > limits.max_bytes:
        raise PayloadTooLarge(
            f"audio file is {len(data)} bytes; the limit is {limits.max_bytes} bytes",
            param="file",
            details={"limit_bytes": limits.max_bytes},
        )
    if not data:
        raise InvalidAudio("audio file is empty", param="file")
    try:
        av = load_av()
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise InvalidAudio("audio decoding needs PyAV: install seesay[stt]", param="file") from exc

    errors = _av_errors()
    try:
        container = av.open(
            io.BytesIO(data),
            mode="r",
            options={"format_whitelist": ",".join(_DEMUXERS)},
            metadata_errors="ignore",
        )
    except errors as exc:
        raise InvalidAudio(
            "could not read the audio file; accepted formats are " + ", ".join(ACCEPTED_FORMATS),
            param="file",
        ) from exc
    try:
        with container:
            yield container, _first_audio_stream(container)
    except InvalidAudio:
        raise
    except errors as exc:
        raise InvalidAudio("the audio file is corrupt or truncated", param="file") from exc


def _first_audio_stream(container: Any) -> Any:
    if not container.streams.audio:
        raise InvalidAudio("the file has no audio track", param="file")
    stream = container.streams.audio[0]
    codec = stream.codec_context
    if codec is None:
        # The container names a codec tag (e.g. a WAV format code) libavcodec has no decoder for.
        raise InvalidAudio(
            "the audio track uses a codec this server cannot decode; accepted formats are "
            + ", ".join(ACCEPTED_FORMATS),
            param="file",
        )
    if not 0 < (codec.sample_rate or 0) <= _MAX_SAMPLE_RATE:
        raise InvalidAudio(f"unsupported sample rate {codec.sample_rate}", param="file")
    if not 0 < (codec.channels or 0) <= _MAX_CHANNELS:
        raise InvalidAudio(f"unsupported channel count {codec.channels}", param="file")
    return stream


def decode_audio(data: bytes, limits: AudioLimits | None = None) -> Audio:
    """Decode ``data`` (a whole audio file) into mono float32 at ``limits.target_rate``.

    Raises ``PayloadTooLarge`` when ``data`` is over ``limits.max_bytes`` and ``InvalidAudio``
    when it is empty, not one of ``ACCEPTED_FORMATS``, has no audio track, is corrupt, holds
    no samples, or is longer than ``limits.max_seconds``.
    """
    limits = limits or AudioLimits()
    with _opened(data, limits) as (container, stream):
        samples = _decode_stream(container, stream, limits)
    if samples.size == 0:
        raise InvalidAudio("the audio file holds no audio samples", param="file")
    return Audio(samples=samples, sample_rate=limits.target_rate)


def measure_audio(data: bytes, limits: AudioLimits | None = None) -> float:
    """Seconds of audio ``data`` decodes to, checked as :func:`decode_audio` checks it (same
    errors), without keeping a single sample: each decoded frame is counted and dropped, and
    decoding stops at the first frame past ``limits.max_seconds``. The length comes from the
    decoded frames, never from what the container's header claims."""
    limits = limits or AudioLimits()
    seconds = 0.0
    with _opened(data, limits) as (container, stream):
        for packet in container.demux(stream):
            for frame in packet.decode():
                if frame.sample_rate:
                    seconds += frame.samples / frame.sample_rate
                if seconds > limits.max_seconds:
                    raise _too_long(limits)
    if seconds <= 0:
        raise InvalidAudio("the audio file holds no audio samples", param="file")
    return seconds


def _decode_stream(container: Any, stream: Any, limits: AudioLimits) -> npt.NDArray[np.float32]:
    av = load_av()

    # Resampling to packed float mono at the target rate is done by libswresample in C;
    # we only collect its output and count it against the duration cap as we go.
    resampler = av.AudioResampler(format="flt", layout="mono", rate=limits.target_rate)
    max_samples = int(limits.max_seconds * limits.target_rate)
    chunks: list[npt.NDArray[np.float32]] = []
    total = 0

    def take(frames: list[Any]) -> None:
        nonlocal total
        for out in frames:
            array = out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
            total += array.size
            if total > max_samples:
                raise _too_long(limits)
            chunks.append(array)

    for packet in container.demux(stream):
        for frame in packet.decode():
            take(resampler.resample(frame))
    take(resampler.resample(None))  # flush what the resampler buffered
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    samples = np.concatenate(chunks)
    # Lossy decoders and resampling overshoot slightly; Audio promises [-1, 1].
    np.clip(samples, -1.0, 1.0, out=samples)
    if not np.isfinite(samples).all():
        raise InvalidAudio("the audio file decodes to invalid samples", param="file")
    return samples


def resample(audio: Audio, rate: int) -> Audio:
    """``audio`` at ``rate`` (libswresample, band-limited); the same object if already there."""
    if audio.sample_rate == rate:
        return audio
    av = load_av()

    resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
    samples = np.concatenate(
        [
            run_resampler(resampler, audio.samples, audio.sample_rate),
            run_resampler(resampler, None, audio.sample_rate),
        ]
    )
    np.clip(samples, -1.0, 1.0, out=samples)
    return Audio(samples=samples, sample_rate=rate)
