"""Outgoing mail: the SMTP ``Mailer`` and ``send-email``'s per-account hourly limit.

``Mailer.send`` delivers one plain-text mail through the configured SMTP server (STARTTLS,
SMTPS or plain, with optional login). With no ``smtp.host`` it raises ``ServiceUnavailable``
naming the setting; an SMTP failure is ``ServiceUnavailable`` too, without the server's text.

``MailService.send`` enforces ``webvoice.emails_per_hour`` per account from the
``sent_mails`` log: the slot is taken (a row inserted) under the account's row lock before
sending, and given back if the delivery fails, so concurrent requests cannot overshoot.
"""

from __future__ import annotations

import logging
import math
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy import delete, func, select

from seesay.db.engine import Database
from seesay.db.models import Account, SentMail
from seesay.errors import InvalidRequest, RateLimited, ServiceUnavailable
from seesay.services.webvoice.settings import SmtpSettings

__all__ = ["MAX_BODY_CHARS", "MailService", "Mailer", "SentView", "check_address"]

log = logging.getLogger(__name__)

MAX_BODY_CHARS = 50_000
MAX_SUBJECT_CHARS = 200
# Deliberately plain: one @, no spaces or control characters, a dotted domain.
_ADDRESS = re.compile(r"^[^@\s\x00-\x1f\x7f<>,;\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253})$")


def check_address(value: str, *, param: str) -> str:
    """A normalised email address, or ``InvalidRequest`` naming ``param``."""
    address = value.strip()
    domain = address.rpartition("@")[2]
    if len(address) > 320 or not _ADDRESS.match(address) or "." not in domain:
        raise InvalidRequest(f"{param} is not a valid email address", param=param)
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


class Mailer:
    """Sends plain-text mail through the configured SMTP server. Thread-safe (a connection
    per mail: sign-in codes and API mails are rare, and a pooled SMTP link goes stale)."""

    def __init__(self, settings: SmtpSettings) -> None:
        self._settings = settings

    @property
    def configured(self) -> bool:
        return bool(self._settings.host)

    def send(self, to: str, subject: str, body: str) -> None:
        cfg = self._settings
        if not cfg.host:
            raise ServiceUnavailable(
                "Sending email is not configured on this server; the operator must set "
                "SEESAY_SMTP__HOST (and SEESAY_SMTP__FROM_ADDRESS)."
            )
        message = EmailMessage()
        message["From"] = cfg.from_address
        message["To"] = to
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain=cfg.from_address.rpartition("@")[2] or None)
        message.set_content(body)
        try:
            smtp: smtplib.SMTP
            if cfg.security == "ssl":
                context = ssl.create_default_context()
                smtp = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout, context=context)
            else:
                smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
            with smtp:
                if cfg.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if cfg.username:
                    password = cfg.password.get_secret_value() if cfg.password else ""
                    smtp.login(cfg.username, password)
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            # The server's reply may name internal hosts or accounts: log it, do not echo it.
            log.warning("SMTP delivery to %s:%s failed: %s", cfg.host, cfg.port, exc)
            raise ServiceUnavailable("The mail server did not accept the message.") from exc


@dataclass(frozen=True, slots=True)
class SentView:
    to: str
    subject: str


class MailService:
    """``send-email``: validated plain-text mail, ``limit`` per account per hour."""

    WINDOW = timedelta(hours=1)

    def __init__(self, db: Database, mailer: Mailer, *, limit: int, default_subject: str) -> None:
        self._db = db
        self._mailer = mailer
        self._limit = limit
        self._default_subject = default_subject

    def send(self, account_id: str, to: str, subject: str | None, body: str | None) -> SentView:
        address = check_address(to or "", param="to")
        subject = (subject or "").strip() or self._default_subject
        if len(subject) > MAX_SUBJECT_CHARS or any(c in subject for c in "\r\n\x00"):
            raise InvalidRequest(
                f"subject must be one line of at most {MAX_SUBJECT_CHARS} characters",
                param="subject",
            )
        text = body or ""
        if not text.strip():
            raise InvalidRequest("body (or text, or content) is required", param="body")
        if len(text) > MAX_BODY_CHARS:
            raise InvalidRequest(f"body is longer than {MAX_BODY_CHARS} characters", param="body")
        if not self._mailer.configured:
            self._mailer.send(address, subject, text)  # raises the naming 503
        row_id = self._take_slot(account_id, address, subject)
        try:
            self._mailer.send(address, subject, text)
        except BaseException:
            with self._db.write() as s:
                s.execute(delete(SentMail).where(SentMail.id == row_id))
            raise
        return SentView(address, subject)

    def _take_slot(self, account_id: str, to: str, subject: str) -> int:
        now = datetime.now(UTC)
        since = now - self.WINDOW
        with self._db.write() as s:
            # Serialise one account's senders (SQLite's BEGIN IMMEDIATE already does).
            s.execute(select(Account.id).where(Account.id == account_id).with_for_update())
            count, oldest = s.execute(
                select(func.count(), func.min(SentMail.created_at)).where(
                    SentMail.account_id == account_id, SentMail.created_at > since
                )
            ).one()
            if count >= self._limit:
                oldest_at = _aware(oldest) if oldest is not None else now
                wait = math.ceil((oldest_at + self.WINDOW - now).total_seconds())
                raise RateLimited(
                    f"Send-email limit reached: {self._limit} emails per hour. "
                    f"Retry after {max(1, wait)} seconds.",
                    retry_after=max(1, wait),
                    limit=self._limit,
                    reset=int((oldest_at + self.WINDOW).timestamp()),
                )
            row = SentMail(account_id=account_id, recipient=to, subject=subject, created_at=now)
            s.add(row)
            s.flush()
            return int(row.id)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
