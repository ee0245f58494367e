"""One platform, app and live server per test module (models load once per module)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from seesay.api import create_app
from seesay.platform import Platform
from seesay.settings import load_settings
from support.live import serve_app


@pytest.fixture(scope="module")
def sdk_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    data: Path = tmp_path_factory.mktemp("sdk") / "data"
    # Image URLs in these tests are served from loopback, which the guard otherwise refuses.
    settings = load_settings(data_dir=data, fetch={"allowed_hosts": ["127.0.0.1"]})
    platform = Platform.build(settings)
    yield platform
    platform.close()


@pytest.fixture(scope="module")
def sdk_app(sdk_platform: Platform) -> FastAPI:
    return create_app(sdk_platform.settings, platform=sdk_platform)


@pytest.fixture(scope="module")
def live_url(sdk_app: FastAPI) -> Iterator[str]:
    """The app under real uvicorn on 127.0.0.1 (its lifespan starts the job consumers)."""
    with serve_app(sdk_app) as base:
        yield base


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
