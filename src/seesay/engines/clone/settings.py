"""Settings of the voice-cloning engines (owned by the clone engine package).

Environment examples: ``SEESAY_ENGINES__CLONE__ENGINES='["conversion", "elevenlabs"]'``,
``SEESAY_ENGINES__CLONE__ELEVENLABS__BASE_URL=http://127.0.0.1:9000/v1``,
``SEESAY_ENGINES__CLONE__HF__MODEL_PATH=/models/speecht5_tts``,
``SEESAY_ENGINES__CLONE__HF__VOCODER_PATH=/models/speecht5_hifigan``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr

from seesay.engines.upstream import RemoteSettings

__all__ = [
    "BaseVoiceSetting",
    "CloneEngineKind",
    "CloneSettings",
    "ConversionCloneSettings",
    "ElevenLabsCloneSettings",
    "HfCloneSettings",
]

CloneEngineKind = Literal["conversion", "elevenlabs", "hf"]


class BaseVoiceSetting(BaseModel):
    """A bundled speech voice the conversion cloner may start from."""

    engine: str = Field(description="A configured tts engine: hibari, piper, kokoro, espeak...")
    voice: str = Field(description="A voice id of that engine.")


def _default_bases() -> list[BaseVoiceSetting]:
    return [
        BaseVoiceSetting(engine="hibari", voice="hibari-heart"),
        BaseVoiceSetting(engine="piper", voice="en_US-joe-medium"),
        BaseVoiceSetting(engine="kokoro", voice="jf_alpha"),
        BaseVoiceSetting(engine="kokoro", voice="jm_kumo"),
    ]


class ConversionCloneSettings(BaseModel):
    """The offline signal-processing cloner."""

    base_voices: list[BaseVoiceSetting] = Field(
        default_factory=_default_bases,
        description="Candidates, chosen by nearest median pitch; unconfigured ones are skipped.",
    )
    max_sample_seconds: float = Field(90.0, gt=0, description="Longer samples are cut.")
    max_text_chars: int = Field(5000, gt=0, description="Longest text one call speaks.")


class ElevenLabsCloneSettings(RemoteSettings):
    """An ElevenLabs-compatible voice-add (``POST {base_url}/voices/add``) and text-to-speech
    (``POST {base_url}/text-to-speech/{voice_id}``) API; the key is sent as ``xi-api-key``."""

    name: str = Field("elevenlabs-clone", description="Engine name listed in /v1/models.")
    base_url: str = "https://api.elevenlabs.io/v1"
    api_key: SecretStr | None = None
    timeout: float = 120.0
    model_id: str = Field("eleven_multilingual_v2", description="The upstream's TTS model.")
    output_format: str = Field(
        "pcm_24000", description="pcm_<rate> (raw 16-bit LE) or any format PyAV decodes."
    )
    remove_background_noise: bool = Field(
        False, description="Ask the upstream to clean the sample before cloning."
    )
    languages: list[str] = Field(
        default_factory=list, description="BCP-47 tags it speaks; empty: any language."
    )
    max_text_chars: int = Field(5000, gt=0, description="Longest text one call speaks.")


class HfCloneSettings(BaseModel):
    """An in-process neural cloning model (SpeechT5 text-to-speech with speaker embeddings)
    from local folders."""

    model_path: str = Field("", description="SpeechT5ForTextToSpeech folder with its processor.")
    vocoder_path: str = Field("", description="SpeechT5HifiGan folder.")
    speaker_encoder_path: str = Field(
        "",
        description="An audio x-vector model folder (AutoModelForAudioXVector, e.g. WavLM "
        "speaker verification); empty: statistics-pooled log-mel embedding.",
    )
    name: str = Field("hf-clone", description="Engine name listed in /v1/models.")
    device: str = Field("cpu", description="torch device: cpu, cuda, cuda:1, mps.")
    local_files_only: bool = Field(True, description="Never download at run time.")
    languages: list[str] = Field(
        default_factory=lambda: ["en"], description="BCP-47 tags the model speaks."
    )
    max_text_chars: int = Field(600, gt=0, description="Longest text one call speaks.")
    max_new_frames: int = Field(1500, gt=0, description="Cap on generated spectrogram frames.")


class CloneSettings(BaseModel):
    """Which cloning engines to build, in preference order, and their options."""

    engines: list[CloneEngineKind] = Field(
        default_factory=lambda: list[CloneEngineKind](["conversion"]),
        description="In preference order; the first is the default.",
    )
    conversion: ConversionCloneSettings = Field(default_factory=ConversionCloneSettings)
    elevenlabs: ElevenLabsCloneSettings = Field(default_factory=ElevenLabsCloneSettings)
    hf: HfCloneSettings = Field(default_factory=HfCloneSettings)
