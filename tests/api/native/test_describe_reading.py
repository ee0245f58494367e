"""``/v1/describe`` reads signs and pages: words separated, columns in reading order."""

from __future__ import annotations

import base64
import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from engines.vision.test_reading import render_columns, render_sign, words
from seesay.platform import Platform
from support.accounts import make_key

pytestmark = pytest.mark.slow


def data_url(image: Image.Image) -> str:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def test_a_sign_and_a_two_column_page_are_read_in_order(
    platform: Platform, client: TestClient
) -> None:
    key = make_key(platform, credits=2)
    sign = client.post(
        "/v1/describe",
        headers={"X-API-Key": key.key},
        json={"image": data_url(render_sign()), "detail": "brief"},
    )
    assert sign.status_code == 200, sign.text
    assert sign.json()["findings"]["text"]["full"] == "ROAD CLOSED Use Mill Lane"
    assert '"ROAD CLOSED", "Use Mill Lane"' in sign.json()["description"], sign.json()
    image, title, left, right = render_columns(seed=11)
    page = client.post(
        "/v1/describe",
        headers={"X-API-Key": key.key},
        json={"image": data_url(image), "detail": "detailed"},
    )
    assert page.status_code == 200, page.text
    body = page.json()
    assert words(body["findings"]["text"]["full"]) == words(title) + left + right
    said = words(body["description"])
    start = said.index(left[0])  # the spoken text reads the left column, then the right one
    assert said[start : start + len(left) + len(right)] == left + right
