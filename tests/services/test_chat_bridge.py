"""The chat bridge against a real local OpenAI-compatible provider process: routing, billing,
streaming, tools, free-model limits, sanitized upstream errors, and the local vision answer."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from seesay.accounts.service import Principal
from seesay.api import create_app
from seesay.errors import InvalidRequest, NotFound, RateLimited, UpstreamError
from seesay.platform import Platform
from seesay.services.chat.routing import ProviderTable
from seesay.services.chat.settings import ChatSettings, ProviderSettings
from seesay.services.chat_bridge import ChatUsage
from seesay.settings import load_settings
from support.accounts import make_key
from support.upstream_openai import SECRET_MARKER, Upstream, start_upstream

pytestmark = pytest.mark.slow

HELLO = [{"role": "user", "content": "Hello there"}]
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get current weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    with start_upstream() as server:
        yield server


def providers(upstream: Upstream) -> list[dict[str, Any]]:
    return [
        {
            "name": "local",
            "base_url": upstream.base_url,
            "api_key": upstream.api_key,
            "models": [
                {"id": "echo-model", "credits_per_request": 2.0, "display_name": "Echo"},
                "fail-500",
                "fail-429",
                "fail-400",
                "drop-stream",
                {"id": "local:free-echo", "upstream_model": "echo-model", "free": True},
            ],
        },
        {
            "name": "other",
            "base_url": upstream.base_url,
            "api_key": upstream.api_key,
            "models": ["echo-model"],
            "tools": False,
        },
    ]


@pytest.fixture(scope="module")
def platform(upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    settings = load_settings(
        data_dir=tmp_path_factory.mktemp("bridge"),
        providers=providers(upstream),
        chat={"free_per_minute": 20, "free_per_day": 50},
    )
    built = Platform.build(settings)
    yield built
    built.close()


def principal(platform: Platform, credits: float = 100) -> tuple[Principal, str]:
    key = make_key(platform, credits=credits)
    return platform.accounts.authenticate(key.key), key.account_id


def balance(platform: Platform, account_id: str) -> int:
    return platform.ledger.balances(account_id).total


def events(chunks: Iterator[bytes]) -> list[Any]:
    out: list[Any] = []
    for raw in b"".join(chunks).decode().split("\n\n"):
        if raw.startswith("data: "):
            data = raw[len("data: ") :]
            out.append(data if data == "[DONE]" else json.loads(data))
    return out


# -- routing --------------------------------------------------------------------------------


def test_routing_by_id_prefix_and_provider() -> None:
    table = ProviderTable(
        [
            ProviderSettings(name="a", base_url="http://x/v1", models=["m1", "shared"]),
            ProviderSettings(
                name="openrouter",
                base_url="http://y/v1",
                models=["shared", "openrouter:openai/gpt-oss-20b:free"],
            ),
        ]
    )
    assert table.resolve("m1").provider.name == "a"
    route = table.resolve("openrouter:openai/gpt-oss-20b:free")
    assert (route.provider.name, route.upstream_model) == ("openrouter", "openai/gpt-oss-20b:free")
    assert table.resolve("openai/gpt-oss-20b:free", "openrouter").model_id == (
        "openrouter:openai/gpt-oss-20b:free"
    )
    assert table.resolve("a:m1").model_id == "m1"
    with pytest.raises(InvalidRequest) as ambiguous:
        table.resolve("shared")
    assert ambiguous.value.param == "provider"
    assert table.resolve("shared", "openrouter").provider.name == "openrouter"
    with pytest.raises(NotFound):
        table.resolve("nope")
    with pytest.raises(InvalidRequest):
        table.resolve("m1", "nobody")


# -- completions ----------------------------------------------------------------------------


def test_complete_charges_the_table_price_and_sends_only_the_provider_key(
    platform: Platform, upstream: Upstream
) -> None:
    who, account = principal(platform)
    upstream.clear()
    body = {"model": "echo-model", "provider": "local", "messages": HELLO, "web_search": True}
    done = platform.chat.complete(who, body)
    assert done.body["choices"][0]["message"]["content"] == "You said: Hello there"
    assert done.body["model"] == "echo-model"
    assert done.usage == ChatUsage("local", "echo-model", 2000, 98_000, False)
    assert balance(platform, account) == 98_000
    (seen,) = upstream.requests()
    assert seen["authorization"] == f"Bearer {upstream.api_key}"
    assert "provider" not in seen["body"]
    assert "web_search" not in seen["body"]
    assert seen["body"]["model"] == "echo-model"


def test_ambiguous_model_needs_a_provider(platform: Platform) -> None:
    who, account = principal(platform)
    with pytest.raises(InvalidRequest) as err:
        platform.chat.complete(who, {"model": "echo-model", "messages": HELLO})
    assert err.value.param == "provider"
    assert balance(platform, account) == 100_000


def test_tools_round_trip_non_streaming(platform: Platform) -> None:
    who, _ = principal(platform)
    body: dict[str, Any] = {
        "model": "echo-model",
        "provider": "local",
        "tools": [WEATHER_TOOL],
        "tool_choice": "auto",
        "messages": [{"role": "user", "content": "What is the weather in Rome?"}],
    }
    first = platform.chat.complete(who, body).body["choices"][0]
    assert first["finish_reason"] == "tool_calls"
    (call,) = first["message"]["tool_calls"]
    assert call["function"]["name"] == "get_weather"
    assert json.loads(call["function"]["arguments"]) == {"city": "Rome"}
    body["messages"] += [
        first["message"],
        {"role": "tool", "tool_call_id": call["id"], "content": '{"temp_c": 22}'},
    ]
    second = platform.chat.complete(who, body).body["choices"][0]
    assert second["message"]["content"] == 'Tool said: {"temp_c": 22}'


def test_tools_refused_for_a_provider_without_them(platform: Platform) -> None:
    who, account = principal(platform)
    with pytest.raises(InvalidRequest) as err:
        platform.chat.complete(
            who,
            {
                "model": "echo-model",
                "provider": "other",
                "tools": [WEATHER_TOOL],
                "messages": HELLO,
            },
        )
    assert err.value.param == "tools"
    assert balance(platform, account) == 100_000


def test_stream_passes_chunks_and_settles_once_with_final_fields(platform: Platform) -> None:
    who, account = principal(platform)
    stream = platform.chat.stream(
        who,
        {"model": "local:echo-model", "messages": HELLO},
        final_extra=lambda u: {"webvoice": {"credits_used": u.credits_used / 1000}},
    )
    got = events(stream)
    assert got[-1] == "[DONE]"
    text = "".join(e["choices"][0]["delta"].get("content") or "" for e in got[:-1])
    assert text.strip() == "You said: Hello there"
    final = got[-2]
    assert final["choices"][0]["finish_reason"] == "stop"
    assert final["webvoice"] == {"credits_used": 2.0}
    assert all(e["model"] == "echo-model" for e in got[:-1])
    assert stream.usage is not None
    assert stream.usage.credits_used == 2000
    assert balance(platform, account) == 98_000


def test_stream_with_tools_gives_partial_tool_call_deltas(platform: Platform) -> None:
    who, _ = principal(platform)
    got = events(
        platform.chat.stream(
            who,
            {
                "model": "echo-model",
                "provider": "local",
                "tools": [WEATHER_TOOL],
                "messages": [{"role": "user", "content": "Weather in Paris"}],
            },
        )
    )
    deltas = [d for e in got[:-1] for d in e["choices"][0]["delta"].get("tool_calls") or []]
    assert len(deltas) > 2
    assert json.loads("".join(d["function"]["arguments"] for d in deltas)) == {"city": "Paris"}
    assert got[-2]["choices"][0]["finish_reason"] == "tool_calls"


# -- failures -------------------------------------------------------------------------------


def test_upstream_500_is_sanitized_and_refunded(platform: Platform) -> None:
    who, account = principal(platform)
    with pytest.raises(UpstreamError) as err:
        platform.chat.complete(who, {"model": "fail-500", "messages": HELLO})
    assert err.value.status == 502
    assert SECRET_MARKER not in str(err.value.message)
    assert "hunter2" not in err.value.message
    assert balance(platform, account) == 100_000
    with pytest.raises(UpstreamError):
        platform.chat.stream(who, {"model": "fail-500", "messages": HELLO})
    assert balance(platform, account) == 100_000


def test_upstream_429_keeps_its_retry_after(platform: Platform) -> None:
    who, account = principal(platform)
    with pytest.raises(UpstreamError) as err:
        platform.chat.complete(who, {"model": "fail-429", "messages": HELLO})
    assert (err.value.status, err.value.retry_after) == (429, 7)
    assert balance(platform, account) == 100_000


def test_upstream_400_is_a_client_error(platform: Platform) -> None:
    who, _ = principal(platform)
    with pytest.raises(UpstreamError) as err:
        platform.chat.complete(who, {"model": "fail-400", "messages": HELLO})
    assert err.value.status == 400


def test_a_stream_that_breaks_off_is_refunded_and_ends_with_an_error(platform: Platform) -> None:
    who, account = principal(platform)
    got = events(platform.chat.stream(who, {"model": "drop-stream", "messages": HELLO}))
    assert "error" in got[-1]
    assert "[DONE]" not in got
    assert balance(platform, account) == 100_000


def test_a_client_that_leaves_mid_stream_is_refunded(platform: Platform) -> None:
    who, account = principal(platform)
    stream = platform.chat.stream(who, {"model": "local:echo-model", "messages": HELLO})
    next(stream)
    assert balance(platform, account) == 98_000  # held while streaming
    stream.close()
    assert balance(platform, account) == 100_000


def test_insufficient_credits_before_upstream(platform: Platform, upstream: Upstream) -> None:
    from seesay.errors import InsufficientCredits

    who, _ = principal(platform, credits=1)
    upstream.clear()
    with pytest.raises(InsufficientCredits):
        platform.chat.complete(who, {"model": "local:echo-model", "messages": HELLO})
    assert upstream.requests() == []


# -- free models ------------------------------------------------------------------------------


def test_free_model_costs_nothing_even_at_zero_balance_and_is_limited_per_minute(
    platform: Platform,
) -> None:
    who, account = principal(platform, credits=0)
    body = {"model": "local:free-echo", "messages": HELLO}
    for _ in range(20):
        done = platform.chat.complete(who, body)
        assert done.usage.credits_used == 0
        assert done.usage.free
    with pytest.raises(RateLimited) as err:
        platform.chat.complete(who, body)
    assert err.value.limit == 20
    assert 1 <= err.value.retry_after <= 60
    # Per account: another key of the same account is limited too.
    other = make_key(platform, account_id=account)
    with pytest.raises(RateLimited):
        platform.chat.complete(platform.accounts.authenticate(other.key), body)


def test_free_model_daily_limit_grows_after_a_purchase(upstream: Upstream, tmp_path: Path) -> None:
    settings = load_settings(
        data_dir=tmp_path / "data",
        providers=providers(upstream),
        chat=ChatSettings(free_per_minute=100, free_per_day=2, free_per_day_purchased=3),
    )
    built = Platform.build(settings)
    try:
        who, account = principal(built, credits=0)
        body = {"model": "local:free-echo", "messages": HELLO}
        built.chat.complete(who, body)
        built.chat.complete(who, body)
        with pytest.raises(RateLimited) as err:
            built.chat.complete(who, body)
        assert "per day" in err.value.message
        assert err.value.retry_after > 60
        built.ledger.grant(account, 1000)  # a purchase
        built.chat.complete(who, body)
        with pytest.raises(RateLimited):
            built.chat.complete(who, body)
    finally:
        built.close()


def test_each_key_has_a_daily_chat_spending_cap(upstream: Upstream, tmp_path: Path) -> None:
    settings = load_settings(
        data_dir=tmp_path / "data",
        providers=providers(upstream),
        chat=ChatSettings(key_daily_spend_cap=4000),  # 4 credits a key a day
    )
    built = Platform.build(settings)
    try:
        key = make_key(built, credits=100)
        who = built.accounts.authenticate(key.key)
        body = {"model": "echo-model", "provider": "local", "messages": HELLO}
        with pytest.raises(UpstreamError):  # refunded, so it does not use the allowance
            built.chat.complete(who, {"model": "fail-500", "messages": HELLO})
        built.chat.complete(who, body)  # 2 credits
        built.chat.complete(who, body)  # 4
        with TestClient(create_app(settings, platform=built)) as client:
            capped = client.post(
                "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {key.key}"}
            )
            other = make_key(built, account_id=key.account_id)
            allowed = client.post(
                "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {other.key}"}
            )
        assert capped.status_code == 429
        error = capped.json()["error"]
        assert error["type"] == "rate_limit_error"
        assert "daily chat spending cap of 4 credits" in error["message"]
        assert 1 <= int(capped.headers["Retry-After"]) <= 86400
        assert allowed.status_code == 200  # the cap is per key
        assert balance(built, key.account_id) == 100_000 - 3 * 2000
    finally:
        built.close()


# -- local vision -------------------------------------------------------------------------------


def _png_data_url() -> str:
    image = Image.new("RGB", (96, 64), (200, 30, 30))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def test_vision_model_answers_locally(platform: Platform, upstream: Upstream) -> None:
    who, account = principal(platform)
    upstream.clear()
    message = {
        "role": "user",
        "content": [
            {"type": "text", "text": "What is in this image?"},
            {"type": "image_url", "image_url": {"url": _png_data_url()}},
        ],
    }
    done = platform.chat.complete(who, {"model": "seesay-vision", "messages": [message]})
    text = done.body["choices"][0]["message"]["content"]
    assert isinstance(text, str)
    assert len(text) > 5
    assert done.body["object"] == "chat.completion"
    assert done.usage.provider == "seesay"
    assert balance(platform, account) == 100_000 - platform.prices.cost("describe")
    got = events(platform.chat.stream(who, {"model": "seesay-vision", "messages": [message]}))
    assert got[-1] == "[DONE]"
    assert got[-2]["choices"][0]["finish_reason"] == "stop"
    streamed = "".join(e["choices"][0]["delta"].get("content") or "" for e in got[:-1])
    assert streamed.strip()
    assert upstream.requests() == []


def test_vision_model_without_an_image_or_with_a_bad_one_costs_nothing(
    platform: Platform,
) -> None:
    who, account = principal(platform)
    with pytest.raises(InvalidRequest):
        platform.chat.complete(who, {"model": "seesay-vision", "messages": HELLO})
    bad = {
        "role": "user",
        "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}],
    }
    with pytest.raises(InvalidRequest):
        platform.chat.complete(who, {"model": "seesay-vision", "messages": [bad]})
    assert balance(platform, account) == 100_000
