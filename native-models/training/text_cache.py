"""Cache of the frozen text encoder's last_hidden_state for every training caption (and "").

The DiT stages condition on a frozen text encoder, so its outputs are computed once (a minute)
instead of every step. Stored float16 [N, S, D] next to the text encoder's checkpoint, keyed by
a hash of the encoder's weights (a retrained encoder with the same step count must not reuse
it); `lookup(captions)` returns float32 [B, S, D].
"""
from pathlib import Path

import torch

from .checkpoint import weights_hash
from .emoji_data import EmojiSplit
from .text_model import tokenize


class TextCache:
    def __init__(self, states: torch.Tensor, captions: list[str]):
        self.states = states
        self.index = {c: i for i, c in enumerate(captions)}

    def lookup(self, captions: list[str]) -> torch.Tensor:
        return self.states[torch.tensor([self.index[c] for c in captions])].float()


@torch.no_grad()
def text_cache(text, bpe, cache_dir: Path, batch: int = 512) -> TextCache:
    path = cache_dir / "context_cache.pt"
    key = weights_hash(text)
    if path.exists():
        cached = torch.load(path)
        if cached.get("weights") == key:
            return TextCache(cached["states"], cached["captions"])
    text.eval()
    captions = sorted(set(EmojiSplit("train").all_captions()) | {""})
    parts = []
    for start in range(0, len(captions), batch):
        states, _ = text(tokenize(bpe, captions[start:start + batch]))
        parts.append(states.half())
    states = torch.cat(parts)
    torch.save({"weights": key, "captions": captions, "states": states}, path)
    print(f"cached text states of {len(captions)} captions -> {path}", flush=True)
    return TextCache(states, captions)
