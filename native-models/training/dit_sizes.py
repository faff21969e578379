"""DiT sizes of the bundled models. The large model is `emoji`; `emoji-small` is derived from it
by structural pruning and distillation (train_small.py), sharing the VAE and text encoder.

Size rule (issue 3, 2 CPU cores): the large DiT must reach >= 4,000 steps at batch 64 within its
first 45-minute budget (now a 7,229-step cap). Measured with cached text states (2 torch threads, s/step at
batch 64; one torch thread is 2-3x faster, see train_all.py):
d256/depth6/patch2 1.40, d192/depth6/patch2 1.17, d256/depth4/patch2 0.98, d192/depth4/mlp2 0.73,
d160/depth6/mlp3 1.01, d128/depth6/patch2 0.60 -> d128, depth 6, 4 heads, patch 2 (16 tokens).
"""
from studio_models.dit import DiTConfig

from .text_model import TEXT_D_MODEL

LARGE = DiTConfig(d_model=128, depth=6, heads=4, mlp_ratio=4.0, patch_size=2, d_text=TEXT_D_MODEL, pooled_text=True)
SIZES = {"large": LARGE}
