"""Suburban plots: houses (:mod:`simvision.world.assets.houses`) behind front gardens, one plot after another along
each side of the street. Each plot gets its house ``p.front_garden`` metres back from the sidewalk, a path to each
front door, a driveway to its garage (or beside a detached house without one) that crosses the sidewalk to the
kerb (kept clear of parked cars), a car on some driveways, and along the property line a hedge, fence or low wall
with gaps for the path and driveway (:mod:`.gardens`), or an open lawn.

Houses are class ``building``; paths and driveways ``sidewalk`` (flat: no 3D box), walls and fences ``static``.
"""

from __future__ import annotations

import numpy as np

from simvision.scenes.street import assets, gardens, road
from simvision.scenes.street.builder import SceneBuilder
from simvision.scenes.street.config import StreetFurnitureParams
from simvision.scenes.street.palette import m
from simvision.scenes.street.placement import footprint
from simvision.scenes.street.spec import LayoutSpec
from simvision.world.assets import houses

# house forms along a suburban street (estimates): detached the most, pairs of semis, now and then a terrace
FORMS = {"detached": 0.5, "semi": 0.32, "terrace": 0.18}
SIDE_DRIVE_PROB = 0.6
NIGHT_GLASS = 1.0  # a house's glass emission at night: the renderers' sign to light some of its rooms  # a detached house without a garage: a driveway beside it
CAR_ON_DRIVE_PROB = 0.5
# concrete, block paving, gravel-ish buff, tarmac
DRIVES = ((0.33, 0.32, 0.3), (0.26, 0.16, 0.11), (0.4, 0.36, 0.28), (0.09, 0.09, 0.095))
PATHS = ((0.35, 0.34, 0.32), (0.3, 0.2, 0.14), (0.4, 0.38, 0.34))
FLAT_H = 0.02  # paths and driveways over the lawn


def _pick(rng: np.random.Generator, options: dict[str, float]) -> str:
    names = list(options)
    w = np.array(list(options.values()))
    return names[int(rng.choice(len(names), p=w / w.sum()))]


def _colour(rng: np.random.Generator, options: tuple) -> tuple[float, float, float]:
    c = np.asarray(options[int(rng.integers(len(options)))]) * rng.uniform(0.9, 1.1, 3)
    return tuple(float(v) for v in np.clip(c, 0, 1).round(4))  # type: ignore[return-value]


def plots(
    rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: StreetFurnitureParams, lit: bool = False
) -> None:
    """Houses, paths, driveways (some with a car) and property-line edges along both sides of every block;
    ``lit``: night, rooms lit behind a share of the windows (:data:`NIGHT_GLASS`)."""
    base = layout.road_half + layout.sidewalk_width
    for s0, s1 in road.blocks(layout):
        for side in (-1, 1):
            s = s0 + float(rng.uniform(0.5, 3.0))
            while s < s1 - 8.0:
                lot = _plot(rng, b, layout, p, s, s1, side, base, lit)
                if lot is None:
                    break
                s += lot


def _plot(
    rng: np.random.Generator,
    b: SceneBuilder,
    layout: LayoutSpec,
    p: StreetFurnitureParams,
    s: float,
    s1: float,
    side: int,
    base: float,
    lit: bool = False,
) -> float | None:
    """One plot from ``s``: returns its length along the street, or None when the block has no room left."""
    form = _pick(rng, FORMS)
    params = houses.sample_house(rng, form, p.house_height.sample(rng))
    ref = assets.ref("house", params)
    length, depth, _ = assets.footprint(ref)
    side_drive = form == "detached" and params.garage == "none" and rng.random() < SIDE_DRIVE_PROB
    gap_a, gap_b = float(rng.uniform(0.8, 2.5)), float(rng.uniform(0.8, 2.5))
    if side_drive:
        gap_b = float(rng.uniform(3.3, 4.2))
    lot = gap_a + length + gap_b
    if s + lot > s1 - 0.5:
        return None
    setback = p.front_garden.sample(rng)
    sc = s + gap_a + length / 2
    tc = side * (base + setback + depth / 2)
    pos = road.to_world(layout, sc, tc, road.KERB)
    yaw = road.yaw_along(layout, sc) + (np.pi if side < 0 else 0.0)
    if not b.try_place(pos, yaw, length, depth, margin=-0.05):
        return lot
    mats = list(assets.materials(ref, False))
    if lit:  # the renderers light a share of the rooms (whole storeys of a wall) behind glass that glows
        k = houses.S["glass"]
        mats[k] = mats[k].model_copy(update={"emission": NIGHT_GLASS})
    b.add("building", "house", pos, yaw, (length, depth, assets.footprint(ref)[2]),
          tuple(mats), asset=ref)  # fmt: skip
    anchors = assets.build(ref).anchors
    front = base + setback  # the plot's front line: porches and steps reach it, the walls stand behind
    gaps: list[tuple[float, float]] = []
    doors = [(sc + side * float(x), base + setback + depth / 2 + float(y)) for x, y, _ in anchors["doors"]]
    _paths(rng, b, layout, doors, side, base)
    gaps += [(sd - 0.6, sd + 0.6) for sd, _ in doors]
    drive = None
    if "garage" in anchors:
        g = anchors["garage"]
        a, c = sorted((sc + side * float(g[0, 0]), sc + side * float(g[1, 0])))
        drive = (a - 0.2, c + 0.2, base + setback + depth / 2 + float(g[0, 1]))
    elif side_drive:
        a = s + gap_a + length + 0.4
        drive = (a, a + gap_b - 0.6, front + depth * float(rng.uniform(0.5, 0.9)))
    if drive is not None:
        gaps.append(_driveway(rng, b, layout, drive, side, base))
    gardens.edge(rng, b, layout, s, s + lot, side, base, gaps)
    if rng.random() < gardens.GARDEN_TREE_PROB:
        gardens.garden_tree(rng, b, layout, s + float(rng.uniform(0.2, 0.8)) * lot, side, base, p)
    return lot


