"""The Whisper engine on the REAL bundled models (tiny.en and the joined multilingual base),
fed speech synthesized by the bundled Piper and Kokoro voices. No fakes."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from seesay.engines import stt
from seesay.engines.base import Audio, EngineContext, SttEngine, Task
from seesay.engines.stt import bundled
from seesay.engines.stt.settings import SttSettings, WhisperSettings
from seesay.engines.stt.whisper import WhisperEngine, to_whisper_code
from seesay.errors import UnsupportedLanguage
from support.speech import wer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def whisper(engine_ctx: EngineContext) -> WhisperEngine:
    engine = WhisperEngine(WhisperSettings(), engine_ctx)
    engine.load()
    return engine


def test_build_gives_unloaded_whisper_first(engine_ctx: EngineContext) -> None:
    engines = stt.build(SttSettings(engines=["whisper", "openai", "whisper"]), engine_ctx)
    assert [e.info.name for e in engines] == ["whisper", "openai-stt"]
    assert all(isinstance(e, SttEngine) for e in engines)
    info = engines[0].info
    assert info.task is Task.STT
    assert info.local
    assert info.licence == "MIT"
    assert {"en", "ja", "pt", "jv", "fil"} <= set(info.languages)


def test_english_only_settings_list_english(engine_ctx: EngineContext) -> None:
    engine = WhisperEngine(WhisperSettings(model=""), engine_ctx)
    assert engine.info.languages == ("en",)


def test_language_codes() -> None:
    assert to_whisper_code("pt-BR") == "pt"
    assert to_whisper_code("jv") == "jw"
    assert to_whisper_code("nb") == "no"
    assert to_whisper_code("tlh") is None


def test_base_parts_are_joined_once_atomically(tmp_path: Path) -> None:
    results: list[Path] = []
    threads = [
        threading.Thread(target=lambda: results.append(bundled.whisper_base_dir(tmp_path)))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    folder = tmp_path / "whisper-base"
    assert results == [folder] * 3
    stamp = json.loads((folder / "seesay-join.json").read_text())
    assert (folder / "model.bin").stat().st_size == stamp["size"] > 100_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["whisper-base"]  # no temp left
    mtime = (folder / "model.bin").stat().st_mtime_ns
    assert bundled.whisper_base_dir(tmp_path) == folder
    assert (folder / "model.bin").stat().st_mtime_ns == mtime  # not rebuilt
    # A truncated model (crash of an older writer) is detected and rebuilt.
    with open(folder / "model.bin", "r+b") as f:
        f.truncate(1000)
    bundled.whisper_base_dir(tmp_path)
    assert (folder / "model.bin").stat().st_size == stamp["size"]


def test_english_wer_with_tiny_en(
    whisper: WhisperEngine, english_speech: list[tuple[str, Audio]]
) -> None:
    errors = [wer(text, whisper.transcribe(audio, "en").text) for text, audio in english_speech]
    assert float(np.mean(errors)) <= 0.15, errors


def test_auto_detects_english_with_base(
    whisper: WhisperEngine, english_speech: list[tuple[str, Audio]]
) -> None:
    text, audio = english_speech[0]
    result = whisper.transcribe(audio, None)
    assert result.language == "en"
    assert result.language_probability is not None
    assert result.language_probability > 0.8
    assert wer(text, result.text) <= 0.15


def test_word_timestamps_are_monotonic_and_within_duration(
    whisper: WhisperEngine, english_speech: list[tuple[str, Audio]]
) -> None:
    _, audio = english_speech[1]
    result = whisper.transcribe(audio, "en-US", word_timestamps=True)
    words = [w for s in result.segments for w in s.words]
    assert len(words) >= 8
    previous_end = 0.0
    for w in words:
        assert 0.0 <= w.start <= w.end <= result.duration + 0.05
        assert w.start >= previous_end - 0.05
        previous_end = w.end
    for seg in result.segments:
        assert 0.0 <= seg.start <= seg.end <= result.duration + 0.05
    assert result.duration == pytest.approx(audio.duration)


def test_detects_japanese_and_translates_to_english(
    whisper: WhisperEngine, japanese_speech: Audio
) -> None:
    result = whisper.transcribe(japanese_speech, None)
    assert result.language == "ja"
    assert "天気" in result.text or "公園" in result.text
    english = whisper.transcribe(japanese_speech, None, translate=True)
    assert english.language == "ja"
    assert "park" in english.text.lower() or "weather" in english.text.lower()


def test_silence_gives_empty_transcript_and_other_rates_are_resampled(
    whisper: WhisperEngine,
) -> None:
    silence = Audio(samples=np.zeros(22_050 * 2, dtype=np.float32), sample_rate=22_050)
    result = whisper.transcribe(silence, "en")
    assert result.text == ""
    assert result.duration == pytest.approx(2.0, abs=0.01)


def test_unknown_language_is_refused(whisper: WhisperEngine) -> None:
    audio = Audio(samples=np.zeros(16_000, dtype=np.float32), sample_rate=16_000)
    with pytest.raises(UnsupportedLanguage) as info:
        whisper.transcribe(audio, "tlh")
    assert info.value.param == "language"
    assert "en" in info.value.details["supported"]


def test_english_only_engine_refuses_detection(engine_ctx: EngineContext) -> None:
    engine = WhisperEngine(WhisperSettings(model=None), engine_ctx)
    engine.load()
    audio = Audio(samples=np.zeros(16_000, dtype=np.float32), sample_rate=16_000)
    with pytest.raises(UnsupportedLanguage, match="English-only"):
        engine.transcribe(audio, None)
    engine.unload()
