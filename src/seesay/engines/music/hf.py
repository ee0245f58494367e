"""An in-process text-to-audio model (MusicGen family) from a local folder, as a music engine
and as a sound-effect engine.

The folder holds what ``save_pretrained`` writes for a ``MusicgenForConditionalGeneration``
(text encoder, EnCodec audio codec, decoder) and its tokenizer, e.g. facebook/musicgen-small
downloaded by the operator. Generation samples ``ceil(seconds * frame_rate)`` codec frames
(plus the codebook delay) with classifier-free guidance, decodes them with the codec, and
cuts or pads to exactly the asked duration. ``torch.manual_seed(seed)`` is set before each
generation under the engine's lock, so a seed reproduces a clip on the same machine.

torch and transformers are imported in ``load()`` only.
"""

from __future__ import annotations

import math
import re
from typing import Any, Final

import numpy as np

from seesay.engines.base import Audio, EngineContext, EngineInfo, MusicResult, SoundResult, Task
from seesay.engines.hf_runtime import HfModel, import_runtime, loading, place
from seesay.engines.sound.common import check_duration, check_prompt, resolve_seed
from seesay.engines.sound.dsp import fit
from seesay.engines.sound.settings import HfAudioSettings
from seesay.errors import EngineError, EngineUnavailable

__all__ = ["HfMusicEngine", "HfSoundEngine", "TextToAudioModel"]

MAX_PROMPT_CHARS: Final = 1000


class TextToAudioModel(HfModel):
    """The loaded model, tokenizer and generation; thread-safe (generation is serialised:
    torch modules are not re-entrant and the seed is process-global)."""

    def __init__(self, settings: HfAudioSettings, ctx: EngineContext) -> None:
        super().__init__(ctx)
        self.settings = settings
        self._tokenizer: Any = None
        self.sample_rate = 0
        self.frame_rate = 0.0
        self.codebooks = 0

    def _load(self) -> None:
        s = self.settings
        if not s.model_path:
            raise EngineUnavailable(f"the {s.name} engine needs model_path to be set")
        torch, transformers = import_runtime(f"the {s.name} engine")
        with loading(f"the text-to-audio model from {s.model_path!r}"):
            tokenizer = transformers.AutoTokenizer.from_pretrained(
                s.model_path, local_files_only=s.local_files_only
            )
            model = transformers.AutoModelForTextToWaveform.from_pretrained(
                s.model_path, local_files_only=s.local_files_only
            )
        codec = getattr(model.config, "audio_encoder", None)
        if codec is None or not hasattr(model.config, "decoder"):
            raise EngineUnavailable(
                f"{s.model_path!r} is not a MusicGen-style model (no audio codec)"
            )
        place(torch, (model,), s.device, self._ctx.threads)
        self.sample_rate = int(codec.sampling_rate)
        self.frame_rate = float(
            getattr(codec, "frame_rate", 0)
            or codec.sampling_rate / math.prod(codec.upsampling_ratios)
        )
        self.codebooks = int(model.config.decoder.num_codebooks)
        self._model, self._tokenizer, self._torch = model, tokenizer, torch

    def _release(self) -> None:
        self._model = self._tokenizer = self._torch = None

    def generate(self, prompt: str, seconds: float, seed: int) -> Audio:
        text = check_prompt(prompt, MAX_PROMPT_CHARS, "the audio to generate")
        with self._lock:
            model, tokenizer, torch = self._model, self._tokenizer, self._torch
            if model is None:
                raise EngineUnavailable(f"{self.settings.name} is not loaded")
            tokens = math.ceil(seconds * self.frame_rate) + self.codebooks
            inputs = tokenizer([text], return_tensors="pt", padding=True).to(self.settings.device)
            torch.manual_seed(seed)
            try:
                with torch.inference_mode():
                    values = model.generate(
                        **inputs,
                        do_sample=True,
                        guidance_scale=self.settings.guidance_scale,
                        temperature=self.settings.temperature,
                        max_new_tokens=tokens,
                    )
            except (RuntimeError, ValueError) as exc:
                raise EngineError(f"{self.settings.name} failed to generate audio") from exc
        samples = np.asarray(values[0, 0].float().cpu().numpy(), dtype=np.float32)
        n = round(seconds * self.sample_rate)
        samples = fit(samples, n)
        peak = float(np.max(np.abs(samples))) if n else 0.0
        if peak > 0.99:  # the codec may overshoot; never hand on a clipping signal
            samples *= 0.99 / peak
        return Audio(samples, self.sample_rate)


class _TextToAudioEngine:
    """What the music and sound engines over one ``TextToAudioModel`` share."""

    def __init__(
        self, settings: HfAudioSettings, ctx: EngineContext, task: Task, what: str
    ) -> None:
        self._model = TextToAudioModel(settings, ctx)
        self._info = EngineInfo(
            name=settings.name,
            task=task,
            model=settings.model_path or "(unset)",
            licence="see the model card (MusicGen weights: CC-BY-NC-4.0)",
            local=True,
            formats=("wav",),
            description=f"In-process text-to-audio model (MusicGen family) making {what}",
            extra={"max_seconds": settings.max_seconds},
        )

    @property
    def info(self) -> EngineInfo:
        return self._info

    def load(self) -> None:
        self._model.load()

    def unload(self) -> None:
        self._model.unload()


class HfMusicEngine(_TextToAudioEngine):
    """A ``MusicEngine`` over ``TextToAudioModel``."""

    def __init__(self, settings: HfAudioSettings, ctx: EngineContext) -> None:
        super().__init__(settings, ctx, Task.MUSIC, "music")

    def compose(self, prompt: str, duration_seconds: float, seed: int | None) -> MusicResult:
        s = self._model.settings
        seconds = check_duration(duration_seconds, 0.5, s.max_seconds)
        used = resolve_seed(seed)
        audio = self._model.generate(prompt, seconds, used)
        plan = {
            "engine": s.name,
            "model": s.model_path,
            "prompt": prompt.strip(),
            "seed": used,
            "guidance_scale": s.guidance_scale,
            "temperature": s.temperature,
        }
        return MusicResult(audio, plan)


class HfSoundEngine(_TextToAudioEngine):
    """A ``SoundEngine`` over ``TextToAudioModel`` (an AudioGen/MusicGen-style checkpoint)."""

    def __init__(self, settings: HfAudioSettings, ctx: EngineContext) -> None:
        super().__init__(settings, ctx, Task.SOUND, "sound effects")

    def generate(self, prompt: str, duration_seconds: float, seed: int | None) -> SoundResult:
        seconds = check_duration(duration_seconds, 0.5, self._model.settings.max_seconds)
        audio = self._model.generate(prompt, seconds, resolve_seed(seed))
        words = tuple(dict.fromkeys(re.findall(r"[\w']+", prompt.lower())))
        return SoundResult(audio, understood=words, ignored=())
