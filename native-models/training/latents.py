"""Encode a dataset split with a trained VAE, and derive the SD-style scaling factor.

Latent statistics are cached next to the VAE checkpoint, keyed by a hash of the VAE's weights
(not its step count, which a retrained VAE can share), so the DiT stages do not re-run the
encoder every time they start.
"""
from pathlib import Path

import torch

from studio_models.vae import VAE
from .checkpoint import weights_hash
from .emoji_data import EmojiSplit


@torch.no_grad()
def encode_split(vae: VAE, split: EmojiSplit, batch: int = 256) -> tuple[torch.Tensor, torch.Tensor]:
    """Returns (mean, logvar), each float32 [N, 4, 8, 8]."""
    vae.eval()
    means, logvars = [], []
    for start in range(0, len(split), batch):
        mean, logvar = vae.encode(split.pixels(torch.arange(start, min(start + batch, len(split)))))
        means.append(mean)
        logvars.append(logvar)
    return torch.cat(means), torch.cat(logvars)


def cached_latents(vae: VAE, split_name: str, cache_dir: Path) -> dict:
    """{"mean", "logvar": [N, 4, 8, 8], "scaling_factor": 1 / std(train means), "weights"}."""
    path = cache_dir / f"latents_{split_name}.pt"
    key = weights_hash(vae)
    if path.exists():
        cached = torch.load(path)
        if cached.get("weights") == key:
            return cached
    mean, logvar = encode_split(vae, EmojiSplit(split_name))
    result = {"mean": mean, "logvar": logvar, "weights": key,
              "scaling_factor": float(1.0 / mean.std())}
    torch.save(result, path)
    return result
