"""Reading a request body that may be JSON or a multipart form, as the image surfaces allow.

FastAPI's declarative form parsing is not used here because the compatible clients send
shapes it cannot declare: img2voice takes JSON *or* multipart on one route, and the Image
Describer's Python example posts every field (even ``prompt``) as a file part, while its curl
example sends a base64 image as a plain field that may exceed Starlette's 1 MB field limit.
Bodies over the server's cap are refused by the ``BodySizeLimit`` middleware while streaming.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final

from fastapi import Request
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from seesay.api.wire_text import wire_text_problem
from seesay.errors import InvalidRequest

__all__ = ["Body", "Upload", "inline_schema", "read_body"]

_MAX_FIELDS: Final = 50
_MAX_FIELD_TEXT: Final = 64 * 1024  # a text field read out of a file part (prompt, lang...)
# No request of these surfaces nests deeper than a few levels (a batch's items hold objects);
# past this a body is refused before anything walks it recursively.
_MAX_JSON_DEPTH: Final = 32


@dataclass(frozen=True, slots=True)
class Upload:
    data: bytes
    filename: str | None
    content_type: str | None


@dataclass(frozen=True, slots=True)
class Body:
    """Parsed fields (JSON values, or form text) and uploaded files by field name."""

    fields: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)
    is_json: bool = False

    def text(self, name: str) -> str | None:
        """A field as text, also when a client sent it as a small file part."""
        value = self.fields.get(name)
        if value is None and name in self.files:
            data = self.files[name].data
            if len(data) > _MAX_FIELD_TEXT:
                raise InvalidRequest(f"{name} is too long", param=name)
            try:
                value = data.decode("utf-8")
            except UnicodeDecodeError:
                raise InvalidRequest(f"{name} must be text", param=name) from None
        if value is None:
            return None
        if not isinstance(value, str):
            raise InvalidRequest(f"{name} must be a string", param=name)
        problem = wire_text_problem(value)
        if problem is not None:
            raise InvalidRequest(f"{name} {problem}", param=name)
        return value


def _json_depth_exceeds(value: Any, limit: int) -> bool:
    """Whether ``value`` nests lists/objects more than ``limit`` deep (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return False


async def read_body(request: Request, *, max_bytes: int) -> Body:
    """The body as fields and files; JSON unless the content type says form."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form(
            max_files=_MAX_FIELDS, max_fields=_MAX_FIELDS, max_part_size=max_bytes
        )
        fields: dict[str, Any] = {}
        files: dict[str, Upload] = {}
        try:
            for name, value in form.multi_items():
                if isinstance(value, UploadFile):
                    files[name] = Upload(await value.read(), value.filename, value.content_type)
                else:
                    fields[name] = value
        finally:
            await form.close()
        return Body(fields, files)
    raw = await request.body()
    if not raw.strip():
        raise InvalidRequest("the request body is empty; send JSON or a multipart form")
    too_deep = InvalidRequest(f"the request body nests deeper than {_MAX_JSON_DEPTH} levels")
    try:
        parsed = json.loads(raw)
    except RecursionError:
        # The C decoder recurses per level; ~1000 levels exhaust the interpreter's stack.
        raise too_deep from None
    except (ValueError, UnicodeDecodeError):
        raise InvalidRequest("the request body is not valid JSON") from None
    if not isinstance(parsed, dict):
        raise InvalidRequest("the request body must be a JSON object")
    if _json_depth_exceeds(parsed, _MAX_JSON_DEPTH):
        raise too_deep
    return Body(parsed, {}, is_json=True)


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """``model``'s JSON schema with its ``$defs`` inlined, for ``openapi_extra`` request bodies
    (a local ``#/$defs/...`` reference would point at the OpenAPI document's root)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved
