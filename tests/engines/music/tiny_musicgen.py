"""Build a tiny, randomly initialised MusicGen (T5 text encoder, EnCodec codec, decoder) with
a word-level tokenizer, and save it the way ``save_pretrained`` saves a real checkpoint, so the
engine's real loading and generation code runs offline in a second. Its audio is noise-like
(random weights); the tests check shape, length, level and determinism, not musicality."""

from __future__ import annotations

from pathlib import Path

import torch
from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import (
    EncodecConfig,
    MusicgenConfig,
    MusicgenDecoderConfig,
    MusicgenForConditionalGeneration,
    PreTrainedTokenizerFast,
    T5Config,
)

WORDS = ["<pad>", "</s>", "<unk>", *"calm piano music rain drums upbeat jazz the a of with".split()]  # noqa: SIM905
SAMPLE_RATE = 16_000  # EnCodec hop 8*5*4 = 160: 100 codec frames a second, 2 codebooks


def build_tiny_musicgen(folder: Path) -> Path:
    tokenizer = Tokenizer(models.WordLevel({w: i for i, w in enumerate(WORDS)}, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, pad_token="<pad>", eos_token="</s>", unk_token="<unk>"
    ).save_pretrained(folder)
    text = T5Config(vocab_size=len(WORDS), d_model=16, d_kv=8, d_ff=32, num_layers=1,
                    num_heads=2, decoder_start_token_id=0, pad_token_id=0,
                    eos_token_id=1)  # fmt: skip
    codec = EncodecConfig(target_bandwidths=[1.0], sampling_rate=SAMPLE_RATE, audio_channels=1,
                          hidden_size=8, num_filters=4, num_residual_layers=1,
                          upsampling_ratios=[8, 5, 4], codebook_size=32, codebook_dim=8,
                          num_lstm_layers=1, compress=2)  # fmt: skip
    decoder = MusicgenDecoderConfig(vocab_size=32, hidden_size=16, num_hidden_layers=1,
                                    num_attention_heads=2, ffn_dim=32,
                                    num_codebooks=codec.num_quantizers,
                                    max_position_embeddings=1024, pad_token_id=32,
                                    bos_token_id=32, decoder_start_token_id=32)  # fmt: skip
    config = MusicgenConfig(
        text_encoder=text.to_dict(), audio_encoder=codec.to_dict(), decoder=decoder.to_dict()
    )
    torch.manual_seed(0)
    model = MusicgenForConditionalGeneration(config)
    # EnCodec's codebooks start as zeros (training fills them by k-means): give them random
    # vectors, or every code would decode to the same sound and seeds could not be told apart.
    with torch.no_grad():
        for layer in model.audio_encoder.quantizer.layers:
            layer.codebook.embed.normal_(0.0, 1.0)
    model.save_pretrained(folder)
    return folder
