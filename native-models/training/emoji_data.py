"""Access to the built emoji dataset (see build_emoji_dataset.py)."""
import json
from pathlib import Path

import numpy as np
import torch

DATA = Path(__file__).resolve().parent.parent / ".data" / "emoji"
STYLES = ("twemoji", "noto")


class EmojiSplit:
    """images uint8 [N, 64, 64, 3]; metas: list of dicts with captions, subgroup_id, style..."""

    def __init__(self, split: str):
        images = DATA / f"images_{split}.npy"
        if not images.exists():
            raise SystemExit(f"{images} is missing: run /usr/bin/python3 native-models/build_emoji_dataset.py")
        self.images = torch.from_numpy(np.load(images))
        self.metas = json.loads((DATA / f"meta_{split}.json").read_text())

    def __len__(self) -> int:
        return len(self.metas)

    def pixels(self, index: torch.Tensor) -> torch.Tensor:
        """float32 [B, 3, 64, 64] in [-1, 1]."""
        return self.images[index].permute(0, 3, 1, 2).float() / 127.5 - 1.0

    def captions(self, index: torch.Tensor, generator: torch.Generator) -> list[str]:
        """One caption variant per image, drawn uniformly with the given generator."""
        out = []
        for i in index.tolist():
            variants = self.metas[i]["captions"]
            out.append(variants[int(torch.randint(len(variants), (1,), generator=generator))])
        return out

    def all_captions(self) -> list[str]:
        return [c for m in self.metas for c in m["captions"]]

    def labels(self) -> torch.Tensor:
        """int64 [N]: each image's subcategory id (index into subgroup_names())."""
        return torch.tensor([m["subgroup_id"] for m in self.metas])


def subgroup_names() -> list[str]:
    return json.loads((DATA / "subgroups.json").read_text())
