"""Procedural node materials for World objects: each :class:`MaterialSpec` realised by its object's texture kind
(``WorldObject.texture``) and slot (``WorldObject.slot_names`` or the texture's slot conventions), then weathered.

No image files: every pattern is a procedural texture (noise, voronoi, brick, white noise) of the world position,
seeded by the frame's render seed and the object id, so a frame renders the same every time. Per-object colour and
roughness variation comes from the same seed. Wet ground darkens, turns glossy and gathers puddles; snow settles
on faces that look up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from simvision.render.blender.nodes import Graph
from simvision.render.blender.session import bpy
from simvision.world.spec import MaterialSpec, WeatherSpec
from simvision.world.world import FACADE_GROUND, FACADE_STOREY, WorldObject

PAINT_SLOTS = {"paint", "roof", "frame", "body", "cargo", "helmet"}
CHROME_SLOTS = {"rim", "metal", "grille"}
GLASS = (0.012, 0.014, 0.016)  # dark tinted glass: what shows is its reflection
SNOW = (0.85, 0.87, 0.9)


@dataclass(frozen=True)
class Slot:
    """What one material is: its spec, the object's texture kind and the slot's name or index, and the seeds."""

    spec: MaterialSpec
    texture: str
    name: str
    index: int
    seed: int  # per object and slot: colour variation, noise offsets
    object_seed: int  # per object: choices every slot of the object shares (brick or plaster, window spacing)
    weathered: bool  # ground-like: wet and puddled in rain
    lit: bool  # the object's lights are on (shop windows, signs, vehicle lamps)


@dataclass
class Surface:
    """The sockets (or constants) a texture hands to the BSDF: colour, roughness, an optional bump height."""

    color: Any
    rough: Any
    height: Any = None
    bump: float = 0.0
    distance: float = 0.01


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _w(seed: int) -> float:
    """A noise texture's fourth coordinate from the seed: other objects and frames, other patterns."""
    return float(seed % 9973) * 0.731


def _tint(color: np.ndarray, seed: int, amount: float) -> tuple:
    """Per-object colour variation of +-``amount`` in brightness and a little in hue."""
    r = _rng(seed)
    c = color * (1 + amount * (r.random() - 0.5)) * (1 + 0.3 * amount * (r.random(3) - 0.5))
    return tuple(float(v) for v in np.clip(c, 0, 1))


def uv(g: Graph) -> Any:
    """Surface coordinates: (x, y) on faces looking up or down, (distance along the wall, z) on steep ones."""
    horiz = g.vmath("NORMALIZE", g.vmath("CROSS_PRODUCT", g.normal, (0.0, 0.0, 1.0)))
    along = g.vmath("DOT_PRODUCT", g.pos, horiz)
    p = g.xyz(g.pos)
    steep = g.vec(along, p["Z"])
    flat = g.vec(p["X"], p["Y"])
    up = g.math("GREATER_THAN", g.math("ABSOLUTE", g.xyz(g.normal)["Z"]), 0.6)
    return g.mix(up, steep, flat, "VECTOR"), along, p["Z"]


def _asphalt(g: Graph, s: Slot, color: tuple) -> Surface:
    w = _w(s.seed)
    if s.index == 1:  # lane paint, worn through to the asphalt in places
        wear = g.ramp(g.noise(g.pos, 3.0, w, 4.0), 0.55, 0.72, 0.0, 0.7)
        return Surface(g.mix(wear, color, (0.05, 0.05, 0.05)), 0.55, wear, 0.2, 0.002)
    if s.index == 2:  # cast iron manhole and grate: a grid of raised bars
        grid = g.node(
            "ShaderNodeTexBrick",
            {"Vector": g.pos, "Color1": color, "Color2": color, "Mortar": tuple(1.8 * np.asarray(color)),
             "Scale": 1.0, "Mortar Size": 0.012, "Brick Width": 0.06, "Row Height": 0.06},
            offset=0.0,
        )  # fmt: skip
        return Surface(grid.outputs["Color"], s.spec.roughness, grid.outputs["Fac"], 0.6, 0.01)
    if s.index == 4:  # crack sealant: smooth tar
        return Surface(color, s.spec.roughness)
    # aggregate in bitumen: fine grain, stones (voronoi cells), larger stains and patches
    grain = g.noise(g.pos, 30.0, w, 2.0, 0.6)
    stones = g.voronoi(g.pos, 55.0, w)
    stain = g.noise(g.pos, 0.25, w, 3.0, 0.6)  # patches a few metres across down to mottling of decimetres
    tone = g.math("MULTIPLY_ADD", stain, 1.1, g.math("MULTIPLY", grain, 0.5))  # ~0.8 mean
    speck = g.ramp(stones, 0.0, 0.35, 1.35, 0.95)  # light stone tops where the cell distance is small
    col = g.scale(g.scale(color, g.ramp(tone, 0.55, 1.05, 0.7, 1.25)), speck)
    rough = g.ramp(stain, 0.3, 0.7, s.spec.roughness * 1.1, s.spec.roughness * 0.85)
    # no bump: millimetre relief is below a pixel beyond a few metres, and a bump evaluates its height three
    # times (measured at 320x240: the voronoi relief cost 0.4 CPU-s a frame)
    return Surface(col, rough)


