"""Recover a torch module's weights from an ONNX file that the studio's exporter wrote from it.

The video model starts from the bundled `emoji` pipeline, whose training checkpoints are not
committed; its ONNX files are. torch's exporter keeps most initializers under their parameter
names, but a Linear layer exported as MatMul + Add stores its weight transposed under a generated
name (`onnx::MatMul_123`). That weight is found through the graph: MatMul(x, W) feeding an Add
whose other input is the initializer `<prefix>.bias` means W = `<prefix>.weight`ᵀ.
A GroupNorm becomes InstanceNormalization, then Mul by its weight and Add of its bias, both
under generated names and shaped [C, 1, 1]; the module they belong to is read from the scope in
the node's output name ("/net/net.1/body/body.0/Mul_output_0" -> "net.1.body.0").
Every parameter and buffer of the module must be found, with its exact shape, or this fails.
"""
from pathlib import Path

import onnx
import torch
from onnx import numpy_helper


def onnx_state_dict(path: Path, module: torch.nn.Module, prefix: str = "") -> dict[str, torch.Tensor]:
    """{state_dict key of `module`: tensor} read from the ONNX file at `path` (external data too).
    prefix: the name the module had inside the exported model (e.g. "" or "encoder.")."""
    model = onnx.load(str(path))
    inits = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in model.graph.initializer}
    consumers: dict[str, list] = {}
    for node in model.graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    transposed: dict[str, torch.Tensor] = {}
    for node in model.graph.node:
        if node.op_type != "MatMul" or node.input[1] not in inits:
            continue
        for add in consumers.get(node.output[0], []):
            if add.op_type != "Add":
                continue
            bias = next((n for n in add.input if n.endswith(".bias") and n in inits), None)
            if bias is not None:
                transposed[bias[: -len("bias")] + "weight"] = inits[node.input[1]].t().contiguous()
    for node in model.graph.node:
        if node.op_type in ("Mul", "Add") and len(node.input) == 2 and node.input[1].startswith("onnx::"):
            tensor = inits.get(node.input[1])
            if tensor is not None and tensor.dim() == 3:
                kind = "weight" if node.op_type == "Mul" else "bias"
                transposed.setdefault(f"{_scope(node.output[0])}.{kind}", tensor.flatten())
    out: dict[str, torch.Tensor] = {}
    missing = []
    for key, ref in module.state_dict().items():
        name = prefix + key
        tensor = inits.get(name, transposed.get(name))
        if tensor is None or tuple(tensor.shape) != tuple(ref.shape):
            missing.append(f"{name} {tuple(ref.shape)}")
            continue
        out[key] = tensor.to(ref.dtype)
    if missing:
        raise SystemExit(f"{path}: cannot recover {len(missing)} weights: {', '.join(missing[:8])}")
    return out


def load_from_onnx(path: Path, module: torch.nn.Module, prefix: str = "") -> torch.nn.Module:
    module.load_state_dict(onnx_state_dict(path, module, prefix))
    return module


def _scope(output_name: str) -> str:
    """"/net/net.1/body/body.0/Mul_output_0" -> "net.1.body.0": torch writes each child as
    "<attribute>.<index>" after its attribute, so a part that extends the previous one replaces it."""
    parts: list[str] = []
    for part in output_name.strip("/").split("/")[:-1]:
        if parts and part.startswith(parts[-1] + "."):
            parts[-1] = part
        else:
            parts.append(part)
    return ".".join(parts)
