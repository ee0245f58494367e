"""FFmpeg's allocations are capped (``seesay.media.libav``): a tiny file that declares a huge
chunk is refused without the server allocating what it declares, and long audio still encodes
and resamples because SeeSay feeds FFmpeg in bounded frames."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from seesay.media.audio import Audio
from seesay.media.audio_decode import resample
from seesay.media.audio_encode import encode
from seesay.media.libav import MAX_ALLOCATION_BYTES, allocation_cap, load_av


def wav_with_a_huge_metadata_chunk() -> bytes:
    """A 330-byte WAV whose LIST/INFO chunk declares ~2 GiB and holds a comment declared at
    1.8 GiB. FFmpeg's RIFF demuxer zero-fills a buffer of the declared size before reading it
    (the shape of input the parser fuzzer found)."""
    fmt = struct.pack("<4sIHHIIHH", b"fmt ", 16, 1, 1, 16_000, 32_000, 2, 16)
    info = b"INFO" + b"ISFT" + struct.pack("<I", 14) + b"Lavf62.12.102\0"
    info += b"ICMT" + struct.pack("<I", 0x7000_0000) + b"x" * 64
    metadata = b"LIST" + struct.pack("<I", 0x8000_001A) + info
    data = b"data" + struct.pack("<I", 200) + b"\0" * 200
    body = b"WAVE" + fmt + metadata + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


_PEAK_OF_ONE_DECODE = textwrap.dedent(
    """
    import json, sys
    data = bytes.fromhex(sys.argv[2])
    outcome = "accepted"
    if sys.argv[1] == "seesay":
        from seesay.errors import InvalidAudio
        from seesay.media.audio_decode import decode_audio
        try:
            decode_audio(data)
        except InvalidAudio:
            outcome = "refused"
    else:  # PyAV as it comes, without SeeSay's cap
        import io, av
        try:
            av.open(io.BytesIO(data), options={"format_whitelist": "wav"})
        except av.FFmpegError:
            outcome = "refused"
    with open("/proc/self/status") as status:
        peak_kb = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    print(json.dumps({"outcome": outcome, "peak_mb": peak_kb / 1024}))
    """
)


def _peak_of_one_decode(how: str, data: bytes) -> dict[str, object]:
    """Decode ``data`` in a fresh process and report its outcome and peak resident memory."""
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_OF_ONE_DECODE, how, data.hex()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.skipif(sys.platform != "linux", reason="peak memory is read from /proc")
def test_a_tiny_wav_that_declares_gigabytes_is_refused_without_allocating_them() -> None:
    data = wav_with_a_huge_metadata_chunk()
    assert len(data) < 400

    capped = _peak_of_one_decode("seesay", data)
    assert capped["outcome"] == "refused"
    assert float(str(capped["peak_mb"])) < 400, capped

    # Control: the same bytes through PyAV without the cap make FFmpeg zero-fill what the file
    # declares, so the measurement above would catch a cap that is not set.
    uncapped = _peak_of_one_decode("plain", data)
    assert float(str(uncapped["peak_mb"])) > 1500, uncapped


def test_the_cap_is_set_on_the_libavutil_pyav_loaded() -> None:
    load_av()
    assert allocation_cap() == MAX_ALLOCATION_BYTES


def test_audio_longer_than_one_capped_allocation_still_resamples_and_encodes() -> None:
    # 20 minutes at 24 kHz is 115 MB of float32: in one FFmpeg frame it would pass the cap.
    minutes = 20
    rate = 24_000
    assert minutes * 60 * rate * 4 > MAX_ALLOCATION_BYTES
    t = np.arange(minutes * 60 * rate, dtype=np.float32) / rate
    audio = Audio(samples=(0.2 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), sample_rate=rate)

    at_16k = resample(audio, 16_000)
    assert abs(len(at_16k.samples) - minutes * 60 * 16_000) <= 16
    # The tone survives the frame joins: no clicks or gaps where one frame meets the next.
    middle = at_16k.samples[16_000 * 60 : 16_000 * 61]
    assert 0.18 < float(np.abs(middle).max()) < 0.22
    assert abs(float(np.sqrt(np.mean(middle**2))) - 0.2 / np.sqrt(2)) < 0.01

    flac = encode(audio, "flac")
    assert abs(flac.duration - minutes * 60) < 0.01
    assert len(flac.data) > 100_000


def test_the_cap_goes_to_pyav_s_libavutil_even_when_opencv_mapped_its_own_first() -> None:
    """OpenCV's wheel ships a libavutil too; capping that one would leave PyAV's uncapped."""
    import av
    import cv2  # noqa: F401 - maps OpenCV's own FFmpeg libraries into the process

    from seesay.media import libav

    path = libav._libavutil_path(av)
    assert path is not None
    assert path.parent.name in ("av.libs", ".dylibs", "av"), path
