"""Stage 5: emoji-small = the trained large DiT, structurally pruned, then distilled from it.

Pruning (on the large model's EMA weights, scored on a calibration batch of 256 training latents):
  blocks  greedy: repeatedly drop the block whose removal changes the model's velocity output
          least (MSE against the full model), until --depth blocks remain;
  heads   per attention (self and cross): keep the --heads heads with the largest mean output
          contribution ||y_h W_out[:, h]|| on the calibration batch (head_dim is kept);
  MLP     keep the --mlp-hidden hidden units with the largest ||W1[j, :]|| * ||W2[:, j]||.
Everything else (patch embedding, positions, timestep MLP, text projection, adaLN, output
layer) is copied, so the small model shares the latent space, scaling factor and text encoder.
Distillation: on the same noisy inputs as flow matching (x_t, t, caption with 10% dropout to ""),
loss = MSE(student, teacher velocity) + MSE(student, noise - x0). AdamW, cosine over the
step/time budget, EMA 0.998. MACs per denoiser call are recorded; the stage fails if the small
model is not >= 2.5x cheaper than the large one.
Checkpoint: <work-root>/dit_small/ckpt.pt (resumable).
"""
import copy
from dataclasses import replace

import torch
import torch.nn.functional as F

from studio_models.dit import DiT, DiTConfig
from studio_models.macs import count_macs
from training import checkpoint, flow_matching, loop
from training.ema import EMA
from training.emoji_data import EmojiSplit
from train_dit import load_frozen


def load_large(work_root) -> tuple[DiT, dict]:
    state = torch.load(checkpoint.stage_dir("dit_large", work_root) / "ckpt.pt")
    dit = DiT(DiTConfig(**state["extra"]["config"])).eval()
    dit.load_state_dict({k.removeprefix("shadow."): v for k, v in state["modules"]["ema"].items()})
    return dit, state


def macs_per_call(dit: DiT, seq_len: int) -> int:
    c = dit.cfg
    return count_macs(dit, torch.zeros(1, c.latent_channels, c.latent_size, c.latent_size),
                      torch.zeros(1), torch.zeros(1, seq_len, c.d_text))


@torch.no_grad()
def _without_blocks(dit: DiT, keep: list[int]) -> DiT:
    pruned = copy.deepcopy(dit)
    pruned.blocks = torch.nn.ModuleList(pruned.blocks[i] for i in keep)
    return pruned


@torch.no_grad()
def choose_blocks(dit: DiT, calib, depth: int) -> tuple[list[int], list[dict]]:
    x, t, ctx = calib
    full = dit(x, t, ctx)[0]
    keep, log = list(range(len(dit.blocks))), []
    while len(keep) > depth:
        costs = {}
        for b in keep:
            trial = [i for i in keep if i != b]
            costs[b] = F.mse_loss(_without_blocks(dit, trial)(x, t, ctx)[0], full).item()
        drop = min(costs, key=costs.get)
        log.append({"dropped": drop, "mse_vs_full": costs[drop], "candidates": costs})
        keep.remove(drop)
    return keep, log


@torch.no_grad()
def head_scores(dit: DiT, calib) -> dict:
    """{(block, "attn"|"cross"): tensor [heads]} mean contribution norm of each head's output."""
    scores, handles = {}, []
    for bi, block in enumerate(dit.blocks):
        for name in ("attn", "cross"):
            attn = getattr(block, name)

            def hook(m, args, out, key=(bi, name), attn=attn):
                y = args[0]                                   # [B, T, heads * head_dim]
                b, t, _ = y.shape
                y = y.reshape(b, t, attn.heads, attn.head_dim)
                w = m.weight.reshape(m.weight.shape[0], attn.heads, attn.head_dim)   # [d, heads, hd]
                contrib = torch.einsum("bthk,dhk->bthd", y, w)
                scores[key] = contrib.norm(dim=-1).mean(dim=(0, 1))
            handles.append(attn.out.register_forward_hook(hook))
    x, t, ctx = calib
    dit(x, t, ctx)
    for h in handles:
        h.remove()
    return scores


@torch.no_grad()
def prune(dit: DiT, calib, depth: int, heads: int, mlp_hidden: int) -> tuple[DiT, dict]:
    keep_blocks, block_log = choose_blocks(dit, calib, depth)
    scores = head_scores(dit, calib)
    c = dit.cfg
    head_dim = c.head_dim or c.d_model // c.heads
    cfg = replace(c, depth=depth, heads=heads, head_dim=head_dim, mlp_hidden=mlp_hidden)
    small = DiT(cfg)
    src, dst = dit.state_dict(), small.state_dict()
    for k in dst:
        if not k.startswith("blocks."):
            dst[k] = src[k].clone()
    info = {"kept_blocks": keep_blocks, "block_pruning": block_log, "heads": {}, "mlp": {}}
    for new_i, old_i in enumerate(keep_blocks):
        old, new = dit.blocks[old_i], small.blocks[new_i]
        for name in ("norm1", "norm2", "norm3", "ada"):
            getattr(new, name).load_state_dict(getattr(old, name).state_dict())
        for name in ("attn", "cross"):
            o, n = getattr(old, name), getattr(new, name)
            kept = scores[(old_i, name)].argsort(descending=True)[:heads].sort().values
            info["heads"][f"{old_i}.{name}"] = {"kept": kept.tolist(), "scores": [round(v, 5) for v in scores[(old_i, name)].tolist()]}
            idx = (kept[:, None] * head_dim + torch.arange(head_dim)[None]).reshape(-1)
            for proj in ("q", "k", "v"):
                getattr(n, proj).weight.copy_(getattr(o, proj).weight[idx])
                getattr(n, proj).bias.copy_(getattr(o, proj).bias[idx])
            n.out.weight.copy_(o.out.weight[:, idx])
            n.out.bias.copy_(o.out.bias)
        w1, w2 = old.mlp[0].weight, old.mlp[2].weight
        unit = w1.norm(dim=1) * w2.norm(dim=0)
        idx = unit.argsort(descending=True)[:mlp_hidden].sort().values
        info["mlp"][str(old_i)] = {"kept_fraction_of_score": float(unit[idx].sum() / unit.sum())}
        new.mlp[0].weight.copy_(w1[idx])
        new.mlp[0].bias.copy_(old.mlp[0].bias[idx])
        new.mlp[2].weight.copy_(w2[:, idx])
        new.mlp[2].bias.copy_(old.mlp[2].bias)
    return small, info


