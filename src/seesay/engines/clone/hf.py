"""An in-process neural cloner: SpeechT5 text-to-speech conditioned on a speaker embedding.

Folders (``HfCloneSettings``): a ``SpeechT5ForTextToSpeech`` checkpoint with its processor
(e.g. microsoft/speecht5_tts), a ``SpeechT5HifiGan`` vocoder (microsoft/speecht5_hifigan), and
optionally an audio x-vector model (``AutoModelForAudioXVector``, e.g. a WavLM speaker
verification checkpoint) whose embedding size matches the TTS model's.

``analyse`` computes the sample's speaker embedding, L2-normalised, and stores it in the
profile (``data["speaker_embedding"]``): with the x-vector model when configured, otherwise a
statistics-pooled embedding (mean and standard deviation of 40 log-mel bands over the
sample's louder frames, through a fixed random projection to the model's size) -- the latter
is a deterministic stand-in for models trained on such embeddings, not a substitute for the
x-vectors SpeechT5 was trained on. ``synthesize`` generates the mel spectrogram for the text
with that embedding, stretches it in time for ``speed`` (tempo without pitch change), and
vocodes it. SpeechT5's decoder pre-net keeps dropout on at inference by design, so the torch
seed is derived from the text and the embedding: the same request gives the same audio.

torch and transformers are imported in ``load()`` only.
"""

from __future__ import annotations

import hashlib
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from seesay.engines.base import Audio, EngineContext, EngineInfo, Task, VoiceProfile
from seesay.engines.clone.settings import HfCloneSettings
from seesay.engines.clone.types import SAMPLE_FORMATS, check_text, foreign_voice
from seesay.engines.hf_runtime import HfModel, import_runtime, loading, place
from seesay.engines.tts.common import check_speed, language_match
from seesay.errors import (
    EngineError,
    EngineUnavailable,
    InvalidAudio,
    InvalidRequest,
    UnsupportedLanguage,
)

__all__ = ["METHOD", "HfCloneEngine", "stats_embedding"]

METHOD: Final = "neural cloning: SpeechT5 speech conditioned on the sample's speaker embedding"
_RATE: Final = 16_000
_MELS: Final = 40
_PROJECTION_SEED: Final = 20_240_601
MIN_SAMPLE_SECONDS: Final = 1.0


