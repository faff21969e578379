"""Stage 8: export everything the studio ships from the trained stages, and measure it.

  native-models/eval/        captions.jsonl ({"caption", "subcategory", "image"} per line, in a
                             fixed random order so any prefix is a spread sample), images/*.png
                             (the real held-out 64x64 images), subcategory-keywords.json,
                             classifier/model.onnx + classes.json, metrics.json
  native-models/pipelines/emoji        the large DiT (default model)
  native-models/pipelines/emoji-small  the pruned + distilled DiT; the same text encoder, VAE and
                                       tokenizer files (byte-identical copies)
  each pipeline also holds transformer/probe.onnx (block 0's modulated input only, for TeaCache),
  vae_decoder_tiny/ (the distilled tiny decoder, optional), contact-sheet.png and README.md.
Metrics (torch; the ONNX exports are checked against torch in onnxruntime-node):
  the classifier's accuracy on the real eval images; for each model, samples for the eval
  captions at 50 flow-Euler steps, cfg 4, seed 0: classifier top-1/top-5 accuracy of the
  prompt's subcategory and the Fréchet distance of classifier features to the real eval images.
--smoke: outputs under <work-root>/out/, 8 captions, 4 steps.
"""
import argparse
import json
import random
import re
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont
from torch import nn

from studio_models.dit import DiT, DiTConfig
from studio_models.dit_block import modulate
from studio_models.folder_hash import write_denoiser_macs
from studio_models.macs import count_macs
from studio_models.onnx_export import _export, _verify, _write_json, export_pipeline
from studio_models.vae import VAE
from training import checkpoint, flow_matching, sampling
from training.accuracy import topk_accuracy as topk
from training.emoji_data import EmojiSplit, subgroup_names
from training.eval_set import write_caption_set
from training.model_card import model_card
from training.text_model import build_text_encoder, load_tokenizer
from train_classifier import Classifier
from train_tiny_vae import TinyDecoder
from train_vae import CONFIG as VAE_CONFIG

HERE = Path(__file__).resolve().parent
NAMES = {"emoji": "Emoji (DiT, flow matching)", "emoji-small": "Emoji small (pruned + distilled DiT)"}
# Everyday phrasing for the contact sheet, beside the eval captions' emoji names: the prompts a
# new user types first.
EVERYDAY_PROMPTS = ["a red apple", "slice of pizza", "a lion face", "a bicycle", "face with sunglasses",
                    "a red heart", "a birthday cake", "a rocket", "flag of Japan", "a cat face", "a crying face",
                    "a cup of coffee", "thumbs up", "a smiling sun", "a dog", "a pine tree", "a car", "a banana"]
STOP = {"and", "the", "with", "of", "a", "an", "in", "on", "for", "to", "or", "at", "by", "from"}


class Probe(nn.Module):
    """hidden_states, timestep[, encoder_hidden_states] -> modulated_input [B, T, d]: block 0's
    adaLN-modulated LayerNorm output, identical to the transformer's `modulated_input`. A DiT with
    pooled text conditioning modulates with the prompt too, so its probe also takes the text
    states (and the studio runs it per CFG branch, main/runtime/cache-probe.ts)."""

    def __init__(self, dit: DiT):
        super().__init__()
        self.dit = dit

    @property
    def input_names(self) -> list[str]:
        return ["hidden_states", "timestep"] + (["encoder_hidden_states"] if self.dit.cfg.pooled_text else [])

    def forward(self, hidden_states: torch.Tensor, timestep: torch.Tensor,
                encoder_hidden_states: torch.Tensor | None = None) -> torch.Tensor:
        d = self.dit
        x = d.patch_embed(hidden_states).flatten(2).transpose(1, 2) + d.pos_embed
        c = d.condition(timestep, encoder_hidden_states)
        block = d.blocks[0]
        shift, scale = block.ada(c).chunk(6, dim=1)[:2]
        return modulate(block.norm1(x), shift, scale)


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z']+", text.lower()) if w not in STOP and len(w) > 2]


