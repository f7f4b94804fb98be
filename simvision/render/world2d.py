"""The fast 2D projection of a :class:`World`: flat-shaded triangles through the exact rasterizer, no Blender.

Used for previews, tests and as the cross-check of the Blender label pass: both rasterize the same triangles at
pixel centres, so for unoccluded objects the masks agree. Shading is deliberately simple (Lambert sun + sky
ambient + street lamps per face, fog by transmittance, rain/snow particles as strokes).
"""

from __future__ import annotations

import cv2
import numpy as np

from simvision.types import Sample
from simvision.world.labels import fog_transmittance, world_sample
from simvision.world.raster import rasterize
from simvision.world.world import World


def sun_direction(elevation_deg: float, heading_deg: float) -> np.ndarray:
    """Unit vector towards the sun (world, Z up; heading 0 = +Y, counter-clockwise)."""
    e, h = np.deg2rad([elevation_deg, heading_deg])
    return np.array([-np.sin(h) * np.cos(e), np.cos(h) * np.cos(e), np.sin(e)])


def sky_colour(world: World) -> np.ndarray:
    day = float(np.clip((world.sun.elevation_deg + 6) / 16, 0, 1))
    if world.sun.sky == "overcast":
        return np.array([0.55, 0.57, 0.6]) * (0.02 + 0.9 * day)
    dusk = np.array([0.9, 0.45, 0.25]) * 0.5
    return np.array([0.3, 0.5, 0.9]) * day + dusk * (1 - day) * (world.sun.elevation_deg > -10) + 0.003


def _face_colours(world: World, tris: np.ndarray, obj_of: np.ndarray, slot_of: np.ndarray) -> np.ndarray:
    """(T,3) linear radiance of every triangle."""
    base = np.zeros((len(tris), 3))
    emit = np.zeros((len(tris), 3))
    rough = np.zeros(len(tris))
    for o, obj in enumerate(world.objects):
        rows = obj_of == o
        mats = obj.materials
        slots = np.minimum(slot_of[rows], len(mats) - 1)
        base[rows] = np.array([m.color for m in mats])[slots]
        emit[rows] = np.array([np.asarray(m.color) * m.emission for m in mats])[slots]
        rough[rows] = np.array([m.roughness for m in mats])[slots]
    n = np.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    centre = tris.mean(axis=1)
    to_cam = np.asarray(world.camera.position) - centre
    n *= np.sign(np.einsum("ij,ij->i", n, to_cam))[:, None]  # two-sided: face the camera
    w = world.weather
    up = np.clip(n[:, 2], 0, 1)
    if w.snow_cover > 0:
        snow = (up > 0.7) * w.snow_cover * 0.9
        base = base * (1 - snow[:, None]) + 0.85 * snow[:, None]
    if w.wetness > 0:
        base *= 1 - 0.45 * w.wetness * (up > 0.9)[:, None] * (rough[:, None] > 0.5)
    sky = sky_colour(world)
    light = np.outer(0.55 + 0.45 * up, sky) * 1.2
    if world.sun.strength > 0:
        sdir = sun_direction(world.sun.elevation_deg, world.sun.heading_deg)
        light += np.outer(np.clip(n @ sdir, 0, 1), np.array([1.0, 0.95, 0.88]) * world.sun.strength * 0.35)
    for lamp in world.lamps:
        d = np.asarray(lamp.position) - centre
        r2 = np.maximum(np.einsum("ij,ij->i", d, d), 0.25)
        cos = np.clip(np.einsum("ij,ij->i", n, d) / np.sqrt(r2), 0, 1)
        light += np.outer(cos * lamp.power_w / (4 * np.pi * r2) * 0.05, lamp.color)
    return base * light + emit * 0.05


def _tonemap(linear: np.ndarray, exposure: float) -> np.ndarray:
    x = linear * 2.0**exposure
    x = x / (1 + x)
    srgb = np.where(x <= 0.0031308, 12.92 * x, 1.055 * np.power(np.maximum(x, 0), 1 / 2.4) - 0.055)
    return np.clip(srgb * 255 + 0.5, 0, 255).astype(np.uint8)


def _particles(world: World, image: np.ndarray) -> np.ndarray:
    cam = world.pinhole()
    seg = world.particles
    if len(seg) == 0:
        return image
    pc = cam.to_camera(seg.reshape(-1, 3)).reshape(-1, 2, 3)
    ok = (pc[:, :, 2] > cam.clip_start).all(axis=1)
    uv = cam.project(pc[ok])
    over = image.copy()
    colour = (200, 205, 210) if world.weather.kind == "rain" else (245, 245, 245)
    for (x0, y0), (x1, y1) in uv.tolist():
        if world.weather.kind == "rain":
            cv2.line(over, (round(x0), round(y0)), (round(x1), round(y1)), colour, 1, cv2.LINE_AA)
        else:
            cv2.circle(over, (round(x0), round(y0)), 1, colour, -1, cv2.LINE_AA)
    return cv2.addWeighted(image, 0.55, over, 0.45, 0)


def render_world_2d(world: World) -> Sample:
    """Render ``world`` flat-shaded; labels exactly as the Blender renderer derives them."""
    meshes = world.meshes
    tris = np.concatenate([m.triangles for m in meshes])
    obj_of = np.concatenate([np.full(len(m.faces), o, np.int32) for o, m in enumerate(meshes)])
    slot_of = np.concatenate([m.slots for m in meshes]).astype(np.int64)
    cam = world.pinhole()
    tri_map, depth = rasterize(tris, cam)
    hit = tri_map >= 0
    id_map = np.where(hit, obj_of[np.maximum(tri_map, 0)] + 1, 0).astype(np.int32)
    radiance = np.empty((cam.height, cam.width, 3))
    radiance[:] = sky_colour(world)
    radiance[hit] = _face_colours(world, tris, obj_of, slot_of)[tri_map[hit]]
    if world.weather.fog_density > 0:
        t = fog_transmittance(world, depth)[..., None]
        radiance = radiance * t + sky_colour(world) * 0.9 * (1 - t)
    image = _particles(world, _tonemap(radiance, world.exposure))
    return world_sample(world, id_map, depth, image, {"engine": "2d"})
