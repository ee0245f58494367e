"""Settings of the img2voice service (``SEESAY_IMG2VOICE__...``), kept free of heavy imports
so ``seesay.settings`` can include them."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["DEFAULT_VOICE_MAP", "Img2VoiceSettings"]

# Spec voice name -> voice, per language, where the catalogue's gendered choice is not wanted.
# None by default: offline, eve and ara speak English with hibari's heart (a fast, natural
# female voice) and rex, sal and leo with Piper's joe. An operator can pin any of them, e.g.
# {"en": {"ara": "jf_alpha"}} for a second, slower, female voice.
DEFAULT_VOICE_MAP: dict[str, dict[str, str]] = {}


class Img2VoiceSettings(BaseModel):
    voices: dict[str, dict[str, str]] = Field(
        default_factory=lambda: {k: dict(v) for k, v in DEFAULT_VOICE_MAP.items()},
        description="Per language (primary subtag), spec voice name -> the voice (id or alias) "
        "that speaks it; names not listed use the voice catalogue's alias table.",
    )
