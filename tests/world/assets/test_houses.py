"""Suburban houses: every variant (form x roof x ridge x garage x bay x porch x cladding x storeys) builds clean,
closed, outward-wound geometry inside its declared footprint, is deterministic, honours its height cap, and puts its
door and garage anchors on the ground at its front. (The family table in test_assets.py covers sampled houses.)"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from simvision.world.assets.houses import (
    FORMS,
    SLOTS,
    S,
    build_garden_wall,
    build_house,
    house_colours,
    sample_garden_wall,
    sample_house,
)
from simvision.world.assets.primitives import signed_volume

OPTIONS = {
    "roof": ("gable", "hip"),
    "ridge": ("along", "across"),
    "garage": ("none", "integral", "side"),
    "bay": ("none", "ground", "full"),
    "porch": ("none", "canopy", "porch"),
    "cladding": ("brick", "render", "siding"),
}


def _variants() -> list[tuple]:
    """Every form with every value of every option at least once (a covering set, not the full product)."""
    rows = []
    for form in FORMS:
        for k, combo in enumerate(itertools.product(OPTIONS["roof"], OPTIONS["ridge"], OPTIONS["garage"])):
            rows.append((form, *combo, OPTIONS["bay"][k % 3], OPTIONS["porch"][(k + 1) % 3],
                         OPTIONS["cladding"][k % 3], 1 + k % 2))  # fmt: skip
    return rows


VARIANTS = _variants()


def _house(form, roof, ridge, garage, bay, porch, cladding, storeys, seed=0):  # noqa: ANN001, ANN202, PLR0913
    p = sample_house(np.random.default_rng(seed), form)
    if form != "detached":
        ridge = "along"  # a front gable is a detached house's
        garage = "none" if garage == "integral" else garage
    p = p.model_copy(update=dict(roof=roof, ridge=ridge, garage=garage, bay=bay, porch=porch, cladding=cladding,
                                 storeys=storeys, ground_brick=cladding != "brick" and storeys == 2,
                                 unit_width=max(p.unit_width, 9.5) if garage == "integral" else p.unit_width))  # fmt: skip
    return p, build_house(p)


@pytest.mark.parametrize("variant", VARIANTS, ids=["-".join(map(str, v)) for v in VARIANTS])
def test_every_house_variant_is_clean_and_inside_its_footprint(variant: tuple) -> None:
    p, a = _house(*variant)
    m = a.mesh
    t = m.triangles
    area = 0.5 * np.linalg.norm(np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]), axis=1)
    assert area.min() > 1e-6, f"degenerate triangles: {np.sum(area <= 1e-6)}"
    v = m.vertices
    length, width, height = a.size
    assert np.abs(v[:, 0]).max() <= length / 2 + 1e-6 and np.abs(v[:, 1]).max() <= width / 2 + 1e-6
    assert v[:, 2].max() <= height + 1e-6 and abs(v[:, 2].min()) < 1e-9
    # every part is a closed convex solid wound outward: 12 triangles per hexahedron, positive volume each
    assert signed_volume(v, m.faces) > 0
    used = {SLOTS[s] for s in np.unique(m.slots)}
    assert {variant[6], "trim", "glass", "door", "dark", p.roofing} <= used
    assert used <= set(house_colours(p))
    assert ("garage" in used) == (p.garage != "none")
    assert ("garage" in a.anchors) == (p.garage != "none")
    doors = a.anchors["doors"]
    assert len(doors) == p.units and np.allclose(doors[:, 2], 0.0)
    assert (doors[:, 1] >= -width / 2 - 1e-6).all() and (doors[:, 1] < 0).all(), "front doors face -y"
    assert a.triangle_count <= 1200 * p.units + 800


@pytest.mark.parametrize("form", FORMS)
def test_houses_are_deterministic_and_differ_by_seed(form: str) -> None:
    a = build_house(sample_house(np.random.default_rng(5), form))
    b = build_house(sample_house(np.random.default_rng(5), form))
    c = build_house(sample_house(np.random.default_rng(6), form))
    assert np.array_equal(a.mesh.vertices, b.mesh.vertices) and np.array_equal(a.mesh.slots, b.mesh.slots)
    assert a.mesh.vertices.shape != c.mesh.vertices.shape or not np.allclose(a.mesh.vertices, c.mesh.vertices)


@pytest.mark.parametrize("height", [4.0, 6.0, 8.0, 11.0])
def test_the_height_cap_holds_chimneys_included(height: float) -> None:
    for seed, form in itertools.product(range(8), FORMS):
        p = sample_house(np.random.default_rng(seed), form, height)
        assert build_house(p).size[2] <= height + 1e-6, (seed, form, p.storeys, p.pitch, p.chimneys)


def test_roofs_overhang_the_walls_and_windows_stand_on_the_front() -> None:
    p, a = _house("detached", "gable", "along", "none", "none", "none", "brick", 2)
    v, s = a.mesh.vertices, a.mesh.slots
    roof = a.mesh.faces[s == S[p.roofing]].ravel()
    wall = a.mesh.faces[s == S["brick"]].ravel()
    assert np.ptp(v[roof, 1]) >= np.ptp(v[wall, 1]) + 2 * p.overhang - 0.05  # eaves both sides
    glass = a.mesh.faces[s == S["glass"]].ravel()
    front = v[wall, 1].min()
    assert (v[glass, 1] <= front + p.depth).all() and (v[glass, 1] < front + 0.1).any()


def test_garden_walls_are_clean() -> None:
    for seed in range(6):
        p = sample_garden_wall(np.random.default_rng(seed), 4.0)
        a = build_garden_wall(p)
        assert abs(a.size[0] - 4.0) < 0.2 and a.size[2] <= p.height + 0.3
        assert signed_volume(a.mesh.vertices, a.mesh.faces) > 0
