"""Compare an exported ONNX model, run by onnxruntime-node, against the torch outputs."""
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np

RUNNER = Path(__file__).resolve().parent.parent / "ort_run.cjs"
DTYPES = {np.dtype("float32"): "float32", np.dtype("int32"): "int32", np.dtype("int64"): "int64"}


def run_onnx(model_path, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    with tempfile.TemporaryDirectory() as tmp:
        specs = []
        for name, array in inputs.items():
            file = Path(tmp) / f"in_{name}.bin"
            np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tofile(file)
            specs.append({"name": name, "dtype": DTYPES[array.dtype], "dims": list(array.shape), "file": str(file)})
        spec = Path(tmp) / "spec.json"
        spec.write_text(json.dumps({"model": str(model_path), "inputs": specs, "outDir": tmp}))
        subprocess.run(["node", str(RUNNER), str(spec)], check=True)
        meta = json.loads((Path(tmp) / "outputs.json").read_text())
        meta.pop("__inputs")
        return {name: np.fromfile(Path(tmp) / f"{name}.bin", dtype=m["dtype"]).reshape(m["dims"])
                for name, m in meta.items()}


def check_against_torch(model_path, inputs: dict[str, np.ndarray], expected: dict[str, np.ndarray],
                        atol: float = 1e-4) -> dict[str, float]:
    """Raise if any output differs from torch's by more than atol; return the max abs differences."""
    got = run_onnx(model_path, inputs)
    diffs = {}
    for name, want in expected.items():
        if name not in got:
            raise AssertionError(f"{model_path}: output {name} missing (got {sorted(got)})")
        if got[name].shape != want.shape:
            raise AssertionError(f"{model_path}: {name} shape {got[name].shape} != torch {want.shape}")
        diffs[name] = float(np.max(np.abs(got[name] - want))) if want.size else 0.0
        if diffs[name] > atol:
            raise AssertionError(f"{model_path}: {name} differs from torch by {diffs[name]:.3g} > {atol}")
    return diffs
