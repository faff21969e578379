"""Video DiT: the image DiT inflated with a temporal attention per block (STDiT layout).

forward(hidden_states [B, 4, F, L, L] float32, timestep [B] in [0, 1000],
        encoder_hidden_states [B, S, d_text])
  -> out_sample [B, 4, F, L, L], modulated_input [B, F*T, d], block_residual [B, F*T, d]
with T = (L / patch)^2 tokens per frame; tokens are ordered frame-major (frame 0's T tokens first).

Per block: x += gate_msa * SpatialAttn(mod(LN(x)))  over each frame's T tokens    [B*F, T, d]
           x += TemporalAttn(LN_t(x) + frame_pos)    over each token's F frames    [B*T, F, d]
           x += CrossAttn(LN(x), text)                over all F*T tokens at once   [B, F*T, d]
           x += gate_mlp * MLP(mod(LN(x)))
Cross-attention of every token against the same text keys is the per-frame cross-attention, so the
text K/V are computed once per clip, not once per frame. The temporal attention's output projection
starts at zero, so an untrained video model is the image model applied frame by frame; its q/k/v
start random so the projection's gradient is not zero (zeroing both factors would never train).
Frame positions are sin-cos of time normalised to the clip, position_i = i * (REF_FRAMES - 1) /
(F - 1), so an 8-frame and a 16-frame clip span the same motion and frame counts in between need
no retraining.
"""
import math
from dataclasses import asdict, dataclass

import torch
from torch import nn

from .attention import Attention
from .dit import DiT, DiTConfig
from .dit_block import modulate

REF_FRAMES = 16


@dataclass
class VideoDiTConfig(DiTConfig):
    num_frames: int = 16  # the default clip length; any F >= 2 runs

    def to_dict(self) -> dict:
        return asdict(self)


def frame_positions(frames: int, d: int) -> torch.Tensor:
    """Sin-cos embedding [F, d] of each frame's normalised time (see the module docstring)."""
    pos = torch.arange(frames, dtype=torch.float32) * ((REF_FRAMES - 1) / max(1, frames - 1))
    half = d // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = pos.unsqueeze(1) * freqs.unsqueeze(0)
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


class TemporalLayer(nn.Module):
    def __init__(self, d: int, heads: int):
        super().__init__()
        self.norm = nn.LayerNorm(d, eps=1e-6)
        self.attn = Attention(d, heads)
        nn.init.zeros_(self.attn.out.weight)
        nn.init.zeros_(self.attn.out.bias)

    def forward(self, x: torch.Tensor, frames: int, pos: torch.Tensor) -> torch.Tensor:
        """x [B, F*T, d] -> the update to add, same shape."""
        b, n, d = x.shape
        t = n // frames
        h = x.reshape(b, frames, t, d).transpose(1, 2).reshape(b * t, frames, d)
        h = self.attn(self.norm(h) + pos)
        return h.reshape(b, t, frames, d).transpose(1, 2).reshape(b, n, d)


class VideoDiT(DiT):
    """Same parameter names as DiT for every inherited layer, so the image weights load as they are."""

    def __init__(self, cfg: VideoDiTConfig):
        super().__init__(cfg)
        self.temporal = nn.ModuleList(TemporalLayer(cfg.d_model, cfg.heads) for _ in range(cfg.depth))

    def forward(self, hidden_states: torch.Tensor, timestep: torch.Tensor, encoder_hidden_states: torch.Tensor):
        b, c, f, hh, ww = hidden_states.shape
        frames_first = hidden_states.transpose(1, 2).reshape(b * f, c, hh, ww)
        x = self.patch_embed(frames_first).flatten(2).transpose(1, 2) + self.pos_embed   # [B*F, T, d]
        t, d = x.shape[1], x.shape[2]
        x = x.reshape(b, f * t, d)
        cond = self.condition(timestep, encoder_hidden_states)                          # [B, d]
        ctx = self.context_proj(encoder_hidden_states)                                  # [B, S, d]
        pos = frame_positions(f, d)
        x_in = x
        modulated_input = None
        for block, temporal in zip(self.blocks, self.temporal):
            shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = block.ada(cond).chunk(6, dim=1)
            modulated = modulate(block.norm1(x), shift_msa, scale_msa)
            if modulated_input is None:
                modulated_input = modulated
            spatial = block.attn(modulated.reshape(b * f, t, d)).reshape(b, f * t, d)
            x = x + gate_msa.unsqueeze(1) * spatial
            x = x + temporal(x, f, pos)
            x = x + block.cross(block.norm2(x), ctx)
            x = x + gate_mlp.unsqueeze(1) * block.mlp(modulate(block.norm3(x), shift_mlp, scale_mlp))
        block_residual = x - x_in
        shift, scale = self.ada_out(cond).chunk(2, dim=1)
        out = self.proj_out(modulate(self.norm_out(x), shift, scale))                   # [B, F*T, p*p*C]
        out = self.unpatchify(out.reshape(b * f, t, -1))                                # [B*F, C, L, L]
        return out.reshape(b, f, c, hh, ww).transpose(1, 2), modulated_input, block_residual


def inflate(image: DiT, num_frames: int = 16) -> VideoDiT:
    """A video DiT holding `image`'s weights, with zero-output temporal layers."""
    video = VideoDiT(VideoDiTConfig(**image.cfg.to_dict(), num_frames=num_frames))
    missing, unexpected = video.load_state_dict(image.state_dict(), strict=False)
    assert not unexpected and all(k.startswith("temporal.") for k in missing), (missing, unexpected)
    return video
