"""hibari: English voices distilled from Kokoro-82M, about 80 times faster than real time here.

``hibari-tts`` (Apache-2.0) ships its American female voice, *heart* (from Kokoro's af_heart),
inside the wheel, with its own grapheme-to-phoneme front end (no espeak-ng). Its other voices
(fenrir, emma, fable, kore) are one 8 MB ONNX file each that hibari would download from a
model hub on first use; SeeSay never lets it. An operator copies the files into
``HibariSettings.voices_dir`` (default ``<data_dir>/models/hibari``) under hibari's own file
names; a file is offered once its size matches hibari's registry, and loaded only when its
SHA-256 does too, so a truncated copy is refused with a clear error instead of speaking noise.

Synthesis is seeded from the sentence, voice and speed, so the same request gives the same
audio, byte for byte. Thread safety: onnxruntime sessions are thread-safe; hibari's G2P is
plain Python with no documented guarantee, so it runs behind a lock (about 1 ms a sentence).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

from seesay.engines.base import Audio, EngineContext, EngineInfo, Gender, Task, VoiceInfo
from seesay.engines.ort_offline import disable_ort_telemetry
from seesay.engines.tts.common import SentenceEngine, require, require_voices
from seesay.errors import EngineError

__all__ = ["SAMPLE_RATE", "HibariEngine", "HibariVoiceFile", "find_voices"]

SAMPLE_RATE: Final = 24_000
_PREFIX: Final = "hibari-"
# hibari speaks about 5 dB below Piper and Kokoro (RMS -24 against -19 dBFS): lift it to
# match, capped below full scale so lossy encoders do not clip on their overshoot.
_GAIN: Final = 1.8
_PEAK: Final = 0.9


@dataclass(frozen=True, slots=True)
class HibariVoiceFile:
    """One hibari voice: its registry entry and the model file that speaks it."""

    name: str  # hibari's name: heart, fenrir, emma, fable, kore
    path: Path
    language: str
    gender: Gender
    accent: str
    kokoro: str
    british: bool
    sha256: str
    bundled: bool

    @property
    def voice_id(self) -> str:
        return _PREFIX + self.name


def _registry() -> tuple[dict[str, dict[str, Any]], Path] | None:
    """hibari's voice registry and its assets folder, or None when hibari is not installed."""
    try:
        from hibari import voices
    except ImportError:
        return None
    return dict(voices.VOICES), Path(voices.ASSETS)


def find_voices(voices_dir: Path | None) -> tuple[HibariVoiceFile, ...]:
    """The bundled voice and every registry voice whose file in ``voices_dir`` has the
    registry's size. Nothing is downloaded."""
    found = _registry()
    if found is None:
        return ()
    registry, assets = found
    out = []
    for name, entry in registry.items():
        if entry.get("bundled"):
            path = assets / str(entry["file"])
        elif voices_dir is not None:
            path = voices_dir / str(entry["file"])
        else:
            continue
        try:
            if path.stat().st_size != int(entry["bytes"]):
                continue
        except OSError:
            continue
        gender: Gender = "female" if entry.get("gender") == "female" else "male"
        out.append(
            HibariVoiceFile(
                name=name,
                path=path,
                language=str(entry["language"]),
                gender=gender,
                accent=str(entry.get("accent", "")),
                kokoro=str(entry.get("kokoro", "")),
                british=bool(entry.get("british")),
                sha256=str(entry["sha256"]),
                bundled=bool(entry.get("bundled")),
            )
        )
    out.sort(key=lambda v: (not v.bundled, v.name))  # the bundled voice first
    return tuple(out)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class HibariEngine(SentenceEngine):
    """hibari voices: heart from the wheel, others from ``voices_dir``."""

    def __init__(self, ctx: EngineContext, voices: tuple[HibariVoiceFile, ...]) -> None:
        super().__init__()
        self._ctx = ctx
        self._files = {v.voice_id: v for v in voices}
        self._models: dict[str, Any] = {}
        self._g2p: dict[bool, Any] = {}
        self._g2p_lock = threading.Lock()
        infos = tuple(
            VoiceInfo(
                id=v.voice_id,
                name=f"{v.name.capitalize()} ({v.accent} English, {v.gender})",
                language=v.language,
                gender=v.gender,
                engine="hibari",
                sample_rate=SAMPLE_RATE,
                description=f"hibari voice distilled from Kokoro-82M {v.kokoro}",
            )
            for v in voices
        )
        languages = tuple(sorted({v.language for v in voices}))
        self._info = EngineInfo(
            name="hibari",
            task=Task.TTS,
            model="hibari int8 (" + (", ".join(v.name for v in voices) or "none installed") + ")",
            licence="Apache-2.0 (hibari-tts; voices distilled from Kokoro-82M, Apache-2.0)",
            local=True,
            languages=languages,
            voices=infos,
            formats=("mp3", "wav", "opus", "flac", "aac", "pcm"),
            description="hibari: small English neural voices on onnxruntime, offline",
            extra={"quality": {tag: "natural" for tag in languages}},
        )

    def load(self) -> None:
        require_voices(self._files, "hibari", "hibari-tts")
        disable_ort_telemetry()
        hibari = require("hibari", "hibari")
        from hibari.g2p import G2P

        for voice in self._files.values():
            if not voice.bundled and _sha256(voice.path) != voice.sha256:
                raise EngineError(
                    f"the hibari voice file {voice.path} does not match its published SHA-256; "
                    "copy it again"
                )
        g2p = {
            british: G2P(british=british) for british in {v.british for v in self._files.values()}
        }
        threads = max(1, self._ctx.threads)
        models = {
            vid: hibari.Hibari(voice=v.name, model=str(v.path), threads=threads, g2p=g2p[v.british])
            for vid, v in self._files.items()
        }
        self._g2p, self._models = g2p, models
        self._loaded = True

    def unload(self) -> None:
        self._models = {}
        self._g2p = {}
        self._loaded = False

    def _speak(self, sentence: str, voice: VoiceInfo, language: str, speed: float) -> Audio:
        model = self._models[voice.id]
        with self._g2p_lock:
            phonemes = model.phonemize(sentence)
        seed = int.from_bytes(
            hashlib.blake2b(f"{voice.id}|{speed:.3f}|{sentence}".encode(), digest_size=8).digest()
        )
        rng = np.random.default_rng(seed)
        parts = [model.from_ids(model.ids(p), speed, rng) for p in phonemes]
        samples = np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)
        samples *= _GAIN
        peak = float(np.max(np.abs(samples))) if samples.size else 0.0
        if peak > _PEAK:
            samples *= _PEAK / peak
        return Audio(samples, SAMPLE_RATE)
