"""What this server can do: its engines and voices, generated from the registry."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from seesay.accounts.service import Principal
from seesay.api.deps import CurrentKey, Services
from seesay.api.native.errors import NATIVE_ERRORS
from seesay.engines import languages
from seesay.engines.base import VoiceInfo
from seesay.platform import Platform

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["catalog"])


class VoiceOut(BaseModel):
    id: str
    name: str
    language: str
    gender: str
    engine: str
    sample_rate: int
    description: str
    type: Literal["catalogue", "clone"] = Field(
        "catalogue", description="clone: one of this account's cloned voices (private to it)."
    )
    status: Literal["ready", "processing", "failed"] = Field(
        "ready",
        description="failed: a catalogue voice that cannot be loaded (a damaged pulled voice: "
        "another voice speaks when it is asked for), or a clone that failed.",
    )
    load_error: str | None = Field(
        None, description="Why a catalogue voice cannot be loaded, and how to mend it."
    )


class VoiceListOut(BaseModel):
    object: Literal["list"] = "list"
    data: list[VoiceOut]


class EngineOut(BaseModel):
    name: str
    task: str
    model: str
    licence: str
    local: bool
    languages: list[str]
    voices: int
    formats: list[str]
    description: str


class EngineListOut(BaseModel):
    object: Literal["list"] = "list"
    data: list[EngineOut]


@router.get("/voices", response_model=VoiceListOut, responses=NATIVE_ERRORS.authed)
def list_voices(
    principal: CurrentKey,
    services: Services,
    language: str | None = Query(None, description="Only voices that speak this BCP-47 tag."),
    gender: Literal["female", "male", "neutral"] | None = None,
    engine: str | None = None,
) -> VoiceListOut:
    """Every voice with its state: a voice that cannot be loaded is listed ``failed`` with its
    ``load_error`` (after the voices that speak, under a language filter)."""
    catalogue = services.speech.catalogue
    voices = (
        catalogue.candidates(languages.normalize(language), unavailable=True)
        if language
        else catalogue.voices()
    )
    return VoiceListOut(
        data=[
            _catalogue_voice(v, catalogue.load_error(v))
            for v in voices
            if (gender is None or v.gender == gender) and (engine is None or v.engine == engine)
        ]
        + _clones(principal, services, language, gender, engine)
    )


def _catalogue_voice(voice: VoiceInfo, load_error: str | None) -> VoiceOut:
    out = VoiceOut.model_validate(voice, from_attributes=True)  # a VoiceInfo: same fields
    if load_error is not None:
        out.status, out.load_error = "failed", load_error
    return out


def _clones(
    principal: Principal,
    services: Platform,
    language: str | None,
    gender: str | None,
    engine: str | None,
) -> list[VoiceOut]:
    """The caller's cloned voices (they speak what their engine's base voices speak, so a
    language filter leaves them out; ``language`` is ``und``; ``sample_rate`` 0: it is
    the base voice's)."""
    if language:
        return []
    status = {"COMPLETED": "ready", "PROCESSING": "processing"}
    return [
        VoiceOut(
            id=c.id,
            name=c.title,
            language="und",
            gender=c.gender or "neutral",
            engine=c.engine,
            sample_rate=0,
            description=c.description or c.method,
            type="clone",
            status=status.get(c.status, "failed"),  # type: ignore[arg-type]
        )
        for c in services.voice_library.clones(principal)
        if (gender is None or c.gender == gender) and (engine is None or c.engine == engine)
    ]


@router.get("/engines", response_model=EngineListOut, responses=NATIVE_ERRORS.authed)
def list_engines(principal: CurrentKey, services: Services) -> EngineListOut:
    return EngineListOut(
        data=[
            EngineOut(
                name=i.name,
                task=i.task.value,
                model=i.model,
                licence=i.licence,
                local=i.local,
                languages=list(i.languages),
                voices=len(i.voices),
                formats=list(i.formats),
                description=i.description,
            )
            for i in services.engines.infos()
        ]
    )
