"""Settings of the music engines (owned by the music engine package).

Environment examples: ``SEESAY_ENGINES__MUSIC__ENGINES='["algorithmic", "hf"]'``,
``SEESAY_ENGINES__MUSIC__HF__MODEL_PATH=/models/musicgen-small``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from seesay.engines.sound.settings import HfAudioSettings

__all__ = ["AlgorithmicMusicSettings", "HfMusicSettings", "MusicEngineKind", "MusicSettings"]

MusicEngineKind = Literal["algorithmic", "hf"]


class AlgorithmicMusicSettings(BaseModel):
    sample_rate: int = Field(44_100, ge=8_000, le=96_000, description="Samples per second.")
    max_seconds: float = Field(300.0, gt=0, le=1800, description="Longest piece one call makes.")


class HfMusicSettings(HfAudioSettings):
    """A MusicGen-family model folder for music (may be the same folder as the sound one's)."""

    name: str = "hf-music"


class MusicSettings(BaseModel):
    """Which music engines to build, in preference order, and their options."""

    engines: list[MusicEngineKind] = Field(
        default_factory=lambda: list[MusicEngineKind](["algorithmic"]),
        description="In preference order; the first is the default.",
    )
    algorithmic: AlgorithmicMusicSettings = Field(default_factory=AlgorithmicMusicSettings)
    hf: HfMusicSettings = Field(default_factory=HfMusicSettings)
