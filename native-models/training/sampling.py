"""Text-to-image sampling in torch with the flow-matching Euler scheduler and classifier-free
guidance: the reference the ONNX runtime's output can be compared with, and the stage checks."""
import torch

from studio_models.dit import DiT
from studio_models.vae import VAE
from .text_model import tokenize


@torch.no_grad()
def generate(dit: DiT, vae: VAE, text, bpe, prompts: list[str], scaling_factor: float, steps: int = 20,
             cfg: float = 4.0, seed: int = 0) -> torch.Tensor:
    """Returns images float32 [B, 3, 64, 64] in [-1, 1]. Sigmas 1 -> 0 linearly (shift 1.0)."""
    dit.eval(), vae.eval(), text.eval()
    b = len(prompts)
    cond, _ = text(tokenize(bpe, prompts))
    uncond, _ = text(tokenize(bpe, [""] * b))
    c = dit.cfg
    x = torch.randn(b, c.latent_channels, c.latent_size, c.latent_size, generator=torch.Generator().manual_seed(seed))
    sigmas = torch.linspace(1.0, 0.0, steps + 1)
    for i in range(steps):
        t = sigmas[i].expand(b)
        v_cond, _, _ = dit(x, t * 1000, cond)
        v = v_cond
        if cfg != 1.0:
            v_uncond, _, _ = dit(x, t * 1000, uncond)
            v = v_uncond + cfg * (v_cond - v_uncond)
        x = x + (sigmas[i + 1] - sigmas[i]) * v
    return vae.decoder(x / scaling_factor)


def save_grid(images: torch.Tensor, path, columns: int = 8) -> None:
    from PIL import Image
    arr = ((images.clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()
    rows = (len(arr) + columns - 1) // columns
    grid = Image.new("RGB", (64 * columns, 64 * rows), "white")
    for k, a in enumerate(arr):
        grid.paste(Image.fromarray(a), (64 * (k % columns), 64 * (k // columns)))
    grid.save(path)
