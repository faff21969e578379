"""Write finished-stage checkpoints for the stages that do not read captions, recovered from the
committed pipeline's ONNX files: the VAE, the tiny VAE decoder and the evaluation classifier.

A change to the training captions retrains only the tokenizer, the text encoder, the DiTs and the
video model; this lets `train_all.py --from-stage train_tokenizer.py --reuse-shipped` skip the
56 minutes the three caption-free stages take, and keeps their exported ONNX weights unchanged
(the evaluation classifier in particular must stay fixed for results to be comparable).
Each checkpoint records the step count and minutes of the run that produced it
(eval/metrics.json `stage_training`), so the model card still reports them.
Run:  /usr/bin/python3 native-models/recover_stages.py [--work-root DIR]
"""
import argparse
import json
from pathlib import Path

import onnx
import torch
from onnx import numpy_helper

from studio_models.ort_check import check_against_torch
from train_classifier import Classifier
from train_tiny_vae import TinyDecoder
from training import checkpoint
from training.base_pipeline import load_base
from training.onnx_weights import load_from_onnx, onnx_state_dict

HERE = Path(__file__).resolve().parent
EMOJI = HERE / "pipelines" / "emoji"
EVAL = HERE / "eval"


def write(stage: str, key: str, module: torch.nn.Module, record: dict, work_root) -> None:
    path = checkpoint.stage_dir(stage, work_root) / "ckpt.pt"
    extra = {"_spent_seconds": record["minutes"] * 60, "recovered_from_onnx": True}
    checkpoint.save(path, record["steps"], {key: module}, {}, torch.Generator(), extra)
    print(f"{stage}: step {record['steps']} recovered from ONNX -> {path}", flush=True)


def load_folded_classifier(path: Path, model: Classifier) -> None:
    """torch's exporter folds each BatchNorm into the Conv before it (Conv weight W' = W·γ/σ, bias
    b' = β − μ·γ/σ). The folded pair is restored as Conv W' and an identity BatchNorm (γ = 1,
    μ = 0, σ² = 1 − eps) that adds b', which computes the same function and exports to the same
    Conv again. The Conv's module is read from its output name ("/body/body.3/Conv_output_0")."""
    graph = onnx.load(str(path)).graph
    inits = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    state = model.state_dict()
    for node in graph.node:
        if node.op_type != "Conv":
            continue
        index = int(node.output[0].split("/")[2].removeprefix("body."))
        conv, norm = f"body.{index}", f"body.{index + 1}"
        eps = model.body[index + 1].eps
        state[f"{conv}.weight"] = inits[node.input[1]]
        state.update({f"{norm}.weight": torch.ones_like(state[f"{norm}.weight"]), f"{norm}.bias": inits[node.input[2]],
                      f"{norm}.running_mean": torch.zeros_like(state[f"{norm}.running_mean"]),
                      f"{norm}.running_var": torch.full_like(state[f"{norm}.running_var"], 1 - eps)})
    state.update({f"head.{k}": v for k, v in onnx_state_dict(path, model.head, "head.").items()})
    model.load_state_dict(state)


def check_classifier(path: Path, classifier: Classifier) -> None:
    """The recovered classifier must match onnxruntime-node on a fixed input."""
    images = torch.randn(4, 3, 64, 64, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        logits, features = classifier(images)
    diffs = check_against_torch(path, {"images": images.numpy()},
                                {"logits": logits.numpy(), "features": features.numpy()})
    print(f"classifier recovered; largest |onnx - torch| {max(diffs.values()):.2g}", flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--work-root", default=None)
    args = p.parse_args()
    records = json.loads((EVAL / "metrics.json").read_text())["stage_training"]
    base = load_base(EMOJI)
    write("vae", "vae", base.vae, records["vae"], args.work_root)
    tiny = TinyDecoder()
    load_from_onnx(EMOJI / "vae_decoder_tiny" / "model.onnx", tiny)
    write("vae_tiny", "tiny", tiny, records["vae_tiny"], args.work_root)
    classes = json.loads((EVAL / "classifier" / "classes.json").read_text())
    classifier = Classifier(len(classes))
    load_folded_classifier(EVAL / "classifier" / "model.onnx", classifier)
    check_classifier(EVAL / "classifier" / "model.onnx", classifier.eval())
    write("classifier", "classifier", classifier, records["classifier"], args.work_root)


if __name__ == "__main__":
    main()
