"""Neural translation with the Argos Translate pairs pulled by ``seesay models pull argos:...``.

Each pulled pair is an Argos package (unpacked under the model's folder): a CTranslate2 model
and its SentencePiece tokenizer, run here with ``ctranslate2`` and ``sentencepiece`` directly
(the ``argostranslate`` library would bring Stanza, whose sentence splitter downloads its own
models at run time). Sentences are split on their closing punctuation and translated as one
batch.

A pair that does not touch English is served through English when both halves are pulled
(es->fr as es->en, then en->fr), as Argos itself does. The pairs are surveyed again whenever a
model is pulled or removed (one stat per call), so a pulled pair serves without a restart; with
no pair pulled the engine lists none and ``pairs()`` says so (EngineUnavailable), so it is never
taken for an any-pair engine. Translators are loaded on first use of their pair.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from seesay.engines import languages
from seesay.engines.base import EngineInfo, Task, Translation
from seesay.engines.translate.settings import ArgosSettings
from seesay.errors import EngineError, EngineUnavailable, UnsupportedLanguage
from seesay.models.store import InstalledModel, ModelStore

if TYPE_CHECKING:
    import ctranslate2
    import sentencepiece

__all__ = ["ArgosEngine", "ArgosPair", "bcp47", "pulled_pairs"]

PIVOT: Final = "en"
# Argos's own codes that are not BCP-47: "pb" is Brazilian Portuguese, "zt" Chinese in
# traditional characters (its "zh" is simplified).
_ARGOS_CODES: Final = {"pb": "pt-BR", "zt": "zh-Hant"}


def bcp47(code: str) -> str:
    """The BCP-47 tag of an Argos language code (UnsupportedLanguage for an unknown one)."""
    return languages.normalize(_ARGOS_CODES.get(code, code))


# A sentence ends at . ! ? before a space, or at a full-width stop, which no space follows in
# Chinese or Japanese.
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])\s*")
# Languages written without spaces between sentences (or words).
_UNSPACED: Final = frozenset({"zh", "ja"})


class ArgosPair:
    """One pulled package: its languages (BCP-47), folder, and which installation of it this
    is (``InstalledModel.version``: a pair pulled again is a new one)."""

    def __init__(
        self,
        model_id: str,
        source: str,
        target: str,
        folder: Path,
        version: tuple[int, int] = (0, 0),
    ) -> None:
        self.model_id = model_id
        self.source = source
        self.target = target
        self.folder = folder
        self.version = version


def pulled_pairs(installed: Mapping[str, InstalledModel]) -> dict[tuple[str, str], ArgosPair]:
    """The Argos pairs among the ``installed`` models by (source, target) BCP-47 tags."""
    found: dict[tuple[str, str], ArgosPair] = {}
    for model in installed.values():
        if not model.id.startswith("argos:"):
            continue
        folder = model.path / "package"
        try:
            meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
            pair = (bcp47(str(meta["from_code"])), bcp47(str(meta["to_code"])))
        except (OSError, ValueError, KeyError, TypeError, UnsupportedLanguage):
            continue  # damaged, or a language SeeSay has no tag for: `verify` reports it
        found[pair] = ArgosPair(model.id, pair[0], pair[1], folder, model.version)
    return found


class _Loaded:
    def __init__(
        self, translator: ctranslate2.Translator, sp: sentencepiece.SentencePieceProcessor
    ):
        self.translator = translator
        self.sp = sp


class ArgosEngine:
    """The ``TranslateEngine`` over pulled Argos pairs; thread-safe (CTranslate2 serialises
    calls on its replicas; loading takes a lock)."""

    def __init__(
        self, settings: ArgosSettings, models: ModelStore | None, threads: int = 2
    ) -> None:
        self._settings = settings
        self._models = models
        self._threads = threads
        self._lock = threading.Lock()
        self._seen: Mapping[str, InstalledModel] = {}
        self._direct: dict[tuple[str, str], ArgosPair] = {}
        self._routes: dict[tuple[str, str], tuple[ArgosPair, ...]] = {}
        self._info = self._survey(self._installed())
        # By folder and installation: a pair pulled again (--force) is loaded again.
        self._loaded: dict[tuple[Path, tuple[int, int]], _Loaded] = {}

    def _installed(self) -> Mapping[str, InstalledModel]:
        return self._models.installed() if self._models is not None else {}

    def _survey(self, installed: Mapping[str, InstalledModel]) -> EngineInfo:
        self._seen = installed
        direct = pulled_pairs(installed)
        routes: dict[tuple[str, str], tuple[ArgosPair, ...]] = {k: (v,) for k, v in direct.items()}
        for (a, b), first in direct.items():
            if b != PIVOT:
                continue
            for (c, d), second in direct.items():
                if c == PIVOT and d != a and (a, d) not in routes:
                    routes[(a, d)] = (first, second)
        self._direct, self._routes = direct, routes
        tags = sorted({t for pair in routes for t in pair})
        self._info = EngineInfo(
            name=self._settings.name,
            task=Task.TRANSLATE,
            model="argos " + " ".join(sorted(p.model_id for p in direct.values())),
            licence="MIT (engine); each pair's own",
            local=True,
            languages=tuple(tags),
            description="Argos Translate pairs pulled with seesay models (CTranslate2), "
            "through English for pairs that do not touch it",
            extra={
                "pairs": sorted(f"{a}>{b}" for a, b in routes),
                "pivot": sorted(f"{a}>{b}" for a, b in routes if len(routes[(a, b)]) > 1),
            },
        )
        return self._info

    def _fresh(self) -> None:
        installed = self._installed()
        if installed is not self._seen:
            with self._lock:
                if installed is not self._seen:
                    self._survey(installed)
                    kept = {_key(p) for p in self._direct.values()}
                    self._loaded = {k: v for k, v in self._loaded.items() if k in kept}

    @property
    def info(self) -> EngineInfo:
        self._fresh()
        return self._info

    def pairs(self) -> frozenset[tuple[str, str]]:
        """The pulled pairs and those reached through English; EngineUnavailable when none is
        pulled (an empty set would mean "any pair")."""
        self._fresh()
        if not self._routes:
            raise EngineUnavailable(
                "no Argos pair is installed: seesay models pull argos:en-es (for example)"
            )
        return frozenset(self._routes)

    def load(self) -> None:
        try:
            import ctranslate2  # noqa: F401
            import sentencepiece  # noqa: F401
        except ImportError as exc:
            raise EngineUnavailable(
                "the argos engine needs ctranslate2 and sentencepiece: install seesay[translate]"
            ) from exc

    def unload(self) -> None:
        with self._lock:
            self._loaded = {}

    def _open(self, pair: ArgosPair) -> _Loaded:
        loaded = self._loaded.get(_key(pair))
        if loaded is not None:
            return loaded
        with self._lock:
            loaded = self._loaded.get(_key(pair))
            if loaded is None:
                import ctranslate2
                import sentencepiece

                try:
                    translator = ctranslate2.Translator(
                        str(pair.folder / "model"),
                        device="cpu",
                        compute_type=self._settings.compute_type,
                        inter_threads=1,
                        intra_threads=self._threads,
                    )
                    sp = sentencepiece.SentencePieceProcessor(
                        model_file=str(pair.folder / "sentencepiece.model")
                    )
                except (RuntimeError, ValueError, OSError) as exc:
                    raise EngineUnavailable(
                        f"could not load {pair.model_id}: {exc} (seesay models verify)"
                    ) from exc
                loaded = _Loaded(translator, sp)
                self._loaded = {**self._loaded, _key(pair): loaded}
        return loaded

    def _route(self, source: str, target: str) -> tuple[ArgosPair, ...]:
        # A direct pair before a pivot through English.
        route = languages.best_pair(source, target, self._routes, lambda r: int(len(r) == 1))
        if route is None:
            raise UnsupportedLanguage(
                f"no pulled Argos pair translates {source!r} to {target!r}",
                param="language",
                details={"supported": sorted(f"{a}>{b}" for a, b in self._routes)},
            )
        return route

    def _run(self, pair: ArgosPair, text: str) -> str:
        model = self._open(pair)
        out_lines = []
        for line in text.split("\n"):
            sentences = [s for s in _SENTENCE_END.split(line.strip()) if s]
            if not sentences:
                out_lines.append("")
                continue
            tokens: list[Any] = model.sp.encode(sentences, out_type=str)
            try:
                results = model.translator.translate_batch(
                    tokens,
                    beam_size=self._settings.beam_size,
                    max_decoding_length=self._settings.max_decoding_length,
                    max_input_length=self._settings.max_input_length,
                    replace_unknowns=True,
                )
            except (RuntimeError, ValueError) as exc:
                raise EngineError(f"{pair.model_id} failed: {exc}") from exc
            said = [model.sp.decode(r.hypotheses[0]) for r in results]
            joiner = "" if languages.primary(pair.target) in _UNSPACED else " "
            out_lines.append(joiner.join(s.strip() for s in said))
        return "\n".join(out_lines)

    def translate(self, text: str, source: str, target: str) -> Translation:
        """Translate with the pulled pair for (source, target), through English if need be."""
        self._fresh()
        route = self._route(source, target)
        out = text
        for pair in route:
            out = self._run(pair, out)
        return Translation(
            text=out,
            source=languages.normalize(source),
            target=languages.normalize(target),
            engine=self._settings.name,
        )


def _key(pair: ArgosPair) -> tuple[Path, tuple[int, int]]:
    return (pair.folder, pair.version)
