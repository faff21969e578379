"""Export trained torch modules as a pipeline folder in the diffusers ONNX layout.

Folder written (the diffusers ONNX layout the studio reads; see the README's "Model layout"):
  model_index.json                      OnnxStableDiffusionPipeline, components below
  text_encoder/model.onnx               input_ids int32 [batch, sequence]
                                        -> last_hidden_state float32 [batch, sequence, d_text],
                                           pooler_output float32 [batch, d_text]
  transformer/model.onnx (+ model.onnx_data, external weights as Optimum names them)
                                        hidden_states float32 [batch, 4, 8, 8], timestep float32 [batch]
                                        (raw value 0..1000), encoder_hidden_states float32 [batch, sequence, d_text]
                                        -> out_sample [batch, 4, 8, 8], modulated_input [batch, T, d],
                                           block_residual [batch, T, d]
  vae_decoder/model.onnx + config.json  latent_sample float32 [batch, 4, 8, 8] -> sample [batch, 3, 64, 64] in [-1, 1]
  vae_encoder/model.onnx                sample float32 [batch, 3, 64, 64] -> latent_parameters [batch, 8, 8, 8]
  tokenizer/ vocab.json merges.txt tokenizer_config.json special_tokens_map.json
  scheduler/scheduler_config.json, README.md (model card), studio.json (optional)
Every model is checked with onnx.checker and run in onnxruntime-node against torch.
"""
import json
import tempfile
from pathlib import Path

import numpy as np
import onnx
import torch

from . import clip_bpe
from .ort_check import check_against_torch

OPSET = 17


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _export(module, args: tuple, path: Path, inputs: list[str], outputs: list[str], dynamic: dict,
            external_data: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    module.eval()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp) / "model.onnx"
        torch.onnx.export(module, args, str(tmp_path), input_names=inputs, output_names=outputs,
                          dynamic_axes=dynamic, opset_version=OPSET, do_constant_folding=True)
        model = onnx.load(str(tmp_path))
    _pin_undeclared_dims(model, module, args, dynamic)
    onnx.checker.check_model(model)
    for stale in (path, path.with_name("model.onnx_data")):
        stale.unlink(missing_ok=True)
    if external_data:
        onnx.save_model(model, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
                        location="model.onnx_data", size_threshold=0)
        onnx.checker.check_model(str(path))  # path form: resolves the external data file
    else:
        onnx.save_model(model, str(path))


def _pin_undeclared_dims(model, module, args: tuple, dynamic: dict) -> None:
    """The exporter names some static output dims symbolically (e.g. pooler_output's width comes
    out as "Reshapepooler_output_dim_1"); pin every dim not declared dynamic to torch's size."""
    with torch.no_grad():
        outs = module(*args)
    outs = outs if isinstance(outs, tuple) else (outs,)
    for value, tensor in zip(model.graph.output, outs):
        declared = dynamic.get(value.name, {})
        for axis, dim in enumerate(value.type.tensor_type.shape.dim):
            if axis not in declared:
                dim.dim_value = tensor.shape[axis]


def _verify(module, args: tuple, path: Path, inputs: list[str], outputs: list[str]) -> dict[str, float]:
    with torch.no_grad():
        want = module(*args)
    want = want if isinstance(want, tuple) else (want,)
    expected = {name: t.numpy() for name, t in zip(outputs, want)}
    atol = 1e-4 * max(1.0, max(float(np.abs(v).max()) for v in expected.values()))
    return check_against_torch(path, {n: a.numpy() for n, a in zip(inputs, args)}, expected, atol)


def export_text_encoder(model, path: Path, seq_len: int) -> dict[str, float]:
    ids = torch.randint(0, model.cfg.vocab_size - 1, (2, seq_len), dtype=torch.int32,
                        generator=torch.Generator().manual_seed(0))
    ids[:, -1] = model.cfg.vocab_size - 1  # an EOS, so pooler_output has a defined position
    names, outs = ["input_ids"], ["last_hidden_state", "pooler_output"]
    dyn = {"input_ids": {0: "batch", 1: "sequence"}, "last_hidden_state": {0: "batch", 1: "sequence"},
           "pooler_output": {0: "batch"}}
    _export(model, (ids,), path, names, outs, dyn)
    return _verify(model, (ids,), path, names, outs)


