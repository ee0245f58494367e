"""The language of each account's most recent successful speech, kept on its account row.

A short text ("Hi.", "Open the door") does not tell its language; when its voice has none
either, it is spoken in the language the account last spoke in. One nullable column on
``accounts`` holds it: read by primary key, written only when it changes (a conditional
``UPDATE``), so a steady user costs one indexed read per undecided request and no writes.
"""

from __future__ import annotations

import logging

from sqlalchemy import or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from seesay.db.engine import Database
from seesay.db.models import Account

__all__ = ["AccountLanguages"]

log = logging.getLogger(__name__)


class AccountLanguages:
    def __init__(self, db: Database) -> None:
        self._db = db

    def last(self, account_id: str) -> str | None:
        """The language of the account's most recent successful speech, if any."""
        with self._db.read() as s:
            found = s.scalar(select(Account.last_language).where(Account.id == account_id))
        return found or None

    def remember(self, account_id: str, language: str) -> None:
        """Record ``language`` after a successful speech. The speech is already done and paid
        for, so a database error here is logged, never raised."""
        try:
            with self._db.write() as s:
                s.execute(
                    update(Account)
                    .where(
                        Account.id == account_id,
                        or_(Account.last_language.is_(None), Account.last_language != language),
                    )
                    .values(last_language=language)
                    .execution_options(synchronize_session=False)
                )
        except SQLAlchemyError:
            log.warning("could not record the last speech language of %s", account_id)
