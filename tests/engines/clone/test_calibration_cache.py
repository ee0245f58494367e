"""Base-voice calibration is paid once per machine: a second engine (a new process, a
restart) reads the measures from the cache folder instead of synthesizing again."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import pytest

from seesay.engines.base import TtsEngine
from seesay.engines.clone.conversion import ConversionCloneEngine
from seesay.engines.clone.settings import BaseVoiceSetting, ConversionCloneSettings

JOE = BaseVoiceSetting(engine="piper", voice="en_US-joe-medium")


def test_calibration_is_cached_on_disk(tts, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []

    def counting(name: str) -> AbstractContextManager[TtsEngine]:
        with tts(name) as engine:
            pass

        class Counting:
            info = engine.info

            def synthesize(self, *args, **kwargs):  # type: ignore[no-untyped-def]
                calls.append(name)
                return engine.synthesize(*args, **kwargs)

        return nullcontext(Counting())  # type: ignore[arg-type]

    settings = ConversionCloneSettings(base_voices=[JOE])
    first = ConversionCloneEngine(settings, counting, cache_dir=tmp_path)
    measured = first.bases()[0].measures
    assert calls == ["piper"]
    assert len(list(tmp_path.glob("base-*.json"))) == 1

    second = ConversionCloneEngine(settings, counting, cache_dir=tmp_path)
    assert second.bases()[0].measures == measured
    assert calls == ["piper"]  # read back, not synthesized again

    # A corrupt cache file is measured again, not trusted.
    next(tmp_path.glob("base-*.json")).write_text("{not json")
    third = ConversionCloneEngine(settings, counting, cache_dir=tmp_path)
    # Piper's synthesis is not bit-exact between runs, so the new measure is close, not equal.
    assert third.bases()[0].measures.f0.median_hz == pytest.approx(measured.f0.median_hz, rel=0.1)
    assert calls == ["piper", "piper"]
