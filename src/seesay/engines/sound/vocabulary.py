"""The words the procedural sound engine understands, and how a prompt becomes layers.

Sound kinds (``KINDS``) each have a few words that name them ("downpour" is rain, "ocean" is
waves); some words bring several kinds ("storm" is thunder, rain and wind). Modifiers
(``MODIFIERS``) shape the kinds they are said with:

    distant/far      quieter, duller, more room        close/near    louder, brighter, dry
    heavy/intense    denser and louder                 light/gentle  sparser and softer
    loud             +6 dB                             soft/quiet    -8 dB
    fast/rapid       events come faster                slow          events come slower
    short/brief      shorter events                    long          longer events
    high/small       higher pitched                    low/deep/big  lower pitched
    muffled          behind a wall (low-pass)          echo/hall     a large reverberant room
    indoor/room      a small room                      bright/crisp  more high frequencies

Scope: the prompt is cut into clauses at punctuation and at "and", "with", "then", "while",
"plus", "over"; a clause's modifiers shape that clause's sounds ("heavy rain and distant
thunder"), and a clause with modifiers but no sound ("..., all far away") shapes every sound.
Words that are neither (other than small function words) are reported as ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Final

__all__ = [
    "KINDS",
    "MODIFIERS",
    "Layer",
    "Parsed",
    "Shape",
    "parse_prompt",
    "vocabulary",
]


@dataclass(frozen=True, slots=True)
class Shape:
    """How one layer is rendered; modifiers multiply or add to the neutral values."""

    density: float = 1.0  # how many events per second, relative to the kind's own rate
    event_scale: float = 1.0  # how long each event lasts
    pitch: float = 1.0  # frequency multiplier
    gain_db: float = 0.0
    lowpass_hz: float | None = None
    brightness: float = 1.0  # >1 keeps more highs
    reverb_seconds: float = 0.0
    reverb_wet: float = 0.0


@dataclass(frozen=True, slots=True)
class Layer:
    kind: str
    shape: Shape
    words: tuple[str, ...]  # the prompt words that made this layer


@dataclass(frozen=True, slots=True)
class Parsed:
    layers: tuple[Layer, ...]
    understood: tuple[str, ...]
    ignored: tuple[str, ...]
    modifiers: tuple[str, ...] = field(default=())


# kind -> words naming it (the kind's own name first).
KINDS: Final[dict[str, tuple[str, ...]]] = {
    "rain": ("rain", "rainy", "raining", "rainfall", "drizzle", "downpour", "shower", "showers"),
    "wind": ("wind", "windy", "breeze", "gust", "gusts", "gale", "blizzard", "howling"),
    "waves": ("waves", "wave", "ocean", "sea", "surf", "beach", "shore", "tide", "seaside"),
    "fire": ("fire", "fireplace", "campfire", "bonfire", "crackling", "flames", "burning"),
    "thunder": ("thunder", "thunderclap", "lightning", "thunderous"),
    "footsteps": ("footsteps", "footstep", "steps", "walking", "walk", "stomping", "jogging"),
    "door": ("door", "doors", "creak", "creaking", "creaky", "slam", "slamming"),
    "knock": ("knock", "knocks", "knocking"),
    "bell": ("bell", "bells", "chime", "chimes", "church", "gong", "tolling", "ringing"),
    "beep": ("beep", "beeps", "beeping", "bleep", "ping"),
    "alarm": ("alarm", "alarms", "buzzer", "klaxon"),
    "siren": ("siren", "sirens", "ambulance", "police", "firetruck"),
    "explosion": ("explosion", "explosions", "explode", "blast", "boom", "bomb", "detonation"),
    "applause": ("applause", "clapping", "clap", "claps", "ovation"),
    "whoosh": ("whoosh", "swoosh", "swish", "woosh", "swipe", "transition"),
    "click": ("click", "clicks", "clicking", "mouse", "switch"),
    "birds": ("birds", "bird", "birdsong", "chirp", "chirping", "tweet", "tweeting", "songbird"),
    "engine": ("engine", "motor", "car", "truck", "idling", "vehicle", "motorcycle"),
    "crowd": ("crowd", "people", "chatter", "murmur", "babble", "cafe", "restaurant", "party"),
    "stream": ("stream", "river", "brook", "creek", "water", "babbling", "flowing", "trickle"),
    "drip": ("drip", "drips", "dripping", "droplet", "droplets", "leak", "leaking"),
    "heartbeat": ("heartbeat", "heart", "pulse", "heartbeats"),
    "clock": ("clock", "ticking", "tick", "tock", "tictoc"),
    "phone": ("phone", "telephone", "ring", "ringtone", "cellphone"),
    "horn": ("horn", "honk", "honking", "horns"),
    "crickets": ("crickets", "cricket", "insects", "cicada", "cicadas", "night"),
    "typing": ("typing", "keyboard", "typewriter", "keys"),
    "glass": ("glass", "shatter", "shattering", "smash", "breaking"),
    "rumble": ("rumble", "rumbling", "earthquake", "tremor"),
    "hum": ("hum", "humming", "buzz", "buzzing", "electrical", "transformer", "drone"),
    "static": ("static", "hiss", "hissing", "radio", "white"),
    "laser": ("laser", "lasers", "zap", "blaster", "scifi", "pew"),
}

# Words that stand for several kinds at once.
COMPOUNDS: Final[dict[str, tuple[str, ...]]] = {
    "storm": ("thunder", "rain", "wind"),
    "thunderstorm": ("thunder", "rain"),
    "rainstorm": ("rain", "wind"),
    "hurricane": ("wind", "rain"),
    "traffic": ("engine", "horn"),
    "forest": ("birds", "wind"),
    "stadium": ("crowd", "applause"),
    "office": ("typing", "hum"),
    "kitchen": ("drip", "hum"),
}

# Two-word names that must not be read word by word ("fire alarm" is no fire).
PHRASES: Final[dict[tuple[str, str], str]] = {
    ("fire", "alarm"): "alarm",
    ("smoke", "alarm"): "alarm",
    ("car", "horn"): "horn",
    ("police", "siren"): "siren",
    ("church", "bell"): "bell",
    ("church", "bells"): "bell",
    ("door", "knock"): "knock",
    ("white", "noise"): "static",
    ("running", "water"): "stream",
    ("phone", "ringing"): "phone",
    ("heart", "beat"): "heartbeat",
}

# modifier word -> modifier name. Names are what ``Parsed.modifiers`` reports.
_MODIFIER_WORDS: Final[dict[str, str]] = {
    "distant": "distant", "far": "distant", "faraway": "distant", "distance": "distant",
    "away": "distant", "close": "close", "near": "close", "nearby": "close",
    "heavy": "heavy", "intense": "heavy", "strong": "heavy", "torrential": "heavy",
    "violent": "heavy", "light": "light", "gentle": "light", "faint": "light",
    "loud": "loud", "soft": "soft", "quiet": "soft", "calm": "soft",
    "fast": "fast", "rapid": "fast", "quick": "fast", "frantic": "fast",
    "slow": "slow", "lazy": "slow", "short": "short", "brief": "short",
    "long": "long", "sustained": "long", "high": "high", "small": "high", "tiny": "high",
    "low": "low", "deep": "low", "big": "low", "large": "low", "huge": "low",
    "muffled": "muffled", "echo": "echo", "echoing": "echo", "hall": "echo", "cave": "echo",
    "cathedral": "echo", "reverberant": "echo", "indoor": "indoor", "indoors": "indoor",
    "room": "indoor", "inside": "indoor", "bright": "bright", "crisp": "bright", "sharp": "bright",
}  # fmt: skip

MODIFIERS: Final[tuple[str, ...]] = tuple(dict.fromkeys(_MODIFIER_WORDS.values()))

_SPLITTERS: Final = frozenset({"and", "with", "then", "while", "plus", "over", "followed"})
_FUNCTION_WORDS: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "from",
        "by",
        "for",
        "into",
        "onto",
        "under",
        "above",
        "through",
        "during",
        "some",
        "many",
        "lots",
        "lot",
        "sound",
        "sounds",
        "noise",
        "noises",
        "effect",
        "effects",
        "sfx",
        "of",
        "is",
        "are",
        "be",
        "being",
        "it",
        "its",
        "this",
        "that",
        "very",
        "really",
        "quite",
        "slightly",
        "bit",
        "little",
        "as",
        "like",
        "then",
        "there",
        "here",
        "all",
        "every",
        "each",
        "one",
        "two",
        "three",
        "several",
        "few",
        "more",
        "less",
        "background",
        "ambience",
        "ambient",
        "atmosphere",
    ]
)
_WORD: Final = re.compile(r"[a-z]+(?:'[a-z]+)?")
_WORD_TO_KIND: Final = {w: kind for kind, words in KINDS.items() for w in words}


# modifier name -> what it does to the shape of a sound (applied in the order said).
_EFFECTS: Final[dict[str, Callable[[Shape], Shape]]] = {
    "distant": lambda s: replace(
        s,
        gain_db=s.gain_db - 9.0,
        lowpass_hz=min(s.lowpass_hz or 1e9, 2500.0),
        reverb_seconds=max(s.reverb_seconds, 1.8),
        reverb_wet=max(s.reverb_wet, 0.5),
    ),
    "close": lambda s: replace(s, gain_db=s.gain_db + 4.0, brightness=s.brightness * 1.5),
    "heavy": lambda s: replace(
        s, density=s.density * 2.2, gain_db=s.gain_db + 3.0, pitch=s.pitch * 0.85
    ),
    "light": lambda s: replace(s, density=s.density * 0.45, gain_db=s.gain_db - 4.0),
    "loud": lambda s: replace(s, gain_db=s.gain_db + 6.0),
    "soft": lambda s: replace(s, gain_db=s.gain_db - 8.0),
    "fast": lambda s: replace(s, density=s.density * 1.8),
    "slow": lambda s: replace(s, density=s.density * 0.55),
    "short": lambda s: replace(s, event_scale=s.event_scale * 0.5),
    "long": lambda s: replace(s, event_scale=s.event_scale * 1.8),
    "high": lambda s: replace(s, pitch=s.pitch * 1.5),
    "low": lambda s: replace(s, pitch=s.pitch * 0.65),
    "muffled": lambda s: replace(
        s, lowpass_hz=min(s.lowpass_hz or 1e9, 700.0), gain_db=s.gain_db - 2.0
    ),
    "echo": lambda s: replace(s, reverb_seconds=max(s.reverb_seconds, 3.0), reverb_wet=0.55),
    "indoor": lambda s: replace(s, reverb_seconds=max(s.reverb_seconds, 0.5), reverb_wet=0.3),
    "bright": lambda s: replace(s, brightness=s.brightness * 1.8),
}


def _modify(shape: Shape, name: str) -> Shape:
    effect = _EFFECTS.get(name)
    if effect is None:
        raise ValueError(f"unknown modifier {name!r}")
    return effect(shape)


def _clauses(prompt: str) -> list[list[str]]:
    clauses: list[list[str]] = [[]]
    for piece in re.split(r"[,;:.!?/&+\n]+", prompt.lower()):
        for word in _WORD.findall(piece):
            if word in _SPLITTERS:
                clauses.append([])
            else:
                clauses[-1].append(word)
        clauses.append([])
    return [c for c in clauses if c]


def parse_prompt(prompt: str) -> Parsed:
    """The layers a prompt asks for, in the order first named, one per kind; with the words
    understood (sounds and modifiers) and ignored. Never raises: an empty ``layers`` means
    the prompt named no sound."""
    per_kind: dict[str, tuple[list[str], list[str]]] = {}  # kind -> (modifiers, words)
    global_mods: list[str] = []
    understood: list[str] = []
    ignored: list[str] = []
    used_mods: list[str] = []
    for clause in _clauses(prompt):
        kinds: list[tuple[str, str]] = []
        mods: list[str] = []
        words = iter(range(len(clause)))
        for i in words:
            word = clause[i]
            pair = (word, clause[i + 1]) if i + 1 < len(clause) else None
            if pair in PHRASES:
                assert pair is not None
                kinds.append((PHRASES[pair], " ".join(pair)))
                understood.append(" ".join(pair))
                next(words, None)  # the pair's second word is consumed
            elif word in COMPOUNDS:
                kinds += [(k, word) for k in COMPOUNDS[word]]
                understood.append(word)
            elif word in _WORD_TO_KIND:
                kinds.append((_WORD_TO_KIND[word], word))
                understood.append(word)
            elif word in _MODIFIER_WORDS:
                mods.append(_MODIFIER_WORDS[word])
                understood.append(word)
            elif word.endswith("s") and word[:-1] in _WORD_TO_KIND:
                kinds.append((_WORD_TO_KIND[word[:-1]], word))
                understood.append(word)
            elif word not in _FUNCTION_WORDS and not word.isdigit():
                ignored.append(word)
        if not kinds:
            global_mods += mods
            continue
        for kind, word in kinds:
            kind_mods, kind_words = per_kind.setdefault(kind, ([], []))
            kind_mods += mods
            kind_words.append(word)
        used_mods += mods
    layers = []
    for kind, (kind_mods, kind_words) in per_kind.items():
        shape = Shape()
        for m in dict.fromkeys(kind_mods + global_mods):  # "far away" is one "distant"
            shape = _modify(shape, m)
        layers.append(Layer(kind, shape, tuple(dict.fromkeys(kind_words))))
    return Parsed(
        layers=tuple(layers),
        understood=tuple(dict.fromkeys(understood)),
        ignored=tuple(dict.fromkeys(ignored)),
        modifiers=tuple(dict.fromkeys(used_mods + global_mods)),
    )


def vocabulary() -> dict[str, list[str]]:
    """The documented vocabulary: every sound kind with its words, the compound words, and the
    modifiers (what an ``InvalidRequest`` for an unknown prompt lists)."""
    return {
        "sounds": list(KINDS),
        "words": sorted(_WORD_TO_KIND) + sorted(COMPOUNDS) + [" ".join(p) for p in PHRASES],
        "modifiers": list(MODIFIERS),
    }
