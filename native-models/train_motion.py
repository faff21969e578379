"""Stage: train the emoji-motion video DiT (studio_models/video_dit.py) on the motion clips.

Starts from the bundled `emoji` pipeline's weights (read back from its ONNX files), with every
temporal layer's output at zero, so step 0 is the image model applied per frame. Flow matching
as the image DiT (training/flow_matching.py), one t and one noise draw per clip.
  Stage A (first --temporal-steps): only the temporal layers train (lr --lr).
  Stage B: everything trains; the image layers at --spatial-lr-scale x the temporal rate, so the
           image quality learned on 7,210 stills is nudged, not relearned from 14,420 clips.
Steps alternate between 4 clips of 16 frames and 8 clips of 8 frames (64 frames either way).
Captions: "<label> <motion phrase>" or "<label>, <style>, <motion phrase>"; 10% dropped to "".
The frozen text encoder runs per batch (captions combine freely, so there is no cache).
EMA of the weights is what gets exported. Checkpoint: <work-root>/motion_dit/ckpt.pt (resumable).
"""
import torch
import torch.nn.functional as F

from studio_models.video_dit import inflate
from training import checkpoint, loop
from training.base_pipeline import load_base
from training.ema import EMA
from training.flow_matching import sample_t
from training.motion_clips import clip_split
from training.motions import MOTIONS
from training.text_model import tokenize


def caption(meta: dict, motion: int, generator: torch.Generator) -> str:
    phrases = MOTIONS[motion][1]
    phrase = phrases[int(torch.randint(len(phrases), (1,), generator=generator))]
    if torch.rand(1, generator=generator).item() < 0.5:
        return f"{meta['label']} {phrase}"
    return f"{meta['label']}, {meta['style']}, {phrase}"


def main() -> None:
    p = loop.common_args(__doc__, steps=3000, batch=64, minutes=75, threads=1)
    p.add_argument("--lr", type=float, default=5e-4)
    p.add_argument("--temporal-steps", type=int, default=600)
    p.add_argument("--spatial-lr-scale", type=float, default=0.1)
    p.add_argument("--caption-dropout", type=float, default=0.1)
    p.add_argument("--ema", type=float, default=0.998)
    args = p.parse_args()
    torch.manual_seed(0)
    base = load_base(check=False)
    clips = clip_split(base, "train", checkpoint.stage_dir("motion_clips", args.work_root))
    model = inflate(base.dit)
    temporal = [p for n, p in model.named_parameters() if n.startswith("temporal.")]
    spatial = [p for n, p in model.named_parameters() if not n.startswith("temporal.")]
    opt = torch.optim.AdamW([{"params": temporal, "scale": 1.0}, {"params": spatial, "scale": 0.0}],
                            lr=args.lr, weight_decay=0.0)
    ema = EMA(model, args.ema)
    gen = torch.Generator().manual_seed(5)
    work = checkpoint.stage_dir("motion_dit", args.work_root)
    print(f"video DiT: {sum(p.numel() for p in model.parameters()) / 1e6:.2f}M params "
          f"({sum(p.numel() for p in temporal) / 1e6:.2f}M temporal); clips "
          f"{ {f: len(z) for f, z in clips['latents'].items()} }", flush=True)

    def step_fn(step: int) -> dict[str, float]:
        stage_b = step >= args.temporal_steps
        for group, params in zip(opt.param_groups, (temporal, spatial)):
            scale = 1.0 if params is temporal else (args.spatial_lr_scale if stage_b else 0.0)
            group["lr"] = loop.cosine_lr(args.lr, step, warmup=100, floor=0.05) * scale
        for p_ in spatial:
            p_.requires_grad_(stage_b)
        frames = 16 if step % 2 == 0 else 8
        n = args.batch // frames
        z_all, metas = clips["latents"][frames], clips["metas"][frames]
        index = torch.randint(len(z_all), (n,), generator=gen)
        z = z_all[index].float()                                               # [n, 4, F, 8, 8]
        items = clips["items"][frames]
        captions = [caption(metas[i], items[i][1], gen) for i in index.tolist()]
        drop = torch.rand(n, generator=gen) < args.caption_dropout
        captions = ["" if d else c for c, d in zip(captions, drop.tolist())]
        with torch.no_grad():
            context, _ = base.text(tokenize(base.bpe, captions))
        t = sample_t(n, gen)
        noise = torch.randn(z.shape, generator=gen)
        tt = t.view(-1, 1, 1, 1, 1)
        x_t = (1 - tt) * z + tt * noise
        pred, _, _ = model(x_t, t * 1000.0, context)
        loss = F.mse_loss(pred, noise - z)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        ema.update(model, step)
        return {"loss": loss.item(), f"loss{frames}": loss.item() * 2}

    loop.run(work / "ckpt.pt", args, {"dit": model, "ema": ema}, {"opt": opt}, gen, step_fn,
             extra_fn=lambda: {"config": model.cfg.to_dict()})


if __name__ == "__main__":
    main()
