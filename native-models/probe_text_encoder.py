"""Diagnostic: how much of a prompt's subcategory can be read from its TEXT alone?

Prompt accuracy on held-out emoji needs the denoiser to turn words it knows into the right
kind of picture. This bounds that from the text side, with two linear classifiers trained on
every training caption variant -> subcategory and tested on the eval captions and on the
labelled everyday prompts (eval/everyday-prompts.tsv: all, and those about held-out emoji):
  bag of words   one-hot words of the caption (what the words themselves carry)
  text encoder   the frozen encoder's pooled and mean states (what reaches the DiT): the
                 training checkpoint when there is one, else the shipped `emoji` pipeline's
                 text encoder read back from its ONNX file
If the encoder scores well below the bag of words, the text encoder loses information the
denoiser would need; both are upper-bound-like references, not what the images achieve.
Prints JSON. /usr/bin/python3 native-models/probe_text_encoder.py [--encoder-only]
"""
import argparse
import csv
import json
import re
from pathlib import Path

import torch
import torch.nn.functional as F

from training import checkpoint
from training.accuracy import topk_accuracy
from training.emoji_data import EmojiSplit, subgroup_names
from training.text_model import build_text_encoder, load_tokenizer, tokenize


def linear_probe(x: torch.Tensor, y: torch.Tensor, tests: dict[str, tuple[torch.Tensor, torch.Tensor]], classes: int,
                 standardise: bool) -> dict:
    """Full-batch Adam (features standardised first if asked); returns top-1/top-5 on each test set.
    One-hot words stay 0/1: standardising them inflates rare words and cost 10 points of top-5."""
    torch.manual_seed(0)
    mean, std = (x.mean(0), x.std(0) + 1e-5) if standardise else (0.0, 1.0)
    layer = torch.nn.Linear(x.shape[1], classes)
    opt = torch.optim.Adam(layer.parameters(), lr=1e-2, weight_decay=1e-5)
    for _ in range(300):
        loss = F.cross_entropy(layer((x - mean) / std), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return {name: topk_accuracy(layer((x_test - mean) / std), y_test) for name, (x_test, y_test) in tests.items()}


def everyday_prompts(path: Path, subgroups: list[str]) -> tuple[list[str], torch.Tensor, list[bool]]:
    """The labelled everyday prompts: texts, subgroup ids, and whether each is about a held-out emoji."""
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return ([r["prompt"] for r in rows], torch.tensor([subgroups.index(r["subgroup"]) for r in rows]),
            [r["held_out"] == "1" for r in rows])


def frozen_encoder(work_root):
    """(text encoder, tokenizer, where it came from): the training checkpoint, else the shipped ONNX."""
    ckpt = checkpoint.stage_dir("text_encoder", work_root) / "ckpt.pt"
    if ckpt.exists():
        bpe = load_tokenizer(checkpoint.stage_dir("tokenizer", work_root))
        text = build_text_encoder(bpe)
        step = checkpoint.load_modules(ckpt, {"text_encoder": text})
        return text.eval(), bpe, f"training checkpoint, step {step}"
    from training.base_pipeline import load_base
    base = load_base(check=False)
    return base.text, base.bpe, f"shipped pipeline {base.folder.name} (ONNX)"


@torch.no_grad()
def encoder_features(text, bpe, captions: list[str]) -> torch.Tensor:
    """[N, 2d]: pooled (EOS) state and the mean over tokens of last_hidden_state."""
    parts = []
    for start in range(0, len(captions), 512):
        states, pooled = text(tokenize(bpe, captions[start:start + 512]))
        parts.append(torch.cat([pooled, states.mean(1)], dim=1))
    return torch.cat(parts)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--work-root", default=None)
    p.add_argument("--encoder-only", action="store_true",
                   help="skip the bag-of-words probe: full-batch over every caption variant and word, it is the slow half")
    p.add_argument("--everyday", type=Path, default=Path(__file__).resolve().parent / "eval" / "everyday-prompts.tsv")
    args = p.parse_args()
    train, test = EmojiSplit("train"), EmojiSplit("eval")
    captions = [c for m in train.metas for c in m["captions"]]
    y = torch.tensor([m["subgroup_id"] for m in train.metas for _ in m["captions"]])
    test_captions = [m["captions"][1] for m in test.metas]
    everyday, y_everyday, held_out = everyday_prompts(args.everyday, subgroup_names())
    held = torch.tensor(held_out)
    classes = int(max(y.max(), test.labels().max(), y_everyday.max())) + 1

    words = lambda s: re.findall(r"[a-z]+", s.lower())
    vocab = {w: i for i, w in enumerate(sorted({w for c in captions for w in words(c)}))}

    def bag(c: str) -> torch.Tensor:
        v = torch.zeros(len(vocab))
        for w in words(c):
            if w in vocab:
                v[vocab[w]] = 1.0
        return v

    def tests(features) -> dict:
        e = features(everyday)
        return {"eval_captions": (features(test_captions), test.labels()), "everyday": (e, y_everyday),
                "everyday_held_out": (e[held], y_everyday[held])}

    text, bpe, source = frozen_encoder(args.work_root)
    report = {"prompts": {"eval_captions": len(test_captions), "everyday": len(everyday), "everyday_held_out": int(held.sum())}}
    if not args.encoder_only:
        report["bag_of_words"] = linear_probe(torch.stack([bag(c) for c in captions]), y,
                                              tests(lambda cs: torch.stack([bag(c) for c in cs])), classes, standardise=False)
    report |= {
        "text_encoder": linear_probe(encoder_features(text, bpe, captions), y,
                                     tests(lambda cs: encoder_features(text, bpe, cs)), classes, standardise=True),
        "text_encoder_source": source,
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
