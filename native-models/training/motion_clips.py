"""The emoji-motion clip set: each still emoji animated by procedural motions, VAE-encoded once.

Splits (deterministic):
  train        one in three training-split emoji images, one clip each, 16 and 8 frames in turn,
               with a motion drawn from the pairs not held out (the VAE encodes ~50 frames/s on
               one core, so the set is sized to encode in about 10 minutes);
  eval_emoji   every evaluation-split emoji image (never seen by the image model either) with one
               motion each, cycling through the motions: held-out emoji;
  eval_pairs   training emoji in emoji x motion pairs that training never shows: held-out pairs.
A pair is held out when sha256("<hexcode>:<motion>") % 10 == 0 (about 10% of pairs).
Latents are the VAE posterior means times the scaling factor, float16 [N, 4, F, 8, 8], cached
under <work-root>/motion_clips/ with the caption parts (emoji caption variants, motion id).
"""
import hashlib
from pathlib import Path

import numpy as np
import torch

from .emoji_data import EmojiSplit
from .motions import MOTIONS, animate

HOLD_OUT_MODULUS = 10


def held_out_pair(hexcode: str, motion: int) -> bool:
    key = f"{hexcode}:{MOTIONS[motion][0]}".encode()
    return int(hashlib.sha256(key).hexdigest(), 16) % HOLD_OUT_MODULUS == 0


def plan(split: EmojiSplit, name: str, rng: np.random.Generator) -> list[tuple[int, int, int]]:
    """[(image index, motion id, frames)] of one clip split."""
    n_motions = len(MOTIONS)
    items = []
    for i, meta in enumerate(split.metas):
        allowed = [m for m in range(n_motions) if not held_out_pair(meta["hexcode"], m)]
        banned = [m for m in range(n_motions) if held_out_pair(meta["hexcode"], m)]
        if name == "train" and i % 3 == 0:
            items.append((i, int(rng.choice(allowed)), 16 if i % 2 == 0 else 8))
        elif name == "eval_emoji":
            items.append((i, i % n_motions, 16))
        elif name == "eval_pairs" and banned and i % 12 == 0:
            items.append((i, int(banned[0]), 16))
    return items


@torch.no_grad()
def encode_clips(vae, split: EmojiSplit, items, scaling_factor: float, batch_frames: int = 512) -> dict:
    """{frames: {F: float16 [N_F, 4, F, 8, 8]}, items: {F: [(image, motion)]}}."""
    by_frames: dict[int, list] = {}
    for image, motion, frames in items:
        by_frames.setdefault(frames, []).append((image, motion))
    latents = {}
    for frames, group in by_frames.items():
        per_batch = max(1, batch_frames // frames)
        parts = []
        for start in range(0, len(group), per_batch):
            chunk = group[start:start + per_batch]
            pixels = split.pixels(torch.tensor([i for i, _ in chunk]))
            clips = torch.cat([animate(pixels[k], MOTIONS[m][0], frames) for k, (_, m) in enumerate(chunk)])
            mean, _ = vae.encode(clips)                                       # [n*F, 4, 8, 8]
            z = (mean * scaling_factor).reshape(len(chunk), frames, 4, 8, 8).transpose(1, 2)
            parts.append(z.half())
            if start // per_batch % 20 == 0:
                print(f"  {frames}-frame clips: {start + len(chunk)}/{len(group)}", flush=True)
        latents[frames] = torch.cat(parts)
    return {"latents": latents, "items": by_frames}


def clip_split(base, name: str, cache_dir: Path) -> dict:
    """Cached encoded clips of one split, with metas: {latents, items, metas}."""
    path = cache_dir / f"clips_{name}.pt"
    if path.exists():
        return torch.load(path)
    split = EmojiSplit("eval" if name == "eval_emoji" else "train")
    items = plan(split, name, np.random.default_rng(11))
    print(f"encoding {len(items)} {name} clips", flush=True)
    data = encode_clips(base.vae, split, items, base.scaling_factor)
    data["metas"] = {f: [split.metas[i] for i, _ in group] for f, group in data["items"].items()}
    tmp = path.with_suffix(".tmp")
    torch.save(data, tmp)
    tmp.replace(path)
    return data


def motion_names() -> list[dict]:
    return [{"key": k, "phrases": p} for k, p in MOTIONS]

