"""Accounts and API keys: creation, listing, revocation and authentication.

``list_keys`` and ``revoke_key`` take the mode the caller may manage: a test key passes
``"test"`` (another mode's key answers ``NotFound``, as if it did not exist); a live key and
operator calls (the CLI) pass None and see every key. An account holds at most ``max_keys``
active keys, so keys cannot be minted without bound.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from seesay.accounts.keys import generate_key, hash_key, key_hint, key_mode
from seesay.accounts.ledger import Ledger
from seesay.accounts.plans import Plan, get_plan
from seesay.db.engine import Database
from seesay.db.models import Account, ApiKey
from seesay.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidRequest,
    NotFound,
    PermissionDenied,
)

__all__ = ["AccountService", "CreatedKey", "KeyView", "Principal"]

_LAST_USED_EVERY = 60.0  # seconds; avoids a write per request
DEFAULT_MAX_KEYS = 10


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: resolved from an API key on every request."""

    account_id: str
    key_id: str
    mode: str  # live | test
    plan: Plan
    key_hash: str  # scopes idempotency keys to the presenting key

    @property
    def limit_key(self) -> str:
        """What plan limits (rate, concurrency) count against: the account in this mode, so
        an account's limits do not multiply with its keys."""
        return f"{self.account_id}:{self.mode}"


@dataclass(frozen=True, slots=True)
class KeyView:
    id: str
    name: str
    mode: str
    hint: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class CreatedKey:
    key: str  # the secret: shown once, never stored
    view: KeyView


