"""Turntable contact sheet of every procedural asset family, drawn with the 2D rasterizer, so people can look.

    PYTHONPATH=. .venv/bin/python bench/assets_preview.py [--out bench/results/assets_preview.png] [--seeds 3]

Rows are families (vehicle bodies, people, ...); the first four columns turn seed 0 through four headings, the
rest show other seeds at a front three-quarter view. Each tile is titled with the triangle count.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from simvision.world.assets.base import Asset
from simvision.world.assets.vehicles import build_vehicle, sample_vehicle
from simvision.world.camera import PinholeCamera
from simvision.world.raster import rasterize

TILE = (240, 180)
SLOT_RGB = {
    "glass": (0.04, 0.06, 0.08),
    "tyre": (0.02, 0.02, 0.02),
    "rim": (0.5, 0.5, 0.52),
    "headlight": (0.9, 0.9, 0.8),
    "taillight": (0.6, 0.02, 0.02),
    "trim": (0.03, 0.03, 0.03),
    "plate": (0.85, 0.85, 0.8),
    "grille": (0.01, 0.01, 0.01),
    "sign": (0.9, 0.8, 0.2),
}


def render(
    asset: Asset, colours: dict[str, tuple[float, float, float]], yaw_deg: float, tile: tuple[int, int] = TILE
) -> np.ndarray:
    """One tile: the asset turned by ``yaw_deg`` seen from a slightly raised camera on -y looking along +y."""
    mesh = asset.mesh.placed((0.0, 0.0, 0.0), np.deg2rad(yaw_deg))
    L, W, H = asset.size
    extent = max(L, W, H)
    pitch = 12.0
    half_fov_v = np.arctan(np.tan(np.deg2rad(20)) * tile[1] / tile[0])
    # far enough that the turning footprint fits across and the height fits up the (narrower) vertical view
    d = max(1.35 * max(L, W) / (2 * np.tan(np.deg2rad(20))), 1.3 * H / (2 * np.tan(half_fov_v)))
    target = np.array([0.0, 0.0, H / 2])
    fwd = np.array([0.0, np.cos(np.deg2rad(pitch)), -np.sin(np.deg2rad(pitch))])
    cam = PinholeCamera(
        tuple(target - fwd * d), 0.0, pitch, 0.0, 36 / (2 * np.tan(np.deg2rad(20))), 36.0, *tile
    )
    tris = mesh.triangles
    ground = (
        np.array(
            [
                [[-extent, -extent, 0], [extent, -extent, 0], [extent, extent, 0]],
                [[-extent, -extent, 0], [extent, extent, 0], [-extent, extent, 0]],
            ]
        )
        * 1.0
    )
    tri_map, _ = rasterize(np.concatenate([tris, 6 * ground - [0, 0, 0.001]]), cam)
    n = np.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    n *= np.sign(np.einsum("ij,ij->i", n, np.asarray(cam.position) - tris.mean(axis=1)))[:, None]
    sun = np.array([0.4, -0.6, 0.7]) / np.linalg.norm([0.4, -0.6, 0.7])
    base = np.array([colours.get(asset.slots[s], (0.5, 0.5, 0.5)) for s in mesh.slots])
    shade = base * (0.35 + 0.25 * np.clip(n[:, 2], 0, 1) + 0.8 * np.clip(n @ sun, 0, 1))[:, None]
    rgb = np.vstack([shade, [[0.25, 0.25, 0.24]] * 2])
    img = np.full((*tile[::-1], 3), 0.6)
    hit = tri_map >= 0
    img[hit] = rgb[tri_map[hit]]
    srgb = np.where(img <= 0.0031308, 12.92 * img, 1.055 * np.power(np.clip(img, 0, None), 1 / 2.4) - 0.055)
    return np.clip(srgb * 255, 0, 255).astype(np.uint8)


def _vehicle(body: str) -> Callable[[int], tuple[Asset, dict]]:
    def make(seed: int) -> tuple[Asset, dict]:
        p = sample_vehicle(np.random.default_rng(seed), body)
        cols = {**SLOT_RGB, "paint": p.paint, "cargo": p.cargo_colour}
        return build_vehicle(p), cols

    return make


def _person(pose: str, child: bool = False) -> Callable[[int], tuple[Asset, dict]]:
    def make(seed: int) -> tuple[Asset, dict]:
        from simvision.world.assets.people import build_person, person_colours, sample_person

        p = sample_person(np.random.default_rng(seed), pose=pose, child=child)
        return build_person(p), person_colours(p)

    return make


def families() -> dict[str, Callable[[int], tuple[Asset, dict]]]:
    from simvision.world.assets.catalog import FAMILIES

    def make(name: str) -> Callable[[int], tuple[Asset, dict]]:
        fam = FAMILIES[name]

        def one(seed: int) -> tuple[Asset, dict]:
            p = fam.sample(np.random.default_rng(seed))
            return fam.build(p), {**SLOT_RGB, **fam.colours(p)}

        return one

    return {name: make(name) for name in FAMILIES}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="bench/results/assets_preview.png")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--tile", type=int, nargs=2, default=TILE)
    args = ap.parse_args()
    tile = tuple(args.tile)
    rows = []
    for name, make in families().items():
        if args.only and not any(o in name for o in args.only):
            continue
        tiles = []
        asset, cols = make(0)
        for yaw in (-40, 30, 90, 150, 270):
            tiles.append(
                _label(render(asset, cols, yaw, tile), f"{name} s0 {yaw}deg {asset.triangle_count}t")
            )
        for seed in range(1, args.seeds + 1):
            a, c = make(seed)
            tiles.append(_label(render(a, c, 35, tile), f"s{seed} {a.triangle_count}t"))
        rows.append(np.hstack(tiles))
        print(name, asset.triangle_count)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(args.out, cv2.cvtColor(np.vstack(rows), cv2.COLOR_RGB2BGR))
    print("wrote", args.out)


def _label(tile: np.ndarray, text: str) -> np.ndarray:
    tile = tile.copy()
    cv2.putText(tile, text, (4, 14), cv2.FONT_HERSHEY_SIMPLEX, 0.38, (0, 0, 0), 1, cv2.LINE_AA)
    return tile


if __name__ == "__main__":
    main()
