"""The shared training loop: resume, step, log seconds/step, checkpoint, stop on a step or time budget."""
import argparse
import time
from pathlib import Path
from typing import Callable

import torch

from . import checkpoint


def common_args(description: str, steps: int, batch: int) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--steps", type=int, default=steps, help="total optimizer steps (resumes count)")
    p.add_argument("--batch", type=int, default=batch)
    p.add_argument("--max-minutes", type=float, default=0, help="stop (with a checkpoint) after this long; 0 = no limit")
    p.add_argument("--checkpoint-every", type=int, default=200)
    p.add_argument("--work-root", default=None, help="directory of all stages' state (default native-models/.work)")
    p.add_argument("--threads", type=int, default=2)
    return p


def run(ckpt: Path, args, modules: dict, optimizers: dict, generator: torch.Generator,
        step_fn: Callable[[int], dict[str, float]], extra_fn: Callable[[], dict] | None = None) -> int:
    """Run step_fn(step) -> {metric: value} from the checkpointed step to args.steps; returns the last step."""
    torch.set_num_threads(args.threads)
    step, _ = checkpoint.load(ckpt, modules, optimizers, generator)
    if step:
        print(f"resuming {ckpt} at step {step}", flush=True)
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
            print(f"step {step}/{args.steps} {shown} {per_step:.3f} s/step", flush=True)
            sums, window_start, window_steps = {}, time.time(), 0
        out_of_time = args.max_minutes and time.time() - started > args.max_minutes * 60
        if step % args.checkpoint_every == 0 or step == args.steps or out_of_time:
            checkpoint.save(ckpt, step, modules, optimizers, generator, extra_fn() if extra_fn else None)
        if out_of_time:
            print(f"time budget reached at step {step}; rerun to resume", flush=True)
            break
    elapsed = time.time() - started
    if step > start:
        print(f"{step - start} steps in {elapsed:.1f} s = {elapsed / (step - start):.3f} s/step", flush=True)
    return step