def subcategory_keywords(classes: list[str]) -> dict:
    """Words that identify each subcategory: from emojibase labels and tags of its emoji, a word
    belongs to the subcategory holding >= 50% of its occurrences (>= 2 emoji, or the key's words,
or a word of a single emoji); plus the subcategory key's own distinctive words."""
    from build_emoji_dataset import load_emojibase
    info = load_emojibase()
    per_word: dict[str, dict[str, int]] = {}
    skin_tones = {"1F3FB", "1F3FC", "1F3FD", "1F3FE", "1F3FF"}
    for hexcode, meta in info.items():
        if not meta["subgroup"] or skin_tones & set(hexcode.split("-")):
            continue  # skin-tone variants repeat their base emoji's words
        for w in set(words(meta["label"]) + [t for tag in meta["tags"] for t in words(tag)]):
            per_word.setdefault(w, {}).setdefault(meta["subgroup"], 0)
            per_word[w][meta["subgroup"]] += 1
    key_count: dict[str, int] = {}
    for key in classes:
        for w in set(words(key.replace("-", " "))):
            key_count[w] = key_count.get(w, 0) + 1
    out = {}
    for key in classes:
        # The key's own words, unless shared by 3+ keys ("face", "person", "hand" ...).
        key_words = {w for w in words(key.replace("-", " ")) if key_count[w] <= 2}
        scored = []
        for w, counts in per_word.items():
            n, total = counts.get(key, 0), sum(counts.values())
            if n and n / total >= 0.5 and (n >= 2 or w in key_words or total == 1):
                scored.append((-n, w))
        chosen = [w for _, w in sorted(scored)][:80]
        # Ties broken by the word itself: set order varies with PYTHONHASHSEED, the file must not.
        out[key] = sorted(set(chosen) | key_words, key=lambda w: (w not in key_words, chosen.index(w) if w in chosen else 0, w))
    return out


def build_eval_set(eval_dir: Path) -> list[dict]:
    ev = EmojiSplit("eval")
    order = list(range(len(ev)))
    random.Random(2024).shuffle(order)
    return write_caption_set(eval_dir, ev, order)


def load_dit(work_root, stage: str) -> tuple[DiT, dict]:
    state = torch.load(checkpoint.stage_dir(stage, work_root) / "ckpt.pt")
    dit = DiT(DiTConfig(**state["extra"]["config"])).eval()
    dit.load_state_dict({k.removeprefix("shadow."): v for k, v in state["modules"]["ema"].items()})
    return dit, state


def stage_minutes(work_root) -> dict:
    out = {}
    for stage in ("vae", "text_encoder", "dit_large", "dit_small", "vae_tiny", "classifier"):
        path = checkpoint.stage_dir(stage, work_root) / "ckpt.pt"
        if path.exists():
            state = torch.load(path, map_location="cpu")
            out[stage] = {"steps": state["step"], "minutes": round(state["extra"].get("_spent_seconds", 0) / 60, 1)}
    return out


