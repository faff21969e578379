"""Stage 6: a lightweight VAE decoder distilled from the trained VAE decoder (Hybrid SD's tiny
VAE idea: same latent API, a fraction of the decoder's cost).

TinyDecoder: latent_sample [B, 4, 8, 8] (latents / scaling_factor, as the VAE decoder) ->
sample [B, 3, 64, 64] in [-1, 1]; plain 3x3 convs + ReLU, nearest upsampling, no normalisation.
Training inputs: posterior samples mean + std * eps of the training images' cached latents;
loss = L1(tiny, teacher decoder) + 0.25 * L1(tiny, real image). AdamW, cosine over the
step/time budget. Exported as vae_decoder_tiny/model.onnx in the pipelines (optional component).
Checkpoint: <work-root>/vae_tiny/ckpt.pt (resumable).
"""
import torch
import torch.nn.functional as F
from torch import nn

from studio_models.macs import count_macs
from studio_models.vae import VAE
from training import checkpoint, loop
from training.emoji_data import EmojiSplit
from training.latents import cached_latents
from train_vae import CONFIG as VAE_CONFIG

CHANNELS = (64, 48, 32, 16)


class TinyDecoder(nn.Module):
    def __init__(self, latent_channels: int = 4, channels=CHANNELS):
        super().__init__()
        c = list(channels)
        layers: list[nn.Module] = [nn.Conv2d(latent_channels, c[0], 3, padding=1), nn.ReLU(),
                                   nn.Conv2d(c[0], c[0], 3, padding=1), nn.ReLU()]
        for i in range(len(c) - 1):
            layers += [nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c[i], c[i + 1], 3, padding=1), nn.ReLU()]
            if i < len(c) - 2:
                layers += [nn.Conv2d(c[i + 1], c[i + 1], 3, padding=1), nn.ReLU()]
        layers += [nn.Conv2d(c[-1], 3, 3, padding=1), nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, latent_sample: torch.Tensor) -> torch.Tensor:
        return self.net(latent_sample)


def decoder_macs(decoder: nn.Module) -> int:
    return count_macs(decoder, torch.zeros(1, 4, 8, 8))


def load_vae(work_root) -> VAE:
    vae = VAE(VAE_CONFIG).eval()
    checkpoint.load_modules(checkpoint.stage_dir("vae", work_root) / "ckpt.pt", {"vae": vae})
    vae.requires_grad_(False)
    return vae


def main() -> None:
    p = loop.common_args(__doc__, steps=3000, batch=32, minutes=4)
    p.add_argument("--lr", type=float, default=1e-3)
    args = p.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    vae = load_vae(args.work_root)
    vae_dir = checkpoint.stage_dir("vae", args.work_root)
    latents = cached_latents(vae, "train", vae_dir)
    data = EmojiSplit("train")
    tiny = TinyDecoder()
    opt = torch.optim.AdamW(tiny.parameters(), lr=args.lr, weight_decay=0.0)
    gen = torch.Generator().manual_seed(7)
    work = checkpoint.stage_dir("vae_tiny", args.work_root)
    t_macs, s_macs = decoder_macs(vae.decoder), decoder_macs(tiny)
    print(f"VAE decoder {sum(q.numel() for q in vae.decoder.parameters()):,} params {t_macs / 1e6:.1f}M MACs; "
          f"tiny decoder {sum(q.numel() for q in tiny.parameters()):,} params {s_macs / 1e6:.1f}M MACs "
          f"({t_macs / s_macs:.1f}x cheaper)", flush=True)

    def step_fn(step: int) -> dict[str, float]:
        for group in opt.param_groups:
            group["lr"] = loop.cosine_lr(args.lr, step, warmup=50, floor=0.02)
        index = torch.randint(len(data), (args.batch,), generator=gen)
        mean, logvar = latents["mean"][index], latents["logvar"][index]
        z = mean + torch.exp(0.5 * logvar) * torch.randn(mean.shape, generator=gen)
        with torch.no_grad():
            target = vae.decoder(z)
        out = tiny(z)
        distill, real = F.l1_loss(out, target), F.l1_loss(out, data.pixels(index))
        loss = distill + 0.25 * real
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return {"distill_l1": distill.item(), "real_l1": real.item()}

    loop.run(work / "ckpt.pt", args, {"tiny": tiny}, {"opt": opt}, gen, step_fn,
             extra_fn=lambda: {"channels": list(CHANNELS), "macs": s_macs, "teacher_macs": t_macs})
    evaluate(vae, tiny)


@torch.no_grad()
def evaluate(vae: VAE, tiny: TinyDecoder) -> dict:
    """PSNR against the real held-out images of the VAE decoder and the tiny decoder (from the latent means)."""
    tiny.eval()
    data = EmojiSplit("eval")
    x = data.pixels(torch.arange(len(data)))
    mean, _ = vae.encode(x)
    psnr = lambda a, b: 10 * torch.log10(torch.tensor(4.0) / F.mse_loss(a, b)).item()
    full, small = vae.decoder(mean), tiny(mean)
    result = {"psnr_vae_decoder": psnr(full, x), "psnr_tiny_decoder": psnr(small, x), "psnr_tiny_vs_vae": psnr(small, full)}
    print("eval: " + ", ".join(f"{k} {v:.2f} dB" for k, v in result.items()), flush=True)
    return result


if __name__ == "__main__":
    main()