def _paving(g: Graph, s: Slot, color: tuple) -> Surface:
    """Slabs (slot 0) or kerb stones (slot 1) with mortar joints; slabs differ in tone, dirt in patches."""
    coords, _, _ = uv(g)
    c = np.asarray(color)
    kerb = s.index == 1
    size = 1.0 if kerb else (0.5 if s.object_seed % 2 else 0.4)
    bricks = g.node(
        "ShaderNodeTexBrick",
        {"Vector": coords, "Color1": tuple(c * 0.82), "Color2": tuple(c * 1.15), "Mortar": tuple(c * 0.45),
         "Scale": 1.0, "Mortar Size": 0.008, "Mortar Smooth": 0.3, "Bias": 0.0, "Brick Width": size,
         "Row Height": 0.3 if kerb else size},
        offset=0.5 if s.object_seed % 3 == 0 else 0.0,
    )  # fmt: skip
    w = _w(s.seed)
    dirt = g.ramp(g.noise(g.pos, 0.8, w, 2.0), 0.35, 0.7, 0.75, 1.1)
    grain = g.ramp(g.noise(g.pos, 40.0, w, 1.0), 0.3, 0.7, 0.9, 1.08)
    col = g.scale(g.scale(bricks.outputs["Color"], dirt), grain)
    height = g.math("SUBTRACT", 1.0, bricks.outputs["Fac"])
    return Surface(col, s.spec.roughness, height, 0.4, 0.006)


def _grass(g: Graph, s: Slot, color: tuple) -> Surface:
    w = _w(s.seed)
    dry = g.ramp(g.noise(g.pos, 0.4, w, 3.0), 0.45, 0.7, 0.0, 0.6)
    clump = g.ramp(g.noise(g.pos, 6.0, w, 4.0), 0.3, 0.7, 0.7, 1.25)
    blade = g.noise(g.pos, 60.0, w, 2.0)
    col = g.scale(g.mix(dry, color, (0.16, 0.11, 0.06)), clump)
    return Surface(col, s.spec.roughness, blade, 0.5, 0.01)


def _foliage(g: Graph, s: Slot, color: tuple) -> Surface:
    """Leaves: a canopy of light and dark clumps, yellower in places, bumpy; bark (slot 1) streaked along z."""
    w = _w(s.seed)
    if s.index == 1:
        p = g.xyz(g.pos)
        bark = g.noise(
            g.vec(g.math("MULTIPLY", p["X"], 8.0), g.math("MULTIPLY", p["Y"], 8.0), p["Z"]), 3.0, w
        )
        return Surface(g.scale(color, g.ramp(bark, 0.3, 0.7, 0.6, 1.3)), s.spec.roughness, bark, 0.8, 0.02)
    clumps = g.noise(g.pos, 2.5, w, 3.0, 0.6)
    leaves = g.noise(g.pos, 18.0, w, 3.0)
    yellow = g.ramp(g.noise(g.pos, 0.7, w, 2.0), 0.5, 0.75, 0.0, 0.5)
    c = np.asarray(color)
    col = g.mix(yellow, color, tuple(np.clip(c * np.array([1.6, 1.25, 0.5]), 0, 1)))
    col = g.scale(
        col, g.ramp(g.math("MULTIPLY_ADD", clumps, 0.7, g.math("MULTIPLY", leaves, 0.3)), 0.3, 0.7, 0.45, 1.5)
    )
    height = g.math("ADD", clumps, g.math("MULTIPLY", leaves, 0.5))
    return Surface(col, s.spec.roughness, height, 0.9, 0.05)