def contact_sheet(images: torch.Tensor, prompts: list[str], path: Path, columns: int = 6) -> None:
    cell_w, cell_h, scale = 168, 176, 2
    arr = ((images.clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()
    rows = (len(arr) + columns - 1) // columns
    sheet = Image.new("RGB", (cell_w * columns, cell_h * rows), "white")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    for k, (a, prompt) in enumerate(zip(arr, prompts)):
        x0, y0 = cell_w * (k % columns), cell_h * (k // columns)
        sheet.paste(Image.fromarray(a).resize((64 * scale, 64 * scale), Image.NEAREST), (x0 + (cell_w - 128) // 2, y0 + 4))
        lines, line = [], ""
        for w in prompt.split():
            if len(line) + len(w) + 1 > 26:
                lines.append(line)
                line = w
            else:
                line = f"{line} {w}".strip()
        lines.append(line)
        for j, text in enumerate(lines[:3]):
            draw.text((x0 + 4, y0 + 136 + 12 * j), text, fill=(0, 0, 0), font=font)
    sheet.save(path, optimize=True)


@torch.no_grad()
def frechet(a: torch.Tensor, b: torch.Tensor) -> float:
    """Fréchet distance between Gaussians fitted to feature sets a [N, F], b [M, F] (float64)."""
    a, b = a.double(), b.double()
    mu_a, mu_b = a.mean(0), b.mean(0)
    ca, cb = torch.cov(a.T), torch.cov(b.T)
    vals, vecs = torch.linalg.eigh(ca)
    sqrt_a = vecs @ torch.diag(vals.clamp(min=0).sqrt()) @ vecs.T
    mid = torch.linalg.eigvalsh(sqrt_a @ cb @ sqrt_a).clamp(min=0).sqrt().sum()
    return float((mu_a - mu_b).pow(2).sum() + ca.trace() + cb.trace() - 2 * mid)


@torch.no_grad()
def classify(classifier: Classifier, images: torch.Tensor):
    outs = [classifier(images[i:i + 256]) for i in range(0, len(images), 256)]
    return torch.cat([o[0] for o in outs]), torch.cat([o[1] for o in outs])


class _NoDecoder(nn.Module):
    """Stands in for the VAE in sampling.generate, so it returns latents / scaling_factor."""

    @staticmethod
    def decoder(z: torch.Tensor) -> torch.Tensor:
        return z


@torch.no_grad()
def generate_latents(dit, text, bpe, prompts, scaling, steps, cfg, batch=128):
    """Final latents / scaling_factor (the decoders' input) [N, 4, 8, 8]; seed = batch start index."""
    parts = []
    for i in range(0, len(prompts), batch):
        parts.append(sampling.generate(dit, _NoDecoder(), text, bpe, prompts[i:i + batch], scaling, steps=steps, cfg=cfg, seed=i))
    return torch.cat(parts)


@torch.no_grad()
def generate(dit, vae, text, bpe, prompts, scaling, steps, cfg):
    return vae.decoder(generate_latents(dit, text, bpe, prompts, scaling, steps, cfg))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--work-root", default=None)
    p.add_argument("--smoke", action="store_true")
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--cfg", type=float, default=4.0)
    args = p.parse_args()
    torch.set_num_threads(2)
    t_start = time.time()
    root = args.work_root
    out_root = Path(root) / "out" if args.smoke else HERE
    steps = 4 if args.smoke else args.steps
    eval_dir, pipes = out_root / "eval", out_root / "pipelines"

    bpe = load_tokenizer(checkpoint.stage_dir("tokenizer", root))
    text = build_text_encoder(bpe).eval()
    text_step = checkpoint.load_modules(checkpoint.stage_dir("text_encoder", root) / "ckpt.pt", {"text_encoder": text})
    vae = VAE(VAE_CONFIG).eval()
    vae_step = checkpoint.load_modules(checkpoint.stage_dir("vae", root) / "ckpt.pt", {"vae": vae})
    tiny = TinyDecoder().eval()
    checkpoint.load_modules(checkpoint.stage_dir("vae_tiny", root) / "ckpt.pt", {"tiny": tiny})
    classes = subgroup_names()
    classifier = Classifier(len(classes)).eval()
    checkpoint.load_modules(checkpoint.stage_dir("classifier", root) / "ckpt.pt", {"classifier": classifier})
    large, large_state = load_dit(root, "dit_large")
    small, small_state = load_dit(root, "dit_small")
    scaling = large_state["extra"]["scaling_factor"]
    minutes = stage_minutes(root)

    # Evaluation set, keywords, classifier.
    rows = build_eval_set(eval_dir)
    _write_json(eval_dir / "subcategory-keywords.json", subcategory_keywords(classes))
    (eval_dir / "classifier").mkdir(parents=True, exist_ok=True)
    _write_json(eval_dir / "classifier" / "classes.json", classes)
    x = torch.rand(2, 3, 64, 64, generator=torch.Generator().manual_seed(0)) * 2 - 1
    diffs = {"classifier": None}
    _export(classifier, (x,), eval_dir / "classifier" / "model.onnx", ["images"], ["logits", "features"],
            {"images": {0: "batch"}, "logits": {0: "batch"}, "features": {0: "batch"}})
    diffs["classifier"] = _verify(classifier, (x,), eval_dir / "classifier" / "model.onnx", ["images"], ["logits", "features"])

    ev = EmojiSplit("eval")
    real = ev.pixels(torch.tensor([r["_index"] for r in rows]))
    labels = torch.tensor([classes.index(r["subcategory"]) for r in rows])
    real_logits, real_feats = classify(classifier, real)
    metrics = {"classifier_real_eval": {**topk(real_logits, labels), "images": len(rows), "classes": len(classes)},
               "sampling": {"steps": steps, "cfg": args.cfg, "scheduler": "flow-match Euler, shift 1.0", "seed": "0 per batch of 128"},
               "stage_training": minutes, "models": {}}
    n_eval = 8 if args.smoke else len(rows)
    prompts = [r["caption"] for r in rows[:n_eval]]

    # Pipelines.
    seq = bpe.max_length
    for model_id, dit, state in (("emoji", large, large_state), ("emoji-small", small, small_state)):
        c = dit.cfg
        macs = count_macs(dit, torch.zeros(1, c.latent_channels, c.latent_size, c.latent_size), torch.zeros(1),
                          torch.zeros(1, seq, text.cfg.d_model))
        t0 = time.time()
        latents = generate_latents(dit, text, bpe, prompts, scaling, steps, args.cfg)
        gen_s = time.time() - t0
        with torch.no_grad():
            images, tiny_images = vae.decoder(latents), tiny(latents[:50])
        logits, feats = classify(classifier, images)
        tiny_logits, _ = classify(classifier, tiny_images)
        m = {"params": sum(q.numel() for q in dit.parameters()), "macs_per_call": macs, "macs_per_step_cfg": 2 * macs,
             "train_steps": state["step"],
             "eval_first50": topk(logits[:50], labels[:min(50, n_eval)]), f"eval_all{n_eval}": topk(logits, labels[:n_eval]),
             "eval_first50_tiny_decoder": topk(tiny_logits, labels[:min(50, n_eval)]),
             "frechet_classifier_features": round(frechet(feats, real_feats), 3),
             "torch_sampling_seconds": round(gen_s, 1)}
        metrics["models"][model_id] = m
        print(model_id, json.dumps(m), flush=True)
        out = pipes / model_id
        stats = {"dit_params": m["params"], "dit_macs": macs, "text_params": sum(q.numel() for q in text.parameters()),
                 "vae_decoder_params": sum(q.numel() for q in vae.decoder.parameters()),
                 "vae_encoder_params": sum(q.numel() for q in vae.encoder.parameters()),
                 "steps": {"vae": vae_step, "text_encoder": text_step, "dit": state["step"]}}
        card = model_card(model_id, NAMES[model_id], c, text.cfg, stats, scaling)
        report = export_pipeline(out, text_encoder=text, transformer=dit, vae=vae, merges=sorted(bpe.ranks, key=bpe.ranks.get),
                                 scheduler_config=flow_matching.scheduler_config(), scaling_factor=scaling,
                                 model_card=card, studio={"id": model_id, "name": NAMES[model_id]})
        # Optional components: tiny decoder and the TeaCache probe.
        z = torch.randn(2, 4, 8, 8, generator=torch.Generator().manual_seed(0))
        _export(tiny, (z,), out / "vae_decoder_tiny" / "model.onnx", ["latent_sample"], ["sample"],
                {"latent_sample": {0: "batch"}, "sample": {0: "batch"}})
        report["vae_decoder_tiny"] = _verify(tiny, (z,), out / "vae_decoder_tiny" / "model.onnx", ["latent_sample"], ["sample"])
        _write_json(out / "vae_decoder_tiny" / "config.json", {"scaling_factor": scaling, "latent_channels": 4, "sample_size": 64,
                                                                "distilled_from": "vae_decoder", "optional": True})
        probe = Probe(dit).eval()
        hs, ts = torch.randn(2, 4, 8, 8, generator=torch.Generator().manual_seed(1)), torch.tensor([999.0, 20.5])
        ctx = torch.randn(2, seq, c.d_text, generator=torch.Generator().manual_seed(2))
        probe_args = (hs, ts, ctx)[:len(probe.input_names)]
        probe_axes = {name: {0: "batch"} for name in probe.input_names + ["modulated_input"]}
        with torch.no_grad():
            full_mod = dit(hs, ts, ctx)[1]
            assert torch.allclose(probe(*probe_args), full_mod, atol=1e-5), "probe differs from the transformer's modulated_input"
        # Exported in a folder of its own first: _export clears a stale model.onnx_data next to its
        # target, which would delete the transformer's external weights.
        with tempfile.TemporaryDirectory() as tmp:
            _export(probe, probe_args, Path(tmp) / "probe.onnx", probe.input_names, ["modulated_input"], probe_axes)
            shutil.copyfile(Path(tmp) / "probe.onnx", out / "transformer" / "probe.onnx")
        assert (out / "transformer" / "model.onnx_data").exists(), "transformer weights missing"
        report["probe"] = _verify(probe, probe_args, out / "transformer" / "probe.onnx", probe.input_names, ["modulated_input"])
        for component, d in report.items():
            print(f"  {model_id}/{component}: max |onnx - torch| " + ", ".join(f"{k}={v:.2e}" for k, v in d.items()), flush=True)
        m["onnx_vs_torch_max_abs"] = {k: max(v.values()) for k, v in report.items()}
        # Contact sheet: two rows of eval captions (emoji names, held out) + three of everyday prompts.
        sheet_prompts = prompts[:12] + EVERYDAY_PROMPTS
        sheet = torch.cat([images[:12], generate(dit, vae, text, bpe, EVERYDAY_PROMPTS, scaling, steps, args.cfg)])
        contact_sheet(sheet, sheet_prompts, out / "contact-sheet.png")
        m["contact_sheet_prompts"] = sheet_prompts
    # emoji-small shares the text encoder, VAE and tokenizer: make the files byte-identical.
    for component in ("text_encoder", "vae_decoder", "vae_encoder", "vae_decoder_tiny", "tokenizer"):
        shutil.rmtree(pipes / "emoji-small" / component)
        shutil.copytree(pipes / "emoji" / component, pipes / "emoji-small" / component)
    write_denoiser_macs(pipes, {mid: metrics["models"][mid]["macs_per_call"] for mid in ("emoji", "emoji-small")})
    pruning = small_state["extra"].get("pruning", {})
    metrics["pruning"] = {k: pruning.get(k) for k in ("kept_blocks", "heads", "mlp", "before_distillation", "macs_per_call", "params")}
    metrics["export_minutes"] = round((time.time() - t_start) / 60, 1)
    _write_json(eval_dir / "metrics.json", metrics)
    for model_id in ("emoji", "emoji-small"):
        out = pipes / model_id
        (out / "README.md").write_text((out / "README.md").read_text() + card_metrics(model_id, metrics), encoding="utf-8")
        total = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
        print(f"{out}: {total / 1e6:.1f} MB", flush=True)
    print(f"export done in {metrics['export_minutes']} min", flush=True)


def card_metrics(model_id: str, metrics: dict) -> str:
    m, other = metrics["models"][model_id], metrics["models"]["emoji-small" if model_id == "emoji" else "emoji"]
    st = metrics["stage_training"]
    all_key = next(k for k in m if k.startswith("eval_all"))
    train_rows = "\n".join(f"| {k} | {v['steps']:,} | {v['minutes']} |" for k, v in st.items())
    derived = ""
    if model_id == "emoji-small":
        pr = metrics["pruning"]
        derived = f"""
## Derivation from `emoji`

Structural pruning of the large DiT's EMA weights, then distillation from it (train_small.py):
blocks kept {pr['kept_blocks']} of the large model's (greedy, least output change), 2 of 4 heads
per attention (largest mean output contribution), MLP hidden width 512 -> 256 (largest
||W1 row|| * ||W2 column||); then {m['train_steps']:,} steps matching the large model's velocity on
the same noisy inputs plus the flow-matching loss. {pr['macs_per_call']['ratio']:.2f}x fewer MACs per
denoiser call than `emoji`. Same latent space, scaling factor, text encoder, VAE and tokenizer.
"""
    return f"""{derived}
## Cost

{m['params']:,} denoiser parameters; {m['macs_per_call'] / 1e6:.2f} M MACs per denoiser call at batch 1,
{m['macs_per_step_cfg'] / 1e6:.2f} M MACs per sampling step with classifier-free guidance (the other
model: {other['macs_per_call'] / 1e6:.2f} M per call).

## Training (2 CPU cores, torch 1.13, one run of `npm run models:train`)

| Stage | Steps | Minutes |
|---|---|---|
{train_rows}

## Evaluation

Real held-out images (`native-models/eval/`, {metrics['classifier_real_eval']['images']} images of emoji never seen in
training, {metrics['classifier_real_eval']['classes']} subcategories): the evaluation classifier gets top-1
{metrics['classifier_real_eval']['top1']:.3f}, top-5 {metrics['classifier_real_eval']['top5']:.3f}.

Generated samples for the eval captions ({metrics['sampling']['steps']} flow-Euler steps, cfg {metrics['sampling']['cfg']}, seed 0),
scored by the classifier against the caption's subcategory:

| Captions | top-1 | top-5 | other model top-1 / top-5 |
|---|---|---|---|
| first 50 | {m['eval_first50']['top1']:.3f} | {m['eval_first50']['top5']:.3f} | {other['eval_first50']['top1']:.3f} / {other['eval_first50']['top5']:.3f} |
| all {all_key.removeprefix('eval_all')} | {m[all_key]['top1']:.3f} | {m[all_key]['top5']:.3f} | {other[all_key]['top1']:.3f} / {other[all_key]['top5']:.3f} |
| first 50, tiny decoder | {m['eval_first50_tiny_decoder']['top1']:.3f} | {m['eval_first50_tiny_decoder']['top5']:.3f} | {other['eval_first50_tiny_decoder']['top1']:.3f} / {other['eval_first50_tiny_decoder']['top5']:.3f} |

Fréchet distance of the classifier's 256-d features, generated vs real eval images:
{m['frechet_classifier_features']:.2f} (other model {other['frechet_classifier_features']:.2f}).

`contact-sheet.png`: the first two rows are held-out eval captions (emoji names), the last three everyday prompts, with the images they gave (same settings).
`vae_decoder_tiny/` is an optional distilled decoder (same input as `vae_decoder`);
`transformer/probe.onnx` computes only `modulated_input` from `hidden_states` and `timestep`.
"""


if __name__ == "__main__":
    main()
