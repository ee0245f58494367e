"""Helpers of the WebVoice surface tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from seesay.platform import Platform
from support.accounts import TestKey, make_key
from support.smtp import Inbox

BASE = "/compat/webvoice/api/v1"


@dataclass
class WebVoice:
    platform: Platform
    client: TestClient
    inbox: Inbox

    def key(self, **kwargs: Any) -> TestKey:
        return make_key(self.platform, **kwargs)

    def headers(self, key: TestKey) -> dict[str, str]:
        return {"X-API-Key": key.key}
