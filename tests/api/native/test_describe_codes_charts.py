"""``/v1/describe`` reads QR codes, barcodes and charts made in the test, end to end."""

from __future__ import annotations

import base64
import re

import pytest
from fastapi.testclient import TestClient

from seesay.engines.tts.text import normalize
from seesay.platform import Platform
from support.accounts import make_key
from support.drawn import (
    MONTHS,
    bar_chart,
    ean13_image,
    login_screen,
    png_bytes,
    qr_image,
    receipt_image,
)

pytestmark = pytest.mark.slow


def describe(client: TestClient, key: str, png: bytes, **extra: str) -> dict:
    r = client.post(
        "/v1/describe",
        headers={"X-API-Key": key},
        json={"image": "data:image/png;base64," + base64.b64encode(png).decode(), **extra},
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_describe_says_a_qr_codes_web_address_and_a_barcodes_product_number(
    platform: Platform, client: TestClient
) -> None:
    key = make_key(platform, credits=3).key
    qr = describe(client, key, png_bytes(qr_image("https://example.com/menu")), detail="brief")
    assert "a QR code with the web address example.com/menu" in qr["description"]
    assert qr["findings"]["codes"][0]["content"] == "https://example.com/menu"
    # A listener hears the marks, not "example comm menu".
    assert "the web address example dot com slash menu" in normalize(qr["description"], "en")
    asked = describe(
        client, key, png_bytes(ean13_image("400638133393")), prompt="What does the barcode say?"
    )
    assert asked["description"].startswith(
        "There is a barcode with the product number 4 006381 333931"
    )
    assert asked["findings"]["codes"][0]["format"] == "EAN-13"
    assert asked["findings"]["prompt_answered"] is True


def test_describe_pairs_each_month_with_its_own_value(
    platform: Platform, client: TestClient
) -> None:
    key = make_key(platform, credits=1).key
    body = describe(client, key, png_bytes(bar_chart(MONTHS)), detail="detailed")
    (chart,) = body["findings"]["charts"]
    assert [(p["label"], p["text"]) for p in chart["pairs"]] == [
        (label, str(value)) for label, value in MONTHS
    ]
    text = body["description"]
    assert text.startswith('This is a bar chart titled "Monthly sales".')
    assert "January: 25, February: 40, March: 95, April: 60, May: 58." in text
    assert "The highest is March at 95 and the lowest January at 25." in text
    # What a listener hears: each month with its value, never a date ("March ninety-fifth").
    spoken = normalize(text, "en")
    assert "February: forty, March: ninety-five, April: sixty, May: fifty-eight." in spoken
    assert "fortieth" not in spoken


def test_translated_descriptions_keep_the_address_and_the_values(
    platform: Platform, client: TestClient
) -> None:
    key = make_key(platform, credits=2).key
    qr = describe(
        client, key, png_bytes(qr_image("https://example.com/menu")), language="es", detail="brief"
    )
    assert "example.com/menu" in qr["description"]
    chart = describe(client, key, png_bytes(bar_chart(MONTHS)), language="es")
    numbers = re.findall(r"\b\d+\b", chart["description"])
    assert numbers[:5] == [str(value) for _, value in MONTHS]  # in order, none changed
    assert chart["findings"]["charts"][0]["pairs"][2]["text"] == "95"


def test_describe_reads_a_receipt_as_lines_and_never_its_total_as_a_highest_value(
    platform: Platform, client: TestClient
) -> None:
    key = make_key(platform, credits=1).key
    body = describe(client, key, png_bytes(receipt_image()), detail="detailed")
    assert body["findings"]["kind"] == "document"
    assert body["findings"]["charts"] == []
    text = body["description"]
    assert '"BREAD 2.50"; "MILK 1.20"; "APPLES 3.75"; "CHEESE 4.10"; "TOTAL 11.55"' in text
    assert "highest" not in text


def test_describe_reads_a_login_screen_by_its_title_fields_and_button(
    platform: Platform, client: TestClient
) -> None:
    key = make_key(platform, credits=1).key
    body = describe(client, key, png_bytes(login_screen()), detail="brief")
    assert body["findings"]["kind"] == "screenshot"
    assert body["description"].startswith(
        'This is a screen titled "Sign in". '
        'It asks for "Email" and "Password"; its main button is "Sign in".'
    ), body["description"]
    screen = body["findings"]["screen"]
    assert [(i["role"], i["label"]) for i in screen["items"] if i["role"] != "text"] == [
        ("field", "Email"),
        ("field", "Password"),
        ("button", "Sign in"),
        ("link", "Forgot password?"),
    ]
