"""The long-lived Blender session of this process: import, reset between frames, device choice, quiet output."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from simvision.errors import UserError


@cache
def bpy():  # noqa: ANN201 - the bpy module
    try:
        import bpy as module
    except ImportError:
        raise UserError(
            "render.engine: value 'blender' — needs the blender extra: pip install 'simvision[blender]' "
            "(bpy 4.2 LTS, Python 3.11)"
        ) from None
    return module


@contextmanager
def quiet() -> Iterator[None]:
    """Silence Blender's C-level stdout (render progress lines) for the duration."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def reset() -> None:
    """An empty scene: remove every object and data block of the previous frame (memory stays flat)."""
    b = bpy()
    with quiet():
        b.ops.wm.read_factory_settings(use_empty=True)


@cache
def gpu_backends() -> tuple[str, ...]:
    """Cycles GPU backends with at least one device here, best first (OptiX, then CUDA)."""
    prefs = bpy().context.preferences.addons["cycles"].preferences
    found = []
    for kind in ("OPTIX", "CUDA"):
        try:
            prefs.compute_device_type = kind
        except TypeError:
            continue
        prefs.refresh_devices()
        if any(d.type == kind for d in prefs.devices):
            found.append(kind)
    return tuple(found)


def choose_device(wanted: str) -> str:
    """Configure Cycles for ``wanted`` (auto|cpu|cuda|optix) and return the device used: 'OPTIX', 'CUDA' or 'CPU'.

    ``auto`` prefers OptiX, then CUDA, then the CPU. Asking for a GPU backend that is not there is an error.
    """
    b = bpy()
    scene = b.context.scene
    if wanted == "cpu":
        scene.cycles.device = "CPU"
        return "CPU"
    backends = gpu_backends()
    pick = [k for k in backends if wanted == "auto" or k == wanted.upper()]
    if not pick:
        if wanted == "auto":
            scene.cycles.device = "CPU"
            return "CPU"
        raise UserError(
            f"render.device: value {wanted!r} — no {wanted.upper()} device here (found {list(backends)})"
        )
    prefs = b.context.preferences.addons["cycles"].preferences
    prefs.compute_device_type = pick[0]
    prefs.refresh_devices()
    for d in prefs.devices:
        d.use = d.type == pick[0]
    scene.cycles.device = "GPU"
    return pick[0]
