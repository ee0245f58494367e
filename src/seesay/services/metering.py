"""Charging for work: reserve the price before, settle after, refund on failure.

Usage in a service::

    with metering.charge(principal, "img2voice", quantity=1) as held:
        result = do_the_work()
        held.settle_for(actual_millicredits)  # optional: charge less than was held

Any exception inside the block refunds the whole reservation (exactly once, by the
ledger's conditional close) and propagates.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from seesay import logs
from seesay.accounts.ledger import Held, Ledger
from seesay.accounts.pricing import PriceTable
from seesay.accounts.service import Principal
from seesay.metrics import Metrics

__all__ = ["Charge", "Metering", "NoMetering"]


@dataclass
class Charge:
    held: Held
    actual: int | None = None

    def settle_for(self, millicredits: int) -> None:
        self.actual = millicredits

    @property
    def remaining(self) -> int:
        """Balance after this charge settles (what the caller can still spend)."""
        refunded = 0 if self.actual is None else max(0, self.held.amount - self.actual)
        return self.held.balance_after + refunded


class Metering:
    def __init__(self, ledger: Ledger, prices: PriceTable, metrics: Metrics) -> None:
        self.ledger = ledger
        self.prices = prices
        self._metrics = metrics

    @contextmanager
    def charge(
        self,
        principal: Principal,
        feature: str,
        quantity: int = 1,
        *,
        amount: int | None = None,
    ) -> Iterator[Charge]:
        """Hold the price of ``quantity`` units of ``feature`` (or an explicit ``amount``)."""
        cost = self.prices.cost(feature, quantity) if amount is None else amount
        held = self.ledger.reserve(
            principal.account_id, principal.mode, feature, cost, quantity=quantity
        )
        charge = Charge(held)
        try:
            yield charge
        except BaseException:
            self.ledger.refund(held.id)
            raise
        spent = self.ledger.settle(held.id, charge.actual)
        self._metrics.spent(feature, principal.mode, spent)
        logs.note_credits(spent)


class NoMetering(Metering):
    """Charges nothing: work a person runs on their own machine (the CLI's local mode, the MCP
    server). Same interface as :class:`Metering`; the ledger and prices stay readable."""

    @contextmanager
    def charge(self, principal: Principal, feature: str, *_: Any, **__: Any) -> Iterator[Charge]:
        """A charge of nothing, whatever the quantity or amount: no hold, no settlement."""
        yield Charge(Held("", principal.account_id, principal.mode, feature, 0, 0))
