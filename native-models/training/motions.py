"""Procedural motions that turn one still emoji (64 px, RGB on white) into a clip.

Each motion is a function of normalised time tau in [0, 1] (frame i of F has tau = i / (F - 1)),
so an 8-frame and a 16-frame clip show the same movement. Geometry runs through affine_grid /
grid_sample on (image - 1), whose zero padding is then white, so an emoji moved off-frame leaves
a white background, like the stills. Directions are as seen on screen (y grows downwards).
The class order is the motion classifier's label order: append, never reorder.
"""
import math

import torch
import torch.nn.functional as F

# (key, phrasings). Captions are "<emoji caption> <phrasing>", e.g. "red heart pulsing".
MOTIONS: list[tuple[str, list[str]]] = [
    ("spin-cw", ["spinning clockwise", "rotating clockwise", "turning clockwise"]),
    ("spin-ccw", ["spinning counterclockwise", "rotating counterclockwise", "turning anticlockwise"]),
    ("bounce", ["bouncing", "bouncing up and down", "hopping"]),
    ("zoom-in", ["zooming in", "growing", "getting bigger"]),
    ("zoom-out", ["zooming out", "shrinking", "getting smaller"]),
    ("slide-left", ["sliding in from the left", "entering from the left", "moving in from the left"]),
    ("slide-right", ["sliding in from the right", "entering from the right", "moving in from the right"]),
    ("slide-top", ["sliding in from the top", "dropping in from above", "falling into view"]),
    ("slide-bottom", ["sliding in from the bottom", "rising in from below", "coming up from below"]),
    ("fly-up", ["flying up", "flying away upwards", "taking off upwards"]),
    ("pulse", ["pulsing", "pulsing like a heartbeat", "beating like a heart"]),
    ("shake", ["shaking", "shaking side to side", "trembling"]),
    ("wobble", ["wobbling", "rocking back and forth", "wiggling"]),
    ("fade-in", ["fading in", "appearing", "slowly appearing"]),
    ("fade-out", ["fading out", "disappearing", "vanishing"]),
    ("colour-cycle", ["changing colours", "cycling through colours", "shifting through rainbow colours"]),
]
MOTION_KEYS = [k for k, _ in MOTIONS]


def _ease_out(t: torch.Tensor) -> torch.Tensor:
    return 1 - (1 - t) ** 2


def _geometry(key: str, tau: torch.Tensor):
    """(angle in radians, clockwise on screen; scale; dx; dy in half-widths) per frame [F]."""
    zero, one = torch.zeros_like(tau), torch.ones_like(tau)
    if key == "spin-cw":
        return 2 * math.pi * tau, one, zero, zero
    if key == "spin-ccw":
        return -2 * math.pi * tau, one, zero, zero
    if key == "bounce":
        return zero, one, zero, -0.45 * torch.abs(torch.sin(2 * math.pi * tau))
    if key == "zoom-in":
        return zero, 0.3 + 0.7 * tau, zero, zero
    if key == "zoom-out":
        return zero, 1.0 - 0.7 * tau, zero, zero
    if key == "slide-left":
        return zero, one, -2.0 * (1 - _ease_out(tau)), zero
    if key == "slide-right":
        return zero, one, 2.0 * (1 - _ease_out(tau)), zero
    if key == "slide-top":
        return zero, one, zero, -2.0 * (1 - _ease_out(tau))
    if key == "slide-bottom":
        return zero, one, zero, 2.0 * (1 - _ease_out(tau))
    if key == "fly-up":
        return zero, one, zero, -2.0 * tau ** 2
    if key == "pulse":  # two heartbeats: a quick swell and release, twice
        beat = torch.clamp(torch.sin(4 * math.pi * tau), min=0) ** 2
        return zero, 0.8 + 0.35 * beat, zero, zero
    if key == "shake":
        return zero, one, 0.22 * torch.sin(8 * math.pi * tau), zero
    if key == "wobble":
        return math.radians(25) * torch.sin(4 * math.pi * tau), one, zero, zero
    return zero, one, zero, zero


def _hue_rotate(x: torch.Tensor, angle: torch.Tensor) -> torch.Tensor:
    """x [F, 3, H, W] in [-1, 1]; rotate hue by angle [F] radians about the grey axis (white stays white)."""
    c, s = torch.cos(angle).view(-1, 1, 1), torch.sin(angle).view(-1, 1, 1)
    k = 1 / 3
    sq = math.sqrt(k)
    m = c * torch.eye(3) + (1 - c) * k * torch.ones(3, 3) + s * sq * torch.tensor(
        [[0.0, -1, 1], [1, 0, -1], [-1, 1, 0]])                                  # Rodrigues, [F, 3, 3]
    y = torch.einsum("fij,fjhw->fihw", m, (x + 1) / 2)
    return y.clamp(0, 1) * 2 - 1


def animate(image: torch.Tensor, key: str, frames: int) -> torch.Tensor:
    """image [3, 64, 64] in [-1, 1] -> clip [F, 3, 64, 64] in [-1, 1]."""
    tau = torch.linspace(0, 1, frames)
    x = image.unsqueeze(0).expand(frames, -1, -1, -1)
    if key == "fade-in" or key == "fade-out":
        alpha = (tau if key == "fade-in" else 1 - tau).view(-1, 1, 1, 1)
        return alpha * x + (1 - alpha) * 1.0
    if key == "colour-cycle":
        return _hue_rotate(x, 2 * math.pi * tau)
    angle, scale, dx, dy = _geometry(key, tau)
    # Output pixel p samples input at R(-angle) (p - offset) / scale: the content turns by +angle
    # (clockwise on screen, since y points down), is scaled by `scale` and moved by (dx, dy).
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, sin, -(cos * dx + sin * dy)], 1),
                         torch.stack([-sin, cos, -(-sin * dx + cos * dy)], 1)], 1)      # [F, 2, 3]
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x - 1, grid, mode="bilinear", padding_mode="zeros", align_corners=False) + 1
