"""The 2D renderer's foliage and grass textures: structure at the scale of leaf sprays and grass tufts (several
pixels, not pixel speckle), the shading normals they tilt stay unit and facing the camera, the same bits every
time, and nothing but albedo and normals changes (labels come from the rasterizer and are untouched)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simvision.render import textures
from simvision.render.textures import F32, GBuffer

SIDE = 200


def plane_gbuffer(
    normal: tuple[float, float, float], footprint: float, slot: int = 0, obj: int = 0
) -> GBuffer:
    """A SIDE x SIDE grid of pixels ``footprint`` metres apart on the plane through (0, 0, 5) with ``normal``,
    seen head-on (the view is the normal), every pixel slot ``slot`` of object ``obj``."""
    nrm = np.asarray(normal, np.float64) / np.linalg.norm(normal)
    a = np.cross(nrm, [0.0, 0.0, 1.0] if abs(nrm[2]) < 0.9 else [1.0, 0.0, 0.0])
    a /= np.linalg.norm(a)
    b = np.cross(nrm, a)
    i, j = np.meshgrid(np.arange(SIDE), np.arange(SIDE))
    pos = (i.ravel()[:, None] * a + j.ravel()[:, None] * b) * footprint + [0.0, 0.0, 5.0]
    n = SIDE * SIDE
    return GBuffer(
        pos.astype(F32), np.tile(nrm.astype(F32), (n, 1)), np.tile(nrm.astype(F32), (n, 1)),
        np.full(n, obj, np.int32), np.full(n, slot, np.int64), np.full(n, 15, F32), np.full(n, footprint, F32),
        np.tile(np.array([0.07, 0.13, 0.04], F32), (n, 1)), np.full(n, 0.8, F32), np.zeros((n, 3), F32),
    )  # fmt: skip


def textured(g: GBuffer, kind: str) -> GBuffer:
    g = dataclasses.replace(
        g, albedo=g.albedo.copy(), rough=g.rough.copy(), emit=g.emit.copy(), normal=g.normal.copy()
    )
    textures.apply(g, [kind], 0.0)
    return g


def grey(g: GBuffer) -> np.ndarray:
    return g.albedo.mean(axis=1).reshape(SIDE, SIDE)


def neighbour_share(img: np.ndarray) -> float:
    """How much of the image's variance is between neighbouring pixels (1 for white noise, ~0 for smooth)."""
    d = np.diff(img, axis=1)
    return float(d.var() / (2 * img.var()))


@pytest.mark.parametrize("kind", ["foliage", "grass"])
def test_texture_is_structured_over_several_pixels_and_strong(kind: str) -> None:
    normal = (0.3, -1.0, 0.2) if kind == "foliage" else (0.0, 0.0, 1.0)
    g = textured(plane_gbuffer(normal, 0.02), kind)
    img = grey(g)
    assert img.std() / img.mean() > (0.3 if kind == "foliage" else 0.15)  # leaves part, tufts differ
    assert neighbour_share(img) < 0.25  # sprays and tufts span pixels: not per-pixel speckle


def test_leaves_too_small_for_a_pixel_fade_to_smoother_tone() -> None:
    near = grey(textured(plane_gbuffer((0.3, -1.0, 0.2), 0.02), "foliage"))
    far = grey(textured(plane_gbuffer((0.3, -1.0, 0.2), 0.25), "foliage"))
    assert neighbour_share(far) < 0.9  # no pixel glitter left from sprays below a pixel
    assert far.std() / far.mean() < near.std() / near.mean()


@pytest.mark.parametrize("kind", ["foliage", "grass"])
def test_tilted_normals_are_unit_and_face_the_camera(kind: str) -> None:
    for normal in [(0.3, -1.0, 0.2), (0.0, 0.0, 1.0), (1.0, 0.2, -0.4)]:
        g = textured(plane_gbuffer(normal, 0.03), kind)
        length = np.linalg.norm(g.normal, axis=1)
        np.testing.assert_allclose(length, 1, atol=1e-5)
        facing = np.einsum("ij,ij->i", g.normal, g.view)
        assert facing.min() > 0.04
        tilt = 1 - np.einsum("ij,ij->i", g.normal, plane_gbuffer(normal, 0.03).normal)
        assert tilt.mean() > 0.01  # the leaves and blades do lean (grass ~10 degrees)


def test_bark_keeps_a_near_facet_normal_and_its_own_pattern() -> None:
    g0 = plane_gbuffer((1.0, 0.0, 0.0), 0.01, slot=1)
    g = textured(g0, "foliage")
    assert np.einsum("ij,ij->i", g.normal, g0.normal).min() > 0.8
    img = grey(g)
    assert img.std() / img.mean() > 0.1


@pytest.mark.parametrize("kind", ["foliage", "grass"])
def test_the_same_bits_every_time_and_only_albedo_and_normals_change(kind: str) -> None:
    g0 = plane_gbuffer((0.3, -1.0, 0.2), 0.03)
    a, b = textured(g0, kind), textured(g0, kind)
    assert np.array_equal(a.albedo, b.albedo) and np.array_equal(a.normal, b.normal)
    for name in ("pos", "view", "obj", "slot", "depth", "footprint"):
        assert np.array_equal(getattr(a, name), getattr(g0, name))
