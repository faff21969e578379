"""DiT sizes of the bundled models. The large model is `emoji`; `emoji-small` is derived from it
by structural pruning and distillation (a later stage), sharing the VAE and text encoder."""
from studio_models.dit import DiTConfig

from .text_model import TEXT_D_MODEL

LARGE = DiTConfig(d_model=256, depth=6, heads=4, mlp_ratio=4.0, patch_size=1, d_text=TEXT_D_MODEL)
SIZES = {"large": LARGE}