def _paths(
    rng: np.random.Generator,
    b: SceneBuilder,
    layout: LayoutSpec,
    doors: list[tuple[float, float]],
    side: int,
    base: float,
) -> None:
    """One object for a plot's paths (1.1 m wide, from the sidewalk to each front door at (s, t)): a terrace's
    five paths cost the renderer one object, not five. Each strip claims its ground."""
    strips = [(sd, t) for sd, t in doors if t - base >= 0.3]
    if not strips:
        return
    sc = (min(s for s, _ in strips) + max(s for s, _ in strips)) / 2
    far = max(t for _, t in strips)
    tm = (base + far) / 2
    local = tuple(
        (
            round(sd - sc - 0.55, 4),
            round(sd - sc + 0.55, 4),
            round(side * (base - tm), 4),
            round(side * (t - tm), 4),
        )
        for sd, t in strips
    )
    local = tuple((x0, x1, min(y0, y1), max(y0, y1)) for x0, x1, y0, y1 in local)
    yaw = road.yaw_along(layout, sc)
    pos = road.to_world(layout, sc, side * tm, road.KERB)
    for sd, t in strips:
        mid = road.to_world(layout, sd, side * (base + t) / 2, road.KERB)
        b.ground.claim(footprint(mid[0], mid[1], yaw, 1.1, t - base))
    ref = assets.ref(
        "garden_paths", houses.PathsParams(strips=local, height=FLAT_H, colour=_colour(rng, PATHS))
    )
    b.add("sidewalk", "garden_path", pos, yaw, assets.footprint(ref), assets.materials(ref, False), asset=ref)


def _flat(
    b: SceneBuilder,
    layout: LayoutSpec,
    kind: str,
    sc: float,
    width: float,
    t0: float,
    t1: float,
    side: int,
    colour: tuple[float, float, float],
) -> None:
    """A flat paved strip ``width`` wide centred at ``sc``, from ``t0`` to ``t1`` metres out from the centreline
    (class ``sidewalk``, flat: no 3D box); it claims its ground."""
    if t1 - t0 < 0.3:
        return
    tm = side * (t0 + t1) / 2
    pos = road.to_world(layout, sc, tm, road.KERB)
    yaw = road.yaw_along(layout, sc)
    b.ground.claim(footprint(pos[0], pos[1], yaw, width, t1 - t0))
    b.add("sidewalk", kind, pos, yaw, (width, t1 - t0, FLAT_H), (m(colour, 0.85), m(colour, 0.8)))


def _driveway(
    rng: np.random.Generator,
    b: SceneBuilder,
    layout: LayoutSpec,
    drive: tuple[float, float, float],
    side: int,
    base: float,
) -> tuple[float, float]:
    """A driveway over ``drive`` = (s from, s to, how far out it ends) from the kerb through the sidewalk (where
    nothing stands on it) to the garage, the road in front of it kept clear of parked cars, and maybe a car on it;
    returns its gap in the property-line edge."""
    a, c, t_end = drive
    width, sc = c - a, (a + c) / 2
    colour = _colour(rng, DRIVES)
    t0 = base
    cross = road.to_world(layout, sc, side * (layout.road_half + base) / 2, road.KERB)
    yaw = road.yaw_along(layout, sc)
    if b.ground.free(footprint(cross[0], cross[1], yaw, width, base - layout.road_half - 0.1)):
        t0 = layout.road_half + road.KERB_STONE  # over the sidewalk to the dropped kerb
        apron = road.to_world(layout, sc, side * (layout.road_half - 0.15), 0.0)
        b.ground.claim(footprint(apron[0], apron[1], yaw, width, 0.3))  # no parking across it
    _flat(b, layout, "driveway", sc, width, t0, t_end, side, colour)
    if rng.random() < CAR_ON_DRIVE_PROB:
        car = assets.vehicle(rng, "parked_car")
        size = assets.footprint(car)
        room = t_end - base - 0.5
        if size[0] <= room and size[1] <= width - 0.3:
            t = t_end - 0.4 - size[0] / 2 - float(rng.uniform(0, room - size[0]))
            pos = road.to_world(layout, sc, side * t, road.KERB + FLAT_H)
            nose_in = rng.random() < 0.75  # most drive in forwards
            yaw_car = yaw + side * np.pi / 2 + (0.0 if nose_in else np.pi)
            b.add("car", car["params"]["body"], pos, yaw_car, size, assets.materials(car, False), asset=car,
                  tags=("driveway",))  # fmt: skip
    return (a, c)
