"""Signed file downloads: ``GET /files/{id}?expires=...&sig=...`` needs no API key.

The id is checked against the blob-id pattern before anything else, so no request path can
name a file outside the store; a bad or expired signature is 403.
"""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from seesay.api.deps import Services
from seesay.api.native.errors import NATIVE_ERRORS

__all__ = ["router"]

router = APIRouter(tags=["files"])


@router.head("/files/{blob_id}", include_in_schema=False)
@router.get(
    "/files/{blob_id}",
    response_class=Response,
    responses={
        200: {"content": {"audio/mpeg": {}, "application/octet-stream": {}}},
        **NATIVE_ERRORS.file,
    },
)
async def get_file(
    blob_id: str,
    services: Services,
    expires: str = Query("", description="Expiry, unix seconds."),
    sig: str = Query("", description="Signature."),
) -> Response:
    services.signer.verify(blob_id, expires, sig)
    meta = await run_in_threadpool(services.storage.stat, blob_id)
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Content-Length": str(meta.size),
        "Cache-Control": "private, max-age=3600",
        "Content-Disposition": f'inline; filename="{blob_id}"',
    }
    chunks = await run_in_threadpool(services.storage.open, blob_id)
    return StreamingResponse(chunks, media_type=meta.content_type, headers=headers)
