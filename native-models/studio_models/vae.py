"""Small convolutional VAE in Stable Diffusion's latent format: RGB 64x64 in [-1, 1] <-> 4 x 8 x 8.

Encoder: [B, 3, 64, 64] -> latent_parameters [B, 8, 8, 8] (mean and logvar, 4 channels each,
Optimum's layout). Decoder: latent [B, 4, 8, 8] (already divided by scaling_factor) ->
sample [B, 3, 64, 64] squashed into [-1, 1] by tanh so the runtime may rely on that range.
Three stride-2 stages give the x8 downsampling.
"""
from dataclasses import asdict, dataclass

import torch
from torch import nn


@dataclass
class VAEConfig:
    # Channel width at 64, 32, 16 and 8 px.
    channels: tuple = (32, 64, 128, 128)
    latent_channels: int = 4
    sample_size: int = 64

    def to_dict(self) -> dict:
        return asdict(self)


def group_norm(c: int) -> nn.GroupNorm:
    return nn.GroupNorm(min(8, c), c)


class ResBlock(nn.Module):
    def __init__(self, c_in: int, c_out: int):
        super().__init__()
        self.body = nn.Sequential(
            group_norm(c_in), nn.SiLU(), nn.Conv2d(c_in, c_out, 3, padding=1),
            group_norm(c_out), nn.SiLU(), nn.Conv2d(c_out, c_out, 3, padding=1))
        self.skip = nn.Identity() if c_in == c_out else nn.Conv2d(c_in, c_out, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.skip(x) + self.body(x)


class Encoder(nn.Module):
    def __init__(self, cfg: VAEConfig):
        super().__init__()
        ch = list(cfg.channels)
        layers: list[nn.Module] = [nn.Conv2d(3, ch[0], 3, padding=1)]
        for i in range(len(ch) - 1):
            layers += [ResBlock(ch[i], ch[i + 1]), nn.Conv2d(ch[i + 1], ch[i + 1], 3, stride=2, padding=1)]
        layers += [ResBlock(ch[-1], ch[-1]), group_norm(ch[-1]), nn.SiLU(),
                   nn.Conv2d(ch[-1], 2 * cfg.latent_channels, 3, padding=1)]
        self.net = nn.Sequential(*layers)

    def forward(self, sample: torch.Tensor) -> torch.Tensor:
        """sample [B, 3, 64, 64] in [-1, 1] -> latent_parameters [B, 2*C, 8, 8] = cat(mean, logvar)."""
        return self.net(sample)


class Decoder(nn.Module):
    def __init__(self, cfg: VAEConfig):
        super().__init__()
        ch = list(reversed(cfg.channels))
        layers: list[nn.Module] = [nn.Conv2d(cfg.latent_channels, ch[0], 3, padding=1), ResBlock(ch[0], ch[0])]
        for i in range(len(ch) - 1):
            layers += [nn.Upsample(scale_factor=2, mode="nearest"),
                       nn.Conv2d(ch[i], ch[i], 3, padding=1), ResBlock(ch[i], ch[i + 1])]
        layers += [group_norm(ch[-1]), nn.SiLU(), nn.Conv2d(ch[-1], 3, 3, padding=1), nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, latent_sample: torch.Tensor) -> torch.Tensor:
        """latent_sample [B, 4, 8, 8] (unscaled) -> sample [B, 3, 64, 64] in [-1, 1]."""
        return self.net(latent_sample)


class VAE(nn.Module):
    def __init__(self, cfg: VAEConfig):
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg)
        self.decoder = Decoder(cfg)

    def encode(self, sample: torch.Tensor):
        """Returns (mean, logvar), each [B, 4, 8, 8]."""
        return self.encoder(sample).chunk(2, dim=1)

    def forward(self, sample: torch.Tensor, generator: torch.Generator | None = None):
        """Reparameterised reconstruction: returns (reconstruction, mean, logvar)."""
        mean, logvar = self.encode(sample)
        noise = torch.randn(mean.shape, generator=generator)
        z = mean + torch.exp(0.5 * logvar.clamp(-30, 20)) * noise
        return self.decoder(z), mean, logvar
