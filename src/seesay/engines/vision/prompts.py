"""Instructions for model-backed describers (remote chat endpoints, in-process VLMs).

One system prompt, and a user instruction per detail level that also names the output language,
so a multilingual model answers directly in the asked language.
"""

from __future__ import annotations

from typing import Final

from seesay.engines.base import Detail

__all__ = ["SYSTEM_PROMPT", "instruction", "language_name"]

SYSTEM_PROMPT: Final = (
    "You describe images for people who cannot see them. Be accurate and concrete; never guess "
    "names of real people; say when something is uncertain; read any visible text exactly."
)

_DETAIL: Final[dict[str, str]] = {
    "brief": "Describe this image in one or two short sentences.",
    "standard": "Describe this image in two or three sentences: main subject, setting, notable "
    "details and any visible text.",
    "detailed": "Describe this image in detail in at least four sentences: main subject, people "
    "and what they do, setting, colors and lighting, and transcribe any visible text.",
}

_LANGUAGES: Final[dict[str, str]] = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "ja": "Japanese", "zh": "Chinese", "ko": "Korean",
    "ru": "Russian", "ar": "Arabic", "hi": "Hindi", "pl": "Polish", "tr": "Turkish",
    "sv": "Swedish", "uk": "Ukrainian", "vi": "Vietnamese", "id": "Indonesian",
}  # fmt: skip


def language_name(tag: str) -> str:
    """English name of a BCP-47 tag's language, or the tag itself when unknown."""
    base = tag.split("-")[0].lower()
    if base == "pt" and tag.lower().endswith("br"):
        return "Brazilian Portuguese"
    return _LANGUAGES.get(base, tag)


def instruction(detail: Detail, prompt: str | None, language: str) -> str:
    """The user message: the caller's prompt when given, else the detail-level instruction."""
    ask = prompt.strip() if prompt and prompt.strip() else _DETAIL[detail]
    if prompt and prompt.strip():
        ask += f" ({_DETAIL[detail].removeprefix('Describe this image ').rstrip('.')}.)"
    return f"{ask}\nAnswer in {language_name(language)}."
