"""Engine settings: one sub-model per task, nested under ``SEESAY_ENGINES__``."""

from __future__ import annotations

from pydantic import BaseModel, Field

from seesay.engines.clone.settings import CloneSettings
from seesay.engines.music.settings import MusicSettings
from seesay.engines.sound.settings import SoundSettings
from seesay.engines.stt.settings import SttSettings
from seesay.engines.translate.settings import TranslateSettings
from seesay.engines.tts.settings import TtsSettings
from seesay.engines.vision.settings import VisionSettings

__all__ = ["EnginesSettings"]


class EnginesSettings(BaseModel):
    vision: VisionSettings = Field(default_factory=VisionSettings)
    tts: TtsSettings = Field(default_factory=TtsSettings)
    stt: SttSettings = Field(default_factory=SttSettings)
    translate: TranslateSettings = Field(default_factory=TranslateSettings)
    sound: SoundSettings = Field(default_factory=SoundSettings)
    music: MusicSettings = Field(default_factory=MusicSettings)
    clone: CloneSettings = Field(default_factory=CloneSettings)
    idle_unload_seconds: float = Field(
        default=0.0, ge=0, description="Unload an engine unused this long; 0 keeps all loaded."
    )