def main() -> None:
    p = loop.common_args(__doc__, steps=4000, batch=64, minutes=13, threads=1)
    p.add_argument("--depth", type=int, default=3)
    p.add_argument("--heads", type=int, default=2)
    p.add_argument("--mlp-hidden", type=int, default=256)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--caption-dropout", type=float, default=0.1)
    p.add_argument("--distill-weight", type=float, default=1.0)
    p.add_argument("--ema", type=float, default=0.998)
    args = p.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    bpe, text, latents, cache = load_frozen(args.work_root)
    data = EmojiSplit("train")
    scale = latents["scaling_factor"]
    teacher, large_state = load_large(args.work_root)
    teacher.requires_grad_(False)
    gen = torch.Generator().manual_seed(4)

    def batch(n: int, g: torch.Generator):
        index = torch.randint(len(data), (n,), generator=g)
        mean, logvar = latents["mean"][index], latents["logvar"][index]
        z = (mean + torch.exp(0.5 * logvar) * torch.randn(mean.shape, generator=g)) * scale
        captions = data.captions(index, g)
        drop = torch.rand(n, generator=g) < args.caption_dropout
        ctx = cache.lookup(["" if d else c for c, d in zip(captions, drop.tolist())])
        t = flow_matching.sample_t(n, g)
        x_t, v = flow_matching.noisy_pair(z, t, g)
        return x_t, t * 1000.0, ctx, v

    work = checkpoint.stage_dir("dit_small", args.work_root)
    ckpt = work / "ckpt.pt"
    seq = bpe.max_length
    if ckpt.exists():
        state = torch.load(ckpt)
        student = DiT(DiTConfig(**state["extra"]["config"]))
        info = state["extra"]["pruning"]
    else:
        cg = torch.Generator().manual_seed(5)
        x_t, t, ctx, v = batch(256, cg)
        student, info = prune(teacher, (x_t, t, ctx), args.depth, args.heads, args.mlp_hidden)
        with torch.no_grad():
            tv = teacher(x_t, t, ctx)[0]
            sv = student.eval()(x_t, t, ctx)[0]
        info["before_distillation"] = {"teacher_fm_loss": F.mse_loss(tv, v).item(),
                                       "student_fm_loss": F.mse_loss(sv, v).item(),
                                       "student_vs_teacher_mse": F.mse_loss(sv, tv).item()}
        print("pruning:", {k: info[k] for k in ("kept_blocks", "before_distillation")}, flush=True)
    large_macs, small_macs = macs_per_call(teacher, seq), macs_per_call(student, seq)
    info["macs_per_call"] = {"large": large_macs, "small": small_macs, "ratio": large_macs / small_macs}
    info["params"] = {"large": sum(q.numel() for q in teacher.parameters()),
                      "small": sum(q.numel() for q in student.parameters())}
    print(f"large {info['params']['large']:,} params {large_macs / 1e6:.2f}M MACs/call; small "
          f"{info['params']['small']:,} params {small_macs / 1e6:.2f}M MACs/call: {large_macs / small_macs:.2f}x cheaper",
          flush=True)
    if large_macs / small_macs < 2.5:
        raise SystemExit("the pruned model is not >= 2.5x cheaper per step; prune more")
    ema = EMA(student, args.ema)
    opt = torch.optim.AdamW(student.parameters(), lr=args.lr, weight_decay=0.0)

    def step_fn(step: int) -> dict[str, float]:
        for group in opt.param_groups:
            group["lr"] = loop.cosine_lr(args.lr, step, warmup=50, floor=0.05)
        x_t, t, ctx, v = batch(args.batch, gen)
        with torch.no_grad():
            tv = teacher(x_t, t, ctx)[0]
        pred = student(x_t, t, ctx)[0]
        distill, fm = F.mse_loss(pred, tv), F.mse_loss(pred, v)
        loss = args.distill_weight * distill + fm
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(student.parameters(), 1.0)
        opt.step()
        ema.update(student, step)
        return {"distill": distill.item(), "fm": fm.item()}

    loop.run(ckpt, args, {"dit": student, "ema": ema}, {"opt": opt}, gen, step_fn,
             extra_fn=lambda: {"scaling_factor": scale, "size": "small", "config": student.cfg.to_dict(),
                               "pruning": info, "teacher_step": large_state["step"]})
    # Check on a fixed batch of 256 training latents: teacher vs the student's EMA weights.
    student_ema = ema.shadow.eval()
    x_t, t, ctx, v = batch(256, torch.Generator().manual_seed(6))
    with torch.no_grad():
        tv, sv = teacher(x_t, t, ctx)[0], student_ema(x_t, t, ctx)[0]
    print(f"after distillation (EMA, fixed training batch of 256): teacher fm {F.mse_loss(tv, v).item():.4f}, "
          f"student fm {F.mse_loss(sv, v).item():.4f}, student vs teacher {F.mse_loss(sv, tv).item():.4f}", flush=True)


if __name__ == "__main__":
    main()
