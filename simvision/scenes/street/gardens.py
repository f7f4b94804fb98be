"""Suburban frontage: what lies between the sidewalk and a house set back from it. The lawn is the ground beyond
the sidewalk (``terrain``); along the property line each plot gets a clipped hedge (``vegetation``), a fence or a
low wall (``static``: the street classes have no ``fence`` or ``wall``) or nothing, with gaps for its paths and
driveway, and some plots a tree in the garden. Plots and their houses: :mod:`.suburb`."""

from __future__ import annotations

import numpy as np

from simvision.scenes.street import assets, road
from simvision.scenes.street.builder import SceneBuilder
from simvision.scenes.street.config import StreetFurnitureParams
from simvision.scenes.street.furniture import STATIC
from simvision.scenes.street.placement import footprint
from simvision.scenes.street.spec import LayoutSpec
from simvision.world.assets import furniture as furniture_lib
from simvision.world.assets import houses
from simvision.world.assets import vegetation as veg

# property-line treatments per plot (estimates): hedge, fence, low wall, open lawn
EDGES = {"hedge": 0.35, "fence": 0.25, "wall": 0.2, "open": 0.2}
GARDEN_TREES = {"round": 0.5, "young": 0.3, "columnar": 0.2}
GARDEN_TREE_PROB = 0.45


def edge(
    rng: np.random.Generator,
    b: SceneBuilder,
    layout: LayoutSpec,
    s0: float,
    s1: float,
    side: int,
    line: float,
    gaps: list[tuple[float, float]],
) -> None:
    """One plot's property line from ``s0`` to ``s1``: a hedge, fence or low wall in runs between ``gaps`` (its
    paths and driveway, as s intervals), or nothing."""
    names, shares = list(EDGES), np.array(list(EDGES.values()))
    kind = names[int(rng.choice(len(names), p=shares / shares.sum()))]
    if kind == "open":
        return
    a = s0 + 0.1
    for lo, hi in [*sorted(gaps), (s1 - 0.1, s1)]:
        if lo - a >= 1.5:
            _boundary(rng, b, layout, a, lo - a, side, line, kind)
        a = max(a, hi)


def _boundary(
    rng: np.random.Generator,
    b: SceneBuilder,
    layout: LayoutSpec,
    s: float,
    run: float,
    side: int,
    line: float,
    kind: str,
) -> None:
    """A hedge, fence or low wall ``run`` metres long along a plot's property line, from ``s`` along the street."""
    if kind == "hedge":
        asset = assets.ref("hedge", veg.sample_hedge(rng, run))
        cls, turn = "vegetation", 0.0
    elif kind == "wall":
        asset = assets.ref("garden_wall", houses.sample_garden_wall(rng, round(run, 3)))
        cls, turn, kind = STATIC, 0.0, "garden_wall"
    else:
        params = furniture_lib.sample_furniture(rng, "fence")
        asset = assets.ref("furniture", params.model_copy(update={"size": (round(run, 3), *params.size[1:])}))
        cls, turn = STATIC, (np.pi if side < 0 else 0.0)  # a fence's pickets (local -y) face the road
    size = assets.footprint(asset)
    sc = s + size[0] / 2
    pos = road.to_world(layout, sc, side * (line + size[1] / 2 + 0.05), road.KERB)
    yaw = road.yaw_along(layout, sc) + turn
    if b.try_place(pos, yaw, size[0], size[1], margin=0.02):
        b.add(cls, kind, pos, yaw, size, assets.materials(asset, False), asset=asset)


def garden_tree(
    rng: np.random.Generator,
    b: SceneBuilder,
    layout: LayoutSpec,
    s: float,
    side: int,
    line: float,
    p: StreetFurnitureParams,
) -> None:
    """A tree in a front garden, where its crown (most of it) clears the house, hedge and fence."""
    names, shares = list(GARDEN_TREES), np.array(list(GARDEN_TREES.values()))
    species = names[int(rng.choice(len(names), p=shares / shares.sum()))]
    tree = veg.sample_tree(rng, species)
    depth = p.front_garden.max
    t = side * (line + float(rng.uniform(1.5, max(1.6, depth - 1.0))))
    pos = road.to_world(layout, s, t, road.KERB)
    reach = tree.crown_width * 0.7
    if not b.ground.free(footprint(pos[0], pos[1], 0.0, reach, reach)):
        return
    if not b.try_place(pos, 0.0, 0.5, 0.5, margin=0.2):
        return
    asset = assets.ref("tree", tree)
    size = assets.footprint(asset)
    b.add(
        "vegetation",
        "tree",
        pos,
        float(rng.uniform(0, 6.28)),
        size,
        assets.materials(asset, False),
        asset=asset,
    )
