"""Pulled vision models: the time from ``pull`` to the first description, and ``describe``
latency on each vision engine installed.

The models are the tests' tiny Florence-2 and SmolVLM (Idefics3) builds (random weights, real
format; ``tests/support/tiny_vlm.py``) served by the loopback Hub stand-in under the real
repositories of ``vision:florence-2-base`` and ``vision:smolvlm-256m-instruct``. Rows, each on a
fresh data folder in an already running platform:

* pull: ``ModelManager.pull`` (tree listing, HEADs, transfer, checks, atomic activation);
* first answer: from the end of the pull, ``seesay models use`` and the first
  ``DescribeService.describe_image`` (the registry's re-survey, the model's load, one answer);
* describe (brief / standard / detailed): ``describe_image`` on a 640x480 photo once loaded,
  for each pulled engine and for the configured default (``seesay-perception``).

``--device cuda`` puts the pulled models on a GPU.

Run: ``python -m bench.vision_pulled [--runs N] [--device cpu]``. Loopback only: this measures
SeeSay's side, not a network; a tiny model's speed says nothing of a real one's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from PIL import Image

from seesay.engines.base import Detail
from seesay.models import open_manager
from seesay.models.hub import HubSource
from seesay.platform import Platform
from seesay.settings import load_settings
from support.hub_standin import hub_standin
from support.tiny_vlm import FLORENCE_ID, SMOLVLM_ID, serve

MODELS = {"florence": FLORENCE_ID, "smolvlm": SMOLVLM_ID}
DETAILS: tuple[Detail, ...] = ("brief", "standard", "detailed")


def _photo() -> Image.Image:
    image = Image.new("RGB", (640, 480), (40, 110, 180))
    for x in range(0, 640, 40):
        image.paste((220, 200, 40), (x, 300, x + 20, 480))
    return image


def _stats(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    rows: dict[str, list[float]] = {}
    photo = _photo()
    with hub_standin() as (url, hub):
        for kind in MODELS:
            serve(hub, kind)
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                settings = load_settings(
                    data_dir=Path(tmp) / "data", models={"device": args.device}
                )
                platform = Platform.build(settings)
                try:
                    manager = open_manager(settings.models, settings.data_dir)
                    manager.hub = HubSource(url)
                    describe = platform.describer.describe_image
                    for detail in DETAILS:  # the configured default, for comparison
                        started = time.perf_counter()
                        describe(photo, detail, None, "en")
                        rows.setdefault(f"describe {detail}: seesay-perception", []).append(
                            time.perf_counter() - started
                        )
                    for model_id in MODELS.values():
                        t0 = time.perf_counter()
                        manager.pull(model_id)
                        t1 = time.perf_counter()
                        manager.use(model_id)
                        out = describe(photo, "standard", None, "en")
                        t2 = time.perf_counter()
                        assert out.engines["vision"] == model_id, out.engines
                        rows.setdefault(f"pull: {model_id}", []).append(t1 - t0)
                        rows.setdefault(f"first answer: {model_id}", []).append(t2 - t1)
                        for detail in DETAILS:
                            started = time.perf_counter()
                            describe(photo, detail, None, "en")
                            rows.setdefault(f"describe {detail}: {model_id}", []).append(
                                time.perf_counter() - started
                            )
                finally:
                    platform.close()
    print(f"| step (tiny models, loopback, {args.runs} runs, {args.device}) | median ms | p95 ms |")
    print("|---|---|---|")
    for step, values in sorted(rows.items()):
        median, p95 = _stats(values)
        print(f"| {step} | {median * 1000:.1f} | {p95 * 1000:.1f} |")


if __name__ == "__main__":
    main()
