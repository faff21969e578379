"""Stage 1: learn the CLIP-format BPE tokenizer from the training captions.

Writes <work-root>/tokenizer/{vocab.json, merges.txt, tokenizer.json}; tokenizer.json records
model_max_length, chosen so every training caption fits (the studio refuses longer prompts
rather than truncating them). Takes seconds.
"""
import argparse
import json

from studio_models import clip_bpe
from studio_models.clip_bpe_train import train_merges
from training.checkpoint import stage_dir
from training.emoji_data import EmojiSplit

# 512 byte tokens + merges + 2 specials; an emoji caption vocabulary needs few thousand words.
DEFAULT_MERGES = 3582  # -> vocab 4096


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--merges", type=int, default=DEFAULT_MERGES)
    p.add_argument("--max-length", type=int, default=32, help="model_max_length (raised if a caption needs more)")
    p.add_argument("--work-root", default=None)
    args = p.parse_args()
    out = stage_dir("tokenizer", args.work_root)
    captions = EmojiSplit("train").all_captions()
    merges = train_merges(captions, args.merges, min_count=2)
    clip_bpe.write_files(out, merges)
    bpe = clip_bpe.ClipBPE(merges)
    longest = max(len(bpe.encode(c)) for c in captions)
    max_length = max(args.max_length, longest)
    (out / "tokenizer.json").write_text(json.dumps({"model_max_length": max_length, "merges": len(merges),
                                                    "vocab_size": len(bpe.vocab), "longest_caption": longest}) + "\n")
    print(f"{len(merges)} merges, vocab {len(bpe.vocab)}, longest caption {longest} tokens, "
          f"model_max_length {max_length} -> {out}")


if __name__ == "__main__":
    main()
