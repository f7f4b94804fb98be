"""The fast 2D projection of a :class:`World`: the exact rasterizer plus per-pixel deferred shading, no Blender.

Used for previews, tests and as the cross-check of the Blender label pass: both rasterize the same triangles at
pixel centres, so for unoccluded objects the masks agree. The rasterizer's triangle map and depth are the labels
and also the G-buffer of :mod:`simvision.render.shading` (procedural world-space textures, sun shadows from a
shadow map, sky ambient with crude occlusion, lamps), then screen-space reflections
(:mod:`simvision.render.reflections`: wet ground, paint, glass mirror the shaded frame); then fog by transmittance,
the camera (:mod:`simvision.render.develop`: optics, metered exposure, sensor noise, white balance, tone curve,
sharpening), and rain/snow particles as strokes. Shading never changes the id map or the depth.
"""

from __future__ import annotations

import numpy as np

from simvision.render.clouds import cloud_cover, clouds
from simvision.render.develop import develop
from simvision.render.precipitation import precipitate
from simvision.render.reflections import reflect_pass, seen_sky
from simvision.render.shading import gbuffer, shade, sky_colour, sky_radiance, sun_direction
from simvision.types import Sample
from simvision.world.labels import fog_transmittance, world_sample
from simvision.world.raster import rasterize
from simvision.world.world import World

__all__ = ["render_world_2d", "sky_colour", "sun_direction"]


GAIN = 1.6  # the 2D shading's radiance to the World's scale (Blender's physical lights), which runs brighter


def _camera(world: World, radiance: np.ndarray) -> tuple[np.ndarray, dict[str, float]]:
    """The camera's pipeline (:mod:`simvision.render.develop`: optics, metered exposure, noise, white balance,
    tone curve, sharpening, JPEG) on the 2D shading's radiance brought to the World's scale."""
    radiance *= np.float32(GAIN)
    return develop(radiance, world.imaging, world.exposure, world.render_seed)


def _particles(world: World, image: np.ndarray) -> np.ndarray:
    return precipitate(world, image)


def _background(world: World, tri_map: np.ndarray) -> np.ndarray:
    """(H,W,3) sky radiance (a gradient by the view ray's elevation, with clouds: :mod:`.clouds`) where nothing was
    hit, zero elsewhere (the shading fills those pixels; every sum here is per pixel, so skipping them changes no
    sky value)."""
    cam = world.pinhole()
    sky_pix = np.flatnonzero(tri_map.ravel() < 0)
    rays = cam.pixel_rays().reshape(-1, 3)[sky_pix]
    r = cam.rotation
    world_dir = np.stack(
        [rays[..., 0] * r[0, j] + rays[..., 1] * r[1, j] + r[2, j] for j in range(3)], axis=-1
    )
    rz = world_dir[:, 2]
    dz = (rz / np.sqrt((rays * rays).sum(axis=-1))).astype(np.float32)
    sky = sky_radiance(world, dz)
    if len(sky_pix):
        unit = (world_dir / np.linalg.norm(world_dir, axis=-1, keepdims=True)).astype(np.float32)
        overcast = world.sun.sky == "overcast"
        sky = clouds(sky, unit, cloud_cover(world), overcast, 1.0 / cam.fx, world.render_seed)
    out = np.zeros((cam.height * cam.width, 3), np.float32)
    # a camera exposed for the street overexposes the sky: brighter and paler than the light it casts
    out[sky_pix] = seen_sky(sky)
    return out.reshape(cam.height, cam.width, 3)


def rasterize_world(world: World) -> tuple[np.ndarray, ...]:
    """Every triangle of the world through the exact rasterizer: ``(tris (T,3,3), object row (T,), material slot
    (T,), triangle index map (H,W), depth (H,W), instance-id map (H,W))``. The id map is what labels come from."""
    meshes = world.meshes
    tris = np.concatenate([m.triangles for m in meshes])
    obj_of = np.concatenate([np.full(len(m.faces), o, np.int32) for o, m in enumerate(meshes)])
    slot_of = np.concatenate([m.slots for m in meshes]).astype(np.int64)
    tri_map, depth = rasterize(tris, world.pinhole())
    id_map = np.where(tri_map >= 0, obj_of[np.maximum(tri_map, 0)] + 1, 0).astype(np.int32)
    return tris, obj_of, slot_of, tri_map, depth, id_map


def render_world_2d(world: World) -> Sample:
    """Render ``world`` with per-pixel shading; labels exactly as the Blender renderer derives them."""
    tris, obj_of, slot_of, tri_map, depth, id_map = rasterize_world(world)
    radiance = _background(world, tri_map)
    g, idx = gbuffer(world, tris, obj_of, slot_of, tri_map, depth)
    shaded, reflect = shade(world, tris, g, idx)
    radiance.reshape(-1, 3)[idx] = shaded
    reflect_pass(world, radiance, depth, g, idx, reflect, shaded)
    trans = fog_transmittance(world, depth)  # the labels' too: computed once
    if world.weather.fog_density > 0:
        t = trans[..., None]
        radiance *= t  # in place: the same products and sums as radiance * t + ..., two frames fewer
        radiance += sky_colour(world).astype(np.float32) * 0.9 * (1 - t)
    image, chosen = _camera(world, radiance)
    image = _particles(world, image)
    return world_sample(world, id_map, depth, image, {"engine": "2d", "camera": chosen}, trans)
