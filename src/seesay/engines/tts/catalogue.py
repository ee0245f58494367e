"""The voice catalogue: every voice of the configured speech engines, the spec voice names mapped
onto them through one table, and the rules that pick who speaks.

Voices come from each engine's ``EngineInfo`` (no engine needs to be loaded). A voice may speak
several languages (``EngineInfo.extra["voice_languages"]``); each engine rates its languages
(``EngineInfo.extra["quality"]``: natural > good > fair > robotic). An engine whose
``languages`` is empty (a remote multilingual model) speaks any language.

Names callers may use, in the order they are tried:
1. a real voice id (``en_US-joe-medium``, ``jf_alpha``, ``espeak-de-female``, ``nova``...);
2. an alias from ``ALIASES``, the one table of spec voice names: img2voice's eve, ara, rex,
   sal, leo; WebVoice's Kokoro-style ids (af_sarah, am_adam, if_sara...); OpenAI's voice names.
   An alias names a kind of voice (a gender, a home language) and a rank, not a model;
3. nothing (``None`` or ``""``): the best voice for the language.

How a voice is chosen for a language (``resolve``). Candidates are the voices that speak the
language (langcodes distance <= 10: en-US matches en, pt-BR matches pt), ordered by quality,
then language closeness, then the configured engine order. Then:
- a real voice that speaks the language speaks;
- a real voice that does not: the first candidate with the same gender on the same engine, else
  the same gender on another engine, else the other gender on the same engine, else any
  candidate (so espeak, ranked last everywhere, speaks only when nothing better can);
  ``fell_back`` is True and ``reason`` says why;
- an alias: among the candidates of its gender *in the best quality tier present*, the one at
  the alias's rank (modulo their number), so eve and ara get distinct voices where two equally
  good female voices exist and never a robotic one while a neural one of that gender speaks
  the language. When voices of unknown gender (``neutral``: pulled Piper voices) sound better
  than every voice of the alias's gender, they speak instead, ``fell_back``, so a pulled
  natural voice comes before eSpeak. No candidate of its gender: the best candidate of any
  gender, ``fell_back``;
- no candidates at all: ``UnsupportedLanguage`` with ``details["supported"]``; an unknown name:
  ``UnknownVoice``.

A voice its engine cannot open (``EngineInfo.extra["unavailable_voices"]``: a damaged pulled
voice) is no candidate; asked by its id, it is a real voice that does not speak, so another
speaks for it, ``fell_back``, the reason saying it cannot be loaded. Lists that show such a voice
with its state ask for it (``load_error``, ``candidates(..., unavailable=True)``); the others
(compatible surfaces) leave it out (``available_voices``).

img2voice's voices are xAI's Grok voices: Eve and Ara are female, Rex and Leo male, and Sal is
described as neutral; SeeSay treats Sal as male (third rank) because a neutral voice is not
available offline and the male list is longer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import langcodes

from seesay.engines.base import EngineInfo, Gender, VoiceInfo
from seesay.engines.tts.common import KOKORO_LANGUAGES, language_match
from seesay.errors import UnknownVoice, UnsupportedLanguage

__all__ = ["ALIASES", "QUALITY_RANK", "Alias", "ResolvedVoice", "VoiceCatalogue"]

QUALITY_RANK: Final = {"natural": 0, "good": 1, "fair": 2, "robotic": 3}
_UNRATED: Final = 2


@dataclass(frozen=True, slots=True)
class Alias:
    """A spec voice name: the kind of voice it stands for."""

    id: str
    gender: Gender
    rank: int = 0
    language: str | None = None  # its home language, if the spec ties it to one
    source: str = ""


def _kokoro_style(ids: str) -> dict[str, Alias]:
    out: dict[str, Alias] = {}
    rank: dict[str, int] = {}
    for vid in ids.split():
        gender: Gender = "female"
        if vid[1] == "m":
            gender = "male"
        key = vid[:2]
        out[vid] = Alias(vid, gender, rank.get(key, 0), KOKORO_LANGUAGES[vid[0]], "webvoice")
        rank[key] = rank.get(key, 0) + 1
    return out


# OpenAI's voices as commonly perceived (alloy, nominally neutral, is heard as female).
_OPENAI_VOICES: Final[tuple[tuple[str, Gender, int], ...]] = (
    ("alloy", "female", 0),
    ("ash", "male", 0),
    ("ballad", "male", 1),
    ("coral", "female", 1),
    ("echo", "male", 1),
    ("fable", "male", 2),
    ("nova", "female", 0),
    ("onyx", "male", 0),
    ("sage", "female", 2),
    ("shimmer", "female", 1),
    ("verse", "male", 2),
)

ALIASES: Final[dict[str, Alias]] = {
    # img2voice (xAI Grok voices)
    "eve": Alias("eve", "female", 0, None, "img2voice"),
    "ara": Alias("ara", "female", 1, None, "img2voice"),
    "rex": Alias("rex", "male", 0, None, "img2voice"),
    "leo": Alias("leo", "male", 1, None, "img2voice"),
    "sal": Alias("sal", "male", 2, None, "img2voice"),
    # OpenAI /audio/speech voices (used when no remote engine offers them for real)
    **{v: Alias(v, g, r, None, "openai") for v, g, r in _OPENAI_VOICES},
    # WebVoice (Kokoro v1.0 voice ids)
    **_kokoro_style(
        "af_heart af_alloy af_aoede af_bella af_jessica af_kore af_nicole af_nova af_river "
        "af_sarah af_sky am_adam am_echo am_eric am_fenrir am_liam am_michael am_onyx am_puck "
        "am_santa bf_alice bf_emma bf_isabella bf_lily bm_daniel bm_fable bm_george bm_lewis "
        "ef_dora em_alex em_santa ff_siwis hf_alpha hf_beta hm_omega hm_psi if_sara im_nicola "
        "jf_alpha jf_gongitsune jf_nezumi jf_tebukuro jm_kumo pf_dora pm_alex pm_santa "
        "zf_xiaobei zf_xiaoni zf_xiaoxiao zf_xiaoyi zm_yunjian zm_yunxi zm_yunxia zm_yunyang"
    ),
}


@dataclass(frozen=True, slots=True)
class ResolvedVoice:
    """Who speaks: ``engine`` and its ``voice_id``, in ``language`` (the asked tag, standardised).

    ``fell_back`` is True when the voice is not of the asked kind; ``reason`` then says why.
    """

    engine: str
    voice_id: str
    language: str
    fell_back: bool
    reason: str
    requested: str
    voice: VoiceInfo


@dataclass(frozen=True, slots=True)
class _Candidate:
    voice: VoiceInfo
    quality: int
    distance: int
    inexact: bool  # its tag differs from the asked one (pt for pt-BR: distance 0 too)
    engine_order: int
    order: int

    @property
    def key(self) -> tuple[int, int, bool, int, int]:
        return (self.quality, self.distance, self.inexact, self.engine_order, self.order)


_Done = Callable[..., ResolvedVoice]
# A voice as the catalogue rates it: (voice, engine order, tags it speaks or None: any,
# quality per tag).
_Row = tuple[VoiceInfo, int, tuple[str, ...] | None, dict[str, int]]


class VoiceCatalogue:
    """Built from the ``EngineInfo`` of the speech engines, in preference order. Immutable and
    thread-safe."""

    def __init__(self, infos: Sequence[EngineInfo]) -> None:
        self._infos = list(infos)
        self._voices: dict[str, tuple[VoiceInfo, int]] = {}
        # the voices that can speak, in catalogue order
        self._speaks: list[_Row] = []
        # (engine, voice id) of the voices their engine cannot open -> why
        self._unavailable: dict[tuple[str, str], str] = {}
        # the same rows as _speaks, of those voices (listed with their state, never picked)
        self._cannot: list[_Row] = []
        for engine_order, info in enumerate(self._infos):
            quality = {
                tag: QUALITY_RANK.get(str(q), _UNRATED)
                for tag, q in dict(info.extra.get("quality", {})).items()
            }
            per_voice = dict(info.extra.get("voice_languages", {}))
            unavailable = info.extra.get("unavailable_voices", {})
            for v in info.voices:
                self._voices.setdefault(v.id, (v, engine_order))
                # None: an engine without a language list speaks any language
                tags = tuple(per_voice.get(v.id, (v.language,))) if info.languages else None
                if v.id in unavailable:
                    self._unavailable[(v.engine, v.id)] = str(unavailable[v.id])
                    self._cannot.append((v, engine_order, tags, quality))
                    continue
                self._speaks.append((v, engine_order, tags, quality))

    def voices(self) -> list[VoiceInfo]:
        """Every voice, those that cannot be loaded included (see ``load_error``)."""
        return [v for v, _ in self._voices.values()]

    def available_voices(self) -> list[VoiceInfo]:
        """Every voice that can speak: ``voices`` without those that cannot be loaded."""
        return [v for v in self.voices() if self.load_error(v) is None]

    def load_error(self, voice: VoiceInfo) -> str | None:
        """Why ``voice`` cannot be loaded (a damaged pulled voice), or None while it can."""
        return self._unavailable.get((voice.engine, voice.id))

    def voice(self, voice_id: str) -> VoiceInfo | None:
        found = self._voices.get(voice_id)
        return found[0] if found else None

    def home_language(self, voice: str | None) -> str | None:
        """The language ``voice`` is of: a real voice's own, an alias's home language
        (``if_sara``: Italian); None for a name that is of no language (eve, alloy) or none."""
        asked = (voice or "").strip()
        if not asked:
            return None
        real = self.voice(asked)
        if real is not None:
            return real.language or None
        alias = ALIASES.get(asked.lower())
        return alias.language if alias is not None else None

    def languages(self) -> list[str]:
        """Every tag some voice speaks (engines that speak any language add none)."""
        tags = {t for _, _, speaks, _ in self._speaks for t in (speaks or ())}
        return sorted(tags)

    def candidates(self, language: str, *, unavailable: bool = False) -> list[VoiceInfo]:
        """Voices that speak ``language``, best first; with ``unavailable``, then those of
        ``language`` that cannot be loaded (``load_error``), which never speak."""
        found = [c.voice for c in self._candidates(language)]
        if unavailable:
            found += [c.voice for c in self._candidates(language, self._cannot)]
        return found

    def _candidates(
        self,
        language: str,
        rows: Sequence[_Row] | None = None,
    ) -> list[_Candidate]:
        found: list[_Candidate] = []
        speaks = self._speaks if rows is None else rows
        for order, (v, engine_order, tags, quality) in enumerate(speaks):
            if tags is None:
                found.append(
                    _Candidate(v, quality.get("*", _UNRATED), 0, False, engine_order, order)
                )
                continue
            scored = [
                (d, t.lower() != language.lower(), t)
                for t in tags
                if (d := language_match(language, t)) is not None
            ]
            if scored:
                d, _, tag = min(scored)
                q = quality.get(tag, _UNRATED)
                exact = tag.lower() == language.lower()
                found.append(_Candidate(v, q, d, not exact, engine_order, order))
        return sorted(found, key=lambda c: c.key)

    def _standard(self, language: str) -> str:
        try:
            if language and language.lower() not in ("auto", "und"):
                return str(langcodes.standardize_tag(language))
        except ValueError:
            pass
        raise UnsupportedLanguage(
            f"{language!r} is not a language tag that can be spoken",
            param="language",
            details={"supported": self.languages()},
        )

    def resolve(self, voice: str | None, language: str) -> ResolvedVoice:
        """Pick who speaks ``language`` for the asked ``voice`` (see the module doc)."""
        lang = self._standard(language)
        asked = (voice or "").strip()
        real = self.voice(asked) if asked else None
        alias = None if real or not asked else ALIASES.get(asked.lower())
        if asked and real is None and alias is None:
            raise UnknownVoice(
                f"unknown voice {asked!r}",
                param="voice",
                details={"aliases": sorted(ALIASES)[:20], "voices": len(self._voices)},
            )
        found = self._candidates(lang)
        if not found:
            raise UnsupportedLanguage(
                f"no configured voice speaks {lang!r}",
                param="language",
                details={"supported": self.languages()},
            )

        def done(c: _Candidate, fell_back: bool = False, reason: str = "") -> ResolvedVoice:
            v = c.voice
            return ResolvedVoice(v.engine, v.id, lang, fell_back, reason, asked, v)

        if real is not None:
            cannot = (real.engine, real.id) in self._unavailable
            return self._for_real(real, found, lang, done, "cannot be loaded" if cannot else "")
        if alias is None:
            return done(found[0])
        same = [c for c in found if c.voice.gender == alias.gender]
        if not same:
            return done(
                found[0], True, f"no {alias.gender} voice speaks {lang}; {found[0].voice.id} speaks"
            )
        if same[0].quality > found[0].quality:
            # A better-sounding voice whose gender nobody recorded (Piper's voice list has
            # none; pulled voices are "neutral") speaks before a worse one of the alias's.
            unknown = [
                c for c in found if c.voice.gender == "neutral" and c.quality == found[0].quality
            ]
            if unknown:
                pick = unknown[alias.rank % len(unknown)]
                return done(
                    pick,
                    True,
                    f"no {alias.gender} voice of this quality speaks {lang}; "
                    f"{pick.voice.id} (gender unknown) speaks",
                )
        best = [c for c in same if c.quality == same[0].quality]
        return done(best[alias.rank % len(best)])

    @staticmethod
    def _for_real(
        real: VoiceInfo, found: list[_Candidate], lang: str, done: _Done, why: str = ""
    ) -> ResolvedVoice:
        for c in found:
            if c.voice.id == real.id and c.voice.engine == real.engine:
                return done(c)
        steps = (
            lambda c: c.voice.gender == real.gender and c.voice.engine == real.engine,
            lambda c: c.voice.gender == real.gender,
            lambda c: c.voice.engine == real.engine,
            lambda c: True,
        )
        for step in steps:
            pick = next((c for c in found if step(c)), None)
            if pick is not None:
                why = why or f"does not speak {lang}"
                return done(pick, True, f"{real.id} {why}; {pick.voice.id} speaks instead")
        raise AssertionError("unreachable: found is not empty")  # pragma: no cover
