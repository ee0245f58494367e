"""Rendering a transcription in OpenAI's ``response_format``s: json, text, srt, vtt and
verbose_json (segments and, when asked, words)."""

from __future__ import annotations

import math
from typing import Any

from fastapi.responses import JSONResponse, PlainTextResponse, Response

from seesay.engines import languages
from seesay.engines.base import Segment
from seesay.services.transcribe import TranscriptionResult

__all__ = ["RESPONSE_FORMATS", "render_transcript", "srt", "vtt"]

RESPONSE_FORMATS = ("json", "text", "srt", "vtt", "verbose_json")


def _clock(seconds: float, sep: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{millis:03d}"


def srt(segments: tuple[Segment, ...]) -> str:
    blocks = [
        f"{i}\n{_clock(s.start, ',')} --> {_clock(s.end, ',')}\n{s.text.strip()}\n"
        for i, s in enumerate(segments, start=1)
    ]
    return "\n".join(blocks)


def vtt(segments: tuple[Segment, ...]) -> str:
    blocks = [
        f"{_clock(s.start, '.')} --> {_clock(s.end, '.')}\n{s.text.strip()}\n" for s in segments
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def _language_name(tag: str) -> str:
    """OpenAI reports languages by English name in lowercase ("english")."""
    try:
        return languages.display_name(languages.primary(tag)).lower()
    except Exception:
        return tag


def render_transcript(
    result: TranscriptionResult, response_format: str, granularities: list[str]
) -> Response:
    if response_format == "text":
        return PlainTextResponse(result.text + "\n")
    if response_format == "srt":
        return PlainTextResponse(srt(result.segments), media_type="application/x-subrip")
    if response_format == "vtt":
        return PlainTextResponse(vtt(result.segments), media_type="text/vtt")
    usage = {"type": "duration", "seconds": math.ceil(result.duration)}
    if response_format == "json":
        return JSONResponse({"text": result.text, "usage": usage})
    body: dict[str, Any] = {
        "task": "translate" if result.translated else "transcribe",
        "language": "english" if result.translated else _language_name(result.language),
        "duration": round(result.duration, 3),
        "text": result.text,
    }
    if "segment" in granularities:
        body["segments"] = [
            {
                # seek, tokens, temperature and compression_ratio are not reported by the
                # engines, so they are left out rather than invented.
                "id": s.id,
                "start": round(s.start, 3),
                "end": round(s.end, 3),
                "text": s.text,
                "avg_logprob": s.avg_logprob,
                "no_speech_prob": s.no_speech_prob,
            }
            for s in result.segments
        ]
    if "word" in granularities:
        body["words"] = [
            {"word": w.word, "start": round(w.start, 3), "end": round(w.end, 3)}
            for w in result.words
        ]
    body["usage"] = usage
    return JSONResponse(body)
