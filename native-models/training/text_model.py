"""Build the emoji text encoder and tokenizer from the tokenizer stage's output."""
import json
from pathlib import Path

import torch

from studio_models.clip_bpe import ClipBPE, read_merges
from studio_models.text_encoder import ClipTextEncoder, TextEncoderConfig

TEXT_D_MODEL = 128
TEXT_LAYERS = 4
TEXT_HEADS = 4


def load_tokenizer(tokenizer_dir: Path) -> ClipBPE:
    if not (tokenizer_dir / "merges.txt").exists():
        raise SystemExit(f"{tokenizer_dir}/merges.txt is missing: run train_tokenizer.py first")
    info = json.loads((tokenizer_dir / "tokenizer.json").read_text())
    return ClipBPE(read_merges(tokenizer_dir / "merges.txt"), info["model_max_length"])


def build_text_encoder(bpe: ClipBPE) -> ClipTextEncoder:
    return ClipTextEncoder(TextEncoderConfig(vocab_size=len(bpe.vocab), max_length=bpe.max_length,
                                             d_model=TEXT_D_MODEL, layers=TEXT_LAYERS, heads=TEXT_HEADS))


def tokenize(bpe: ClipBPE, captions: list[str]) -> torch.Tensor:
    """int64 [B, model_max_length], EOS-padded (captions are built to fit; see train_tokenizer.py)."""
    return torch.tensor([bpe.encode_padded(c) for c in captions], dtype=torch.long)
