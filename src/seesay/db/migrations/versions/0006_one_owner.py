"""accounts: at most one owner (a partial unique index on is_owner)

Revision ID: 0006_one_owner
Revises: 0005_job_request_id
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_one_owner"
down_revision: str | None = "0005_job_request_id"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A database that two servers started at once may hold two owners already (the race
    # this index closes): the oldest stays the owner, the others become ordinary accounts.
    op.execute(
        sa.text(
            "UPDATE accounts SET is_owner = :no WHERE is_owner = :yes AND id <> ("
            "SELECT id FROM accounts WHERE is_owner = :yes ORDER BY created_at, id LIMIT 1)"
        ).bindparams(no=False, yes=True)
    )
    op.create_index(
        "uq_accounts_one_owner",
        "accounts",
        ["is_owner"],
        unique=True,
        sqlite_where=sa.text("is_owner"),
        postgresql_where=sa.text("is_owner"),
    )


def downgrade() -> None:
    op.drop_index("uq_accounts_one_owner", table_name="accounts")
