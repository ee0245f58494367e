"""Text to speech as a byte stream, for responses that carry the audio itself (OpenAI's
``/audio/speech``).

Contract of :meth:`SpeechStreamer.open`:
- ``language="auto"`` is resolved by ``SpeechService.language_for``: the text's language when
  lingua is confident, else the voice's, else the account's last, else English (short or
  ambiguous text is never a wrong guess: "Hello from SeeSay." is not Somali);
- the request is validated by ``SpeechService.validate`` (text, speed, format, voice,
  language) before anything is charged;
- the price is ``speech`` per character, like ``SpeechService.speak``;
- embedded (``executor.inline``) and ``stream=True``: the engine's ``stream`` is encoded
  chunk by chunk (``media.audio_encode.encode_stream``) while it synthesizes, so the first
  bytes leave after the first sentence. The first chunk is produced inside ``open``, so a
  failure before any audio is an ordinary error the surface can answer with a status. The
  charge settles when the last byte was produced; a failure or a client that goes away
  refunds it (a client that read part of the audio then lost the rest pays nothing);
- otherwise (distributed mode, or ``stream=False``): ``SpeechService.speak`` runs the
  registered call ``speech.synthesize`` (on a worker in the distributed mode), charged and
  settled there, and the stored result is streamed from the blob store, then deleted.

Either way the stream says who speaks before the first byte: ``voice``, ``engine``,
``language``, and ``voice_fallback`` (why another voice than the one asked for speaks, as the
answer of ``SpeechService.speak`` says it; None when the asked one does).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

from seesay.accounts.service import Principal
from seesay.media.audio_encode import MIME_TYPES, encode_stream
from seesay.services.engine_service import EngineService, ServiceParts
from seesay.services.speech import MAX_SYNC_CHARS, SpeechRequest, SpeechService
from seesay.storage import BlobStore

__all__ = ["AudioStream", "SpeechStreamer"]


@dataclass(slots=True)
class AudioStream:
    """Encoded audio bytes as they are produced, and who speaks them."""

    format: str
    mime_type: str
    voice: str
    engine: str
    language: str
    chunks: Iterator[bytes]
    voice_fallback: str | None = None

    def read_all(self) -> bytes:
        return b"".join(self.chunks)

    def close(self) -> None:
        close = getattr(self.chunks, "close", None)
        if close is not None:
            close()


class SpeechStreamer(EngineService):
    def __init__(self, speech: SpeechService, parts: ServiceParts) -> None:
        super().__init__(parts)
        self._speech = speech

    def open(self, principal: Principal, req: SpeechRequest, *, stream: bool = True) -> AudioStream:
        """Start speaking ``req``; see the module docstring for charging and modes."""
        req = self._speech.validate(req, max_chars=MAX_SYNC_CHARS, principal=principal)
        if not (stream and self._executor.inline):
            return self._stored(principal, req)
        # The engine's lease and the charge last as long as the stream; the engine loads
        # first, so a failure to load costs nothing.
        block = ExitStack()
        resolved, engine = block.enter_context(self._speech.speaker(req.voice, req.language))
        try:
            block.enter_context(self._metering.charge(principal, "speech", len(req.text)))
        except BaseException:
            block.close()
            raise
        produce = self._produce(
            block,
            encode_stream(
                engine.stream(req.text, resolved.voice_id, resolved.language, req.speed),
                req.format,
            ),
        )
        first = next(produce, b"")  # errors before the first byte raise here (refunded)
        self._speech.remember(principal.account_id, resolved.language)
        return AudioStream(
            format=req.format,
            mime_type=MIME_TYPES[req.format],
            voice=resolved.voice_id,
            engine=resolved.engine,
            language=resolved.language,
            chunks=_prepend(first, produce),
            voice_fallback=resolved.reason or None,
        )

    def _stored(self, principal: Principal, req: SpeechRequest) -> AudioStream:
        result = self._speech.speak(principal, req)
        chunks = self._storage.open(result.blob_id)
        return AudioStream(
            format=result.format,
            mime_type=result.mime_type,
            voice=result.voice,
            engine=result.engine,
            language=result.language,
            chunks=_then_delete(chunks, self._storage, result.blob_id),
            voice_fallback=result.reason or None,
        )

    @staticmethod
    def _produce(block: ExitStack, encoded: Iterator[bytes]) -> Iterator[bytes]:
        try:
            yield from encoded
        except BaseException as exc:  # GeneratorExit included: the client went away
            block.__exit__(type(exc), exc, exc.__traceback__)
            raise
        block.__exit__(None, None, None)


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    try:
        if first:
            yield first
        yield from rest
    finally:
        close = getattr(rest, "close", None)
        if close is not None:
            close()


def _then_delete(chunks: Iterator[bytes], storage: BlobStore, blob_id: str) -> Iterator[bytes]:
    try:
        yield from chunks
    finally:
        storage.delete(blob_id)
