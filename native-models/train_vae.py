"""Stage 2: train the VAE (64x64x3 <-> 4x8x8) on the emoji training images.

Loss per pixel: L1 + L1 of horizontal/vertical image gradients (keeps outlines sharp without a
pretrained perceptual network) + kl_weight * KL(q(z|x) || N(0, I)). Augmentation: horizontal
flip only (reconstruction has no notion of direction). At the end the latent scaling factor is
computed (1 / std of the training set's latent means) and cached for the DiT stages.
Checkpoint: <work-root>/vae/ckpt.pt (resumable).
"""
import torch
import torch.nn.functional as F

from studio_models.vae import VAE, VAEConfig
from training import checkpoint, loop
from training.emoji_data import EmojiSplit
from training.latents import cached_latents

# (16, 32, 64, 128): ~1.45M params; wider high-resolution stages cost 2-4x the time per step.
CONFIG = VAEConfig(channels=(16, 32, 64, 128))


def gradient_l1(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    dx = lambda x: x[..., :, 1:] - x[..., :, :-1]
    dy = lambda x: x[..., 1:, :] - x[..., :-1, :]
    return F.l1_loss(dx(a), dx(b)) + F.l1_loss(dy(a), dy(b))


def main() -> None:
    p = loop.common_args(__doc__, steps=6000, batch=32, minutes=12)
    p.add_argument("--lr", type=float, default=4e-4)
    p.add_argument("--kl-weight", type=float, default=1e-5)
    args = p.parse_args()
    torch.manual_seed(0)
    data = EmojiSplit("train")
    vae = VAE(CONFIG)
    opt = torch.optim.AdamW(vae.parameters(), lr=args.lr, weight_decay=0.0)
    gen = torch.Generator().manual_seed(1)
    work = checkpoint.stage_dir("vae", args.work_root)

    def step_fn(step: int) -> dict[str, float]:
        for group in opt.param_groups:  # warmup, cosine over the step/time budget
            group["lr"] = loop.cosine_lr(args.lr, step, warmup=100, floor=0.05)
        index = torch.randint(len(data), (args.batch,), generator=gen)
        x = data.pixels(index)
        flip = torch.rand(args.batch, generator=gen) < 0.5
        x = torch.where(flip[:, None, None, None], x.flip(-1), x)
        recon, mean, logvar = vae(x, generator=gen)
        rec = F.l1_loss(recon, x) + gradient_l1(recon, x)
        kl = 0.5 * (mean.pow(2) + logvar.exp() - 1 - logvar).mean()
        loss = rec + args.kl_weight * kl
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(vae.parameters(), 1.0)
        opt.step()
        return {"rec": rec.item(), "kl": kl.item()}

    last = loop.run(work / "ckpt.pt", args, {"vae": vae}, {"opt": opt}, gen, step_fn)
    if last > 0:
        stats = cached_latents(vae, "train", work)
        evaluate(vae, stats["scaling_factor"])


@torch.no_grad()
def evaluate(vae: VAE, scaling_factor: float) -> None:
    vae.eval()
    data = EmojiSplit("eval")
    x = data.pixels(torch.arange(len(data)))
    mean, _ = vae.encode(x)
    recon = vae.decoder(mean)
    mse = F.mse_loss(recon, x).item()
    psnr = 10 * torch.log10(torch.tensor(4.0 / mse)).item()  # peak-to-peak range 2 -> peak^2 = 4
    print(f"eval reconstruction: L1 {F.l1_loss(recon, x).item():.4f}, PSNR {psnr:.2f} dB; "
          f"scaling_factor {scaling_factor:.5f}", flush=True)


if __name__ == "__main__":
    main()
