"""Stage: export emoji-motion as a pipeline folder, and its evaluation assets.

pipelines/emoji-motion/
  transformer/model.onnx (+ model.onnx_data)  the video DiT's EMA weights; hidden_states
      [batch, 4, frames, 8, 8] with `frames` a dynamic axis (checked at 8 and 16 against torch)
  transformer/probe.onnx   block 0's modulated input [batch, frames*16, 128] (TeaCache's indicator)
  text_encoder/, tokenizer/, vae_decoder/, vae_decoder_tiny/, vae_encoder/, scheduler/: byte copies
      of pipelines/emoji, so the studio shares them by hash
  studio.json (id, name, video frame range and fps), README.md (model card), contact-sheet.png,
  preview.gif
eval/motion/
  classifier.onnx   the motion classifier (train_motion_classifier.py): clips [B, 3, 8, 64, 64]
                    -> logits [B, classes], features [B, 128]
  classes.json      motion keys and phrasings, in label order
  prompts.jsonl     held-out prompts: {prompt, hexcode, subcategory, motion, set}
  real-features.f32 float32 [N, 128] little-endian: classifier features of the real held-out clips
                    after the VAE round trip, the reference set of the Fréchet distance
  metrics.json      the classifier's own accuracy on those real clips (the ceiling), counts
"""
import json
import shutil
import tempfile
from pathlib import Path

import torch
from PIL import Image
from torch import nn

from studio_models.dit_block import modulate
from studio_models.onnx_export import _export, _verify, _write_json
from studio_models.video_dit import VideoDiT, VideoDiTConfig
from training import checkpoint
from training.base_pipeline import load_base
from training.motion_clips import clip_split, motion_names
from training.motions import MOTIONS
from training.text_model import tokenize
from train_motion_classifier import MotionClassifier, cached, to_float
from training.accuracy import topk_accuracy
from training.motion_card import motion_card
from studio_models.folder_hash import folder_hash
from studio_models.macs import count_macs

HERE = Path(__file__).resolve().parent
SHARED = ("text_encoder", "tokenizer", "vae_decoder", "vae_decoder_tiny", "vae_encoder", "scheduler")
VIDEO = {"framesMin": 8, "framesMax": 16, "framesDefault": 16, "fpsDefault": 10}
SHEET_PROMPTS = ["red heart pulsing like a heartbeat", "rocket flying up", "grinning face spinning clockwise",
                 "soccer ball bouncing", "sun with rays changing colours", "cat face sliding in from the left",
                 "star zooming in", "ghost fading out"]


class VideoProbe(nn.Module):
    """hidden_states [B, 4, F, 8, 8], timestep, encoder_hidden_states -> block 0's modulated input
    [B, F*T, d], identical to the transformer's `modulated_input`."""

    def __init__(self, dit: VideoDiT):
        super().__init__()
        self.dit = dit

    def forward(self, hidden_states, timestep, encoder_hidden_states):
        d = self.dit
        b, c, f, h, w = hidden_states.shape
        x = d.patch_embed(hidden_states.transpose(1, 2).reshape(b * f, c, h, w)).flatten(2).transpose(1, 2) + d.pos_embed
        x = x.reshape(b, -1, x.shape[2])
        cond = d.condition(timestep, encoder_hidden_states)
        shift, scale, _, _, _, _ = d.blocks[0].ada(cond).chunk(6, dim=1)
        return modulate(d.blocks[0].norm1(x), shift, scale)


@torch.no_grad()
def sample_clips(dit, base, prompts, frames=16, steps=30, cfg=4.0, seed=0) -> torch.Tensor:
    """Flow-Euler with CFG in torch -> clips [B, F, 3, 64, 64] in [-1, 1]."""
    b = len(prompts)
    cond, _ = base.text(tokenize(base.bpe, prompts))
    uncond, _ = base.text(tokenize(base.bpe, [""] * b))
    x = torch.randn(b, 4, frames, 8, 8, generator=torch.Generator().manual_seed(seed))
    sigmas = torch.linspace(1.0, 0.0, steps + 1)
    for i in range(steps):
        t = sigmas[i].expand(b) * 1000
        vc, vu = dit(x, t, cond)[0], dit(x, t, uncond)[0]
        x = x + (sigmas[i + 1] - sigmas[i]) * (vu + cfg * (vc - vu))
    flat = x.transpose(1, 2).reshape(b * frames, 4, 8, 8) / base.scaling_factor
    return base.vae.decoder(flat).clamp(-1, 1).reshape(b, frames, 3, 64, 64)


