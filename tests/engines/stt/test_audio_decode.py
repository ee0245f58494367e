"""Decoding of uploads in every accepted format, and refusal of everything else."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from engines.stt.helpers import FORMATS, encode, tone
from seesay.errors import InvalidAudio, PayloadTooLarge
from seesay.media.audio_decode import AudioLimits, decode_audio, measure_audio
from support.hostile_audio import silent_flac, wav_with_unknown_codec


@pytest.mark.parametrize("kind", sorted(FORMATS))
@pytest.mark.parametrize("channels", [1, 2])
def test_each_format_decodes_to_mono_16k_with_right_duration(kind: str, channels: int) -> None:
    data = encode(tone(2.0, rate=22_050), 22_050, kind, channels=channels)
    audio = decode_audio(data)
    assert audio.sample_rate == 16_000
    assert audio.samples.dtype == np.float32
    assert audio.samples.ndim == 1
    # AAC adds ~0.1 s of encoder priming; everything else is exact to a frame.
    assert audio.duration == pytest.approx(2.0, abs=0.15)
    assert float(np.abs(audio.samples).max()) <= 1.0
    # It is still the tone: the energy sits around 440 Hz.
    spectrum = np.abs(np.fft.rfft(audio.samples))
    peak_hz = np.argmax(spectrum) * audio.sample_rate / len(audio.samples)
    assert peak_hz == pytest.approx(440, abs=10)


def test_target_rate_is_honoured() -> None:
    audio = decode_audio(encode(tone(1.0), 22_050, "flac"), AudioLimits(target_rate=24_000))
    assert audio.sample_rate == 24_000
    assert len(audio.samples) == pytest.approx(24_000, abs=50)


def test_size_cap_is_payload_too_large() -> None:
    with pytest.raises(PayloadTooLarge) as info:
        decode_audio(b"\0" * 2000, AudioLimits(max_bytes=1000))
    assert info.value.param == "file"


def test_duration_cap_stops_early() -> None:
    data = encode(tone(5.0), 22_050, "mp3")
    with pytest.raises(InvalidAudio, match="longer than the limit of 2 seconds"):
        decode_audio(data, AudioLimits(max_seconds=2.0))


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        os.urandom(4096),
        b"just some text, not audio at all\n" * 50,
        b"#EXTM3U\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n",
        b"ffconcat version 1.0\nfile /etc/passwd\n",
        b"RIFF\x24\x00\x00\x00WAVEfmt ",  # a WAV header cut short
    ],
    ids=["empty", "random", "text", "hls-playlist", "concat-list", "cut-wav-header"],
)
def test_garbage_is_invalid_audio_never_a_crash(garbage: bytes) -> None:
    with pytest.raises(InvalidAudio):
        decode_audio(garbage)


def test_png_image_has_no_audio_track() -> None:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, format="PNG")
    with pytest.raises(InvalidAudio):
        decode_audio(buf.getvalue())


@pytest.mark.parametrize("kind", ["mp3", "m4a", "ogg", "flac"])
def test_truncated_files_decode_what_is_there_or_refuse_cleanly(kind: str) -> None:
    data = encode(tone(3.0), 22_050, kind)
    for cut in (len(data) // 2, len(data) // 7, 64):
        try:
            audio = decode_audio(data[:cut])
        except InvalidAudio:
            continue
        assert 0 < audio.duration <= 3.2


def test_random_bytes_after_a_valid_header_do_not_crash() -> None:
    data = bytearray(encode(tone(2.0), 22_050, "mp3"))
    rng = np.random.default_rng(7)
    data[400:] = rng.integers(0, 256, len(data) - 400, dtype=np.uint8).tobytes()
    try:
        audio = decode_audio(bytes(data))
    except InvalidAudio:
        return
    assert np.isfinite(audio.samples).all()


def test_an_unknown_codec_tag_is_invalid_audio() -> None:
    data = wav_with_unknown_codec()
    with pytest.raises(InvalidAudio, match="codec"):
        decode_audio(data)
    with pytest.raises(InvalidAudio, match="codec"):
        measure_audio(data)


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_measuring_agrees_with_decoding(kind: str) -> None:
    data = encode(tone(2.0, rate=22_050), 22_050, kind)
    assert measure_audio(data) == pytest.approx(decode_audio(data).duration, abs=0.05)


def test_measuring_refuses_what_decoding_refuses() -> None:
    with pytest.raises(PayloadTooLarge):
        measure_audio(b"\0" * 2000, AudioLimits(max_bytes=1000))
    for garbage in (b"", b"not audio at all" * 10):
        with pytest.raises(InvalidAudio):
            measure_audio(garbage)


_PEAK_SCRIPT = """
import sys
def peak_kb():  # VmHWM: this process's own peak (ru_maxrss keeps the parent's after fork)
    return int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])
from seesay.errors import InvalidAudio
from seesay.media.audio_decode import AudioLimits, measure_audio
import av  # noqa: F401  (loaded before the baseline: its libraries are not the point)
data = sys.stdin.buffer.read()
before = peak_kb()
seconds = measure_audio(data, AudioLimits(max_seconds=5 * 3600))
try:
    measure_audio(data, AudioLimits(max_seconds=3600))
    refused = "no"
except InvalidAudio:
    refused = "yes"
after = peak_kb()
print(seconds, refused, (after - before) * 1024)
"""


def test_hours_of_audio_are_measured_without_holding_them() -> None:
    # 4 hours in ~30 KB: decoded and kept at 16 kHz that is 920 MB of samples.
    data = silent_flac(4 * 3600)
    assert len(data) < 100_000
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_SCRIPT], input=data, capture_output=True, check=True
    )
    seconds, refused, grown = done.stdout.split()
    assert float(seconds) == pytest.approx(4 * 3600, abs=1)
    assert refused == b"yes"  # past the cap: the documented error
    assert int(grown) < 50 * 1024 * 1024
