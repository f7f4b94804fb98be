"""Detailed procedural assets: one parametric builder per family, many variants from a seed.

Each family has a sampler ``sample_*(rng, ...) -> Params`` (plain, JSON-serialisable pydantic data) and a
deterministic builder ``build_*(params, ...) -> Asset``. An :class:`Asset` is a :class:`~simvision.world.mesh.Mesh`
in the local frame (x forward, y left, z up, origin on the ground under the centre), the names of its material
slots (``mesh.slots`` index them), its declared footprint and named anchor points (number plate corners, a
rider's wrists). :data:`simvision.world.assets.catalog.FAMILIES` lists every family with its sampler, builder and
slot colours:

- vehicles: sedan, hatchback, estate, suv, van, pickup, taxi, bus_city, bus_coach, bus_double, truck_box,
  truck_semi (:mod:`.vehicles`, bodies lofted by :mod:`.shell`);
- people: standing, walking, crossing, children, in the rain with umbrellas (:mod:`.people`);
- bicycles and motorcycles, parked or ridden (:mod:`.cyclists`);
- quadrupeds: three dog sizes, cat, fox, deer, boar, horse, cow, sheep (:mod:`.animals`);
- street furniture: bin, bollard, bench, hydrant, shelter (bus stop), traffic_cone, barrier (:mod:`.furniture`);
- vegetation: trees (round, columnar, plane, young with a stake) with leaf-cluster crowns, hedges
  (:mod:`.vegetation`);
- suburban houses: detached, semi-detached, terraces, with their front-garden walls (:mod:`.houses`).

Primitives (sweeps of rings: lofts, lathes, tubes, capsules, tori) live in :mod:`.primitives`.
"""

from simvision.world.assets.base import Asset

__all__ = ["Asset"]
