"""Choosing a translation engine for a pair. Engines here are test doubles named Fake*;
the real engines are exercised in test_offline.py and test_remote.py."""

from __future__ import annotations

import pytest

from seesay.engines.base import EngineInfo, Task, Translation
from seesay.engines.registry import EngineRegistry
from seesay.engines.translate import select
from seesay.errors import UnsupportedLanguage, UpstreamError


class FakeTranslator:
    def __init__(self, name: str, pairs: set[tuple[str, str]], broken: bool = False) -> None:
        self._pairs = frozenset(pairs)
        self._broken = broken
        self.loads = 0
        self.calls: list[tuple[str, str, str]] = []
        self._info = EngineInfo(name=name, task=Task.TRANSLATE, model=name, licence="-", local=True)

    @property
    def info(self) -> EngineInfo:
        return self._info

    def load(self) -> None:
        self.loads += 1

    def unload(self) -> None:
        pass

    def pairs(self) -> frozenset[tuple[str, str]]:
        if self._broken:
            raise UpstreamError("down")
        return self._pairs

    def translate(self, text: str, source: str, target: str) -> Translation:
        self.calls.append((text, source, target))
        return Translation(
            text=f"<{target}>{text}", source=source, target=target, engine=self._info.name
        )


FAST = FakeTranslator("fast", {("en", "pt-BR"), ("pt", "en")})
APERTIUM = FakeTranslator("apertium", {("en", "es"), ("es", "en")})
ANY = FakeTranslator("llm", set())
DOWN = FakeTranslator("libre", {("en", "de")}, broken=True)


def test_first_engine_serving_the_pair_wins() -> None:
    assert select.choose([FAST, APERTIUM, ANY], "en-US", "pt") is FAST
    assert select.choose([FAST, APERTIUM, ANY], "en", "es") is APERTIUM
    assert select.choose([FAST, APERTIUM, ANY], "de", "ja") is ANY
    assert select.choose([FAST], "pt-PT", "en-GB") is FAST


def test_unserved_pair_lists_what_is_served() -> None:
    with pytest.raises(UnsupportedLanguage) as info:
        select.choose([FAST, APERTIUM, DOWN], "en", "pt-PT")
    err = info.value
    assert err.param == "language"
    assert "en to pt-PT" in err.message
    assert "en>pt-BR" in err.message
    assert "es>en" in err.message
    assert err.details["supported"] == ["en>pt-BR", "pt>en", "en>es", "es>en"]


def test_no_engines_at_all() -> None:
    with pytest.raises(UnsupportedLanguage, match="no translation engine is configured"):
        select.choose([], "en", "pt")


def test_registry_translate_same_language_is_a_no_op_and_loads_nothing() -> None:
    fast = FakeTranslator("fast", {("en", "pt-BR"), ("pt", "en")})
    registry = EngineRegistry([fast])
    result = select.translate(registry, "Hello there", "en-US", "en")
    assert (result.text, result.engine) == ("Hello there", select.NO_ENGINE)
    assert fast.loads == 0


def test_registry_translate_loads_the_chosen_engine_and_detects_source() -> None:
    fast = FakeTranslator("fast", {("en", "pt-BR"), ("pt", "en")})
    other = FakeTranslator("apertium", {("en", "es"), ("es", "en")})
    registry = EngineRegistry([fast, other])
    chosen: list[str] = []
    result = select.translate(
        registry, "The cat sleeps on the red chair.", "auto", "es", on_chosen=chosen.append
    )
    assert result.text == "<es>The cat sleeps on the red chair."
    assert chosen == ["apertium"]
    assert (fast.loads, other.loads) == (0, 1)
    assert other.calls == [("The cat sleeps on the red chair.", "en", "es")]


def test_undetectable_source_is_refused() -> None:
    registry = EngineRegistry([FakeTranslator("fast", {("en", "pt-BR"), ("pt", "en")})])
    with pytest.raises(UnsupportedLanguage) as info:
        select.translate(registry, "12345 !!!", None, "pt")
    assert info.value.param == "source"
