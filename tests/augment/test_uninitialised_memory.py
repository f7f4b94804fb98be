"""No effect may read memory it did not write.

A fresh process maps new arrays from zeroed pages, so an array left partly unwritten reads as zeros (id 0: labels
silently erased) and a long-lived worker, whose allocator hands back used memory, reads garbage (ids invented). Here
every effect (and whole preset plans) runs twice in child processes: once normally and once with glibc filling every
fresh allocation with a byte pattern (``MALLOC_PERTURB_``, all arrays from the heap). The outputs must be identical
byte for byte, and no id may appear that was not there before.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = r"""
import hashlib
from dataclasses import replace

import numpy as np

import simvision
from simvision.augment.effects import EFFECTS
from simvision.augment.policy import AugmentConfig
from simvision.augment.target import target_from_sample
from simvision.registry import get_generator
from simvision.sample import render_sample
from simvision.scene import default_scene_dir


def digest(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:16]


def invented(before, after):
    return any(set(np.unique(a).tolist()) - set(np.unique(b).tolist()) for b, a in zip(before, after))


scene = simvision.load_scene(default_scene_dir() / "receipt.yaml")
clean = render_sample(replace(scene, augment=None), 0, 6)
t0 = target_from_sample(clean, surfaces=get_generator("receipt").surfaces)
cases = [(name, e, e.sample(np.random.default_rng(k), e.config(), t0.shape), k)
         for name, e in EFFECTS.items() for k in range(3)]
far_folds = {"folds": [  # two creases far apart: the rows between them are still
    {"angle": 90.0, "offset": 0.25, "bend": [10, 6], "width": [160, 160], "mountain": -1, "crease": 0.2},
    {"angle": 100.0, "offset": 0.7, "bend": [8, 10], "width": [65, 157], "mountain": 1, "crease": 0.2}],
    "light": [289.0, 45.0]}
cases.append(("fold", EFFECTS["fold"], far_folds, "far"))
for name, effect, params, k in cases:
    t1 = effect.apply(t0, params)
    polys = [q for q in t1.polygons if q is not None]
    print(name, k, digest(t1.image, t1.maps, t1.surface, *polys), "INVENTED" if invented(t0.maps, t1.maps) else "")
print("CANARY", int(np.empty(1 << 22, np.uint8)[123]))  # a fresh 4 MB array: what unwritten memory holds
for preset in ("crumpled", "harsh"):
    s = replace(scene, augment=AugmentConfig(preset=preset))
    for index in range(4):
        sample = render_sample(s, 0, index)
        print(preset, index, digest(sample.image, sample.maps, sample.instances.boxes))
"""

PERTURB = {
    "MALLOC_PERTURB_": "165",  # fresh allocations filled with 0x5a, freed ones with 0xa5
    "MALLOC_MMAP_THRESHOLD_": str(2**30),  # every array from the heap, so the pattern reaches it
    "MALLOC_TRIM_THRESHOLD_": str(2**32),
}


def run(extra: dict[str, str]) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")} | extra
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout.splitlines()


def test_effects_never_read_unwritten_memory():
    normal, perturbed = run({}), run(PERTURB)
    assert len(normal) > 60
    canary = [line for line in perturbed if line.startswith("CANARY")]
    assert canary == ["CANARY 90"], f"the allocator did not fill fresh memory with 0x5a: {canary}"
    normal = [line for line in normal if not line.startswith("CANARY")]
    perturbed = [line for line in perturbed if not line.startswith("CANARY")]
    assert not [line for line in normal if "INVENTED" in line]
    differ = [f"{a}  vs  {b}" for a, b in zip(normal, perturbed, strict=True) if a != b]
    assert not differ, "results depend on unwritten memory:\n" + "\n".join(differ)
