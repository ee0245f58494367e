"""``POST /compat/imagedescriber/api/openapi-v2/describe-image``: multipart in, markdown out.

``data.content`` is markdown as the spec shows it: the description as a heading-free paragraph,
and the text read off the image as a list (``describer_markdown``). That text is the image
author's, so everything is escaped: it reaches the client's renderer as text, not markup. The
spec has no detail field, so words in the prompt ("Briefly", "in great detail") choose it.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from seesay.accounts.service import Principal
from seesay.api.deps import Services, key_dependencies
from seesay.api.idempotency import IdempotentRoute
from seesay.api.imagedescriber.errors import DESCRIBER_ERRORS
from seesay.api.imagedescriber.markdown import describer_markdown
from seesay.api.img2voice.body import Body, read_body
from seesay.errors import InvalidRequest
from seesay.media.images import sniff_format
from seesay.services.describe_contracts import DescribeRequest, detail_asked
from seesay.services.image_input import ImageInput

__all__ = ["LANGUAGES", "PREFIX", "router"]

PREFIX: Final = "/compat/imagedescriber"
LANGUAGES: Final = ("en", "zh", "de", "es", "fr", "ja", "ko", "fi", "nl", "pt", "tr", "ru")

DescriberKey = Annotated[Principal, Depends(key_dependencies().slot)]

router = APIRouter(
    prefix=PREFIX, tags=["Image Describer (compatible)"], route_class=IdempotentRoute
)


class DescribeData(BaseModel):
    content: str


class DescribeOut(BaseModel):
    code: Literal[200] = 200
    data: DescribeData
    succeed: Literal[True] = True
    msg: str = "Success"


_FORM: Final[dict[str, Any]] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["image", "prompt"],
                    "properties": {
                        "image": {
                            "description": "An http(s) URL, base64 data (a data URI prefix is "
                            "optional), or a file.",
                            "anyOf": [
                                {"type": "string"},
                                {"type": "string", "format": "binary"},
                            ],
                        },
                        "prompt": {"type": "string", "description": "Steers the description."},
                        "lang": {"type": "string", "enum": list(LANGUAGES), "default": "en"},
                    },
                }
            }
        },
    }
}


def _image(body: Body) -> ImageInput:
    upload = body.files.get("image")
    if upload is None:
        text = body.text("image")
        if not text or not text.strip():
            raise InvalidRequest("image is required: a URL, base64 data or a file", param="image")
        return ImageInput.from_text(text, param="image")
    if sniff_format(upload.data) is None and len(upload.data) <= 64 * 1024 * 1024:
        # The spec's Python example posts every field as a file part, the URL or base64 text
        # included; text that is not an image's bytes is read as such a string.
        try:
            text = upload.data.decode("ascii").strip()
        except UnicodeDecodeError:
            text = ""
        if text:
            return ImageInput.from_text(text, param="image")
    return ImageInput(data=upload.data, mime_type=upload.content_type, param="image")


def _request(body: Body) -> DescribeRequest:
    prompt = (body.text("prompt") or "").strip()
    if not prompt:
        raise InvalidRequest("prompt is required", param="prompt")
    lang = (body.text("lang") or "en").strip().lower()
    if lang not in LANGUAGES:
        raise InvalidRequest(f"lang must be one of {'/'.join(LANGUAGES)}", param="lang")
    # The spec has no detail field: "Briefly describe..." and "in great detail" steer it.
    detail = detail_asked(prompt, "standard")
    return DescribeRequest(image=_image(body), detail=detail, prompt=prompt, language=lang)


@router.post(
    "/api/openapi-v2/describe-image",
    response_model=DescribeOut,
    responses=DESCRIBER_ERRORS.describe,
    openapi_extra=_FORM,
    summary="Describe an image, steered by a prompt",
)
async def describe_image(
    request: Request, principal: DescriberKey, services: Services
) -> DescribeOut:
    body = await read_body(request, max_bytes=services.settings.limits.max_request_bytes)
    req = _request(body)
    result = await run_in_threadpool(services.describer.describe, principal, req)
    read_out = result.findings.get("read_out")
    lines = [str(x) for x in read_out] if isinstance(read_out, list) else []
    return DescribeOut(data=DescribeData(content=describer_markdown(result.text, lines)))
