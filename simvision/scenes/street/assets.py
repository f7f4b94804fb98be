"""Street road users as detailed procedural assets (:mod:`simvision.world.assets`).

An object's ``asset`` in the spec is a plain dict ``{"builder": ..., "params": {...}}`` (plus a vehicle's
``plate`` text): the record holds it and replay rebuilds the same mesh from it. Builders: ``vehicle``, ``person``,
``cycle`` (a bicycle or motorcycle alone), ``rider`` (the seated rider in the two-wheeler's frame), ``animal`` and
``furniture`` (bins, bollards, benches, hydrants, shelters, cones, barriers), ``tree`` and ``hedge``, ``house`` and
``garden_wall`` (suburban plots), and the
ego car's ``bonnet`` (in the camera's frame: its origin is the camera, not the ground).
Built assets are cached by the dict's JSON (a build costs 15-130 ms), so the footprint drawn at sampling time and
the mesh the renderer draws come from one build.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
from pydantic import BaseModel

from simvision.scenes.street.spec import MaterialSpec
from simvision.world.assets import animals, bonnet, cyclists, furniture, houses, people, vegetation, vehicles
from simvision.world.assets.base import Asset
from simvision.world.assets.plates import plate_text
from simvision.world.mesh import Mesh

AssetRef = dict[str, Any]
RGB = tuple[float, float, float]

# Street kind -> asset body shares. Cars: rough European/US fleet mix (SUVs and crossovers ~ a third of new
# registrations, hatchbacks and saloons most of the rest; estimates, not cited); taxis are a small urban share.
BODY_SHARES: dict[str, dict[str, float]] = {
    "car": {
        "sedan": 0.24,
        "hatchback": 0.22,
        "suv": 0.28,
        "estate": 0.08,
        "van": 0.08,
        "pickup": 0.05,
        "taxi": 0.05,
    },
    "parked_car": {"sedan": 0.25, "hatchback": 0.25, "suv": 0.28, "estate": 0.1, "van": 0.08, "pickup": 0.04},
    "bus": {"bus_city": 0.65, "bus_coach": 0.2, "bus_double": 0.15},
    "truck": {"truck_box": 0.7, "truck_semi": 0.3},
}
# slot name -> (roughness, metallic, emission when lit); slots not listed are matte (0.7, 0, 0)
FINISH: dict[str, tuple[float, float, float]] = {
    "paint": (0.25, 0.6, 0.0),
    "roof": (0.25, 0.6, 0.0),
    "glass": (0.05, 0.0, 0.0),
    "tyre": (0.9, 0.0, 0.0),
    "rim": (0.35, 0.8, 0.0),
    "metal": (0.35, 0.8, 0.0),
    "frame": (0.3, 0.5, 0.0),
    "headlight": (0.2, 0.0, 30.0),
    "lamp": (0.2, 0.0, 30.0),
    "taillight": (0.3, 0.0, 12.0),
    "sign": (0.4, 0.0, 6.0),
    "plate": (0.5, 0.0, 0.0),
    "skin": (0.6, 0.0, 0.0),
    "hair": (0.8, 0.0, 0.0),
    "top": (0.8, 0.0, 0.0),
    "bottom": (0.8, 0.0, 0.0),
    "coat": (0.9, 0.0, 0.0),
    "dark": (0.9, 0.0, 0.0),
    "belly": (0.9, 0.0, 0.0),
    "umbrella": (0.5, 0.0, 0.0),
    "helmet": (0.3, 0.0, 0.0),
    "leaf": (0.75, 0.0, 0.0),
    "leaf_dark": (0.8, 0.0, 0.0),
    "leaf_light": (0.7, 0.0, 0.0),
    "bark": (0.9, 0.0, 0.0),
    "stake": (0.85, 0.0, 0.0),
    "tiles": (0.75, 0.0, 0.0),
    "slates": (0.55, 0.0, 0.0),
    "siding": (0.6, 0.0, 0.0),
    "brick": (0.85, 0.0, 0.0),
    "render": (0.85, 0.0, 0.0),
    "door": (0.5, 0.0, 0.0),
    "garage": (0.5, 0.0, 0.0),
}


def ref(builder: str, params: BaseModel, **extra: Any) -> AssetRef:
    """The spec's record of an asset: JSON types only (tuples become lists), so a record round trip is exact."""
    return {"builder": builder, "params": params.model_dump(mode="json"), **extra}


def _person(p: people.PersonParams) -> Asset:
    # the pose at the sampled phase only: build_person's whole-walk-cycle footprint costs six more poses
    mesh, anchors = people._posed(p, p.phase)
    return Asset(mesh, people.SLOTS, _extent(mesh), anchors)