def _mel_filters(n_fft: int, rate: int, bands: int) -> npt.NDArray[np.float64]:
    def mel(f: Any) -> Any:
        return 2595.0 * np.log10(1.0 + np.asarray(f) / 700.0)

    edges_mel = np.linspace(mel(60.0), mel(rate / 2 * 0.95), bands + 2)
    edges = 700.0 * (10.0 ** (edges_mel / 2595.0) - 1.0)
    freqs = np.linspace(0, rate / 2, n_fft // 2 + 1)
    filters = np.zeros((bands, len(freqs)))
    for i in range(bands):
        lo, mid, hi = edges[i], edges[i + 1], edges[i + 2]
        rise = (freqs - lo) / (mid - lo)
        fall = (hi - freqs) / (hi - mid)
        filters[i] = np.maximum(0.0, np.minimum(rise, fall))
    return filters


def stats_embedding(samples: npt.NDArray[np.float32], dim: int) -> npt.NDArray[np.float32]:
    """A deterministic speaker embedding of 16 kHz speech: mean and standard deviation of 40
    log-mel bands over frames within 30 dB of the loudest, projected to ``dim`` by a fixed
    random matrix, L2-normalised."""
    n_fft, hop = 512, 160
    x = np.asarray(samples, dtype=np.float64)
    frames = np.lib.stride_tricks.sliding_window_view(x, n_fft)[::hop] * np.hanning(n_fft)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    logmel = np.log(power @ _mel_filters(n_fft, _RATE, _MELS).T + 1e-10)
    energy = 10 * np.log10(power.sum(axis=1) + 1e-12)
    loud = logmel[energy > energy.max() - 30.0]
    stats = np.concatenate([loud.mean(axis=0), loud.std(axis=0)])
    stats -= stats.mean()
    projection = np.random.default_rng(_PROJECTION_SEED).standard_normal((dim, len(stats)))
    embedding = projection @ stats
    normalised: npt.NDArray[np.float32] = (embedding / (np.linalg.norm(embedding) + 1e-12)).astype(
        np.float32
    )
    return normalised


class HfCloneEngine(HfModel):
    """See the module docstring. Thread-safe: inference is serialised under one lock."""

    def __init__(self, settings: HfCloneSettings, ctx: EngineContext) -> None:
        super().__init__(ctx)
        self._s = settings
        self._processor: Any = None
        self._vocoder: Any = None
        self._encoder: Any = None
        self._extractor: Any = None
        self._dim = 0
        self._rate = 0
        self._info = EngineInfo(
            name=settings.name,
            task=Task.CLONE,
            model=settings.model_path or "(unset)",
            licence="see the model card (SpeechT5: MIT)",
            local=True,
            languages=tuple(settings.languages),
            formats=SAMPLE_FORMATS,
            description="In-process neural voice cloning: SpeechT5 with speaker embeddings",
            extra={"method": METHOD},
        )

    @property
    def info(self) -> EngineInfo:
        return self._info

    def _load(self) -> None:
        s = self._s
        if not (s.model_path and s.vocoder_path):
            raise EngineUnavailable(f"{s.name} needs model_path and vocoder_path to be set")
        torch, transformers = import_runtime(s.name)
        local = s.local_files_only
        with loading(f"{s.name}'s models"):
            model = transformers.SpeechT5ForTextToSpeech.from_pretrained(
                s.model_path, local_files_only=local
            )
            processor = transformers.AutoProcessor.from_pretrained(
                s.model_path, local_files_only=local
            )
            vocoder = transformers.SpeechT5HifiGan.from_pretrained(
                s.vocoder_path, local_files_only=local
            )
            encoder = extractor = None
            if s.speaker_encoder_path:
                encoder = transformers.AutoModelForAudioXVector.from_pretrained(
                    s.speaker_encoder_path, local_files_only=local
                )
                extractor = transformers.AutoFeatureExtractor.from_pretrained(
                    s.speaker_encoder_path, local_files_only=local
                )
        dim = int(model.config.speaker_embedding_dim)
        if encoder is not None and int(encoder.config.xvector_output_dim) != dim:
            raise EngineUnavailable(
                f"the speaker encoder makes {encoder.config.xvector_output_dim}-dimensional "
                f"embeddings; the speech model takes {dim}"
            )
        place(torch, (model, vocoder, encoder), s.device, self._ctx.threads)
        self._torch, self._model, self._processor = torch, model, processor
        self._vocoder, self._encoder, self._extractor = vocoder, encoder, extractor
        self._dim = dim
        self._rate = int(getattr(vocoder.config, "sampling_rate", _RATE))

    def _release(self) -> None:
        self._torch = self._model = self._processor = None
        self._vocoder = self._encoder = self._extractor = None

    def _loaded(self) -> None:
        if self._model is None:
            raise EngineUnavailable(f"{self._s.name} is not loaded")

    def analyse(self, sample: Audio) -> VoiceProfile:
        from seesay.media.audio_encode import resample

        x = resample(np.asarray(sample.samples, np.float32), sample.sample_rate, _RATE)
        if len(x) < MIN_SAMPLE_SECONDS * _RATE or not np.any(np.abs(x) > 1e-4):
            raise InvalidAudio(
                f"the voice sample must hold at least {MIN_SAMPLE_SECONDS:g} s of sound",
                param="voice",
            )
        with self._lock:
            self._loaded()
            if self._encoder is None:
                embedding = stats_embedding(x, self._dim)
                kind = "log-mel statistics"
            else:
                torch = self._torch
                features = self._extractor(x, sampling_rate=_RATE, return_tensors="pt")
                with torch.inference_mode():
                    out = self._encoder(**features.to(self._s.device)).embeddings
                    out = torch.nn.functional.normalize(out, dim=-1)
                embedding = out[0].float().cpu().numpy()
                kind = "x-vector"
        return VoiceProfile(
            engine=self._s.name,
            method=METHOD,
            base_voice=self._info.model,
            sample_seconds=round(sample.duration, 3),
            data={
                "speaker_embedding": [round(float(v), 6) for v in embedding],
                "embedding": kind,
            },
        )

    def synthesize(self, text: str, profile: VoiceProfile, language: str, speed: float) -> Audio:
        vector = profile.data.get("speaker_embedding")
        if profile.engine != self._s.name or not isinstance(vector, list):
            raise foreign_voice(profile, self._s.name)
        speed = check_speed(speed)
        if self._s.languages and not any(
            language_match(language, tag) is not None for tag in self._s.languages
        ):
            raise UnsupportedLanguage(
                f"{self._s.name} speaks {', '.join(self._s.languages)} only",
                param="language",
                details={"supported": list(self._s.languages)},
            )
        check_text(text, self._s.max_text_chars)
        with self._lock:
            self._loaded()
            if len(vector) != self._dim:
                raise InvalidRequest("this voice's embedding does not fit the model", param="voice")
            return self._generate(text, [float(v) for v in vector], speed)

    def _generate(self, text: str, vector: list[float], speed: float) -> Audio:
        torch, model, device = self._torch, self._model, self._s.device
        processor: Any = self._processor
        ids = processor(text=text, return_tensors="pt").input_ids.to(device)
        embedding = torch.tensor([vector], dtype=torch.float32, device=device)
        rf = int(model.config.reduction_factor)
        max_ratio = self._s.max_new_frames * rf / max(1, ids.shape[1])
        digest = hashlib.sha256(text.encode() + np.asarray(vector, np.float32).tobytes())
        torch.manual_seed(int.from_bytes(digest.digest()[:4], "big"))
        try:
            with torch.inference_mode():
                mel = model.generate_speech(
                    ids, embedding, minlenratio=0.0, maxlenratio=min(20.0, max_ratio)
                )
                if speed != 1.0 and mel.shape[0] > 1:  # tempo: fewer or more frames
                    frames = max(1, round(mel.shape[0] / speed))
                    mel = torch.nn.functional.interpolate(
                        mel.T[None], size=frames, mode="linear", align_corners=True
                    )[0].T
                wave = self._vocoder(mel)
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"{self._s.name} failed to generate speech") from exc
        samples = np.asarray(wave.float().cpu().numpy(), dtype=np.float32).reshape(-1)
        peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
        if peak > 0.99:
            samples *= 0.99 / peak
        return Audio(samples, self._rate)
