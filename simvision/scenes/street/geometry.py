"""A :class:`StreetSpec` compiled into the shared 3D :class:`~simvision.world.world.World`: world-space meshes,
3D boxes and weather particles. Both renderers draw the World, never the street spec."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simvision.scenes.street import assets, models, road, road_surface
from simvision.scenes.street.config import CLASSES, EGO
from simvision.scenes.street.spec import ObjectSpec, StreetSpec
from simvision.world.assets import vehicles
from simvision.world.assets.plates import plate_image
from simvision.world.assets.signs import sign_image
from simvision.world.mesh import Mesh
from simvision.world.spec import ImagingSpec
from simvision.world.world import Decal, World, WorldObject, oriented_box, weather_particles

SURFACES = {"road": road_surface.road_mesh, "sidewalk": road.sidewalk_mesh, "terrain": road.terrain_mesh}
FLAT = frozenset(
    {"verge", "driveway", "garden_path"}
)  # thin ground patches: they weather like ground and have no 3D box, as surfaces
EGO_KIND = "bonnet"  # the camera car's own bonnet: void, no 3D box (it is not an object in the scene)
FACADE_GLASS = 1  # a building's material slot 1 (its windows) weathers like the ground
# The procedural surface kind the 2D renderer textures each object kind with (see simvision/render/textures.py).
TEXTURES = {
    "road": "asphalt",
    "sidewalk": "paving",
    "terrain": "grass",
    "building": "facade",
    "shelter": "metal",  # a bus shelter is class building (as Cityscapes labels it), not a facade
    "tree": "foliage",
    "hedge": "foliage",
    "verge": "grass",
    "house": "house",  # suburban houses (class building): cladding and roofing by slot name, framed windows
    "garden_wall": "house",
    "driveway": "paving",
    "garden_path": "paving",
    "car": "paint",
    "truck": "paint",
    "bus": "paint",
    "bicycle": "paint",
    "motorcycle": "paint",
    "person": "fabric",
    "rider": "fabric",
    "animal": "fur",
    "bag": "fabric",
    "box": "fabric",
    "debris": "asphalt",
    EGO_KIND: "paint",
}


@lru_cache(maxsize=256)
def _local(kind: str, size: tuple[float, float, float], variant: int) -> Mesh:
    return models.build(kind, size, variant)


def local_mesh(obj: ObjectSpec) -> Mesh:
    """The object's mesh in its local frame: its detailed asset when it has one (cached by its params)."""
    if obj.asset is not None:
        return assets.build(obj.asset).mesh
    return _local(obj.kind, tuple(obj.size), obj.variant)


def object_mesh(obj: ObjectSpec, spec: StreetSpec) -> Mesh:
    """The object's mesh in world coordinates."""
    if obj.kind in SURFACES:
        return SURFACES[obj.kind](spec.layout)
    return local_mesh(obj).placed(obj.position, obj.yaw)


def box3d(obj: ObjectSpec) -> np.ndarray:
    """Tight oriented 3D box of the object's mesh: (7,) centre xyz, size (length, width, height), yaw (radians)."""
    if obj.kind in SURFACES or obj.kind in FLAT or obj.kind == EGO_KIND:
        return np.full(7, np.nan)
    return oriented_box(local_mesh(obj), obj.position, obj.yaw)


def plates(obj: ObjectSpec) -> tuple[tuple[Decal, ...], dict[str, str]]:
    """A vehicle's number plates as decals on its plate quads (one raster of its ``plate`` text, front and rear)
    and the record's ``plate`` attribute; a traffic sign's face; nothing for other objects."""
    a = obj.asset
    if obj.kind == "sign":
        return (sign_face(obj),), {}
    if a is None or a.get("builder") != "vehicle" or "plate" not in a:
        return (), {}
    image = plate_image(a["plate"], a["params"]["plate_style"])
    c, s = np.cos(obj.yaw), np.sin(obj.yaw)
    rot = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    anchors = assets.build(a).anchors
    decals = tuple(
        Decal(anchors[k] @ rot.T + np.asarray(obj.position, np.float64), image, vehicles.S["plate"])
        for k in ("plate_front", "plate_rear")
        if k in anchors
    )
    return decals, {"plate": a["plate"]}


def sign_face(obj: ObjectSpec) -> Decal:
    """A traffic sign's face (its design's raster, :func:`~simvision.world.assets.signs.sign_image`) on the
    front of its plate (slot 0, local +x), the image's rectangle the plate's width by its height."""
    ln, w, h = obj.size
    local = np.array([[ln / 2, -w / 2, h], [ln / 2, w / 2, h], [ln / 2, w / 2, 0.0], [ln / 2, -w / 2, 0.0]])
    c, s = np.cos(obj.yaw), np.sin(obj.yaw)
    rot = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    return Decal(local @ rot.T + np.asarray(obj.position, np.float64), sign_image(obj.variant), 0)


def compile_world(spec: StreetSpec) -> World:
    """The street as a World: one object per spec object (same ids, same order), its lamps, sun and weather."""
    objects = tuple(
        WorldObject(
            id=o.id,
            decals=decals,
            extras=extras,
            cls=o.cls,
            mesh=object_mesh(o, spec),
            materials=o.materials,
            box3d=box3d(o),
            ground=o.kind in SURFACES or o.kind in FLAT,
            wall_slots=frozenset({FACADE_GLASS}) if o.kind == "building" else frozenset(),
            group=o.group,
            tags=o.tags,
            texture=TEXTURES.get(o.kind)
            or TEXTURES.get(o.cls, "metal"),  # an asset's kind is its body (sedan)
            slot_names=assets.BUILDERS[o.asset["builder"]][3] if o.asset else (),
        )
        for o, (decals, extras) in zip(spec.objects, map(plates, spec.objects), strict=True)
    )
    return World(
        width=spec.width,
        height=spec.height,
        camera=spec.camera,
        objects=objects,
        lamps=spec.lamps,
        sun=spec.sun,
        weather=spec.weather,
        exposure=spec.exposure,
        render_seed=spec.render_seed,
        classes=CLASSES,
        background_class="sky",
        void_classes=frozenset({EGO}),
        min_transmittance=spec.min_transmittance,
        particles=weather_particles(spec.weather, spec.camera.position, spec.camera.yaw_deg),
        attributes=spec.attributes(),
        imaging=spec.imaging or ImagingSpec(),
    )
