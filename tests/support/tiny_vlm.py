"""Tiny Florence-2 and SmolVLM (Idefics3) models built here from tiny configs with random
weights, in the exact layout ``transformers`` saves (config, safetensors, tokenizer, processor,
chat template), so the Hub stand-in can serve them as the real repositories.

They say nothing sensible: what a test may check is that the engine ran them and that they
said something. The generation config suppresses the special tokens (the end of sequence
included, for a few tokens) so a random model's first word is never "nothing".
Building one takes well under a second, once per process (``build`` caches).
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Any, Final

FLORENCE_REPO: Final = "florence-community/Florence-2-base"
FLORENCE_ID: Final = "vision:florence-2-base"
SMOLVLM_REPO: Final = "HuggingFaceTB/SmolVLM-256M-Instruct"
SMOLVLM_ID: Final = "vision:smolvlm-256m-instruct"

# SmolVLM's own template, cut to what one image and one question need.
CHAT_TEMPLATE: Final = (
    "<|im_start|>{% for message in messages %}{{message['role'] | capitalize}}"
    "{% if message['content'][0]['type'] == 'image' %}{{':'}}{% else %}{{': '}}{% endif %}"
    "{% for line in message['content'] %}{% if line['type'] == 'text' %}{{line['text']}}"
    "{% elif line['type'] == 'image' %}{{ '<image>' }}{% endif %}{% endfor %}"
    "<end_of_utterance>\n{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}"
)


def _byte_tokenizer(specials: list[str]) -> tuple[Any, dict[str, int]]:
    """A byte-level BPE tokenizer with no merges: every byte is a token."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    vocab = {token: i for i, token in enumerate(specials)}
    for char in bytes_to_unicode().values():
        vocab.setdefault(char, len(vocab))
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    return tok, vocab


def _talkative(model: Any, vocab: dict[str, int], specials: list[str], eos: str) -> None:
    model.generation_config.suppress_tokens = [vocab[t] for t in specials if t != eos]
    model.generation_config.min_new_tokens = 4


def build_florence(out: Path) -> Path:
    import torch
    import transformers

    torch.manual_seed(0)
    specials = ["<s>", "<pad>", "</s>", "<unk>", "<image>"]
    tok, vocab = _byte_tokenizer(specials)
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<s>",
        pad_token="<pad>",
        eos_token="</s>",
        unk_token="<unk>",
        extra_special_tokens={"image_token": "<image>"},
    )
    side = {"height": 16, "width": 16}  # 4x4 patches after the stride-4 stem, +1 = 17 tokens
    images = transformers.CLIPImageProcessor(size=side, crop_size=side, do_center_crop=False)
    images.image_seq_length = 17
    processor = transformers.Florence2Processor(image_processor=images, tokenizer=tokenizer)
    text = {
        "vocab_size": len(vocab),
        "d_model": 32,
        "encoder_layers": 1,
        "decoder_layers": 1,
        "encoder_attention_heads": 2,
        "decoder_attention_heads": 2,
        "encoder_ffn_dim": 32,
        "decoder_ffn_dim": 32,
        "max_position_embeddings": 512,
        "bos_token_id": 0,
        "pad_token_id": 1,
        "eos_token_id": 2,
        "decoder_start_token_id": 2,
        "forced_eos_token_id": 2,
    }
    vision = {
        "depths": [1],
        "patch_size": [7],
        "patch_stride": [4],
        "patch_padding": [3],
        "patch_prenorm": [False],
        "embed_dim": [32],
        "num_heads": [2],
        "num_groups": [2],
        "window_size": 4,
        "projection_dim": 32,
        "drop_path_rate": 0.0,
    }
    config = transformers.Florence2Config(
        text_config=text, vision_config=vision, image_token_id=vocab["<image>"]
    )
    model = transformers.Florence2ForConditionalGeneration(config)
    _talkative(model, vocab, specials, "</s>")
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out


def build_smolvlm(out: Path) -> Path:
    import torch
    import transformers

    torch.manual_seed(0)
    specials = [
        "<|endoftext|>",
        "<|im_start|>",
        "<end_of_utterance>",
        "<image>",
        "<fake_token_around_image>",
        "<global-img>",
    ]
    tok, vocab = _byte_tokenizer(specials)
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<|im_start|>",
        eos_token="<end_of_utterance>",
        pad_token="<|endoftext|>",
        unk_token="<|endoftext|>",
        extra_special_tokens={
            "image_token": "<image>",
            "fake_image_token": "<fake_token_around_image>",
            "global_image_token": "<global-img>",
            "end_of_utterance_token": "<end_of_utterance>",
        },
    )
    images = transformers.Idefics3ImageProcessor(
        do_image_splitting=False, size={"longest_edge": 32}, max_image_size={"longest_edge": 32}
    )
    processor = transformers.Idefics3Processor(
        image_processor=images, tokenizer=tokenizer, image_seq_len=4, chat_template=CHAT_TEMPLATE
    )
    text = {
        "vocab_size": len(vocab),
        "hidden_size": 32,
        "intermediate_size": 32,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "num_key_value_heads": 1,
        "max_position_embeddings": 512,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "pad_token_id": 0,
    }
    vision = {
        "hidden_size": 32,
        "intermediate_size": 32,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "image_size": 32,
        "patch_size": 8,
    }
    config = transformers.Idefics3Config(
        text_config=text, vision_config=vision, image_token_id=vocab["<image>"], scale_factor=2
    )
    model = transformers.Idefics3ForConditionalGeneration(config)
    _talkative(model, vocab, specials, "<end_of_utterance>")
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out


@functools.cache
def build(kind: str) -> dict[str, bytes]:
    """The files of a tiny ``florence`` or ``smolvlm`` model by path (built once)."""
    builder = {"florence": build_florence, "smolvlm": build_smolvlm}[kind]
    with tempfile.TemporaryDirectory() as tmp:
        folder = builder(Path(tmp) / kind)
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def serve(hub: Any, kind: str, repo: str | None = None) -> dict[str, bytes]:
    """Put the tiny ``kind`` model's files on the Hub stand-in ``hub`` under ``repo`` (by
    default the real repository of the catalogue entry)."""
    files = build(kind)
    repo = repo or {"florence": FLORENCE_REPO, "smolvlm": SMOLVLM_REPO}[kind]
    for path, data in files.items():
        hub.add(repo, path, data)
    return files
