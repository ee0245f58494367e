"""A vision engine backed by any OpenAI-compatible ``/chat/completions`` endpoint with image input.

Works with Ollama, vLLM, llama.cpp server, OpenAI, xAI and OpenRouter: the image goes as a
base64 JPEG data URL in an ``image_url`` content part. Retries, backoff, ``Retry-After`` and the
mapping of failures to :class:`UpstreamError` / :class:`EngineTimeout` (never copying the
upstream's body into a message: it can echo prompts, keys or internal details) are
``seesay.engines.upstream.UpstreamClient``'s. The endpoint is reached directly, never through
a proxy named in the environment (the default is a model server on this machine).
"""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Callable
from typing import Any

import httpx
from PIL import Image

from seesay.engines.base import Description, Detail, Task
from seesay.engines.upstream import RemoteEngine, UpstreamClient, remote_info
from seesay.engines.vision.prompts import SYSTEM_PROMPT, instruction
from seesay.engines.vision.settings import RemoteVisionSettings
from seesay.errors import EngineError, UnsupportedLanguage, UpstreamError

__all__ = ["RemoteVisionEngine"]


def _data_url(image: Image.Image, max_side: int) -> str:
    image = image.convert("RGB")
    if max(image.size) > max_side:
        image = image.copy()
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=90)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


class RemoteVisionEngine(RemoteEngine):
    """Thread-safe: one pooled ``UpstreamClient`` shared by all requests."""

    def __init__(
        self,
        settings: RemoteVisionSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(settings, provider="the vision provider", transport=transport)
        self._s = settings
        self._sleep = sleep
        self._info = remote_info(
            settings.name,
            Task.VISION,
            settings.model,
            languages=tuple(settings.languages),
            formats=("jpeg", "png", "webp", "bmp", "tiff", "gif"),
            description=f"OpenAI-compatible vision chat model {settings.model} at a remote URL",
        )

    def _connect(self) -> UpstreamClient:
        return UpstreamClient(
            self._s,
            provider=self._provider,
            transport=self._transport,
            sleep=self._sleep,
            trust_env=False,  # the operator's URL, not whatever proxy the env names
        )

    def describe(
        self, image: Any, detail: Detail, prompt: str | None, language: str
    ) -> Description:
        if self._s.languages and language.split("-")[0] not in {
            tag.split("-")[0] for tag in self._s.languages
        }:
            raise UnsupportedLanguage(
                f"{self._s.name} is configured for {', '.join(self._s.languages)} only",
                details={"supported": list(self._s.languages)},
            )
        if not isinstance(image, Image.Image):
            raise EngineError("describe() needs a decoded PIL image")
        body = {
            "model": self._s.model,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": instruction(detail, prompt, language)},
                        {
                            "type": "image_url",
                            "image_url": {"url": _data_url(image, self._s.max_image_side)},
                        },
                    ],
                },
            ],
            "max_tokens": self._s.max_tokens,
            "temperature": self._s.temperature,
            "stream": False,
        }
        client = self.upstream()
        data = client.json(client.request("POST", "chat/completions", json=body))
        if not isinstance(data, dict):
            raise UpstreamError("the vision provider sent a malformed answer")
        try:
            choice = data["choices"][0]
            text = choice["message"]["content"]
            if isinstance(text, list):  # some servers answer with content parts
                text = "".join(p.get("text", "") for p in text if isinstance(p, dict))
        except (KeyError, IndexError, TypeError) as exc:
            raise UpstreamError("the vision provider sent a malformed answer") from exc
        if not isinstance(text, str) or not text.strip():
            raise UpstreamError("the vision provider sent an empty answer")
        findings: dict[str, Any] = {"finish_reason": choice.get("finish_reason")}
        if isinstance(data.get("usage"), dict):
            findings["usage"] = data["usage"]
        return Description(
            text=text.strip(),
            language=language,
            engine=self._s.name,
            model=str(data.get("model") or self._s.model),
            findings=findings,
        )
