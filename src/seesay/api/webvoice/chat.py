"""WebVoice ``chat/completions/``, ``models/`` and ``chat/models/``: the OpenAI-compatible
bridge to the configured upstream providers, with the ``webvoice`` usage field (credits used
and remaining, provider) on the completion and on the final stream chunk.

The spec's request limits are checked here (``max_tokens`` 1-8000, default 2000;
``temperature`` 0-2, default 0.7; ``web_search`` not with ``tools``). ``web_search`` itself is
accepted and not forwarded: no configured provider offers the hosted service's search.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel

from seesay.accounts.plans import CREDIT
from seesay.api.deps import Services
from seesay.api.webvoice.deps import PREFIX, WebVoiceInference, WebVoiceKey
from seesay.api.webvoice.errors import WEBVOICE_ERRORS
from seesay.api.wire_text import WireJson
from seesay.errors import InvalidRequest, NotFound
from seesay.services.chat_bridge import ChatModelInfo, ChatUsage

__all__ = ["router"]

router = APIRouter(prefix=PREFIX, tags=["webvoice"])

CREATED = 1700000000  # the models' "created": the spec's listing uses a fixed epoch too
MAX_TOKENS, DEFAULT_MAX_TOKENS, DEFAULT_TEMPERATURE = 8000, 2000, 0.7


class ModelOut(BaseModel):
    id: str
    object: str = "model"
    created: int = CREATED
    owned_by: str


class ModelList(BaseModel):
    object: str = "list"
    data: list[ModelOut]


class ChatModelOut(ModelOut):
    display_name: str
    provider: str
    credits_per_request: float
    free: bool


class ChatModelList(BaseModel):
    success: bool = True
    object: str = "list"
    data: list[ChatModelOut]


def _webvoice(usage: ChatUsage) -> dict[str, Any]:
    return {
        "webvoice": {
            "credits_used": usage.credits_used / CREDIT,
            "credits_remaining": usage.credits_remaining / CREDIT,
            "provider": usage.provider,
        }
    }


def _number(body: Mapping[str, Any], name: str) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidRequest(f"{name} must be a number", param=name)
    return float(value)


def _spec_body(body: dict[str, Any]) -> dict[str, Any]:
    out = dict(body)
    max_tokens = _number(out, "max_tokens")
    if max_tokens is None:
        out["max_tokens"] = DEFAULT_MAX_TOKENS
    elif max_tokens != int(max_tokens) or not 1 <= max_tokens <= MAX_TOKENS:
        raise InvalidRequest(f"max_tokens must be an integer 1-{MAX_TOKENS}", param="max_tokens")
    temperature = _number(out, "temperature")
    if temperature is None:
        out["temperature"] = DEFAULT_TEMPERATURE
    elif not 0 <= temperature <= 2:
        raise InvalidRequest("temperature must be between 0 and 2", param="temperature")
    if out.get("web_search") and out.get("tools"):
        raise InvalidRequest("web_search and tools cannot be combined", param="web_search")
    return out


@router.post(
    "/chat/completions/",
    responses=WEBVOICE_ERRORS.metered
    | {200: {"description": "A chat.completion, or an SSE stream of chunks with stream: true"}},
)
def chat_completions(
    body: Annotated[
        dict[str, Any], WireJson, Body(description="An OpenAI chat.completions request.")
    ],
    principal: WebVoiceInference,
    services: Services,
) -> Any:
    """A completion within the plan's concurrency limit, as on the OpenAI surface (a local
    vision model runs the describer here)."""
    request = _spec_body(body)
    try:
        if request.get("stream") is True:
            stream = services.chat.stream(principal, request, final_extra=_webvoice)
            return StreamingResponse(
                stream,
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        done = services.chat.complete(principal, request)
    except NotFound as exc:
        # The spec's table has no 404: an unknown model is an invalid parameter.
        raise InvalidRequest(exc.message, param=exc.param or "model") from None
    return JSONResponse({**done.body, **_webvoice(done.usage)})


def _listed(services: Services) -> list[ChatModelInfo]:
    return services.chat.models()


@router.get("/models/", response_model=ModelList, responses=WEBVOICE_ERRORS.authed)
def models(_principal: WebVoiceKey, services: Services) -> ModelList:
    return ModelList(data=[ModelOut(id=m.id, owned_by=m.owned_by) for m in _listed(services)])


@router.get("/chat/models/", response_model=ChatModelList, responses=WEBVOICE_ERRORS.authed)
def chat_models(_principal: WebVoiceKey, services: Services) -> ChatModelList:
    return ChatModelList(
        data=[
            ChatModelOut(
                id=m.id,
                owned_by=m.owned_by,
                display_name=m.display_name,
                provider=m.owned_by,
                credits_per_request=m.credits_per_request,
                free=m.free,
            )
            for m in _listed(services)
        ]
    )
