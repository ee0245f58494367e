"""Settings of the model manager, nested under ``SEESAY_MODELS__`` (e.g.
``SEESAY_MODELS__HF_ENDPOINT=http://mirror.local``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

__all__ = ["ModelsSettings"]


class ModelsSettings(BaseModel):
    hf_endpoint: str | None = Field(
        None,
        description="Hugging Face Hub endpoint (a mirror); overrides HF_ENDPOINT. Unset: "
        "huggingface_hub's own (HF_ENDPOINT, else huggingface.co).",
    )
    dir: Path | None = Field(None, description="Models folder; default: <data_dir>/models.")
    extra_catalogue: Path | None = Field(
        None,
        description="A JSON file of more catalogue entries (the shipped catalogue.json's "
        'format: {"models": [...]}); an entry replaces a shipped one of the same id.',
    )
    auto_pull: bool = Field(
        False,
        description="Pull a chosen model that is not installed when an engine first needs it; "
        "off: nothing is downloaded at request time.",
    )
    vision: str | None = Field(
        None,
        description="A pulled vision model (a catalogue id) to make the default vision engine; "
        "`seesay models use ID` overrides it.",
    )
    device: str = Field("cpu", description="torch device of pulled models: cpu, cuda, mps.")
    max_new_tokens: int = Field(
        160, gt=0, le=2048, description="Longest description of a pulled vision model, in tokens."
    )
    argos_index_url: str = Field(
        "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json",
        description="Argos Translate's package index.",
    )

    def folder(self, data_dir: Path) -> Path:
        """The models folder for a data folder."""
        return self.dir or data_dir / "models"
