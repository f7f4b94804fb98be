"""Machine resources a run is given: GPUs (``--gpus``) and a worker memory ceiling (``--max-worker-memory``)."""

from __future__ import annotations

import re
import shutil
import subprocess

from simvision.errors import UserError


def detect_gpus() -> tuple[str, ...]:
    """The NVIDIA GPUs ``nvidia-smi`` lists, as index strings; () when there is no driver or no GPU."""
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return ()
    try:
        res = subprocess.run(
            [smi, "--query-gpu=index", "--format=csv,noheader"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return ()
    if res.returncode != 0:
        return ()
    return tuple(line.strip() for line in res.stdout.splitlines() if line.strip().isdigit())


def parse_gpus(text: str | None) -> tuple[str, ...]:
    """``all`` -> every GPU nvidia-smi lists; ``0,1`` -> those ids; None / ``none`` -> () (CPU only)."""
    if text is None or text.strip().lower() in ("", "none"):
        return ()
    if text.strip().lower() == "all":
        found = detect_gpus()
        if not found:
            raise UserError("--gpus: value 'all' — no NVIDIA GPU found (nvidia-smi is missing or lists none)")
        return found
    ids = [p.strip() for p in text.split(",")]
    if not all(i.isdigit() for i in ids) or len(set(ids)) != len(ids):
        raise UserError(f"--gpus: value {text!r} — expected all, none, or distinct GPU indices like 0,1")
    return tuple(ids)


_MEMORY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*$", re.IGNORECASE)


def parse_memory_mb(text: str | None) -> float | None:
    """``4GB`` / ``3500MB`` / ``2.5G`` -> megabytes (binary units); None -> no ceiling."""
    if text is None:
        return None
    m = _MEMORY.match(text)
    if not m or float(m.group(1)) <= 0:
        raise UserError(f"--max-worker-memory: value {text!r} — expected a size like 4GB or 3500MB")
    scale = {"": 1 / 2**20, "K": 1 / 1024, "M": 1, "G": 1024, "T": 1024**2}[m.group(2).upper()]
    mb = float(m.group(1)) * scale
    if mb < 64:
        raise UserError(f"--max-worker-memory: value {text!r} — below 64 MB no worker can run")
    return mb
