"""A small mutational fuzzer for the parsers that read untrusted bytes: images
(``decode_image``), audio (``decode_audio``) and fetch URLs (``UrlGuard.check_url``, with a stub
resolver: nothing is ever resolved or connected).

Each target runs in a child process so that a crash in native code (Pillow, FFmpeg) is counted
instead of taking the runner down, and a watchdog counts an input that runs past
``HANG_SECONDS`` as a hang. Input ``i`` of a run is a pure function of ``(seed, i)``, so any
finding replays with :func:`make_input`. Allowed outcomes: the parser returns, or it raises the
project's ``InvalidRequest`` family (``InvalidImage``, ``InvalidAudio``, ``UnsafeUrl``,
``PayloadTooLarge``); anything else is a finding.

Used by ``tests/security/test_parser_fuzz.py`` (a bounded CI run) and ``python -m bench.fuzz``
(longer, prints a table).
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import random
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

TARGETS: Final = ("image", "audio", "url")
HANG_SECONDS: Final = 20.0
MEMORY_CAP_MB: Final = 1024  # peak resident memory of one fuzzing process
MAX_FINDINGS_KEPT: Final = 50
EXAMPLES_PER_FINDING: Final = 3

_INTERESTING_INTS: Final = (0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF)
_URL_PIECES: Final = (
    "@", ":", "//", "[", "]", "%", "%00", "%2e", "%40", "\x00", "\t", "\n", " ", "\\", "#", "?",
    "..", "0x7f", "127.0.0.1", "::1", "::ffff:127.0.0.1", "0", "0177", "localhost", "xn--",
    "\u0130", "\u2100", "\uff0e", "\ud800", "\u00df", "\u3002", "é", "-", "_", ".", ":0", ":65536",
    ":-1", "user:pw@", "[::]", "[fe80::1%25eth0]", "169.254.169.254", "2130706433", "http://",
)  # fmt: skip


# --- seeds --------------------------------------------------------------------------------


def image_seeds() -> list[bytes]:
    """Small valid images of every accepted format and the modes that take other code paths."""
    from PIL import Image

    base = Image.radial_gradient("L").resize((48, 32)).convert("RGB")
    out: list[bytes] = []

    def save(image: Any, fmt: str, **kwargs: Any) -> None:
        buffer = io.BytesIO()
        image.save(buffer, fmt, **kwargs)
        out.append(buffer.getvalue())

    save(base, "PNG")
    save(base.convert("P"), "PNG", transparency=0)
    save(base.convert("LA"), "PNG")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate
    save(base, "JPEG", quality=70, exif=exif.tobytes())
    save(base.convert("L"), "JPEG", progressive=True)
    frames = [base.rotate(angle) for angle in (0, 90, 180)]
    save(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=50, loop=0)
    save(base, "WEBP", quality=50)
    save(base.convert("RGBA"), "WEBP", lossless=True)
    save(base, "BMP")
    save(base, "TIFF", compression="tiff_deflate")
    return out


def audio_seeds() -> list[bytes]:
    """A quarter second of tone in every accepted container."""
    import av
    import numpy as np

    rate = 16_000
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(rate // 4) / rate)).astype(np.float32)
    out: list[bytes] = []
    for container_format, codec, sample_format in (
        ("wav", "pcm_s16le", "s16"),
        ("flac", "flac", "s16"),
        ("mp3", "libmp3lame", "fltp"),
        ("ogg", "libopus", "flt"),
        ("ogg", "libvorbis", "fltp"),
        ("ipod", "aac", "fltp"),
        ("webm", "libopus", "flt"),
    ):
        buffer = io.BytesIO()
        try:
            with av.open(buffer, mode="w", format=container_format) as container:
                stream = container.add_stream(codec, rate=48_000 if "opus" in codec else rate)
                stream.layout = "mono"
                frame = av.AudioFrame.from_ndarray(tone.reshape(1, -1), format="flt", layout="mono")
                frame.sample_rate = rate
                resampler = av.AudioResampler(
                    format=sample_format, layout="mono", rate=stream.codec_context.sample_rate
                )
                for converted in resampler.resample(frame):
                    for packet in stream.encode(converted):
                        container.mux(packet)
                for packet in stream.encode(None):
                    container.mux(packet)
        except (av.FFmpegError, ValueError):  # an encoder this build lacks: fewer seeds
            continue
        out.append(buffer.getvalue())
    return out


URL_SEEDS: Final = (
    "https://example.com/cat.jpg",
    "http://images.example.org:8080/a/b.png?size=large#frag",
    "https://93.184.216.34/image.webp",
    "http://[2606:2800:220:1:248:1893:25c8:1946]/x.gif",
    "https://xn--bcher-kva.example/b%C3%BCcher.png",
    "http://127.0.0.1/",
    "http://10.0.0.1:80/internal",
    "http://[::ffff:169.254.169.254]/latest/meta-data/",
    "https://user:pass@example.com/",
    "http://localhost./x",
    "http://0x7f.1/",
    "ftp://example.com/file",
    "https://example.com" + "/a" * 50,
)


# --- mutations ----------------------------------------------------------------------------


def mutate_bytes(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3, 5, 8))):
        if not buf:
            buf.extend(rng.randbytes(rng.randint(1, 16)))
        kind = rng.randrange(9)
        pos = rng.randrange(len(buf))
        if kind == 0:
            buf[pos] ^= 1 << rng.randrange(8)
        elif kind == 1:
            buf[pos] = rng.choice((0, 0xFF, 0x7F, 0x80, rng.randrange(256)))
        elif kind == 2:  # a header field set to an edge value (sizes, counts, offsets)
            width = rng.choice((2, 4))
            value = rng.choice(_INTERESTING_INTS) & ((1 << (8 * width)) - 1)
            buf[pos : pos + width] = value.to_bytes(width, rng.choice(("big", "little")))
        elif kind == 3:
            buf[pos:pos] = rng.randbytes(rng.randint(1, 32))
        elif kind == 4:
            del buf[pos : pos + rng.randint(1, 64)]
        elif kind == 5:  # truncation, as a broken upload would be
            del buf[pos:]
        elif kind == 6:
            end = min(len(buf), pos + rng.randint(1, 256))
            buf[pos:pos] = buf[pos:end] * rng.randint(1, 8)
        elif kind == 7:  # splice with another seed
            other = rng.choice(pool)
            cut = rng.randrange(len(other) + 1)
            buf = buf[:pos] + bytearray(other[cut:])
        else:
            buf[pos : pos + 4] = bytes(rng.randrange(256) for _ in range(4))
    return bytes(buf)


def mutate_url(url: str, rng: random.Random) -> str:
    text = url
    for _ in range(rng.choice((1, 1, 2, 3, 5))):
        pos = rng.randrange(len(text) + 1)
        kind = rng.randrange(5)
        if kind == 0:
            text = text[:pos] + rng.choice(_URL_PIECES) + text[pos:]
        elif kind == 1:
            text = text[:pos] + text[pos + rng.randint(1, 8) :]
        elif kind == 2:
            text = text[:pos] + chr(rng.randrange(0x20, 0x3000)) + text[pos:]
        elif kind == 3:
            text = text[:pos] + rng.choice(_URL_PIECES) + text[pos + rng.randint(1, 8) :]
        else:
            text = text[:pos] + text[pos:] * rng.randint(2, 40)
    return text


def make_input(target: str, seeds: list[Any], seed: int, index: int) -> Any:
    """Input ``index`` of a run: the seeds themselves first, then mutations."""
    if index < len(seeds):
        return seeds[index]
    rng = random.Random(f"{seed}:{target}:{index}")
    if target == "url":
        return mutate_url(rng.choice(seeds), rng)
    return mutate_bytes(rng.choice(seeds), rng, seeds)


# --- targets ------------------------------------------------------------------------------


def _stub_resolver(host: str, port: int) -> list[str]:
    """Public, private, mapped or no addresses, by the host's hash; never the network."""
    answers = (
        ["93.184.216.34"],
        ["10.1.2.3"],
        ["93.184.216.34", "192.168.0.1"],
        ["::ffff:127.0.0.1"],
        ["2606:2800:220:1::1"],
        [],
    )
    pick = sum(host.encode("utf-8", "surrogatepass")) % (len(answers) + 1)
    if pick == len(answers):
        raise OSError("stub resolver: no such host")
    return answers[pick]


