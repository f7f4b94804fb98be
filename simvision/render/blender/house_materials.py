"""Blender node materials of the ``house`` texture kind (suburban houses, garden walls), by slot name
(:data:`simvision.world.assets.houses.SLOTS`), as the 2D ``house`` texture draws them: brick courses with light
mortar, render with stains, siding laps, tile and slate courses up the roof (rows in world z), grooved garage
doors, dark reflective glass; everything else plain with a little wear."""

from __future__ import annotations

from typing import Any

import numpy as np

from simvision.render.blender import materials as mat
from simvision.render.blender.nodes import Graph


def _rows(g: Graph, coords: Any, c: np.ndarray, mortar: tuple, unit: float, rise: float, joint: float) -> Any:
    """A running-bond Brick texture over (along, z): units ``unit`` long in courses ``rise`` high."""
    return g.node(
        "ShaderNodeTexBrick",
        {"Vector": coords, "Color1": tuple(c * 0.8), "Color2": tuple(c * 1.2), "Mortar": mortar, "Scale": 1.0,
         "Mortar Size": joint, "Mortar Smooth": 0.2, "Bias": 0.0, "Brick Width": unit, "Row Height": rise},
        offset=0.5,
    )  # fmt: skip


def surface(g: Graph, s: mat.Slot, color: tuple, p: Any) -> mat.Surface:
    name, w = s.name, mat._w(s.seed)
    c = np.asarray(color)
    if name == "glass":
        srf = mat._glass(g, s, p)
        if s.lit:
            night_rooms(g, s, p, 0.05)
        return srf
    _, along, z = mat.uv(g)
    coords = g.vec(along, z)
    stain = g.ramp(g.noise(g.pos, 0.4, w, 2.0), 0.3, 0.7, 0.8, 1.15)
    ground = g.ramp(z, 0.15, 0.65, 0.8, 1.0)  # splash and soil near the ground
    if name == "brick":
        b = _rows(g, coords, c, tuple(np.minimum(np.array([0.42, 0.4, 0.37]), c * 3)), 0.24, 0.075, 0.01)
        return mat.Surface(g.scale(g.scale(b.outputs["Color"], stain), ground), s.spec.roughness)
    if name == "render":
        grain = g.ramp(g.noise(g.pos, 40.0, w, 2.0), 0.3, 0.7, 0.9, 1.1)
        return mat.Surface(g.scale(g.scale(g.scale(color, stain), grain), ground), s.spec.roughness)
    if name == "siding":
        lap = g.math("FRACT", g.math("DIVIDE", z, 0.18))
        shade = g.ramp(lap, 0.0, 0.18, 0.55, 1.0)
        return mat.Surface(g.scale(g.scale(g.scale(color, shade), stain), ground), s.spec.roughness)
    if name in ("tiles", "slates"):
        unit, rise = (0.3, 0.2) if name == "tiles" else (0.25, 0.14)
        b = _rows(g, coords, c, tuple(c * 0.4), unit, rise, 0.012)
        lip = g.ramp(g.math("FRACT", g.math("DIVIDE", z, rise)), 0.0, 0.2, 0.55, 1.0)
        moss = g.ramp(g.noise(g.pos, 0.6, w, 2.0), 0.6, 0.75, 1.0, 0.7)
        return mat.Surface(g.scale(g.scale(g.scale(b.outputs["Color"], lip), moss), stain), s.spec.roughness)
    if name == "garage":
        groove = g.ramp(g.math("FRACT", g.math("DIVIDE", z, 0.53)), 0.0, 0.05, 0.55, 1.0)
        return mat.Surface(g.scale(g.scale(color, groove), stain), s.spec.roughness)
    if name == "curtain":
        if s.lit:
            night_rooms(g, s, p, 0.02)
        folds = g.ramp(g.noise(g.vec(g.math("MULTIPLY", along, 20.0), z), 1.0, w, 2.0), 0.3, 0.7, 0.75, 1.2)
        return mat.Surface(g.scale(color, folds), 0.9)
    return mat.Surface(g.scale(color, stain), s.spec.roughness)


def night_rooms(g: Graph, s: mat.Slot, p: Any, strength: float) -> None:
    """At night a share of the house's rooms (one storey of one wall) glow warm behind the glass (``strength``;
    dimmer through the curtains): the 2D texture's :func:`simvision.render.house_texture._night_rooms`, its
    rooms drawn by a white noise of (storey, wall) instead of its integer hash."""
    from simvision.render.house_texture import LIT_ROOMS, ROOM_STOREY, WARM

    w = mat._w(s.object_seed)  # one draw per house, whichever slot asks
    n = g.xyz(g.normal)
    storey = g.math("FLOOR", g.math("DIVIDE", g.math("SUBTRACT", g.xyz(g.pos)["Z"], 0.5), ROOM_STOREY))
    key = g.vec(storey, g.math("ROUND", n["X"]), g.math("ROUND", n["Y"]))
    cell = g.node("ShaderNodeTexWhiteNoise", {"Vector": key, "W": w}, noise_dimensions="4D").outputs["Value"]
    on = g.math("LESS_THAN", cell, LIT_ROOMS)
    glow = g.ramp(g.noise(g.pos, 1.4, w, 2.0), 0.3, 0.7, 0.6, 1.0)
    p.inputs["Emission Strength"].default_value = 1.0
    g.put(
        p.inputs["Emission Color"],
        g.scale(tuple(float(c) for c in WARM), g.math("MULTIPLY", on, g.math("MULTIPLY", glow, strength))),
    )
