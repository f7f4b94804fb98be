"""The asphalt and paving textures (issue 15): large-scale tone variation is there, the mean is kept, fine texture
fades below a pixel (no shimmer), oil darkens lane centres, wheel tracks are polished; kernels equal numpy."""

from __future__ import annotations

import numpy as np
import pytest

from simvision.render import texture_kernels, textures

F32 = np.float32


def _ground(xs: np.ndarray, ys: np.ndarray, slot: int, footprint: float) -> textures.GBuffer:
    x, y = np.meshgrid(xs.astype(F32), ys.astype(F32))
    n = x.size
    pos = np.stack([x.ravel(), y.ravel(), np.zeros(n, F32)], axis=1)
    normal = np.tile(np.array([0, 0, 1], F32), (n, 1))
    return textures.GBuffer(
        pos=pos,
        normal=normal,
        view=normal.copy(),
        obj=np.zeros(n, np.int64),
        slot=np.full(n, slot, np.int64),
        depth=np.full(n, 5.0, F32),
        footprint=np.full(n, footprint, F32),
        albedo=np.full((n, 3), 0.1, F32),
        rough=np.full(n, 0.7, F32),
        emit=np.zeros((n, 3), F32),
    )


def _factor(g: textures.GBuffer, kind: str = "asphalt", kernel: bool = True) -> np.ndarray:
    """The texture's albedo factor per pixel (the per-object tint left out)."""
    rows = np.arange(len(g.obj))
    u, v = textures.surface_uv(g.pos, g.normal)
    fn = texture_kernels.KERNELS[kind] if kernel else textures.TEXTURES[kind]
    fn(g, rows, u, v, g.footprint, textures.SEEDS[kind])
    return g.albedo[:, 0] / F32(0.1)


@pytest.mark.parametrize("kind", ["asphalt", "paving"])
def test_large_scale_tone_varies_and_the_mean_is_kept(kind: str) -> None:
    xs, ys = np.linspace(-30.0123, 30.0123, 600), np.linspace(0.0071, 60.0071, 600)  # off the slab joints
    m = _factor(_ground(xs, ys, 0, 0.01), kind).reshape(len(ys), len(xs))
    assert 0.9 < m.mean() < 1.1
    assert np.quantile(m, 0.01) > 0.3 and np.quantile(m, 0.99) < 1.7
    blocks = m.reshape(15, 40, 15, 40).mean(
        axis=(1, 3)
    )  # 4 m blocks: patches, resurfaced stretches, weathering
    assert blocks.std() > 0.04


def test_fine_texture_fades_below_a_pixel() -> None:
    """Sampled half a pixel apart, a far surface (20 cm footprint) changes little: its sub-pixel octaves are gone;
    a near one (5 mm) keeps its aggregate."""
    xs = np.arange(-5, 5, 0.37)
    out = {}
    for fp in (0.005, 0.2):
        a = _factor(_ground(xs, np.arange(0, 10, 0.37), 0, fp))
        b = _factor(_ground(xs + fp / 2, np.arange(0, 10, 0.37), 0, fp))
        out[fp] = float(np.abs(a - b).mean())
    assert out[0.2] < 0.02 < out[0.005]


def test_lane_centres_carry_oil_and_wheel_tracks_are_polished() -> None:
    xs, ys = np.arange(0, 40, 0.05), np.arange(0, 40, 0.05)
    base = _factor(_ground(xs, ys, 0, 0.01))
    centre = _factor(_ground(xs, ys, 7, 0.01))
    assert centre.mean() < base.mean() - 0.01
    assert (centre < base - 0.1).mean() > 0.03  # spots, not a uniform shade
    track = _ground(xs[:50], ys[:50], 6, 0.01)
    _factor(track)
    plain = _ground(xs[:50], ys[:50], 0, 0.01)
    _factor(plain)
    assert track.rough.max() < plain.rough.min()


@pytest.mark.parametrize("kind", ["asphalt", "paving"])
@pytest.mark.parametrize("slot", range(8))
def test_kernels_equal_numpy_on_every_slot(kind: str, slot: int) -> None:
    xs, ys = np.arange(-20, 20, 0.13), np.arange(-3, 40, 0.11)
    for fp in (0.004, 0.03, 0.4):
        a, b = _ground(xs, ys, slot, fp), _ground(xs, ys, slot, fp)
        _factor(a, kind, kernel=True)
        _factor(b, kind, kernel=False)
        assert np.array_equal(a.albedo, b.albedo) and np.array_equal(a.rough, b.rough)
