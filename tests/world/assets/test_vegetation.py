"""Trees and hedges: crowns of many leaf clusters with sky between them, varied by seed, in three leaf tones."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from scipy.ndimage import binary_fill_holes
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from simvision.scenes.street.models import tree as old_tree
from simvision.world.assets.vegetation import SPECIES, S, build_hedge, build_tree, sample_hedge, sample_tree
from simvision.world.camera import PinholeCamera
from simvision.world.mesh import Mesh
from simvision.world.raster import rasterize

SEEDS = (0, 1, 7)


def _parts(mesh: Mesh) -> int:
    f = mesh.faces
    rows, cols = np.repeat(f[:, 0], 2), f[:, 1:].reshape(-1)
    n = len(mesh.vertices)
    return connected_components(coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)), directed=False)[
        0
    ]


def _silhouette(mesh: Mesh, keep: np.ndarray) -> np.ndarray:
    """(H,W) bool: where the triangles ``keep`` cover a side view of the mesh (camera 60 m away on -x)."""
    v = mesh.vertices
    height = float(v[:, 2].max())
    cam = PinholeCamera((-60.0, 0.0, height / 2), -90.0, 0.0, 0.0, 120.0, 36.0, 320, 320)
    tri_map, _ = rasterize(mesh.triangles[keep], cam)
    return tri_map >= 0


def _solidity(mask: np.ndarray) -> float:
    """Covered area over the area of its convex hull: 1 for a solid blob, less with gaps and a ragged outline."""
    pts = np.column_stack(np.nonzero(mask)[::-1]).astype(np.int32)
    hull = cv2.convexHull(pts)
    return float(mask.sum() / max(cv2.contourArea(hull), 1.0))


@pytest.mark.parametrize("species", SPECIES)
@pytest.mark.parametrize("seed", SEEDS)
def test_crown_is_many_clusters_with_gaps(species: str, seed: int) -> None:
    p = sample_tree(np.random.default_rng(seed), species)
    a = build_tree(p)
    leaves = np.isin(a.mesh.slots, [S["leaf"], S["leaf_dark"], S["leaf_light"]])
    assert _parts(Mesh(a.mesh.vertices, a.mesh.faces[leaves], a.mesh.slots[leaves])) >= 20
    crown = _silhouette(a.mesh, leaves)
    assert crown.sum() > 500  # the view frames the crown
    assert _solidity(crown) < 0.93, "a ragged outline with bays of sky"
    assert (binary_fill_holes(crown) & ~crown).sum() > 0, "sky shows through the crown"
    assert {S["leaf"], S["leaf_dark"], S["leaf_light"]} <= set(np.unique(a.mesh.slots[leaves]).tolist())
    assert (a.mesh.slots == S["bark"]).sum() > 0
    assert a.triangle_count <= 3000  # a street holds a few dozen of them: the 2D renderer's budget


def test_the_old_ellipsoid_crown_is_what_the_gap_test_rejects() -> None:
    m = old_tree((3.0, 3.0, 7.0), 0)
    crown = _silhouette(m, m.slots == 0)
    assert _solidity(crown) > 0.97 and not (binary_fill_holes(crown) & ~crown).any()


@pytest.mark.parametrize("species", SPECIES)
def test_seed_alone_changes_the_crown(species: str) -> None:
    p = sample_tree(np.random.default_rng(3), species)
    a = build_tree(p)
    b = build_tree(p.model_copy(update={"seed": p.seed + 1}))
    assert a.mesh.vertices.shape != b.mesh.vertices.shape or not np.allclose(a.mesh.vertices, b.mesh.vertices)
    assert np.array_equal(build_tree(p).mesh.vertices, a.mesh.vertices)  # and the same seed rebuilds it


def test_species_have_their_shapes() -> None:
    def ratio(species: str) -> float:  # crown width over tree height, median of a few
        sizes = [build_tree(sample_tree(np.random.default_rng(s), species)).size for s in range(6)]
        return float(np.median([w / h for w, _, h in sizes]))

    assert ratio("columnar") < 0.35 < ratio("round")
    assert ratio("plane") > 0.4
    young = build_tree(sample_tree(np.random.default_rng(0), "young"))
    assert (young.mesh.slots == S["stake"]).sum() > 0 and young.size[2] <= 5.2


def test_hedge_fills_its_length_with_a_bumpy_top() -> None:
    p = sample_hedge(np.random.default_rng(2), 6.0)
    a = build_hedge(p)
    v = a.mesh.vertices
    assert np.ptp(v[:, 0]) > 5.5 and a.size[2] <= p.height + 0.01
    top = v[v[:, 2] > 0.8 * p.height]
    assert np.ptp(top[:, 2]) > 0.05  # clusters, not a flat slab


@pytest.mark.parametrize("species", SPECIES)
def test_small_leaf_tufts_fray_the_crown_surface(species: str) -> None:
    """Tufts (4-triangle parts) stand half out of the clusters' skin: many of them, each small, none floating far
    from the crown (within its bounding box grown by a tuft's size)."""
    p = sample_tree(np.random.default_rng(5), species)
    m = build_tree(p).mesh
    f = m.faces
    rows, cols = np.repeat(f[:, 0], 2), f[:, 1:].reshape(-1)
    n = len(m.vertices)
    _, comp = connected_components(
        coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)), directed=False
    )
    faces_per = np.bincount(comp[f[:, 0]], minlength=comp.max() + 1)
    tufts = np.flatnonzero(faces_per == 4)
    assert len(tufts) >= 8 * p.lobes * 0.8 or len(tufts) >= 70
    leaves = np.isin(m.slots, [S["leaf"], S["leaf_dark"], S["leaf_light"]]) & (faces_per[comp[f[:, 0]]] > 4)
    lv = m.vertices[np.unique(f[leaves])]
    lo, hi = lv.min(axis=0), lv.max(axis=0)
    for t in tufts:
        v = m.vertices[comp == t]
        size = float(np.ptp(v, axis=0).max())
        assert size < 0.2 * p.crown_width + 0.1
        assert (v.min(axis=0) >= lo - size).all() and (v.max(axis=0) <= hi + size).all()
