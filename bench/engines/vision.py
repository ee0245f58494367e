"""Benchmark of the vision engines: load time, 1 MP JPEG latency at standard detail, peak RSS.

Run alone from the repository root: ``.venv/bin/python -m bench.engines.vision``.
"""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path

from bench.engines.common import BenchRow, peak_rss_mb, print_table, timed
from PIL import Image

from seesay.engines.base import EngineContext
from seesay.engines.vision.perception import ENGINE_NAME, PerceptionEngine
from seesay.media.images import decode_image

__all__ = ["one_megapixel_jpeg", "run"]


def one_megapixel_jpeg() -> bytes:
    """scikit-image's astronaut (a person, text-free) scaled to 1200x840, as JPEG bytes."""
    from skimage import data

    image = Image.fromarray(data.astronaut()).resize((1200, 840), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def run(repeat: int = 15) -> list[BenchRow]:
    """One row per vision engine that runs offline (the configured ones need a model/server)."""
    jpeg = one_megapixel_jpeg()
    with tempfile.TemporaryDirectory() as cache:
        engine = PerceptionEngine(EngineContext(cache_dir=Path(cache), threads=2))
        t0 = time.perf_counter()
        engine.load()
        load_s = time.perf_counter() - t0
        # Decoding is part of what a request pays, so it is inside the timed call.
        engine.describe(decode_image(jpeg), "standard", None, "en")  # warm-up
        median, p95, _ = timed(
            lambda: engine.describe(decode_image(jpeg), "standard", None, "en"), repeat
        )
        engine.unload()
    return [
        BenchRow(
            task="vision",
            engine=ENGINE_NAME,
            workload="1 MP JPEG, standard (decode incl.)",
            load_s=load_s,
            median_s=median,
            p95_s=p95,
            peak_rss_mb=peak_rss_mb(),
        )
    ]


if __name__ == "__main__":
    print_table(run())
