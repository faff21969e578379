"""Count multiply-accumulates of one forward pass (Linear, Conv2d and attention matmuls).

Normalisations and activations are left out (they are O(elements), not O(elements x width)),
as in the usual MACs tables (e.g. Hybrid SD's cost model). Returns MACs for the given inputs.
"""
import torch
from torch import nn

from .attention import Attention


def count_macs(module: nn.Module, *inputs) -> int:
    total = 0

    def linear(m: nn.Linear, args, out):
        nonlocal total
        total += out.numel() * m.in_features

    def conv(m: nn.Conv2d, args, out):
        nonlocal total
        total += out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]

    def attention(m: Attention, args, out):
        nonlocal total
        x = args[0]
        ctx = args[1] if len(args) > 1 and args[1] is not None else x
        b, t, s = x.shape[0], x.shape[1], ctx.shape[1]
        total += 2 * b * m.heads * t * s * m.head_dim  # q k^T and weights v

    handles = []
    for m in module.modules():
        if isinstance(m, nn.Linear):
            handles.append(m.register_forward_hook(linear))
        elif isinstance(m, nn.Conv2d):
            handles.append(m.register_forward_hook(conv))
        elif isinstance(m, Attention):
            handles.append(m.register_forward_hook(attention))
    try:
        with torch.no_grad():
            module(*inputs)
    finally:
        for h in handles:
            h.remove()
    return total