def load_target(target: str) -> tuple[list[Any], Callable[[Any], object]]:
    """The seeds and the function under test for ``target``."""
    if target == "image":
        from seesay.media.images import decode_image

        return image_seeds(), lambda data: decode_image(data)
    if target == "audio":
        from seesay.media.audio_decode import decode_audio

        return audio_seeds(), lambda data: decode_audio(data)
    if target == "url":
        from seesay.media.fetch.guard import UrlGuard

        guard = UrlGuard(resolver=_stub_resolver)
        return list(URL_SEEDS), lambda url: guard.check_url(url, resolve=True)
    raise ValueError(f"unknown fuzz target {target!r}; targets are {', '.join(TARGETS)}")


# --- runs ---------------------------------------------------------------------------------


@dataclass
class Finding:
    index: int
    kind: str  # "exception", "crash" or "hang"
    summary: str
    where: str = ""


@dataclass
class FuzzResult:
    target: str
    seed: int
    seconds: float
    inputs: int = 0
    accepted: int = 0
    rejected: int = 0
    unexpected: int = 0
    crashes: int = 0
    hangs: int = 0
    peak_rss_mb: float = 0.0
    findings: list[Finding] = field(default_factory=list)


def _where(exc: BaseException) -> str:
    """The innermost frame in SeeSay's own code, else the innermost frame."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/seesay/" in f.filename]
    frame = (ours or frames)[-1] if (ours or frames) else None
    return f"{frame.filename}:{frame.lineno} in {frame.name}" if frame else ""


Loader = Callable[[str], tuple[list[Any], Callable[[Any], object]]]


def _child(target: str, seed: int, start: int, end: float, out: Path, loader: Loader) -> None:
    """Run inputs from ``start`` until ``end`` (``time.monotonic``, shared by every process on
    the machine); before each input, write the counts so far and the input's index to ``out``,
    so that a crash or a hang is pinned to its input."""
    from seesay.errors import InvalidRequest

    # libtiff, libav and Pillow's warnings about corrupt input would drown the runner's output.
    warnings.simplefilter("ignore")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    seeds, parse = loader(target)
    counts = {"accepted": 0, "rejected": 0, "unexpected": 0}
    findings: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    index = start
    while time.monotonic() < end:
        _report(out, index, counts, findings)
        try:
            parse(make_input(target, seeds, seed, index))
        except InvalidRequest:
            counts["rejected"] += 1
        except Exception as exc:
            counts["unexpected"] += 1
            where = _where(exc)
            kind = (type(exc).__name__, where)
            seen[kind] = seen.get(kind, 0) + 1
            # A few examples of each distinct failure, so that a rare one is not crowded out.
            if seen[kind] <= EXAMPLES_PER_FINDING and len(findings) < MAX_FINDINGS_KEPT:
                summary = f"{type(exc).__name__}: {str(exc)[:200]}"
                findings.append(asdict(Finding(index, "exception", summary, where)))
        else:
            counts["accepted"] += 1
        index += 1
    _report(out, index, counts, findings)


def _peak_rss_kb() -> int:
    """This process's own peak resident memory (VmHWM). Not ``ru_maxrss``: Linux keeps that
    across the spawn's exec, so a child of a big test process would report its parent's peak."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1])


