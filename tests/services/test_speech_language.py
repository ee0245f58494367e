"""The language speech falls back to when the caller names none: a confident detection, else
the voice's, else the account's last, else English; the account's last language is kept on
its row (SQLite and PostgreSQL), written by the migration ``0004_account_language``."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from seesay.accounts.service import Principal
from seesay.db.models import Account, Base
from seesay.platform import Platform
from seesay.services.account_language import AccountLanguages
from seesay.services.speech import SpeechRequest
from support.accounts import make_key


def _who(platform: Platform) -> Principal:
    return platform.accounts.authenticate(make_key(platform, credits=10).key)


def test_the_accounts_table_matches_the_migration(backend_platform: Platform) -> None:
    with backend_platform.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "accounts" in str(d)] == []


def test_the_last_language_is_kept_per_account(backend_platform: Platform) -> None:
    store = AccountLanguages(backend_platform.db)
    one, two = _who(backend_platform), _who(backend_platform)
    assert store.last(one.account_id) is None
    store.remember(one.account_id, "es")
    store.remember(one.account_id, "es")  # unchanged: no write
    assert store.last(one.account_id) == "es"
    assert store.last(two.account_id) is None
    store.remember(one.account_id, "pt-BR")
    assert store.last(one.account_id) == "pt-BR"
    with backend_platform.db.read() as s:
        row = s.scalar(select(Account.last_language).where(Account.id == one.account_id))
    assert row == "pt-BR"


def test_language_for_falls_back_in_order(platform: Platform) -> None:
    speech = platform.speech
    who = _who(platform)
    long_spanish = "Necesito ayuda con la contraseña de mi cuenta antes de las diez."
    # 1. a confident detection wins over the voice and the account
    assert speech.language_for(who, long_spanish, "en_US-joe-medium") == "es"
    # 2. a short text: the voice's language (a real voice's, an alias's home language)
    assert speech.language_for(who, "Format test.", "en_US-joe-medium") == "en-US"
    assert speech.language_for(who, "Format test.", "if_sara") == "it"
    assert speech.language_for(who, "Hi.", "eve", voice_language="ja") == "ja"
    # 3. no voice language (eve, alloy, none): the account's last, 4. else English
    assert speech.language_for(who, "Hola, gracias.", "eve") == "en"
    speech.remember(who.account_id, "es")
    assert speech.language_for(who, "Hola, gracias.", "eve") == "es"
    assert speech.language_for(who, "Hola, gracias.", None) == "es"
    assert speech.language_for(None, "Hola, gracias.", None) == "en"  # no account known


def test_validate_resolves_auto_with_the_chain(platform: Platform) -> None:
    speech = platform.speech
    who = _who(platform)
    for text in ("Open the door", "Format test.", "Bearer test.", "Hi."):
        req = speech.validate(SpeechRequest(text, None, "auto"), max_chars=100, principal=who)
        assert req.language == "en", text
