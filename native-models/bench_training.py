"""Measure seconds per training step of each stage's model size on random inputs, to schedule
the real training. Reports wall-clock and process CPU seconds per step (CPU time is the more
stable number when other jobs share the machine: wall ~= CPU / threads on an idle machine).
Run:  /usr/bin/python3 native-models/bench_training.py [--steps 5] [--threads 2]
"""
import argparse
import time

import torch
import torch.nn.functional as F

from studio_models.dit import DiT, DiTConfig
from studio_models.image_tower import ImageTower
from studio_models.text_encoder import ClipTextEncoder, TextEncoderConfig
from studio_models.vae import VAE
from training.dit_sizes import SIZES
from train_vae import CONFIG as VAE_CONFIG

TEXT = TextEncoderConfig(vocab_size=4096, max_length=32, d_model=128, layers=4, heads=4)


def vae_case(batch):
    vae = VAE(VAE_CONFIG)
    x = torch.rand(batch, 3, 64, 64) * 2 - 1
    return vae, lambda: F.l1_loss(vae(x)[0], x)


def clip_case(batch):
    text, image = ClipTextEncoder(TEXT), ImageTower(128)
    ids, x = torch.randint(0, 4095, (batch, 32)), torch.rand(batch, 3, 64, 64)
    proj = torch.nn.Linear(128, 128)
    model = torch.nn.ModuleList([text, image, proj])
    return model, lambda: (proj(text(ids)[1]) @ image(x).T).logsumexp(1).mean()


def dit_case(cfg: DiTConfig):
    def make(batch):
        dit, text = DiT(cfg), ClipTextEncoder(TEXT).eval()
        ids, z = torch.randint(0, 4095, (batch, 32)), torch.randn(batch, 4, 8, 8)

        def loss():
            with torch.no_grad():
                ctx = text(ids)[0]
            return F.mse_loss(dit(z, torch.rand(batch) * 1000, ctx)[0], z)
        return dit, loss
    return make


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    cases = [("vae", vae_case, 32), ("text_encoder+image_tower", clip_case, 128)]
    cases += [(f"dit_{name} d={c.d_model} depth={c.depth}", dit_case(c), 64) for name, c in SIZES.items()]
    cases += [("dit d=128 depth=4 (small candidate)", dit_case(DiTConfig(d_model=128, depth=4, heads=4, d_text=128)), 64)]
    for name, make, batch in cases:
        torch.manual_seed(0)
        model, loss_fn = make(batch)
        opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
        for i in range(args.steps + 1):
            if i == 1:
                wall, cpu = time.perf_counter(), time.process_time()
            loss = loss_fn()
            opt.zero_grad()
            loss.backward()
            opt.step()
        wall, cpu = (time.perf_counter() - wall) / args.steps, (time.process_time() - cpu) / args.steps
        params = sum(p.numel() for p in model.parameters())
        print(f"{name:40s} batch {batch:4d}: {wall:.3f} s/step wall, {cpu:.3f} CPU-s/step ({params / 1e6:.2f}M params)",
              flush=True)


if __name__ == "__main__":
    main()
