"""Which pairs the argos engine offers, from the Argos packages installed in a models folder
(their ``metadata.json``; translating with real packages is tested in tests/models): pulled
pairs, pairs through English, Argos's own codes as BCP-47 tags, and no pair at all never
mistaken for an engine that serves any pair."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seesay.engines.base import TranslateEngine
from seesay.engines.translate.argos import ArgosEngine
from seesay.engines.translate.fast import FastTranslateEngine
from seesay.engines.translate.select import choose
from seesay.engines.translate.settings import ArgosSettings
from seesay.errors import EngineUnavailable, UnsupportedLanguage
from seesay.models.store import ModelStore, new_manifest


def install(models: Path, source: str, target: str) -> None:
    """An Argos pair as the store activates it (its files are not read here)."""
    store = ModelStore(models)
    folder = store.staging_dir()
    (folder / "package").mkdir()
    meta = {"from_code": source, "to_code": target, "package_version": "1.0"}
    (folder / "package" / "metadata.json").write_text(json.dumps(meta))
    store.activate(folder, new_manifest(f"argos:{source}-{target}", {"kind": "argos"}, []))


def test_pulled_pairs_and_pairs_through_english(tmp_path: Path) -> None:
    models = tmp_path / "models"
    engine = ArgosEngine(ArgosSettings(), ModelStore(models))
    with pytest.raises(EngineUnavailable, match="seesay models pull argos:"):
        engine.pairs()
    assert engine.info.languages == ()

    for source, target in (("es", "en"), ("en", "fr"), ("en", "pb"), ("zt", "en")):
        install(models, source, target)
    pairs = engine.pairs()  # surveyed again: the folder changed
    assert {("es", "en"), ("en", "fr"), ("en", "pt-BR"), ("zh-Hant", "en")} <= pairs
    assert {("es", "fr"), ("es", "pt-BR"), ("zh-Hant", "fr")} <= pairs  # through English
    assert ("fr", "es") not in pairs  # no fr->en pulled
    assert ("es", "es") not in pairs
    assert "es>fr" in engine.info.extra["pivot"]
    assert "es>en" not in engine.info.extra["pivot"]


def test_no_pair_pulled_is_not_any_pair(tmp_path: Path) -> None:
    argos = ArgosEngine(ArgosSettings(), ModelStore(tmp_path / "models"))
    engines: list[TranslateEngine] = [FastTranslateEngine(), argos]
    with pytest.raises(UnsupportedLanguage):
        choose(engines, "es", "fr")
    install(tmp_path / "models", "es", "en")
    install(tmp_path / "models", "en", "fr")
    assert choose(engines, "es", "fr").info.name == "argos"
    assert choose(engines, "en", "pt-BR").info.name == FastTranslateEngine().info.name


class _EchoSentencePiece:
    """A stand-in tokenizer: each sentence is one token, decoded as it is."""

    def encode(self, sentences: list[str], out_type: type) -> list[list[str]]:
        return [[s] for s in sentences]

    def decode(self, tokens: list[str]) -> str:
        return "".join(tokens)


class _BracketingTranslator:
    """A stand-in model that "translates" a sentence by bracketing it, so the test sees where
    the engine cut the text and how it joined the sentences back."""

    def translate_batch(self, batch: list[list[str]], **_: object) -> list[object]:
        from types import SimpleNamespace

        return [SimpleNamespace(hypotheses=[[f"[{tokens[0]}]"]]) for tokens in batch]


def test_chinese_and_japanese_sentences_are_cut_and_joined_without_spaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from seesay.engines.translate import argos

    models = tmp_path / "models"
    for source, target in (("zh", "en"), ("en", "ja")):
        install(models, source, target)
    engine = ArgosEngine(ArgosSettings(), ModelStore(models))
    fake = argos._Loaded(_BracketingTranslator(), _EchoSentencePiece())  # type: ignore[arg-type]
    monkeypatch.setattr(engine, "_open", lambda pair: fake)
    # No space follows a full-width stop: each sentence is still translated on its own.
    assert engine.translate("你好。我很好！", "zh", "en").text == "[你好。] [我很好！]"
    # Into Japanese, the sentences are joined as Japanese writes them, with no space.
    assert engine.translate("Hello. I am fine.", "en", "ja").text == "[Hello.][I am fine.]"
