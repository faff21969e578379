"""Diffusion Transformer (DiT, adaLN-Zero) over a 4-channel latent, conditioned on text tokens.

forward(hidden_states [B, 4, L, L] float32, timestep [B] float32 in [0, 1000],
        encoder_hidden_states [B, S, d_text] float32)
  -> out_sample       [B, 4, L, L]  the prediction (epsilon or flow velocity, per the scheduler)
     modulated_input  [B, T, d]     first block's timestep-modulated normalised input (TeaCache;
                                    with pooled_text the modulation also carries the prompt)
     block_residual   [B, T, d]     block-stack output minus its input (FBCache / residual caching)
with T = (L / patch)^2 tokens.
"""
import math
from dataclasses import asdict, dataclass

import torch
from torch import nn

from .dit_block import DiTBlock, modulate


@dataclass
class DiTConfig:
    d_model: int = 128
    depth: int = 4
    heads: int = 4
    mlp_ratio: float = 4.0
    patch_size: int = 1
    latent_channels: int = 4
    latent_size: int = 8
    d_text: int = 128
    # Width of the sinusoidal timestep features before the timestep MLP.
    freq_dim: int = 256
    # Structural pruning (emoji-small): per-head width kept from the parent model (0 = d_model /
    # heads) and MLP hidden width (0 = d_model * mlp_ratio).
    head_dim: int = 0
    mlp_hidden: int = 0
    # Global text conditioning: add an MLP of the token-mean text state [B, d_text] to the
    # timestep embedding, so every block's adaLN sees the prompt (SD3 adds its pooled text the
    # same way). The mean over all tokens is what the text encoder's auxiliary subcategory loss
    # trains to be readable (train_text_encoder.py). Off for the fixture and older checkpoints.
    pooled_text: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def timestep_features(t: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoidal features of the raw timestep value t [B] (0..1000) -> [B, dim], cos first as in DiT."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float().unsqueeze(1) * freqs.unsqueeze(0)
    return torch.cat([torch.cos(args), torch.sin(args)], dim=1)


class DiT(nn.Module):
    def __init__(self, cfg: DiTConfig):
        super().__init__()
        self.cfg = cfg
        d, p = cfg.d_model, cfg.patch_size
        self.grid = cfg.latent_size // p
        self.patch_embed = nn.Conv2d(cfg.latent_channels, d, kernel_size=p, stride=p)
        self.pos_embed = nn.Parameter(torch.randn(1, self.grid * self.grid, d) * 0.02)
        self.time_mlp = nn.Sequential(nn.Linear(cfg.freq_dim, d), nn.SiLU(), nn.Linear(d, d))
        self.context_proj = nn.Linear(cfg.d_text, d)
        if cfg.pooled_text:
            self.text_mlp = nn.Sequential(nn.Linear(cfg.d_text, d), nn.SiLU(), nn.Linear(d, d))
        self.blocks = nn.ModuleList(DiTBlock(d, cfg.heads, cfg.mlp_ratio, cfg.head_dim or None, cfg.mlp_hidden or None)
                                    for _ in range(cfg.depth))
        self.norm_out = nn.LayerNorm(d, eps=1e-6)
        self.ada_out = nn.Sequential(nn.SiLU(), nn.Linear(d, 2 * d))
        self.proj_out = nn.Linear(d, p * p * cfg.latent_channels)
        for layer in (self.ada_out[1], self.proj_out):  # adaLN-Zero: untrained output is 0
            nn.init.zeros_(layer.weight)
            nn.init.zeros_(layer.bias)

    def unpatchify(self, x: torch.Tensor) -> torch.Tensor:
        """[B, T, p*p*C] -> [B, C, L, L]."""
        p, g, c = self.cfg.patch_size, self.grid, self.cfg.latent_channels
        x = x.reshape(x.shape[0], g, g, p, p, c)
        return x.permute(0, 5, 1, 3, 2, 4).reshape(x.shape[0], c, g * p, g * p)

    def condition(self, timestep: torch.Tensor, encoder_hidden_states: torch.Tensor) -> torch.Tensor:
        """The adaLN conditioning vector c [B, d]: timestep embedding (+ pooled text when configured)."""
        c = self.time_mlp(timestep_features(timestep, self.cfg.freq_dim))
        if self.cfg.pooled_text:
            c = c + self.text_mlp(encoder_hidden_states.mean(1))
        return c

    def forward(self, hidden_states: torch.Tensor, timestep: torch.Tensor,
                encoder_hidden_states: torch.Tensor):
        x = self.patch_embed(hidden_states).flatten(2).transpose(1, 2) + self.pos_embed  # [B, T, d]
        c = self.condition(timestep, encoder_hidden_states)                                # [B, d]
        ctx = self.context_proj(encoder_hidden_states)                                     # [B, S, d]
        x_in = x
        modulated_input = None
        for block in self.blocks:
            x, modulated = block(x, c, ctx)
            if modulated_input is None:
                modulated_input = modulated
        block_residual = x - x_in
        shift, scale = self.ada_out(c).chunk(2, dim=1)
        out = self.proj_out(modulate(self.norm_out(x), shift, scale))
        return self.unpatchify(out), modulated_input, block_residual