def _facade(g: Graph, s: Slot, color: tuple, p: Any) -> Surface:
    """Brick (with mortar) or plaster walls with a grid of windows above the shop band (lit at random at night);
    shop glass dark and mirror-like; roof and trim as weathered concrete."""
    w = _w(s.seed)
    r = _rng(s.object_seed)  # one draw per building, whichever slot asks
    brick, spacing, lit_share = r.random() < 0.4, 2.6 + 1.2 * r.random(), 0.15 + 0.25 * r.random()
    frame_tone = 0.8 if r.random() < 0.65 else 0.12  # white or dark frames, as the 2D facade's
    if s.index in (2,):  # shop glass
        return _glass(g, s, p)
    stain = g.ramp(g.noise(g.pos, 0.5, w, 2.0), 0.3, 0.7, 0.8, 1.15)
    grime = g.ramp(g.noise(g.pos, 6.0, w, 1.0), 0.3, 0.7, 0.9, 1.08)
    if s.index != 0:
        return Surface(g.scale(g.scale(color, stain), grime), s.spec.roughness, grime, 0.2, 0.01)
    coords, along, z = uv(g)
    c = np.asarray(color)
    if brick:
        b = g.node(
            "ShaderNodeTexBrick",
            {"Vector": coords, "Color1": tuple(c * 0.78), "Color2": tuple(c * 1.18), "Mortar": (0.5, 0.48, 0.44),
             "Scale": 1.0, "Mortar Size": 0.012, "Mortar Smooth": 0.2, "Bias": 0.0, "Brick Width": 0.24,
             "Row Height": 0.075},
            offset=0.5,
        )  # fmt: skip
        wall = b.outputs["Color"]
    else:  # plaster
        wall = color
    wall = g.scale(g.scale(wall, stain), grime)
    # windows: one storey per FACADE_STOREY from FACADE_GROUND up (so balconies meet them), one column per
    # ``spacing``; a Brick texture whose bricks are the panes and whose mortar is the wall between them draws the
    # grid and gives every window its own random grey (its glass tone, whether it is lit) in one node
    grid = g.vec(along, g.math("SUBTRACT", z, FACADE_GROUND + 0.08))

    def windows(margin: float) -> Any:
        return g.node(
            "ShaderNodeTexBrick",
            {"Vector": grid, "Color1": (0, 0, 0), "Color2": (1, 1, 1), "Mortar": (0, 0, 0), "Scale": 1.0,
             "Mortar Size": margin, "Mortar Smooth": 0.0, "Bias": 0.0, "Brick Width": spacing,
             "Row Height": FACADE_STOREY},
            offset=0.0,
        )  # fmt: skip

    inner, outer = windows(0.75), windows(0.62)
    steep = g.math("LESS_THAN", g.math("ABSOLUTE", g.xyz(g.normal)["Z"]), 0.5)
    above = g.math("MULTIPLY", steep, g.math("GREATER_THAN", z, FACADE_GROUND + 0.2))
    pane = g.math("MULTIPLY", above, g.math("SUBTRACT", 1.0, inner.outputs["Fac"]))
    frame = g.math("MULTIPLY", above, g.math("SUBTRACT", 1.0, outer.outputs["Fac"]))
    cell = g.xyz(inner.outputs["Color"])["X"]
    glass = g.scale(GLASS, g.math("MULTIPLY_ADD", cell, 2.0, 1.0))
    col = g.mix(pane, g.mix(frame, wall, (frame_tone,) * 3), glass)
    rough = g.mix(pane, s.spec.roughness, 0.04, "FLOAT")
    if s.lit:  # a share of the windows glow warm or cool (lamps, curtains, screens) at night
        on = g.math("MULTIPLY", pane, g.math("LESS_THAN", cell, lit_share))
        warm = g.mix(g.math("DIVIDE", cell, lit_share), (1.0, 0.7, 0.4), (0.85, 0.88, 0.95))
        p.inputs["Emission Strength"].default_value = 1.0
        g.put(p.inputs["Emission Color"], g.scale(warm, g.math("MULTIPLY", on, 0.05)))
    # no relief: mortar joints are below a pixel at facade distances and a bump triples the texture's cost
    return Surface(col, rough)


def _glass(g: Graph, s: Slot, p: Any) -> Surface:
    """Dark glossy glass: reflections over a dark tint (nothing modelled behind it to see through to)."""
    p.inputs["IOR"].default_value = 1.5
    p.inputs["Metallic"].default_value = 0.0
    color = tuple(np.minimum(np.asarray(s.spec.color), np.asarray(GLASS) * 3))
    return Surface(color, 0.03)


