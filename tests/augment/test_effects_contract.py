"""One contract over every registered effect (albumentations-style table), and the plan/replay machinery."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from simvision.augment.effects import EFFECTS
from simvision.augment.policy import AugmentConfig, sample_plan
from simvision.augment.presets import PRESETS
from simvision.augment.target import target_from_sample
from simvision.labels import boxes_and_areas
from simvision.registry import get_generator
from simvision.sample import render_sample, render_spec


@pytest.fixture(scope="module")
def clean(receipt_scene):
    return render_sample(receipt_scene, seed=3, index=0)


def polygon_holds(poly: np.ndarray, mask: np.ndarray, grow: float = 1.0) -> float:
    """Fraction of mask pixel centres inside the polygon grown by ``grow`` px."""
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return 1.0
    contour = poly.reshape(-1, 1, 2).astype(np.float32)
    d = np.array(
        [cv2.pointPolygonTest(contour, (x + 0.5, y + 0.5), True) for x, y in zip(xs, ys, strict=True)]
    )
    return float((d >= -grow).mean())


@pytest.mark.parametrize("name", sorted(EFFECTS))
@pytest.mark.parametrize("k", [0, 1, 2])
def test_effect_contract(clean, name, k):
    effect = EFFECTS[name]
    t0 = target_from_sample(clean, surfaces=get_generator("receipt").surfaces)
    params = effect.sample(np.random.default_rng(k), effect.config(), t0.shape)
    json.dumps(params)  # params go into the record
    t1 = effect.apply(t0, params)
    assert t1.image.shape == t0.image.shape and t1.image.dtype == np.uint8
    assert t1.maps.shape == t0.maps.shape and t1.maps.dtype == np.int32
    for before, after in zip(t0.maps, t1.maps, strict=True):
        assert set(np.unique(after).tolist()) <= set(np.unique(before).tolist()), "ids invented"
    if not effect.geometric:
        assert np.array_equal(t1.maps, t0.maps), "a photometric effect changed the maps"
    t2 = effect.apply(t0, params)
    assert np.array_equal(t1.image, t2.image) and np.array_equal(t1.maps, t2.maps), (
        "apply is not deterministic"
    )
    inst = clean.instances
    words = np.flatnonzero(inst.class_id == clean.classes.index("word"))
    for r in words:
        layer, iid = inst.layer[r], inst.instance_id[r]
        mask = t1.maps[layer] == iid
        if mask.any() and t1.polygons[r] is not None:
            held = polygon_holds(t1.polygons[r], mask)
            assert held >= 0.99, f"{name}: polygon of {inst.text[r]!r} holds {held:.3f} of its pixels"
    for layer in range(t1.maps.shape[0]):
        ids = inst.instance_id[inst.layer == layer]
        boxes, areas = boxes_and_areas(t1.maps[layer], ids)
        for box, area, iid in zip(boxes, areas, ids, strict=True):
            if area:
                ys, xs = np.nonzero(t1.maps[layer] == iid)
                assert box.tolist() == [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_presets_give_exact_labels_and_replay(receipt_scene, preset):
    scene = receipt_scene.with_augment(preset)
    s = render_sample(scene, seed=8, index=2)
    inst = s.instances
    for k in range(s.maps.shape[0]):
        rows = inst.layer == k
        assert set(np.unique(s.maps[k]).tolist()) - {0} == set(inst.instance_id[rows].tolist())
        boxes, areas = boxes_and_areas(s.maps[k], inst.instance_id[rows])
        assert np.array_equal(boxes, inst.boxes[rows]) and (areas > 0).all()
    assert ((inst.attrs["visible_fraction"] >= scene.augment.min_visible) | (preset == "none")).all()
    spec = get_generator(scene.generator).spec_model.model_validate(s.meta["spec"])
    replayed = render_spec(scene, spec, 8, 2, s.meta["augment"])
    assert np.array_equal(replayed.image, s.image) and np.array_equal(replayed.maps, s.maps)


def test_augment_stream_leaves_the_scene_alone(receipt_scene):
    a = render_sample(receipt_scene.with_augment("phone_photo"), seed=5, index=1)
    b = render_sample(receipt_scene.with_augment("harsh"), seed=5, index=1)
    assert a.meta["spec"] == b.meta["spec"] and a.meta["augment"] != b.meta["augment"]
    clean = render_sample(receipt_scene, seed=5, index=1).meta["spec"]
    canvas = ("width", "height", "frame")  # only the overscanned canvas differs
    assert {k: v for k, v in clean.items() if k not in canvas} == {
        k: v for k, v in a.meta["spec"].items() if k not in canvas
    }
    plan_a = sample_plan(np.random.default_rng(1), AugmentConfig(preset="harsh"), (100, 100))
    plan_b = sample_plan(np.random.default_rng(1), AugmentConfig(preset="harsh"), (100, 100))
    assert plan_a == plan_b and plan_a


def test_dropped_instances_are_recorded_and_erased(receipt_scene):
    scene = receipt_scene.with_augment("harsh")
    for i in range(6):
        s = render_sample(scene, seed=1, index=i)
        augment_drops = [d for d in s.meta["dropped"] if d["reason"].startswith("augment")]
        if augment_drops:
            ids = {d["instance_id"] for d in augment_drops}
            assert not ids & set(np.unique(s.maps).tolist())
            assert not ids & set(s.instances.instance_id.tolist())
            return
    pytest.fail("harsh never dropped an instance in 6 samples")


def test_ink_effects_run_on_the_flat_print_first():
    """Whatever order a scene file lists them in, ink effects run before the paper is bent or shaded (measured
    after a wrinkle, shaded facets would pass for ink), then paper, light, camera, sensor."""
    cfg = AugmentConfig.model_validate({
        "effects": [{"name": "jpeg"}, {"name": "wrinkle"}, {"name": "ink_bleed"}, {"name": "camera"},
                    {"name": "shadow"}, {"name": "thermal_fade"}],
    })  # fmt: skip
    assert [e.name for e in cfg.entries()] == [
        "ink_bleed",
        "thermal_fade",
        "wrinkle",
        "shadow",
        "camera",
        "jpeg",
    ]
    for preset in PRESETS:
        names = [e.name for e in AugmentConfig(preset=preset).entries()]
        ink = [i for i, n in enumerate(names) if EFFECTS[n].group == "ink"]
        assert ink == list(range(len(ink))), f"{preset}: {names}"


@pytest.mark.parametrize("name", sorted(EFFECTS))
def test_default_config_passes_its_own_bounds(name):
    """A record stores the effect's config; replay and verify validate it again: every default must lie inside
    the bounds its own field declares (the fax threshold's 0.85 once did not)."""
    cfg = EFFECTS[name].config(name=name)
    assert type(cfg).model_validate(json.loads(cfg.model_dump_json())) == cfg
