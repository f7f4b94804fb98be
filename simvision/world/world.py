"""The renderer-agnostic 3D world a 3D scene kind compiles its spec into.

A :class:`World` holds the camera, every labeled object's triangles (world coordinates) with its materials and
3D box, the lamps, the sun and sky, the weather (fog layer, wet and snowy surfaces) and the weather particles.
The 2D projection (:mod:`simvision.render.world2d`) and Blender (:mod:`simvision.render.blender`) each render a
World and know nothing of streets; labels come from :mod:`simvision.world.labels`. A second 3D kind (a parking
lot, a warehouse) is a new compiler into the same World.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simvision.world.camera import PinholeCamera
from simvision.world.mesh import Mesh
from simvision.world.spec import CameraSpec, ImagingSpec, LampSpec, MaterialSpec, SunSpec, WeatherSpec

# The ``facade`` texture's window grid in world z: windows from the first floor at FACADE_GROUND metres up, one row
# per FACADE_STOREY; a compiler that builds balconies or ledges puts them on these lines so they meet the windows.
FACADE_GROUND = 3.4
FACADE_STOREY = 3.2


@dataclass(frozen=True, eq=False)
class Decal:
    """An image printed on a flat part of an object (a number plate's face): ``corners`` (4,3) world coordinates of
    the image's top-left, top-right, bottom-right and bottom-left corners (a rectangle); ``image`` (H,W,3) uint8
    sRGB albedo; ``slot`` the material slot of the faces it lies on. Renderers replace the albedo of those faces
    inside the rectangle with the image, mapped by the point's position on the rectangle (perspective-correct)."""

    corners: np.ndarray
    image: np.ndarray
    slot: int


@dataclass(frozen=True)
class WorldObject:
    """One labeled object: ``id`` (its instance id, 1..N in ``World.objects`` order), class name, world-space
    ``mesh`` (material slot per triangle indexes ``materials``), ``box3d`` (7,) centre xyz, size (length, width,
    height), yaw — NaN for surfaces with no box (road, terrain); ``ground``: a walkable surface (gets wet and snowy
    as ground does); ``wall_slots``: material slots that weather like ground (a facade's glass, say); ``texture``:
    the surface kind a renderer may texture procedurally (``asphalt``, ``paving``, ``grass``, ``facade``,
    ``foliage``, ``paint``, ``fabric``, ``fur``, ``metal``; "" = plain). Slot conventions the textures read:
    asphalt 0 road, 1 paint, 2 manhole/grate metal, 3 patch, 4 crack sealant; paving 0 slabs, 1 kerb stones;
    facade 0 walls (windows drawn on them), 2 shop glass, 4 shop signs (lettering drawn on them); ``slot_names``:
    what each material slot is (``paint``, ``glass``, ``tyre``, ``headlight``... an asset's slot names; empty when
    only the texture's slot conventions apply), so a renderer can give glass, rubber and chrome their own shaders.
    ``decals``: images on the object's faces (number plates); ``extras``: per-instance attributes for the record (a
    vehicle's ``plate`` string). Not part of the spec or the record."""

    id: int
    cls: str
    mesh: Mesh
    materials: tuple[MaterialSpec, ...]
    box3d: np.ndarray
    ground: bool = False
    wall_slots: frozenset[int] = frozenset()
    group: int = 0
    tags: tuple[str, ...] = ()
    texture: str = ""
    decals: tuple[Decal, ...] = ()
    extras: dict[str, Any] = field(default_factory=dict)
    slot_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class World:
    """Everything a renderer draws and the label pass needs. ``background_class``: the class of pixels where no
    object is hit (sky), labeled as one more instance with id ``len(objects) + 1``. ``void_classes``: classes
    labeled exactly in the maps (they hide what is behind them) but never a target (the camera car's own bonnet):
    their instances are marked ``ignore`` with reason ``void``."""

    width: int
    height: int
    camera: CameraSpec
    objects: tuple[WorldObject, ...]
    lamps: tuple[LampSpec, ...]
    sun: SunSpec
    weather: WeatherSpec
    exposure: float
    render_seed: int
    classes: tuple[str, ...]
    background_class: str
    min_transmittance: float = 0.0
    particles: np.ndarray = field(
        default_factory=lambda: np.zeros((0, 2, 3))
    )  # (P,2,3) streak/flake segments
    attributes: dict[str, str] = field(default_factory=dict)  # per-image attributes for the record
    void_classes: frozenset[str] = frozenset()
    imaging: ImagingSpec = field(default_factory=ImagingSpec)  # the camera's image pipeline

    def pinhole(self) -> PinholeCamera:
        return self.camera.pinhole(self.width, self.height)

    @property
    def meshes(self) -> list[Mesh]:
        return [o.mesh for o in self.objects]


def oriented_box(local: Mesh, position: tuple[float, float, float], yaw: float) -> np.ndarray:
    """Tight oriented 3D box of a mesh built in its local frame and placed at ``position`` with ``yaw``:
    (7,) centre xyz, size (length, width, height), yaw (radians)."""
    v = local.vertices
    lo, hi = v.min(axis=0), v.max(axis=0)
    c_local = (lo + hi) / 2
    c, s = np.cos(yaw), np.sin(yaw)
    centre = np.array([c * c_local[0] - s * c_local[1], s * c_local[0] + c * c_local[1], c_local[2]])
    return np.concatenate([centre + np.asarray(position), hi - lo, [yaw]])


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

    Streaks fall at ~7-9 m/s seen over a dashcam's short shutter (~1/120 s: 6-12 cm, longer in heavier rain),
    flakes are 2 cm. They fill a wedge 2..30 m ahead of the camera, where they are large enough to see and not
    a blur across the lens.
    """
    if weather.kind not in ("rain", "snow") or weather.particles == 0:
        return np.zeros((0, 2, 3))
    rng = np.random.default_rng(weather.particle_seed)
    n = weather.particles
    dist = 2.0 + 28.0 * rng.random(n) ** 1.5
    ang = np.deg2rad(yaw_deg) + rng.uniform(-0.7, 0.7, n)
    x = camera_pos[0] - np.sin(ang) * dist
    y = camera_pos[1] + np.cos(ang) * dist
    z = rng.uniform(0.0, camera_pos[2] + 0.55 * dist, n)
    start = np.stack([x, y, z], axis=1)
    if weather.kind == "rain":
        drift = np.array([0.01, 0.0, -0.06 - 0.06 * weather.intensity])
    else:
        drift = np.array([0.015, 0.01, -0.02])
    return np.stack([start, start + drift], axis=1)