def _vehicle(g: Graph, s: Slot, color: tuple, p: Any) -> Surface:
    """Car paint under clear coat, glass, rubber, chrome or plastic trim, lamp lenses."""
    name, w = s.name, _w(s.seed)
    if name in PAINT_SLOTS or (not name and s.index == 0):
        p.inputs["Coat Weight"].default_value = 1.0
        p.inputs["Coat Roughness"].default_value = 0.03
        p.inputs["Coat IOR"].default_value = 1.5
        p.inputs["Metallic"].default_value = min(s.spec.metallic, 0.5)
        # metallic flakes: a fine voronoi jitters the base layer's normal under the smooth coat
        flakes = g.voronoi(g.pos, 900.0, w)
        return Surface(color, max(0.3, s.spec.roughness), flakes, 0.15 * s.spec.metallic, 0.0005)
    if name == "glass" or (not name and s.index == 1):
        return _glass(g, s, p)
    if name == "tyre" or (not name and s.index == 2):
        tread = g.noise(g.pos, 40.0, w, 3.0)
        return Surface((0.018, 0.018, 0.02), 0.85, tread, 0.4, 0.003)
    if name in CHROME_SLOTS and s.spec.metallic >= 0.5:
        p.inputs["Metallic"].default_value = 1.0
        return Surface(tuple(np.maximum(np.asarray(color), 0.55)), 0.12)
    if name in ("headlight", "lamp", "taillight"):
        p.inputs["Coat Weight"].default_value = 1.0  # a lens over the reflector
        p.inputs["Coat Roughness"].default_value = 0.02
        if s.spec.emission == 0 and name != "taillight":
            p.inputs["Metallic"].default_value = 1.0  # an unlit headlight shows its chrome reflector
            return Surface((0.8, 0.8, 0.82), 0.1)
        return Surface(color, 0.2)
    # trim, plates, seats...: plastic with a little variation
    return Surface(
        color, g.ramp(g.noise(g.pos, 8.0, w), 0.3, 0.7, s.spec.roughness * 0.8, s.spec.roughness * 1.2)
    )


def _fabric(g: Graph, s: Slot, color: tuple, p: Any) -> Surface:
    w = _w(s.seed)
    p.inputs["Sheen Weight"].default_value = 0.3 if s.name not in ("skin", "umbrella_frame") else 0.0
    weave = g.noise(g.pos, 120.0, w, 2.0)
    folds = g.ramp(g.noise(g.pos, 4.0, w, 3.0), 0.3, 0.7, 0.8, 1.12)
    return Surface(g.scale(color, folds), s.spec.roughness, weave, 0.15, 0.002)


def _plain(g: Graph, s: Slot, color: tuple) -> Surface:
    """Metal, plastic, fur...: a little large-scale variation of tone and roughness (wear, dust)."""
    w = _w(s.seed)
    n = g.noise(g.pos, 3.0, w, 1.0)
    rough = g.ramp(n, 0.3, 0.7, s.spec.roughness * 0.8, min(1.0, s.spec.roughness * 1.25))
    return Surface(g.scale(color, g.ramp(n, 0.3, 0.7, 0.9, 1.08)), rough)


TINT = {"facade": 0.25, "paint": 0.05, "foliage": 0.3, "grass": 0.2, "asphalt": 0.15, "paving": 0.15}


def surface(g: Graph, s: Slot, p: Any) -> Surface:
    color = _tint(np.asarray(s.spec.color, np.float64), s.seed, TINT.get(s.texture, 0.1))
    if s.spec.emission > 0 and s.texture not in ("paint", "house"):  # a house's glass: its lit rooms
        return Surface(color, s.spec.roughness)
    kind = s.texture
    if kind == "asphalt":
        return _asphalt(g, s, color)
    if kind == "paving":
        return _paving(g, s, color)
    if kind == "grass":
        return _grass(g, s, color)
    if kind == "foliage":
        return _foliage(g, s, color)
    if kind == "facade":
        return _facade(g, s, color, p)
    if kind == "house":
        from simvision.render.blender import house_materials  # (it imports this module)

        return house_materials.surface(g, s, color, p)
    if kind == "paint":
        return _vehicle(g, s, color, p)
    if kind == "fabric":
        return _fabric(g, s, color, p)
    return _plain(g, s, color)


