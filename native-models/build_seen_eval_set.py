"""Diagnostic: an evaluation folder of TRAINING emoji, for `studio eval --eval-dir`.

The shipped evaluation set (native-models/eval) holds out whole emoji: every caption names an
emoji the models never saw, in any style or skin tone. Scoring the same models on emoji they
were trained on separates two causes of low prompt accuracy: fitting (the model cannot draw
what it was taught) and generalisation (it cannot draw a new name from words it knows).

Writes <work-root>/eval_seen/: 362 training images drawn with a fixed seed, their
"<label>, <style>" captions (the form of the eval captions), and the shipped classifier and
keyword files. The classifier was trained on these images, so its own accuracy on them is
optimistic; compare the generated images' accuracy with the eval set's, not with that line.
  /usr/bin/python3 native-models/build_seen_eval_set.py
  studio eval --model emoji --eval-dir native-models/.work/eval_seen --json FILE
"""
import argparse
import random
import shutil
from pathlib import Path

from training import checkpoint
from training.emoji_data import EmojiSplit
from training.eval_set import write_caption_set

HERE = Path(__file__).resolve().parent
SHIPPED_EVAL = HERE / "eval"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=362, help="images (default: as many as the shipped eval set)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--work-root", type=Path, default=None)
    args = p.parse_args()
    for part in ("classifier/model.onnx", "classifier/classes.json", "subcategory-keywords.json"):
        if not (SHIPPED_EVAL / part).exists():
            raise SystemExit(f"{SHIPPED_EVAL / part} is missing: run `npm run models:train` first")
    data = EmojiSplit("train")
    out = checkpoint.stage_dir("eval_seen", args.work_root)
    shutil.rmtree(out / "images", ignore_errors=True)
    shutil.copytree(SHIPPED_EVAL / "classifier", out / "classifier", dirs_exist_ok=True)
    shutil.copy(SHIPPED_EVAL / "subcategory-keywords.json", out)
    picked = random.Random(args.seed).sample(range(len(data)), min(args.n, len(data)))
    rows = write_caption_set(out, data, picked)
    print(f"{len(rows)} training emoji -> {out}")


if __name__ == "__main__":
    main()
