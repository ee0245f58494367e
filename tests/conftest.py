"""Suite-wide fixtures. Helpers live in ``tests/support`` (on the path via pytest's
``pythonpath``)."""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from seesay.api import create_app
from seesay.platform import Platform
from seesay.settings import Settings, load_settings
from support.services import fresh_postgres


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(data_dir=tmp_path / "data")


@pytest.fixture
def platform(settings: Settings) -> Iterator[Platform]:
    built = Platform.build(settings)
    yield built
    built.close()


@pytest.fixture
def app(settings: Settings, platform: Platform) -> FastAPI:
    return create_app(settings, platform=platform)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(params=["sqlite", "postgres"])
def backend_platform(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Platform]:
    """A platform on SQLite, then on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        platform = Platform.build(load_settings(data_dir=tmp_path))
        yield platform
        platform.close()
        return
    with fresh_postgres() as url:
        platform = Platform.build(load_settings(data_dir=tmp_path, database_url=url))
        yield platform
        platform.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    """Under ``CI=true`` a skipped test fails: in CI a skip means a missing install step."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") != "true" or not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
    report.outcome = "failed"
    report.longrepr = f"skipped under CI=true (a missing install?): {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, None]:
    """The same for a whole module skipped at collection (``pytest.importorskip``)."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") != "true" or not report.skipped:
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
    report.outcome = "failed"
    report.longrepr = f"skipped under CI=true (a missing install?): {reason}"
