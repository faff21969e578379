"""Write an evaluation folder's captions.jsonl and images/ from one dataset split.

Rows are {"caption": "<label>, <style>" (caption variant 1), "subcategory", "image":
"images/<n>.png"} in the given order, so any prefix is the sample the order makes it. Used by
export_all.py (the held-out eval set, shuffled with a fixed seed) and build_seen_eval_set.py
(a diagnostic set of training emoji).
"""
import json
from pathlib import Path

from PIL import Image

from .emoji_data import EmojiSplit


def write_caption_set(out_dir: Path, data: EmojiSplit, order: list[int]) -> list[dict]:
    """Writes out_dir/images/*.png and out_dir/captions.jsonl; returns the rows, each with the
    dataset index under "_index" (not written)."""
    (out_dir / "images").mkdir(parents=True, exist_ok=True)
    rows = []
    for n, i in enumerate(order):
        meta = data.metas[i]
        name = f"images/{n:03d}.png"
        Image.fromarray(data.images[i].numpy()).save(out_dir / name, optimize=True)
        rows.append({"caption": meta["captions"][1], "subcategory": meta["subgroup"], "image": name, "_index": i})
    (out_dir / "captions.jsonl").write_text(
        "".join(json.dumps({k: v for k, v in r.items() if not k.startswith("_")}, ensure_ascii=False) + "\n" for r in rows),
        encoding="utf-8")
    return rows
