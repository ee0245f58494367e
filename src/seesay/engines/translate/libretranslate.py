"""Translation through a LibreTranslate server (``POST /translate``, ``GET /languages``).

The pairs are what the server's ``/languages`` lists, fetched on first need and cached; its
codes map to BCP-47 ("pb" and "pt-BR" are Brazilian Portuguese, "zt" is Traditional Chinese)
and requests send back the server's own code. The API key goes in the JSON body, as
LibreTranslate expects. Errors map to ``UpstreamError``/``EngineTimeout`` without the body.
"""

from __future__ import annotations

from typing import Any

import httpx

from seesay.engines import languages
from seesay.engines.base import EngineInfo, Task, Translation
from seesay.engines.translate.settings import LibreTranslateSettings
from seesay.engines.upstream import RemoteEngine, remote_info
from seesay.errors import UnsupportedLanguage, UpstreamError

__all__ = ["LibreTranslateEngine", "parse_languages"]

# LibreTranslate codes that are not BCP-47.
_CODE_FIXES = {"pb": "pt-BR", "zt": "zh-Hant"}


def parse_languages(body: Any) -> dict[tuple[str, str], tuple[str, str]]:
    """{(source, target) BCP-47: (source code, target code) as the server names them}."""
    if not isinstance(body, list):
        raise UpstreamError("LibreTranslate answered /languages with an unexpected shape")
    tags: dict[str, str] = {}
    for entry in body:
        code = entry.get("code") if isinstance(entry, dict) else None
        if isinstance(code, str) and code != "auto":
            try:
                tags[code] = languages.normalize(_CODE_FIXES.get(code, code))
            except UnsupportedLanguage:
                continue  # a code we cannot name cannot be asked for either
    pairs: dict[tuple[str, str], tuple[str, str]] = {}
    for entry in body:
        if not isinstance(entry, dict) or entry.get("code") not in tags:
            continue
        source = entry["code"]
        for target in entry.get("targets") or []:
            if target in tags and target != source:
                pairs[(tags[source], tags[target])] = (source, target)
    return pairs


class LibreTranslateEngine(RemoteEngine):
    """The ``TranslateEngine`` over a LibreTranslate server; thread-safe."""

    def __init__(
        self, settings: LibreTranslateSettings, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        super().__init__(settings, provider="LibreTranslate", transport=transport)
        self._settings = settings
        self._pairs: dict[tuple[str, str], tuple[str, str]] | None = None

    @property
    def info(self) -> EngineInfo:
        return remote_info(
            self._settings.name,
            Task.TRANSLATE,
            "LibreTranslate (Argos Translate)",
            languages=tuple(sorted({t for p in (self._pairs or {}) for t in p})),
            description=f"LibreTranslate at {self._settings.base_url}",
        )

    def _server_pairs(self) -> dict[tuple[str, str], tuple[str, str]]:
        pairs = self._pairs
        if pairs is None:
            client = self.upstream()
            pairs = parse_languages(client.json(client.request("GET", "languages")))
            self._pairs = pairs
        return pairs

    def pairs(self) -> frozenset[tuple[str, str]]:
        """The server's pairs; asks it on first call (``UpstreamError`` if unreachable)."""
        return frozenset(self._server_pairs())

    def load(self) -> None:
        self._server_pairs()

    def unload(self) -> None:
        self._pairs = None
        super().unload()

    def translate(self, text: str, source: str, target: str) -> Translation:
        """Translate with the server's pair closest to (source, target)."""
        pairs = self._server_pairs()
        chosen: tuple[str, str] | None = None
        for (src, tgt), codes in pairs.items():
            if languages.matches(source, src) and languages.matches(target, tgt):
                exact = languages.normalize(target) == tgt
                if chosen is None or exact:
                    chosen = codes
                if exact:
                    break
        if chosen is None:
            raise UnsupportedLanguage(
                f"LibreTranslate does not translate {source!r} to {target!r}",
                param="language",
                details={"supported": sorted(f"{a}>{b}" for a, b in pairs)},
            )
        payload: dict[str, Any] = {
            "q": text,
            "source": chosen[0],
            "target": chosen[1],
            "format": "text",
        }
        if self._settings.api_key is not None:
            payload["api_key"] = self._settings.api_key.get_secret_value()
        client = self.upstream()
        body = client.json(client.request("POST", "translate", json=payload))
        translated = body.get("translatedText") if isinstance(body, dict) else None
        if not isinstance(translated, str):
            raise UpstreamError("LibreTranslate answered without a translatedText")
        return Translation(
            text=translated,
            source=languages.normalize(source),
            target=languages.normalize(_CODE_FIXES.get(chosen[1], chosen[1])),
            engine=self._settings.name,
        )
