"""The OpenAI-compatible chat bridge: route a ``chat.completions`` request to an upstream
provider of the table in settings, or answer an image from the local vision engine.

Surfaces call :meth:`ChatBridge.complete` (non-streaming) or :meth:`ChatBridge.stream` (SSE)
with the client's JSON body and render the result; both return usage (credits, provider) so a
surface can add its own field (WebVoice's ``webvoice``). Contract:

- routing: by ``model`` and the optional ``provider`` (argument or body field); see
  ``services.chat.routing``. A SeeSay vision model id (``seesay-vision`` = the default vision
  engine, or a vision engine's name) answers locally from the last image in the messages,
  with the last user text as the prompt, priced as one ``describe``;
- what goes upstream: an allow-list of chat.completions fields (``tools`` and ``tool_choice``
  included) with ``model`` replaced by the provider's id, sent with the provider's own key.
  The caller's key and headers never leave this process;
- billing: the model's ``credits_per_request`` (or the ``chat`` price) is reserved before the
  upstream call and settled once the request completed (for a stream: once the upstream sent
  its final chunk or ``[DONE]``); an upstream failure, a broken stream or a client that goes
  away refunds it. Free models cost 0 and are limited per account (20/min, 50/day, 1000/day
  after a purchase) with ``RateLimited`` (429 + Retry-After). What one key spends on chat
  (local vision included) is capped per UTC day (``chat.key_daily_spend_cap``, 429 too);
- upstream failures are sanitized ``UpstreamError`` / ``EngineTimeout`` (see
  ``services.chat.upstream``); an upstream 429 keeps its Retry-After;
- responses echo the model id as the client named it.

Streams are iterators of SSE byte strings (``data: {...}\\n\\n``) ending with
``data: [DONE]``. Content chunks pass through as they arrive; the finishing chunk is held
until the upstream is done so it can carry the surface's final fields after settlement. A
failure after the first byte ends the stream with an ``{"error": {...}}`` event instead.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from seesay.accounts.plans import CREDIT
from seesay.accounts.service import Principal
from seesay.errors import EngineTimeout, InvalidRequest, SeeSayError, UpstreamError
from seesay.services.chat.limits import FreeModelLimiter, KeySpendCap
from seesay.services.chat.routing import ProviderTable, Route
from seesay.services.chat.upstream import ChatUpstream, sse_events
from seesay.services.chat.vision import LocalVisionChat
from seesay.services.metering import Charge, Metering
from seesay.tracing import Tracing

__all__ = [
    "FORWARDED_FIELDS",
    "ChatBridge",
    "ChatCompletion",
    "ChatModelInfo",
    "ChatStream",
    "ChatUsage",
    "FinalExtra",
    "sse",
]

log = logging.getLogger(__name__)

FORWARDED_FIELDS = frozenset(
    {
        "messages",
        "max_tokens",
        "max_completion_tokens",
        "temperature",
        "top_p",
        "n",
        "stop",
        "presence_penalty",
        "frequency_penalty",
        "logit_bias",
        "logprobs",
        "top_logprobs",
        "response_format",
        "seed",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "stream_options",
        "reasoning_effort",
        "user",
    }
)
"""Request fields sent upstream; everything else (``provider``, ``web_search``...) stays here."""


@dataclass(frozen=True, slots=True)
class ChatModelInfo:
    """A chat model as listed by ``/models``. ``credits_per_request`` is in credits."""

    id: str
    display_name: str
    owned_by: str
    credits_per_request: float
    free: bool
    local: bool


@dataclass(frozen=True, slots=True)
class ChatUsage:
    """What one completed request cost. Credits are millicredits (1 credit = 1000)."""

    provider: str
    model: str
    credits_used: int
    credits_remaining: int
    free: bool


@dataclass(frozen=True, slots=True)
class ChatCompletion:
    body: dict[str, Any]  # an OpenAI ``chat.completion`` object
    usage: ChatUsage


FinalExtra = Callable[[ChatUsage], Mapping[str, Any]]
"""Fields a surface adds to the final chunk of a stream, given the settled usage."""


def sse(event: Mapping[str, Any] | str) -> bytes:
    """One SSE event: ``data: <json>`` (or the literal string) and a blank line."""
    data = event if isinstance(event, str) else json.dumps(event, separators=(",", ":"))
    return b"data: " + data.encode() + b"\n\n"


class ChatStream:
    """An SSE byte stream; ``usage`` is set once the request completed and was settled.

    Closing it early (the client went away) refunds an unsettled charge.
    """

    media_type = "text/event-stream"

    def __init__(self, produce: Callable[[ChatStream], Iterator[bytes]]) -> None:
        self.usage: ChatUsage | None = None
        self._chunks = produce(self)

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        return next(self._chunks)

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()


class _Hold:
    """An entered ``metering.charge`` block that a stream settles or refunds later."""

    def __init__(self, block: AbstractContextManager[Charge]) -> None:
        self._block = block
        self.charge = block.__enter__()
        self._open = True

    def settle(self) -> Charge:
        if self._open:
            self._open = False
            self._block.__exit__(None, None, None)
        return self.charge

    def refund(self, exc: BaseException | None = None) -> None:
        if self._open:
            self._open = False
            err = exc or UpstreamError("the request did not complete")
            self._block.__exit__(type(err), err, err.__traceback__)


class ChatBridge:
    def __init__(
        self,
        table: ProviderTable,
        metering: Metering,
        limiter: FreeModelLimiter,
        vision: LocalVisionChat,
        *,
        spend_cap: KeySpendCap,
        transport: httpx.BaseTransport | None = None,
        tracing: Tracing | None = None,
    ) -> None:
        self._table = table
        self._metering = metering
        self._limiter = limiter
        self._spend_cap = spend_cap
        self.vision = vision
        self._upstreams = {
            p.name: ChatUpstream(p, transport=transport, tracing=tracing) for p in table.providers
        }

    def close(self) -> None:
        for upstream in self._upstreams.values():
            upstream.close()

    # -- listing --------------------------------------------------------------------------

    def models(self) -> list[ChatModelInfo]:
        """The local vision models, then every provider model in table order."""
        describe = self._metering.prices.cost("describe") / CREDIT
        out = [
            ChatModelInfo(mid, f"SeeSay vision ({engine})", "seesay", describe, False, True)
            for mid, engine in self.vision.model_ids().items()
        ]
        for route in self._table.routes():
            m = route.model
            out.append(
                ChatModelInfo(
                    id=m.id,
                    display_name=m.display_name or m.id,
                    owned_by=route.provider.name,
                    credits_per_request=0.0 if m.free else self._price(route) / CREDIT,
                    free=m.free,
                    local=False,
                )
            )
        return out

    def route(self, model: str, provider: str | None = None) -> Route:
        return self._table.resolve(model, provider)

    # -- completions ----------------------------------------------------------------------

    def complete(
        self, principal: Principal, body: Mapping[str, Any], *, provider: str | None = None
    ) -> ChatCompletion:
        """A non-streaming completion (``body["stream"]`` is ignored)."""
        model = _check_body(body)
        if self.vision.serves(model):
            out, charge = self._vision(principal, body)
            return ChatCompletion(out, self._usage("seesay", model, charge, free=False))
        route = self._table.resolve(model, provider or _str(body.get("provider")))
        payload = self._payload(body, route, stream=False)
        with self._charge(principal, route) as charge:
            data = self._upstreams[route.provider.name].complete(payload)
        data["model"] = route.model_id
        return ChatCompletion(data, self._usage(route.provider.name, route.model_id, charge))

    def stream(
        self,
        principal: Principal,
        body: Mapping[str, Any],
        *,
        provider: str | None = None,
        final_extra: FinalExtra | None = None,
    ) -> ChatStream:
        """A streaming completion. Errors before the first byte (routing, limits, credits,
        an upstream refusal) are raised here, so the surface can still answer with a status."""
        model = _check_body(body)
        if self.vision.serves(model):
            out, charge = self._vision(principal, body)
            usage = self._usage("seesay", model, charge, free=False)
            return ChatStream(lambda s: _completion_as_chunks(out, usage, final_extra, s))
        route = self._table.resolve(model, provider or _str(body.get("provider")))
        payload = self._payload(body, route, stream=True)
        hold = _Hold(self._charge(principal, route))
        try:
            response = self._upstreams[route.provider.name].open_stream(payload)
        except BaseException as exc:
            hold.refund(exc)
            raise
        return ChatStream(lambda s: self._relay(response, route, hold, final_extra, s))

    # -- internals --------------------------------------------------------------------------

    def _price(self, route: Route) -> int:
        if route.model.free:
            return 0
        if route.model.credits_per_request is not None:
            return round(route.model.credits_per_request * CREDIT)
        return self._metering.prices.cost("chat")

    @contextmanager
    def _charge(self, principal: Principal, route: Route) -> Iterator[Charge]:
        if route.free:
            self._limiter.hit(principal.account_id)
        amount = self._price(route)
        with (
            self._spend_cap.spend(principal.key_id, amount),
            self._metering.charge(principal, "chat", 1, amount=amount) as charge,
        ):
            yield charge

    def _vision(
        self, principal: Principal, body: Mapping[str, Any]
    ) -> tuple[dict[str, Any], Charge]:
        with self._spend_cap.spend(principal.key_id, self._metering.prices.cost("describe")):
            return self.vision.complete(principal, body)

    def _usage(
        self, provider: str, model: str, charge: Charge, *, free: bool | None = None
    ) -> ChatUsage:
        return ChatUsage(
            provider=provider,
            model=model,
            credits_used=charge.held.amount if charge.actual is None else charge.actual,
            credits_remaining=charge.remaining,
            free=charge.held.amount == 0 if free is None else free,
        )

    def _payload(self, body: Mapping[str, Any], route: Route, *, stream: bool) -> dict[str, Any]:
        if body.get("tools") and not route.provider.tools:
            raise InvalidRequest(
                f"tools are not available on the provider {route.provider.name}", param="tools"
            )
        payload = {k: v for k, v in body.items() if k in FORWARDED_FIELDS}
        if not stream:
            payload.pop("stream_options", None)
        payload["model"] = route.upstream_model
        payload["stream"] = stream
        return payload

    def _relay(
        self,
        response: httpx.Response,
        route: Route,
        hold: _Hold,
        final_extra: FinalExtra | None,
        stream: ChatStream,
    ) -> Iterator[bytes]:
        held: list[dict[str, Any]] = []
        done = finished = False
        failure: SeeSayError | None = None
        try:
            try:
                for event in sse_events(response):
                    if event is None:
                        done = True
                        break
                    if "error" in event:
                        failure = UpstreamError(
                            f"The provider {route.provider.name} failed during the stream."
                        )
                        break
                    event["model"] = route.model_id
                    choices = event.get("choices") or []
                    if any(isinstance(c, dict) and c.get("finish_reason") for c in choices):
                        finished = True
                    if finished or not choices:
                        held.append(event)  # the finish (and usage) chunks wait for settlement
                        continue
                    for early in held:  # an empty-choices chunk before content: keep order
                        yield sse(early)
                    held.clear()
                    yield sse(event)
            except httpx.TimeoutException:
                failure = EngineTimeout(f"The provider {route.provider.name} stopped answering.")
            except httpx.HTTPError:
                failure = UpstreamError(f"The stream from {route.provider.name} broke off.")
            finally:
                response.close()
            if failure is None and not (done or finished):
                failure = UpstreamError(f"The stream from {route.provider.name} ended early.")
            if failure is not None:
                hold.refund(failure)
                yield sse({"error": _stream_error(failure)})
                return
            usage = self._usage(route.provider.name, route.model_id, hold.settle())
            stream.usage = usage
            yield from _finish(held, usage, final_extra, route.model_id)
        except GeneratorExit:
            hold.refund()  # the client went away before the request completed
            raise
        except BaseException as exc:
            hold.refund(exc)
            raise


def _finish(
    held: list[dict[str, Any]], usage: ChatUsage, extra: FinalExtra | None, model: str
) -> Iterator[bytes]:
    if not any(e.get("choices") for e in held):
        # The upstream ended without a finish chunk that has choices; clients index
        # choices[0] on every chunk, so give them one.
        held.insert(0, _chunk(held[0]["id"] if held else _new_id(), model, {}, "stop"))
    target = max(i for i, e in enumerate(held) if e.get("choices"))
    if extra is not None:
        held[target].update(extra(usage))
    for event in held:
        yield sse(event)
    yield sse("[DONE]")


def _completion_as_chunks(
    out: dict[str, Any], usage: ChatUsage, extra: FinalExtra | None, stream: ChatStream
) -> Iterator[bytes]:
    """A finished ``chat.completion`` replayed as chunks (the local vision answer)."""
    stream.usage = usage
    cid, model = str(out["id"]), str(out["model"])
    text = str(out["choices"][0]["message"]["content"] or "")
    yield sse(_chunk(cid, model, {"role": "assistant", "content": ""}, None))
    for piece in _sentences(text):
        yield sse(_chunk(cid, model, {"content": piece}, None))
    yield from _finish([_chunk(cid, model, {}, "stop")], usage, extra, model)


def _sentences(text: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for i, ch in enumerate(text):
        if ch in ".!?" and (i + 1 == len(text) or text[i + 1] == " "):
            parts.append(text[start : i + 1])
            start = i + 1
    if start < len(text):
        parts.append(text[start:])
    return parts


def _chunk(cid: str, model: str, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _new_id() -> str:
    return "chatcmpl-" + secrets.token_hex(12)


def _stream_error(exc: SeeSayError) -> dict[str, Any]:
    return {"message": exc.message, "type": "server_error", "param": None, "code": exc.code}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _check_body(body: Mapping[str, Any]) -> str:
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        raise InvalidRequest("model is required", param="model")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise InvalidRequest("messages must be a non-empty list", param="messages")
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            raise InvalidRequest(f"messages[{i}] must be an object with a role", param="messages")
    tools = body.get("tools")
    if tools is not None and not isinstance(tools, list):
        raise InvalidRequest("tools must be a list", param="tools")
    return model.strip()
