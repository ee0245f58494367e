"""The container image: its size, a rebuild with nothing changed, and the time from
``run`` to the first answer (``/healthz``) and to the first description (models load on
first use). Needs the engine tests/deploy uses (``SEESAY_TEST_CONTAINER``, default podman;
``scripts/ensure-container-tools.sh`` sets it up).

Run: ``python -m bench.image [--starts N]`` (builds ``seesay:local`` first if it must).
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from api.img2voice.helpers import photo_jpeg
from support import containers as ct
from support.live import free_port


def start_to_answer(image: str, data: str) -> tuple[float, str, str]:
    """Seconds from ``run`` to the first /healthz answer; the container's name and URL."""
    port = free_port()
    name = ct.unique("seesay-bench")
    started = time.monotonic()
    ct.engine("run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:8000", "-v", f"{data}:/data",
              image)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    ct.wait_for(base + "/healthz", name)
    return time.monotonic() - started, name, base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()

    first_build = ct.build_image()
    rebuild = ct.build_image()
    size = int(ct.engine("image", "inspect", "--format", "{{.Size}}", ct.IMAGE).stdout)
    starts: list[float] = []
    with ct.volume() as data:
        for i in range(args.starts):
            seconds, name, base = start_to_answer(ct.IMAGE, data)
            starts.append(seconds)
            try:
                if i == 0:
                    (key,) = ct.printed_keys(name)
                    t0 = time.monotonic()
                    described = httpx.post(
                        base + "/v1/describe",
                        json={"image_base64": base64.b64encode(photo_jpeg()).decode()},
                        headers={"X-API-Key": key},
                        timeout=300,
                    )
                    described.raise_for_status()
                    first_describe = time.monotonic() - t0
            finally:
                ct.engine("rm", "-f", "-v", "-t", "5", name, check=False)
    ordered = sorted(starts)
    median, p95 = statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]
    print(f"| measure ({' '.join(ct.ENGINE)}) | value |")
    print("|---|---|")
    print(f"| image size | {size / 1e9:.2f} GB |")
    print(f"| build (as found: cached or not) | {first_build:.1f} s |")
    print(f"| rebuild, nothing changed | {rebuild:.1f} s |")
    print(
        f"| run to first /healthz answer, {len(starts)} starts | {median:.1f} s (p95 {p95:.1f} s) |"
    )
    print(f"| first describe after start (loads the vision models) | {first_describe:.1f} s |")


if __name__ == "__main__":
    main()
