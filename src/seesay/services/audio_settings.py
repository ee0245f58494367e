"""Settings of the voice-cloning, sound-effect and music services and of the Vimmerse surface.

Kept apart from the services themselves so ``seesay.settings`` can import them without
pulling in engines or jobs. Environment examples:
``SEESAY_VOICE_CLONE__REQUIRE_CONSENT=true``, ``SEESAY_VOICE_CLONE__ENGINE=neural``,
``SEESAY_SOUNDS__MUSIC_DEFAULT_SECONDS=20``,
``SEESAY_VIMMERSE__TTS_OPTIONS='{"ElevenLabsTTS": "remote", "ChirpTTS": ""}'``.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["CloneSettings", "SoundServiceSettings", "VimmerseSettings"]


class CloneSettings(BaseModel):
    engine: str | None = Field(
        None, description="The clone engine new voices use; default: the first configured."
    )
    require_consent: bool = Field(
        False,
        description="Refuse Voice Clone surface uploads without an explicit consent=true. "
        "The native API always requires it; the Voice Clone spec's own examples send none, "
        "so there the API terms stand in for it unless this is set.",
    )
    max_sample_bytes: int = Field(20 * 1024 * 1024, gt=0, description="The spec's 20 MB.")
    min_sample_seconds: float = Field(1.0, ge=0, description="Shortest voice sample accepted.")
    max_sample_seconds: float = Field(600.0, gt=0, description="Longest voice sample accepted.")
    max_text_bytes: int = Field(5000, gt=0, description="Longest clone TTS text, UTF-8 bytes.")
    anonymous_requests_per_minute: int = Field(
        120,
        gt=0,
        description="Voice Clone surface requests refused before a key was known (missing or "
        "bad key), counted per client address.",
    )


class SoundServiceSettings(BaseModel):
    sound_default_seconds: float = Field(5.0, gt=0, description="Vimmerse's default.")
    sound_max_seconds: float = Field(30.0, gt=0, description="Longest sound effect.")
    music_default_seconds: float = Field(30.0, gt=0, description="Music length when unasked.")
    music_max_seconds: float = Field(120.0, gt=0, description="Longest piece of music.")
    min_seconds: float = Field(0.5, gt=0, description="Shortest sound or music asked for.")


class VimmerseSettings(BaseModel):
    """Which configured engine serves each Vimmerse ``option``; ``""`` is the task's default
    engine. Options not listed are refused with 400."""

    tts_options: dict[str, str] = Field(
        default_factory=lambda: {"ElevenLabsTTS": "", "ChirpTTS": "", "AutoA": ""},
        description="text-to-speech option -> TTS engine name.",
    )
    sound_options: dict[str, str] = Field(
        default_factory=lambda: {"AutoA": "", "ElevenLabsSE": "", "MMAudio": ""},
        description="text-to-audio option -> sound engine name.",
    )
    music_options: dict[str, str] = Field(
        default_factory=lambda: {"Lyria": "", "AutoA": ""},
        description="text-to-music option -> music engine name.",
    )
    max_upload_bytes: int = Field(
        20 * 1024 * 1024, gt=0, description="Largest audio upload on the Vimmerse surface."
    )
