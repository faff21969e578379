"""Diagnostic: how much of an eval caption's subcategory can be read from its TEXT alone?

Prompt accuracy on held-out emoji needs the denoiser to turn words it knows into the right
kind of picture. This bounds that from the text side, with two linear classifiers trained on
every training caption variant -> subcategory and tested on the eval captions:
  bag of words   one-hot words of the caption (what the words themselves carry)
  text encoder   the frozen bundled encoder's pooled and mean states (what reaches the DiT)
If the encoder scores well below the bag of words, the text encoder loses information the
denoiser would need; both are upper-bound-like references, not what the images achieve.
Prints JSON. /usr/bin/python3 native-models/probe_text_encoder.py
"""
import argparse
import json
import re

import torch
import torch.nn.functional as F

from training import checkpoint
from training.accuracy import topk_accuracy
from training.emoji_data import EmojiSplit
from training.text_model import build_text_encoder, load_tokenizer, tokenize


def linear_probe(x: torch.Tensor, y: torch.Tensor, x_test: torch.Tensor, y_test: torch.Tensor, classes: int,
                 standardise: bool) -> dict:
    """Full-batch Adam (features standardised first if asked); returns top-1/top-5 on the test rows.
    One-hot words stay 0/1: standardising them inflates rare words and cost 10 points of top-5."""
    torch.manual_seed(0)
    if standardise:
        mean, std = x.mean(0), x.std(0) + 1e-5
        x, x_test = (x - mean) / std, (x_test - mean) / std
    layer = torch.nn.Linear(x.shape[1], classes)
    opt = torch.optim.Adam(layer.parameters(), lr=1e-2, weight_decay=1e-5)
    for _ in range(300):
        loss = F.cross_entropy(layer(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return topk_accuracy(layer(x_test), y_test)


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
    args = p.parse_args()
    train, test = EmojiSplit("train"), EmojiSplit("eval")
    captions = [c for m in train.metas for c in m["captions"]]
    y = torch.tensor([m["subgroup_id"] for m in train.metas for _ in m["captions"]])
    test_captions = [m["captions"][1] for m in test.metas]
    y_test = test.labels()
    classes = int(max(y.max(), y_test.max())) + 1

    words = lambda s: re.findall(r"[a-z]+", s.lower())
    vocab = {w: i for i, w in enumerate(sorted({w for c in captions for w in words(c)}))}

    def bag(c: str) -> torch.Tensor:
        v = torch.zeros(len(vocab))
        for w in words(c):
            if w in vocab:
                v[vocab[w]] = 1.0
        return v

    bpe = load_tokenizer(checkpoint.stage_dir("tokenizer", args.work_root))
    text = build_text_encoder(bpe)
    step = checkpoint.load_modules(checkpoint.stage_dir("text_encoder", args.work_root) / "ckpt.pt", {"text_encoder": text})
    text.eval()
    report = {
        "eval_captions": len(test_captions),
        "bag_of_words": linear_probe(torch.stack([bag(c) for c in captions]), y,
                                     torch.stack([bag(c) for c in test_captions]), y_test, classes, standardise=False),
        "text_encoder": linear_probe(encoder_features(text, bpe, captions), y,
                                     encoder_features(text, bpe, test_captions), y_test, classes, standardise=True),
        "text_encoder_step": step,
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
