"""Fixtures of the clone tests: the bundled Piper and Kokoro voices, loaded once per module
group, behind the ``tts(name)`` getter a cloner receives from the registry."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext

import pytest

from seesay.engines.base import EngineContext, TtsEngine
from seesay.engines.tts.hibari import HibariEngine, find_voices
from seesay.engines.tts.kokoro import KokoroEngine
from seesay.engines.tts.piper import PiperEngine
from seesay.errors import EngineUnavailable


@pytest.fixture(scope="package")
def speech_engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TtsEngine]]:
    ctx = EngineContext(cache_dir=tmp_path_factory.mktemp("clone-cache"), threads=2)
    engines: dict[str, TtsEngine] = {
        "hibari": HibariEngine(ctx, find_voices(None)),
        "piper": PiperEngine(ctx),
        "kokoro": KokoroEngine(ctx),
    }
    for engine in engines.values():
        engine.load()
    yield engines
    for engine in engines.values():
        engine.unload()


@pytest.fixture(scope="package")
def tts(speech_engines: dict[str, TtsEngine]):  # type: ignore[no-untyped-def]
    def get(name: str) -> AbstractContextManager[TtsEngine]:
        if name not in speech_engines:
            raise EngineUnavailable(f"no tts engine named {name!r} is configured")
        return nullcontext(speech_engines[name])  # loaded for the whole package: no lease

    return get
