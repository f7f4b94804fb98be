"""The fast 2D projection of a street spec: flat-shaded triangles through the exact rasterizer, no Blender.

Used for previews, tests and as the cross-check of the Blender label pass: both rasterize the same triangles at
pixel centres, so for unoccluded objects the masks agree. Shading is deliberately simple (Lambert sun + sky
ambient + street lamps per face, fog by transmittance, rain/snow particles as strokes).
"""

from __future__ import annotations

import cv2
import numpy as np

from simvision.geometry.mesh import Mesh
from simvision.geometry.raster import rasterize
from simvision.scenes.street.geometry import scene_meshes, weather_particles
from simvision.scenes.street.labels import fog_transmittance, street_sample
from simvision.scenes.street.spec import StreetSpec
from simvision.types import Sample


def sun_direction(elevation_deg: float, heading_deg: float) -> np.ndarray:
    """Unit vector towards the sun (world, Z up; heading 0 = +Y, counter-clockwise)."""
    e, h = np.deg2rad([elevation_deg, heading_deg])
    return np.array([-np.sin(h) * np.cos(e), np.cos(h) * np.cos(e), np.sin(e)])


def sky_colour(spec: StreetSpec) -> np.ndarray:
    day = float(np.clip((spec.sun.elevation_deg + 6) / 16, 0, 1))
    if spec.sun.sky == "overcast":
        return np.array([0.55, 0.57, 0.6]) * (0.02 + 0.9 * day)
    dusk = np.array([0.9, 0.45, 0.25]) * 0.5
    return np.array([0.3, 0.5, 0.9]) * day + dusk * (1 - day) * (spec.sun.elevation_deg > -10) + 0.003


def _face_colours(
    spec: StreetSpec, meshes: list[Mesh], tris: np.ndarray, obj_of: np.ndarray, slot_of: np.ndarray
) -> np.ndarray:
    """(T,3) linear radiance of every triangle."""
    base = np.zeros((len(tris), 3))
    emit = np.zeros((len(tris), 3))
    rough = np.zeros(len(tris))
    for o, obj in enumerate(spec.objects):
        rows = obj_of == o
        mats = obj.materials
        slots = np.minimum(slot_of[rows], len(mats) - 1)
        base[rows] = np.array([m.color for m in mats])[slots]
        emit[rows] = np.array([np.asarray(m.color) * m.emission for m in mats])[slots]
        rough[rows] = np.array([m.roughness for m in mats])[slots]
    n = np.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    centre = tris.mean(axis=1)
    to_cam = np.asarray(spec.camera.position) - centre
    n *= np.sign(np.einsum("ij,ij->i", n, to_cam))[:, None]  # two-sided: face the camera
    w = spec.weather
    up = np.clip(n[:, 2], 0, 1)
    if w.snow_cover > 0:
        snow = (up > 0.7) * w.snow_cover * 0.9
        base = base * (1 - snow[:, None]) + 0.85 * snow[:, None]
    if w.wetness > 0:
        base *= 1 - 0.45 * w.wetness * (up > 0.9)[:, None] * (rough[:, None] > 0.5)
    sky = sky_colour(spec)
    light = np.outer(0.55 + 0.45 * up, sky) * 1.2
    if spec.sun.strength > 0:
        sdir = sun_direction(spec.sun.elevation_deg, spec.sun.heading_deg)
        light += np.outer(np.clip(n @ sdir, 0, 1), np.array([1.0, 0.95, 0.88]) * spec.sun.strength * 0.35)
    for lamp in spec.lamps:
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


def _particles(spec: StreetSpec, image: np.ndarray) -> np.ndarray:
    cam = spec.pinhole()
    seg = weather_particles(spec.weather, spec.camera.position, spec.camera.yaw_deg)
    if len(seg) == 0:
        return image
    pc = cam.to_camera(seg.reshape(-1, 3)).reshape(-1, 2, 3)
    ok = (pc[:, :, 2] > cam.clip_start).all(axis=1)
    uv = cam.project(pc[ok])
    over = image.copy()
    colour = (200, 205, 210) if spec.weather.kind == "rain" else (245, 245, 245)
    for (x0, y0), (x1, y1) in uv.tolist():
        if spec.weather.kind == "rain":
            cv2.line(over, (round(x0), round(y0)), (round(x1), round(y1)), colour, 1, cv2.LINE_AA)
        else:
            cv2.circle(over, (round(x0), round(y0)), 1, colour, -1, cv2.LINE_AA)
    return cv2.addWeighted(image, 0.55, over, 0.45, 0)


def render_street_2d(spec: StreetSpec) -> Sample:
    """Render ``spec`` flat-shaded; labels exactly as the Blender renderer derives them."""
    meshes = scene_meshes(spec)
    tris = np.concatenate([m.triangles for m in meshes])
    obj_of = np.concatenate([np.full(len(m.faces), o, np.int32) for o, m in enumerate(meshes)])
    slot_of = np.concatenate([m.slots for m in meshes]).astype(np.int64)
    cam = spec.pinhole()
    tri_map, depth = rasterize(tris, cam)
    hit = tri_map >= 0
    id_map = np.where(hit, obj_of[np.maximum(tri_map, 0)] + 1, 0).astype(np.int32)
    radiance = np.empty((cam.height, cam.width, 3))
    radiance[:] = sky_colour(spec)
    radiance[hit] = _face_colours(spec, meshes, tris, obj_of, slot_of)[tri_map[hit]]
    if spec.weather.fog_density > 0:
        t = fog_transmittance(spec, depth)[..., None]
        radiance = radiance * t + sky_colour(spec) * 0.9 * (1 - t)
    image = _particles(spec, _tonemap(radiance, spec.exposure))
    return street_sample(spec, meshes, id_map, depth, image, {"engine": "2d"})
