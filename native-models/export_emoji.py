"""Stage 5: export the trained models as pipelines/<id> in the diffusers ONNX layout.

Uses the EMA weights of the DiT, the text encoder and VAE of the earlier stages, the tokenizer,
the flow-matching Euler scheduler config, and writes a model card with parameter counts and
MACs per denoising step. Also renders a torch sample grid (eval prompts) next to the checkpoint.
Run:  /usr/bin/python3 native-models/export_emoji.py [--size large] [--id emoji]
"""
import argparse
from pathlib import Path

import torch

from studio_models.dit import DiT
from studio_models.macs import count_macs
from studio_models.onnx_export import export_pipeline
from studio_models.vae import VAE
from training import checkpoint, flow_matching, sampling
from training.dit_sizes import SIZES
from training.emoji_data import EmojiSplit
from training.model_card import model_card
from training.text_model import build_text_encoder, load_tokenizer
from train_vae import CONFIG as VAE_CONFIG

HERE = Path(__file__).resolve().parent
NAMES = {"emoji": "Emoji (DiT, flow matching)", "emoji-small": "Emoji small (pruned + distilled DiT)"}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--size", choices=sorted(SIZES), default="large")
    p.add_argument("--id", default="emoji")
    p.add_argument("--out", default=None, help="default native-models/pipelines/<id>")
    p.add_argument("--work-root", default=None)
    args = p.parse_args()
    torch.set_num_threads(2)
    root = args.work_root
    bpe = load_tokenizer(checkpoint.stage_dir("tokenizer", root))
    text = build_text_encoder(bpe).eval()
    text_step = checkpoint.load_modules(checkpoint.stage_dir("text_encoder", root) / "ckpt.pt", {"text_encoder": text})
    vae = VAE(VAE_CONFIG).eval()
    vae_step = checkpoint.load_modules(checkpoint.stage_dir("vae", root) / "ckpt.pt", {"vae": vae})
    dit_ckpt = checkpoint.stage_dir(f"dit_{args.size}", root) / "ckpt.pt"
    state = torch.load(dit_ckpt)
    dit = DiT(SIZES[args.size]).eval()
    dit.load_state_dict({k.removeprefix("shadow."): v for k, v in state["modules"]["ema"].items()})
    scaling = state["extra"]["scaling_factor"]

    c = dit.cfg
    macs = count_macs(dit, torch.zeros(1, c.latent_channels, c.latent_size, c.latent_size),
                      torch.zeros(1), torch.zeros(1, bpe.max_length, text.cfg.d_model))
    stats = {"dit_params": sum(p.numel() for p in dit.parameters()), "dit_macs": macs,
             "text_params": sum(p.numel() for p in text.parameters()),
             "vae_decoder_params": sum(p.numel() for p in vae.decoder.parameters()),
             "vae_encoder_params": sum(p.numel() for p in vae.encoder.parameters()),
             "steps": {"vae": vae_step, "text_encoder": text_step, "dit": state["step"]}}
    out = Path(args.out) if args.out else HERE / "pipelines" / args.id
    report = export_pipeline(
        out, text_encoder=text, transformer=dit, vae=vae, merges=_merges(bpe),
        scheduler_config=flow_matching.scheduler_config(), scaling_factor=scaling,
        model_card=model_card(args.id, NAMES.get(args.id, args.id), dit.cfg, text.cfg, stats, scaling),
        studio={"id": args.id, "name": NAMES.get(args.id, args.id)})
    for component, diffs in report.items():
        print(f"{component}: max |onnx - torch| " + ", ".join(f"{k}={v:.2e}" for k, v in diffs.items()))
    prompts = [m["captions"][1] for m in EmojiSplit("eval").metas[:16]]
    images = sampling.generate(dit, vae, text, bpe, prompts, scaling)
    sampling.save_grid(images, dit_ckpt.parent / "samples_eval.png")
    total = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"DiT {stats['dit_params'] / 1e6:.2f}M params, {macs / 1e6:.1f}M MACs per call at batch 1; "
          f"wrote {out} ({total / 1e6:.1f} MB); samples in {dit_ckpt.parent / 'samples_eval.png'}")


def _merges(bpe) -> list[tuple[str, str]]:
    return sorted(bpe.ranks, key=bpe.ranks.get)


if __name__ == "__main__":
    main()