def _animal(p: animals.AnimalParams) -> Asset:
    mesh = animals._posed(p, p.phase)  # as for people: the sampled phase, not the whole gait
    return Asset(mesh, animals.SLOTS, _extent(mesh), {})


def _extent(mesh: Mesh) -> tuple[float, float, float]:
    """Footprint centred on the origin (length, width) and height of a mesh in its local frame."""
    v = mesh.vertices
    return (float(2 * np.abs(v[:, 0]).max()), float(2 * np.abs(v[:, 1]).max()), float(v[:, 2].max()))


BUILDERS: dict[
    str, tuple[type[BaseModel], Callable[[Any], Asset], Callable[[Any], dict[str, RGB]], tuple]
] = {
    "vehicle": (vehicles.VehicleParams, vehicles.build_vehicle, vehicles.vehicle_colours, vehicles.SLOTS),
    "person": (people.PersonParams, _person, people.person_colours, people.SLOTS),
    "cycle": (cyclists.CycleParams, cyclists.build_cycle, cyclists.cycle_colours, cyclists.SLOTS),
    "rider": (
        cyclists.CycleParams,
        cyclists.build_rider,
        lambda p: people.person_colours(p.rider),
        people.SLOTS,
    ),
    "animal": (animals.AnimalParams, _animal, animals.animal_colours, animals.SLOTS),
    "tree": (vegetation.TreeParams, vegetation.build_tree, vegetation.tree_colours, vegetation.SLOTS),
    "hedge": (vegetation.HedgeParams, vegetation.build_hedge, vegetation.hedge_colours, vegetation.SLOTS),
    "furniture": (
        furniture.FurnitureParams,
        furniture.build_furniture,
        furniture.furniture_colours,
        furniture.SLOTS,
    ),
    "house": (houses.HouseParams, houses.build_house, houses.house_colours, houses.SLOTS),
    "garden_wall": (
        houses.GardenWallParams,
        houses.build_garden_wall,
        houses.garden_wall_colours,
        houses.SLOTS,
    ),
    "garden_paths": (houses.PathsParams, houses.build_paths, houses.paths_colours, houses.PATH_SLOTS),
    "bonnet": (bonnet.BonnetParams, bonnet.build_bonnet, bonnet.bonnet_colours, bonnet.SLOTS),
}


@lru_cache(maxsize=512)
def _build(key: str) -> Asset:
    r = json.loads(key)
    model, build, _, _ = BUILDERS[r["builder"]]
    return build(model.model_validate(r["params"]))


def build(r: AssetRef) -> Asset:
    """The asset a ref describes (cached by its JSON: sampling, the 3D box and the mesh share one build)."""
    return _build(json.dumps(r, sort_keys=True))


def footprint(r: AssetRef) -> tuple[float, float, float]:
    """(length, width, height) the object's mesh stays inside, centred on its position; a vehicle's is its
    declared size (no build needed), the rest are measured on the built mesh."""
    if r["builder"] == "vehicle":
        return tuple(float(v) for v in r["params"]["size"])  # type: ignore[return-value]
    return tuple(round(v + 0.01, 4) for v in build(r).size)  # type: ignore[return-value]


def materials(r: AssetRef, lit: bool) -> tuple[MaterialSpec, ...]:
    """One material per asset slot (in slot order, as mesh slots index them), from the asset's slot colours;
    lamps and lights glow when ``lit``."""
    model, _, colours, slots = BUILDERS[r["builder"]]
    c = colours(model.model_validate(r["params"]))
    out = []
    for slot in slots:
        rough, metal, glow = FINISH.get(slot, (0.7, 0.0, 0.0))
        out.append(
            MaterialSpec(
                color=tuple(float(v) for v in c.get(slot, (0.3, 0.3, 0.3))),
                roughness=rough,
                metallic=metal,
                emission=glow if lit else 0.0,
            )
        )
    return tuple(out)


def body(rng: np.random.Generator, kind: str) -> str:
    shares = BODY_SHARES[kind]
    names = list(shares)
    w = np.array([shares[n] for n in names])
    return names[int(rng.choice(len(names), p=w / w.sum()))]


def vehicle(rng: np.random.Generator, kind: str) -> AssetRef:
    """A vehicle of street ``kind`` (car, parked_car, bus, truck): its body by share, params and plate."""
    p = vehicles.sample_vehicle(rng, body(rng, kind))
    return ref("vehicle", p, plate=plate_text(rng, p.plate_style))
