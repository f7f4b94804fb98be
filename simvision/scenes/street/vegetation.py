"""Street vegetation: trees of several species along the sidewalk, grass verges along the kerb, hedges in front
of the buildings. Cityscapes labels trees and hedges ``vegetation`` and grass ``terrain``.

A verge is a strip of grass between the kerb stones and the footway, cut into pieces of a few metres (straight
enough on a curve) that leave paved gaps where a lamp or sign already stands; the side's trees stand in its
middle, and the verge then keeps later objects (bins, people) on the footway. Trees and hedges are procedural
assets (:mod:`simvision.world.assets.vegetation`) recorded in the spec.
"""

from __future__ import annotations

import numpy as np

from simvision.scenes.street import assets, palette, road
from simvision.scenes.street.builder import SceneBuilder
from simvision.scenes.street.config import StreetFurnitureParams
from simvision.scenes.street.placement import footprint
from simvision.scenes.street.spec import LayoutSpec
from simvision.world.assets import vegetation as veg

# species shares of street trees (estimates): round-crowned broadleaves most, young plantings, planes, columnar
SPECIES_SHARES = {"round": 0.45, "young": 0.15, "plane": 0.28, "columnar": 0.12}
VERGE_RAISE = 0.03  # the verge's top over the paving: no coplanar faces for either renderer to fight over


def plant(rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: StreetFurnitureParams) -> None:
    """Verges, trees and hedges of one street (after lamps, before signs, kerbside furniture and buildings)."""
    pieces, verge_t = _verge_pieces(rng, layout, b, p)
    _trees(rng, b, layout, p, verge_t)
    if pieces:
        grass = palette.verge(rng)
        for pos, yaw, length, width in pieces:
            b.ground.flat.append(footprint(pos[0], pos[1], yaw, length, width))
            b.add("terrain", "verge", pos, yaw, (length, width, VERGE_RAISE), grass)
    _hedges(rng, b, layout, p)


def _verge_pieces(
    rng: np.random.Generator, layout: LayoutSpec, b: SceneBuilder, p: StreetFurnitureParams
) -> tuple[list[tuple[np.ndarray, float, float, float]], dict[int, float]]:
    """Grass pieces (position, yaw, length, width) clear of what stands already, and per side with a verge
    the lateral offset of its middle."""
    h, sw = layout.road_half, layout.sidewalk_width
    pieces: list[tuple[np.ndarray, float, float, float]] = []
    middle: dict[int, float] = {}
    if sw < 3.0:
        return pieces, middle
    width = float(np.round(rng.uniform(0.8, min(1.6, sw - 2.0)), 3))
    for side in (-1, 1):
        if rng.random() >= p.verge_prob:
            continue
        t = side * (h + road.KERB_STONE + 0.05 + width / 2)
        middle[side] = t
        for s0, s1 in road.blocks(layout):
            s = s0 + 0.5
            while s < s1 - 1.5:
                length = min(float(rng.uniform(4.0, 8.0)), s1 - 0.5 - s)
                sc = s + length / 2
                pos = road.to_world(layout, sc, t, road.KERB)
                yaw = road.yaw_along(layout, sc)
                if b.ground.free(footprint(pos[0], pos[1], yaw, length, width)):
                    pieces.append((pos, yaw, round(length, 3), width))
                s += length + float(rng.uniform(0.4, 1.5))
    return pieces, middle


def _trees(
    rng: np.random.Generator,
    b: SceneBuilder,
    layout: LayoutSpec,
    p: StreetFurnitureParams,
    verge_t: dict[int, float],
) -> None:
    """Rows of street trees: a side of a block has a row with chance ``tree_row_prob``, one species per row, a
    slot every 7-12 m (crowns of neighbours meet) filled with chance ``tree_prob``. In the verge where the side has
    one, else in a tree pit ~1 m from the kerb (sidewalks of 2.5 m and more), so the crowns overhang the parking
    lane as on real streets."""
    if layout.sidewalk_width < 2.5:
        return
    names = list(SPECIES_SHARES)
    shares = np.array([SPECIES_SHARES[n] for n in names])
    pit = layout.road_half + min(1.1, layout.sidewalk_width * 0.35)
    for s0, s1 in road.blocks(layout):
        for side in (-1, 1):
            species = names[int(rng.choice(len(names), p=shares / shares.sum()))]
            if rng.random() >= p.tree_row_prob:
                continue
            for s in np.arange(s0 + float(rng.uniform(1, 6)), s1 - 3, float(rng.uniform(7, 12))):
                if rng.random() >= p.tree_prob:
                    continue
                t = verge_t.get(side, side * pit)
                pos = road.to_world(layout, s, t, road.KERB)
                if not b.try_place(pos, 0.0, 0.5, 0.5, margin=0.2):
                    continue
                asset = assets.ref("tree", veg.sample_tree(rng, species))
                b.add(
                    "vegetation",
                    "tree",
                    pos,
                    float(rng.uniform(0, 6.28)),
                    assets.footprint(asset),
                    assets.materials(asset, False),
                    asset=asset,
                )


def _hedges(rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: StreetFurnitureParams) -> None:
    """Runs of clipped hedge on the sidewalk against the building line (front gardens), a few metres each."""
    h, sw = layout.road_half, layout.sidewalk_width
    if sw < 2.5 or layout.district == "suburban":  # a suburban street's hedges line its gardens (gardens.py)
        return
    for s0, s1 in road.blocks(layout):
        for side in (-1, 1):
            if rng.random() >= p.hedge_prob:
                continue
            s = s0 + float(rng.uniform(1, 10))
            for _ in range(int(rng.integers(1, 4))):
                if s > s1 - 3:
                    break
                hp = veg.sample_hedge(rng, min(float(rng.uniform(3.0, 9.0)), s1 - 1 - s))
                asset = assets.ref("hedge", hp)
                size = assets.footprint(asset)
                ln, d = size[0], size[1]
                sc = s + ln / 2
                t = side * (h + sw - d / 2 - 0.05)
                pos = road.to_world(layout, sc, t, road.KERB)
                yaw = road.yaw_along(layout, sc)
                if b.try_place(pos, yaw, ln, d, margin=0.05):
                    b.add("vegetation", "hedge", pos, yaw, size, assets.materials(asset, False), asset=asset)
                s += ln + float(rng.uniform(2.0, 12.0))
