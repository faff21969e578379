"""One DiT block with adaLN-Zero modulation plus cross-attention to the text tokens.

Layout (per block, x [B, T, d], c [B, d] = timestep embedding):
  shift/scale/gate for self-attn and MLP = Linear(SiLU(c)), zero-initialised (adaLN-Zero),
  so an untrained block is the identity;
  x += gate_msa * SelfAttn(LN(x) * (1 + scale_msa) + shift_msa)
  x += CrossAttn(LN(x), text)            (unmodulated, as in PixArt-alpha)
  x += gate_mlp * MLP(LN(x) * (1 + scale_mlp) + shift_mlp)
LayerNorms carry affine weights only because the ONNX exporter of torch 1.13 needs them.
"""
import torch
from torch import nn

from .attention import Attention


def modulate(x: torch.Tensor, shift: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """x [B, T, d]; shift, scale [B, d]."""
    return x * (1 + scale.unsqueeze(1)) + shift.unsqueeze(1)


class DiTBlock(nn.Module):
    def __init__(self, d: int, heads: int, mlp_ratio: float, head_dim: int | None = None,
                 mlp_hidden: int | None = None):
        """head_dim / mlp_hidden: set by structural pruning (fewer heads, narrower MLP)."""
        super().__init__()
        self.norm1 = nn.LayerNorm(d, eps=1e-6)
        self.attn = Attention(d, heads, head_dim=head_dim)
        self.norm2 = nn.LayerNorm(d, eps=1e-6)
        self.cross = Attention(d, heads, head_dim=head_dim)
        self.norm3 = nn.LayerNorm(d, eps=1e-6)
        hidden = mlp_hidden or int(d * mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(d, hidden), nn.GELU(), nn.Linear(hidden, d))
        self.ada = nn.Sequential(nn.SiLU(), nn.Linear(d, 6 * d))
        nn.init.zeros_(self.ada[1].weight)
        nn.init.zeros_(self.ada[1].bias)

    def forward(self, x: torch.Tensor, c: torch.Tensor, ctx: torch.Tensor):
        """x [B, T, d], c [B, d], ctx [B, S, d]. Returns (x_out [B, T, d], modulated_input [B, T, d]).

        modulated_input is the timestep-modulated normalised input of the self-attention:
        the quantity TeaCache compares between steps.
        """
        shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = self.ada(c).chunk(6, dim=1)
        modulated = modulate(self.norm1(x), shift_msa, scale_msa)
        x = x + gate_msa.unsqueeze(1) * self.attn(modulated)
        x = x + self.cross(self.norm2(x), ctx)
        x = x + gate_mlp.unsqueeze(1) * self.mlp(modulate(self.norm3(x), shift_mlp, scale_mlp))
        return x, modulated
