"""``Idempotency-Key`` support as a route class, for every POST that costs credits.

The same key and body replays the first response (with ``Idempotent-Replayed: true``) and
charges nothing; the same key while the first request runs answers 409; the same key with
another body answers 422. Keys are scoped to the presenting API key. Responses that did not
finish the work (errors raised, 401, 409, 429, 5xx) release the key so a retry runs anew.
Streamed responses are not stored: their key is released once they start.

The key is authenticated and the request counted against the rate limit before the store is
consulted, so a revoked key gets 401 (never a stored answer) and replays count like any
request; the route's own dependency then reuses that principal rather than count twice.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Header, Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from seesay.accounts.idempotency import StoredResponse, request_fingerprint
from seesay.accounts.keys import hash_key
from seesay.api.deps import authenticate, get_platform, presented_key

__all__ = ["IdempotencyKey", "IdempotentRoute"]

_RELEASE = frozenset({401, 409, 429})
# What a replay says again besides the body: an audio answer's fallback voice too.
_KEEP_HEADERS = ("content-type", "x-seesay-voice-fallback")
_KEY_HEADERS = ("x-api-key", "img2voice-api-key")

#: The ``Idempotency-Key`` header as a route parameter: the OpenAPI document lists it, and a
#: route that queues a job hands it on (a job is looked up by it).
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


class IdempotentRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def idempotent_handler(request: Request) -> Response:
            idem_key = request.headers.get("idempotency-key")
            secret = presented_key(request, *_KEY_HEADERS)
            if idem_key is None or request.method != "POST" or not secret:
                return await handler(request)
            platform = get_platform(request)
            await run_in_threadpool(authenticate, request, platform, secret)
            store = platform.idempotency
            body = await request.body()
            fingerprint = request_fingerprint(request.method, request.url.path, body)
            claim = await run_in_threadpool(store.begin, hash_key(secret), idem_key, fingerprint)
            if claim.replay is not None:
                replay = claim.replay
                headers = dict(replay.headers)
                headers["Idempotent-Replayed"] = "true"
                return Response(replay.body, status_code=replay.status, headers=headers)
            assert claim.record_id is not None
            try:
                response = await handler(request)
            except BaseException:
                await run_in_threadpool(store.abandon, claim.record_id)
                raise
            status = response.status_code
            if isinstance(response, StreamingResponse) or status >= 500 or status in _RELEASE:
                await run_in_threadpool(store.abandon, claim.record_id)
                return response
            headers = {k: v for k, v in response.headers.items() if k in _KEEP_HEADERS}
            stored = StoredResponse(status, headers, bytes(response.body))
            await run_in_threadpool(store.complete, claim.record_id, stored)
            return response

        return idempotent_handler
