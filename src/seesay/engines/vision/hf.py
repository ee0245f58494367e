"""An in-process Hugging Face image-to-text / vision-language model (BLIP, Florence-2, SmolVLM...).

Loads from a local folder (or the local HF cache; never downloads unless told to), never with
``trust_remote_code``. Three families:

* encoder-decoder captioners (``VisionEncoderDecoderModel``, BLIP, GIT): ``AutoModelForVision2Seq``
  style, the image in, a caption out; they take no prompt, so the detail level only scales
  ``max_new_tokens``;
* chat VLMs with a chat template (SmolVLM, Idefics, Qwen-VL...): ``AutoModelForImageTextToText``
  with the same instructions the remote engine sends;
* Florence-2 (``florence2``, native in transformers): no free prompt but task tokens, so the
  detail level picks caption / detailed caption / more detailed caption, and a prompt that
  asks for the text in the image picks OCR. It writes English.

torch and transformers are imported in ``load()`` only.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from PIL import Image

from seesay.engines.base import Description, Detail, EngineContext, EngineInfo, Task
from seesay.engines.hf_runtime import HfModel, import_runtime, loading, place
from seesay.engines.vision.prompts import instruction
from seesay.engines.vision.settings import HfVisionSettings
from seesay.errors import EngineError, EngineUnavailable, UnsupportedLanguage

__all__ = ["HfVisionEngine", "florence_task"]

Family = Literal["captioner", "chat", "florence"]

_DETAIL_TOKENS = {"brief": 0.4, "standard": 0.7, "detailed": 1.0}
_FLORENCE_TASKS: dict[Detail, str] = {
    "brief": "<CAPTION>",
    "standard": "<DETAILED_CAPTION>",
    "detailed": "<MORE_DETAILED_CAPTION>",
}
# A prompt that asks what is written: Florence-2's OCR task answers it.
_ASKS_TEXT = re.compile(
    r"\b(read|text|written|writing|says?|words?|label|sign|ocr|transcribe)\b", re.IGNORECASE
)


def florence_task(detail: Detail, prompt: str | None) -> str:
    """The Florence-2 task token for a detail level and an optional prompt."""
    if prompt and _ASKS_TEXT.search(prompt):
        return "<OCR>"
    return _FLORENCE_TASKS[detail]


class HfVisionEngine(HfModel):
    """Thread-safe: generation is serialised (torch modules are not re-entrant-safe on CPU)."""

    def __init__(self, settings: HfVisionSettings, ctx: EngineContext) -> None:
        super().__init__(ctx)
        self._s = settings
        self._processor: Any = None
        self._tokenizer: Any = None  # decodes encoder-decoder outputs
        self._family: Family = "captioner"
        self._info = EngineInfo(
            name=settings.name,
            task=Task.VISION,
            model=settings.model_path or "(unset)",
            licence="see the model card",
            local=True,
            languages=tuple(settings.languages),
            formats=("jpeg", "png", "webp", "bmp", "tiff", "gif"),
            description="In-process Hugging Face image-to-text model",
        )

    @property
    def info(self) -> EngineInfo:
        return self._info

    def _load(self) -> None:
        if not self._s.model_path:
            raise EngineUnavailable("the hf vision engine needs model_path to be set")
        torch, transformers = import_runtime("the hf vision engine")
        path, local_only = self._s.model_path, self._s.local_files_only
        model: Any
        processor: Any
        tokenizer: Any
        with loading(f"the hf vision model from {path!r}"):
            config = transformers.AutoConfig.from_pretrained(path, local_files_only=local_only)
            is_encoder_decoder = config.model_type == "vision-encoder-decoder"
            is_florence = config.model_type == "florence2"
            if is_encoder_decoder:
                model = transformers.VisionEncoderDecoderModel.from_pretrained(
                    path, local_files_only=local_only
                )
                processor = transformers.AutoImageProcessor.from_pretrained(
                    path, local_files_only=local_only
                )
                tokenizer = transformers.AutoTokenizer.from_pretrained(
                    path, local_files_only=local_only
                )
            else:
                processor = transformers.AutoProcessor.from_pretrained(
                    path, local_files_only=local_only, trust_remote_code=False
                )
                tokenizer = getattr(processor, "tokenizer", None)
                model = transformers.AutoModelForImageTextToText.from_pretrained(
                    path, local_files_only=local_only, trust_remote_code=False
                )
        place(torch, (model,), self._s.device, self._ctx.threads)
        if is_florence:
            self._family = "florence"
        elif not is_encoder_decoder and getattr(processor, "chat_template", None):
            self._family = "chat"
        else:
            self._family = "captioner"
        self._model, self._processor, self._tokenizer = model, processor, tokenizer
        self._torch = torch

    def _release(self) -> None:
        self._model = self._processor = self._tokenizer = self._torch = None

    def describe(
        self, image: Any, detail: Detail, prompt: str | None, language: str
    ) -> Description:
        served = {tag.split("-")[0] for tag in self._s.languages}
        if served and language.split("-")[0] not in served:
            raise UnsupportedLanguage(
                f"{self._s.name} writes {', '.join(self._s.languages)} only",
                details={"supported": list(self._s.languages)},
            )
        if not isinstance(image, Image.Image):
            raise EngineError("describe() needs a decoded PIL image")
        if self._model is None:
            raise EngineUnavailable(f"{self._s.name} is not loaded")
        budget = max(8, round(self._s.max_new_tokens * _DETAIL_TOKENS[detail]))
        with self._lock:
            text, task = self._generate(image.convert("RGB"), detail, prompt, language, budget)
        findings: dict[str, Any] = {"prompt_used": self._family == "chat", "max_new_tokens": budget}
        if task is not None:
            findings["task"] = task
        return Description(
            text=text,
            language=language,
            engine=self._s.name,
            model=self._info.model,
            findings=findings,
        )

    def _generate(
        self, image: Image.Image, detail: Detail, prompt: str | None, language: str, budget: int
    ) -> tuple[str, str | None]:
        """The generated text, and the Florence-2 task token used (None for other families)."""
        torch, model, processor = self._torch, self._model, self._processor
        device = self._s.device
        task = None
        try:
            with torch.inference_mode():
                if self._family == "florence":
                    task = florence_task(detail, prompt)
                    inputs = processor(text=task, images=image, return_tensors="pt").to(device)
                    out = model.generate(**inputs, max_new_tokens=budget, do_sample=False)
                    text = processor.batch_decode(out, skip_special_tokens=True)[0]
                elif self._family == "chat":
                    messages = [
                        {
                            "role": "user",
                            "content": [
                                {"type": "image"},
                                {"type": "text", "text": instruction(detail, prompt, language)},
                            ],
                        }
                    ]
                    chat = processor.apply_chat_template(messages, add_generation_prompt=True)
                    inputs = processor(text=chat, images=[image], return_tensors="pt").to(device)
                    out = model.generate(**inputs, max_new_tokens=budget, do_sample=False)
                    new_tokens = out[:, inputs["input_ids"].shape[1] :]
                    text = processor.batch_decode(new_tokens, skip_special_tokens=True)[0]
                else:
                    pixels = processor(images=image, return_tensors="pt").pixel_values.to(device)
                    out = model.generate(
                        pixel_values=pixels, max_new_tokens=budget, do_sample=False
                    )
                    text = self._tokenizer.batch_decode(out, skip_special_tokens=True)[0]
        except (RuntimeError, ValueError, IndexError) as exc:
            # IndexError: a budget past the model's positions (a small or odd config).
            raise EngineError(f"{self._s.name} failed to generate a description") from exc
        return " ".join(str(text).split()), task
