"""World-space meshes, 3D boxes and weather particles of a :class:`StreetSpec`: shared by both renderers."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simvision.geometry.mesh import Mesh
from simvision.scenes.street import models, road
from simvision.scenes.street.spec import ObjectSpec, StreetSpec, WeatherSpec

SURFACES = {"road": road.road_mesh, "sidewalk": road.sidewalk_mesh, "terrain": road.terrain_mesh}


@lru_cache(maxsize=256)
def _local(kind: str, size: tuple[float, float, float], variant: int) -> Mesh:
    return models.build(kind, size, variant)


def object_mesh(obj: ObjectSpec, spec: StreetSpec) -> Mesh:
    """The object's mesh in world coordinates."""
    if obj.kind in SURFACES:
        return SURFACES[obj.kind](spec.layout)
    return _local(obj.kind, tuple(obj.size), obj.variant).placed(obj.position, obj.yaw)


def scene_meshes(spec: StreetSpec) -> list[Mesh]:
    """One world mesh per object, in ``spec.objects`` order."""
    return [object_mesh(o, spec) for o in spec.objects]


def box3d(obj: ObjectSpec) -> np.ndarray:
    """Tight oriented 3D box of the object's mesh: (7,) centre xyz, size (length, width, height), yaw (radians)."""
    if obj.kind in SURFACES:
        return np.full(7, np.nan)
    v = _local(obj.kind, tuple(obj.size), obj.variant).vertices
    lo, hi = v.min(axis=0), v.max(axis=0)
    c_local = (lo + hi) / 2
    c, s = np.cos(obj.yaw), np.sin(obj.yaw)
    centre = np.array([c * c_local[0] - s * c_local[1], s * c_local[0] + c * c_local[1], c_local[2]])
    return np.concatenate([centre + np.asarray(obj.position), hi - lo, [obj.yaw]])


def box3d_corners(box: np.ndarray) -> np.ndarray:
    """(8,3) corners of a (7,) box."""
    (cx, cy, cz), (ln, w, h), yaw = box[:3], box[3:6], box[6]
    x, y, z = np.meshgrid([-ln / 2, ln / 2], [-w / 2, w / 2], [-h / 2, h / 2], indexing="ij")
    c, s = np.cos(yaw), np.sin(yaw)
    pts = np.stack([x.ravel(), y.ravel(), z.ravel()], axis=1)
    return pts @ np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]]).T + [cx, cy, cz]


def weather_particles(
    weather: WeatherSpec, camera_pos: tuple[float, float, float], yaw_deg: float
) -> np.ndarray:
    """(P,2,3) start/end points of rain streaks or snow flakes in front of the camera (deterministic in the spec).

    Streaks fall at ~8 m/s seen over a 1/60 s shutter (about 0.15 m), flakes are 2 cm. They fill a wedge 1.5..30 m
    ahead of the camera, where they are large enough to see.
    """
    if weather.kind not in ("rain", "snow") or weather.particles == 0:
        return np.zeros((0, 2, 3))
    rng = np.random.default_rng(weather.particle_seed)
    n = weather.particles
    dist = 1.5 + 28.5 * rng.random(n) ** 1.5
    ang = np.deg2rad(yaw_deg) + rng.uniform(-0.7, 0.7, n)
    x = camera_pos[0] - np.sin(ang) * dist
    y = camera_pos[1] + np.cos(ang) * dist
    z = rng.uniform(0.0, camera_pos[2] + 0.55 * dist, n)
    start = np.stack([x, y, z], axis=1)
    if weather.kind == "rain":
        drift = np.array([0.02, 0.0, -0.15 - 0.1 * weather.intensity])
    else:
        drift = np.array([0.015, 0.01, -0.02])
    return np.stack([start, start + drift], axis=1)
