"""WebVoice ``chat/completions/``, ``models/`` and ``chat/models/`` through the bridge to a real
local OpenAI-compatible upstream process: streaming, tools, the ``webvoice`` field, free-model
limits, sanitized upstream errors, and the caller's key never forwarded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from support.upstream_openai import SECRET_MARKER, Upstream, start_upstream
from support.webvoice import BASE, WebVoice

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get current weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "City name"}},
            "required": ["city"],
        },
    },
}


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    with start_upstream() as up:
        yield up


@pytest.fixture(scope="module")
def wv_overrides(upstream: Upstream) -> dict[str, Any]:
    return {
        "providers": [
            {
                "name": "deepseek",
                "base_url": upstream.base_url,
                "api_key": upstream.api_key,
                "models": [
                    {
                        "id": "deepseek-v4-flash",
                        "display_name": "DeepSeek V4 Flash",
                        "credits_per_request": 2.0,
                        "upstream_model": "echo-model",
                    },
                    {"id": "fail-500", "credits_per_request": 2.0},
                    {"id": "fail-429", "credits_per_request": 2.0},
                ],
            },
            {
                "name": "openrouter",
                "base_url": upstream.base_url,
                "api_key": upstream.api_key,
                "models": [
                    {
                        "id": "openrouter:openai/gpt-oss-20b:free",
                        "display_name": "GPT OSS 20B (OpenRouter free)",
                        "free": True,
                        "upstream_model": "echo-model",
                    }
                ],
            },
        ]
    }


def _chat(wv: WebVoice, key: str, **body: Any) -> Any:
    body.setdefault("messages", [{"role": "user", "content": "Hello"}])
    return wv.client.post(f"{BASE}/chat/completions/", json=body, headers={"X-API-Key": key})


def test_completion_carries_the_webvoice_usage_field(wv: WebVoice, upstream: Upstream) -> None:
    key = wv.key(credits=100)
    r = _chat(wv, key.key, model="deepseek-v4-flash")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["object"] == "chat.completion"
    assert body["model"] == "deepseek-v4-flash"
    assert body["choices"][0]["message"]["content"] == "You said: Hello"
    assert body["webvoice"] == {
        "credits_used": 2.0,
        "credits_remaining": 98.0,
        "provider": "deepseek",
    }
    sent = upstream.requests()[-1]
    assert sent["body"]["max_tokens"] == 2000  # the spec's defaults
    assert sent["body"]["temperature"] == 0.7


def test_stream_ends_with_webvoice_chunk_and_done(wv: WebVoice) -> None:
    key = wv.key(credits=10)
    with wv.client.stream(
        "POST",
        f"{BASE}/chat/completions/",
        json={
            "model": "deepseek-v4-flash",
            "stream": True,
            "messages": [{"role": "user", "content": "Hello there"}],
        },
        headers={"Authorization": f"Bearer {key.key}"},
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in r.iter_lines() if line.startswith("data: ")]
    assert lines[-1] == "data: [DONE]"
    events = [json.loads(line[6:]) for line in lines[:-1]]
    text = "".join(e["choices"][0]["delta"].get("content") or "" for e in events if e["choices"])
    assert text.strip() == "You said: Hello there"  # the upstream streams word by word
    final = events[-1]
    assert final["choices"][0]["finish_reason"] == "stop"
    assert final["webvoice"]["credits_used"] == 2.0
    assert final["webvoice"]["credits_remaining"] == 8.0


def test_tools_round_trip(wv: WebVoice) -> None:
    key = wv.key()
    messages: list[dict[str, Any]] = [{"role": "user", "content": "What is the weather in Rome"}]
    r = _chat(
        wv,
        key.key,
        model="deepseek-v4-flash",
        tools=[WEATHER_TOOL],
        tool_choice="auto",
        messages=messages,
    )
    assert r.status_code == 200, r.text
    choice = r.json()["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    call = choice["message"]["tool_calls"][0]
    assert call["function"]["name"] == "get_weather"
    assert json.loads(call["function"]["arguments"]) == {"city": "Rome"}
    messages += [
        choice["message"],
        {"role": "tool", "tool_call_id": call["id"], "content": '{"temp_c": 22}'},
    ]
    r = _chat(wv, key.key, model="deepseek-v4-flash", tools=[WEATHER_TOOL], messages=messages)
    assert r.json()["choices"][0]["message"]["content"] == 'Tool said: {"temp_c": 22}'


def test_the_callers_key_never_reaches_the_upstream(wv: WebVoice, upstream: Upstream) -> None:
    key = wv.key()
    upstream.clear()
    assert _chat(wv, key.key, model="deepseek-v4-flash").status_code == 200
    for sent in upstream.requests():
        assert key.key not in json.dumps(sent)
        assert sent["authorization"] == f"Bearer {upstream.api_key}"


def test_models_and_chat_models_list_the_provider_table(wv: WebVoice) -> None:
    key = wv.key()
    h = {"X-API-Key": key.key}
    listed = wv.client.get(f"{BASE}/models/", headers=h).json()
    assert listed["object"] == "list"
    ids = {m["id"] for m in listed["data"]}
    assert {"deepseek-v4-flash", "openrouter:openai/gpt-oss-20b:free"} <= ids
    assert all(m["object"] == "model" and m["owned_by"] for m in listed["data"])
    extended = {m["id"]: m for m in wv.client.get(f"{BASE}/chat/models/", headers=h).json()["data"]}
    assert extended["deepseek-v4-flash"]["credits_per_request"] == 2.0
    assert extended["deepseek-v4-flash"]["display_name"] == "DeepSeek V4 Flash"
    assert extended["openrouter:openai/gpt-oss-20b:free"]["credits_per_request"] == 0
    assert wv.client.get(f"{BASE}/models/").status_code == 401


def test_free_models_cost_nothing_even_at_zero_balance_and_are_limited(wv: WebVoice) -> None:
    key = wv.key(credits=0)
    for _ in range(20):
        r = _chat(wv, key.key, model="openrouter:openai/gpt-oss-20b:free")
        assert r.status_code == 200, r.text
        assert r.json()["webvoice"]["credits_used"] == 0
    r = _chat(wv, key.key, model="openrouter:openai/gpt-oss-20b:free")
    assert r.status_code == 429
    assert r.json()["error"] == "Too Many Requests"
    assert int(r.headers["Retry-After"]) >= 1


def test_spec_errors(wv: WebVoice) -> None:
    key = wv.key(credits=1)
    cases: list[tuple[dict[str, Any], int]] = [
        ({"model": "deepseek-v4-flash", "max_tokens": 9000}, 400),
        ({"model": "deepseek-v4-flash", "max_tokens": 0}, 400),
        ({"model": "deepseek-v4-flash", "temperature": 2.5}, 400),
        ({"model": "deepseek-v4-flash", "web_search": True, "tools": [WEATHER_TOOL]}, 400),
        ({"model": "no-such-model"}, 400),
        ({"model": "deepseek-v4-flash", "messages": []}, 400),
        ({"messages": [{"role": "user", "content": "x"}]}, 400),
        ({"model": "deepseek-v4-flash"}, 402),  # 1 credit left, 2 per request
    ]
    for body, status in cases:
        r = _chat(wv, key.key, **body)
        assert r.status_code == status, (body, r.text)
        assert set(r.json()) >= {"error", "message"}
    assert _chat(wv, "seesay_live_" + "x" * 43, model="deepseek-v4-flash").status_code == 401
    assert wv.platform.ledger.balances(key.account_id).total == 1000


def test_upstream_failures_are_sanitized_and_refunded(wv: WebVoice) -> None:
    key = wv.key(credits=10)
    r = _chat(wv, key.key, model="fail-500")
    assert r.status_code == 502
    assert SECRET_MARKER not in r.text
    r = _chat(wv, key.key, model="fail-429")
    assert r.status_code == 429
    assert r.headers["Retry-After"] == "7"
    assert wv.platform.ledger.balances(key.account_id).total == 10_000


def test_chat_holds_the_plans_concurrency_slot(wv: WebVoice) -> None:
    """The local vision model runs the describer here: a free plan gets one at a time, as on
    the OpenAI route (the probe ran four at once)."""
    key = wv.key(plan="free", credits=0)
    principal = wv.platform.accounts.authenticate(key.key)
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    with wv.platform.concurrency.slot(principal.limit_key, 1):  # a request in flight
        busy = _chat(
            wv, key.key, model="seesay-vision", messages=[{"role": "user", "content": [image]}]
        )
    assert busy.status_code == 429, busy.text
    assert busy.headers["Retry-After"] == "1"
    free = _chat(
        wv, key.key, model="seesay-vision", messages=[{"role": "user", "content": [image]}]
    )
    assert free.status_code == 400  # the slot is free again: on to the (bad) image
