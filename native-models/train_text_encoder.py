"""Stage 3: train the CLIP-style text encoder contrastively against a small image tower.

CLIP objective (symmetric InfoNCE, learnable temperature) between pooler_output (EOS state)
projected to 128-d and ImageTower features of the matching emoji image. The image tower is
discarded afterwards; the DiT cross-attends to the frozen encoder's last_hidden_state, so
large and small denoisers share it. Captions: one random variant per image per step.
Near-duplicate pairs in a batch (the same emoji in both styles) act as false negatives; the
style word in most captions keeps them separable.
Checkpoint: <work-root>/text_encoder/ckpt.pt (resumable).
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

from studio_models.image_tower import ImageTower
from training import checkpoint, loop
from training.emoji_data import EmojiSplit
from training.text_model import TEXT_D_MODEL, build_text_encoder, load_tokenizer, tokenize

EMBED_DIM = 128


class ClipHeads(nn.Module):
    """Text projection and learnable logit scale (log(1/0.07) initially, as CLIP)."""

    def __init__(self):
        super().__init__()
        self.text_proj = nn.Linear(TEXT_D_MODEL, EMBED_DIM, bias=False)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))


def main() -> None:
    p = loop.common_args(__doc__, steps=3000, batch=128, minutes=8)
    p.add_argument("--lr", type=float, default=5e-4)
    args = p.parse_args()
    torch.manual_seed(0)
    bpe = load_tokenizer(checkpoint.stage_dir("tokenizer", args.work_root))
    data = EmojiSplit("train")
    text, image, heads = build_text_encoder(bpe), ImageTower(EMBED_DIM), ClipHeads()
    params = [*text.parameters(), *image.parameters(), *heads.parameters()]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    gen = torch.Generator().manual_seed(2)
    work = checkpoint.stage_dir("text_encoder", args.work_root)

    def step_fn(step: int) -> dict[str, float]:
        for group in opt.param_groups:  # linear warmup, then cosine decay over the step/time budget
            group["lr"] = loop.cosine_lr(args.lr, step, warmup=100, floor=0.0)
        index = torch.randperm(len(data), generator=gen)[: args.batch]
        ids = tokenize(bpe, data.captions(index, gen))
        _, pooled = text(ids)
        t = F.normalize(heads.text_proj(pooled), dim=-1)
        i = F.normalize(image(data.pixels(index)), dim=-1)
        logits = heads.logit_scale.clamp(max=math.log(100)).exp() * t @ i.T  # [B, B]
        target = torch.arange(len(index))
        loss = 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        accuracy = (logits.argmax(1) == target).float().mean().item()
        return {"loss": loss.item(), "acc": accuracy}

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
    t = F.normalize(heads.text_proj(text(tokenize(bpe, captions))[1]), dim=-1)
    i = F.normalize(image(data.pixels(torch.arange(len(data)))), dim=-1)
    top1 = ((i @ t.T).argmax(1) == torch.arange(len(data))).float().mean().item()
    print(f"eval image->text top-1 over {len(data)} held-out captions: {top1:.3f} (chance {1 / len(data):.3f})")


if __name__ == "__main__":
    main()
