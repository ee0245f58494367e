"""Fixtures of the native describe tests: one embedded platform and one client per module
(the describer's models load once per module)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.img2voice.helpers import build_platform
from seesay.api import create_app
from seesay.platform import Platform


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    built = build_platform(tmp_path_factory.mktemp("native"))
    yield built
    built.close()


@pytest.fixture(scope="module")
def client(platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform.settings, platform=platform)) as test_client:
        yield test_client
