"""Resumable training state under native-models/.work/<stage>/.

A checkpoint holds the step, every module's and optimizer's state_dict and the data
generator's state, so a resumed run draws the same batches an uninterrupted one would.
Writes go to a temporary file first and are renamed, so a killed run never leaves a torn file.
"""
import hashlib
import os
from pathlib import Path

import torch

WORK = Path(__file__).resolve().parent.parent / ".work"


def stage_dir(stage: str, root: str | Path | None = None) -> Path:
    """root/<stage>, root defaulting to native-models/.work (smoke runs pass their own root)."""
    d = Path(root or WORK) / stage
    d.mkdir(parents=True, exist_ok=True)
    return d


def save(path: Path, step: int, modules: dict, optimizers: dict, generator: torch.Generator, extra=None) -> None:
    state = {"step": step, "generator": generator.get_state(), "extra": extra or {},
             "modules": {k: m.state_dict() for k, m in modules.items()},
             "optimizers": {k: o.state_dict() for k, o in optimizers.items()}}
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def _load_weights(path: Path, state: dict, modules: dict) -> None:
    """Load each module's weights; a checkpoint from another model recipe (an older run of the
    chain, say) stops with a message naming the file instead of a state_dict traceback."""
    for k, m in modules.items():
        try:
            m.load_state_dict(state["modules"][k])
        except (KeyError, RuntimeError) as e:
            raise SystemExit(f"{path} does not match this stage's model ({k}): it was written by a "
                             f"different recipe. Move it away (or pass another --work-root) to train "
                             f"from scratch.\n{e}") from e


def load(path: Path, modules: dict, optimizers: dict, generator: torch.Generator) -> tuple[int, dict]:
    """Restore into the given objects; returns (step, extra). (0, {}) when there is no checkpoint."""
    if not path.exists():
        return 0, {}
    state = torch.load(path)
    _load_weights(path, state, modules)
    for k, o in optimizers.items():
        o.load_state_dict(state["optimizers"][k])
    generator.set_state(state["generator"])
    return state["step"], state["extra"]


def load_modules(path: Path, modules: dict) -> int:
    """Load only the weights of a finished stage (e.g. the VAE for DiT training); returns its step."""
    if not path.exists():
        raise SystemExit(f"{path} is missing: run the stage that produces it first")
    state = torch.load(path)
    _load_weights(path, state, modules)
    return state["step"]


def weights_hash(module: torch.nn.Module) -> str:
    """SHA-256 of a module's state_dict (names and bytes). Caches derived from a trained stage
    are keyed by it: a retrained stage with the same step count must not reuse them."""
    digest = hashlib.sha256()
    for name, tensor in sorted(module.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().contiguous().numpy().tobytes())
    return digest.hexdigest()
