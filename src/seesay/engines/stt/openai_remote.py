"""Transcription through a remote OpenAI-compatible ``/audio/transcriptions`` endpoint.

Works with OpenAI and the servers that copy its API (faster-whisper-server / speaches,
whisper.cpp server, LocalAI, vLLM, Groq). Audio is uploaded as 16-bit WAV, the format every
one of them reads. ``response_format=verbose_json`` with word and segment granularities is
asked for so segments and word timestamps come back; a server that refuses it (HTTP 400) is
asked again once with plain ``json`` and remembered as plain. ``translate=True`` posts to
``/audio/translations`` (speech in any language to English text).

Language tags: requests send the ISO 639-1 primary subtag ("pt" for "pt-BR"); the answer's
language may be a code ("en") or, as OpenAI sends it, a name ("english"); both map back to
BCP-47, and a transcript without one is detected from its text.
"""

from __future__ import annotations

import io
import wave
from typing import Any

import httpx
import numpy as np
from langcodes import find as find_language

from seesay.engines import languages
from seesay.engines.base import Audio, Segment, Task, Transcript, Word
from seesay.engines.stt.common import SttBase, SttOptions
from seesay.engines.stt.settings import OpenAISttSettings
from seesay.engines.upstream import RemoteEngine, remote_info
from seesay.errors import EngineUnavailable, UnsupportedLanguage, UpstreamError

__all__ = ["OpenAISttEngine", "wav_bytes"]


def wav_bytes(audio: Audio) -> bytes:
    """``audio`` as a mono 16-bit PCM WAV file."""
    pcm = (np.clip(audio.samples, -1.0, 1.0) * 32767.0).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(audio.sample_rate)
        out.writeframes(pcm.tobytes())
    return buf.getvalue()


def _language_of(value: object) -> str | None:
    """BCP-47 from an answer's ``language``: a code ("en") or a name ("english")."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return languages.normalize(value)
    except UnsupportedLanguage:
        pass
    try:
        return languages.normalize(str(find_language(value.strip())))
    except (LookupError, UnsupportedLanguage, ImportError):
        return None


def _float(value: object, default: float = 0.0) -> float:
    return float(value) if isinstance(value, int | float) else default


class OpenAISttEngine(RemoteEngine, SttBase):
    """The ``SttEngine`` over a remote OpenAI-compatible transcription API."""

    def __init__(
        self, settings: OpenAISttSettings, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        super().__init__(settings, provider="the transcription service", transport=transport)
        self._settings = settings
        self._verbose = settings.verbose_json
        self._languages = tuple(languages.normalize(t) for t in settings.languages)
        self._info = remote_info(
            settings.name,
            Task.STT,
            settings.model,
            languages=self._languages,
            formats=("mp3", "wav", "m4a", "flac", "ogg", "webm"),
            description=f"OpenAI-compatible transcription at {settings.base_url}",
            extra={"translate": True, "word_timestamps": settings.verbose_json},
        )

    def _transcribe(self, audio: Audio, language: str | None, options: SttOptions) -> Transcript:
        """Upload ``audio`` and map the answer; see the module docstring for the wire details."""
        requested = None if language is None else languages.normalize(language)
        if requested and self._languages and not languages.best_match(requested, self._languages):
            raise UnsupportedLanguage(
                f"{self._settings.name} does not transcribe {requested!r}",
                param="language",
                details={"supported": list(self._languages)},
            )
        upload = wav_bytes(audio)
        verbose = self._verbose
        try:
            body = self._post(upload, requested, options, verbose)
        except UpstreamError as exc:
            if not (verbose and exc.upstream_status == 400):
                raise
            # Servers without verbose_json refuse it with 400: ask plainly, and remember.
            body = self._post(upload, requested, options, False)
            self._verbose = False
        return self._transcript(body, audio, requested, options.translate)

    def _post(
        self, upload: bytes, language: str | None, options: SttOptions, verbose: bool
    ) -> dict[str, Any]:
        form: dict[str, Any] = {
            "model": self._settings.model,
            "response_format": "verbose_json" if verbose else "json",
        }
        if language and not options.translate:
            form["language"] = languages.primary(language)
        if options.prompt:
            form["prompt"] = options.prompt
        if verbose:
            grains = ["segment", "word"] if options.word_timestamps else ["segment"]
            form["timestamp_granularities[]"] = grains
        client = self.upstream()
        path = "audio/translations" if options.translate else "audio/transcriptions"
        response = client.request(
            "POST", path, data=form, files={"file": ("audio.wav", upload, "audio/wav")}
        )
        body = client.json(response)
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            raise UpstreamError("the transcription service answered without a text")
        return body

    def _transcript(
        self, body: dict[str, Any], audio: Audio, requested: str | None, translate: bool
    ) -> Transcript:
        text = body["text"].strip()
        segments = _segments(body)
        spoken = _language_of(body.get("language")) or requested
        if spoken is None and not translate:
            # Detecting among every language lingua knows costs ~10 s on first use; the
            # configured languages or the common ones keep that to a fraction.
            many = len(self._languages) >= 2
            try:
                spoken = languages.detect(
                    text, self._languages if many else languages.COMMON_LANGUAGES
                )
            except EngineUnavailable:
                spoken = None  # no detector installed: "und" beats failing the transcript
        return Transcript(
            text=text,
            language=spoken or "und",
            duration=_float(body.get("duration"), audio.duration) or audio.duration,
            segments=segments,
        )


def _segments(body: dict[str, Any]) -> tuple[Segment, ...]:
    """Segments of a verbose_json answer, with the top-level words placed into them."""
    raw_words = body.get("words") if isinstance(body.get("words"), list) else []
    words = [
        Word(
            word=str(w.get("word", "")).strip(),
            start=_float(w.get("start")),
            end=_float(w.get("end")),
            probability=w.get("probability") if isinstance(w.get("probability"), float) else None,
        )
        for w in raw_words or []
        if isinstance(w, dict)
    ]
    raw_segments = body.get("segments") if isinstance(body.get("segments"), list) else []
    segments: list[Segment] = []
    for index, seg in enumerate(s for s in raw_segments or [] if isinstance(s, dict)):
        start, end = _float(seg.get("start")), _float(seg.get("end"))
        # A word belongs to the segment its start falls in (segment ends are exclusive except
        # for the last segment, which takes what is left).
        inside = tuple(w for w in words if start <= w.start < end)
        segments.append(
            Segment(
                id=int(seg["id"]) if isinstance(seg.get("id"), int) else index,
                start=start,
                end=end,
                text=str(seg.get("text", "")).strip(),
                words=inside,
                avg_logprob=_float(seg["avg_logprob"]) if "avg_logprob" in seg else None,
                no_speech_prob=_float(seg["no_speech_prob"]) if "no_speech_prob" in seg else None,
            )
        )
    if words:
        placed = sum(len(s.words) for s in segments)
        if not segments:
            segments.append(
                Segment(
                    id=0,
                    start=words[0].start,
                    end=words[-1].end,
                    text=str(body.get("text", "")).strip(),
                    words=tuple(words),
                )
            )
        elif placed < len(words):
            last = segments[-1]
            leftover = tuple(w for w in words if w.start >= last.end)
            segments[-1] = Segment(
                id=last.id,
                start=last.start,
                end=max(last.end, leftover[-1].end if leftover else last.end),
                text=last.text,
                words=last.words + leftover,
                avg_logprob=last.avg_logprob,
                no_speech_prob=last.no_speech_prob,
            )
    return tuple(segments)
