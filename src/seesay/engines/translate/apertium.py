"""Rule-based translation with the Debian ``apertium`` command and its installed pairs.

SeeSay does not install Apertium; where an operator did (``apt install apertium
apertium-eng-spa``...), the installed modes are found by ``apertium -l`` and offered as
BCP-47 pairs ("eng-spa" -> en>es, "spa-eng_US" -> es>en-US). Each translation runs the
command as a subprocess with the text on stdin (no shell), in Apertium's ``txt`` format
(which escapes the stream's special characters in the input), with ``-u`` so unknown words
are not starred; the ``#`` and ``@`` markers of generation and transfer gaps are removed too,
so callers get plain text. Quality is modest (see MODELS.md), so list it after neural engines.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading

from seesay.engines import languages
from seesay.engines.base import EngineInfo, Task, Translation
from seesay.engines.translate.settings import ApertiumSettings
from seesay.errors import EngineError, EngineTimeout, EngineUnavailable, UnsupportedLanguage

__all__ = ["ApertiumEngine", "parse_modes", "strip_markers"]

_MARKER = re.compile(r"(?<![\w*#@])[*#@](?=\w)")


def strip_markers(text: str) -> str:
    """Remove Apertium's word markers: ``*unknown``, ``#ungenerated``, ``@untransferred``."""
    return _MARKER.sub("", text)


def parse_modes(listing: str) -> dict[tuple[str, str], str]:
    """Map ``apertium -l`` output to {(source, target) BCP-47: mode}; skips non-pair modes."""
    out: dict[tuple[str, str], str] = {}
    for mode in listing.split():
        parts = mode.split("-")
        if len(parts) != 2:
            continue  # debugging modes such as eng-spa-morph
        try:
            pair = (languages.normalize(parts[0]), languages.normalize(parts[1]))
        except UnsupportedLanguage:
            continue
        out.setdefault(pair, mode)
    return out


class ApertiumEngine:
    """The ``TranslateEngine`` over the apertium command; thread-safe (a process per call)."""

    def __init__(self, settings: ApertiumSettings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._modes: dict[tuple[str, str], str] | None = None
        self._info: EngineInfo | None = None

    def installed(self) -> dict[tuple[str, str], str]:
        """The offered pairs and their modes; detected once (empty if apertium is missing)."""
        if self._modes is None:
            with self._lock:
                if self._modes is None:
                    self._modes = self._detect()
        return self._modes

    def _detect(self) -> dict[tuple[str, str], str]:
        binary = shutil.which(self._settings.binary)
        if binary is None:
            return {}
        try:
            listing = subprocess.run(  # noqa: S603 - fixed argv, no shell
                [binary, "-l"], capture_output=True, text=True, timeout=10, check=True
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return {}
        modes = parse_modes(listing)
        wanted = set(self._settings.pairs)
        return {pair: mode for pair, mode in modes.items() if not wanted or mode in wanted}

    @property
    def info(self) -> EngineInfo:
        if self._info is None:
            pairs = self.installed()
            tags = sorted({tag for pair in pairs for tag in pair})
            self._info = EngineInfo(
                name=self._settings.name,
                task=Task.TRANSLATE,
                model="apertium " + " ".join(sorted(pairs.values())),
                licence="GPL-2.0",
                local=True,
                languages=tuple(tags),
                description="Rule-based translation with the installed Apertium pairs",
                extra={"pairs": sorted(f"{a}>{b}" for a, b in pairs)},
            )
        return self._info

    def pairs(self) -> frozenset[tuple[str, str]]:
        return frozenset(self.installed())

    def load(self) -> None:
        if not self.installed():
            raise EngineUnavailable(
                "the apertium engine needs the apertium command and at least one pair: "
                "install the Debian packages, e.g. apt install apertium apertium-eng-spa"
            )

    def unload(self) -> None:
        """Nothing stays in memory between calls."""

    def _mode(self, source: str, target: str) -> str:
        mode = languages.best_pair(source, target, self.installed())
        if mode is None:
            raise UnsupportedLanguage(
                f"apertium does not translate {source!r} to {target!r}",
                param="language",
                details={"supported": sorted(f"{a}>{b}" for a, b in self.installed())},
            )
        return mode

    def translate(self, text: str, source: str, target: str) -> Translation:
        """Run the installed pair for (source, target) on ``text``."""
        mode = self._mode(source, target)
        binary = shutil.which(self._settings.binary)
        if binary is None:
            raise EngineUnavailable("the apertium command is no longer installed")
        try:
            done = subprocess.run(  # noqa: S603 - fixed argv, text on stdin, no shell
                [binary, "-u", "-f", "txt", mode],
                input=text,
                capture_output=True,
                text=True,
                timeout=self._settings.timeout,
            )
        except subprocess.TimeoutExpired as exc:
            raise EngineTimeout(f"apertium took longer than {self._settings.timeout:g} s") from exc
        except OSError as exc:
            raise EngineError("apertium could not be started") from exc
        if done.returncode != 0:
            raise EngineError(f"apertium failed (exit status {done.returncode})")
        out = strip_markers(done.stdout)
        # Apertium adds no trailing newline of its own; keep the input's ending.
        if not text.endswith("\n"):
            out = out.rstrip("\n")
        return Translation(
            text=out,
            source=languages.normalize(source),
            target=languages.normalize(target),
            engine=self._settings.name,
        )
