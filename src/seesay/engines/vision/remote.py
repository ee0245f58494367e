"""A vision engine backed by any OpenAI-compatible ``/chat/completions`` endpoint with image input.

Works with Ollama, vLLM, llama.cpp server, OpenAI, xAI and OpenRouter: the image goes as a
base64 JPEG data URL in an ``image_url`` content part. Retries with exponential backoff on 429,
5xx and connection errors (``Retry-After`` honoured up to a cap). Upstream failures become
:class:`UpstreamError` / :class:`EngineTimeout`; upstream bodies are never copied into messages
(they can echo prompts, keys or internal details), only the status code is.
"""

from __future__ import annotations

import base64
import email.utils
import io
import threading
import time
from collections.abc import Callable
from typing import Any, Final

import httpx
from PIL import Image

from seesay.engines.base import Description, Detail, EngineInfo, Task
from seesay.engines.vision.prompts import SYSTEM_PROMPT, instruction
from seesay.engines.vision.settings import RemoteVisionSettings
from seesay.errors import EngineError, EngineTimeout, UnsupportedLanguage, UpstreamError

__all__ = ["RemoteVisionEngine"]

_RETRY_STATUS: Final = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time()) if when else None


def _data_url(image: Image.Image, max_side: int) -> str:
    image = image.convert("RGB")
    if max(image.size) > max_side:
        image = image.copy()
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=90)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


class RemoteVisionEngine:
    """Thread-safe: one pooled ``httpx.Client`` shared by all requests."""

    def __init__(
        self,
        settings: RemoteVisionSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._s = settings
        self._transport = transport  # the unit-test seam (httpx.MockTransport)
        self._sleep = sleep
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()
        self._info = EngineInfo(
            name=settings.name,
            task=Task.VISION,
            model=settings.model,
            licence="see the upstream provider's terms",
            local=False,
            languages=tuple(settings.languages),
            formats=("jpeg", "png", "webp", "bmp", "tiff", "gif"),
            description=f"OpenAI-compatible vision chat model {settings.model} at a remote URL",
        )

    @property
    def info(self) -> EngineInfo:
        return self._info

    def load(self) -> None:
        with self._lock:
            if self._client is not None:
                return
            headers = {"Accept": "application/json"}
            if self._s.api_key is not None:
                headers["Authorization"] = f"Bearer {self._s.api_key.get_secret_value()}"
            self._client = httpx.Client(
                base_url=self._s.base_url.rstrip("/") + "/",
                headers=headers,
                timeout=httpx.Timeout(self._s.timeout, connect=min(10.0, self._s.timeout)),
                transport=self._transport,
                trust_env=False,  # the operator's URL, not whatever proxy the env names
                follow_redirects=False,
            )

    def unload(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

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
        data = self._post(body)
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

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        client = self._client
        if client is None:
            self.load()
            client = self._client
        assert client is not None
        attempts = self._s.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            delay = self._s.backoff * (2**attempt)
            try:
                response = client.post("chat/completions", json=body)
            except httpx.TimeoutException as exc:
                if last:
                    raise EngineTimeout(
                        f"the vision provider did not answer within {self._s.timeout:g} s"
                    ) from exc
            except httpx.TransportError as exc:
                if last:
                    raise UpstreamError("could not reach the vision provider") from exc
            else:
                if response.status_code == 200:
                    try:
                        payload = response.json()
                    except ValueError as exc:
                        raise UpstreamError("the vision provider sent invalid JSON") from exc
                    if not isinstance(payload, dict):
                        raise UpstreamError("the vision provider sent a malformed answer")
                    return payload
                status = response.status_code
                hinted = _retry_after(response)
                if status not in _RETRY_STATUS or last:
                    raise UpstreamError(
                        f"the vision provider answered HTTP {status}",
                        upstream_status=status,
                        retry_after=round(hinted) if hinted is not None else None,
                    )
                if hinted is not None:
                    delay = min(hinted, self._s.max_retry_after)
            self._sleep(delay)
        raise AssertionError("unreachable")  # the loop returns or raises on its last attempt
