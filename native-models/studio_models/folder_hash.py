"""The studio's content hash of a folder (main/runtime/model-hash.ts), in Python.

sha256 over every regular file under the folder, hidden files and folders excluded, in order of
their relative paths with "/" separators; for each file `<relative path>\\0<size>\\0` followed by
its bytes. A component folder's hash is its identity in the studio (main/runtime/components.ts).
"""
import hashlib
import json
from pathlib import Path


def folder_hash(root: Path) -> str:
    files = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        files.append((rel.as_posix(), path))
    digest = hashlib.sha256()
    for rel, path in sorted(files, key=lambda f: f[0]):
        data = path.read_bytes()
        digest.update(f"{rel}\0{len(data)}\0".encode("utf-8"))
        digest.update(data)
    return digest.hexdigest()


def write_denoiser_macs(pipes: Path, macs_per_call: dict) -> None:
    """pipes/denoiser-macs.json: MACs of one batch-1 denoiser call, keyed by the denoiser folder's hash."""
    entries = {folder_hash(pipes / model_id / "transformer"): {"model": model_id, "macsPerCall": int(macs)}
               for model_id, macs in macs_per_call.items()}
    about = ("Multiply-accumulates of one denoiser call at batch 1, keyed by the sha256 of the denoiser folder "
             "(the studio's component hash). Counted by export_all.py (studio_models/macs.py) when the pipelines "
             "are exported; used to report hybrid runs' compute per model.")
    (pipes / "denoiser-macs.json").write_text(json.dumps({"about": about, "denoisers": entries}, indent=2) + "\n")
