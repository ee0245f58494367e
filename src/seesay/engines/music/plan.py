"""From a music prompt to a plan: tempo, key, mode, mood, genre, instruments, progression.

What the algorithmic composer reads in a prompt (case-insensitive):

* tempo: a number with "bpm" ("92 bpm"), or words (very slow 60, slow 72, relaxed 84,
  moderate 100, upbeat 120, fast 140, very fast 165); a genre sets a default;
* key: "in D minor", "key of F#", "Bb major", "C sharp minor"; otherwise one is drawn from
  the seed;
* mode: "major"/"minor" in the key, else mood words (happy, bright, uplifting... major; sad,
  dark, melancholic, mysterious, tense... minor), else the genre's own;
* mood words also move the tempo (calm, relaxing -12; energetic, driving +15);
* genre: ``GENRES`` (ambient, lofi, rock, jazz, classical, electronic, folk, pop, cinematic,
  hiphop, blues), each a preset of tempo, mode, progression, instruments, feel;
* instruments: ``INSTRUMENT_WORDS`` (piano, strings, bass, drums, pad, synth lead, guitar,
  organ, flute, bells); naming some replaces the genre's set; "no drums" / "without drums"
  removes one; "waltz" or "3/4" gives three beats a bar.
"""

from __future__ import annotations

import itertools
import re
import zlib
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np

__all__ = [
    "GENRES",
    "INSTRUMENT_WORDS",
    "NOTE_NAMES",
    "SCALES",
    "Genre",
    "MusicPlan",
    "make_plan",
]

Mode = Literal["major", "minor"]
NOTE_NAMES: Final = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
SCALES: Final[dict[str, tuple[int, ...]]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),  # natural minor
}
_PITCH: Final = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}


@dataclass(frozen=True, slots=True)
class Genre:
    tempo: int
    mode: Mode
    major: tuple[int, ...]  # scale degrees (0 = tonic), one chord per ``bars_per_chord`` bars
    minor: tuple[int, ...]
    instruments: tuple[str, ...]
    drums: str  # a pattern name in ``compose.DRUM_PATTERNS`` ("" for none)
    comp: str  # how the chord instrument plays: sustain, pulse, arp, strum, offbeat
    bass: str  # root, pulse, root-fifth, walking
    swing: float = 0.0  # 0: straight eighths; 0.33: triplet swing
    sevenths: bool = False
    melody_density: float = 1.0  # melody notes per beat
    bars_per_chord: int = 1
    reverb: float = 0.25
    blues: bool = False  # dominant sevenths on I, IV, V


_TWELVE_BAR: Final = (0, 0, 0, 0, 3, 3, 0, 0, 4, 3, 0, 4)

GENRES: Final[dict[str, Genre]] = {
    "pop": Genre(110, "major", (0, 4, 5, 3), (5, 3, 0, 4), ("piano", "synth", "bass", "drums"),
                 "pop", "pulse", "root-fifth"),
    "ambient": Genre(68, "major", (0, 3, 5, 3), (0, 5, 2, 6), ("pad", "bells", "strings"),
                     "", "sustain", "root", melody_density=0.35, bars_per_chord=2, reverb=0.55),
    "lofi": Genre(80, "minor", (1, 4, 0, 5), (0, 5, 3, 4), ("piano", "bass", "drums"),
                  "lofi", "pulse", "root-fifth", swing=0.22, sevenths=True, melody_density=0.6),
    "rock": Genre(128, "major", (0, 4, 5, 3), (0, 6, 5, 6), ("guitar", "bass", "drums"),
                  "rock", "strum", "pulse"),
    "jazz": Genre(116, "major", (1, 4, 0, 5), (1, 4, 0, 0), ("piano", "bass", "drums"),
                  "jazz", "pulse", "walking", swing=0.33, sevenths=True, melody_density=1.4),
    "classical": Genre(92, "major", (0, 3, 4, 0), (0, 3, 4, 0), ("strings", "piano"),
                       "", "arp", "root", melody_density=1.0, reverb=0.4),
    "electronic": Genre(126, "minor", (0, 4, 5, 3), (0, 5, 2, 6), ("synth", "pad", "bass", "drums"),
                        "house", "arp", "pulse", melody_density=1.0),
    "folk": Genre(100, "major", (0, 3, 0, 4), (0, 6, 5, 4), ("guitar", "flute", "bass"),
                  "", "strum", "root-fifth", melody_density=0.8),
    "cinematic": Genre(84, "minor", (0, 5, 3, 4), (0, 5, 2, 6), ("strings", "pad", "drums"),
                       "epic", "sustain", "root", melody_density=0.5, bars_per_chord=2, reverb=0.5),
    "hiphop": Genre(90, "minor", (0, 5, 3, 4), (0, 5, 0, 4), ("piano", "bass", "drums"),
                    "boombap", "pulse", "root", swing=0.18, melody_density=0.5),
    "blues": Genre(96, "major", _TWELVE_BAR, _TWELVE_BAR,
                   ("guitar", "piano", "bass", "drums"), "jazz", "strum", "walking", swing=0.33,
                   sevenths=True, blues=True),
}  # fmt: skip

