"""The real offline describer, loaded once for the vision tests that share it."""

from __future__ import annotations

import pytest

from seesay.engines.base import EngineContext


@pytest.fixture(scope="session")
def perception(tmp_path_factory: pytest.TempPathFactory) -> object:
    from seesay.engines.vision.perception import PerceptionEngine

    engine = PerceptionEngine(EngineContext(cache_dir=tmp_path_factory.mktemp("cache"), threads=2))
    engine.load()
    return engine