def to_images(clip: torch.Tensor) -> list[Image.Image]:
    arr = ((clip + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()
    return [Image.fromarray(a) for a in arr]


def write_sheet_and_gif(clips: torch.Tensor, out: Path) -> None:
    frames = clips.shape[1]
    sheet = Image.new("RGB", (64 * frames, 64 * len(clips)), "white")
    for r, clip in enumerate(clips):
        for k, im in enumerate(to_images(clip)):
            sheet.paste(im, (64 * k, 64 * r))
    sheet.save(out / "contact-sheet.png", optimize=True)
    cols = 4
    rows = (len(clips) + cols - 1) // cols
    gif = []
    for k in range(frames):
        canvas = Image.new("RGB", (64 * cols, 64 * rows), "white")
        for r, clip in enumerate(clips):
            canvas.paste(to_images(clip[k:k + 1])[0], (64 * (r % cols), 64 * (r // cols)))
        gif.append(canvas.resize((128 * cols, 128 * rows), Image.NEAREST))
    gif[0].save(out / "preview.gif", save_all=True, append_images=gif[1:], duration=100, loop=0)


def export_pipeline(dit: VideoDiT, base, out: Path) -> dict:
    for component in SHARED:
        shutil.rmtree(out / component, ignore_errors=True)
        shutil.copytree(base.folder / component, out / component)
    g = torch.Generator().manual_seed(0)
    args = (torch.randn(2, 4, 16, 8, 8, generator=g), torch.tensor([999.0, 20.5]), torch.randn(2, 32, 128, generator=g))
    names, outs = ["hidden_states", "timestep", "encoder_hidden_states"], ["out_sample", "modulated_input", "block_residual"]
    dyn = {"hidden_states": {0: "batch", 2: "frames"}, "timestep": {0: "batch"},
           "encoder_hidden_states": {0: "batch", 1: "sequence"}, "out_sample": {0: "batch", 2: "frames"},
           "modulated_input": {0: "batch", 1: "tokens"}, "block_residual": {0: "batch", 1: "tokens"}}
    path = out / "transformer" / "model.onnx"
    _export(dit, args, path, names, outs, dyn, external_data=True)
    report = {"frames16": _verify(dit, args, path, names, outs)}
    args8 = (args[0][:, :, :8].contiguous(), args[1], args[2])
    report["frames8"] = _verify(dit, args8, path, names, outs)
    probe = VideoProbe(dit).eval()
    probe_axes = {"hidden_states": {0: "batch", 2: "frames"}, "timestep": {0: "batch"},
                  "encoder_hidden_states": {0: "batch"}, "modulated_input": {0: "batch", 1: "tokens"}}
    with tempfile.TemporaryDirectory() as tmp:  # _export clears a stale model.onnx_data next to its target
        _export(probe, args, Path(tmp) / "probe.onnx", names, ["modulated_input"], probe_axes)
        shutil.copyfile(Path(tmp) / "probe.onnx", out / "transformer" / "probe.onnx")
    report["probe"] = _verify(probe, args8, out / "transformer" / "probe.onnx", names, ["modulated_input"])
    _write_json(out / "transformer" / "config.json", dit.cfg.to_dict())
    _write_json(out / "model_index.json", json.loads((base.folder / "model_index.json").read_text()))
    _write_json(out / "studio.json", {"id": "emoji-motion", "name": "Emoji motion (video DiT, flow matching)",
                                      "video": VIDEO})
    return report


def export_eval(base, work_root, eval_dir: Path) -> dict:
    eval_dir.mkdir(parents=True, exist_ok=True)
    clf = MotionClassifier(len(MOTIONS))
    work = checkpoint.stage_dir("motion_classifier", work_root)
    checkpoint.load_modules(work / "ckpt.pt", {"model": clf})
    clf.eval()
    x = torch.zeros(2, 3, 8, 64, 64)
    _export(clf, (x,), eval_dir / "classifier.onnx", ["clips"], ["logits", "features"],
            {"clips": {0: "batch"}, "logits": {0: "batch"}, "features": {0: "batch"}})
    _verify(clf, (torch.rand(2, 3, 8, 64, 64) * 2 - 1,), eval_dir / "classifier.onnx", ["clips"], ["logits", "features"])
    (eval_dir / "classes.json").write_text(json.dumps(motion_names(), indent=1) + "\n")
    metrics, feats, lines = {}, [], []
    for name, label in (("eval_emoji", "held-out emoji"), ("eval_pairs", "held-out pair")):
        clips, labels = cached(base, name, work)
        with torch.no_grad():
            logits, f = zip(*(clf(to_float(clips[i:i + 128])) for i in range(0, len(clips), 128)))
        metrics[name] = {**topk_accuracy(torch.cat(logits), labels), "clips": len(clips)}
        feats.append(torch.cat(f))
        data = clip_split(base, name, checkpoint.stage_dir("motion_clips", work_root))
        for (image, motion), meta in zip(data["items"][16], data["metas"][16]):
            lines.append({"prompt": f"{meta['label']} {MOTIONS[motion][1][0]}", "hexcode": meta["hexcode"],
                          "subcategory": meta["subgroup"], "motion": MOTIONS[motion][0], "set": label})
    torch.cat(feats).float().numpy().astype("<f4").tofile(eval_dir / "real-features.f32")
    (eval_dir / "prompts.jsonl").write_text("".join(json.dumps(l) + "\n" for l in lines))
    result = {"classifier_accuracy_on_real_clips": metrics, "feature_dim": 128, "real_clips": sum(len(f) for f in feats),
              "frames_in": 8, "about": "Ceiling: the motion classifier's accuracy on real held-out clips after the VAE round trip."}
    _write_json(eval_dir / "metrics.json", result)
    return result


def load_trained(work_root) -> tuple[VideoDiT, int, float]:
    """The video DiT's EMA weights, its step count and training minutes."""
    state = torch.load(checkpoint.stage_dir("motion_dit", work_root) / "ckpt.pt")
    ema = {k[len("shadow."):]: v for k, v in state["modules"]["ema"].items() if k.startswith("shadow.")}
    dit = VideoDiT(VideoDiTConfig(**state["extra"]["config"]))
    dit.load_state_dict(ema)
    return dit, state["step"], state["extra"].get("_spent_seconds", 0.0) / 60


def write_card(dit: VideoDiT, base, out: Path, steps: int, minutes: float, metrics: dict | None) -> None:
    ctx = torch.zeros(1, 32, 128)
    macs = {f: count_macs(dit, torch.zeros(1, 4, f, 8, 8), torch.zeros(1), ctx) for f in (8, 16)}
    params = sum(q.numel() for q in dit.parameters())
    temporal = sum(q.numel() for n, q in dit.named_parameters() if n.startswith("temporal."))
    card = motion_card(dit.cfg, params, temporal, macs[16], macs[8], steps, folder_hash(base.folder / "transformer"),
                       minutes, metrics, SHEET_PROMPTS)
    (out / "README.md").write_text(card, encoding="utf-8")


def main() -> None:
    import argparse
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--work-root", default=None)
    p.add_argument("--out", default=str(HERE / "pipelines" / "emoji-motion"))
    p.add_argument("--init-only", action="store_true", help="export the untrained (per-frame image) model")
    p.add_argument("--eval-only", action="store_true",
                   help="write eval/motion (the classifier's assets) and the model card, not the model")
    p.add_argument("--pipeline-only", action="store_true", help="write only the pipeline folder")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    base = load_base()
    out = Path(args.out)
    if args.init_only:
        from studio_models.video_dit import inflate
        dit, steps, minutes = inflate(base.dit), 0, 0.0
    else:
        dit, steps, minutes = load_trained(args.work_root)
    dit.eval().requires_grad_(False)
    if not args.eval_only:
        report = export_pipeline(dit, base, out)
        print("onnx vs torch:", json.dumps(report), flush=True)
        write_sheet_and_gif(sample_clips(dit, base, SHEET_PROMPTS), out)
    metrics = None
    if not (args.init_only or args.pipeline_only):
        metrics = export_eval(base, args.work_root, HERE / "eval" / "motion")
        print("eval assets:", json.dumps(metrics), flush=True)
    write_card(dit, base, out, steps, minutes, metrics)
    print(f"exported {out} (video DiT steps {steps})", flush=True)


if __name__ == "__main__":
    main()
