"""The MCP server: tool definitions over a :class:`~seesay.backends.Backend`."""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import tempfile
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager, ExitStack, asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Final, Literal, TypeVar

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from seesay import __version__
from seesay.backends import (
    Backend,
    DescribeOptions,
    SpeechOptions,
    error_dict,
    expected_errors,
    open_backend,
)

__all__ = ["TOOL_NAMES", "build_server", "serve"]

TOOL_NAMES: Final = (
    "describe_image",
    "speak",
    "describe_and_speak",
    "transcribe",
    "translate",
    "list_voices",
)

_DATA_URI: Final = re.compile(r"^data:[\w.+-]+/[\w.+-]+(?:;[\w.+-]+=[\w.+-]+)*;base64,", re.I)
T = TypeVar("T")

Detail = Literal["brief", "standard", "detailed"]
ImageArg = Annotated[
    str,
    Field(description="The image: a file path, an http(s) URL, or base64 data (data URI ok)."),
]
LanguageArg = Annotated[str, Field(description="BCP-47 language of the answer, or 'auto'.")]
VoiceArg = Annotated[
    str | None, Field(description="A voice id or alias (eve, ara, rex, sal, leo); see list_voices.")
]
FormatArg = Annotated[str, Field(description="Audio format: mp3, wav, opus, flac or aac.")]


class _Tools:
    """The tool bodies: argument decoding, one backend call each (in a worker thread, one at
    a time, as the local engines are heavy), errors turned into tool errors."""

    def __init__(self, open_: Callable[[], AbstractContextManager[Backend]], output_dir: Path):
        self._open = open_
        self._stack = ExitStack()
        self._backend: Backend | None = None
        self._lock = threading.Lock()
        self.output_dir = output_dir

    def close(self) -> None:
        self._stack.close()

    async def run(self, fn: Callable[[Backend], T]) -> T:
        def call() -> T:
            with self._lock:
                if self._backend is None:  # built on first use: the engines load lazily
                    self._backend = self._stack.enter_context(self._open())
                try:
                    return fn(self._backend)
                except expected_errors() as exc:
                    error = error_dict(exc)
                    raise ToolError(f"{error['message']} ({error['code']})") from exc
                except ValueError as exc:
                    raise ToolError(str(exc)) from exc

        return await anyio.to_thread.run_sync(call)

    def audio_path(self, stem: str, fmt: str) -> Path:
        self.output_dir.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:40] or "audio"
        return self.output_dir / f"{safe}-{secrets.token_hex(4)}.{fmt}"


def image_argument(image: str) -> str | bytes:
    """A URL or an existing file path as is; anything else must be base64 image data."""
    text = image.strip()
    if text.startswith(("http://", "https://")):
        return text
    if len(text) < 4096 and Path(text).expanduser().is_file():
        return str(Path(text).expanduser())
    body = _DATA_URI.sub("", text, count=1)
    try:
        return base64.b64decode(re.sub(r"\s+", "", body), validate=True)
    except (binascii.Error, ValueError):
        raise ToolError(
            "image must be an existing file path, an http(s) URL or base64 image data"
        ) from None


def _stem(image: str | bytes) -> str:
    if isinstance(image, bytes):
        return "image"
    return Path(image.split("?", 1)[0]).stem or "image"


