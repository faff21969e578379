"""CLIP-style causal transformer text encoder.

forward(input_ids [B, S] int32 or int64) -> last_hidden_state [B, S, d] float32,
                                            pooler_output [B, d] float32
pooler_output is the final-LayerNorm state at the EOS token, found as CLIP does with
argmax(input_ids): <|endoftext|> has the highest id, and argmax returns the first maximum,
so with EOS padding it picks the real EOS.
"""
from dataclasses import asdict, dataclass

import torch
from torch import nn

from .attention import Attention


@dataclass
class TextEncoderConfig:
    vocab_size: int = 4096
    max_length: int = 32
    d_model: int = 128
    layers: int = 4
    heads: int = 4
    mlp_ratio: float = 4.0

    def to_dict(self) -> dict:
        return asdict(self)


class QuickGELU(nn.Module):
    """CLIP's activation: x * sigmoid(1.702 x)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(1.702 * x)


class EncoderLayer(nn.Module):
    def __init__(self, d: int, heads: int, mlp_ratio: float):
        super().__init__()
        self.norm1 = nn.LayerNorm(d)
        self.attn = Attention(d, heads)
        self.norm2 = nn.LayerNorm(d)
        hidden = int(d * mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(d, hidden), QuickGELU(), nn.Linear(hidden, d))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x), mask=mask)
        return x + self.mlp(self.norm2(x))


class ClipTextEncoder(nn.Module):
    def __init__(self, cfg: TextEncoderConfig):
        super().__init__()
        self.cfg = cfg
        d = cfg.d_model
        self.token_embedding = nn.Embedding(cfg.vocab_size, d)
        self.position_embedding = nn.Parameter(torch.randn(cfg.max_length, d) * 0.01)
        nn.init.normal_(self.token_embedding.weight, std=0.02)
        self.layers = nn.ModuleList(EncoderLayer(d, cfg.heads, cfg.mlp_ratio) for _ in range(cfg.layers))
        self.final_norm = nn.LayerNorm(d)
        # Additive causal mask [S, S]: token i attends to tokens 0..i.
        causal = torch.full((cfg.max_length, cfg.max_length), float("-inf")).triu(1)
        self.register_buffer("causal_mask", causal, persistent=False)

    def forward(self, input_ids: torch.Tensor):
        ids = input_ids.long()
        s = ids.shape[1]
        x = self.token_embedding(ids) + self.position_embedding[:s]
        mask = self.causal_mask[:s, :s]
        for layer in self.layers:
            x = layer(x, mask)
        x = self.final_norm(x)
        eos_index = ids.argmax(dim=-1)                                   # [B]
        pooled = x[torch.arange(x.shape[0]), eos_index]                  # [B, d]
        return x, pooled
