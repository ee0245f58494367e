"""``POST /v1/chat/completions``: the upstream bridge, or the local vision engine for a
SeeSay vision model (see ``seesay.services.chat_bridge``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.background import BackgroundTask

from seesay.api.deps import Services
from seesay.api.idempotency import IdempotentRoute
from seesay.api.openai.deps import OpenAIInferenceKey
from seesay.api.openai.errors import OPENAI_ERRORS
from seesay.api.wire_text import WireJson

__all__ = ["router"]

router = APIRouter(prefix="/v1/chat", tags=["openai"], route_class=IdempotentRoute)


class ChatIn(BaseModel):
    """OpenAI's chat.completions body; other OpenAI fields are accepted and passed on."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(description="A model id from GET /v1/models.")
    messages: Annotated[list[dict[str, Any]], WireJson]
    stream: bool = False
    tools: list[dict[str, Any]] | None = None
    tool_choice: str | dict[str, Any] | None = None
    provider: str | None = Field(None, description="When several providers serve the model.")


@router.post(
    "/completions",
    responses=OPENAI_ERRORS.with_ok(
        "A chat.completion, or an SSE stream of chunks with stream: true",
        "application/json",
        "text/event-stream",
    ),
)
def create_chat_completion(
    body: ChatIn, principal: OpenAIInferenceKey, services: Services
) -> Response:
    data = {k: v for k, v in body.model_dump().items() if v is not None}
    if body.stream:
        stream = services.chat.stream(principal, data)
        return StreamingResponse(
            stream,
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            background=BackgroundTask(stream.close),
        )
    return JSONResponse(services.chat.complete(principal, data).body)