def build_server(
    *,
    server: str | None = None,
    key: str | None = None,
    config: Path | None = None,
    output_dir: str | Path | None = None,
) -> MCPServer[Any]:
    """The MCP server with SeeSay's tools, local or against ``server``."""
    folder = Path(output_dir) if output_dir else Path(tempfile.gettempdir()) / "seesay-mcp"
    tools = _Tools(lambda: open_backend(server, key, config), folder)
    remote = server is not None

    @asynccontextmanager
    async def lifespan(_: MCPServer[Any]) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(tools.close)

    mcp: MCPServer[Any] = MCPServer(
        "seesay",
        title="SeeSay",
        version=__version__,
        instructions=(
            "SeeSay sees images and says what is in them. describe_image gives a description; "
            "describe_and_speak also speaks it (an audio file path, or a URL on a server); "
            "speak, transcribe and translate cover speech and text."
        ),
        lifespan=lifespan,
    )

    def audio_target(stem: str, fmt: str) -> Path | None:
        return None if remote else tools.audio_path(stem, fmt)

    @mcp.tool()
    async def describe_image(
        image: ImageArg,
        detail: Detail = "standard",
        language: LanguageArg = "en",
        prompt: Annotated[str | None, Field(description="Steer the description.")] = None,
    ) -> dict[str, Any]:
        """Describe what is in an image: objects, people, text, colours."""
        source = image_argument(image)
        options = DescribeOptions(detail=detail, language=language, prompt=prompt)
        return await tools.run(lambda b: b.describe(source, options, None))

    @mcp.tool()
    async def describe_and_speak(
        image: ImageArg,
        voice: VoiceArg = None,
        language: LanguageArg = "en",
        detail: Detail = "standard",
        format: FormatArg = "mp3",
    ) -> dict[str, Any]:
        """Describe an image and speak the description; returns the text and the audio
        (``audio``: a file path when local, ``audio_url``: a signed URL on a server)."""
        source = image_argument(image)
        target = audio_target(_stem(source), format)
        options = DescribeOptions(detail, language, None, speak=True, voice=voice, format=format)
        return await tools.run(lambda b: b.describe(source, options, target))

    @mcp.tool()
    async def speak(
        text: Annotated[str, Field(description="What to say.")],
        voice: VoiceArg = None,
        language: LanguageArg = "en",
        format: FormatArg = "mp3",
        speed: Annotated[float, Field(ge=0.25, le=4.0)] = 1.0,
    ) -> dict[str, Any]:
        """Text to speech. Returns the audio file path (local) or its signed URL (server)."""
        target = audio_target("speech", format)
        options = SpeechOptions(voice=voice, language=language, speed=speed, format=format)
        return await tools.run(lambda b: b.speak(text, options, target))

    @mcp.tool()
    async def transcribe(
        audio: Annotated[str, Field(description="Path of an audio file (mp3, wav, ogg...).")],
        language: Annotated[str | None, Field(description="BCP-47; default: detect.")] = None,
        translate: Annotated[bool, Field(description="Give English text.")] = False,
    ) -> dict[str, Any]:
        """Speech to text, with segment timings."""

        def run(backend: Backend) -> dict[str, Any]:
            path = Path(audio).expanduser()
            if not path.is_file():
                raise ValueError(f"no such audio file: {audio}")
            return backend.transcribe(path, language=language, translate=translate, words=False)

        return await tools.run(run)

    @mcp.tool()
    async def translate(
        text: Annotated[str, Field(description="What to translate.")],
        to: Annotated[str, Field(description="BCP-47 language to translate into.")],
        source: Annotated[
            str | None, Field(description="Language of the text; default: detect.")
        ] = None,
    ) -> dict[str, Any]:
        """Translate text between languages the configured engines serve."""
        return await tools.run(lambda b: b.translate(text, to=to, source=source))

    @mcp.tool()
    async def list_voices(
        language: Annotated[str | None, Field(description="Only voices for this language.")] = None,
    ) -> list[dict[str, Any]]:
        """The voices available, best match first when a language is given."""
        return await tools.run(lambda b: b.voices(language))

    return mcp


def serve(
    *,
    transport: Literal["stdio", "http"] = "stdio",
    host: str = "127.0.0.1",
    port: int = 8765,
    server: str | None = None,
    key: str | None = None,
    config: Path | None = None,
    output_dir: str | Path | None = None,
) -> None:
    """Run the MCP server until its client disconnects (stdio) or it is stopped (http)."""
    mcp = build_server(server=server, key=key, config=config, output_dir=output_dir)
    if transport == "stdio":
        mcp.run("stdio")
    else:
        mcp.run("streamable-http", host=host, port=port)
