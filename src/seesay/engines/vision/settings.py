"""Settings of the vision engines (owned by the vision engine package).

Read once by the server (``SEESAY_ENGINES__VISION__...``) and handed to ``vision.build``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr

from seesay.engines.upstream import RemoteSettings

__all__ = ["HfVisionSettings", "RemoteVisionSettings", "VisionEngineName", "VisionSettings"]

VisionEngineName = Literal["seesay-perception", "remote", "hf"]


class RemoteVisionSettings(RemoteSettings):
    """Any OpenAI-compatible chat endpoint that accepts image input."""

    base_url: str = Field(
        default="http://127.0.0.1:11434/v1",
        description="Base URL up to and including /v1 (Ollama, vLLM, llama.cpp, OpenAI, ...).",
    )
    api_key: SecretStr | None = Field(None, description="Sent as a Bearer token when set.")
    model: str = Field("llava", description="The upstream's model id.")
    name: str = Field(default="remote-vision", description="Engine name listed in /v1/models.")
    timeout: float = Field(default=60.0, gt=0, description="Seconds for one upstream attempt.")
    retries: int = Field(default=2, ge=0, le=10, description="Retries on 429, 5xx, network.")
    backoff: float = Field(default=0.5, ge=0, description="First retry delay, doubled each time.")
    max_retry_after: float = Field(default=30.0, ge=0, description="Cap on honoured Retry-After.")
    max_tokens: int = Field(default=400, gt=0, description="Longest description, in tokens.")
    temperature: float = Field(default=0.2, ge=0, le=2, description="Sampling temperature.")
    languages: list[str] = Field(
        default_factory=list, description="BCP-47 tags served; empty means any language."
    )
    max_image_side: int = Field(default=1536, ge=64, description="Downscale before upload.")


class HfVisionSettings(BaseModel):
    """An in-process Hugging Face image-to-text or vision-language model."""

    model_path: str = Field(default="", description="Local model folder (or a cached repo id).")
    name: str = Field(default="hf-vision", description="Engine name listed in /v1/models.")
    device: str = Field(default="cpu", description="torch device: cpu, cuda, cuda:1, mps.")
    max_new_tokens: int = Field(
        default=96, gt=0, le=2048, description="Longest description, in tokens."
    )
    local_files_only: bool = Field(default=True, description="Never download at run time.")
    languages: list[str] = Field(
        default_factory=lambda: ["en"], description="BCP-47 tags the model describes in."
    )


class VisionSettings(BaseModel):
    """Which vision engines to build, in preference order, and their options."""

    engines: list[VisionEngineName] = Field(
        default_factory=lambda: list[VisionEngineName](["seesay-perception"]),
        description="Enabled engines, first is the default.",
    )
    ocr: bool = Field(default=True, description="Read text in images (offline describer).")
    faces: bool = Field(default=True, description="Detect faces and nudity (offline describer).")
    remote: RemoteVisionSettings = Field(default_factory=RemoteVisionSettings)
    hf: HfVisionSettings = Field(default_factory=HfVisionSettings)
