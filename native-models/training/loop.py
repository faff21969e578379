"""The shared training loop: resume, step, log seconds/step, checkpoint, stop on a step or time budget.

Budgets: --steps is the most steps a stage runs; --max-minutes caps the stage's total training
time, summed over resumed runs (the checkpoint records the time spent). A stage that used up its
time budget counts as finished: rerunning it returns at once. Learning-rate schedules use
`progress(step)` = max(step / steps, time spent / time budget) in [0, 1], so a run that the time
budget stops still ends with a fully decayed learning rate.
"""
import argparse
import math
import time
from pathlib import Path
from typing import Callable

import torch

from . import checkpoint

_clock = {"spent": 0.0, "since": None, "args": None}


def common_args(description: str, steps: int, batch: int, minutes: float = 0,
                threads: int = 2) -> argparse.ArgumentParser:
    """threads: torch's intra-op threads. Transformer stages pass 1: their matmuls are small and
    OpenBLAS (libopenblas0-pthread) already spreads each one over both cores, so two torch
    threads on top oversubscribe a 2-core machine (batch-128 DiT step 0.93 s vs 0.27-0.38 s; text
    encoder 0.80 vs 0.40 s). Convolutional stages keep 2: oneDNN runs their convolutions on
    torch's threads (VAE 0.79 s/step vs 1.22 at one)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--steps", type=int, default=steps, help="total optimizer steps (resumes count)")
    p.add_argument("--batch", type=int, default=batch)
    p.add_argument("--max-minutes", type=float, default=minutes,
                   help="total training-time budget of the stage (over resumes); 0 = no limit")
    p.add_argument("--checkpoint-every", type=int, default=200)
    p.add_argument("--work-root", default=None, help="directory of all stages' state (default native-models/.work)")
    p.add_argument("--threads", type=int, default=threads, help=f"torch intra-op threads (default {threads})")
    return p


def spent_seconds() -> float:
    since = _clock["since"]
    return _clock["spent"] + (time.time() - since if since is not None else 0.0)


def progress(step: int) -> float:
    """Fraction of the stage's budget used: max of steps and time, clipped to [0, 1]."""
    args = _clock["args"]
    frac = step / max(1, args.steps)
    if args.max_minutes:
        frac = max(frac, spent_seconds() / (args.max_minutes * 60))
    return min(1.0, frac)


def cosine_lr(base: float, step: int, warmup: int, floor: float = 0.02) -> float:
    """Linear warmup over `warmup` steps, then cosine decay over progress() down to floor * base."""
    warm = min(1.0, (step + 1) / max(1, warmup))
    return base * warm * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress(step))))


def run(ckpt: Path, args, modules: dict, optimizers: dict, generator: torch.Generator,
        step_fn: Callable[[int], dict[str, float]], extra_fn: Callable[[], dict] | None = None) -> int:
    """Run step_fn(step) -> {metric: value} from the checkpointed step until args.steps or the time
    budget; returns the last step."""
    torch.set_num_threads(args.threads)
    step, extra = checkpoint.load(ckpt, modules, optimizers, generator)
    _clock.update(spent=float(extra.get("_spent_seconds", 0.0)), since=None, args=args)
    budget = args.max_minutes * 60 if args.max_minutes else None

    def save():
        state = dict(extra_fn() if extra_fn else {})
        state["_spent_seconds"] = spent_seconds()
        checkpoint.save(ckpt, step, modules, optimizers, generator, state)

    if step:
        print(f"resuming {ckpt} at step {step} ({_clock['spent'] / 60:.1f} min spent)", flush=True)
    if budget is not None and _clock["spent"] >= budget:
        print(f"time budget of {args.max_minutes} min already used at step {step}: stage finished", flush=True)
        return step
    _clock["since"] = time.time()
    start, started = step, time.time()
    sums: dict[str, float] = {}
    window_start, window_steps = time.time(), 0
    while step < args.steps:
        for m in modules.values():
            m.train()
        metrics = step_fn(step)
        step += 1
        window_steps += 1
        for k, v in metrics.items():
            sums[k] = sums.get(k, 0.0) + v
        if step % 25 == 0 or step == args.steps:
            per_step = (time.time() - window_start) / window_steps
            shown = " ".join(f"{k}={v / window_steps:.4f}" for k, v in sums.items())
            print(f"step {step}/{args.steps} {shown} {per_step:.3f} s/step "
                  f"progress {progress(step):.3f}", flush=True)
            sums, window_start, window_steps = {}, time.time(), 0
        out_of_time = budget is not None and spent_seconds() >= budget
        if step % args.checkpoint_every == 0 or step == args.steps or out_of_time:
            save()
        if out_of_time:
            print(f"time budget of {args.max_minutes} min reached at step {step}: stage finished", flush=True)
            break
    elapsed = time.time() - started
    if step > start:
        print(f"{step - start} steps in {elapsed:.1f} s = {elapsed / (step - start):.3f} s/step", flush=True)
    return step
