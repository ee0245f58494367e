"""``seesay mcp`` spoken to with the official ``mcp`` client: over stdio (the server spawned as
a subprocess, running the engines locally) every tool is listed and called; over streamable
HTTP against a live SeeSay server (``--server --key``) the tools go through the SDK."""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from mcp import ClientSession, StdioServerParameters
from sdk.media import corrupt_jpeg, photo_jpeg, serve_folder
from seesay.api import create_app
from seesay.mcp import TOOL_NAMES
from seesay.media.audio_decode import decode_audio
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key
from support.live import free_port, serve_app, spawn, wait_until_ready

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


def audio_seconds(path: str | Path) -> float:
    return decode_audio(Path(path).read_bytes()).duration


def b64_of(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode()


def result_of(result: Any) -> Any:
    """A successful tool result's JSON value."""
    assert not result.is_error, result.content
    value = result.structured_content
    if value is None:
        value = json.loads(result.content[0].text)
    if isinstance(value, dict) and set(value) == {"result"}:
        return value["result"]  # a non-object return value, wrapped by the SDK
    return value


@pytest.fixture(scope="module")
async def session(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[ClientSession]:
    home = tmp_path_factory.mktemp("mcp-home")
    out = tmp_path_factory.mktemp("mcp-audio")
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "seesay.cli.main", "mcp", "--output-dir", str(out)],
        env={
            "HOME": str(home),
            "SEESAY_DATA_DIR": str(home / "unused"),
            # Image URLs in this test are served from loopback.
            "SEESAY_FETCH__ALLOWED_HOSTS": "127.0.0.1",
        },
    )
    with (home / "server.log").open("w") as errlog:
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            ClientSession(read, write) as client,
        ):
            await client.initialize()
            yield client


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mcp-images") / "cat.jpg"
    path.write_bytes(photo_jpeg((320, 240)))
    return path


async def test_lists_every_tool_with_its_schema(session: ClientSession) -> None:
    tools = {t.name: t for t in (await session.list_tools()).tools}
    assert set(tools) == set(TOOL_NAMES)
    assert tools["describe_image"].input_schema["required"] == ["image"]
    assert "path" in tools["describe_image"].input_schema["properties"]["image"]["description"]
    assert set(tools["translate"].input_schema["required"]) == {"text", "to"}
    assert all(t.description for t in tools.values())


async def test_describe_image_from_a_path_a_url_and_base64(
    session: ClientSession, photo: Path
) -> None:
    by_path = result_of(await session.call_tool("describe_image", {"image": str(photo)}))
    assert "cat" in by_path["description"].lower()
    assert by_path["language"] == "en"
    encoded = b64_of(photo)
    by_b64 = result_of(
        await session.call_tool(
            "describe_image", {"image": f"data:image/jpeg;base64,{encoded}", "detail": "brief"}
        )
    )
    assert by_b64["description"]
    with serve_folder(photo.parent) as base:
        by_url = result_of(
            await session.call_tool("describe_image", {"image": f"{base}/{photo.name}"})
        )
    assert by_url["description"] == by_path["description"]


async def test_describe_and_speak_then_transcribe_the_audio(
    session: ClientSession, photo: Path
) -> None:
    spoken = result_of(
        await session.call_tool(
            "describe_and_speak", {"image": str(photo), "voice": "eve", "format": "wav"}
        )
    )
    assert spoken["audio"].endswith(".wav")
    assert abs(audio_seconds(spoken["audio"]) - spoken["duration_seconds"]) < 0.2
    heard = result_of(await session.call_tool("transcribe", {"audio": spoken["audio"]}))
    assert "cat" in heard["text"].lower()


async def test_speak_translate_and_list_voices(session: ClientSession) -> None:
    spoken = result_of(
        await session.call_tool("speak", {"text": "Good morning, everyone.", "voice": "rex"})
    )
    assert audio_seconds(spoken["audio"]) > 0.5
    translated = result_of(
        await session.call_tool("translate", {"text": "The dog is on the table.", "to": "es"})
    )
    assert translated["target"] == "es"
    assert translated["text"] != "The dog is on the table."
    voices = result_of(await session.call_tool("list_voices", {"language": "ja"}))
    assert voices[0]["language"].startswith("ja")


async def test_bad_input_is_a_tool_error_not_a_crash(session: ClientSession) -> None:
    bad = await session.call_tool(
        "describe_image", {"image": base64.b64encode(corrupt_jpeg()).decode()}
    )
    assert bad.is_error
    assert "invalid_image" in bad.content[0].text
    nonsense = await session.call_tool("describe_image", {"image": "not an image at all"})
    assert nonsense.is_error
    assert "path" in nonsense.content[0].text
    missing = await session.call_tool("transcribe", {"audio": "/no/such/file.wav"})
    assert missing.is_error
    # The server is still there.
    assert result_of(await session.call_tool("list_voices", {}))


# -- streamable HTTP, against a SeeSay server ------------------------------------------------


@pytest.fixture(scope="module")
def seesay_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    settings = load_settings(data_dir=tmp_path_factory.mktemp("mcp-server") / "data")
    platform = Platform.build(settings)
    key = make_key(platform, plan="paid", credits=100).key
    with serve_app(create_app(settings, platform=platform)) as base:
        yield base, key


async def test_streamable_http_against_a_server(
    seesay_server: tuple[str, str], photo: Path, tmp_path: Path
) -> None:
    base, key = seesay_server
    port = free_port()
    args = ("mcp", "--transport", "http", "--port", str(port), "--server", base, "--key", key)
    with spawn(*args, env={"HOME": str(tmp_path)}, log=tmp_path / "mcp.log") as proc:
        url = f"http://127.0.0.1:{port}/mcp"
        wait_until_ready(url, proc=proc)
        async with streamable_http_client(url) as (read, write), ClientSession(read, write) as s:
            await s.initialize()
            assert {t.name for t in (await s.list_tools()).tools} == set(TOOL_NAMES)
            spoken = result_of(
                await s.call_tool("describe_and_speak", {"image": str(photo), "voice": "ara"})
            )
            assert spoken["audio_url"].startswith(base + "/files/")
            assert spoken["audio"] is None  # on a server: a signed URL, no local file
            said = result_of(await s.call_tool("speak", {"text": "Hello over HTTP."}))
            assert said["audio_url"].startswith(base + "/files/")
            assert result_of(await s.call_tool("list_voices", {}))