class AccountService:
    def __init__(
        self,
        db: Database,
        ledger: Ledger,
        *,
        max_keys: int = DEFAULT_MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._max_keys = max_keys
        self._ledger = ledger
        self._clock = clock
        self._touched: dict[str, float] = {}
        self._touch_lock = threading.Lock()

    # -- accounts -------------------------------------------------------------------------

    def create_account(
        self,
        name: str,
        *,
        plan: str = "free",
        email: str | None = None,
        is_owner: bool = False,
    ) -> Account:
        plan_obj = get_plan(plan)
        account = Account(
            id="acct_" + secrets.token_hex(10),
            name=name,
            email=email,
            plan=plan_obj.name,
            is_owner=is_owner,
            created_at=datetime.now(UTC),
        )
        try:
            with self._db.write() as s:
                s.add(account)
                s.flush()
                self._ledger.open_account(s, account.id, plan_obj.monthly_credits)
        except IntegrityError:
            if is_owner and self.find_owner() is not None:
                raise Conflict("the owner account already exists") from None
            raise Conflict("an account with this email already exists", param="email") from None
        return account

    def get_account(self, account_id: str) -> Account:
        with self._db.read() as s:
            account = s.get(Account, account_id)
        if account is None:
            raise NotFound("no such account")
        return account

    def find_owner(self) -> Account | None:
        with self._db.read() as s:
            return s.scalars(select(Account).where(Account.is_owner.is_(True)).limit(1)).first()

    def list_accounts(self) -> list[Account]:
        with self._db.read() as s:
            return list(s.scalars(select(Account).order_by(Account.created_at)))

    def set_plan(self, account_id: str, plan: str) -> Account:
        plan_obj = get_plan(plan)
        with self._db.write() as s:
            account = s.get(Account, account_id)
            if account is None:
                raise NotFound("no such account")
            account.plan = plan_obj.name
        return account

    # -- keys -----------------------------------------------------------------------------

    def create_key(
        self, account_id: str, *, mode: str = "live", name: str = "", replace_at_cap: bool = False
    ) -> CreatedKey:
        """A new key, or PermissionDenied when the account already holds ``max_keys``
        active (unrevoked) keys of either mode.

        With ``replace_at_cap`` (a sign-in flow minting a key per sign-in), an account at the
        cap has its oldest active key of the same name and mode revoked instead, in the same
        transaction, so signing in again never locks a client out.
        """
        if mode not in ("live", "test"):
            raise InvalidRequest("mode must be 'live' or 'test'", param="mode")
        self.get_account(account_id)
        secret = generate_key(mode)
        row = ApiKey(
            id="key_" + secrets.token_hex(10),
            account_id=account_id,
            name=name[:200],
            mode=mode,
            hint=key_hint(secret),
            secret_hash=hash_key(secret),
            created_at=datetime.now(UTC),
        )
        with self._db.write() as s:
            # Lock the account row so concurrent creations cannot both pass the count.
            s.execute(select(Account.id).where(Account.id == account_id).with_for_update())
            active = s.scalar(
                select(func.count()).where(
                    ApiKey.account_id == account_id, ApiKey.revoked_at.is_(None)
                )
            )
            if int(active or 0) >= self._max_keys and replace_at_cap:
                oldest = s.scalars(
                    select(ApiKey)
                    .where(
                        ApiKey.account_id == account_id,
                        ApiKey.revoked_at.is_(None),
                        ApiKey.mode == mode,
                        ApiKey.name == row.name,
                    )
                    .order_by(ApiKey.created_at)
                    .limit(1)
                ).first()
                if oldest is not None:
                    oldest.revoked_at = datetime.now(UTC)
                    active = int(active or 0) - 1
            if int(active or 0) >= self._max_keys:
                raise PermissionDenied(
                    f"This account already has {self._max_keys} active API keys, the most "
                    "allowed. Revoke one before creating another.",
                    details={"max_keys": self._max_keys},
                )
            s.add(row)
        return CreatedKey(secret, _view(row))

    def list_keys(self, account_id: str, mode: str | None = None) -> list[KeyView]:
        """The account's keys; only those of ``mode`` when given (a caller's own mode)."""
        query = select(ApiKey).where(ApiKey.account_id == account_id)
        if mode is not None:
            query = query.where(ApiKey.mode == mode)
        with self._db.read() as s:
            return [_view(r) for r in s.scalars(query.order_by(ApiKey.created_at))]

    def revoke_key(self, account_id: str, key_id: str, mode: str | None = None) -> KeyView:
        """Revoke a key of the account (of ``mode`` when given; another mode's is NotFound)."""
        with self._db.write() as s:
            row = s.get(ApiKey, key_id)
            if row is None or row.account_id != account_id or mode not in (None, row.mode):
                raise NotFound("no such key", param="key_id")
            if row.revoked_at is None:
                row.revoked_at = datetime.now(UTC)
            return _view(row)

    def authenticate(self, presented: str | None) -> Principal:
        """Resolve a presented key. Missing, malformed, unknown and revoked keys all raise
        the same AuthenticationFailed, so a caller learns nothing about which it was."""
        refused = AuthenticationFailed("The API key is missing, malformed, or revoked.")
        if not presented or key_mode(presented) is None:
            raise refused
        digest = hash_key(presented)
        with self._db.read() as s:
            found = s.execute(
                select(ApiKey, Account.plan)
                .join(Account, Account.id == ApiKey.account_id)
                .where(ApiKey.secret_hash == digest)
            ).first()
        if found is None or found[0].revoked_at is not None:
            raise refused
        key, plan = found
        self._touch(key.id)
        return Principal(key.account_id, key.id, key.mode, get_plan(plan), digest)

    def _touch(self, key_id: str) -> None:
        now = self._clock()
        with self._touch_lock:
            if now - self._touched.get(key_id, -_LAST_USED_EVERY) < _LAST_USED_EVERY:
                return
            self._touched[key_id] = now
        with self._db.write() as s:
            s.execute(
                update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=datetime.now(UTC))
            )


def _view(row: ApiKey) -> KeyView:
    return KeyView(
        row.id, row.name, row.mode, row.hint, row.created_at, row.last_used_at, row.revoked_at
    )
