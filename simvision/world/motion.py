"""Motion of a World over a clip: rigid poses of moving objects and the camera, frame by frame.

A 3D scene kind that animates returns, for frame ``f``, a :class:`FrameWorld`: the World at that frame and, for
every object that moves, the (4,4) rigid transform ``M_f`` that carries the object's frame-0 world points to frame
``f`` (``X_f = M_f X_0``). Static objects have none (identity). Articulated objects (a pedestrian's walk cycle) move
their root by ``M_f`` and their limbs on top of it; they are listed in ``articulated`` so flow can flag them.
Everything here is generic: the flow, velocity and track labels of :mod:`simvision.clip` need nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from simvision.world.mesh import Mesh
from simvision.world.spec import LampSpec, WeatherSpec
from simvision.world.world import World, WorldObject, weather_particles

IDENTITY = np.eye(4)


@dataclass(frozen=True)
class FrameWorld:
    """The world at one frame, the rigid transform of each moving object from frame 0, and the articulated ids."""

    world: World
    poses: Mapping[int, np.ndarray] = field(default_factory=dict)
    articulated: frozenset[int] = frozenset()

    def pose(self, obj_id: int) -> np.ndarray:
        return self.poses.get(obj_id, IDENTITY)


def rigid(position: np.ndarray, yaw: float) -> np.ndarray:
    """(4,4) transform of a body at ground ``position`` turned ``yaw`` radians about Z (body frame -> world)."""
    c, s = np.cos(yaw), np.sin(yaw)
    m = np.eye(4)
    m[:3, :3] = [[c, -s, 0], [s, c, 0], [0, 0, 1]]
    m[:3, 3] = position
    return m


def relative(p0: np.ndarray, yaw0: float, p1: np.ndarray, yaw1: float) -> np.ndarray:
    """(4,4) world transform carrying a body posed (p0, yaw0) to (p1, yaw1): ``rigid(p1, yaw1) rigid(p0, yaw0)^-1``."""
    return rigid(p1, yaw1) @ np.linalg.inv(rigid(p0, yaw0))


def apply(m: np.ndarray, points: np.ndarray) -> np.ndarray:
    """(...,3) points through a (4,4) rigid transform."""
    return np.asarray(points, np.float64) @ m[:3, :3].T + m[:3, 3]


def moved_object(
    obj: WorldObject, m: np.ndarray, mesh: Mesh | None = None, box3d: np.ndarray | None = None
) -> WorldObject:
    """``obj`` carried by ``m`` (its mesh and 3D box); ``mesh``/``box3d`` given: already placed (articulated)."""
    if mesh is None:
        mesh = Mesh(apply(m, obj.mesh.vertices), obj.mesh.faces, obj.mesh.slots)
    if box3d is None:
        b = np.asarray(obj.box3d, np.float64).copy()
        b[:3] = apply(m, b[:3])
        b[6] = b[6] + np.arctan2(m[1, 0], m[0, 0])
        box3d = b
    decals = tuple(replace(d, corners=apply(m, d.corners)) for d in obj.decals)  # plates ride with the car
    return replace(obj, mesh=mesh, box3d=box3d, decals=decals)


def moved_lamps(lamps: tuple[LampSpec, ...], poses: Mapping[int, np.ndarray]) -> tuple[LampSpec, ...]:
    """The lamps with every one mounted on a moving object (``owner``) carried by that object's transform."""
    out = []
    for lamp in lamps:
        m = poses.get(lamp.owner) if lamp.owner else None
        if m is not None:
            lamp = lamp.model_copy(
                update={
                    "position": tuple(float(v) for v in apply(m, np.asarray(lamp.position))),
                    "direction": tuple(float(v) for v in m[:3, :3] @ np.asarray(lamp.direction)),
                }
            )
        out.append(lamp)
    return tuple(out)


SNOW_FALL = np.array([0.3, 0.2, -1.0])  # m/s: flakes drift down at about a metre a second


def falling_particles(
    weather: WeatherSpec, first: tuple[tuple[float, float, float], float], now: tuple[tuple[float, float, float], float],
    frame: int, tau: float,
) -> np.ndarray:  # fmt: skip
    """The rain streaks or snow flakes of frame ``frame`` (``tau`` seconds in); ``first`` and ``now``: the camera's
    (position, yaw in degrees) at frame 0 and at this frame. Drops fall 7-14 m/s, 0.7-1.4 m between frames at
    10 fps, so no drop is seen in two frames: each frame draws its own around its camera (the seed advanced by the
    frame). Flakes fall about 1 m/s and are seen for many frames: the frame-0 flakes drift down, each wrapping to
    the top of its column (the height :func:`weather_particles` gave that distance)."""
    if weather.kind == "rain":
        advanced = weather.model_copy(update={"particle_seed": weather.particle_seed + frame})
        return weather_particles(advanced, *now)
    base = weather_particles(weather, *first)
    if len(base) == 0 or frame == 0:
        return base
    cam = first[0]
    top = cam[2] + 0.55 * np.hypot(base[:, 0, 0] - cam[0], base[:, 0, 1] - cam[1])
    shift = SNOW_FALL * tau
    z = base[:, 0, 2] + shift[2]
    out = base + shift
    out[:, :, 2] += np.where(z < 0, np.ceil(-z / top) * top, 0.0)[:, None]
    return out


def between(a: FrameWorld, b: FrameWorld, obj_id: int) -> np.ndarray:
    """(4,4) transform of object ``obj_id`` from frame a to frame b: ``M_b M_a^-1``."""
    return b.pose(obj_id) @ np.linalg.inv(a.pose(obj_id))
