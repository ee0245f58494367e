"""A test-only metered route over a fake engine, to exercise the platform (limits,
idempotency, credits) without loading models. Never used by the product."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

from seesay.api.deps import InferenceKey, Services
from seesay.api.idempotency import IdempotentRoute
from seesay.errors import EngineError


@dataclass
class FakeEngine:
    """Sleeps ``delay`` seconds, then answers or raises EngineError when ``fail`` is set."""

    delay: float = 0.0
    fail: bool = False
    calls: int = 0
    started: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, text: str) -> str:
        with self._lock:
            self.calls += 1
        self.started.set()
        time.sleep(self.delay)
        if self.fail:
            raise EngineError("the fake engine failed on purpose")
        return text.upper()


class EchoIn(BaseModel):
    text: str


def install_fake_metered_route(app: FastAPI, engine: FakeEngine, feature: str = "describe") -> None:
    router = APIRouter(route_class=IdempotentRoute)

    @router.post("/test/echo")
    def echo(body: EchoIn, principal: InferenceKey, services: Services) -> dict[str, object]:
        with services.metering.charge(principal, feature) as charge:
            out = engine.run(body.text)
        return {"text": out, "credits_remaining": charge.remaining / 1000}

    app.include_router(router)
