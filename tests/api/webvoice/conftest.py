"""Fixtures of the WebVoice surface tests: one platform and SMTP server per module (the
speech engines load once), fresh accounts per test, limits reset between tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from seesay.api import create_app
from seesay.platform import Platform
from seesay.settings import load_settings
from support.smtp import Inbox, smtp_server
from support.webvoice import WebVoice


@pytest.fixture(scope="module")
def smtp() -> Iterator[Inbox]:
    with smtp_server() as inbox:
        yield inbox


@pytest.fixture(scope="module")
def wv_overrides() -> dict[str, Any]:
    """Extra settings of a test module (override in the module)."""
    return {}


@pytest.fixture(scope="module")
def wv(
    tmp_path_factory: pytest.TempPathFactory, smtp: Inbox, wv_overrides: dict[str, Any]
) -> Iterator[WebVoice]:
    smtp_settings = {
        "host": smtp.host,
        "port": smtp.port,
        "security": "none",
        "from_address": "seesay@test.invalid",
    }
    overrides: dict[str, Any] = {"smtp": smtp_settings, **wv_overrides}
    settings = load_settings(data_dir=tmp_path_factory.mktemp("webvoice"), **overrides)
    platform = Platform.build(settings)
    try:
        with TestClient(create_app(settings, platform=platform)) as client:
            yield WebVoice(platform, client, smtp)
    finally:
        platform.close()


@pytest.fixture(autouse=True)
def _fresh_limits(request: pytest.FixtureRequest) -> None:
    if "wv" in request.fixturenames:
        wv: WebVoice = request.getfixturevalue("wv")
        wv.platform.webvoice.ip_limits.reset()
        wv.platform.rate_limiter.reset()
        wv.inbox.refuse = False
