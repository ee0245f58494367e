"""The credit ledger: append-only entries plus a cached balance per (account, mode, pool).

Two pools exist: ``monthly`` (the plan's grant, reset to the grant each month: the voice-clone
spec's "regular" credits) and ``purchased`` (never resets: "permanent"). Spending takes from
``monthly`` first.

A request calls ``reserve`` before work, then exactly one of ``settle`` (possibly for less)
or ``refund``. Both close the reservation with a conditional update (``status = 'held'``), so
a refund happens at most once however often it is retried. Every balance change inserts the
matching ledger row in the same transaction: the ledger always sums to the balances.
Balances cannot go negative: the reservation checks under a write lock (``BEGIN IMMEDIATE``
on SQLite, ``SELECT ... FOR UPDATE`` on PostgreSQL) and a CHECK constraint backs it up.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from seesay.accounts.plans import CREDIT, get_plan
from seesay.db.engine import Database
from seesay.db.models import Account, CreditBalance, LedgerEntry, Reservation
from seesay.errors import InsufficientCredits, NotFound

__all__ = ["POOLS", "Balances", "Held", "Ledger", "next_month"]

POOLS = ("monthly", "purchased")


@dataclass(frozen=True, slots=True)
class Balances:
    monthly: int
    purchased: int
    reset_at: datetime | None

    @property
    def total(self) -> int:
        return self.monthly + self.purchased


@dataclass(frozen=True, slots=True)
class Held:
    """A reservation as the caller sees it."""

    id: str
    account_id: str
    mode: str
    feature: str
    amount: int
    balance_after: int


def next_month(now: datetime) -> datetime:
    """Midnight UTC on the first day of the month after ``now``."""
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return datetime(year, month, 1, tzinfo=UTC)


class Ledger:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] | None = None) -> None:
        self._db = db
        self._now = clock or (lambda: datetime.now(UTC))

    # -- setup and top-ups ---------------------------------------------------------------

    def open_account(self, session: Session, account_id: str, monthly_grant: int) -> None:
        """Create both pools for both modes, granting the plan's monthly credits."""
        now = self._now()
        for mode in ("live", "test"):
            for pool in POOLS:
                amount = monthly_grant if pool == "monthly" else 0
                session.add(
                    CreditBalance(
                        account_id=account_id,
                        mode=mode,
                        pool=pool,
                        amount=amount,
                        reset_at=next_month(now) if pool == "monthly" else None,
                        updated_at=now,
                    )
                )
                if amount:
                    self._entry(session, account_id, mode, pool, amount, "grant")

    def grant(
        self,
        account_id: str,
        amount: int,
        *,
        mode: str = "live",
        pool: str = "purchased",
        note: str | None = None,
    ) -> Balances:
        """Add ``amount`` millicredits (a purchase or an operator grant)."""
        if amount <= 0:
            raise ValueError("a grant must be positive")
        if pool not in POOLS:
            raise ValueError(f"pool must be one of {POOLS}")
        with self._db.write() as s:
            rows = self._lock(s, account_id, mode)
            row = rows[pool]
            row.amount += amount
            row.updated_at = self._now()
            kind = "purchase" if pool == "purchased" else "grant"
            self._entry(s, account_id, mode, pool, amount, kind, note=note)
            return self._view(rows)

    def balances(self, account_id: str, mode: str = "live") -> Balances:
        with self._db.read() as s:
            rows = {
                r.pool: r
                for r in s.scalars(
                    select(CreditBalance).where(
                        CreditBalance.account_id == account_id, CreditBalance.mode == mode
                    )
                )
            }
        if not rows:
            raise NotFound("no such account")
        due = rows["monthly"].reset_at
        if due is not None and _aware(due) <= self._now():
            with self._db.write() as s:
                return self._view(self._lock(s, account_id, mode))
        return self._view(rows)

    # -- reserve / settle / refund --------------------------------------------------------

    def reserve(
        self, account_id: str, mode: str, feature: str, amount: int, *, quantity: int = 1
    ) -> Held:
        """Hold ``amount`` millicredits or raise InsufficientCredits; free if amount is 0."""
        if amount < 0:
            raise ValueError("amount must not be negative")
        with self._db.write() as s:
            rows = self._lock(s, account_id, mode)
            available = sum(r.amount for r in rows.values())
            if available < amount:
                raise InsufficientCredits(
                    f"This request costs {_credits(amount)} credits and "
                    f"{_credits(available)} remain.",
                    needed=amount,
                    available=available,
                )
            split: dict[str, int] = {}
            left = amount
            for pool in POOLS:
                take = min(left, rows[pool].amount)
                if take:
                    rows[pool].amount -= take
                    rows[pool].updated_at = self._now()
                    split[pool] = take
                    left -= take
            reservation_id = "rsv_" + secrets.token_hex(12)
            for pool, take in split.items():
                self._entry(s, account_id, mode, pool, -take, "reserve", feature, reservation_id)
            s.add(
                Reservation(
                    id=reservation_id,
                    account_id=account_id,
                    mode=mode,
                    feature=feature,
                    quantity=quantity,
                    amount=amount,
                    split=split,
                    status="held",
                    created_at=self._now(),
                )
            )
            return Held(reservation_id, account_id, mode, feature, amount, available - amount)

    def settle(self, reservation_id: str, actual: int | None = None) -> int:
        """Close a reservation as spent. ``actual`` below the held amount releases the rest
        (the charge never exceeds what was held). Returns the amount spent; settling an
        already closed reservation changes nothing and returns 0."""
        with self._db.write() as s:
            return self.settle_in(s, reservation_id, actual)

    def settle_in(self, s: Session, reservation_id: str, actual: int | None = None) -> int:
        """:meth:`settle` inside the caller's write transaction ``s`` (a job's state moves
        in the same transaction as its money)."""
        if actual is None:
            # The common case, one statement: close as held, nothing to give back.
            spent_row = s.execute(
                update(Reservation)
                .where(Reservation.id == reservation_id, Reservation.status == "held")
                .values(status="settled", closed_at=self._now())
                .returning(Reservation.amount)
                .execution_options(synchronize_session=False)
            ).first()
            if spent_row is not None:
                return int(spent_row[0])
            if s.get(Reservation, reservation_id) is None:
                raise NotFound("no such reservation")
            return 0
        rsv = s.get(Reservation, reservation_id)
        if rsv is None:
            raise NotFound("no such reservation")
        spent = max(0, min(actual, rsv.amount))
        if not self._close(s, reservation_id, "settled", spent):
            return 0
        release = rsv.amount - spent
        if release:
            self._give_back(s, rsv, release, "release")
        return spent

    def refund(self, reservation_id: str) -> bool:
        """Return the whole held amount. True if this call refunded; False if the
        reservation was already settled or refunded (refunds happen exactly once)."""
        with self._db.write() as s:
            return self.refund_in(s, reservation_id)

    def refund_in(self, s: Session, reservation_id: str) -> bool:
        """:meth:`refund` inside the caller's write transaction ``s``."""
        rsv = s.get(Reservation, reservation_id)
        if rsv is None:
            raise NotFound("no such reservation")
        if not self._close(s, reservation_id, "refunded", rsv.amount):
            return False
        if rsv.amount:
            self._give_back(s, rsv, rsv.amount, "refund")
        return True

    def refund_abandoned(self, older_than: timedelta, *, limit: int = 500) -> int:
        """Refund reservations still held after ``older_than`` that no live job holds.

        A synchronous request settles or refunds within its own lifetime; one still held long
        after is a request whose process died in between (or a stream nobody read). Jobs are
        excluded while queued or running: they may legitimately hold credits for long, and the
        job reaper settles or refunds them. Each refund is the usual exactly-once close, so
        a race with a late settle is harmless. Returns how many were refunded."""
        from seesay.db.models import Job

        cutoff = self._now() - older_than
        live_jobs = select(Job.reservation_id).where(
            Job.status.in_(("queued", "running")), Job.reservation_id.is_not(None)
        )
        with self._db.read() as s:
            stale = list(
                s.scalars(
                    select(Reservation.id)
                    .where(
                        Reservation.status == "held",
                        Reservation.created_at < cutoff,
                        Reservation.id.not_in(live_jobs),
                    )
                    .limit(limit)
                )
            )
        return sum(1 for reservation_id in stale if self.refund(reservation_id))

    def ledger_sum(self, account_id: str, mode: str = "live") -> int:
        with self._db.read() as s:
            total = s.scalar(
                select(func.coalesce(func.sum(LedgerEntry.delta), 0)).where(
                    LedgerEntry.account_id == account_id, LedgerEntry.mode == mode
                )
            )
        return int(total or 0)

    # -- internals --------------------------------------------------------------------------

    def _exists(self, reservation_id: str) -> bool:
        with self._db.read() as s:
            return s.get(Reservation, reservation_id) is not None

    def _close(self, s: Session, reservation_id: str, status: str, amount: int) -> bool:
        result = s.execute(
            update(Reservation)
            .where(Reservation.id == reservation_id, Reservation.status == "held")
            .values(status=status, closed_at=self._now(), amount=amount)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    def _give_back(self, s: Session, rsv: Reservation, amount: int, kind: str) -> None:
        """Return ``amount`` to the pools it came from, purchased first (monthly credits
        may have been reset since, and a purchase must never be lost)."""
        rows = self._lock(s, rsv.account_id, rsv.mode)
        left = amount
        for pool in reversed(POOLS):
            back = min(left, int(rsv.split.get(pool, 0)))
            if back:
                rows[pool].amount += back
                rows[pool].updated_at = self._now()
                self._entry(s, rsv.account_id, rsv.mode, pool, back, kind, rsv.feature, rsv.id)
                left -= back

    def _lock(self, s: Session, account_id: str, mode: str) -> dict[str, CreditBalance]:
        """Both pool rows, row-locked (PostgreSQL) inside the caller's write transaction,
        with a due monthly reset applied."""
        stmt = (
            select(CreditBalance)
            .where(CreditBalance.account_id == account_id, CreditBalance.mode == mode)
            .order_by(CreditBalance.pool)
            .with_for_update()
        )
        rows = {r.pool: r for r in s.scalars(stmt)}
        if set(rows) != set(POOLS):
            raise NotFound("no such account")
        self._apply_reset(s, rows["monthly"], account_id, mode)
        return rows

    def _apply_reset(self, s: Session, row: CreditBalance, account_id: str, mode: str) -> None:
        now = self._now()
        if row.reset_at is None or _aware(row.reset_at) > now:
            return
        account = s.get(Account, account_id)
        grant = get_plan(account.plan).monthly_credits if account else 0
        delta = grant - row.amount
        row.amount = grant
        row.reset_at = next_month(now)
        row.updated_at = now
        if delta:
            self._entry(s, account_id, mode, "monthly", delta, "reset")

    def _entry(
        self,
        s: Session,
        account_id: str,
        mode: str,
        pool: str,
        delta: int,
        kind: str,
        feature: str | None = None,
        reservation_id: str | None = None,
        note: str | None = None,
    ) -> None:
        s.add(
            LedgerEntry(
                account_id=account_id,
                mode=mode,
                pool=pool,
                delta=delta,
                kind=kind,
                feature=feature,
                reservation_id=reservation_id,
                note=note,
                created_at=self._now(),
            )
        )

    @staticmethod
    def _view(rows: dict[str, CreditBalance]) -> Balances:
        return Balances(
            monthly=rows["monthly"].amount,
            purchased=rows["purchased"].amount,
            reset_at=rows["monthly"].reset_at,
        )


def _aware(value: datetime) -> datetime:
    # SQLite returns naive datetimes even for timezone=True columns; they are stored as UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _credits(millicredits: int) -> str:
    value = millicredits / CREDIT
    return f"{value:g}"
