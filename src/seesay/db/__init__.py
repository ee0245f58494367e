"""Persistence: SQLAlchemy models, engines and Alembic migrations."""

from seesay.db.engine import Database
from seesay.db.migrate import upgrade

__all__ = ["Database", "upgrade"]
