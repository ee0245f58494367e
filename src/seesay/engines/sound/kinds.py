"""One synthesiser per sound kind of the procedural engine.

Each ``render_<kind>(n, sr, rng, shape)`` returns ``n`` samples of that sound, at no
particular level (the engine levels the layers). The recipes are the classic ones of
procedural audio: filtered noise for weather and water, Poisson-timed impulse events for
rain drops, crackles, claps and steps, damped resonances for knocks and bells, frequency
sweeps for sirens, whooshes, lasers and birds, harmonic series for engines and hums.
``shape`` (``vocabulary.Shape``) scales event rates (``density``), event lengths
(``event_scale``) and pitch; level, muffling and room are applied by the engine afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np

from seesay.engines.sound.dsp import (
    FloatArray,
    bandpass,
    brown,
    decay,
    envelope,
    highpass,
    lowpass,
    pink,
    place,
    smooth_random,
    white,
)
from seesay.engines.sound.vocabulary import Shape

__all__ = ["RENDERERS", "Renderer"]

Renderer = Callable[[int, int, np.random.Generator, Shape], FloatArray]
_TAU: Final = 2.0 * np.pi


def _arrivals(rng: np.random.Generator, n: int, sr: int, per_second: float) -> list[int]:
    """Sample indices of a Poisson process of ``per_second`` events (at least one event)."""
    seconds = n / sr
    count = max(1, int(rng.poisson(max(per_second * seconds, 0.5))))
    return sorted(int(t) for t in rng.uniform(0, n, count))


def _regular(rng: np.random.Generator, n: int, sr: int, period: float, jitter: float) -> list[int]:
    """Evenly spaced event starts with a little human/mechanical jitter."""
    starts: list[int] = []
    t = rng.uniform(0.02, 0.2) * period
    while t * sr < n:
        starts.append(int(t * sr))
        t += period * (1.0 + rng.uniform(-jitter, jitter))
    return starts


def _tone(freq: float | FloatArray, n: int, sr: int, phase: float = 0.0) -> FloatArray:
    f = np.broadcast_to(np.asarray(freq, dtype=np.float64), (n,))
    return np.sin(phase + _TAU * np.cumsum(f) / sr)


def _burst(rng: np.random.Generator, sr: int, seconds: float, tau: float) -> FloatArray:
    n = max(1, round(seconds * sr))
    return white(rng, n) * decay(n, sr, tau)


def _resonance(sr: int, freq: float, seconds: float, tau: float) -> FloatArray:
    n = max(1, round(seconds * sr))
    return np.sin(_TAU * freq * np.arange(n) / sr) * decay(n, sr, tau)


def render_rain(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    bed = bandpass(pink(rng, n), sr, 400 * s.pitch, 9000 * s.brightness) * 0.6
    drops = np.zeros(n)
    for start in _arrivals(rng, n, sr, 120 * s.density):
        f = rng.uniform(1500, 5000) * s.pitch
        drops_event = _resonance(sr, f, 0.02 * s.event_scale, 0.004) * rng.uniform(0.1, 1.0)
        place(drops, drops_event, start)
    return bed + 2.0 * highpass(drops, sr, 800)


def render_wind(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    noise = pink(rng, n)
    low = lowpass(noise, sr, 500 * s.pitch)
    high = bandpass(noise, sr, 600 * s.pitch, 2400 * s.pitch * s.brightness)
    gusts = smooth_random(rng, n, sr, 0.6 * s.density)
    return low * (0.3 + 0.7 * gusts) + high * gusts**2 * 0.8


def render_waves(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    noise = pink(rng, n)
    t = np.arange(n) / sr
    period = 7.0 / s.density
    phase = (t / period + rng.random()) % 1.0
    swell: FloatArray = np.where(phase < 0.7, phase / 0.7, np.exp(-(phase - 0.7) * 12.0)) ** 2
    wash = highpass(noise, sr, 900) * swell * (phase > 0.6)
    return lowpass(noise, sr, 700 * s.pitch) * (0.25 + swell) + 0.6 * wash


def render_fire(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    roar = lowpass(brown(rng, n), sr, 300 * s.pitch) * (0.6 + 0.4 * smooth_random(rng, n, sr, 3))
    crackle = np.zeros(n)
    for start in _arrivals(rng, n, sr, 25 * s.density):
        length = rng.uniform(0.002, 0.015) * s.event_scale
        place(crackle, _burst(rng, sr, length, length / 3) * rng.uniform(0.2, 1.5), start)
    return 0.5 * roar + 3.0 * highpass(crackle, sr, 1500)


def render_thunder(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    for start in _arrivals(rng, n, sr, 0.18 * s.density):
        seconds = rng.uniform(2.5, 5.0) * s.event_scale
        m = round(seconds * sr)
        rumble = lowpass(brown(rng, m), sr, 180 * s.pitch) * decay(m, sr, seconds / 3)
        rumble *= 0.5 + smooth_random(rng, m, sr, 4.0)
        crack = highpass(_burst(rng, sr, 0.25, 0.05), sr, 1200) * 0.4 * s.brightness
        place(out, rumble, start)
        place(out, crack, start)
    return out


def render_footsteps(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    for i, start in enumerate(_regular(rng, n, sr, 0.55 / s.density, 0.06)):
        thud = lowpass(_burst(rng, sr, 0.12 * s.event_scale, 0.03), sr, 350 * s.pitch)
        scuff = highpass(_burst(rng, sr, 0.06, 0.015), sr, 2500) * 0.15
        gain = 1.0 if i % 2 == 0 else 0.8
        place(out, 4.0 * thud * gain, start)
        place(out, scuff * gain, start + round(0.01 * sr))
    return out


def render_door(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    for start in _regular(rng, n, sr, max(2.5, 3.0 / s.density), 0.2):
        m = round(min(1.2 * s.event_scale, 0.8 * n / sr) * sr)
        f0 = 90 * s.pitch * (1 + 0.6 * smooth_random(rng, m, sr, 6.0))
        pulses = np.sign(_tone(f0, m, sr)) * (rng.random(m) < 0.35)  # stick-slip friction
        creak = bandpass(pulses, sr, 500, 3000) * envelope(m, sr, 0.1, 0.1, 0.8, 0.2)
        slam = lowpass(_burst(rng, sr, 0.4, 0.08), sr, 250) * 6.0
        place(out, creak, start)
        place(out, slam, start + m)
    return out


def render_knock(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    for group in _regular(rng, n, sr, 1.6 / s.density, 0.15):
        for k in range(3):
            hit = _resonance(sr, 180 * s.pitch, 0.15, 0.03)
            hit += 0.5 * _resonance(sr, 420 * s.pitch, 0.15, 0.015)
            place(hit, 0.3 * lowpass(_burst(rng, sr, 0.02, 0.004), sr, 3000), 0)
            place(out, hit, group + round(k * 0.18 / s.density * sr))
    return out


def render_bell(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    base = 440 * s.pitch * rng.choice([0.5, 0.75, 1.0])
    for start in _regular(rng, n, sr, 1.5 / s.density, 0.02):
        m = round(4.0 * s.event_scale * sr)
        strike = np.zeros(m)
        for ratio, amp, tau in ((0.5, 0.6, 3.0), (1.0, 1.0, 2.2), (1.19, 0.5, 1.6),
                                (1.5, 0.4, 1.2), (2.0, 0.35, 0.9), (2.74, 0.3, 0.6)):  # fmt: skip
            strike += amp * _resonance(sr, base * ratio, m / sr, tau * s.event_scale)
        place(out, strike, start)
    return out


def render_beep(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    length = 0.15 * s.event_scale
    for start in _regular(rng, n, sr, 0.6 / s.density, 0.0):
        m = round(length * sr)
        place(out, _tone(1000 * s.pitch, m, sr) * envelope(m, sr, 0.005, 0, 1, 0.005), start)
    return out


def render_alarm(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    t = np.arange(n) / sr
    high = (t * 8 * s.density) % 1.0 < 0.5
    freq = np.where(high, 960.0, 770.0) * s.pitch
    square = np.sign(_tone(freq, n, sr))
    gate = (t * 1.0 * s.density) % 1.0 < 0.7 * min(1.0, s.event_scale)
    return lowpass(square, sr, 5000 * s.brightness) * gate


def render_siren(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    t = np.arange(n) / sr
    sweep = 0.5 - 0.5 * np.cos(_TAU * t * 0.25 * s.density)
    freq = (650 + 750 * sweep) * s.pitch
    return _tone(freq, n, sr) + 0.3 * _tone(2 * freq, n, sr) + 0.15 * _tone(3 * freq, n, sr)


def render_explosion(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    starts = [round(rng.uniform(0.0, 0.1) * n)]
    if s.density > 1.5:
        starts += _arrivals(rng, n, sr, 0.3 * s.density)
    for start in starts:
        m = round(3.5 * s.event_scale * sr)
        body = brown(rng, m) * decay(m, sr, 0.9 * s.event_scale)
        body = lowpass(body, sr, 400 * s.pitch) * 3.0
        blast = lowpass(_burst(rng, sr, 0.5, 0.08), sr, 3000 * s.brightness)
        place(out, body, start)
        place(out, blast, start)
    return out


def render_applause(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    swell = envelope(n, sr, min(1.0, n / sr / 4), 0.0, 1.0, min(1.5, n / sr / 3))
    for start in _arrivals(rng, n, sr, 60 * s.density):
        clap = bandpass(_burst(rng, sr, 0.03, 0.006), sr, 800 * s.pitch, 3500 * s.pitch)
        place(out, clap * rng.uniform(0.3, 1.0), start)
    return out * (0.2 + swell)


def render_whoosh(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    for start in _regular(rng, n, sr, max(0.8, 1.6 / s.density), 0.2):
        m = round(0.7 * s.event_scale * sr)
        noise = white(rng, m)
        bell_shape = np.sin(np.linspace(0, np.pi, m)) ** 3
        lo = highpass(noise, sr, 300 * s.pitch)
        hi = bandpass(noise, sr, 1500 * s.pitch, 6000 * s.pitch)
        sweep = np.linspace(0.0, 1.0, m)
        place(out, (lo * (1 - sweep) + hi * sweep) * bell_shape, start)
    return out


def render_click(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    for start in _regular(rng, n, sr, 0.5 / s.density, 0.3):
        click = highpass(_burst(rng, sr, 0.01, 0.0015), sr, 2000 * s.pitch)
        click += 0.5 * _resonance(sr, 3200 * s.pitch, 0.01, 0.002)
        place(out, click, start)
    return out


def render_birds(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    for start in _arrivals(rng, n, sr, 2.5 * s.density):
        for k in range(int(rng.integers(2, 6))):
            m = round(rng.uniform(0.04, 0.12) * s.event_scale * sr)
            f0 = rng.uniform(2500, 5000) * s.pitch
            sweep = f0 * (1 + rng.uniform(-0.4, 0.4) * np.linspace(0, 1, m))
            sweep *= 1 + 0.05 * np.sin(_TAU * 40 * np.arange(m) / sr)
            chirp = _tone(sweep, m, sr) * np.sin(np.linspace(0, np.pi, m)) ** 2
            place(out, chirp, start + round(k * 0.13 * sr))
    return out


def render_engine(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    rpm = 35 * s.pitch * (1 + 0.05 * smooth_random(rng, n, sr, 1.5)) * (0.8 + 0.2 * s.density)
    body = sum(_tone(rpm * k, n, sr, rng.uniform(0, _TAU)) / k**0.8 for k in range(1, 16))
    firing = 0.6 + 0.4 * np.maximum(0.0, _tone(rpm / 2, n, sr))
    return np.asarray(body) * firing + 0.4 * lowpass(pink(rng, n), sr, 1200)


def render_crowd(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    voices = max(4, round(14 * s.density))
    for _ in range(voices):
        vowel = bandpass(pink(rng, n), sr, rng.uniform(300, 700), rng.uniform(900, 2500))
        syllables = smooth_random(rng, n, sr, rng.uniform(4, 7)) ** 3
        phrases = smooth_random(rng, n, sr, 0.5) > 0.35
        out += vowel * syllables * phrases
    return out


def render_stream(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    bed = bandpass(pink(rng, n), sr, 300, 4000 * s.brightness)
    bubbles = np.zeros(n)
    for start in _arrivals(rng, n, sr, 40 * s.density):
        m = round(rng.uniform(0.01, 0.04) * s.event_scale * sr)
        f = rng.uniform(400, 1500) * s.pitch
        rise = f * (1 + np.linspace(0, 1.5, m))  # a bubble's pitch rises as it closes
        place(bubbles, _tone(rise, m, sr) * decay(m, sr, m / sr / 3), start)
    return 0.5 * bed + bubbles


def render_drip(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    for start in _regular(rng, n, sr, 0.9 / s.density, 0.25):
        m = round(0.08 * sr)
        f = rng.uniform(900, 1400) * s.pitch
        plink = _tone(f * (1 + np.linspace(0, 0.8, m)), m, sr) * decay(m, sr, 0.02)
        place(out, plink, start)
    return out


def render_heartbeat(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    for start in _regular(rng, n, sr, 0.85 / s.density, 0.02):
        lub = _resonance(sr, 55 * s.pitch, 0.15, 0.04)
        dub = _resonance(sr, 70 * s.pitch, 0.12, 0.03) * 0.7
        place(out, lub, start)
        place(out, dub, start + round(0.28 * sr))
    return lowpass(out, sr, 200)


def render_clock(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    for i, start in enumerate(_regular(rng, n, sr, 0.5 / s.density, 0.0)):
        f = (2600 if i % 2 == 0 else 2100) * s.pitch
        tick = _resonance(sr, f, 0.03, 0.004)
        place(tick, 0.3 * highpass(_burst(rng, sr, 0.005, 0.001), sr, 3000), 0)
        place(out, tick, start)
    return out


def render_phone(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    t = np.arange(n) / sr
    tone = _tone(440 * s.pitch, n, sr) + _tone(480 * s.pitch, n, sr)
    gate = (t / (6.0 / s.density)) % 1.0 < 2.0 / 6.0 * min(1.5, s.event_scale)
    warble = 0.6 + 0.4 * (np.sin(_TAU * 20 * t) > 0)
    return tone * gate * warble


def render_horn(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    for start in _arrivals(rng, n, sr, 0.5 * s.density):
        m = round(rng.uniform(0.3, 0.9) * s.event_scale * sr)
        f = np.asarray([400.0, 500.0]) * s.pitch
        honk = sum(np.sign(_tone(fk, m, sr)) for fk in f)
        place(out, lowpass(np.asarray(honk), sr, 3000) * envelope(m, sr, 0.02, 0, 1, 0.05), start)
    return out


def render_crickets(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    for _ in range(max(1, round(3 * s.density))):
        carrier = _tone(rng.uniform(4200, 5200) * s.pitch, n, sr)
        t = np.arange(n) / sr + rng.random()
        pulses = (t * 30) % 1.0 < 0.5  # 30 wing strokes a second
        trills = (t * rng.uniform(1.0, 2.0)) % 1.0 < 0.35
        out += carrier * pulses * trills
    return out


def render_typing(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    for start in _arrivals(rng, n, sr, 7 * s.density):
        key = bandpass(_burst(rng, sr, 0.04, 0.006), sr, 1500 * s.pitch, 6000)
        key += 0.6 * _resonance(sr, rng.uniform(250, 400) * s.pitch, 0.04, 0.01)
        place(out, key * rng.uniform(0.4, 1.0), start)
    return out


def render_glass(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    for start in _regular(rng, n, sr, max(1.5, 2.5 / s.density), 0.3):
        place(out, highpass(_burst(rng, sr, 0.3, 0.05), sr, 3000), start)
        for _ in range(40):
            m = round(0.4 * s.event_scale * sr)
            ping = _resonance(sr, rng.uniform(3000, 9000) * s.pitch, m / sr, rng.uniform(0.03, 0.2))
            place(out, ping * rng.uniform(0.05, 0.3), start + round(rng.exponential(0.15) * sr))
    return out


def render_rumble(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    body = lowpass(brown(rng, n), sr, 90 * s.pitch, order=4)
    return body * (0.4 + smooth_random(rng, n, sr, 1.5 * s.density))


def render_hum(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    f = 60.0 * s.pitch
    body = sum(_tone(f * k, n, sr) / k for k in (1, 2, 3, 4, 5, 6))
    return np.asarray(body) + 0.05 * white(rng, n)


def render_static(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    hiss = highpass(white(rng, n), sr, 1000 * s.pitch)
    pops = np.zeros(n)
    for start in _arrivals(rng, n, sr, 15 * s.density):
        place(pops, _burst(rng, sr, 0.003, 0.001) * 3, start)
    return hiss * (0.7 + 0.3 * smooth_random(rng, n, sr, 2)) + pops


def render_laser(n: int, sr: int, rng: np.random.Generator, s: Shape) -> FloatArray:
    out = np.zeros(n)
    for start in _regular(rng, n, sr, 0.45 / s.density, 0.2):
        m = round(0.25 * s.event_scale * sr)
        freq = 3000 * s.pitch * np.exp(-np.linspace(0, 3.0, m))
        zap = np.sign(_tone(freq, m, sr)) * decay(m, sr, 0.08)
        place(out, lowpass(zap, sr, 7000), start)
    return out


RENDERERS: Final[dict[str, Renderer]] = {
    name.removeprefix("render_"): fn
    for name, fn in list(globals().items())
    if name.startswith("render_") and callable(fn)
}
