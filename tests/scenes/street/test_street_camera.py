"""The street's camera pipeline parameters: one camera drawn per image within the scene file's ranges, drawn last
(the scene's content does not move when the ranges change), old records without one, bad ranges refused."""

from __future__ import annotations

import pydantic
import pytest

from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.street.config import StreetParams
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import compile_world
from simvision.scenes.street.spec import StreetSpec
from simvision.world.spec import ImagingSpec


@pytest.fixture(scope="module")
def scene():
    return load_scene(default_scene_dir() / "street.yaml").with_size("160x120")


def test_every_image_gets_its_own_camera_within_the_ranges(scene):
    p = scene.params.camera.imaging
    specs = [sample(rng_for(5, i, "scene"), scene.params, scene_canvas(scene)) for i in range(6)]
    assert len({s.imaging for s in specs}) == 6
    for s in specs:
        im = s.imaging
        assert p.contrast.min <= im.contrast <= p.contrast.max
        assert p.white_ev.min <= im.white_ev <= p.white_ev.max
        assert p.jpeg_quality.min <= im.jpeg_quality <= p.jpeg_quality.max
        assert p.ev_bias.min <= s.exposure <= p.ev_bias.max
        assert compile_world(s).imaging == im


def test_changing_the_camera_ranges_moves_nothing_in_the_scene(scene):
    other = scene.params.model_copy(
        update={
            "camera": scene.params.camera.model_copy(
                update={
                    "imaging": StreetParams.model_validate(
                        {"camera": {"imaging": {"contrast": {"min": 2.0, "max": 2.0}}}}
                    ).camera.imaging
                }
            )
        }
    )
    a = sample(rng_for(5, 3, "scene"), scene.params, scene_canvas(scene))
    b = sample(rng_for(5, 3, "scene"), other, scene_canvas(scene))
    assert b.imaging.contrast == 2.0 and a.imaging != b.imaging
    assert a.objects == b.objects and a.lamps == b.lamps and a.sun == b.sun and a.weather == b.weather
    assert a.render_seed == b.render_seed


def test_a_record_from_before_the_pipeline_gets_the_default_camera(scene):
    spec = sample(rng_for(5, 0, "scene"), scene.params, scene_canvas(scene))
    old = spec.model_dump(mode="json")
    del old["imaging"]
    replayed = StreetSpec.model_validate(old)
    assert replayed.imaging is None and compile_world(replayed).imaging == ImagingSpec()


def test_a_range_outside_the_allowed_one_is_refused_by_name():
    with pytest.raises(pydantic.ValidationError, match=r"(?s)contrast.*outside the allowed range 0.5..3"):
        StreetParams.model_validate({"camera": {"imaging": {"contrast": {"min": 0.2, "max": 1.0}}}})
