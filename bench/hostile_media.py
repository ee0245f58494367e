"""Memory and time of untrusted media that is small on the wire and large decoded.

Each case runs in a fresh Python process (Pillow and libav allocate outside Python's
allocator, so peak RSS is the honest measure), with the libraries imported before the baseline:

* images: flat PNGs of ~40 MP (just under the pixel cap) that compress to ~100 KB, and a
  40 MP JPEG, through ``decode_image`` (what every describe does, twice per request);
* audio: a FLAC of hours of silence in a few tens of KB, through ``measure_audio`` (what an
  upload's duration costs) and ``decode_audio`` (holding every sample, for comparison).

Run: ``python -m bench.hostile_media``.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support.hostile_audio import silent_flac

_IMAGE_RUN = """
import sys, time
def peak_kb():  # VmHWM: this process's own peak (ru_maxrss keeps the parent's after fork)
    return int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])
import numpy, PIL.Image
from seesay.media.images import decode_image
data = open(sys.argv[1], "rb").read()
base = peak_kb()
started = time.perf_counter()
out = decode_image(data)
took = time.perf_counter() - started
peak = peak_kb()
print((peak - base) / 1024, took, "x".join(map(str, out.size)))
"""

_AUDIO_RUN = """
import sys, time
def peak_kb():  # VmHWM: this process's own peak (ru_maxrss keeps the parent's after fork)
    return int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])
import av
from seesay.errors import InvalidAudio
from seesay.media.audio_decode import AudioLimits, decode_audio, measure_audio
data = open(sys.argv[1], "rb").read()
how = sys.argv[2]
base = peak_kb()
started = time.perf_counter()
limits = AudioLimits(max_seconds=5 * 3600)
seconds = measure_audio(data, limits) if how == "measure" else decode_audio(data, limits).duration
took = time.perf_counter() - started
peak = peak_kb()
print((peak - base) / 1024, took, round(seconds))
"""


def _images(folder: Path) -> list[tuple[str, Path]]:
    import numpy as np
    from PIL import Image, ImageDraw

    side = 6300  # 39.7 MP, under the 40 MP cap
    rgba = Image.new("RGBA", (side, side), (255, 255, 255, 0))
    draw = ImageDraw.Draw(rgba)
    for i in range(0, side, 700):
        draw.rectangle([i, i, i + 300, i + 300], fill=(200, 30, 30, 255))
    cases = [
        ("PNG RGBA", rgba, "PNG"),
        ("PNG RGB", rgba.convert("RGB"), "PNG"),
        ("PNG LA", rgba.convert("LA"), "PNG"),
        ("PNG 16-bit grey", Image.fromarray(np.full((side, side), 1000, np.uint16)), "PNG"),
        ("JPEG RGB", rgba.convert("RGB"), "JPEG"),
    ]
    paths = []
    for name, image, fmt in cases:
        buf = io.BytesIO()
        image.save(buf, fmt, **({"compress_level": 9} if fmt == "PNG" else {"quality": 50}))
        path = folder / (name.replace(" ", "_") + "." + fmt.lower())
        path.write_bytes(buf.getvalue())
        paths.append((name, path))
    return paths


def _run(script: str, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("decode_image (bounded to 2048 px on the long side)")
        print(f"{'image':18} {'file KB':>8} {'peak MB':>8} {'seconds':>8}  decoded to")
        for name, path in _images(folder):
            mb, took, size = _run(_IMAGE_RUN, str(path))
            kb = path.stat().st_size / 1024
            print(f"{name:18} {kb:8.0f} {float(mb):8.0f} {float(took):8.2f}  {size}")
        print()
        flac = folder / "silence.flac"
        flac.write_bytes(silent_flac(4 * 3600))
        print("4 h of silence as FLAC, 8 kHz mono")
        print(f"{'call':18} {'file KB':>8} {'peak MB':>8} {'seconds':>8}  audio s")
        for how in ("measure", "decode"):
            mb, took, seconds = _run(_AUDIO_RUN, str(flac), how)
            kb = flac.stat().st_size / 1024
            label = f"{how}_audio"
            print(f"{label:18} {kb:8.0f} {float(mb):8.0f} {float(took):8.2f}  {seconds}")


if __name__ == "__main__":
    main()
