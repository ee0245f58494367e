"""WebVoice ``image/``, ``image-to-image/``, ``image-to-video/``, ``text-to-video/``:
forwarded to the configured upstream providers (503 naming the setting when none is).

Bodies are JSON, or multipart for the two image-input routes (file fields ``image`` /
``images`` become base64 strings in the forwarded JSON, as the spec allows either)."""

from __future__ import annotations

import base64
import json
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict
from starlette.datastructures import UploadFile

from seesay.api.deps import Services
from seesay.api.idempotency import IdempotentRoute
from seesay.api.webvoice.deps import PREFIX, WebVoiceInference
from seesay.api.webvoice.errors import WEBVOICE_ERRORS
from seesay.errors import InvalidRequest

__all__ = ["router"]

router = APIRouter(prefix=PREFIX, tags=["webvoice"], route_class=IdempotentRoute)

_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "multipart/form-data": {"schema": {"type": "object"}},
        },
    }
}


class MediaOut(BaseModel):
    """The provider's answer (``image``/``images`` or ``video`` as base64, and its own
    fields) with SeeSay's ``success``, ``credits_used`` and ``credits_remaining``."""

    model_config = ConfigDict(extra="allow")
    success: bool = True
    credits_used: float
    credits_remaining: float


_FORM_INTS = ("duration", "seed", "num_images", "width", "height")


async def _body(request: Request) -> dict[str, Any]:
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        form = await request.form()
        body: dict[str, Any] = {}
        images: list[str] = []
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                encoded = base64.b64encode(await value.read()).decode("ascii")
                if name == "images":
                    images.append(encoded)
                else:
                    body[name] = encoded
            elif name in _FORM_INTS and value.strip().lstrip("-").isdigit():
                body[name] = int(value)
            elif value.lower() in ("true", "false"):
                body[name] = value.lower() == "true"
            else:
                body[name] = value
        if images:
            body["images"] = images
        return body
    try:
        parsed = json.loads(await request.body() or b"null")
    except ValueError:
        raise InvalidRequest("The request body is not valid JSON.") from None
    if not isinstance(parsed, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    return parsed


def _route(path: str, summary: str) -> None:
    async def forward(
        request: Request, principal: WebVoiceInference, services: Services
    ) -> dict[str, Any]:
        from starlette.concurrency import run_in_threadpool

        body = await _body(request)
        return await run_in_threadpool(services.webvoice.media.generate, principal, path, body)

    router.add_api_route(
        f"/{path}/",
        forward,
        methods=["POST"],
        response_model=MediaOut,
        responses=WEBVOICE_ERRORS.metered,
        summary=summary,
        openapi_extra=_BODY_DOC,
        name=f"webvoice_{path.replace('-', '_')}",
    )


for _path, _summary in (
    ("image", "Text to image (forwarded to the configured provider)"),
    ("image-to-image", "Edit 1-4 images (forwarded to the configured provider)"),
    ("image-to-video", "Image to video (forwarded to the configured provider)"),
    ("text-to-video", "Text to video (forwarded to the configured provider)"),
):
    _route(_path, _summary)
