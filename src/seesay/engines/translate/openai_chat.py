"""Translation by a remote OpenAI-compatible chat model prompted to translate.

Serves any pair (``pairs()`` is empty): the model is told the source and target languages by
name and tag and asked for the translation only. Works with OpenAI, Ollama, vLLM, llama.cpp
server, OpenRouter and the like through ``POST {base_url}/chat/completions``.
"""

from __future__ import annotations

from typing import Any

import httpx

from seesay.engines import languages
from seesay.engines.base import Task, Translation
from seesay.engines.translate.settings import OpenAITranslateSettings
from seesay.engines.upstream import RemoteEngine, remote_info
from seesay.errors import UpstreamError

__all__ = ["OpenAITranslateEngine", "system_prompt"]


def system_prompt(source: str, target: str) -> str:
    """The instruction sent as the system message for one (source, target) pair."""
    return (
        "You are a professional translation engine. Translate the user's text from "
        f"{languages.display_name(source)} ({source}) into {languages.display_name(target)} "
        f"({target}). Reply with the translation only: no quotes, notes or explanations. "
        "Keep line breaks, numbers, names, URLs and formatting as they are."
    )


class OpenAITranslateEngine(RemoteEngine):
    """The ``TranslateEngine`` over an OpenAI-compatible chat API; thread-safe."""

    def __init__(
        self, settings: OpenAITranslateSettings, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        super().__init__(settings, provider="the translation model", transport=transport)
        self._settings = settings
        self._info = remote_info(
            settings.name,
            Task.TRANSLATE,
            settings.model,
            description=f"Chat model {settings.model} at {settings.base_url} told to translate",
        )

    def pairs(self) -> frozenset[tuple[str, str]]:
        return frozenset()  # any pair: the model decides what it can do

    def translate(self, text: str, source: str, target: str) -> Translation:
        src, tgt = languages.normalize(source), languages.normalize(target)
        client = self.upstream()
        payload: dict[str, Any] = {
            "model": self._settings.model,
            "temperature": self._settings.temperature,
            "messages": [
                {"role": "system", "content": system_prompt(src, tgt)},
                {"role": "user", "content": text},
            ],
        }
        if self._settings.max_tokens is not None:
            payload["max_tokens"] = self._settings.max_tokens
        body = client.json(client.request("POST", "chat/completions", json=payload))
        try:
            content = body["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as exc:
            raise UpstreamError("the translation model answered without a message") from exc
        if not isinstance(content, str) or not content.strip():
            raise UpstreamError("the translation model answered with an empty message")
        return Translation(text=content.strip(), source=src, target=tgt, engine=self._info.name)
