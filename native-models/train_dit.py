"""Stage 4: train the DiT denoiser with flow matching on VAE latents, conditioned on the frozen
text encoder's last_hidden_state [B, S, 128] (cross-attention, and its token mean in the adaLN
conditioning: DiTConfig.pooled_text).

Per step: latents z = (mean + std * eps) * scaling_factor from the cached VAE posterior;
t ~ logit-normal; x_t = (1 - t) z + t noise; loss = MSE(DiT(x_t, 1000 t, text), noise - z).
Text states come from a cache of the frozen encoder's outputs for every training caption
(training/text_cache.py). Captions: one random variant per image; with probability --caption-dropout (10%) the empty
prompt "" instead, which is what the studio encodes for classifier-free guidance's unconditional
branch. No flips: emoji have directions ("left arrow"). AdamW, warmup then cosine over the step/time budget
(train_all.py stops it at 7,229 steps, with 112 minutes as a guard), grad clip 1, EMA 0.999.
Checkpoint: <work-root>/dit_<size>/ckpt.pt (resumable), exported weights are the EMA's.
"""
import torch
import torch.nn.functional as F

from studio_models.dit import DiT
from studio_models.vae import VAE
from training import checkpoint, flow_matching, loop
from training.dit_sizes import SIZES
from training.ema import EMA
from training.emoji_data import EmojiSplit
from training.latents import cached_latents
from training.text_cache import text_cache
from training.text_model import build_text_encoder, load_tokenizer
from train_vae import CONFIG as VAE_CONFIG


def load_frozen(work_root):
    """(bpe, text_encoder, latents dict, text cache) from the finished tokenizer, text encoder and
    VAE stages. The text cache holds the frozen encoder's states of every training caption."""
    bpe = load_tokenizer(checkpoint.stage_dir("tokenizer", work_root))
    text = build_text_encoder(bpe)
    text_dir = checkpoint.stage_dir("text_encoder", work_root)
    checkpoint.load_modules(text_dir / "ckpt.pt", {"text_encoder": text})
    vae = VAE(VAE_CONFIG)
    vae_dir = checkpoint.stage_dir("vae", work_root)
    checkpoint.load_modules(vae_dir / "ckpt.pt", {"vae": vae})
    text.eval().requires_grad_(False)
    return bpe, text, cached_latents(vae, "train", vae_dir), text_cache(text, bpe, text_dir)


def main() -> None:
    p = loop.common_args(__doc__, steps=6000, batch=64, minutes=45, threads=1)
    p.add_argument("--size", choices=sorted(SIZES), default="large")
    p.add_argument("--lr", type=float, default=3e-4)
    p.add_argument("--caption-dropout", type=float, default=0.1)
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--weight-decay", type=float, default=0.0, help="AdamW decoupled weight decay")
    args = p.parse_args()
    torch.manual_seed(0)
    bpe, text, latents, cache = load_frozen(args.work_root)
    data = EmojiSplit("train")
    scale = latents["scaling_factor"]
    dit = DiT(SIZES[args.size])
    ema = EMA(dit, args.ema)
    opt = torch.optim.AdamW(dit.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    gen = torch.Generator().manual_seed(3)
    work = checkpoint.stage_dir(f"dit_{args.size}", args.work_root)
    print(f"DiT {args.size}: {sum(p.numel() for p in dit.parameters()) / 1e6:.2f}M params, "
          f"scaling_factor {scale:.5f}", flush=True)

    def step_fn(step: int) -> dict[str, float]:
        for group in opt.param_groups:
            group["lr"] = loop.cosine_lr(args.lr, step, warmup=200, floor=0.05)
        index = torch.randint(len(data), (args.batch,), generator=gen)
        mean, logvar = latents["mean"][index], latents["logvar"][index]
        z = (mean + torch.exp(0.5 * logvar) * torch.randn(mean.shape, generator=gen)) * scale
        captions = data.captions(index, gen)
        drop = torch.rand(args.batch, generator=gen) < args.caption_dropout
        captions = ["" if d else c for c, d in zip(captions, drop.tolist())]
        context = cache.lookup(captions)
        t = flow_matching.sample_t(args.batch, gen)
        x_t, v = flow_matching.noisy_pair(z, t, gen)
        pred, _, _ = dit(x_t, t * 1000.0, context)
        loss = F.mse_loss(pred, v)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(dit.parameters(), 1.0)
        opt.step()
        ema.update(dit, step)
        return {"loss": loss.item()}

    loop.run(work / "ckpt.pt", args, {"dit": dit, "ema": ema}, {"opt": opt}, gen, step_fn,
             extra_fn=lambda: {"scaling_factor": scale, "size": args.size, "config": dit.cfg.to_dict()})


if __name__ == "__main__":
    main()
