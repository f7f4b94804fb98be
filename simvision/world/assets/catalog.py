"""Every asset family by name: its sampler, builder and slot colours, for previews, tests and scene generators."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
from pydantic import BaseModel

from simvision.world.assets import animals, cyclists, furniture, people, vehicles
from simvision.world.assets.base import Asset

RGB = tuple[float, float, float]


@dataclass(frozen=True)
class Family:
    name: str
    params: type[BaseModel]
    sample: Callable[[np.random.Generator], BaseModel]
    build: Callable[[BaseModel], Asset]
    colours: Callable[[BaseModel], dict[str, RGB]]


def _families() -> dict[str, Family]:
    out: dict[str, Family] = {}
    for body in vehicles.BODIES:
        out[body] = Family(
            body,
            vehicles.VehicleParams,
            partial(vehicles.sample_vehicle, body=body),
            vehicles.build_vehicle,
            vehicles.vehicle_colours,
        )
    for pose in ("stand", "walk", "cross"):
        out[f"person_{pose}"] = Family(
            f"person_{pose}",
            people.PersonParams,
            partial(people.sample_person, pose=pose, child=False),
            people.build_person,
            people.person_colours,
        )
    out["child"] = Family(
        "child",
        people.PersonParams,
        partial(people.sample_person, pose="walk", child=True),
        people.build_person,
        people.person_colours,
    )
    out["person_rain"] = Family(
        "person_rain",
        people.PersonParams,
        partial(people.sample_person, rain=True),
        people.build_person,
        people.person_colours,
    )
    for kind in ("bicycle", "motorcycle"):
        out[kind] = Family(
            kind,
            cyclists.CycleParams,
            partial(cyclists.sample_cycle, kind=kind, ridden=False),
            cyclists.build_cycle,
            cyclists.cycle_colours,
        )
        out[f"{kind}_ridden"] = Family(
            f"{kind}_ridden",
            cyclists.CycleParams,
            partial(cyclists.sample_cycle, kind=kind),
            cyclists.build_ridden,
            cyclists.cycle_colours,
        )
    for species in animals.SPECIES_NAMES:
        out[species] = Family(
            species,
            animals.AnimalParams,
            partial(animals.sample_animal, species=species),
            animals.build_animal,
            animals.animal_colours,
        )
    for kind in furniture.KINDS:
        out[kind] = Family(
            kind,
            furniture.FurnitureParams,
            partial(furniture.sample_furniture, kind=kind),
            furniture.build_furniture,
            furniture.furniture_colours,
        )
    return out


FAMILIES: dict[str, Family] = _families()
