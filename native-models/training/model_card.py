"""Model card (README.md) of an exported emoji pipeline."""


def model_card(model_id: str, name: str, dit_cfg, text_cfg, stats: dict, scaling: float) -> str:
    macs = stats["dit_macs"]
    return f"""# {name}

Model id `{model_id}`: a small text-to-image diffusion pipeline trained from scratch on emoji
artwork by `native-models/` of the studio (`npm run models:train` reproduces it).
64x64 px images, 4x8x8 latents. Prompts can be written as people write them ("a red apple",
"slice of pizza", "a cat face") or as emoji names, shortcodes, keywords and categories, optionally
with a style word: `twemoji` or `noto` (e.g. "grinning face, noto"). Training captions mix the
emoji's CLDR name, emojibase tags and shortcode, emojilib's everyday keywords, the image's
dominant colour and phrasings such as "a …", "… emoji", "a picture of …", "… icon".

## Components

| Component | Architecture | Parameters |
|---|---|---|
| text_encoder | CLIP-style causal transformer, d={text_cfg.d_model}, {text_cfg.layers} layers, {text_cfg.heads} heads, max {text_cfg.max_length} tokens; trained contrastively (CLIP loss) against a small image CNN, plus an auxiliary subcategory loss on its pooled and token-mean states | {stats['text_params']:,} |
| transformer | DiT, adaLN-Zero, cross-attention to text{'; adaLN conditioned on timestep + token-mean text state' if dit_cfg.pooled_text else ''}; d={dit_cfg.d_model}, depth {dit_cfg.depth}, {dit_cfg.heads} heads, patch {dit_cfg.patch_size} ({(dit_cfg.latent_size // dit_cfg.patch_size) ** 2} tokens) | {stats['dit_params']:,} |
| vae_encoder / vae_decoder | conv VAE, SD latent format, scaling_factor {scaling:.5f} | {stats['vae_encoder_params']:,} / {stats['vae_decoder_params']:,} |

Denoiser cost: {macs / 1e6:.1f} M MACs per call at batch 1, so {2 * macs / 1e6:.1f} M MACs per
step with classifier-free guidance (two calls). Extra transformer outputs: `modulated_input`
(first block's modulated input, for TeaCache) and `block_residual` (block-stack residual).

Training: flow matching (x_t = (1 - t) x0 + t noise, target noise - x0, timestep 1000 t,
logit-normal t), 10% caption dropout for classifier-free guidance, EMA weights. Scheduler:
FlowMatchEulerDiscreteScheduler, shift 1.0. Steps trained: {stats['steps']}.

## Data and licenses

- Twemoji artwork (emoji-datasource-twitter 16): Copyright Twitter, Inc and other
  contributors, CC-BY 4.0 (https://creativecommons.org/licenses/by/4.0/).
- Noto Color Emoji artwork (emoji-datasource-google 16): Google, Apache License 2.0.
- Labels, tags and shortcodes: emojibase-data 17, MIT.
- Everyday keywords: emojilib 4, MIT.
About 5% of the emoji (chosen by hash of the code point) are held out for evaluation.

## Limitations

Tiny model, trained for at most a few hours on two CPU cores: images are rough, and prompts far
from anything an emoji depicts give arbitrary emoji-like blobs. Everyday prompts about emoji held
out from training land in the right subcategory far less often than prompts about trained ones
(figures in the studio's `docs/bench/`).
"""
