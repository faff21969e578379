"""Build native-models/pipelines/tiny: an UNTRAINED, deterministic test fixture pipeline.

Real model files in the real format (diffusers ONNX layout, CLIP BPE tokenizer, external-data
transformer), with random weights, so the runtime can be tested end to end in seconds.
Sizes: text encoder d=32 x 2 layers, sequence length 32 (deliberately not 77, so the runtime
must read model_max_length from tokenizer_config.json); DiT d=64, depth 2, 4 heads, patch 1
(64 tokens); VAE channels (8, 16, 16, 16).

Run:  /usr/bin/python3 native-models/make_fixture.py
"""
from pathlib import Path

import torch

from studio_models.clip_bpe_train import train_merges
from studio_models.dit import DiT, DiTConfig
from studio_models.onnx_export import export_pipeline
from studio_models.text_encoder import ClipTextEncoder, TextEncoderConfig
from studio_models.vae import VAE, VAEConfig

HERE = Path(__file__).resolve().parent
OUT = HERE / "pipelines" / "tiny"
SEQ_LEN = 32
NUM_MERGES = 300

SCHEDULER = {"_class_name": "DDIMScheduler", "num_train_timesteps": 1000, "beta_start": 0.00085,
             "beta_end": 0.012, "beta_schedule": "scaled_linear", "prediction_type": "epsilon",
             "timestep_spacing": "leading", "steps_offset": 1, "clip_sample": False,
             "set_alpha_to_one": False}

MODEL_CARD = """# Tiny test fixture (untrained)

**This is not a usable image model.** It is an untrained, randomly initialised pipeline used by
the studio's tests. Its images are noise-like patterns; they carry no meaning.

- Layout: diffusers ONNX (`OnnxStableDiffusionPipeline`), DiT denoiser in `transformer/`
  (weights in `transformer/model.onnx_data`), 64x64 px images, 4x8x8 latents.
- Text encoder: CLIP-style, d=32, 2 layers, `model_max_length` 32; CLIP-format BPE tokenizer
  with {merges} merges learned from a small English corpus (`native-models/fixture_corpus.txt`).
- Denoiser: DiT (adaLN-Zero, cross-attention), d=64, depth 2, 4 heads. Extra outputs
  `modulated_input` and `block_residual` for step caching.
- Scheduler: DDIM, epsilon prediction, SD-like betas.
- VAE scaling factor {scaling:.6f} (1 / std of encoder means on random images).
- Regenerate: `/usr/bin/python3 native-models/make_fixture.py` (torch seed 1234, deterministic).
- License: MIT, as the studio.
"""


def randomize_zero_init(module: torch.nn.Module, generator: torch.Generator) -> None:
    """adaLN-Zero starts the DiT as the identity with zero output; a fixture whose denoiser
    returns exactly 0 would let broken runtime code pass, so give those layers small weights."""
    with torch.no_grad():
        for p in module.parameters():
            if p.abs().max() == 0:
                p.copy_(torch.randn(p.shape, generator=generator) * 0.05)


def main() -> None:
    torch.manual_seed(1234)
    torch.set_num_threads(2)
    g = torch.Generator().manual_seed(1234)
    merges = train_merges((HERE / "fixture_corpus.txt").read_text(encoding="utf-8").splitlines(), NUM_MERGES,
                          min_count=1)
    text_encoder = ClipTextEncoder(TextEncoderConfig(vocab_size=512 + len(merges) + 2, max_length=SEQ_LEN,
                                                     d_model=32, layers=2, heads=2)).eval()
    dit = DiT(DiTConfig(d_model=64, depth=2, heads=4, patch_size=1, d_text=32)).eval()
    randomize_zero_init(dit, g)
    vae = VAE(VAEConfig(channels=(8, 16, 16, 16))).eval()
    with torch.no_grad():
        images = torch.rand(16, 3, 64, 64, generator=g) * 2 - 1
        mean, _ = vae.encode(images)
        scaling = float(1.0 / mean.std())
    report = export_pipeline(
        OUT, text_encoder=text_encoder, transformer=dit, vae=vae, merges=merges,
        scheduler_config=SCHEDULER, scaling_factor=scaling,
        model_card=MODEL_CARD.format(merges=len(merges), scaling=scaling),
        studio={"id": "tiny", "name": "Tiny test fixture (untrained)"})
    for component, diffs in report.items():
        print(f"{component}: max |onnx - torch| " + ", ".join(f"{k}={v:.2e}" for k, v in diffs.items()))
    total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"wrote {OUT} ({total / 1e6:.2f} MB, {len(merges)} merges)")


if __name__ == "__main__":
    main()
