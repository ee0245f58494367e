"""Sign-in by a code sent by email (WebVoice ``auth/send-code`` and ``auth/verify-code``).

Contract:
- ``send_code`` mails a fresh 6-digit code and replaces any earlier code of that address.
  Only an HMAC of the code (keyed with the server's signing secret, so a stolen database
  does not give the codes away to a 10^6 brute force) is stored, with its expiry.
- ``verify`` accepts a code once, before it expires, within ``max_attempts`` wrong guesses;
  every failure is the same ``InvalidRequest`` so a caller learns nothing about which it was.
  Two verifications of one code race on a conditional delete: exactly one wins.
- The account of the address is created on the first successful verification (free plan,
  plus ``welcome_credits`` granted into its monthly pool); a key is created when asked.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update

from seesay.accounts.ledger import Ledger
from seesay.accounts.plans import CREDIT
from seesay.accounts.service import AccountService, CreatedKey
from seesay.db.engine import Database
from seesay.db.models import Account, SignInCode
from seesay.errors import Conflict, InvalidRequest
from seesay.services.webvoice.mail import Mailer, check_address
from seesay.services.webvoice.settings import WebVoiceSettings

__all__ = ["SignIn", "SignInService"]

_REFUSED = "The code is invalid or has expired. Request a new code."


@dataclass(frozen=True, slots=True)
class SignIn:
    account: Account
    is_new_user: bool
    key: CreatedKey | None


class SignInService:
    def __init__(
        self,
        db: Database,
        accounts: AccountService,
        ledger: Ledger,
        mailer: Mailer,
        settings: WebVoiceSettings,
        secret: str,
    ) -> None:
        self._db = db
        self._accounts = accounts
        self._ledger = ledger
        self._mailer = mailer
        self._settings = settings
        self._secret = secret.encode()

    def _hash(self, email: str, code: str) -> str:
        return hmac.new(self._secret, f"{email}:{code}".encode(), hashlib.sha256).hexdigest()

    def _find_account(self, email: str) -> Account | None:
        with self._db.read() as s:
            return s.scalars(select(Account).where(func.lower(Account.email) == email)).first()

    def send_code(self, email: str, *, accept_privacy: bool, accept_terms: bool) -> bool:
        """Mail a code to ``email``; True if no account has that address yet."""
        address = check_address(email, param="email").lower()
        is_new = self._find_account(address) is None
        if is_new and not (accept_privacy and accept_terms):
            raise InvalidRequest(
                "A new account must accept the privacy policy and the terms "
                "(accept_privacy and accept_terms true).",
                param="accept_terms" if accept_privacy else "accept_privacy",
            )
        code = f"{secrets.randbelow(1_000_000):06d}"
        now = datetime.now(UTC)
        with self._db.write() as s:
            s.execute(delete(SignInCode).where(SignInCode.email == address))
            row = SignInCode(
                email=address,
                code_hash=self._hash(address, code),
                attempts=0,
                expires_at=now + timedelta(seconds=self._settings.code_ttl_seconds),
                created_at=now,
            )
            s.add(row)
            s.flush()
            row_id = row.id
        minutes = max(1, self._settings.code_ttl_seconds // 60)
        try:
            self._mailer.send(
                address,
                f"Your sign-in code: {code}",
                f"Your sign-in code is {code}\n\nIt is valid for {minutes} minutes and can be "
                "used once. If you did not ask for it, ignore this mail.\n",
            )
        except BaseException:
            with self._db.write() as s:
                s.execute(delete(SignInCode).where(SignInCode.id == row_id))
            raise
        return is_new

    def verify(self, email: str, code: str, *, create_api_key: bool, key_name: str = "") -> SignIn:
        address = check_address(email, param="email").lower()
        presented = code.strip()
        if not presented.isdigit() or len(presented) != 6:
            raise InvalidRequest(_REFUSED, param="code")
        self._consume(address, presented)
        account = self._find_account(address)
        is_new = account is None
        if account is None:
            account = self._create_account(address)
        key = None
        if create_api_key:
            key = self._accounts.create_key(
                account.id,
                mode="live",
                name=(key_name.strip() or "webvoice sign-in")[:200],
                replace_at_cap=True,
            )
        return SignIn(account, is_new, key)

    def _consume(self, email: str, code: str) -> None:
        now = datetime.now(UTC)
        with self._db.write() as s:
            row = s.scalars(
                select(SignInCode)
                .where(SignInCode.email == email)
                .order_by(SignInCode.id.desc())
                .limit(1)
            ).first()
            if (
                row is None
                or row.expires_at <= now
                or row.attempts >= self._settings.code_max_attempts
            ):
                raise InvalidRequest(_REFUSED, param="code")
            if not hmac.compare_digest(row.code_hash, self._hash(email, code)):
                s.execute(
                    update(SignInCode)
                    .where(SignInCode.id == row.id)
                    .values(attempts=SignInCode.attempts + 1)
                )
                # Committed below: a wrong guess counts even though the request fails.
                failed = True
            else:
                won = s.execute(
                    delete(SignInCode).where(SignInCode.id == row.id).returning(SignInCode.id)
                ).first()
                failed = won is None
        if failed:
            raise InvalidRequest(_REFUSED, param="code")

    def _create_account(self, email: str) -> Account:
        try:
            account = self._accounts.create_account(email, plan="free", email=email)
        except Conflict:
            # A concurrent first sign-in of the same address created it first.
            found = self._find_account(email)
            if found is None:
                raise
            return found
        welcome = round(self._settings.welcome_credits * CREDIT)
        if welcome > 0:
            # Into the monthly pool as a "grant": a welcome gift is not a purchase (purchases
            # lift the free chat models' daily limit), and it lapses at the monthly reset.
            self._ledger.grant(account.id, welcome, pool="monthly", note="welcome credits")
        return account
