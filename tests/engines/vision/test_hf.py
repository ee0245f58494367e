"""The in-process Hugging Face engine on a tiny random model the test builds (no downloads)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")

from seesay.engines.base import EngineContext, VisionEngine  # noqa: E402
from seesay.engines.vision import build  # noqa: E402
from seesay.engines.vision.hf import HfVisionEngine  # noqa: E402
from seesay.engines.vision.settings import HfVisionSettings, VisionSettings  # noqa: E402
from seesay.errors import EngineUnavailable, UnsupportedLanguage  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tiny_captioner(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised ViT + GPT-2 VisionEncoderDecoderModel with a BPE tokenizer
    trained here on a few words, saved like a real model folder."""
    folder = tmp_path_factory.mktemp("tiny-captioner")
    bpe = tokenizers.Tokenizer(tokenizers.models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = tokenizers.pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = tokenizers.decoders.ByteLevel()
    trainer = tokenizers.trainers.BpeTrainer(
        vocab_size=300, special_tokens=["<pad>", "<s>", "</s>", "<unk>"], show_progress=False
    )
    corpus = ["a cat on a sofa", "a red square", "two people in a park", "a cup of coffee"] * 20
    bpe.train_from_iterator(corpus, trainer)
    tok = transformers.PreTrainedTokenizerFast(
        tokenizer_object=bpe,
        bos_token="<s>",
        eos_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
    )
    tok.save_pretrained(folder)
    encoder = transformers.ViTConfig(
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        image_size=32,
        patch_size=16,
    )
    decoder = transformers.GPT2Config(
        n_embd=16,
        n_layer=1,
        n_head=2,
        n_positions=64,
        vocab_size=len(tok),
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        add_cross_attention=True,
        is_decoder=True,
    )
    config = transformers.VisionEncoderDecoderConfig.from_encoder_decoder_configs(encoder, decoder)
    config.decoder_start_token_id = tok.bos_token_id
    config.pad_token_id = tok.pad_token_id
    config.eos_token_id = tok.eos_token_id
    torch.manual_seed(0)
    model = transformers.VisionEncoderDecoderModel(config=config)
    model.save_pretrained(folder)
    transformers.ViTImageProcessor(size={"height": 32, "width": 32}).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def engine(tiny_captioner: Path, tmp_path_factory: pytest.TempPathFactory) -> HfVisionEngine:
    settings = VisionSettings(
        engines=["hf"], hf=HfVisionSettings(model_path=str(tiny_captioner), max_new_tokens=12)
    )
    (built,) = build(settings, EngineContext(cache_dir=tmp_path_factory.mktemp("c")))
    assert isinstance(built, HfVisionEngine)
    built.load()
    return built


def test_real_loading_and_generation_on_a_tiny_model(engine: HfVisionEngine) -> None:
    assert isinstance(engine, VisionEngine)
    image = Image.new("RGB", (80, 60), (200, 20, 20))
    result = engine.describe(image, "detailed", None, "en")
    assert isinstance(result.text, str)
    assert result.findings["max_new_tokens"] == 12
    assert result.engine == "hf-vision"
    # Greedy decoding is deterministic: the same image gives the same words.
    assert engine.describe(image, "detailed", None, "en").text == result.text
    brief = engine.describe(image, "brief", None, "en")
    assert brief.findings["max_new_tokens"] < 12


def test_unsupported_language_and_missing_model(tmp_path: Path, engine: HfVisionEngine) -> None:
    with pytest.raises(UnsupportedLanguage):
        engine.describe(Image.new("RGB", (8, 8)), "brief", None, "fr")
    missing = HfVisionEngine(
        HfVisionSettings(model_path=str(tmp_path / "nope")), EngineContext(cache_dir=tmp_path)
    )
    with pytest.raises(EngineUnavailable):
        missing.load()
    with pytest.raises(EngineUnavailable, match="model_path"):
        HfVisionEngine(HfVisionSettings(), EngineContext(cache_dir=tmp_path)).load()