_GENRE_WORDS: Final = {
    **{g: g for g in GENRES},
    "lo": "lofi", "chillhop": "lofi", "study": "lofi", "beats": "lofi",
    "techno": "electronic", "house": "electronic", "edm": "electronic", "dance": "electronic",
    "synthwave": "electronic", "trance": "electronic", "orchestral": "classical",
    "baroque": "classical", "epic": "cinematic", "soundtrack": "cinematic",
    "film": "cinematic", "trailer": "cinematic", "acoustic": "folk", "country": "folk",
    "hip": "hiphop", "rap": "hiphop", "trap": "hiphop", "swing": "jazz", "bebop": "jazz",
    "metal": "rock", "punk": "rock", "grunge": "rock", "drone": "ambient", "meditation": "ambient",
}  # fmt: skip

INSTRUMENT_WORDS: Final[dict[str, str]] = {
    "piano": "piano", "keys": "piano", "rhodes": "piano", "strings": "strings",
    "violin": "strings", "violins": "strings", "cello": "strings", "orchestra": "strings",
    "bass": "bass", "bassline": "bass", "drums": "drums", "drum": "drums", "beat": "drums",
    "percussion": "drums", "pad": "pad", "pads": "pad", "synth": "synth", "lead": "synth",
    "synthesizer": "synth", "arpeggiator": "synth", "guitar": "guitar", "guitars": "guitar",
    "organ": "organ", "flute": "flute", "flutes": "flute", "bells": "bells", "bell": "bells",
    "glockenspiel": "bells", "celesta": "bells", "chimes": "bells",
}  # fmt: skip

_MAJOR_MOODS: Final = frozenset(
    [
        "happy",
        "joyful",
        "cheerful",
        "uplifting",
        "bright",
        "sunny",
        "hopeful",
        "playful",
        "triumphant",
        "romantic",
        "optimistic",
        "warm",
        "fun",
        "festive",
        "heroic",
    ]
)
_MINOR_MOODS: Final = frozenset(
    [
        "sad",
        "melancholic",
        "melancholy",
        "dark",
        "moody",
        "somber",
        "sombre",
        "gloomy",
        "mysterious",
        "tense",
        "scary",
        "eerie",
        "haunting",
        "ominous",
        "suspenseful",
        "tragic",
        "nostalgic",
        "lonely",
        "spooky",
        "serious",
    ]
)
_SLOWER: Final = frozenset(
    ["calm", "relaxing", "peaceful", "chill", "dreamy", "soft", "gentle", "sleepy", "mellow"]
)
_FASTER: Final = frozenset(
    ["energetic", "intense", "exciting", "driving", "aggressive", "powerful", "upbeat"]
)
_TEMPO_WORDS: Final = {
    "slow": 72, "relaxed": 84, "moderate": 100, "medium": 100, "upbeat": 120, "fast": 140,
    "quick": 140, "rapid": 150, "lively": 128, "brisk": 132,
}  # fmt: skip

_BPM: Final = re.compile(r"(\d{2,3})\s*(?:bpm|beats per minute)")
_ACC: Final = r"(?:\s*(#|♯|sharp|b|♭|flat))?"
# Tried in order: "key of F#", "Bb major" / "in D minor", "in G" (not "in a ...": an article).
_KEYS: Final = (
    re.compile(r"\bkey(?: of)?\s+([a-g])" + _ACC + r"(?:\s*(major|minor|maj|min))?\b"),
    re.compile(r"\b([a-g])" + _ACC + r"\s*(major|minor|maj|min)\b"),
    re.compile(r"\bin\s+([b-g])" + _ACC + r"()(?![a-z])"),
)


