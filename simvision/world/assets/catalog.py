"""Every asset family by name: its sampler, builder and slot colours, for previews, tests and scene generators."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
from pydantic import BaseModel

from simvision.world.assets import animals, cyclists, furniture, houses, people, vegetation, vehicles
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
    # (name, params model, sampler, builder, colours) per family; a module's sampler is narrowed by keyword
    rows: list[tuple[str, type[BaseModel], Callable, Callable, Callable]] = []
    for body in vehicles.BODIES:
        v = vehicles
        rows.append(
            (body, v.VehicleParams, partial(v.sample_vehicle, body=body), v.build_vehicle, v.vehicle_colours)
        )
    p = people
    for pose in ("stand", "walk", "cross"):
        rows.append((f"person_{pose}", p.PersonParams, partial(p.sample_person, pose=pose, child=False),
                     p.build_person, p.person_colours))  # fmt: skip
    rows.append(("child", p.PersonParams, partial(p.sample_person, pose="walk", child=True), p.build_person,
                 p.person_colours))  # fmt: skip
    rows.append(("person_rain", p.PersonParams, partial(p.sample_person, rain=True), p.build_person,
                 p.person_colours))  # fmt: skip
    c = cyclists
    for kind in ("bicycle", "motorcycle"):
        rows.append((kind, c.CycleParams, partial(c.sample_cycle, kind=kind, ridden=False), c.build_cycle,
                     c.cycle_colours))  # fmt: skip
        rows.append((f"{kind}_ridden", c.CycleParams, partial(c.sample_cycle, kind=kind), c.build_ridden,
                     c.cycle_colours))  # fmt: skip
    a = animals
    for species in a.SPECIES_NAMES:
        rows.append((species, a.AnimalParams, partial(a.sample_animal, species=species), a.build_animal,
                     a.animal_colours))  # fmt: skip
    f = furniture
    for kind in f.KINDS:
        rows.append((kind, f.FurnitureParams, partial(f.sample_furniture, kind=kind), f.build_furniture,
                     f.furniture_colours))  # fmt: skip
    g = vegetation
    for species in g.SPECIES:
        rows.append((f"tree_{species}", g.TreeParams, partial(g.sample_tree, species=species), g.build_tree,
                     g.tree_colours))  # fmt: skip
    rows.append(("hedge", g.HedgeParams, g.sample_hedge, g.build_hedge, g.hedge_colours))
    h = houses
    for form in h.FORMS:
        rows.append((f"house_{form}", h.HouseParams, partial(h.sample_house, form=form), h.build_house,
                     h.house_colours))  # fmt: skip
    rows.append(("garden_paths", h.PathsParams, h.sample_paths, h.build_paths, h.paths_colours))
    rows.append(("garden_wall", h.GardenWallParams, h.sample_garden_wall, h.build_garden_wall,
                 h.garden_wall_colours))  # fmt: skip
    return {row[0]: Family(*row) for row in rows}


FAMILIES: dict[str, Family] = _families()
