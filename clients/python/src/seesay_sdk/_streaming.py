"""Audio answered as it is made: ``img2voice_stream(...)`` and ``files.stream(url)``."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote

import anyio
import httpx

__all__ = ["AsyncAudioStream", "AudioStream"]


class _StreamInfo:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers

    @property
    def content_type(self) -> str:
        """The audio's MIME type (``audio/mpeg``...)."""
        return str(self.response.headers.get("content-type", "application/octet-stream"))

    def header(self, name: str) -> str | None:
        """A response header, percent-decoded (SeeSay percent-encodes non-ASCII text)."""
        value = self.response.headers.get(name)
        return unquote(value) if value is not None else None

    @property
    def description(self) -> str | None:
        """The spoken description, when the server sends it ahead of the audio."""
        return self.header("x-seesay-description")

    @property
    def id(self) -> str | None:
        return self.header("x-seesay-id")

    @property
    def language(self) -> str | None:
        return self.header("x-seesay-language")

    @property
    def voice(self) -> str | None:
        """The engine voice that speaks."""
        return self.header("x-seesay-voice")

    @property
    def voice_fallback(self) -> str | None:
        """Why another voice than the one asked for speaks (None: the asked one does)."""
        return self.header("x-seesay-voice-fallback")

    @property
    def request_id(self) -> str | None:
        value = self.response.headers.get("x-request-id")
        return str(value) if value is not None else None


class AudioStream(_StreamInfo):
    """A streamed audio answer. Use it as a context manager so the connection is released::

    with client.img2voice_stream("photo.jpg") as audio:
        for chunk in audio.iter_bytes():
            player.feed(chunk)
    """

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The audio bytes as they arrive."""
        yield from self.response.iter_bytes(chunk_size)

    def __iter__(self) -> Iterator[bytes]:
        return self.iter_bytes()

    def read(self) -> bytes:
        """All the audio (waits for the end of the stream)."""
        return self.response.read()

    def write_to(self, path: str | os.PathLike[str]) -> Path:
        """Write the audio to ``path`` as it arrives; returns the path."""
        target = Path(path)
        with target.open("wb") as out:
            for chunk in self.iter_bytes():
                out.write(chunk)
        return target

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> AudioStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncAudioStream(_StreamInfo):
    """The async twin of :class:`AudioStream` (``async with`` / ``async for``)."""

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        async for chunk in self.response.aiter_bytes(chunk_size):
            yield chunk

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self.iter_bytes()

    async def read(self) -> bytes:
        return await self.response.aread()

    async def write_to(self, path: str | os.PathLike[str]) -> Path:
        target = Path(path)
        async with await anyio.open_file(target, "wb") as out:
            async for chunk in self.iter_bytes():
                await out.write(chunk)
        return target

    async def close(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> AsyncAudioStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