def export_transformer(model, path: Path, seq_len: int) -> dict[str, float]:
    g = torch.Generator().manual_seed(0)
    c = model.cfg
    args = (torch.randn(2, c.latent_channels, c.latent_size, c.latent_size, generator=g),
            torch.tensor([999.0, 20.5]),
            torch.randn(2, seq_len, c.d_text, generator=g))
    names = ["hidden_states", "timestep", "encoder_hidden_states"]
    outs = ["out_sample", "modulated_input", "block_residual"]
    dyn = {"hidden_states": {0: "batch"}, "timestep": {0: "batch"},
           "encoder_hidden_states": {0: "batch", 1: "sequence"},
           "out_sample": {0: "batch"}, "modulated_input": {0: "batch"}, "block_residual": {0: "batch"}}
    _export(model, args, path, names, outs, dyn, external_data=True)
    return _verify(model, args, path, names, outs)


def export_vae_decoder(decoder, path: Path, latent_channels: int, latent_size: int) -> dict[str, float]:
    z = torch.randn(2, latent_channels, latent_size, latent_size, generator=torch.Generator().manual_seed(0))
    dyn = {"latent_sample": {0: "batch"}, "sample": {0: "batch"}}
    _export(decoder, (z,), path, ["latent_sample"], ["sample"], dyn)
    return _verify(decoder, (z,), path, ["latent_sample"], ["sample"])


def export_vae_encoder(encoder, path: Path, sample_size: int) -> dict[str, float]:
    x = torch.rand(2, 3, sample_size, sample_size, generator=torch.Generator().manual_seed(0)) * 2 - 1
    dyn = {"sample": {0: "batch"}, "latent_parameters": {0: "batch"}}
    _export(encoder, (x,), path, ["sample"], ["latent_parameters"], dyn)
    return _verify(encoder, (x,), path, ["sample"], ["latent_parameters"])


def write_tokenizer(directory: Path, merges: list[tuple[str, str]], max_length: int) -> None:
    clip_bpe.write_files(directory, merges)
    special = {"bos_token": clip_bpe.BOS, "eos_token": clip_bpe.EOS, "pad_token": clip_bpe.EOS}
    _write_json(directory / "tokenizer_config.json",
                {"model_max_length": max_length, **special, "do_lower_case": True,
                 "tokenizer_class": "CLIPTokenizer"})
    _write_json(directory / "special_tokens_map.json", {**special, "unk_token": clip_bpe.EOS})


def export_pipeline(out_dir, *, text_encoder, transformer, vae, merges, scheduler_config: dict,
                    scaling_factor: float, model_card: str, studio: dict | None = None) -> dict:
    """Write the whole folder; returns {component: {output: max abs diff vs torch}}."""
    out = Path(out_dir)
    seq = text_encoder.cfg.max_length
    assert len(clip_bpe.build_vocab(merges)) == text_encoder.cfg.vocab_size, "tokenizer/text encoder vocab mismatch"
    report = {
        "text_encoder": export_text_encoder(text_encoder, out / "text_encoder/model.onnx", seq),
        "transformer": export_transformer(transformer, out / "transformer/model.onnx", seq),
        "vae_decoder": export_vae_decoder(vae.decoder, out / "vae_decoder/model.onnx",
                                          vae.cfg.latent_channels, vae.cfg.sample_size // 8),
        "vae_encoder": export_vae_encoder(vae.encoder, out / "vae_encoder/model.onnx", vae.cfg.sample_size),
    }
    _write_json(out / "text_encoder/config.json", text_encoder.cfg.to_dict())
    _write_json(out / "transformer/config.json", transformer.cfg.to_dict())
    vae_cfg = {"scaling_factor": scaling_factor, "latent_channels": vae.cfg.latent_channels,
               "sample_size": vae.cfg.sample_size}
    _write_json(out / "vae_decoder/config.json", vae_cfg)
    _write_json(out / "vae_encoder/config.json", vae_cfg)
    write_tokenizer(out / "tokenizer", merges, seq)
    _write_json(out / "scheduler/scheduler_config.json", scheduler_config)
    ort_model = ["diffusers", "OnnxRuntimeModel"]
    _write_json(out / "model_index.json", {
        "_class_name": "OnnxStableDiffusionPipeline", "_diffusers_version": "0.30.0",
        "text_encoder": ort_model, "transformer": ort_model, "vae_decoder": ort_model,
        "vae_encoder": ort_model, "tokenizer": ["transformers", "CLIPTokenizer"],
        "scheduler": ["diffusers", scheduler_config["_class_name"]]})
    (out / "README.md").write_text(model_card, encoding="utf-8")
    if studio is not None:
        _write_json(out / "studio.json", studio)
    return report