@dataclass(frozen=True, slots=True)
class MusicPlan:
    """Everything the composer decided before writing a note (``as_dict`` is the public plan)."""

    tempo: int
    key: str
    tonic: int  # pitch class 0..11
    mode: Mode
    mood: tuple[str, ...]
    genre: str
    instruments: tuple[str, ...]
    progression: tuple[int, ...]
    beats_per_bar: int
    genre_preset: Genre
    seed: int
    understood: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        roman = ("I", "II", "III", "IV", "V", "VI", "VII")
        steps = SCALES[self.mode]
        chords = []
        for d in self.progression:
            third = (steps[(d + 2) % 7] - steps[d]) % 12
            fifth = (steps[(d + 4) % 7] - steps[d]) % 12
            name = roman[d] if third == 4 else roman[d].lower()
            chords.append(name + ("°" if fifth == 6 else ""))
        return {
            "tempo": self.tempo,
            "key": self.key,
            "mode": self.mode,
            "mood": list(self.mood),
            "genre": self.genre,
            "instruments": list(self.instruments),
            "progression": chords,
            "time_signature": f"{self.beats_per_bar}/4",
            "seed": self.seed,
            "understood": list(self.understood),
        }


def _key(text: str) -> tuple[int, Mode | None, str] | None:
    for pattern in _KEYS:
        m = pattern.search(text)
        if m is not None:
            break
    else:
        return None
    letter, accidental, quality = m.group(1), m.group(2), m.group(3)
    pc = _PITCH[letter]
    if accidental in ("#", "♯", "sharp"):
        pc += 1
    elif accidental in ("b", "♭", "flat"):
        pc -= 1
    mode: Mode | None = None
    if quality in ("minor", "min"):
        mode = "minor"
    elif quality in ("major", "maj"):
        mode = "major"
    return pc % 12, mode, m.group(0).strip()


def make_plan(prompt: str, seed: int) -> MusicPlan:
    """The plan for ``prompt``; choices the prompt leaves open are drawn from ``seed``."""
    text = prompt.lower()
    words = re.findall(r"[a-z]+", text)
    # Open choices depend on the prompt too, so two prompts with one seed still differ.
    rng = np.random.default_rng([seed, zlib.crc32(prompt.encode()), 7])
    understood: list[str] = []

    genre = next((_GENRE_WORDS[w] for w in words if _GENRE_WORDS.get(w)), "")
    if genre:
        understood += [w for w in words if _GENRE_WORDS.get(w) == genre][:1]
    else:
        genre = "ambient" if set(words) & _SLOWER else "pop"
    preset = GENRES[genre]

    mood = tuple(
        dict.fromkeys(w for w in words if w in _MAJOR_MOODS | _MINOR_MOODS | _SLOWER | _FASTER)
    )
    understood += mood
    key = _key(text)
    mode: Mode = preset.mode
    if key is not None and key[1] is not None:
        mode = key[1]
    elif any(w in _MINOR_MOODS for w in mood):
        mode = "minor"
    elif any(w in _MAJOR_MOODS for w in mood):
        mode = "major"
    if key is not None:
        tonic = key[0]
        understood.append(key[2])
    else:
        tonic = int(rng.integers(0, 12))

    bpm_match = _BPM.search(text)
    if bpm_match:
        tempo = int(bpm_match.group(1))
        understood.append(bpm_match.group(0))
    else:
        tempo_word = next((w for w in words if w in _TEMPO_WORDS), None)
        tempo = _TEMPO_WORDS[tempo_word] if tempo_word else preset.tempo
        if tempo_word:
            understood.append(tempo_word)
            if "very" in words:
                tempo = round(tempo * (0.85 if tempo < 100 else 1.18))
        tempo += -12 * any(w in _SLOWER for w in mood) + 15 * any(w in _FASTER for w in mood)
    tempo = int(min(220, max(40, tempo)))

    named = [INSTRUMENT_WORDS[w] for w in words if w in INSTRUMENT_WORDS]
    understood += [w for w in words if w in INSTRUMENT_WORDS]
    removed = {
        INSTRUMENT_WORDS[b]
        for a, b in itertools.pairwise(words)
        if a in ("no", "without") and b in INSTRUMENT_WORDS
    }
    instruments = [i for i in dict.fromkeys(named) if i not in removed] or list(preset.instruments)
    instruments = [i for i in instruments if i not in removed]
    if not [i for i in instruments if i != "drums"]:  # drums alone would carry no tune
        instruments += [i for i in preset.instruments if i != "drums"][:2] or ["piano"]

    beats = 3 if ("waltz" in words or "3/4" in text) else 4
    progression = preset.major if mode == "major" else preset.minor
    return MusicPlan(
        tempo=tempo,
        key=f"{NOTE_NAMES[tonic]} {mode}",
        tonic=tonic,
        mode=mode,
        mood=mood,
        genre=genre,
        instruments=tuple(dict.fromkeys(instruments)),
        progression=progression,
        beats_per_bar=beats,
        genre_preset=preset,
        seed=seed,
        understood=tuple(dict.fromkeys(understood)),
    )
