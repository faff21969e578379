"""The bundled `emoji` pipeline as torch modules, read back from its committed ONNX files.

The video model is built on the image model's weights and shares its text encoder and VAE by
hash, so it starts from exactly what the studio ships rather than from a training checkpoint.
`load_base()` checks each recovered module against onnxruntime-node on a fixed input.
"""
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from studio_models.clip_bpe import ClipBPE, read_merges
from studio_models.dit import DiT, DiTConfig
from studio_models.ort_check import check_against_torch
from studio_models.text_encoder import ClipTextEncoder, TextEncoderConfig
from studio_models.vae import VAE, VAEConfig
from .onnx_weights import load_from_onnx

BASE = Path(__file__).resolve().parent.parent / "pipelines" / "emoji"


@dataclass
class BasePipeline:
    folder: Path
    dit: DiT
    vae: VAE
    text: ClipTextEncoder
    bpe: ClipBPE
    scaling_factor: float


def _json(path: Path) -> dict:
    return json.loads(path.read_text())


def load_base(folder: Path = BASE, check: bool = True) -> BasePipeline:
    dit = load_from_onnx(folder / "transformer/model.onnx", DiT(DiTConfig(**_json(folder / "transformer/config.json"))))
    vae_cfg = _json(folder / "vae_decoder/config.json")
    from train_vae import CONFIG as VAE_CONFIG  # the architecture; sizes are checked by the load
    vae = VAE(VAEConfig(**{**VAE_CONFIG.to_dict(), "latent_channels": vae_cfg["latent_channels"],
                           "sample_size": vae_cfg["sample_size"]}))
    load_from_onnx(folder / "vae_encoder/model.onnx", vae.encoder)
    load_from_onnx(folder / "vae_decoder/model.onnx", vae.decoder)
    text = load_from_onnx(folder / "text_encoder/model.onnx",
                          ClipTextEncoder(TextEncoderConfig(**_json(folder / "text_encoder/config.json"))))
    max_length = _json(folder / "tokenizer/tokenizer_config.json")["model_max_length"]
    bpe = ClipBPE(read_merges(folder / "tokenizer/merges.txt"), max_length)
    for m in (dit, vae, text):
        m.eval().requires_grad_(False)
    if check:
        _check(folder, dit, vae, text)
    return BasePipeline(folder, dit, vae, text, bpe, float(vae_cfg["scaling_factor"]))


@torch.no_grad()
def _check(folder: Path, dit: DiT, vae: VAE, text: ClipTextEncoder) -> None:
    g = torch.Generator().manual_seed(0)
    x = torch.randn(2, 4, 8, 8, generator=g)
    t = torch.tensor([999.0, 20.5])
    ctx = torch.randn(2, text.cfg.max_length, dit.cfg.d_text, generator=g)
    out = dit(x, t, ctx)
    check_against_torch(folder / "transformer/model.onnx",
                        {"hidden_states": x.numpy(), "timestep": t.numpy(), "encoder_hidden_states": ctx.numpy()},
                        {"out_sample": out[0].numpy()}, atol=1e-3)
    check_against_torch(folder / "vae_decoder/model.onnx", {"latent_sample": x.numpy()},
                        {"sample": vae.decoder(x).numpy()}, atol=1e-3)
    ids = np.full((2, text.cfg.max_length), text.cfg.vocab_size - 1, dtype=np.int32)
    ids[:, :3] = [[1, 5, 9], [2, 7, 11]]
    states, _ = text(torch.from_numpy(ids))
    check_against_torch(folder / "text_encoder/model.onnx", {"input_ids": ids},
                        {"last_hidden_state": states.numpy()}, atol=1e-3)
