"""The database readiness check on both backends, and what it must never do."""

from __future__ import annotations

from pathlib import Path

import pytest

from seesay.db import Database
from seesay.errors import ServiceUnavailable
from seesay.platform import Platform


@pytest.mark.postgres
def test_the_check_passes_on_a_migrated_database(backend_platform: Platform) -> None:
    backend_platform.db.check()
    backend_platform.db.check()  # again, within the integrity check's time share


def test_the_check_never_creates_the_file_it_looks_for(tmp_path: Path) -> None:
    path = tmp_path / "gone.db"
    db = Database.connect(f"sqlite:///{path}")
    with pytest.raises(ServiceUnavailable, match="file is missing"):
        db.check()
    assert not path.exists()
    db.dispose()
