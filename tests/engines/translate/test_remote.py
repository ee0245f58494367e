"""The remote translation engines: unit tests with ``httpx.MockTransport`` and integration
tests against real local server processes (tests/engines/*/..._test_server.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr

from engines.stt.servers import LIBRETRANSLATE_SERVER, OPENAI_SERVER, running_server
from seesay.engines.registry import EngineRegistry
from seesay.engines.translate import select
from seesay.engines.translate.libretranslate import LibreTranslateEngine, parse_languages
from seesay.engines.translate.openai_chat import OpenAITranslateEngine, system_prompt
from seesay.engines.translate.settings import LibreTranslateSettings, OpenAITranslateSettings
from seesay.errors import EngineTimeout, UnsupportedLanguage, UpstreamError

LANGS = [
    {"code": "en", "name": "English", "targets": ["es", "pb", "zt"]},
    {"code": "pb", "name": "Portuguese (Brazil)", "targets": ["en"]},
    {"code": "zt", "name": "Chinese (traditional)", "targets": ["en"]},
    {"code": "es", "name": "Spanish", "targets": ["en"]},
]


def test_parse_languages_maps_libretranslate_codes() -> None:
    pairs = parse_languages(LANGS)
    assert pairs[("en", "pt-BR")] == ("en", "pb")
    assert pairs[("zh-Hant", "en")] == ("zt", "en")
    assert ("en", "en") not in pairs
    with pytest.raises(UpstreamError):
        parse_languages({"not": "a list"})


def test_libretranslate_mock_sends_server_codes_and_key() -> None:
    seen: list[dict[str, object]] = []

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/lt/languages":
            return httpx.Response(200, json=LANGS)
        seen.append(json.loads(request.content))
        return httpx.Response(200, json={"translatedText": "O gato"})

    settings = LibreTranslateSettings(base_url="http://127.0.0.1:9/lt", api_key=SecretStr("k1"))
    engine = LibreTranslateEngine(settings, transport=httpx.MockTransport(handle))
    assert ("en", "pt-BR") in engine.pairs()
    result = engine.translate("The cat", "en-US", "pt")
    assert (result.text, result.target, result.engine) == ("O gato", "pt-BR", "libretranslate")
    assert seen == [
        {"q": "The cat", "source": "en", "target": "pb", "format": "text", "api_key": "k1"}
    ]
    assert "pt-BR" in engine.info.languages
    with pytest.raises(UnsupportedLanguage):
        engine.translate("x", "en", "ja")


def test_openai_chat_mock_prompt_and_answer() -> None:
    seen: list[dict[str, object]] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        message = {"role": "assistant", "content": "  Die Katze schläft.\n"}
        return httpx.Response(200, json={"choices": [{"index": 0, "message": message}]})

    settings = OpenAITranslateSettings(base_url="http://127.0.0.1:9/v1", model="m", max_tokens=50)
    engine = OpenAITranslateEngine(settings, transport=httpx.MockTransport(handle))
    assert engine.pairs() == frozenset()
    result = engine.translate("The cat sleeps.", "en", "de")
    assert (result.text, result.source, result.target) == ("Die Katze schläft.", "en", "de")
    body = seen[0]
    assert body["model"] == "m"
    assert body["temperature"] == 0.0
    assert body["max_tokens"] == 50
    assert body["messages"] == [  # type: ignore[comparison-overlap]
        {"role": "system", "content": system_prompt("en", "de")},
        {"role": "user", "content": "The cat sleeps."},
    ]
    assert "English (en) into German (de)" in system_prompt("en", "de")


@pytest.mark.parametrize(
    "answer",
    [{"choices": []}, {"choices": [{"message": {"content": "  "}}]}, {"error": "x"}],
)
def test_openai_chat_bad_answers_are_upstream_errors(answer: dict[str, object]) -> None:
    engine = OpenAITranslateEngine(
        OpenAITranslateSettings(base_url="http://127.0.0.1:9/v1"),
        transport=httpx.MockTransport(lambda r: httpx.Response(200, json=answer)),
    )
    with pytest.raises(UpstreamError):
        engine.translate("x", "en", "de")


# ---- against real local server processes ------------------------------------------------


@pytest.fixture(scope="module")
def libre() -> Iterator[str]:
    with running_server(LIBRETRANSLATE_SERVER, "--key", "lt-key") as url:
        yield url


@pytest.fixture(scope="module")
def openai_server() -> Iterator[str]:
    with running_server(OPENAI_SERVER) as url:
        yield url


@pytest.mark.slow
def test_libretranslate_server(libre: str) -> None:
    engine = LibreTranslateEngine(
        LibreTranslateSettings(base_url=libre, api_key=SecretStr("lt-key"), backoff=0)
    )
    engine.load()
    assert engine.pairs() == frozenset(
        {("en", "es"), ("en", "pt-BR"), ("es", "en"), ("pt-BR", "en")}
    )
    assert engine.translate("The cat sleeps.", "en", "es").text == "El gato duerme."
    assert engine.translate("The cat sleeps.", "en", "pt").text == "O gato dorme."
    with pytest.raises(UpstreamError) as info:
        engine.translate("please fail", "en", "es")
    assert "SECRET" not in info.value.message
    assert info.value.upstream_status == 500
    wrong = LibreTranslateEngine(LibreTranslateSettings(base_url=libre, api_key=SecretStr("no")))
    with pytest.raises(UpstreamError, match="credentials"):
        wrong.translate("The cat", "en", "es")
    engine.unload()


@pytest.mark.slow
def test_openai_chat_server_and_selection_chain(libre: str, openai_server: str) -> None:
    lt = LibreTranslateEngine(
        LibreTranslateSettings(base_url=libre, api_key=SecretStr("lt-key"), backoff=0)
    )
    llm = OpenAITranslateEngine(
        OpenAITranslateSettings(base_url=f"{openai_server}/v1", model="any", backoff=0)
    )
    registry = EngineRegistry([lt, llm])
    # LibreTranslate serves en>es; the chat model takes every other pair.
    assert select.translate(registry, "The cat", "en", "es").engine == "libretranslate"
    result = select.translate(registry, "The cat sleeps.", "en", "ja")
    assert result.engine == "openai-translate"
    assert result.text == "[Japanese] The cat sleeps."


@pytest.mark.slow
def test_selection_skips_an_unreachable_server() -> None:
    down = LibreTranslateEngine(
        LibreTranslateSettings(base_url="http://127.0.0.1:9", retries=0, timeout=2)
    )
    with pytest.raises(UnsupportedLanguage) as info:
        select.choose([down], "en", "es")
    assert info.value.details["supported"] == []


@pytest.mark.slow
def test_openai_chat_server_timeout(openai_server: str) -> None:
    slow = OpenAITranslateEngine(
        OpenAITranslateSettings(base_url=f"{openai_server}/v1", model="slow", timeout=0.5)
    )
    with pytest.raises(EngineTimeout):
        slow.translate("x", "en", "de")
