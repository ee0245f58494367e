"""A pulled vision model whose load failed for a passing reason is tried again: at once when
the models folder changes, else after ``RETRY_SECONDS``; until then the failure is answered
from memory (no second download, no second load). The chosen Florence-2 is auto-pulled from
the Hub stand-in, which first fails one of its files (503) and then heals."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from seesay.engines.base import EngineContext
from seesay.engines.vision.pulled import RETRY_SECONDS, PulledVisionEngine, PulledVisionModels
from seesay.errors import EngineUnavailable
from seesay.models import ModelsSettings
from support.hub_standin import hub_standin
from support.installed import install
from support.tiny_vlm import FLORENCE_ID, FLORENCE_REPO, serve


def source_of(tmp_path: Path, url: str, clock: list[float]) -> PulledVisionModels:
    models = ModelsSettings(vision=FLORENCE_ID, auto_pull=True, hf_endpoint=url, max_new_tokens=8)
    ctx = EngineContext(cache_dir=tmp_path / "cache", models_dir=tmp_path / "models", models=models)
    assert ctx.models_dir is not None
    return PulledVisionModels(models, ctx.models_dir, ctx, clock=lambda: clock[0])


def chosen(source: PulledVisionModels) -> PulledVisionEngine:
    (engine,) = source.engines()
    assert isinstance(engine, PulledVisionEngine)
    return engine


def test_a_failed_auto_pull_is_tried_again_after_a_while(tmp_path: Path) -> None:
    clock = [0.0]
    with hub_standin() as (url, hub):
        serve(hub, "florence")
        hub.broken.add((FLORENCE_REPO, "config.json"))
        source = source_of(tmp_path, url, clock)
        engine = chosen(source)
        with pytest.raises(EngineUnavailable) as failed:
            engine.load()
        # One clean line that names the model once, then what went wrong.
        said = failed.value.message
        assert said.startswith(f"{FLORENCE_ID}: the Hub did not answer: ")
        assert said.count(FLORENCE_ID) == 1
        assert "\n" not in said
        asked = len(hub.requests)
        clock[0] += RETRY_SECONDS / 2
        with pytest.raises(EngineUnavailable):
            engine.load()  # answered from memory
        assert len(hub.requests) == asked

        hub.heal()
        clock[0] += RETRY_SECONDS
        chosen(source).load()  # tried again: pulled and loaded
    assert engine.parts() == {"model": {"status": "loaded"}}
    said = engine.describe(Image.new("RGB", (32, 32), (200, 40, 40)), "brief", None, "en")
    assert said.engine == FLORENCE_ID


def test_a_failed_load_is_tried_again_once_the_models_folder_changes(tmp_path: Path) -> None:
    clock = [0.0]
    with hub_standin() as (url, hub):
        serve(hub, "florence")
        hub.broken.add((FLORENCE_REPO, "config.json"))
        source = source_of(tmp_path, url, clock)
        engine = chosen(source)
        with pytest.raises(EngineUnavailable):
            engine.load()
        hub.heal()
        # Another model arrives (any pull or removal): the failure is not trusted any more.
        install(tmp_path / "models", "kokoro:af_x", {"a.bin": b"x"})
        engine.load()
    assert engine.parts() == {"model": {"status": "loaded"}}
