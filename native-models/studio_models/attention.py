"""Multi-head attention written with plain matmuls so it exports to ONNX opset <= 17.

torch 1.13 has no scaled_dot_product_attention, and nn.MultiheadAttention's export carries
extra transposes; this version keeps the graph small and readable.
"""
import math

import torch
from torch import nn


class Attention(nn.Module):
    """Self- or cross-attention. Queries come from x [B, T, d]; keys/values from ctx [B, S, d_ctx]."""

    def __init__(self, d: int, heads: int, d_ctx: int | None = None, head_dim: int | None = None):
        """head_dim defaults to d / heads; a head-pruned attention keeps the original head_dim
        with fewer heads, so its inner width heads * head_dim is below d."""
        super().__init__()
        if head_dim is None:
            assert d % heads == 0, f"d={d} is not divisible by heads={heads}"
            head_dim = d // heads
        self.heads = heads
        self.head_dim = head_dim
        inner = heads * head_dim
        d_ctx = d if d_ctx is None else d_ctx
        self.q = nn.Linear(d, inner)
        self.k = nn.Linear(d_ctx, inner)
        self.v = nn.Linear(d_ctx, inner)
        self.out = nn.Linear(inner, d)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        # [B, N, d] -> [B, heads, N, head_dim]
        b, n, _ = x.shape
        return x.reshape(b, n, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x: torch.Tensor, ctx: torch.Tensor | None = None,
                mask: torch.Tensor | None = None) -> torch.Tensor:
        """mask: additive [T, S] (0 = attend, -inf = blocked), broadcast over batch and heads."""
        ctx = x if ctx is None else ctx
        q, k, v = self._split(self.q(x)), self._split(self.k(ctx)), self._split(self.v(ctx))
        scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(self.head_dim))
        if mask is not None:
            scores = scores + mask
        weights = torch.softmax(scores, dim=-1)                  # [B, heads, T, S]
        y = torch.matmul(weights, v)                             # [B, heads, T, head_dim]
        b, _, t, _ = y.shape
        return self.out(y.transpose(1, 2).reshape(b, t, self.heads * self.head_dim))
