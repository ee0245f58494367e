"""Text translation as a use case: check the pair, price by length, translate, settle.

Contract of :meth:`TranslateService.translate`:
- ``target`` must be a valid BCP-47 tag and ``text`` non-empty and at most ``MAX_CHARS``;
  ``source`` None/"auto" is detected from the text among the languages the engines read;
- a same-language request (``en-US`` -> ``en``) is a no-op: the text comes back unchanged,
  ``engine == "none"``, and nothing is charged;
- a pair no configured engine serves raises ``UnsupportedLanguage`` naming the served pairs
  (``details["supported"]``), before anything is charged;
- the price is the ``translation`` price per *started* 1000 characters (the WebVoice spec's
  0.1 credit per 1000 characters, minimum 0.1: a per-character integer price cannot express a
  tenth of a millicredit), held before and settled after; a failure refunds it;
- inference is the registered call ``translate.run`` (JSON in and out), so it runs on a worker
  in the distributed mode.

Credits in the result are millicredits (1 credit = 1000).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

from seesay.accounts.service import Principal
from seesay.engines import languages
from seesay.engines.base import Task, TranslateEngine
from seesay.engines.translate.select import NO_ENGINE, choose, detect_source, served_pairs
from seesay.errors import InvalidRequest
from seesay.jobs.contracts import Call, Contract
from seesay.jobs.handlers import Handlers
from seesay.services.engine_service import EngineService

__all__ = ["MAX_CHARS", "TranslateService", "TranslationResult", "billable_thousands"]

MAX_CHARS = 50_000


class TranslateText(Contract):
    """The input of ``translate.run`` and, with the engine that translated, its result."""

    text: str
    source: str
    target: str
    engine: str | None = None


TRANSLATE: Call[TranslateText, TranslateText] = Call("translate.run", TranslateText, TranslateText)


@dataclass(frozen=True, slots=True)
class TranslationResult:
    """``source``/``target`` are canonical BCP-47 tags (``source`` detected when asked);
    ``engine`` is ``"none"`` for a same-language no-op."""

    text: str
    source: str
    target: str
    engine: str
    credits_used: int
    credits_remaining: int


def billable_thousands(characters: int) -> int:
    """Started thousands of characters, at least one."""
    return max(1, math.ceil(characters / 1000))


class TranslateService(EngineService):
    def register(self, handlers: Handlers) -> None:
        handlers.register_call(TRANSLATE, self.run)

    def _all(self) -> list[TranslateEngine]:
        return self._engines.all_of(Task.TRANSLATE, TranslateEngine)  # type: ignore[type-abstract]

    def supported_pairs(self) -> list[str]:
        """Every ``source>target`` pair served ("any" for an any-pair engine)."""
        return served_pairs(self._all())

    def translate(
        self, principal: Principal, text: str, *, target: str, source: str | None = "auto"
    ) -> TranslationResult:
        """Translate ``text`` into ``target``; see the module docstring for the rules."""
        if not text.strip():
            raise InvalidRequest("text must not be empty", param="text")
        if len(text) > MAX_CHARS:
            raise InvalidRequest(f"text is longer than {MAX_CHARS} characters", param="text")
        tgt = _tag(target, "target")
        engines = self._all()
        src = detect_source(engines, text) if languages.is_auto(source) else None
        src = src or _tag(source or "", "source")
        if languages.matches(src, tgt):
            balance = self._metering.ledger.balances(principal.account_id, principal.mode)
            return TranslationResult(text, src, tgt, NO_ENGINE, 0, balance.total)
        engine = choose(engines, src, tgt).info.name  # UnsupportedLanguage before charging
        with self._metering.charge(
            principal, "translation", billable_thousands(len(text))
        ) as charge:
            out = self._executor.call(
                TRANSLATE, TranslateText(text=text, source=src, target=tgt, engine=engine)
            )
        return TranslationResult(
            text=out.text,
            source=out.source,
            target=out.target,
            engine=str(out.engine),
            credits_used=charge.held.amount,
            credits_remaining=charge.remaining,
        )

    def run(self, spec: TranslateText) -> TranslateText:
        """``translate.run``: translate with the named engine (None: the default)."""
        with self._engines.lease(Task.TRANSLATE, spec.engine) as engine:
            out = cast(TranslateEngine, engine).translate(spec.text, spec.source, spec.target)
        return TranslateText(text=out.text, source=out.source, target=out.target, engine=out.engine)


def _tag(value: str, param: str) -> str:
    try:
        return languages.normalize(value)
    except InvalidRequest as exc:
        exc.param = param
        raise
