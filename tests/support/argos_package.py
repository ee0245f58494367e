"""Tiny real Argos Translate packages and a loopback package index to pull them from.

``tiny_argos_package`` builds a real ``.argosmodel``: a SentencePiece model trained here on a
few sentences, a Marian model of a tiny config with random weights (``transformers``),
converted with CTranslate2's own converter, zipped in Argos's layout (one folder holding
``metadata.json``, ``sentencepiece.model`` and ``model/``). What it translates to is whatever
random weights say; what matters is that the whole path runs.

``argos_index`` serves ``/index.json`` (Argos's package index format) and the packages under
``/packages/`` on 127.0.0.1, with ``Range`` requests answered (resumed downloads). ``tamper``
serves other bytes for a package; ``requests`` records each (method, path).
"""

from __future__ import annotations

import io
import json
import threading
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

_SENTENCES = [
    "the cat sits on the mat",
    "a dog runs in the park",
    "el gato se sienta en la alfombra",
    "un perro corre en el parque",
    "le chat est assis sur le tapis",
    "hello world, this is a photo",
    "hola mundo, esta es una foto",
]


def tiny_argos_package(work: Path, source: str, target: str, seed: int = 0) -> bytes:
    """The bytes of a ``.argosmodel`` translating ``source`` -> ``target`` (random weights)."""
    import ctranslate2
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    work.mkdir(parents=True, exist_ok=True)
    proto = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_SENTENCES * 4),
        model_writer=proto,
        vocab_size=60,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    sp_bytes = proto.getvalue()
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    vocab["<pad>"] = len(vocab)
    hf = work / "hf"
    hf.mkdir(exist_ok=True)
    for name in ("source.spm", "target.spm"):
        (hf / name).write_bytes(sp_bytes)
    (hf / "vocab.json").write_text(json.dumps(vocab))
    torch.manual_seed(seed)
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        max_position_embeddings=1024,  # above what the engine reads or writes
        pad_token_id=vocab["<pad>"],
        eos_token_id=vocab["</s>"],
        decoder_start_token_id=vocab["<pad>"],
        forced_eos_token_id=vocab["</s>"],
    )
    MarianMTModel(config).save_pretrained(hf)
    ct2 = work / "ct2"
    with warnings.catch_warnings():  # "Recommended: pip install sacremoses" (unused here)
        warnings.simplefilter("ignore", UserWarning)
        MarianTokenizer(
            str(hf / "source.spm"), str(hf / "target.spm"), str(hf / "vocab.json")
        ).save_pretrained(hf)
        ctranslate2.converters.TransformersConverter(str(hf)).convert(str(ct2), force=True)
    top = f"translate-{source}_{target}-1_0"
    meta = {
        "package_version": "1.0",
        "argos_version": "1.0",
        "from_code": source,
        "to_code": target,
        "from_name": source,
        "to_name": target,
        "type": "translate",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{top}/metadata.json", json.dumps(meta))
        zf.writestr(f"{top}/sentencepiece.model", sp_bytes)
        for path in sorted(ct2.iterdir()):
            zf.write(path, f"{top}/model/{path.name}")
    return out.getvalue()


def argos_entry(source: str, target: str, **pin: Any) -> dict[str, Any]:
    """A catalogue entry for the pair (``pin``: size/sha256 of the package file)."""
    files = [{"path": f"translate-{source}_{target}.argosmodel", **pin}] if pin else []
    return {
        "id": f"argos:{source}-{target}",
        "task": "translate",
        "engine": "argos",
        "source": {
            "kind": "argos",
            "package": f"translate-{source}_{target}",
            "version": "1.0",
            "links": [],
            "files": files,
        },
        "size_bytes": None,
        "licence": "MIT",
        "languages": [source, target],
        "note": "a tiny random-weight test package",
    }


@dataclass
class IndexState:
    packages: dict[str, bytes] = field(default_factory=dict)  # "en_es" -> bytes
    tamper: dict[str, bytes] = field(default_factory=dict)
    # cut: drop the connection after N bytes of a package's first full GET, then answer 503
    # for it until ``heal()``; ranges: the Range headers of package requests.
    cut: dict[str, int] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)
    ranges: list[str | None] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    base: str = ""

    def add(self, source: str, target: str, data: bytes) -> None:
        self.packages[f"{source}_{target}"] = data

    def heal(self) -> None:
        self.broken.clear()

    def index(self) -> list[dict[str, Any]]:
        rows = []
        for key in sorted(self.packages):
            source, target = key.split("_")
            rows.append(
                {
                    "package_version": "1.0",
                    "argos_version": "1.0",
                    "from_code": source,
                    "to_code": target,
                    "type": "translate",
                    "links": [f"{self.base}/packages/translate-{key}-1_0.argosmodel"],
                }
            )
        return rows


class _Handler(BaseHTTPRequestHandler):
    state: IndexState

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.state.requests.append(("GET", self.path))
        if self.path == "/index.json":
            self._send(json.dumps(self.state.index()).encode(), "application/json")
            return
        key = self.path.removeprefix("/packages/translate-").removesuffix("-1_0.argosmodel")
        if key not in self.state.packages or key in self.state.broken:
            self.send_response(404 if key not in self.state.packages else 503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.state.ranges.append(self.headers.get("Range"))
        data = self.state.tamper.get(key, self.state.packages[key])
        cut = self.state.cut.pop(key, None) if not self.headers.get("Range") else None
        self._send(data, "application/zip", cut)
        if cut is not None:
            self.state.broken.add(key)
            self.close_connection = True

    def _send(self, data: bytes, kind: str, cut: int | None = None) -> None:
        rng = self.headers.get("Range")
        start = int(rng.removeprefix("bytes=").split("-")[0]) if rng else 0
        self.send_response(206 if start else 200)
        self.send_header("Content-Type", kind)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(len(data) - start))
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        self.wfile.write(data[start:] if cut is None else data[:cut])


@contextmanager
def argos_index() -> Iterator[tuple[str, IndexState]]:
    """(index URL, state) of a running loopback package index."""
    state = IndexState()
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{state.base}/index.json", state
    finally:
        server.shutdown()
        server.server_close()