def _report(out: Path, index: int, counts: dict[str, int], findings: list[dict[str, Any]]) -> None:
    peak_mb = _peak_rss_kb() / 1024
    state = {"current": index, "counts": counts, "findings": findings, "peak_rss_mb": peak_mb}
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(state))
    os.replace(tmp, out)


def _read_state(out: Path) -> dict[str, Any] | None:
    return json.loads(out.read_text()) if out.exists() else None


def fuzz(
    target: str,
    seconds: float,
    *,
    seed: int | None = None,
    workdir: Path,
    loader: Loader = load_target,
    hang_seconds: float = HANG_SECONDS,
) -> FuzzResult:
    """Fuzz ``target`` for about ``seconds``; after a crash or a hang, go on from the next
    input in a new child. ``loader`` (a module-level function: the child imports it) gives the
    seeds and the function under test."""
    seed = random.SystemRandom().randrange(2**32) if seed is None else seed
    result = FuzzResult(target, seed, seconds)
    context = multiprocessing.get_context("spawn")  # a clean interpreter, no inherited threads
    end = time.monotonic() + seconds
    start, run = 0, 0
    while time.monotonic() < end:
        out = workdir / f"{target}-{seed}-{run}.json"
        child = context.Process(target=_child, args=(target, seed, start, end, out, loader))
        child.start()
        watched, since = -1, time.monotonic()
        while child.is_alive():
            child.join(0.5)
            state = _read_state(out)
            current = state["current"] if state else -1
            if current != watched:
                watched, since = current, time.monotonic()
            elif current >= 0 and time.monotonic() - since > hang_seconds:
                child.kill()
                child.join()
                result.hangs += 1
                result.findings.append(Finding(current, "hang", f"over {hang_seconds:g} s"))
        state = _read_state(out)
        if state is None:  # died before its first input: nothing to go on with
            result.crashes += 1
            result.findings.append(Finding(start, "crash", f"exit code {child.exitcode}"))
            break
        for name in ("accepted", "rejected", "unexpected"):
            setattr(result, name, getattr(result, name) + state["counts"][name])
        result.findings.extend(Finding(**f) for f in state["findings"])
        result.peak_rss_mb = max(result.peak_rss_mb, state["peak_rss_mb"])
        if child.exitcode == 0:
            break
        if child.exitcode != -9 or not result.findings or result.findings[-1].kind != "hang":
            result.crashes += 1
            result.findings.append(Finding(state["current"], "crash", f"exit {child.exitcode}"))
        start, run = state["current"] + 1, run + 1
    result.inputs = result.accepted + result.rejected + result.unexpected
    result.inputs += result.crashes + result.hangs
    return result


def control_target_loader(target: str) -> tuple[list[Any], Callable[[Any], object]]:
    """For the runner's own test only: a "parser" that refuses, raises, aborts and hangs on
    cue, so the test can show that each outcome is counted."""
    from seesay.errors import InvalidRequest

    def parse(data: bytes) -> None:
        if data == b"boom":
            raise RuntimeError("an unexpected error")
        if data == b"crash":
            os.abort()
        if data == b"hang":
            time.sleep(3600)
        if data != b"fine":
            raise InvalidRequest("refused cleanly")

    return [b"fine", b"boom", b"crash", b"hang", b"x"], parse
