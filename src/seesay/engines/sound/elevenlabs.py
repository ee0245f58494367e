"""A remote ElevenLabs-compatible sound-effect engine: ``POST {base_url}/sound-generation``.

The request is ``{"text": prompt, "duration_seconds": d}`` (plus ``prompt_influence`` when
configured) with ``?output_format=`` from the settings; the answer is audio in that format.
The audio is cut or padded to exactly the asked duration (providers round to their frame
size). The remote model reads the whole prompt, so every word counts as understood. Remote
generation takes no seed: the same prompt may sound different each time.
"""

from __future__ import annotations

import re

import httpx

from seesay.engines.base import Audio, SoundResult, Task
from seesay.engines.sound.common import check_duration, check_prompt
from seesay.engines.sound.dsp import fit
from seesay.engines.sound.settings import ElevenLabsSoundSettings
from seesay.engines.sound.xi import XiEngine, decode_xi_audio, format_rate
from seesay.engines.upstream import remote_info

__all__ = ["ElevenLabsSoundEngine"]

MAX_PROMPT_CHARS = 1000


class ElevenLabsSoundEngine(XiEngine):
    """Sound effects from an ElevenLabs-compatible API; ``transport`` is the test seam."""

    def __init__(
        self, settings: ElevenLabsSoundSettings, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        super().__init__(settings, provider=settings.name, transport=transport)
        self._s = settings
        format_rate(settings.output_format)  # a bad format fails at start-up, not per call
        self._info = remote_info(
            settings.name,
            Task.SOUND,
            "sound-generation",
            formats=(settings.output_format,),
            description="ElevenLabs-compatible sound generation at "
            + str(httpx.URL(settings.base_url).host),
            extra={"max_seconds": settings.max_seconds, "min_seconds": settings.min_seconds},
        )

    def generate(self, prompt: str, duration_seconds: float, seed: int | None) -> SoundResult:
        seconds = check_duration(duration_seconds, self._s.min_seconds, self._s.max_seconds)
        text = check_prompt(prompt, MAX_PROMPT_CHARS, "the sound to generate")
        body: dict[str, object] = {"text": text, "duration_seconds": seconds}
        if self._s.prompt_influence is not None:
            body["prompt_influence"] = self._s.prompt_influence
        response = self.upstream().request(
            "POST", f"sound-generation?output_format={self._s.output_format}", json=body
        )
        audio = decode_xi_audio(response.content, self._s.output_format, self._s.name)
        samples = fit(audio.samples, round(seconds * audio.sample_rate))
        words = tuple(dict.fromkeys(re.findall(r"[\w']+", text.lower())))
        return SoundResult(Audio(samples, audio.sample_rate), understood=words, ignored=())
