"""The 2D renderer's ``house`` texture: suburban houses and garden walls, whose slots name their materials
(:data:`simvision.world.assets.houses.SLOTS`).

Walls: brick courses with mortar and per-brick tone, render (stucco) with fine grain, patches and rain streaks, or
lapped siding boards with the shadow line under each lap; all darker and dirtier near the ground. Roofs: courses of
tiles or slates up the slope (rows in world z, as the Blender material's), a joint between units offset by half a
unit per course, per-unit tone and weathering. Windows are modelled (frames, glazing bars, sills, curtains): the
glass here is a dark pane that mirrors the street low and more sky when seen from below, as the facade texture's
(:func:`simvision.render.textures.view_slopes`); curtains get folds, garage doors their panel grooves.
"""

from __future__ import annotations

import numpy as np

from simvision.render.textures import F32, GBuffer, fade, hash01, lines, noise, view_slopes
from simvision.world.assets.houses import S

MORTAR = np.array([0.42, 0.4, 0.37], F32)


def _along(g: GBuffer, r: np.ndarray) -> np.ndarray:
    """Distance along the horizontal direction of a face (along a wall, along a roof's eaves)."""
    n = g.normal[r]
    hx, hy = -n[:, 1], n[:, 0]
    norm = np.maximum(np.hypot(hx, hy), F32(1e-6))
    return ((g.pos[r, 0] * hx + g.pos[r, 1] * hy) / norm).astype(F32)


