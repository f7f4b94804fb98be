"""Blender weather and light against their labels: fog dims each object by its labelled transmittance, the
denoiser is on at low sample counts, snow falls as flakes, night frames are not noise."""

from __future__ import annotations

import os

import numpy as np
import pytest

from simvision.render.blender import available
from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import RenderSettings, default_scene_dir, load_scene
from simvision.scenes.street.generator import sample

if not available():
    if os.environ.get("CI"):
        pytest.fail("bpy/OpenEXR missing: `make test` installs the blender extra", pytrace=False)
    pytest.skip("the blender extra is not installed", allow_module_level=True)

from simvision.render.blender import frame, render_world  # noqa: E402
from simvision.scenes.street.geometry import compile_world  # noqa: E402
from simvision.world.labels import fog_transmittance  # noqa: E402

LUMA = np.array([0.2126, 0.7152, 0.0722])


@pytest.fixture(scope="module")
def scene():
    return load_scene(default_scene_dir() / "street.yaml").with_renderer("blender").with_size("128x96")


def overcast_street(scene, index: int = 3):
    """A sampled street by overcast daylight, no lamps: the only light is the sky."""
    spec = sample(rng_for(2, index, "scene"), scene.params, scene_canvas(scene))
    sun = spec.sun.model_copy(
        update={"elevation_deg": 30.0, "sky": "overcast", "strength": 0.0, "sky_strength": 0.9}
    )
    return spec.model_copy(update={"sun": sun, "lamps": ()})


def with_fog(spec, density: float):
    kind = "fog" if density else "clear"
    w = spec.weather.model_copy(
        update={"kind": kind, "fog_density": density, "fog_height": 30.0, "particles": 0}
    )
    return spec.model_copy(update={"weather": w})


def linear_luminance(world, settings) -> np.ndarray:
    """The beauty render's scene-linear luminance (before the view transform)."""
    import OpenEXR

    frame.build_scene(world, settings)
    frame._render()
    path = frame._scratch() / "linear.exr"
    frame._save(path, "EXR")
    with OpenEXR.File(str(path)) as f:
        return f.channels()["ViewLayer.Combined"].pixels[..., :3] @ LUMA


def test_fog_dims_each_object_by_its_labelled_transmittance(scene):
    """Koschmieder: I = J T + A (1 - T), so |I_fog - A| / |I_clear - A| = T per object, with A the airlight (the
    image under fog so dense nothing shows through). Before the fix the fog box's inward faces left objects at
    1-5% transmittance almost unchanged."""
    settings = RenderSettings(engine="blender", samples=16)
    spec = overcast_street(scene)
    dense, fogs = 3.0, (0.02, 0.06)
    lum = {d: linear_luminance(compile_world(with_fog(spec, d)), settings) for d in (0.0, dense, *fogs)}
    labels = render_world(compile_world(with_fog(spec, fogs[0])), settings.model_copy(update={"samples": 1}))
    ids, depth = labels.maps[0], labels.depth
    airlight = lum[dense]
    world = compile_world(spec)
    # the camera car's bonnet (void, 1-2 m below the lens, seen at a grazing angle) is no scene object and carries
    # no label to check: its glossy paint shows mostly the fogged surroundings it mirrors, so its own radiance J
    # changes with the fog and Koschmieder's constant-J ratio does not hold (measured 0.60 vs T 0.90 at fog 0.06)
    void = {o.id for o in world.objects if o.cls in world.void_classes}
    checked, errors = 0, []
    for iid in np.unique(ids):
        m = ids == iid
        if int(iid) in void:
            continue
        base = float(np.abs(lum[0.0][m] - airlight[m]).mean())
        if m.sum() < 30 or base < 0.1 or not np.isfinite(depth[m]).all():
            continue  # too small, or too close to the fog's own brightness to measure a ratio
        ratios = []
        for d in fogs:
            t = float(fog_transmittance(compile_world(with_fog(spec, d)), depth)[m].mean())
            r = float(np.abs(lum[d][m] - airlight[m]).mean()) / base
            # every object within 0.3, the typical one within 0.1 (below): detailed assets with lit lamps and
            # glass put a few objects' measured ratio up to 0.25 off their label (measured 0.35 vs T 0.60)
            assert r == pytest.approx(t, abs=0.3), (
                f"object {iid} at fog {d}: contrast ratio {r:.3f}, T {t:.3f}"
            )
            ratios.append(r)
            errors.append(abs(r - t))
        assert ratios[1] < ratios[0]
        checked += 1
    assert checked >= 6
    assert float(np.median(errors)) <= 0.1, sorted(errors)


def test_denoiser_is_on_by_default_at_low_sample_counts():
    assert RenderSettings(samples=16).denoised and not RenderSettings(samples=128).denoised
    assert not RenderSettings(samples=16, denoise=False).denoised
    for f in default_scene_dir().glob("street*.yaml"):
        s = load_scene(f)
        assert s.render.denoised or s.render.samples >= 64, f.name  # no shipped scene renders noise frames


def roughness(image: np.ndarray) -> float:
    """Mean absolute 4-neighbour Laplacian of the grey image: pixel noise, not edges, dominates it."""
    g = image.astype(np.float64).mean(axis=2)
    lap = 4 * g[1:-1, 1:-1] - g[:-2, 1:-1] - g[2:, 1:-1] - g[1:-1, :-2] - g[1:-1, 2:]
    return float(np.abs(lap).mean())


def test_night_street_at_the_shipped_sample_count_is_not_noise():
    """scenes/street.yaml through Blender at its 16 samples: before, denoise: false made night frames grain."""
    s = load_scene(default_scene_dir() / "street.yaml").with_renderer("blender").with_size("160x120")
    night = load_scene(default_scene_dir() / "street_night_rain.yaml").with_size("160x120")
    spec = sample(rng_for(2, 1, "scene"), night.params, scene_canvas(night))
    spec = spec.model_copy(update={"weather": spec.weather.model_copy(update={"particles": 0})})
    world = compile_world(spec)
    shipped = render_world(world, s.render).image
    raw = render_world(world, s.render.model_copy(update={"denoise": False})).image
    assert s.render.denoised
    assert roughness(shipped) < 0.5 * roughness(raw), (roughness(shipped), roughness(raw))


def test_snow_flakes_are_round_and_face_the_camera():
    from simvision.render.blender.environment import _discs

    cam = np.array([0.0, 0.0, 1.5])
    centres = np.array([[0.0, 5.0, 1.0], [3.0, 10.0, 4.0]])
    verts, tris = _discs(centres, cam, 0.012)
    assert tris.shape == (12, 3) and verts.shape == (14, 3)
    for k, c in enumerate(centres):
        ring = verts[k * 7 + 1 : k * 7 + 7]
        assert np.allclose(np.linalg.norm(ring - c, axis=1), 0.012)  # a hexagon, not a square
        assert np.allclose((ring - c) @ (c - cam), 0, atol=1e-12)  # in the plane facing the camera
