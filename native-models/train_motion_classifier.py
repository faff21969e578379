"""Stage: the motion classifier, which names the motion of a clip (training/motions.py's classes).

Trained on real clips after a VAE round trip (clip -> encoder mean -> decoder), the same path a
generated clip's pixels take, so it judges motion and not the VAE's blur. Clockwise and
counter-clockwise, and each slide direction, are separate classes. Its accuracy on the held-out
real clips (held-out emoji, held-out emoji x motion pairs) is the ceiling of the motion accuracy
`studio eval` reports for generated clips.

Input `clips` float32 [B, 3, 8, 64, 64] in [-1, 1]: 8 frames, resampled by the caller from F at
indices round(i * (F - 1) / 7). Inside: 2x2 average pool to 32 px, frames and frame differences
stacked [B, 6, 8, 32, 32], three Conv3d stages (32, 64, 96 channels), spatial mean per time step
(time order is kept: a slide left and a slide right differ only in it), then
features [B, 128] = Linear(96 x 4 time steps) and logits [B, classes].
Export: eval/motion/classifier.onnx (outputs `logits`, `features`). Checkpoint:
<work-root>/motion_classifier/ckpt.pt (resumable).
"""
import json
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from training import checkpoint, loop
from training.accuracy import topk_accuracy
from training.base_pipeline import load_base
from training.motion_clips import clip_split
from training.motions import MOTIONS

FEATURES = 128
FRAMES = 8


class MotionClassifier(nn.Module):
    def __init__(self, classes: int):
        super().__init__()

        def stage(c_in, c_out, pool):
            return [nn.Conv3d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm3d(c_out), nn.ReLU(),
                    nn.MaxPool3d(pool)]
        self.body = nn.Sequential(*stage(6, 32, (1, 2, 2)), *stage(32, 64, (2, 2, 2)), *stage(64, 96, (1, 2, 2)))
        self.features = nn.Sequential(nn.Linear(96 * (FRAMES // 2), FEATURES), nn.ReLU())
        self.head = nn.Linear(FEATURES, classes)

    def forward(self, clips: torch.Tensor):
        x = F.avg_pool3d(clips, (1, 2, 2))                                      # [B, 3, 8, 32, 32]
        diff = torch.cat([torch.zeros_like(x[:, :, :1]), x[:, :, 1:] - x[:, :, :-1]], dim=2)
        h = self.body(torch.cat([x, diff], dim=1)).mean(dim=(3, 4))            # [B, 96, 4]
        features = self.features(h.flatten(1))
        return self.head(features), features


def resample_indices(frames: int) -> list[int]:
    return [round(i * (frames - 1) / (FRAMES - 1)) for i in range(FRAMES)]


@torch.no_grad()
def decoded_clips(base, data: dict, limit: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """VAE-decoded clips resampled to 8 frames, uint8 [N, 3, 8, 64, 64], and motion labels [N]."""
    pixels, labels = [], []
    for frames, z in data["latents"].items():
        pick = resample_indices(frames)
        items = data["items"][frames]
        n = len(z) if limit is None else min(len(z), limit)
        for start in range(0, n, 64):
            zz = z[start:min(n, start + 64)][:, :, pick].float()                # [b, 4, 8, 8, 8]
            b = zz.shape[0]
            flat = zz.transpose(1, 2).reshape(b * FRAMES, 4, 8, 8) / base.scaling_factor
            img = base.vae.decoder(flat).clamp(-1, 1).reshape(b, FRAMES, 3, 64, 64).transpose(1, 2)
            pixels.append(((img + 1) * 127.5).round().byte())
        labels += [m for _, m in items[:n]]
    return torch.cat(pixels), torch.tensor(labels)


def to_float(x: torch.Tensor) -> torch.Tensor:
    return x.float() / 127.5 - 1.0


def cached(base, name: str, work: Path, limit=None):
    path = work / f"decoded_{name}.pt"
    if not path.exists():
        data = clip_split(base, name, checkpoint.stage_dir("motion_clips", work.parent))
        torch.save(decoded_clips(base, data, limit), path)
    return torch.load(path)


@torch.no_grad()
def accuracy(model, clips, labels) -> dict:
    model.eval()
    logits = torch.cat([model(to_float(clips[i:i + 128]))[0] for i in range(0, len(clips), 128)])
    return topk_accuracy(logits, labels)


def main() -> None:
    p = loop.common_args(__doc__, steps=1500, batch=64, minutes=15, threads=2)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--train-clips", type=int, default=1200, help="per frame count, decoded for training")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    base = load_base(check=False)
    work = checkpoint.stage_dir("motion_classifier", args.work_root)
    train_x, train_y = cached(base, "train", work, args.train_clips)
    model = MotionClassifier(len(MOTIONS))
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    gen = torch.Generator().manual_seed(9)
    print(f"motion classifier on {len(train_x)} decoded clips", flush=True)

    def step_fn(step: int) -> dict[str, float]:
        for group in opt.param_groups:
            group["lr"] = loop.cosine_lr(args.lr, step, warmup=50)
        idx = torch.randint(len(train_x), (args.batch,), generator=gen)
        logits, _ = model(to_float(train_x[idx]))
        loss = F.cross_entropy(logits, train_y[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return {"loss": loss.item()}

    loop.run(work / "ckpt.pt", args, {"model": model}, {"opt": opt}, gen, step_fn)
    report = {name: accuracy(model, *cached(base, name, work)) for name in ("eval_emoji", "eval_pairs")}
    report["train_sample"] = accuracy(model, train_x[:512], train_y[:512])
    print(json.dumps(report), flush=True)
    (work / "accuracy.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
