"""The one price table. Prices are integer millicredits per unit (1 credit = 1000).

Every surface charges through this table, and ``estimate`` answers price questions (the
Vimmerse estimate endpoint) from the very same numbers. Operators override single prices
with ``SEESAY_PRICES__<FEATURE>=<millicredits>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from seesay.errors import InvalidRequest

__all__ = ["DEFAULT_PRICES", "Price", "PriceTable"]


@dataclass(frozen=True, slots=True)
class Price:
    feature: str
    unit: str
    millicredits: int  # per unit

    def cost(self, quantity: int) -> int:
        if quantity < 0:
            raise ValueError("quantity must not be negative")
        return self.millicredits * quantity


DEFAULT_PRICES: tuple[Price, ...] = (
    Price("describe", "image", 1000),
    Price("img2voice", "image", 1000),
    Price("speech", "character", 1),
    Price("speech_minute", "minute of audio", 500),
    Price("transcription", "minute of audio", 300),
    Price("translation", "1000 characters", 100),
    Price("voice_clone", "voice", 1_000_000),
    Price("clone_speech", "UTF-8 byte", 1000),
    Price("sound_effect", "second", 1000),
    Price("music", "second", 1000),
    Price("audio_upload", "started minute of audio", 50),  # Vimmerse upload: decode + store
    Price("chat", "request", 1000),
    # WebVoice media generation, forwarded to upstream providers (the spec's defaults).
    Price("webvoice_image", "image", 7000),
    Price("webvoice_image_edit", "edit", 1000),
    Price("webvoice_image_to_video", "started 5 seconds", 15000),
    Price("webvoice_text_to_video", "started 5 seconds", 13000),
)


class PriceTable:
    def __init__(self, overrides: Mapping[str, int] | None = None) -> None:
        prices = {p.feature: p for p in DEFAULT_PRICES}
        for feature, value in (overrides or {}).items():
            if feature not in prices:
                raise ValueError(f"unknown priced feature {feature!r}")
            if value < 0:
                raise ValueError(f"price of {feature!r} must not be negative")
            prices[feature] = replace(prices[feature], millicredits=int(value))
        self._prices = prices

    def __getitem__(self, feature: str) -> Price:
        try:
            return self._prices[feature]
        except KeyError:
            raise InvalidRequest(f"unknown feature {feature!r}") from None

    def cost(self, feature: str, quantity: int = 1) -> int:
        return self[feature].cost(quantity)

    def all(self) -> list[Price]:
        return list(self._prices.values())
