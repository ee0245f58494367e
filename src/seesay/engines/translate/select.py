"""Choosing the translation engine for a (source, target) pair, for the services.

Rules, in order:
- a same-language request (``languages.matches(source, target)``: "en-US" -> "en") is a
  no-op: the text comes back unchanged, with engine ``"none"``;
- otherwise the first engine in preference order whose ``pairs()`` serve the request wins,
  where an offered pair serves it when both sides match by BCP-47 (``languages.matches``);
  an engine with no pairs (a remote LLM) serves any pair;
- an engine that cannot list its pairs (a remote server that is down) is skipped;
- if none serves it, ``UnsupportedLanguage`` names the request and lists the served pairs in the
  message and in ``details["supported"]``. SeeSay never answers in another language silently.

``source`` may be "auto"/None: it is detected from the text among the sources the engines
serve (the common languages when an any-pair engine is configured).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import cast

from seesay.engines import languages
from seesay.engines.base import Task, TranslateEngine, Translation
from seesay.engines.registry import EngineRegistry
from seesay.errors import EngineUnavailable, SeeSayError, UnsupportedLanguage

__all__ = ["NO_ENGINE", "choose", "detect_source", "served_pairs", "translate"]

log = logging.getLogger(__name__)

NO_ENGINE = "none"
"""``Translation.engine`` of a same-language no-op."""


def _pairs(engine: TranslateEngine) -> frozenset[tuple[str, str]] | None:
    """The engine's pairs, or None when it cannot say (a remote server that is down)."""
    try:
        return engine.pairs()
    except EngineUnavailable as exc:  # nothing installed (no Argos pair pulled): not news
        log.debug("translation engine %s serves no pair: %s", engine.info.name, exc)
        return None
    except SeeSayError as exc:
        log.warning("translation engine %s cannot list its pairs: %s", engine.info.name, exc)
        return None


def served_pairs(engines: Sequence[TranslateEngine]) -> list[str]:
    """Every "source>target" pair the engines serve, in order; "any" for an any-pair engine."""
    out: list[str] = []
    for engine in engines:
        pairs = _pairs(engine)
        if pairs is None:
            continue
        for item in sorted(f"{a}>{b}" for a, b in pairs) if pairs else ["any"]:
            if item not in out:
                out.append(item)
    return out


def _serves(engine: TranslateEngine, source: str, target: str) -> bool:
    pairs = _pairs(engine)
    if pairs is None:
        return False
    if not pairs:
        return True
    return any(languages.matches(source, a) and languages.matches(target, b) for a, b in pairs)


def choose(engines: Sequence[TranslateEngine], source: str, target: str) -> TranslateEngine:
    """The first engine serving ``source`` -> ``target``, or ``UnsupportedLanguage``."""
    src, tgt = languages.normalize(source), languages.normalize(target)
    for engine in engines:
        if _serves(engine, src, tgt):
            return engine
    supported = served_pairs(engines)
    listed = ", ".join(supported) if supported else "none (no translation engine is configured)"
    raise UnsupportedLanguage(
        f"no configured translation engine translates {src} to {tgt}; served pairs: {listed}",
        param="language",
        details={"supported": supported, "source": src, "target": tgt},
    )


def detect_source(engines: Sequence[TranslateEngine], text: str) -> str:
    """The language of ``text`` among the sources the engines read; refuses when unsure."""
    candidates: set[str] = set()
    for engine in engines:
        pairs = _pairs(engine)
        if pairs is None:
            continue
        if not pairs:
            candidates.update(languages.COMMON_LANGUAGES)
        candidates.update(languages.primary(a) for a, _ in pairs)
    detected = languages.detect(text, candidates) if len(candidates) >= 2 else None
    if detected is None and len(candidates) == 1:
        detected = next(iter(candidates))  # only one language could be translated anyway
    if detected is None:
        raise UnsupportedLanguage(
            "could not detect the language of the text; name the source language",
            param="source",
        )
    return detected


def translate(
    registry: EngineRegistry,
    text: str,
    source: str | None,
    target: str,
    *,
    on_chosen: Callable[[str], None] | None = None,
) -> Translation:
    """Translate with the registry's preferred engine for the pair (loading it if needed)."""
    engines = registry.all_of(Task.TRANSLATE, TranslateEngine)  # type: ignore[type-abstract]
    tgt = languages.normalize(target)
    src = detect_source(engines, text) if languages.is_auto(source) else None
    src = src or languages.normalize(source or "")
    if languages.matches(src, tgt) or not text.strip():
        return Translation(text=text, source=src, target=tgt, engine=NO_ENGINE)
    engine = choose(engines, src, tgt)
    name = engine.info.name
    if on_chosen is not None:
        on_chosen(name)
    with registry.lease(Task.TRANSLATE, name) as leased:
        return cast(TranslateEngine, leased).translate(text, src, tgt)
