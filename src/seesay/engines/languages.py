"""BCP-47 language tags: validation, matching against what engines offer, names, detection.

Every language that crosses an engine boundary is a canonical BCP-47 tag as produced by
:func:`normalize` ("en", "pt-BR", "zh-Hans", deprecated codes replaced: "iw" -> "he").
Engines list the tags they serve in ``EngineInfo.languages``; services pick an engine with
:func:`matches` / :func:`best_match`, where a general offer serves a specific request
("en" serves "en-US") and a general request is served by a specific offer ("pt" by "pt-BR"),
but two different regions or scripts never match ("pt-PT" is not "pt-BR").

``language: auto`` on text is served by :func:`detect`, backed by lingua, whose n-gram models
ship inside its wheel. Detectors are built lazily, once per candidate set, under a lock.

:func:`detect_confident` is the strict form used where a wrong guess is worse than a default
(the language speech is spoken in): short texts are ambiguous ("Format test." reads as
Romanian, "Open the door" as Dutch), so it answers only for a text with at least
``MIN_LETTERS`` letters whose best language has lingua confidence ``MIN_CONFIDENCE`` and leads
the runner-up by ``MIN_MARGIN``; or, at any length, when the script alone decides
(``SCRIPT_CERTAIN``: kana, Hangul, Hebrew, Greek, Polish or Vietnamese letters...).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

import langcodes
from langcodes.tag_parser import LanguageTagError

from seesay.errors import EngineUnavailable, UnsupportedLanguage

T = TypeVar("T")

if TYPE_CHECKING:
    from lingua import LanguageDetector

__all__ = [
    "AUTO",
    "COMMON_LANGUAGES",
    "MIN_CONFIDENCE",
    "MIN_LETTERS",
    "MIN_MARGIN",
    "SCRIPT_CERTAIN",
    "TextLanguageDetector",
    "best_match",
    "best_pair",
    "detect",
    "detect_confident",
    "display_name",
    "is_auto",
    "matches",
    "normalize",
    "primary",
    "text_detector",
]

AUTO = "auto"
"""The value a caller sends to ask for language detection."""

COMMON_LANGUAGES: tuple[str, ...] = tuple(
    "en zh es ar pt fr ja de ru ko it tr pl nl vi id th uk fa he hi sv cs el ro hu da fi".split()  # noqa: SIM905
)
"""A default detection candidate set: the most used languages online (lingua knows all)."""


# Thresholds of detect_confident, chosen on 194 short and long texts in 24 languages with every
# lingua language as candidate (bench/language_detection.py prints the table): at these values
# no text was given a wrong language (English with foreign names or dishes, such as "Café latte
# and croissant." read as French at 0.48, stayed undetected), while 70% of the non-English
# texts of 20 letters or more were still recognised; the rest fall back to the voice's or the
# account's language. Below 20 letters only texts whose script decides (kana, Hangul, Greek,
# Polish or Vietnamese letters...) reached 0.99; every other short text stayed at 0.95 or below.
MIN_LETTERS = 20
MIN_CONFIDENCE = 0.6
MIN_MARGIN = 0.3
SCRIPT_CERTAIN = 0.99


def is_auto(tag: str | None) -> bool:
    """True when the caller asked for detection (None, empty, or ``auto``)."""
    return tag is None or tag.strip().lower() in ("", AUTO)


@lru_cache(maxsize=4096)
def _canonical(tag: str) -> str:
    try:
        # macro=True folds individual languages into their macrolanguage ("cmn" -> "zh"),
        # which is how engines and Whisper name them.
        canonical: str = langcodes.standardize_tag(tag, macro=True)
        parsed = langcodes.Language.get(canonical)
    except (LanguageTagError, ValueError) as exc:
        raise UnsupportedLanguage(
            f"{tag!r} is not a valid BCP-47 language tag", param="language"
        ) from exc
    if not parsed.is_valid() or parsed.language in (None, "und"):
        raise UnsupportedLanguage(f"{tag!r} is not a known BCP-47 language tag", param="language")
    return canonical


def normalize(tag: str) -> str:
    """The canonical BCP-47 form of ``tag``; raises ``UnsupportedLanguage`` if it is invalid.

    Accepts underscores and any case ("pt_br" -> "pt-BR"), ISO 639-2/3 codes ("eng" -> "en")
    and deprecated codes ("iw" -> "he"). "und" and unregistered subtags are refused.
    """
    cleaned = tag.strip().replace("_", "-") if isinstance(tag, str) else ""
    if not cleaned or len(cleaned) > 64:
        raise UnsupportedLanguage(f"{tag!r} is not a valid BCP-47 language tag", param="language")
    return _canonical(cleaned)


def primary(tag: str) -> str:
    """The language subtag alone: "pt-BR" -> "pt"."""
    language = langcodes.Language.get(normalize(tag)).language
    assert language is not None  # normalize() refuses tags without one
    return language


@lru_cache(maxsize=4096)
def _script(tag: str) -> str | None:
    """The explicit or likely script of a canonical tag ("zh-TW" -> "Hant")."""
    parsed = langcodes.Language.get(tag)
    script: str | None = parsed.script or parsed.maximize().script
    return script


def matches(requested: str, offered: str) -> bool:
    """Whether an engine offering ``offered`` serves a request for ``requested``.

    Same language, and each of script and region either unspecified on one side or equal.
    A script an offer names explicitly is compared with the request's likely script, so a
    "zh-Hans" engine serves "zh-CN" but not "zh-TW". Both tags must be valid.
    """
    req = langcodes.Language.get(normalize(requested))
    off = langcodes.Language.get(normalize(offered))
    if req.language != off.language:
        return False
    if off.territory and req.territory and off.territory != req.territory:
        return False
    if off.script:
        return _script(str(req)) == off.script
    return not (req.script and off.territory and _script(str(off)) != req.script)


def best_match(requested: str, offered: Iterable[str]) -> str | None:
    """The offered tag that serves ``requested`` most closely, or None.

    Among matching offers the closest by CLDR distance wins, ties going to the earlier one
    (engines list their preferred form first).
    """
    req = normalize(requested)
    best: tuple[int, int, str] | None = None
    for index, tag in enumerate(offered):
        if not matches(req, tag):
            continue
        off = normalize(tag)
        rank = (0 if off == req else 1 + langcodes.tag_distance(req, off), index, tag)
        if best is None or rank < best:
            best = rank
    return best[2] if best else None


def best_pair(
    source: str,
    target: str,
    pairs: Mapping[tuple[str, str], T],
    prefer: Callable[[T], int] = lambda _: 0,
) -> T | None:
    """The value of the ``(source, target)`` pair in ``pairs`` that serves a translation from
    ``source`` to ``target`` most closely, or None: pairs naming both tags exactly first, then
    one, then neither; ``prefer`` breaks ties (higher wins), then the earlier pair."""
    best: tuple[int, T] | None = None
    for (src, tgt), value in pairs.items():
        if matches(source, src) and matches(target, tgt):
            exact = (normalize(source) == src) + (normalize(target) == tgt)
            rank = exact * 2 + prefer(value)
            if best is None or rank > best[0]:
                best = (rank, value)
    return best[1] if best else None


def display_name(tag: str, in_language: str = "en") -> str:
    """The human name of ``tag`` ("pt-BR" -> "Portuguese (Brazil)"), in ``in_language``.

    Falls back to the tag itself when the optional ``language_data`` names are not installed.
    """
    canonical = normalize(tag)
    try:
        name: str = langcodes.Language.get(canonical).display_name(normalize(in_language))
    except ImportError:
        return canonical
    return name


class TextLanguageDetector:
    """Detects the language of a text with lingua, restricted to ``candidates`` if given.

    Building the lingua detector is cheap, but its first detection loads the n-gram models
    of every candidate language (about 10 s for all 75 on a 2-core machine, milliseconds for
    a handful), so restrict the candidates to the languages you serve and call :meth:`warm`
    at start-up if first-request latency matters. Built once, under a lock; thread-safe after.

    ``min_relative_distance`` (0 to 0.99) is lingua's own "unsure" threshold: the higher, the
    more often short or ambiguous texts give None instead of a guess.
    """

    def __init__(
        self, candidates: Iterable[str] | None = None, min_relative_distance: float = 0.0
    ) -> None:
        self._candidates = frozenset(primary(c) for c in candidates) if candidates else None
        self._min_relative_distance = min_relative_distance
        self._lock = threading.Lock()
        self._detector: LanguageDetector | None = None

    @property
    def candidates(self) -> frozenset[str] | None:
        return self._candidates

    def warm(self) -> None:
        """Build the detector and load its models now instead of on the first request."""
        self._get(preload=True)

    def _get(self, preload: bool = False) -> LanguageDetector:
        if self._detector is None:
            with self._lock:
                if self._detector is None:
                    self._detector = self._build(preload)
        return self._detector

    def _build(self, preload: bool) -> LanguageDetector:
        try:
            from lingua import IsoCode639_1, LanguageDetectorBuilder
        except ImportError as exc:
            raise EngineUnavailable(
                "language detection needs lingua-language-detector: install seesay[translate]"
            ) from exc

        if self._candidates is None:
            builder = LanguageDetectorBuilder.from_all_languages()
        else:
            codes = []
            for code in sorted(self._candidates):
                try:
                    codes.append(IsoCode639_1.from_str(code))
                except ValueError:
                    continue  # a language lingua does not know cannot be detected anyway
            if len(codes) < 2:
                raise ValueError("detection needs at least two candidate languages lingua knows")
            builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        builder = builder.with_minimum_relative_distance(self._min_relative_distance)
        if preload:
            builder = builder.with_preloaded_language_models()
        return builder.build()

    def detect(self, text: str) -> str | None:
        """The BCP-47 tag of the language of ``text``, or None when unsure or no letters."""
        if not text or not any(ch.isalpha() for ch in text):
            return None
        found = self._get().detect_language_of(text)
        if found is None:
            return None
        return normalize(found.iso_code_639_1.name.lower())

    def confidences(self, text: str, top: int = 2) -> list[tuple[str, float]]:
        """The ``top`` most likely languages of ``text`` with lingua's confidence (0-1, summing
        to 1 over the candidates), best first; empty when the text has no letters."""
        if not text or not any(ch.isalpha() for ch in text):
            return []
        values = self._get().compute_language_confidence_values(text)[:top]
        return [(normalize(v.language.iso_code_639_1.name.lower()), v.value) for v in values]

    def detect_confident(self, text: str) -> str | None:
        """The language of ``text`` only when it is clear (see the module doc), else None."""
        ranked = self.confidences(text)
        if not ranked:
            return None
        best, confidence = ranked[0]
        if confidence >= SCRIPT_CERTAIN:
            return best
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        letters = sum(ch.isalpha() for ch in text)
        if letters >= MIN_LETTERS and confidence >= MIN_CONFIDENCE:
            return best if confidence - runner_up >= MIN_MARGIN else None
        return None


_detectors: dict[frozenset[str] | None, TextLanguageDetector] = {}
_detectors_lock = threading.Lock()


def text_detector(candidates: Iterable[str] | None = None) -> TextLanguageDetector:
    """The shared detector for ``candidates`` (None: every language lingua knows)."""
    key = frozenset(primary(c) for c in candidates) if candidates else None
    with _detectors_lock:
        found = _detectors.get(key)
        if found is None:
            found = _detectors[key] = TextLanguageDetector(key)
        return found


def detect(text: str, candidates: Iterable[str] | None = None) -> str | None:
    """The BCP-47 tag of the language of ``text`` among ``candidates``, or None when unsure."""
    return text_detector(candidates).detect(text)


def detect_confident(text: str, candidates: Iterable[str] | None = None) -> str | None:
    """The language of ``text`` among ``candidates`` when it is clear (see the module doc):
    enough letters and a confident, clear lead, or a script only one candidate writes."""
    return text_detector(candidates).detect_confident(text)