def _wet(g: Graph, srf: Surface, weather: WeatherSpec, puddles: bool, seed: int) -> None:
    """Rain: darker, glossier; standing water where a world-space noise (blobs a few metres across) is high on
    faces that look up, covering more of the ground the wetter it is: darker still and mirror-smooth."""
    wet = weather.wetness
    srf.color = g.scale(srf.color, 1 - 0.45 * wet)
    srf.rough = g.math("MULTIPLY", srf.rough, 1 - 0.7 * wet)
    if not puddles:
        return
    threshold = 0.62 - 0.14 * wet
    water = g.ramp(g.noise(g.pos, 0.35, _w(seed), 3.0), threshold, threshold + 0.04)
    flat = g.math("GREATER_THAN", g.xyz(g.normal)["Z"], 0.9)
    water = g.math("MULTIPLY", water, flat)
    srf.rough = g.mix(water, srf.rough, 0.02, "FLOAT")
    srf.color = g.mix(water, srf.color, g.scale(srf.color, 0.55))
    if srf.height is not None:  # water fills the texture's hollows: flat
        srf.height = g.mix(water, srf.height, 0.0, "FLOAT")


def _snow(g: Graph, srf: Surface, cover: float, seed: int) -> None:
    """Snow where the surface faces up, in drifts: thin patches at light cover, everything up-facing at full."""
    up = g.ramp(g.xyz(g.normal)["Z"], 0.6, 0.85)
    # drifts: the noise's spread (about +-0.1) stretched so the cover decides the bare share
    drift = g.math("MULTIPLY_ADD", g.noise(g.pos, 1.2, _w(seed), 4.0), 3.0, cover - 1.5)
    amount = g.math("MULTIPLY", up, g.ramp(drift, 0.4, 0.8, 0.0, 0.95))
    srf.color = g.mix(amount, srf.color, SNOW)
    srf.rough = g.mix(amount, srf.rough, 0.55, "FLOAT")
    if srf.height is not None:  # snow buries the texture's relief
        srf.height = g.mix(amount, srf.height, 0.0, "FLOAT")


def material(name: str, s: Slot, weather: WeatherSpec) -> Any:
    """A Principled BSDF material realising slot ``s`` under ``weather``."""
    b = bpy()
    mat = b.data.materials.new(name)
    mat.use_nodes = True
    g = Graph(mat.node_tree)
    p = mat.node_tree.nodes["Principled BSDF"]
    spec = s.spec
    p.inputs["Metallic"].default_value = spec.metallic
    p.inputs["Transmission Weight"].default_value = spec.transmission
    srf = surface(g, s, p)
    # a house's glowing glass only marks a night: its texture lights some of the rooms (house_materials)
    emissive = spec.emission > 0 and s.texture != "house"
    if emissive:
        # lamps and vehicle lights are real lights; their glowing surfaces need not be sampled as lights too
        mat.cycles.emission_sampling = "NONE"
        p.inputs["Emission Color"].default_value = (*spec.color, 1.0)
        p.inputs["Emission Strength"].default_value = spec.emission
    elif s.texture in ("facade", "house") and s.lit:
        mat.cycles.emission_sampling = "NONE"  # lit windows: a glow, not a light source to sample
    if s.weathered and weather.wetness > 0 and not emissive:
        # under snow the ground is slush, not mirror-smooth standing water
        _wet(g, srf, weather, weather.snow_cover == 0, s.seed)
    if weather.snow_cover > 0 and not emissive:
        _snow(g, srf, weather.snow_cover, s.seed)
    g.put(p.inputs["Base Color"], srf.color)
    g.put(p.inputs["Roughness"], srf.rough)
    if srf.height is not None and srf.bump > 0:
        bump = g.node(
            "ShaderNodeBump", {"Strength": srf.bump, "Distance": srf.distance, "Height": srf.height}
        )
        g.put(p.inputs["Normal"], bump.outputs["Normal"])
    return mat


def object_slots(obj: WorldObject, seed: int) -> list[Slot]:
    """One :class:`Slot` per material of ``obj``; ``seed`` (the frame's render seed) varies colours between frames."""
    lit = any(m.emission > 0 for m in obj.materials)
    # anything on tyres is a vehicle (street objects built from assets are kinded by body, "sedan", "bus_city",
    # which the texture table does not name)
    texture = "paint" if "tyre" in obj.slot_names else obj.texture
    out = []
    for k, m in enumerate(obj.materials):
        name = obj.slot_names[k] if k < len(obj.slot_names) else ""
        base = (seed % 100_003) * 1_000_003 + obj.id * 64
        out.append(Slot(m, texture, name, k, base + k, base, obj.ground or k in obj.wall_slots, lit))
    return out
