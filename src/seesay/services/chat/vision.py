"""Chat completions answered by the local vision engine: "what is in this image?".

A request whose model is a SeeSay vision model id (``seesay-vision``: the default vision
engine; or a configured vision engine's own name) takes the last image in the user messages
(an ``image_url`` part holding a ``data:`` URL or an http(s) URL fetched by the guarded
fetcher) and the last user message's text as the prompt, and answers with the engine's
description as an OpenAI ``chat.completion``.

The image is decoded (caps, allow-list) before anything is charged; the price is one
``describe``; the inference is the registered call ``chat.describe`` with the image as a blob
id, so it runs on a worker in the distributed mode.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import time
from collections.abc import Mapping
from typing import Any, cast

from seesay.accounts.service import Principal
from seesay.engines.base import Task, VisionEngine
from seesay.errors import EngineUnavailable, InvalidImage, InvalidRequest
from seesay.jobs.contracts import Call, Contract
from seesay.jobs.handlers import Handlers
from seesay.media.fetch import Fetcher
from seesay.media.images import decode_image
from seesay.services.describe_contracts import detail_asked
from seesay.services.engine_service import EngineService, ServiceParts
from seesay.services.metering import Charge

__all__ = ["VISION_ALIAS", "LocalVisionChat"]

VISION_ALIAS = "seesay-vision"
MAX_PROMPT_CHARS = 4000


class ChatImage(Contract):
    """The input of ``chat.describe``: a stored image, the prompt and the vision engine (None:
    the default one, or the next that loads when it cannot)."""

    blob_id: str
    prompt: str | None = None
    engine: str | None = None


class ChatAnswer(Contract):
    text: str
    engine: str
    model: str | None = None


CHAT_DESCRIBE: Call[ChatImage, ChatAnswer] = Call("chat.describe", ChatImage, ChatAnswer)


class LocalVisionChat(EngineService):
    def __init__(self, parts: ServiceParts, fetcher: Fetcher) -> None:
        super().__init__(parts)
        self._fetcher = fetcher

    def register(self, handlers: Handlers) -> None:
        handlers.register_call(CHAT_DESCRIBE, self.run)

    def model_ids(self) -> dict[str, str]:
        """Model id -> vision engine name (empty when no vision engine is configured)."""
        names = self._engines.names(Task.VISION)
        if not names:
            return {}
        return {VISION_ALIAS: names[0], **{n: n for n in names}}

    def serves(self, model: str) -> bool:
        return model in self.model_ids()

    def complete(
        self, principal: Principal, body: Mapping[str, Any]
    ) -> tuple[dict[str, Any], Charge]:
        """Describe the request's image; the ``chat.completion`` and the settled charge."""
        model = str(body["model"])
        engine = None if model == VISION_ALIAS else self.model_ids()[model]
        data, mime = self._image(body["messages"])
        decode_image(data, declared_mime=mime)  # refuse a bad image before charging
        prompt = _prompt(body["messages"])
        blob_id = self._storage.put(data, content_type="application/octet-stream")
        try:
            with self._metering.charge(principal, "describe", 1) as charge:
                out = self._executor.call(
                    CHAT_DESCRIBE, ChatImage(blob_id=blob_id, prompt=prompt, engine=engine)
                )
        finally:
            self._storage.delete(blob_id)
        completion = {
            "id": "chatcmpl-" + secrets.token_hex(12),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": out.text},
                    "finish_reason": "stop",
                }
            ],
            "system_fingerprint": f"seesay-{out.engine}",
        }
        return completion, charge

    def run(self, spec: ChatImage) -> ChatAnswer:
        """``chat.describe``: decode the stored image and describe it."""
        image = decode_image(self._storage.get(spec.blob_id))
        detail = detail_asked(spec.prompt, "standard")
        # seesay-vision: the default engine, past one that cannot load (a broken pulled model).
        names = [spec.engine] if spec.engine else self._engines.names(Task.VISION)
        working = [n for n in names if self._engines.load_error(Task.VISION, n) is None]
        for name in working or names:
            try:
                with self._engines.lease(Task.VISION, name) as engine:
                    out = cast(VisionEngine, engine).describe(image, detail, spec.prompt, "en")
            except EngineUnavailable:
                if spec.engine or self._engines.load_error(Task.VISION, name) is None:
                    raise
                continue
            return ChatAnswer(text=out.text, engine=out.engine, model=out.model)
        raise EngineUnavailable("no vision engine could load")

    def _image(self, messages: list[Any]) -> tuple[bytes, str | None]:
        for message in reversed(messages):
            if message.get("role") != "user" or not isinstance(message.get("content"), list):
                continue
            for part in reversed(message["content"]):
                if isinstance(part, dict) and part.get("type") == "image_url":
                    ref = part.get("image_url")
                    url = ref.get("url") if isinstance(ref, dict) else ref
                    if not isinstance(url, str) or not url:
                        raise InvalidRequest("image_url.url is required", param="messages")
                    return self._load(url)
        raise InvalidRequest(
            "this vision model needs an image: send a user message with an image_url part",
            param="messages",
        )

    def _load(self, url: str) -> tuple[bytes, str | None]:
        if url.startswith("data:"):
            header, sep, encoded = url.partition(",")
            if not sep or ";base64" not in header:
                raise InvalidImage("image data URLs must be base64-encoded", param="messages")
            try:
                data = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise InvalidImage(
                    "the image data URL is not valid base64", param="messages"
                ) from exc
            mime = header[5:].split(";", 1)[0] or None
            return data, mime
        if not url.startswith(("http://", "https://")):
            raise InvalidRequest("image_url must be a data: or http(s) URL", param="messages")
        fetched = self._fetcher.fetch(url, param="messages")
        return fetched.content, fetched.content_type


def _prompt(messages: list[Any]) -> str | None:
    """The text of the last user message (None when it has none)."""
    for message in reversed(messages):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            text = content
        elif isinstance(content, list):
            text = " ".join(
                str(p.get("text", ""))
                for p in content
                if isinstance(p, dict) and p.get("type") == "text"
            )
        else:
            text = ""
        text = text.strip()
        return text[:MAX_PROMPT_CHARS] or None
    return None
