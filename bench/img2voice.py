"""End-to-end latency of the core job: a 1 MP JPEG in, its spoken description out.

A real uvicorn server on loopback over the embedded default (SQLite, local files, the offline
perception describer, the default voice mapping); requests are ``POST /compat/img2voice/v1``
with the image as base64 JSON, ``detail=standard``, ``output_format=mp3``, voice ``eve``.
Reported: median and p95 latency sequentially and with 4 concurrent clients, requests per
second for each, and where the time goes (the native route's per-step timings).

Run: ``python -m bench.img2voice [--requests N] [--voice eve]``.
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from seesay.api import create_app
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key
from support.live import serve_app


def one_megapixel_jpeg() -> bytes:
    """scikit-image's cat at 1155x866 (1.0 MP), JPEG quality 90."""
    from skimage import data as skdata

    image = Image.fromarray(skdata.chelsea()).resize((1155, 866), Image.Resampling.LANCZOS)  # type: ignore[no-untyped-call]
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _run(
    base: str, key: str, body: dict[str, str], n: int, clients: int
) -> tuple[list[float], float]:
    def one(_: int) -> float:
        t0 = time.perf_counter()
        r = http.post("/compat/img2voice/v1", headers={"IMG2VOICE-API-KEY": key}, json=body)
        r.raise_for_status()
        return time.perf_counter() - t0

    with httpx.Client(base_url=base, timeout=300) as http:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            samples = list(pool.map(one, range(n)))
        wall = time.perf_counter() - started
    return samples, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=12, help="requests per run")
    parser.add_argument("--voice", default="eve")
    args = parser.parse_args()

    jpeg = one_megapixel_jpeg()
    body = {
        "image_base64": base64.b64encode(jpeg).decode(),
        "image_mime_type": "image/jpeg",
        "voice_id": args.voice,
        "language": "en",
        "detail": "standard",
        "output_format": "mp3",
    }
    with tempfile.TemporaryDirectory() as tmp:
        platform = Platform.build(load_settings(data_dir=Path(tmp)))
        key = make_key(platform, plan="paid", credits=10_000).key
        with serve_app(create_app(platform.settings, platform=platform)) as base:
            _run(base, key, body, 2, 1)  # load the models
            print(
                f"img2voice end to end, 1 MP JPEG ({len(jpeg) // 1024} KB), standard, mp3, "
                f"voice {args.voice}, {args.requests} requests per run"
            )
            # CPU seconds per request (all threads of this process, server and client): what
            # the latency would approach on 2 idle cores when the machine is shared.
            print(f"{'clients':>8} {'median s':>9} {'p95 s':>7} {'req/s':>6} {'CPU s/req':>10}")
            for clients in (1, 4):
                cpu = time.process_time()
                samples, wall = _run(base, key, body, args.requests, clients)
                per = (time.process_time() - cpu) / len(samples)
                print(
                    f"{clients:>8} {statistics.median(samples):>9.3f} "
                    f"{_pct(samples, 0.95):>7.3f} {len(samples) / wall:>6.2f} {per:>10.3f}"
                )
            print(
                f"load average during the runs: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            )
            steps: dict[str, list[float]] = {}
            native = {"image_base64": body["image_base64"], "voice": args.voice}
            with httpx.Client(base_url=base, timeout=300) as http:
                for _ in range(max(3, args.requests // 2)):
                    r = http.post("/v1/img2voice", headers={"X-API-Key": key}, json=native)
                    r.raise_for_status()
                    for step, ms in r.json()["timings"].items():
                        steps.setdefault(step, []).append(ms)
                    engines = r.json()["engines"]
                    voice = r.json()["voice"]
            print(f"where the time goes (median ms, sequential; tts {engines['tts']}/{voice}):")
            print("  " + ", ".join(f"{k} {statistics.median(v):.0f}" for k, v in steps.items()))
        platform.close()


if __name__ == "__main__":
    main()
