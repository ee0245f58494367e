"""Writing and rendering the notes of a ``MusicPlan``.

The score: the plan's progression repeats bar by bar (diatonic triads, or sevenths for jazzy
genres, dominant sevenths for the blues); the chord instrument plays them in the genre's
manner (held, pulsed on the beats, arpeggiated in eighths, strummed, or on the off-beats); the
bass plays roots (held, pulsed, root and fifth, or a walking line of chord tones with
chromatic approaches); the drums play the genre's 16-step pattern; the melody is a two-bar
motif of chord tones on strong beats and scale steps between, repeated with variation (the
second statement is transposed along the harmony, every fourth bar is freshly drawn). Eighths
are swung by the genre's ``swing``. Everything random comes from the seed.

Rendering: each note is synthesised by its instrument (``instruments.py``) and added at its
time; instruments are mixed at fixed relative levels, a synthetic room is added, the last
1.5 s fade out, and the result is cut to exactly the asked length.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np

from seesay.engines.music.instruments import DRUMS, INSTRUMENTS, midi_hz
from seesay.engines.music.plan import SCALES, MusicPlan
from seesay.engines.sound.dsp import FloatArray, master, place, reverb

__all__ = ["DRUM_PATTERNS", "Note", "render_plan", "write_score"]

# 16 steps a bar (sixteenth notes); k kick, s snare, h hat, o open hat, r ride, c clap, t tom.
DRUM_PATTERNS: Final[dict[str, dict[str, str]]] = {
    "pop": {"kick": "x.......x.x.....", "snare": "....x.......x...", "hat": "x.x.x.x.x.x.x.x."},
    "rock": {"kick": "x.....x.x.......", "snare": "....x.......x...", "hat": "x.x.x.x.x.x.x.x.",
             "open_hat": "..............x."},
    "lofi": {"kick": "x......x..x.....", "snare": "....x.......x...", "hat": "x.x.x.x.x.x.x.xx"},
    "jazz": {"kick": "x...............", "ride": "x...x..xx...x..x", "hat": "....x.......x..."},
    "house": {"kick": "x...x...x...x...", "clap": "....x.......x...",
              "open_hat": "..x...x...x...x.", "hat": "x.x.x.x.x.x.x.x."},
    "boombap": {"kick": "x.........x.....", "snare": "....x.......x...", "hat": "x.x.x.x.x.x.x.x."},
    "epic": {"kick": "x.......x.......", "tom": "......x.....x.x.", "snare": "............x..."},
}  # fmt: skip

_LEVELS: Final = {
    "piano": 0.9, "strings": 0.7, "pad": 0.6, "bass": 0.9, "synth": 0.55, "guitar": 0.8,
    "organ": 0.6, "flute": 0.6, "bells": 0.5, "drums": 0.8,
}  # fmt: skip
_MELODY_ORDER: Final[tuple[str, ...]] = (
    "synth",
    "flute",
    "bells",
    "piano",
    "guitar",
    "strings",
    "organ",
    "pad",
)
_CHORD_ORDER: Final[tuple[str, ...]] = ("pad", "strings", "piano", "organ", "guitar", "synth")
_FADE_OUT: Final = 1.5
Swing = Callable[[float, int], float]  # (straight time, eighth index) -> played time


@dataclass(frozen=True, slots=True)
class Note:
    part: str  # an instrument name, or a drum name for part "drums"
    start: float  # seconds
    length: float  # seconds
    pitch: float  # MIDI note (drums: unused)
    velocity: float


def _chord(plan: MusicPlan, degree: int) -> list[int]:
    """MIDI notes of the chord on ``degree`` around C3..C4, root first."""
    scale = SCALES[plan.mode]
    root_pc = plan.tonic + scale[degree % 7]
    root = 48 + root_pc % 12
    tones = [root]
    for step in (2, 4) + ((6,) if plan.genre_preset.sevenths else ()):
        interval = (scale[(degree + step) % 7] - scale[degree % 7]) % 12
        tones.append(root + interval)
    if plan.genre_preset.blues:  # I7, IV7, V7: major third, flat seventh
        tones = [root, root + 4, root + 7, root + 10]
    return tones


def _roles(plan: MusicPlan) -> tuple[str | None, str | None]:
    """(melody instrument, chord instrument); one instrument may play both."""
    tuned = [i for i in plan.instruments if i not in ("drums", "bass")]
    melody = next((i for i in _MELODY_ORDER if i in tuned), None)
    chords = next((i for i in _CHORD_ORDER if i in tuned and i != melody), None)
    if chords is None and melody is not None:
        chords = melody
    return melody, chords


def write_score(plan: MusicPlan, seconds: float) -> list[Note]:
    """Every note of a piece ``seconds`` long."""
    g = plan.genre_preset
    rng = np.random.default_rng([plan.seed, 11])
    beat = 60.0 / plan.tempo
    bar = beat * plan.beats_per_bar
    bars = int(np.ceil(seconds / bar)) + 1
    melody_inst, chord_inst = _roles(plan)
    notes: list[Note] = []

    def swing(step_start: float, eighth_index: int) -> float:
        return step_start + (g.swing * beat / 2 if eighth_index % 2 == 1 else 0.0)

    motif: list[tuple[float, float, int]] = []  # (beat offset within 2 bars, beats, scale step)
    for b in range(bars):
        t0 = b * bar
        degree = plan.progression[(b // g.bars_per_chord) % len(plan.progression)]
        chord = _chord(plan, degree)
        if chord_inst is not None:
            notes += _comp(chord_inst, g.comp, chord, t0, beat, plan.beats_per_bar, swing)
        if "bass" in plan.instruments:
            notes += _bassline(g.bass, chord, t0, beat, plan.beats_per_bar, rng)
        if "drums" in plan.instruments and g.drums:
            notes += _drums(g.drums, t0, bar, rng, swing)
        if melody_inst is not None and b > 0:  # the first bar sets the groove
            if b % 4 == 1 or not motif:
                motif = _motif(rng, plan.beats_per_bar, g.melody_density)
            answer = b % 2 == 0  # the motif's second bar, a third higher
            notes += _melody(plan, melody_inst, motif, t0, beat, 2 if answer else 0, swing, answer)
    return [n for n in notes if n.start < seconds]


def _comp(
    inst: str, style: str, chord: list[int], t0: float, beat: float, beats: int, swing: Swing
) -> list[Note]:
    out: list[Note] = []
    if style == "sustain":
        out += [Note(inst, t0, beat * beats, p + 12, 0.5) for p in chord]
    elif style == "pulse":
        for k in range(beats):
            out += [
                Note(inst, t0 + k * beat, beat * 0.9, p + 12, 0.45 if k else 0.55) for p in chord
            ]
    elif style == "arp":
        order = [*chord, chord[0] + 12, *chord[1:][::-1]]
        for k in range(beats * 2):
            out.append(
                Note(inst, swing(t0 + k * beat / 2, k), beat / 2, order[k % len(order)] + 12, 0.5)
            )
    elif style == "strum":
        for at, accent in ((0.0, 0.6), (1.5, 0.45), (2.0, 0.55), (3.0, 0.45)):
            if at < beats:
                out += [Note(inst, t0 + at * beat + i * 0.012, beat * 0.9, p + 12, accent)
                        for i, p in enumerate(chord)]  # fmt: skip
    else:  # offbeat
        for k in range(beats):
            out += [Note(inst, t0 + (k + 0.5) * beat, beat * 0.4, p + 12, 0.45) for p in chord]
    return out


def _bassline(
    style: str, chord: list[int], t0: float, beat: float, beats: int, rng: np.random.Generator
) -> list[Note]:
    root = chord[0] - 12
    if style == "root":
        return [Note("bass", t0, beat * beats * 0.95, root, 0.7)]
    if style == "pulse":
        return [Note("bass", t0 + k * beat / 2, beat * 0.45, root, 0.65) for k in range(beats * 2)]
    if style == "root-fifth":
        fifth = chord[2] - 12
        return [
            Note("bass", t0 + k * beat, beat * 0.9, root if k % 2 == 0 else fifth, 0.7)
            for k in range(beats)
        ]
    walk = [root] + [int(rng.choice(chord[1:])) - 12 for _ in range(beats - 2)]
    walk.append(root + int(rng.choice([-1, 1, 2])))  # approach the next bar's root
    return [Note("bass", t0 + k * beat, beat * 0.9, p, 0.7) for k, p in enumerate(walk[:beats])]


def _drums(
    pattern: str, t0: float, bar: float, rng: np.random.Generator, swing: Swing
) -> list[Note]:
    out: list[Note] = []
    for drum, steps in DRUM_PATTERNS[pattern].items():
        for i, ch in enumerate(steps):
            if ch == "x":
                start = swing(t0 + i * bar / 16, i // 2) if i % 2 == 0 else t0 + i * bar / 16
                out.append(Note(f"drums:{drum}", start, 0.1, 0.0, float(rng.uniform(0.75, 1.0))))
    return out


def _motif(rng: np.random.Generator, beats: int, density: float) -> list[tuple[float, float, int]]:
    """A two-bar rhythm with scale steps: chord tones (steps 0, 2, 4) on the beats."""
    out: list[tuple[float, float, int]] = []
    t = 0.0
    step = int(rng.choice([0, 2, 4]))
    lengths = [0.5, 1.0, 1.0, 1.5, 2.0] if density >= 1 else [1.0, 2.0, 2.0, 3.0, 4.0]
    if density > 1.2:
        lengths = [0.5, 0.5, 0.5, 1.0]
    while t < beats * 2 - 0.25:
        length = float(min(rng.choice(lengths), beats * 2 - t))
        on_beat = abs(t - round(t)) < 1e-6
        if on_beat:
            step = int(rng.choice([s for s in (step - 2, step, step + 2) if -2 <= s <= 9] or [0]))
        else:
            step += int(rng.choice([-1, 1]))
        if rng.random() > 0.1:  # a few rests keep the line breathing
            out.append((t, length, step))
        t += length
    return out


def _melody(
    plan: MusicPlan,
    inst: str,
    motif: list[tuple[float, float, int]],
    t0: float,
    beat: float,
    shift: int,
    swing: Swing,
    second: bool,
) -> list[Note]:
    scale = SCALES[plan.mode]
    out: list[Note] = []
    offset = plan.beats_per_bar if second else 0
    for start, length, step in motif:
        if not offset <= start < offset + plan.beats_per_bar:
            continue
        s = step + shift
        pitch = 72 + plan.tonic % 12 + 12 * (s // 7) + scale[s % 7]
        if pitch > 86:
            pitch -= 12
        t = start - offset
        when = swing(t0 + t * beat, round(t * 2)) if t % 1 else t0 + t * beat
        out.append(Note(inst, when, length * beat * 0.95, pitch, 0.7))
    return out


def render_plan(plan: MusicPlan, seconds: float, sr: int) -> FloatArray:
    """The piece as ``round(seconds * sr)`` samples, mastered."""
    n = round(seconds * sr)
    rng = np.random.default_rng([plan.seed, 13])
    parts: dict[str, FloatArray] = {}
    for note in write_score(plan, seconds):
        start = round(note.start * sr)
        if note.part.startswith("drums:"):
            part = "drums"
            samples = DRUMS[note.part.split(":", 1)[1]](note.velocity, sr, rng)
        else:
            part = note.part
            samples = INSTRUMENTS[part](midi_hz(note.pitch), note.length, note.velocity, sr, rng)
        buf = parts.setdefault(part, np.zeros(n))
        place(buf, samples, start)
    mix = np.zeros(n)
    for part, buf in parts.items():
        peak = float(np.max(np.abs(buf))) or 1.0
        mix += buf / peak * _LEVELS[part]
    mix = reverb(
        mix, sr, 2.5 if plan.genre_preset.reverb > 0.4 else 1.2, plan.genre_preset.reverb, rng
    )
    fade = min(round(_FADE_OUT * sr), n // 3)
    if fade:
        mix[-fade:] *= np.linspace(1.0, 0.0, fade) ** 2
    return master(mix, sr, target_rms=0.14, peak=0.89)
