"""espeak-ng, the formant synthesizer: robotic but it speaks 100+ languages.

The library and its data come from the ``espeakng-loader`` wheel (so pip alone is enough), or
from a system install (Debian ``espeak-ng``) when the wheel is absent or the settings point there.
The voice list is read from the data folder's ``lang/`` files without loading the library, so the
catalogue is known before the engine loads. Each language gets two voices: espeak's default
(listed as male) and the same language with the ``f3`` female variant.

espeak-ng keeps its state in process globals. ``load`` therefore copies the shared library to a
private file in the cache folder before opening it (the same trick the ``phonemizer`` package
uses): other users of espeak-ng in this process (kokoro-onnx's phonemizer, Piper's bundled copy)
keep their own state. All calls into the library are serialised by one lock.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import langcodes
import numpy as np

from seesay.engines.base import Audio, EngineContext, EngineInfo, Task, VoiceInfo
from seesay.engines.tts.common import INSTALL_HINT, SentenceEngine
from seesay.errors import EngineError, EngineUnavailable

__all__ = ["EspeakEngine", "EspeakInstall", "find_espeak", "read_languages"]

_AUDIO_OUTPUT_SYNCHRONOUS: Final = 2
_INITIALIZE_DONT_EXIT: Final = 0x8000
_POS_CHARACTER: Final = 1
_CHARS_UTF8: Final = 1
_PARAM_RATE: Final = 1
_DEFAULT_WPM: Final = 175
_FEMALE_VARIANT: Final = "f3"
_SYSTEM_DATA_DIRS: Final = (
    "/usr/lib/x86_64-linux-gnu/espeak-ng-data",
    "/usr/lib/aarch64-linux-gnu/espeak-ng-data",
    "/usr/share/espeak-ng-data",
    "/usr/local/share/espeak-ng-data",
)
_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


@dataclass(frozen=True, slots=True)
class EspeakInstall:
    """Where an espeak-ng shared library and its data folder are."""

    library: Path
    data: Path
    source: str  # "espeakng-loader" or "system"


def find_espeak(library: Path | None = None, data: Path | None = None) -> EspeakInstall | None:
    """The configured paths, else the ``espeakng-loader`` wheel, else a system install."""
    if library and data:
        return EspeakInstall(library, data, "configured")
    try:
        import espeakng_loader

        lib = Path(espeakng_loader.get_library_path())
        dat = Path(espeakng_loader.get_data_path())
        if lib.is_file() and dat.is_dir():
            return EspeakInstall(library or lib, data or dat, "espeakng-loader")
    except (ImportError, RuntimeError):
        pass
    found = ctypes.util.find_library("espeak-ng")
    dirs = [Path(d) for d in _SYSTEM_DATA_DIRS if Path(d, "phontab").is_file()]
    if found and dirs:
        return EspeakInstall(library or Path(found), data or dirs[0], "system")
    return None


def read_languages(data: Path) -> dict[str, tuple[str, str]]:
    """BCP-47 tag -> (espeak voice name to load, display name), from the ``lang/`` files.

    Each file names its language codes with priorities ("language en-us 2"); its first code
    gives the tag. ``espeak_SetVoiceByName`` loads the file by its path under ``lang/``
    ("gmw/en"): the code itself fails for some files ("en-gb" is in gmw/en, not a file of
    its own). Codes langcodes cannot read are skipped.
    """
    out: dict[str, tuple[str, str]] = {}
    for path in sorted((data / "lang").rglob("*")):
        if not path.is_file():
            continue
        name = ""
        code = ""
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.strip().partition(" ")
            if key == "name" and not name:
                name = value.strip()
            elif key == "language" and not code:
                code = value.split()[0]
        if not code:
            continue
        try:
            tag = langcodes.standardize_tag(code)
        except ValueError:
            continue
        out.setdefault(tag, (str(path.relative_to(data / "lang")), name or tag))
    return out


class EspeakEngine(SentenceEngine):
    """espeak-ng through ctypes; voices ``espeak-<tag>`` (male) and ``espeak-<tag>-female``."""

    max_chars = 1000  # formant synthesis has no context window

    def __init__(
        self,
        ctx: EngineContext,
        *,
        library: Path | None = None,
        data: Path | None = None,
        english_quality: str = "robotic",
    ) -> None:
        super().__init__()
        self._ctx = ctx
        self._install = find_espeak(library, data)
        self._languages = read_languages(self._install.data) if self._install else {}
        self._lib: Any = None
        self._callback: Any = None
        self._buffer: list[np.ndarray[Any, np.dtype[np.int16]]] = []
        self._rate = 22_050
        self._espeak_lock = threading.Lock()
        self._by_id: dict[str, tuple[str, str]] = {}
        voices: list[VoiceInfo] = []
        for tag, (code, display) in self._languages.items():
            for suffix, variant, gender in (
                ("", "", "male"),
                ("-female", "+" + _FEMALE_VARIANT, "female"),
            ):
                vid = f"espeak-{tag}{suffix}"
                self._by_id[vid] = (code + variant, tag)
                voices.append(
                    VoiceInfo(
                        id=vid,
                        name=f"eSpeak {display}{' (female)' if suffix else ''}",
                        language=tag,
                        gender=gender,  # type: ignore[arg-type]
                        engine="espeak",
                        sample_rate=self._rate,
                        description="espeak-ng formant voice (robotic)",
                    )
                )
        tags = tuple(self._languages)
        self._info = EngineInfo(
            name="espeak",
            task=Task.TTS,
            model="espeak-ng" + (f" ({self._install.source})" if self._install else ""),
            licence="GPL-3.0-or-later",
            local=True,
            languages=tags,
            voices=tuple(voices),
            formats=("mp3", "wav", "opus", "flac", "aac", "pcm"),
            description="espeak-ng formant synthesizer: every language it has, robotic",
            # English round-trip WER is ~0.3 (MODELS.md), so English is ranked below the neural
            # voices; elsewhere espeak is often the only voice there is.
            extra={"quality": {tag: "robotic" for tag in tags}},
        )

    def _private_copy(self, library: Path) -> Path:
        digest = hashlib.sha256(str(library.resolve()).encode()).hexdigest()[:12]
        target = self._ctx.cache_dir / "espeak" / f"libespeak-ng-{digest}.so"
        if not target.is_file() or target.stat().st_size != library.stat().st_size:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".tmp")
            shutil.copyfile(library, tmp)
            tmp.replace(target)
        return target

    def load(self) -> None:
        if self._install is None:
            raise EngineUnavailable(f"espeak-ng is not installed: {INSTALL_HINT}")
        lib = ctypes.CDLL(str(self._private_copy(self._install.library)))
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        # espeak-ng reads the folder that *contains* espeak-ng-data.
        root = str(self._install.data.parent).encode()
        with self._espeak_lock:
            rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, root, _INITIALIZE_DONT_EXIT)
            if rate <= 0:
                raise EngineError(f"espeak-ng failed to initialise (code {rate})")
            self._callback = _CALLBACK(self._on_audio)  # kept referenced: C holds the pointer
            lib.espeak_SetSynthCallback(self._callback)
            self._lib = lib
            self._rate = int(rate)
        self._loaded = True

    def unload(self) -> None:
        with self._espeak_lock:
            if self._lib is not None:
                self._lib.espeak_Terminate()
            self._lib = None
        self._loaded = False

    def _on_audio(self, wav: Any, n: int, _events: Any) -> int:
        if n > 0 and wav:
            self._buffer.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
        return 0

    def _speak(self, sentence: str, voice: VoiceInfo, language: str, speed: float) -> Audio:
        name, _tag = self._by_id[voice.id]
        text = sentence.encode("utf-8") + b"\0"
        wpm = max(80, min(450, round(_DEFAULT_WPM * speed)))
        with self._espeak_lock:
            self._buffer = []
            _checked(self._lib.espeak_SetVoiceByName(name.encode()), f"voice {name}")
            _checked(self._lib.espeak_SetParameter(_PARAM_RATE, wpm, 0), "rate")
            _checked(
                self._lib.espeak_Synth(
                    text, len(text), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
                ),
                "synthesis",
            )
            pcm = np.concatenate(self._buffer) if self._buffer else np.zeros(0, np.int16)
            self._buffer = []
        return Audio((pcm.astype(np.float32) / 32768.0), self._rate)


def _checked(code: int, what: str) -> None:
    if code != 0:
        raise EngineError(f"espeak-ng {what} failed (code {code})")
