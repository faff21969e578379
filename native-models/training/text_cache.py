"""Cache of the frozen text encoder's last_hidden_state for every training caption (and "").

The DiT stages condition on a frozen text encoder, so its outputs are computed once (a minute)
instead of every step. Stored float16 [N, S, D] next to the text encoder's checkpoint, keyed by
its training step; `lookup(captions)` returns float32 [B, S, D].
"""
from pathlib import Path

import torch

from .emoji_data import EmojiSplit
from .text_model import tokenize


class TextCache:
    def __init__(self, states: torch.Tensor, captions: list[str]):
        self.states = states
        self.index = {c: i for i, c in enumerate(captions)}

    def lookup(self, captions: list[str]) -> torch.Tensor:
        return self.states[torch.tensor([self.index[c] for c in captions])].float()


@torch.no_grad()
def text_cache(text, bpe, text_step: int, cache_dir: Path, batch: int = 512) -> TextCache:
    path = cache_dir / "context_cache.pt"
    if path.exists():
        cached = torch.load(path)
        if cached["text_step"] == text_step:
            return TextCache(cached["states"], cached["captions"])
    text.eval()
    captions = sorted(set(EmojiSplit("train").all_captions()) | {""})
    parts = []
    for start in range(0, len(captions), batch):
        states, _ = text(tokenize(bpe, captions[start:start + batch]))
        parts.append(states.half())
    states = torch.cat(parts)
    torch.save({"text_step": text_step, "captions": captions, "states": states}, path)
    print(f"cached text states of {len(captions)} captions -> {path}", flush=True)
    return TextCache(states, captions)
