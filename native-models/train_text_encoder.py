"""Stage 3: train the CLIP-style text encoder contrastively against a small image tower.

CLIP objective (symmetric InfoNCE, learnable temperature) between pooler_output (EOS state)
projected to 128-d and ImageTower features of the matching emoji image. The image tower is
discarded afterwards; the DiT cross-attends to the frozen encoder's last_hidden_state, so
large and small denoisers share it. Captions: one random variant per image per step.
Near-duplicate pairs in a batch (the same emoji in both styles) act as false negatives; the
style word in most captions keeps them separable.
Auxiliary loss (--subgroup-weight, 0.5): cross-entropy of the caption's emoji subcategory from the
pooled state and from the mean of last_hidden_state (what the DiT cross-attends to), so words
that mean the same kind of picture land close together. Measured before it existed: a linear
probe on the frozen encoder's states read an eval caption's subcategory at 0.69 top-5, the
caption's bare words at 0.83 (probe_text_encoder.py), so the contrastive loss alone dropped
information the denoiser needs for emoji it never saw.
Checkpoint: <work-root>/text_encoder/ckpt.pt (resumable).
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

from studio_models.image_tower import ImageTower
from training import checkpoint, loop
from training.accuracy import topk_accuracy
from training.emoji_data import EmojiSplit, subgroup_names
from training.text_model import TEXT_D_MODEL, build_text_encoder, load_tokenizer, tokenize

EMBED_DIM = 128


class ClipHeads(nn.Module):
    """Text projection, learnable logit scale (log(1/0.07) initially, as CLIP) and the
    subcategory classifier of the auxiliary loss (discarded with the image tower)."""

    def __init__(self, subgroups: int):
        super().__init__()
        self.text_proj = nn.Linear(TEXT_D_MODEL, EMBED_DIM, bias=False)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        self.subgroup = nn.Linear(TEXT_D_MODEL, subgroups)


def main() -> None:
    p = loop.common_args(__doc__, steps=3000, batch=128, minutes=8, threads=1)
    p.add_argument("--lr", type=float, default=5e-4)
    p.add_argument("--subgroup-weight", type=float, default=0.5)
    args = p.parse_args()
    torch.manual_seed(0)
    bpe = load_tokenizer(checkpoint.stage_dir("tokenizer", args.work_root))
    data = EmojiSplit("train")
    subgroup_ids = data.labels()
    text, image, heads = build_text_encoder(bpe), ImageTower(EMBED_DIM), ClipHeads(len(subgroup_names()))
    params = [*text.parameters(), *image.parameters(), *heads.parameters()]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    gen = torch.Generator().manual_seed(2)
    work = checkpoint.stage_dir("text_encoder", args.work_root)

    def step_fn(step: int) -> dict[str, float]:
        for group in opt.param_groups:  # linear warmup, then cosine decay over the step/time budget
            group["lr"] = loop.cosine_lr(args.lr, step, warmup=100, floor=0.0)
        index = torch.randperm(len(data), generator=gen)[: args.batch]
        ids = tokenize(bpe, data.captions(index, gen))
        states, pooled = text(ids)
        t = F.normalize(heads.text_proj(pooled), dim=-1)
        i = F.normalize(image(data.pixels(index)), dim=-1)
        logits = heads.logit_scale.clamp(max=math.log(100)).exp() * t @ i.T  # [B, B]
        target = torch.arange(len(index))
        clip = 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target))
        labels = subgroup_ids[index]
        subgroup = F.cross_entropy(heads.subgroup(pooled), labels) + F.cross_entropy(heads.subgroup(states.mean(1)), labels)
        loss = clip + args.subgroup_weight * subgroup
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        accuracy = (logits.argmax(1) == target).float().mean().item()
        return {"loss": loss.item(), "clip": clip.item(), "subgroup": subgroup.item(), "acc": accuracy}

    modules = {"text_encoder": text, "image_tower": image, "heads": heads}
    loop.run(work / "ckpt.pt", args, modules, {"opt": opt}, gen, step_fn)
    evaluate(bpe, text, image, heads)


@torch.no_grad()
def evaluate(bpe, text, image, heads) -> None:
    """Retrieval on held-out emoji: for each eval image, is its "<label>, <style>" caption the best match?"""
    for m in (text, image):
        m.eval()
    data = EmojiSplit("eval")
    captions = [m["captions"][1] for m in data.metas]
    pooled = text(tokenize(bpe, captions))[1]
    t = F.normalize(heads.text_proj(pooled), dim=-1)
    i = F.normalize(image(data.pixels(torch.arange(len(data)))), dim=-1)
    top1 = ((i @ t.T).argmax(1) == torch.arange(len(data))).float().mean().item()
    print(f"eval image->text top-1 over {len(data)} held-out captions: {top1:.3f} (chance {1 / len(data):.3f})")
    acc = topk_accuracy(heads.subgroup(pooled), data.labels())
    print(f"eval caption -> subcategory from the pooled state: top-1 {acc['top1']:.4f}, top-5 {acc['top5']:.4f}")


if __name__ == "__main__":
    main()
