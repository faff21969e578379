"""Stage 7: the evaluation classifier: emoji subcategory (emojibase subgroup) from a 64x64 image.

Trained on the real training images only (the eval split's emoji are held out), so its accuracy
on the eval images measures generalisation to unseen emoji of a known subcategory. Used to score
generated samples (prompt's subcategory in the top-1 / top-5) and, through `features`, for a
Fréchet distance between generated and real images.
Model: stride-2 stem, 4 stages of two 3x3 convs (32, 64, 128, 256 channels at 32, 16, 8, 4 px;
BatchNorm, ReLU, max-pool between stages) -> global average pool -> features [B, 256] -> logits [B, C].
Augmentation: random translation by up to 4 px (white fill) and horizontal flip.
Export (export_all.py): native-models/eval/classifier/model.onnx, inputs `images` float32
[batch, 3, 64, 64] in [-1, 1], outputs `logits` [batch, C] and `features` [batch, 256].
Checkpoint: <work-root>/classifier/ckpt.pt (resumable).
"""
import torch
import torch.nn.functional as F
from torch import nn

from training import checkpoint, loop
from training.accuracy import topk_accuracy
from training.emoji_data import EmojiSplit, subgroup_names

FEATURES = 256


class Classifier(nn.Module):
    def __init__(self, classes: int, channels=(32, 64, 128, FEATURES)):
        super().__init__()
        # Stem with stride 2 (64 -> 32 px), then stages at 32, 16, 8, 4 px.
        layers, c_in = [nn.Conv2d(3, channels[0], 3, stride=2, padding=1, bias=False),
                        nn.BatchNorm2d(channels[0]), nn.ReLU()], channels[0]
        for i, c in enumerate(channels):
            if i:
                layers.append(nn.MaxPool2d(2))
            layers += [nn.Conv2d(c_in, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(),
                       nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU()]
            c_in = c
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(channels[-1], classes)

    def forward(self, images: torch.Tensor):
        features = self.body(images).mean(dim=(2, 3))
        return self.head(features), features


def augment(x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    b = x.shape[0]
    flip = torch.rand(b, generator=g) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(-1), x)
    padded = F.pad(x, (4, 4, 4, 4), value=1.0)
    dx, dy = torch.randint(0, 9, (b,), generator=g), torch.randint(0, 9, (b,), generator=g)
    return torch.stack([padded[i, :, dy[i]:dy[i] + 64, dx[i]:dx[i] + 64] for i in range(b)])


@torch.no_grad()
def accuracy(model: Classifier, images: torch.Tensor, labels: torch.Tensor) -> dict:
    model.eval()
    logits = torch.cat([model(images[i:i + 256])[0] for i in range(0, len(images), 256)])
    return topk_accuracy(logits, labels)


def main() -> None:
    p = loop.common_args(__doc__, steps=3000, batch=64, minutes=4)
    p.add_argument("--lr", type=float, default=2e-3)
    args = p.parse_args()
    torch.manual_seed(0)
    data = EmojiSplit("train")
    labels = data.labels()
    classes = subgroup_names()
    model = Classifier(len(classes))
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=5e-4)
    gen = torch.Generator().manual_seed(8)
    work = checkpoint.stage_dir("classifier", args.work_root)

    def step_fn(step: int) -> dict[str, float]:
        for group in opt.param_groups:
            group["lr"] = loop.cosine_lr(args.lr, step, warmup=50, floor=0.01)
        index = torch.randint(len(data), (args.batch,), generator=gen)
        logits, _ = model(augment(data.pixels(index), gen))
        loss = F.cross_entropy(logits, labels[index], label_smoothing=0.1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return {"loss": loss.item(), "acc": (logits.argmax(1) == labels[index]).float().mean().item()}

    loop.run(work / "ckpt.pt", args, {"classifier": model}, {"opt": opt}, gen, step_fn,
             extra_fn=lambda: {"classes": classes})
    ev = EmojiSplit("eval")
    result = accuracy(model, ev.pixels(torch.arange(len(ev))), ev.labels())
    print(f"eval (held-out emoji, {len(ev)} images): top-1 {result['top1']:.4f}, top-5 {result['top5']:.4f} "
          f"over {len(classes)} subcategories", flush=True)


if __name__ == "__main__":
    main()
