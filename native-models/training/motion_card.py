"""Model card (README.md) of the exported emoji-motion pipeline."""
from .motions import MOTIONS


def motion_card(cfg, params: int, temporal_params: int, macs16: int, macs8: int, steps: int,
                base_hash: str, train_minutes: float, eval_metrics: dict | None, sheet_prompts: list[str]) -> str:
    motions = "\n".join(f"| `{k}` | {', '.join(p)} |" for k, p in MOTIONS)
    sheet = "\n".join(f"{i + 1}. {p}" for i, p in enumerate(sheet_prompts))
    ceiling = ""
    if eval_metrics:
        acc = eval_metrics["classifier_accuracy_on_real_clips"]
        ceiling = (f"\nThe motion classifier names the motion of real held-out clips (after the same VAE round "
                   f"trip) with top-1 {acc['eval_emoji']['top1']:.3f} on held-out emoji ({acc['eval_emoji']['clips']} clips) "
                   f"and {acc['eval_pairs']['top1']:.3f} on held-out emoji x motion pairs "
                   f"({acc['eval_pairs']['clips']} clips): the ceiling of the motion accuracy `studio eval` reports.\n")
    return f"""# Emoji motion (video DiT, flow matching)

Model id `emoji-motion`: a small text-to-video diffusion pipeline. It makes clips of 8 to 16 frames
at 64x64 px (default 16 frames at 10 fps) of an emoji moving as the prompt says, e.g. "red heart
pulsing like a heartbeat" or "rocket flying up". Prompts are an emoji name (as for `emoji`)
followed by a motion phrase from the table below.

![contact sheet](contact-sheet.png)

![preview](preview.gif)

Rows of the contact sheet and tiles of the preview, 30 flow-Euler steps, CFG 4, seed 0:
{sheet}

## Architecture

The `emoji` image DiT (sha256 of its denoiser folder `{base_hash[:16]}`) inflated into a
space-time transformer (STDiT layout): after each block's spatial self-attention, a temporal
self-attention over the frames of each token, whose output projection starts at zero, so the
untrained video model is the image model applied per frame. Frame positions are a sin-cos
embedding of time normalised to the clip, so 8 and 16 frames span the same motion. Text
cross-attention runs over all frames' tokens at once (text keys and values once per clip).
d={cfg.d_model}, depth {cfg.depth}, {cfg.heads} heads, patch {cfg.patch_size}, 16 tokens per frame;
{params:,} parameters, of which {temporal_params:,} temporal.

Text encoder, tokenizer, VAE and tiny VAE decoder are byte-identical to `emoji`'s, so the studio
loads them once for both. Denoiser input `hidden_states` [batch, 4, frames, 8, 8] (frames a dynamic
axis); outputs `out_sample` of the same shape, `modulated_input` and `block_residual`
[batch, frames x 16, 128] for caching; `transformer/probe.onnx` gives `modulated_input` alone.

Cost: {macs16 / 1e6:.0f} M MACs per call for 16 frames ({macs8 / 1e6:.0f} M for 8), batch 1; two calls per step with
classifier-free guidance.

## Training

Clips: emoji artwork (Twemoji CC-BY 4.0, Noto Color Emoji Apache 2.0; labels from emojibase-data,
MIT) animated procedurally at 64 px, one clip per emoji image for a third of the training images,
8 or 16 frames. Captions are "<emoji name> <motion phrase>" or "<emoji name>, <style>, <motion
phrase>", 10% dropped to the empty prompt. Held out for evaluation: the image model's held-out
emoji (every motion), and about 10% of emoji x motion pairs of the training emoji.

| Motion | Phrasings |
|---|---|
{motions}

Flow matching as `emoji`, on cached VAE latents; temporal layers alone first, then every layer
with the image layers at a tenth of the learning rate; EMA weights. {steps:,} steps, {train_minutes:.0f}
minutes on one CPU core. `npm run models:train` reproduces it (stages `build_motion_clips.py`,
`train_motion.py`, `train_motion_classifier.py`, `export_motion.py`).
{ceiling}
## Limitations

A tiny model trained for about an hour on one CPU core: shapes wobble between frames, and motions
that the prompt does not name come out as a still or an arbitrary movement.
"""
