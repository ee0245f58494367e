"""Settings of the img2voice service (``SEESAY_IMG2VOICE__...``), kept free of heavy imports
so ``seesay.settings`` can include them."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["DEFAULT_VOICE_MAP", "Img2VoiceSettings"]

# Offline, the only female English voice is Kokoro's jf_alpha (a Japanese voice reading
# English, rated "good"), about 7x slower than Piper's en_US-joe-medium (rated "natural"):
# with it the default request took 9 s or more on 2 cores, past the spec example's own 15 s
# timeout under load. So in English eve and ara speak with the fast voice by default, like
# rex, sal and leo; other languages keep the catalogue's choice. ``{}`` restores the
# catalogue's gendered mapping everywhere.
DEFAULT_VOICE_MAP: dict[str, dict[str, str]] = {
    "en": {"eve": "en_US-joe-medium", "ara": "en_US-joe-medium"},
}


class Img2VoiceSettings(BaseModel):
    voices: dict[str, dict[str, str]] = Field(
        default_factory=lambda: {k: dict(v) for k, v in DEFAULT_VOICE_MAP.items()},
        description="Per language (primary subtag), spec voice name -> the voice (id or alias) "
        "that speaks it; names not listed use the voice catalogue's alias table.",
    )
