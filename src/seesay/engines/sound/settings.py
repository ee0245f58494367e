"""Settings of the sound-effect engines (owned by the sound engine package).

Environment examples: ``SEESAY_ENGINES__SOUND__ENGINES='["procedural", "elevenlabs"]'``,
``SEESAY_ENGINES__SOUND__ELEVENLABS__BASE_URL=http://127.0.0.1:9000/v1``,
``SEESAY_ENGINES__SOUND__ELEVENLABS__API_KEY=...``,
``SEESAY_ENGINES__SOUND__HF__MODEL_PATH=/models/musicgen-small``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr

from seesay.engines.upstream import RemoteSettings

__all__ = [
    "ElevenLabsSoundSettings",
    "HfAudioSettings",
    "ProceduralSoundSettings",
    "SoundEngineKind",
    "SoundSettings",
]

SoundEngineKind = Literal["procedural", "elevenlabs", "hf"]


class ProceduralSoundSettings(BaseModel):
    sample_rate: int = Field(44_100, ge=8_000, le=96_000, description="Samples per second.")
    max_seconds: float = Field(30.0, gt=0, le=600, description="Longest clip one call makes.")


class ElevenLabsSoundSettings(RemoteSettings):
    """An ElevenLabs-compatible ``POST {base_url}/sound-generation`` endpoint; the key is sent
    as ``xi-api-key``."""

    name: str = Field("elevenlabs-sound", description="Engine name listed in /v1/models.")
    base_url: str = "https://api.elevenlabs.io/v1"
    api_key: SecretStr | None = None
    timeout: float = 120.0
    output_format: str = Field(
        "mp3_44100_128", description="pcm_<rate> (raw 16-bit LE) or any format PyAV decodes."
    )
    prompt_influence: float | None = Field(
        None, ge=0, le=1, description="How closely to follow the prompt (0-1); unset: theirs."
    )
    max_seconds: float = Field(30.0, gt=0, description="The provider's longest clip.")
    min_seconds: float = Field(0.5, gt=0, description="The provider's shortest clip.")


class HfAudioSettings(BaseModel):
    """An in-process text-to-audio model (MusicGen family) from a local folder."""

    model_path: str = Field("", description="Local model folder (or a cached repo id).")
    name: str = Field("hf-audio", description="Engine name listed in /v1/models.")
    device: str = Field("cpu", description="torch device: cpu, cuda, cuda:1, mps.")
    local_files_only: bool = Field(True, description="Never download at run time.")
    guidance_scale: float = Field(
        3.0, ge=1.0, le=20.0, description="Classifier-free guidance: higher follows the prompt."
    )
    max_seconds: float = Field(30.0, gt=0, le=120, description="Longest clip one call makes.")
    temperature: float = Field(1.0, gt=0, le=5, description="Sampling temperature.")


class SoundSettings(BaseModel):
    """Which sound engines to build, in preference order, and their options."""

    engines: list[SoundEngineKind] = Field(
        default_factory=lambda: list[SoundEngineKind](["procedural"]),
        description="In preference order; the first is the default.",
    )
    procedural: ProceduralSoundSettings = Field(default_factory=ProceduralSoundSettings)
    elevenlabs: ElevenLabsSoundSettings = Field(default_factory=ElevenLabsSoundSettings)
    hf: HfAudioSettings = Field(default_factory=HfAudioSettings)
