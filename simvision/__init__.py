"""simvision: procedural scenes to exactly labeled synthetic image datasets.

Python API (the CLI does the same)::

    import simvision

    if __name__ == "__main__":  # worker processes are spawned and import the main script again
        scene = simvision.load_scene("scenes/receipt.yaml")
        sample = simvision.render_sample(scene, seed=7, index=0)   # image, id maps, instances
        simvision.generate(scene, "outputs/receipts", n=100, seed=7, workers=2)
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# albumentations asks the package index for a newer version on import (an HTTPS request from the driver and from
# every worker). A dataset generator must not touch the network at run time; every process that imports any
# simvision module runs this first, spawned and Ray workers included. A user's own setting wins.
os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")

__version__ = "0.1.0"
__all__ = ["generate", "load_scene", "render_sample", "verify", "Sample", "Instances", "rng_for"]

if TYPE_CHECKING:
    from simvision.pipeline import generate
    from simvision.quality.verify import verify
    from simvision.rng import rng_for
    from simvision.sample import render_sample
    from simvision.scene import load_scene
    from simvision.types import Instances, Sample

_LAZY = {
    "generate": "simvision.pipeline",
    "load_scene": "simvision.scene",
    "render_sample": "simvision.sample",
    "verify": "simvision.quality.verify",
    "Sample": "simvision.types",
    "Instances": "simvision.types",
    "rng_for": "simvision.rng",
}


def __getattr__(name: str) -> Any:
    # Lazy so `import simvision` stays cheap (its one side effect is the environment setting above).
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'simvision' has no attribute {name!r}")
