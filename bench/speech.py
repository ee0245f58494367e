"""Server overhead of the OpenAI audio routes, each beside the bare engine in the same run.

Rows (median of ``--runs`` after one warm-up each):
* speech streamed: time to first audio byte and real-time factor (synthesis seconds per
  second of audio) of ``POST /v1/audio/speech`` read as a stream, beside the engine's
  ``stream`` + ``encode_stream`` called directly;
* speech not streamed: the same route sent with an ``Idempotency-Key`` (the server then
  answers with the whole file), beside ``synthesize`` + ``encode``; the first byte comes
  only once everything is done;
* transcription: RTF of ``POST /v1/audio/transcriptions`` beside ``decode_audio`` + the stt
  engine's ``transcribe``.

The server is a real uvicorn on loopback (embedded mode, inference in process). The ratio
server / bare is the server's overhead (HTTP, auth, limits, ledger, storage, encoding path).

Run: ``python -m bench.speech [--runs N] [--format mp3] [--voice alloy]``.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from seesay.api import create_app
from seesay.engines.base import Audio
from seesay.media.audio_decode import decode_audio
from seesay.media.audio_encode import encode, encode_stream
from seesay.platform import Platform
from seesay.settings import load_settings
from support.live import serve_app

TEXT = (
    "SeeSay looks at a picture and tells you what is in it. "
    "Then it speaks the description aloud in the voice you choose."
)

Timing = tuple[float, float]  # (seconds to the first byte, seconds in all)


def _first_and_total(
    chunks: Iterator[bytes], t0: float | None = None
) -> tuple[float, float, bytes]:
    """Seconds from ``t0`` (default: now) to the first non-empty chunk and to the last."""
    t0 = time.perf_counter() if t0 is None else t0
    first: float | None = None
    data = bytearray()
    for chunk in chunks:
        if first is None and chunk:
            first = time.perf_counter() - t0
        data += chunk
    total = time.perf_counter() - t0
    return first if first is not None else total, total, bytes(data)


def _median(fn: Callable[[], tuple[float, float, float]], runs: int) -> tuple[float, float, float]:
    fn()  # warm-up: model loads, first-use caches
    samples = [fn() for _ in range(runs)]
    return tuple(statistics.median(s[i] for s in samples) for i in range(3))  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--format", default="mp3")
    parser.add_argument("--voice", default="alloy")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp))
        platform = Platform.build(settings)
        account = platform.accounts.create_account("bench", plan="paid").id
        platform.ledger.grant(account, 10**12)
        key = platform.accounts.create_key(account).key
        headers = {"Authorization": f"Bearer {key}"}
        resolved = platform.speech.catalogue.resolve(args.voice, "en")
        engine = platform.engines.tts(resolved.engine)
        stt = platform.engines.stt()

        def seconds_of(data: bytes) -> float:
            return decode_audio(data).duration

        # -- bare engine ----------------------------------------------------------------
        def bare_stream() -> tuple[float, float, float]:
            chunks = encode_stream(
                engine.stream(TEXT, resolved.voice_id, resolved.language, 1.0), args.format
            )
            first, total, data = _first_and_total(chunks)
            return first, total, seconds_of(data)

        def bare_whole() -> tuple[float, float, float]:
            def whole() -> Iterator[bytes]:
                audio: Audio = engine.synthesize(TEXT, resolved.voice_id, resolved.language, 1.0)
                yield encode(audio, args.format).data

            first, total, data = _first_and_total(whole())
            return first, total, seconds_of(data)

        sample = encode(
            engine.synthesize(TEXT, resolved.voice_id, resolved.language, 1.0), "mp3"
        ).data

        def bare_stt() -> tuple[float, float, float]:
            t0 = time.perf_counter()
            audio = decode_audio(sample)
            stt.transcribe(audio, "en")
            total = time.perf_counter() - t0
            return total, total, audio.duration

        rows: dict[str, tuple[float, float, float]] = {
            "bare speech streamed": _median(bare_stream, args.runs),
            "bare speech whole": _median(bare_whole, args.runs),
            "bare transcription": _median(bare_stt, args.runs),
        }

        # -- through the server ------------------------------------------------------------
        body = {
            "model": "tts-1",
            "input": TEXT,
            "voice": args.voice,
            "response_format": args.format,
        }
        with (
            serve_app(create_app(settings, platform=platform)) as base,
            httpx.Client(base_url=base, headers=headers, timeout=300) as http,
        ):

            def served(extra: dict[str, str]) -> tuple[float, float, float]:
                t0 = time.perf_counter()  # before the request: the server answers headers late
                with http.stream("POST", "/v1/audio/speech", json=body, headers=extra) as r:
                    r.raise_for_status()
                    first, total, data = _first_and_total(r.iter_bytes(), t0)
                return first, total, seconds_of(data)

            def served_stt() -> tuple[float, float, float]:
                t0 = time.perf_counter()
                r = http.post(
                    "/v1/audio/transcriptions",
                    files={"file": ("s.mp3", sample, "audio/mpeg")},
                    data={"model": "whisper-1", "language": "en", "response_format": "json"},
                )
                r.raise_for_status()
                total = time.perf_counter() - t0
                return total, total, decode_audio(sample).duration

            rows["server speech streamed"] = _median(lambda: served({}), args.runs)
            rows["server speech whole"] = _median(
                lambda: served({"Idempotency-Key": secrets.token_hex(8)}), args.runs
            )
            rows["server transcription"] = _median(served_stt, args.runs)
        platform.close()

    print(
        f"engine {resolved.engine} voice {resolved.voice_id}, format {args.format}, "
        f"stt {stt.info.name}; median of {args.runs} runs; "
        f"audio {rows['bare speech whole'][2]:.2f} s"
    )
    print(f"{'measure':<34}{'bare engine':>14}{'server':>12}{'ratio':>8}")

    def line(name: str, bare: float, server: float, unit: str) -> None:
        ratio = server / bare if bare else float("nan")
        print(f"{name:<34}{bare:>12.3f}{unit:<2}{server:>10.3f}{unit:<2}{ratio:>8.2f}")

    for what in ("streamed", "whole"):
        b, s = rows[f"bare speech {what}"], rows[f"server speech {what}"]
        line(f"speech {what}: first audio byte", b[0], s[0], " s")
        line(f"speech {what}: RTF", b[1] / b[2], s[1] / s[2], "")
    b, s = rows["bare transcription"], rows["server transcription"]
    line("transcription: RTF", b[1] / b[2], s[1] / s[2], "")


if __name__ == "__main__":
    main()
