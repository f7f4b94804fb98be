"""Quadrupeds from one parametric builder: a lofted body, tube neck and tail, capsule legs in a walk gait.

Species differ only by numbers (:data:`SPECIES`): withers height, body length and girth, leg and neck build,
head and snout, ear shape, tail, coat colours, antlers or horns. ``sample_animal(rng, species)`` draws a
:class:`AnimalParams`; ``build_animal`` poses the legs at a phase of a lateral-sequence walk (hind left, fore left,
hind right, fore right, a quarter cycle apart), with swing angles clamped to :data:`LEG_LIMITS`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from simvision.world.assets.base import Asset
from simvision.world.assets.primitives import capsule, sweep, tube
from simvision.world.mesh import Mesh, ellipsoid

SLOTS: tuple[str, ...] = ("coat", "dark", "belly", "hoof", "horn", "eye")
S = {n: i for i, n in enumerate(SLOTS)}
Species = Literal[
    "dog_small", "dog_medium", "dog_large", "cat", "fox", "deer", "boar", "horse", "cow", "sheep"
]
RGB = tuple[float, float, float]

# Per species: withers height (m, range), body length/withers, girth/withers, leg thickness/withers,
# neck length/withers and raise (deg above horizontal), head length/withers, snout fraction, ear kind,
# tail length/withers and droop (deg below horizontal), coat colours (linear RGB), woolly, antlers/horns.
SPECIES: dict[str, dict] = {
    "dog_small": dict(
        h=(0.25, 0.35),
        body=1.25,
        girth=0.55,
        leg=0.09,
        neck=0.25,
        neck_up=35,
        head=0.55,
        snout=0.4,
        ears="floppy",
        tail=0.6,
        tail_droop=-30,
        coats=[(0.35, 0.2, 0.08), (0.02, 0.02, 0.02), (0.7, 0.65, 0.55), (0.5, 0.35, 0.15)],
    ),
    "dog_medium": dict(
        h=(0.45, 0.58),
        body=1.2,
        girth=0.5,
        leg=0.08,
        neck=0.28,
        neck_up=35,
        head=0.45,
        snout=0.45,
        ears="pointy",
        tail=0.6,
        tail_droop=10,
        coats=[(0.35, 0.2, 0.08), (0.02, 0.02, 0.02), (0.6, 0.45, 0.2), (0.3, 0.3, 0.3)],
    ),
    "dog_large": dict(
        h=(0.6, 0.75),
        body=1.2,
        girth=0.5,
        leg=0.08,
        neck=0.3,
        neck_up=35,
        head=0.42,
        snout=0.45,
        ears="floppy",
        tail=0.6,
        tail_droop=20,
        coats=[(0.55, 0.35, 0.12), (0.02, 0.02, 0.02), (0.25, 0.12, 0.05), (0.6, 0.55, 0.45)],
    ),
    "cat": dict(
        h=(0.23, 0.28),
        body=1.55,
        girth=0.55,
        leg=0.08,
        neck=0.25,
        neck_up=40,
        head=0.4,
        snout=0.2,
        ears="pointy",
        tail=1.0,
        tail_droop=-20,
        coats=[(0.02, 0.02, 0.02), (0.5, 0.3, 0.1), (0.3, 0.3, 0.3), (0.7, 0.7, 0.65)],
    ),
    "fox": dict(
        h=(0.35, 0.42),
        body=1.5,
        girth=0.45,
        leg=0.07,
        neck=0.35,
        neck_up=35,
        head=0.45,
        snout=0.5,
        ears="pointy",
        tail=1.0,
        tail_droop=15,
        bushy=True,
        coats=[(0.55, 0.2, 0.04)],
    ),
    "deer": dict(
        h=(0.7, 1.1),
        body=1.2,
        girth=0.42,
        leg=0.05,
        neck=0.42,
        neck_up=48,
        head=0.33,
        snout=0.45,
        ears="pointy",
        tail=0.12,
        tail_droop=30,
        antlers=True,
        coats=[(0.3, 0.16, 0.07), (0.25, 0.17, 0.1)],
    ),
    "boar": dict(
        h=(0.65, 0.9),
        body=1.55,
        girth=0.75,
        leg=0.09,
        neck=0.2,
        neck_up=5,
        head=0.55,
        snout=0.5,
        ears="pointy",
        tail=0.25,
        tail_droop=60,
        coats=[(0.08, 0.06, 0.045), (0.15, 0.1, 0.07)],
    ),
    "horse": dict(
        h=(1.45, 1.7),
        body=1.05,
        girth=0.5,
        leg=0.055,
        neck=0.42,
        neck_up=42,
        head=0.42,
        snout=0.5,
        ears="pointy",
        tail=0.6,
        tail_droop=60,
        coats=[(0.25, 0.1, 0.04), (0.02, 0.015, 0.01), (0.55, 0.5, 0.45), (0.4, 0.25, 0.1)],
    ),
    "cow": dict(
        h=(1.25, 1.5),
        body=1.35,
        girth=0.68,
        leg=0.07,
        neck=0.3,
        neck_up=15,
        head=0.35,
        snout=0.45,
        ears="side",
        tail=0.55,
        tail_droop=85,
        horns=True,
        coats=[(0.02, 0.02, 0.02), (0.3, 0.15, 0.06), (0.7, 0.65, 0.55), (0.45, 0.25, 0.1)],
    ),
    "sheep": dict(
        h=(0.65, 0.85),
        body=1.3,
        girth=0.75,
        leg=0.06,
        neck=0.25,
        neck_up=30,
        head=0.35,
        snout=0.4,
        ears="side",
        tail=0.15,
        tail_droop=70,
        woolly=True,
        coats=[(0.65, 0.62, 0.55), (0.5, 0.47, 0.4), (0.05, 0.05, 0.05)],
    ),
}
SPECIES_NAMES: tuple[str, ...] = tuple(SPECIES)

# Fore- and hind-leg swing about the shoulder/hip (deg, + forward) and the lower-leg fold (deg) stay inside these.
LEG_LIMITS: dict[str, tuple[float, float]] = {"swing": (-35.0, 35.0), "fold": (0.0, 90.0)}


class AnimalParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    species: Species
    withers: float
    fat: float  # girth factor, 0.9 .. 1.15
    coat: RGB
    dark: RGB  # muzzle, ears, tail tip
    phase: float  # walk-cycle phase
    stride: float  # swing amplitude, deg
    walking: bool
    head_turn: float  # deg
    antlers: bool


def sample_animal(rng: np.random.Generator, species: str) -> AnimalParams:
    sp = SPECIES[species]
    k = len(sp["coats"])
    weights = np.array([2.0] + [1.0] * (k - 1))  # the first coat is the species' common one
    coat = np.asarray(sp["coats"][int(rng.choice(k, p=weights / weights.sum()))]) * rng.uniform(0.85, 1.15)
    coat_t = tuple(float(np.round(min(c, 1.0), 4)) for c in coat)
    return AnimalParams(
        species=species,  # type: ignore[arg-type]
        withers=float(np.round(rng.uniform(*sp["h"]), 4)),
        fat=float(np.round(rng.uniform(0.9, 1.15), 4)),
        coat=coat_t,  # type: ignore[arg-type]
        dark=tuple(float(np.round(c * 0.35, 4)) for c in coat_t),  # type: ignore[arg-type]
        phase=float(np.round(rng.uniform(0, 1), 4)),
        stride=float(np.round(rng.uniform(14, 24), 3)),
        walking=bool(rng.random() < 0.7),
        head_turn=float(np.round(rng.uniform(-25, 25), 3)),
        antlers=bool(sp.get("antlers") and rng.random() < 0.5),
    )


def animal_colours(p: AnimalParams) -> dict[str, RGB]:
    belly = tuple(min(1.0, 0.6 * c + 0.25) for c in p.coat)
    return {
        "coat": p.coat,
        "dark": p.dark,
        "belly": belly,
        "hoof": (0.03, 0.025, 0.02),  # type: ignore[dict-item]
        "horn": (0.35, 0.3, 0.22),
        "eye": (0.01, 0.01, 0.01),
    }


def leg_pose(p: AnimalParams, phase: float) -> dict[str, tuple[float, float]]:
    """(swing, fold) in degrees of each leg (lf, rf, lh, rh); unclamped. Lateral-sequence walk."""
    offsets = {"lh": 0.0, "lf": 0.25, "rh": 0.5, "rf": 0.75}
    out = {}
    for leg, off in offsets.items():
        t = (phase + off) % 1.0
        if not p.walking:
            out[leg] = (3.0 if leg[1] == "f" else -3.0, 2.0)
            continue
        swing = p.stride * np.cos(2 * np.pi * t)  # forward at touch-down (t = 0)
        fold = 55.0 * np.exp(-0.5 * (((t - 0.8 + 0.5) % 1.0 - 0.5) / 0.09) ** 2)  # lifted mid-swing
        out[leg] = (float(swing), float(fold))
    return out


def _ring(cx: float, cz: float, hy: float, hz: float, n: int = 10) -> np.ndarray:
    a = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.column_stack([np.full(n, cx), hy * np.cos(a), cz + hz * np.sin(a)])


def _posed(p: AnimalParams, phase: float) -> Mesh:
    sp = SPECIES[p.species]
    h = p.withers
    length = sp["body"] * h
    girth = sp["girth"] * h * p.fat
    body_z = h - girth * 0.5
    leg_top = body_z - girth * 0.1
    leg_r = sp["leg"] * h * (1.0 + 0.4 * (p.fat - 1))
    parts: list[Mesh] = []
    xs = np.array([-0.5, -0.44, -0.3, 0.0, 0.3, 0.44, 0.5]) * length
    scale = np.array([0.45, 0.85, 0.98, 1.0, 1.0, 0.88, 0.5])
    drop = np.array([0.0, 0.0, 0.04, 0.1, 0.04, 0.0, 0.0]) * girth  # belly sags in the middle
    w = 0.5 * girth * (1.0 if not sp.get("woolly") else 1.15)
    rings = np.array(
        [_ring(x, body_z - d, w * s * 0.9, girth * 0.5 * s) for x, s, d in zip(xs, scale, drop, strict=True)]
    )
    parts.append(sweep(rings, S["coat"]))
    legs = leg_pose(p, phase)
    up = leg_top
    for leg, (swing, fold) in legs.items():
        swing = float(np.clip(swing, *LEG_LIMITS["swing"]))
        fold = float(np.clip(fold, *LEG_LIMITS["fold"]))
        fore = leg[1] == "f"
        side = 1.0 if leg[0] == "l" else -1.0
        top = np.array([(0.36 if fore else -0.36) * length, side * w * 0.55, up])
        seg = up / 2.0
        a1 = np.deg2rad(swing + (0 if fore else 12))  # hind thigh slants forward
        knee = top + seg * np.array([np.sin(a1), 0, -np.cos(a1)])
        a2 = a1 + np.deg2rad(-fold if fore else -(fold + 20))  # fore knee / hind hock fold back
        foot = knee + seg * np.array([np.sin(a2), 0, -np.cos(a2)])
        parts.append(capsule(top, knee, leg_r * 1.5, leg_r, 7, 1, S["coat"]))
        parts.append(capsule(knee, foot, leg_r, leg_r * 0.8, 7, 1, S["coat"]))
        hoof = S["hoof"] if p.species in ("deer", "boar", "horse", "cow", "sheep") else S["dark"]
        parts.append(
            capsule(foot, foot + np.array([leg_r * 1.2, 0, 0]), leg_r * 0.9, leg_r * 0.8, 6, 1, hoof)
        )
    # neck and head
    chest = np.array([0.42 * length, 0.0, body_z + girth * 0.15])
    up_a = np.deg2rad(sp["neck_up"])
    turn = np.deg2rad(p.head_turn)
    nd = np.array([np.cos(up_a) * np.cos(turn), np.cos(up_a) * np.sin(turn), np.sin(up_a)])
    neck_len = sp["neck"] * h + 0.05
    head_base = chest + nd * neck_len
    parts.append(
        tube(
            np.array([chest - nd * 0.05 * h, chest + nd * neck_len * 0.5, head_base]),
            np.array([girth * 0.32, girth * 0.24, girth * 0.18]),
            8,
            S["coat"],
        )
    )
    hl = sp["head"] * h
    fwd = np.array([np.cos(turn), np.sin(turn), 0.0])
    tilt = np.array([0, 0, -0.35 * hl]) if sp["neck_up"] > 20 else np.array([0, 0, -0.15 * hl])
    skull = head_base + fwd * hl * 0.25
    parts.append(ellipsoid(tuple(skull), (hl * 0.35, hl * 0.28, hl * 0.3), 4, 8, S["coat"]))
    snout_end = skull + fwd * hl * (0.3 + sp["snout"] * 0.6) + tilt * 0.6
    parts.append(capsule(skull + fwd * hl * 0.1, snout_end, hl * 0.2, hl * 0.12, 7, 1, S["coat"]))
    parts.append(
        ellipsoid(tuple(snout_end + fwd * hl * 0.06), (hl * 0.06, hl * 0.07, hl * 0.06), 3, 5, S["dark"])
    )
    left = np.array([-np.sin(turn), np.cos(turn), 0.0])
    for s in (-1.0, 1.0):
        base = skull + left * s * hl * 0.18 + np.array([0, 0, hl * 0.2])
        if sp["ears"] == "pointy":
            tip = base + np.array([0, 0, hl * 0.35]) + left * s * hl * 0.06 - fwd * hl * 0.04
            parts.append(capsule(base, tip, hl * 0.08, hl * 0.015, 5, 1, S["dark"]))
        elif sp["ears"] == "floppy":
            tip = base + left * s * hl * 0.12 - np.array([0, 0, hl * 0.35])
            parts.append(capsule(base, tip, hl * 0.09, hl * 0.06, 5, 1, S["dark"]))
        else:  # cattle and sheep: ears stick out sideways
            parts.append(capsule(base, base + left * s * hl * 0.3, hl * 0.07, hl * 0.05, 5, 1, S["dark"]))
        eye = skull + fwd * hl * 0.28 + left * s * hl * 0.2 + np.array([0, 0, hl * 0.08])
        parts.append(ellipsoid(tuple(eye), (hl * 0.04,) * 3, 3, 5, S["eye"]))
        if sp.get("horns"):
            parts.append(
                tube(
                    np.array(
                        [
                            base,
                            base + left * s * hl * 0.25 + [0, 0, hl * 0.1],
                            base + left * s * hl * 0.35 + [0, 0, hl * 0.3],
                        ]
                    ),
                    hl * 0.04,
                    5,
                    S["horn"],
                )
            )
        if p.antlers:
            stem = [
                base,
                base + np.array([0, 0, hl * 0.6]) + left * s * hl * 0.2,
                base + np.array([0, 0, hl * 1.1]) + left * s * hl * 0.45 - fwd * hl * 0.1,
            ]
            parts.append(tube(np.array(stem), hl * 0.035, 4, S["horn"]))
            parts.append(
                tube(
                    np.array([stem[1], stem[1] + fwd * hl * 0.35 + [0, 0, hl * 0.2]]), hl * 0.03, 4, S["horn"]
                )
            )
    # tail
    t0 = np.array([-0.5 * length, 0.0, body_z + girth * 0.25])
    droop = np.deg2rad(sp["tail_droop"])
    tl = sp["tail"] * h
    td = np.array([-np.cos(droop), 0.0, -np.sin(droop)])
    mid = t0 + td * tl * 0.5 + np.array([0, 0, -0.05 * tl if droop >= 0 else 0.1 * tl])
    end = t0 + td * tl
    r_tail = (0.1 * h if sp.get("bushy") else 0.035 * h) if tl > 0.05 else 0.02
    tip_slot = S["dark"] if p.species != "fox" else S["belly"]
    parts.append(tube(np.array([t0, mid, end]), np.array([r_tail * 0.6, r_tail, r_tail * 0.5]), 6, S["coat"]))
    parts.append(capsule(end, end + td * tl * 0.15, r_tail * 0.5, r_tail * 0.2, 6, 1, tip_slot))
    m = Mesh.merge(*parts)
    return Mesh(m.vertices - [0.0, 0.0, m.vertices[:, 2].min()], m.faces, m.slots)


@lru_cache(maxsize=128)
def animal_size(p: AnimalParams) -> tuple[float, float, float]:
    """Footprint over 8 phases of the gait (+3 cm), so it holds at every phase."""
    ext = np.zeros(3)
    for ph in np.linspace(0, 1, 8, endpoint=False) if p.walking else [p.phase]:
        v = _posed(p, float(ph)).vertices
        ext = np.maximum(ext, [np.abs(v[:, 0]).max(), np.abs(v[:, 1]).max(), v[:, 2].max()])
    return (
        float(np.round(2 * ext[0] + 0.03, 3)),
        float(np.round(2 * ext[1] + 0.03, 3)),
        float(np.round(ext[2] + 0.02, 3)),
    )


def build_animal(p: AnimalParams, phase: float | None = None) -> Asset:
    mesh = _posed(p, p.phase if phase is None else phase)
    return Asset(mesh, SLOTS, animal_size(p), {})
