"""Audio encoding: every format decodes back (PyAV) to the reported duration; streaming works."""

from __future__ import annotations

import io

import av
import numpy as np
import pytest

from seesay.engines.base import Audio
from seesay.engines.tts.common import SentenceEngine
from seesay.errors import InvalidRequest
from seesay.media.audio_encode import (
    FORMATS,
    MIME_TYPES,
    PCM_SAMPLE_RATE,
    StreamEncoder,
    encode,
    encode_stream,
)

# Lossy codecs without in-stream delay/padding info decode longer than what was encoded:
# ADTS AAC by its 1024-sample priming plus frame padding; a *streamed* mp3 (no LAME header
# written up front) by the encoder delay plus frame padding.
AAC_SLACK = 2 * 1024
STREAMED_MP3_SLACK = 2 * 1152


def tone(rate: int, seconds: float) -> Audio:
    t = np.arange(round(rate * seconds)) / rate
    return Audio((0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), rate)


def decoded_samples(data: bytes, fmt: str) -> tuple[int, int]:
    """(samples, rate) after decoding with PyAV; pcm is read as 16-bit LE at 24 kHz."""
    if fmt == "pcm":
        return len(data) // 2, PCM_SAMPLE_RATE
    with av.open(io.BytesIO(data)) as container:
        n, rate = 0, 0
        for frame in container.decode(audio=0):
            n += frame.samples
            rate = frame.sample_rate
    return n, rate


@pytest.mark.parametrize("rate", [22_050, 24_000])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_decodes_to_its_duration(fmt: str, rate: int) -> None:
    audio = tone(rate, 2.345)
    out = encode(audio, fmt)
    assert out.mime_type == MIME_TYPES[fmt]
    assert out.duration == pytest.approx(audio.duration, abs=1e-3)
    n, decoded_rate = decoded_samples(out.data, fmt)
    # Opus always decodes at 48 kHz; every other codec at the rate it was encoded at.
    assert decoded_rate == (48_000 if fmt == "opus" else out.sample_rate)
    decoded = n / decoded_rate
    slack = AAC_SLACK / out.sample_rate if fmt == "aac" else 0.0
    assert out.duration - 1e-4 <= decoded <= out.duration + slack + 1e-4
    if fmt == "pcm":
        assert out.sample_rate == 24_000


def test_wav_is_16_bit_pcm_at_the_voice_rate() -> None:
    out = encode(tone(22_050, 0.5), "wav")
    assert out.data[:4] == b"RIFF"
    assert out.data[8:12] == b"WAVE"
    assert int.from_bytes(out.data[24:28], "little") == 22_050
    assert int.from_bytes(out.data[34:36], "little") == 16


def test_opus_is_in_an_ogg_container() -> None:
    assert encode(tone(24_000, 0.5), "opus").data[:4] == b"OggS"


def test_aac_is_an_adts_stream() -> None:
    data = encode(tone(24_000, 0.5), "aac").data
    assert data[0] == 0xFF
    assert data[1] & 0xF0 == 0xF0


def test_unknown_format_is_a_request_error() -> None:
    with pytest.raises(InvalidRequest) as err:
        encode(tone(24_000, 0.1), "ogg-vorbis")
    assert err.value.param == "response_format"


@pytest.mark.parametrize("fmt", FORMATS)
def test_stream_encoder_yields_bytes_as_chunks_come(fmt: str) -> None:
    audio = tone(22_050, 3.0)
    chunks = [Audio(audio.samples[i : i + 11_025], 22_050) for i in range(0, 66_150, 11_025)]
    enc = StreamEncoder(fmt)
    parts = [enc.feed(c) for c in chunks]
    parts.append(enc.finish())
    if fmt in ("mp3", "pcm", "wav", "aac", "flac"):
        assert all(parts[:-1]), "every chunk produced bytes right away"
    assert enc.duration == pytest.approx(3.0, abs=1e-3)
    n, rate = decoded_samples(b"".join(parts), fmt)
    slack = {"aac": AAC_SLACK, "mp3": STREAMED_MP3_SLACK}.get(fmt, 0) / 22_050
    assert enc.duration - 1e-4 <= n / rate <= enc.duration + slack + 1e-4


def test_encode_stream_of_real_speech(piper: SentenceEngine) -> None:
    chunks = list(piper.stream("One sentence. And another.", "en_US-joe-medium", "en", 1.0))
    total = sum(c.duration for c in chunks)
    data = b"".join(encode_stream(chunks, "pcm"))
    assert len(data) // 2 == pytest.approx(total * 24_000, abs=2)
    assert encode(Audio(np.concatenate([c.samples for c in chunks]), 22_050), "mp3").data
