"""Build a tiny, randomly initialised SpeechT5 text-to-speech model with its character
tokenizer (a SentencePiece model trained here), a tiny HiFi-GAN vocoder and a tiny WavLM
x-vector speaker encoder, saved as ``save_pretrained`` saves real checkpoints, so the neural
cloner's real loading and generation code runs offline in seconds."""

from __future__ import annotations

from pathlib import Path

import sentencepiece as spm
import torch
from transformers import (
    SpeechT5Config,
    SpeechT5FeatureExtractor,
    SpeechT5ForTextToSpeech,
    SpeechT5HifiGan,
    SpeechT5HifiGanConfig,
    SpeechT5Processor,
    SpeechT5Tokenizer,
    Wav2Vec2FeatureExtractor,
    WavLMConfig,
    WavLMForXVector,
)

EMBEDDING_DIM = 32
SAMPLE_RATE = 16_000
_TEXT = [
    "hello world this is a test of the tiny speech model",
    "the quick brown fox jumps over the lazy dog",
    "she sells sea shells by the sea shore",
] * 10


def build_tiny_speecht5(folder: Path) -> dict[str, Path]:
    """Write ``tts/``, ``vocoder/`` and ``xvector/`` under ``folder``; return their paths."""
    paths = {name: folder / name for name in ("tts", "vocoder", "xvector")}
    for path in paths.values():
        path.mkdir(parents=True, exist_ok=True)
    prefix = folder / "spm_char"
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_TEXT), model_prefix=str(prefix), vocab_size=30,
        model_type="char", character_coverage=1.0, bos_id=0, pad_id=1, eos_id=2, unk_id=3,
        minloglevel=2,
    )  # fmt: skip
    tokenizer = SpeechT5Tokenizer(vocab_file=str(prefix) + ".model")
    SpeechT5Processor(
        feature_extractor=SpeechT5FeatureExtractor(), tokenizer=tokenizer
    ).save_pretrained(paths["tts"])
    torch.manual_seed(0)
    config = SpeechT5Config(
        vocab_size=len(tokenizer), hidden_size=16, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32,
        decoder_ffn_dim=32, speech_decoder_prenet_units=16, speech_decoder_postnet_units=16,
        speech_decoder_postnet_layers=2, speaker_embedding_dim=EMBEDDING_DIM, num_mel_bins=80,
        reduction_factor=2, max_text_positions=300, max_speech_positions=800,
    )  # fmt: skip
    model = SpeechT5ForTextToSpeech(config)
    # A random stop head would end speech after a frame or two: bias it toward "go on", so
    # generation runs to the engine's frame cap and the vocoder has frames to work on.
    with torch.no_grad():
        model.speech_decoder_postnet.prob_out.bias.fill_(-8.0)
    model.save_pretrained(paths["tts"])
    SpeechT5HifiGan(
        SpeechT5HifiGanConfig(
            model_in_dim=80,
            upsample_initial_channel=16,
            upsample_rates=[4, 4, 4, 4],
            upsample_kernel_sizes=[8, 8, 8, 8],
            resblock_kernel_sizes=[3],
            resblock_dilation_sizes=[[1, 3]],
            sampling_rate=SAMPLE_RATE,
        )
    ).save_pretrained(paths["vocoder"])
    WavLMForXVector(
        WavLMConfig(
            hidden_size=16,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=32,
            conv_dim=(16, 16),
            conv_stride=(5, 4),
            conv_kernel=(10, 8),
            num_conv_pos_embeddings=16,
            num_conv_pos_embedding_groups=2,
            tdnn_dim=(16, 16),
            tdnn_kernel=(3, 1),
            tdnn_dilation=(1, 1),
            xvector_output_dim=EMBEDDING_DIM,
            num_buckets=32,
            max_bucket_distance=64,
        )
    ).save_pretrained(paths["xvector"])
    Wav2Vec2FeatureExtractor(feature_size=1, sampling_rate=SAMPLE_RATE).save_pretrained(
        paths["xvector"]
    )
    return paths
