"""Stage: animate and VAE-encode the emoji-motion clip sets (training/motion_clips.py says how).

Run: /usr/bin/python3 native-models/build_motion_clips.py [--work-root DIR]
"""
import argparse
import time

import torch

from training import checkpoint
from training.base_pipeline import load_base
from training.motion_clips import clip_split


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--work-root", default=None)
    p.add_argument("--threads", type=int, default=2, help="convolutions run on torch's threads")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    base = load_base()
    out = checkpoint.stage_dir("motion_clips", args.work_root)
    for name in ("eval_emoji", "eval_pairs", "train"):
        t0 = time.time()
        data = clip_split(base, name, out)
        counts = {f: tuple(z.shape) for f, z in data["latents"].items()}
        print(f"{name}: {counts} in {time.time() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
