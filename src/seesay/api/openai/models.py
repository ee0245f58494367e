"""``GET /v1/models`` and ``GET /v1/models/{id}``: generated from the engine registry and the
chat provider table, never hand-written.

Model ids, decided here once:

- speech (``/audio/speech``): OpenAI's ``tts-1``, ``tts-1-hd`` and ``gpt-4o-mini-tts`` stand
  for SeeSay's default speech engine, and every configured tts engine is listed by name. The
  model id is checked, and the *voice* picks the engine that speaks (voices are unique across
  engines; OpenAI's voice names map to real voices through the voice catalogue);
- transcription (``/audio/transcriptions``, ``/audio/translations``): ``whisper-1``,
  ``gpt-4o-transcribe`` and ``gpt-4o-mini-transcribe`` stand for the default stt engine; a
  configured stt engine's name selects that engine, and so does the id of a pulled model it
  runs (``whisper:small``, listed once installed: ``EngineInfo.extra["models"]``);
- chat (``/chat/completions``): ``seesay-vision`` (the default vision engine) and each vision
  engine's name answer images locally; the provider table's models go upstream.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from seesay.api.deps import Services
from seesay.api.openai.deps import OpenAIKey
from seesay.api.openai.errors import OPENAI_ERRORS
from seesay.engines.base import Task
from seesay.errors import NotFound
from seesay.platform import Platform

__all__ = ["STT_ALIASES", "TTS_ALIASES", "router", "stt_engine_for", "tts_model_ok"]

router = APIRouter(prefix="/v1", tags=["openai"])

TTS_ALIASES = ("tts-1", "tts-1-hd", "gpt-4o-mini-tts")
STT_ALIASES = ("whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe")


def tts_model_ok(platform: Platform, model: str) -> bool:
    return model in TTS_ALIASES or platform.engines.has(Task.TTS, model)


def stt_engine_for(platform: Platform, model: str) -> str | None:
    """The stt engine a transcription model id selects (None: the default); NotFound else."""
    if model in STT_ALIASES:
        return None
    if platform.engines.has(Task.STT, model):
        return model
    for info in platform.engines.infos(Task.STT):
        if model in info.extra.get("models", ()):
            return info.name
    raise NotFound(f"The model `{model}` does not exist.", param="model")


class ModelOut(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str


class ModelListOut(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelOut]


def _all(platform: Platform) -> list[ModelOut]:
    out: list[ModelOut] = []
    for task, aliases in ((Task.TTS, TTS_ALIASES), (Task.STT, STT_ALIASES)):
        names = platform.engines.names(task)
        if names:
            out += [ModelOut(id=a, owned_by="seesay") for a in aliases]
            out += [ModelOut(id=n, owned_by="seesay") for n in names]
    for info in platform.engines.infos(Task.STT):
        out += [ModelOut(id=m, owned_by="seesay") for m in info.extra.get("models", ())]
    for m in platform.chat.models():
        out.append(ModelOut(id=m.id, owned_by=m.owned_by))
    seen: set[str] = set()
    return [m for m in out if not (m.id in seen or seen.add(m.id))]  # type: ignore[func-returns-value]


@router.get("/models", response_model=ModelListOut, responses=OPENAI_ERRORS.listing)
def list_models(principal: OpenAIKey, services: Services) -> ModelListOut:
    return ModelListOut(data=_all(services))


@router.get("/models/{model:path}", response_model=ModelOut, responses=OPENAI_ERRORS.listing)
def retrieve_model(model: str, principal: OpenAIKey, services: Services) -> ModelOut:
    for found in _all(services):
        if found.id == model:
            return found
    raise NotFound(f"The model `{model}` does not exist.", param="model")