def _courses(
    a: np.ndarray, z: np.ndarray, rise: float, unit: float, fp: np.ndarray, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Running-bond courses ``rise`` high of units ``unit`` long in (``a``, ``z``): the unit's tone (-0.5..0.5),
    the joint coverage (0..1, faded below a pixel) and the height within the course (0 at its lower edge, 1 top)."""
    row = np.floor(z / F32(rise))
    shifted = a + (row.astype(np.int32) & 1).astype(F32) * F32(unit / 2)
    tone = hash01(np.floor(shifted / F32(unit)).astype(np.int32), row.astype(np.int32), seed) - F32(0.5)
    joint = np.maximum(lines(z, rise, rise * 0.16, fp), lines(shifted, unit, unit * 0.05, fp))
    return tone, joint, (z / F32(rise) - row).astype(F32)


def house(g: GBuffer, r: np.ndarray, u: np.ndarray, v: np.ndarray, fp: np.ndarray, seed: int) -> np.ndarray:
    """Texture the house pixels ``r`` in place; returns their mirror reflectivity. Each material's pattern is
    evaluated on its own pixels only."""
    f = F32
    slot = g.slot[r]
    z = g.pos[r, 2]
    alb = g.albedo[r]
    reflect = np.zeros(len(r), F32)
    stain = (noise(u, v, 2.5, seed) - f(0.5)) * f(0.22) + (noise(u, v, 0.3, seed + 1) - f(0.5)) * f(0.18)
    grain = (noise(u, v, 0.02, seed + 2) - f(0.5)) * fade(0.02, fp) * f(0.3)
    ground_dirt = f(0.8) + f(0.2) * np.clip((z - f(0.15)) / f(0.5), 0, 1)  # splash and soil near the ground
    k = np.ones(len(r), F32)

    i = np.flatnonzero((slot == S["brick"]) & (np.abs(g.normal[r, 2]) < f(0.5)))
    tone, mortar, _ = _courses(u[i], v[i], 0.075, 0.24, fp[i], seed + 4)
    k[i] = (f(1) + f(0.35) * tone * fade(0.08, fp[i]) + stain[i] * f(0.6)) * ground_dirt[i]
    bricks = i
    i = np.flatnonzero(slot == S["render"])
    streak = (noise(u[i], v[i] * f(0.1), 0.25, seed + 3) - f(0.5)) * f(0.2)
    k[i] = (f(1) + stain[i] + grain[i] + streak) * ground_dirt[i]
    i = np.flatnonzero(slot == S["siding"])
    obj = g.obj[r[i]]
    lap = f(0.16) + f(0.06) * hash01(obj, np.zeros_like(obj), seed + 5)
    vi, fi = v[i], fp[i]
    t = vi / lap - np.floor(vi / lap)
    shadow = np.clip((f(0.18) - t) / f(0.18), 0, 1) * fade(0.05, fi)  # the lower board's lap shades the top
    board = f(1) - f(0.45) * shadow + f(0.06) * (t - f(0.5)) * fade(0.05, fi)
    k[i] = board * (f(1) + f(0.5) * stain[i] + f(0.5) * grain[i]) * ground_dirt[i]

    # roofs: courses up the slope in world z, units along the eaves
    for name, rise, unit, s_off, shine in (("tiles", 0.2, 0.3, 6, 0.0), ("slates", 0.14, 0.25, 7, 0.04)):
        i = np.flatnonzero(slot == S[name])
        if len(i) == 0:
            continue
        a, zi, fi = _along(g, r[i]), z[i], fp[i]
        rtone, joint, h = _courses(a, zi, rise, unit, fi, seed + s_off)
        lip = np.clip((f(0.2) - h) / f(0.2), 0, 1) * fade(0.06, fi)  # the course above overlaps: a shadow
        moss = np.clip((noise(a, zi, 1.5, seed + 8) - f(0.6)) * f(2.5), 0, 1) * f(0.35)
        weather = (noise(a, zi, 4.0, seed + 9) - f(0.5)) * f(0.3)
        rk = (
            (f(1) + f(0.4) * rtone * fade(0.1, fi) + weather)
            * (f(1) - f(0.45) * lip)
            * (f(1) - f(0.5) * joint)
        )
        k[i] = rk * (f(1) - moss)
        reflect[i] = f(shine)

    i = np.flatnonzero(slot == S["curtain"])
    k[i] = f(1) + (noise(u[i], v[i] * f(0.05), 0.05, seed + 10) - f(0.5)) * f(0.5) * fade(0.05, fp[i])
    reflect[i] = f(0.08)
    i = np.flatnonzero(slot == S["garage"])
    k[i] = (f(1) - f(0.45) * lines(v[i], 0.53, 0.025, fp[i])) * (f(1) + f(0.5) * stain[i])
    reflect[i] = f(0.04)
    i = np.flatnonzero((slot == S["trim"]) | (slot == S["door"]) | (slot == S["step"]) | (slot == S["dark"]))
    k[i] = f(1) + f(0.5) * stain[i] + grain[i]
    reflect[slot == S["door"]] = f(0.04)
    out = alb * k[:, None]
    # mortar: light joints between the bricks (and the coping over a garden wall)
    ab = alb[bricks]
    out[bricks] += (MORTAR * np.minimum(ab.mean(axis=1, keepdims=True) * 3, 1) - out[bricks]) * (
        f(0.7) * mortar
    )[:, None]

    i = np.flatnonzero(slot == S["glass"])
    if len(i):
        _, _, sky = view_slopes(g, r[i])
        obj = g.obj[r[i]]
        pane = hash01(
            np.floor(u[i] / f(0.6)).astype(np.int32) + obj * 31,
            np.floor(v[i] / f(1.2)).astype(np.int32),
            seed + 11,
        )
        reflect[i] = (f(0.3) + f(0.35) * pane) * (f(0.15) + f(0.85) * sky)
        out[i] = alb[i] * (f(1) + f(1.5) * pane)[:, None]
        g.rough[r[i]] = f(0.05)
    _night_rooms(g, r, slot, z, seed)
    g.albedo[r] = out
    return reflect


LIT_ROOMS = 0.4  # the share of a lit house's rooms (one storey of one wall) with the lights on at night
WARM = np.array([1.0, 0.72, 0.42], F32)


def _night_rooms(g: GBuffer, r: np.ndarray, slot: np.ndarray, z: np.ndarray, seed: int) -> None:
    """At night (the scene gave the house's glass an emission: :func:`simvision.scenes.street.suburb.plots`) the
    windows of :data:`LIT_ROOMS` of the house's rooms glow warm, their curtains dimmer; a room is one storey
    (:data:`ROOM_STOREY`) of one wall, so a window is lit whole. The Blender twin:
    :func:`simvision.render.blender.house_materials.night_rooms`."""
    f = F32
    i = np.flatnonzero(((slot == S["glass"]) | (slot == S["curtain"])) & (g.emit[r, 0] > 0))
    if len(i) == 0:
        return
    rows = r[i]
    n = g.normal[rows]
    wall = (np.rint(n[:, 0]).astype(np.int32) + 1) * 3 + np.rint(n[:, 1]).astype(np.int32) + 1
    storey = np.floor((z[i] - f(0.5)) / f(ROOM_STOREY)).astype(np.int32)
    on = hash01(g.obj[rows] * 9 + wall, storey, seed + 12) < f(LIT_ROOMS)
    glow = f(0.6) + f(0.4) * noise(g.pos[rows, 0] + g.pos[rows, 1], g.pos[rows, 2], 0.7, seed + 13)
    k = np.where(slot[i] == S["glass"], f(0.05), f(0.02)) * glow * on
    g.emit[rows] = k[:, None] * WARM


# metres: the house storeys are 2.5-2.9 m, their windows 0.75-2.1 m above a floor 0.3-0.75 m above the road, so
# rooms split at 0.5 + 2.7 k m fall between one storey's windows and the next
ROOM_STOREY = 2.7
