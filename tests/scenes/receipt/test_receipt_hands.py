"""Hands on receipts (``params.look.hands``): a hand is an instance of its own class, and the print it covers loses
exactly the pixels under it (one id map), so a word's visible fraction is what the hand left of it."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pytest

from simvision.errors import UserError
from simvision.labels import layered_boxes_and_areas
from simvision.record import sample_to_record
from simvision.registry import get_generator
from simvision.sample import render_sample, render_spec
from simvision.scene import parse_scene
from simvision.scenes.receipt.hands import LEGIBLE_VISIBLE, HandSpec
from simvision.scenes.receipt.render import CLASS_ID, CLASSES

GEN = get_generator("receipt")


def scene_dict(hands: dict[str, Any] | None = None) -> dict[str, Any]:
    look: dict[str, Any] = {}
    if hands is not None:
        look["hands"] = hands
    return {
        "generator": "receipt",
        "image": {"width": 600, "height": 1400, "format": "png"},
        "params": {"look": look},
    }


SCENE = parse_scene(scene_dict({"p": 1.0, "max": 2}), "hands", "<test>")
THUMB = HandSpec(
    pose="thumb_press",
    side="left",
    along=0.5,
    inset_mm=18.0,
    yaw_deg=0.0,
    fingers=0,
    thumb=True,
    fore=0.8,
    spread_deg=4.0,
    left=True,
    size=1.0,
    skin_rgb=(160, 126, 86),
    polish_rgb=None,
    mottle_seed=7,
)


def test_classes_are_appended_and_named():
    assert CLASSES[:5] == ("background", "receipt", "word", "barcode", "qrcode")
    assert "hand" in CLASSES and GEN.classes == CLASSES
    assert "hand" not in GEN.text_classes


def test_words_under_a_thumb_lose_exactly_the_covered_pixels():
    bare = render_sample(parse_scene(scene_dict(), "plain", "<test>"), seed=2, index=0)
    spec = GEN.spec_model.model_validate(bare.meta["spec"])
    held = render_spec(SCENE, spec.model_copy(update={"hands": (THUMB,)}), 2, 0)
    inst = held.instances
    hand_rows = np.flatnonzero(inst.class_id == CLASS_ID["hand"])
    assert len(hand_rows) == 1
    hand = held.mask(int(hand_rows[0]))
    assert hand.sum() > 1000
    # every labeled instance of the bare render keeps exactly its pixels outside the hand
    b = bare.instances
    _, clean = layered_boxes_and_areas(bare.maps, b.instance_id, b.layer)
    covered = 0
    for r in range(len(b)):
        was = bare.mask(r)
        left = was & ~hand
        rows = np.flatnonzero(inst.instance_id == b.instance_id[r])
        if not left.any():  # fully hidden: not a positive, recorded as dropped
            assert len(rows) == 0
            assert any(
                d["instance_id"] == b.instance_id[r] and d["reason"] == "hidden under a hand"
                for d in held.meta["dropped"]
            )
            covered += 1
            continue
        (row,) = rows
        assert np.array_equal(held.mask(int(row)), left)
        frac = float(inst.attrs["visible_fraction"][row])
        assert frac == pytest.approx(left.sum() / clean[r], abs=1e-4)
        if b.class_id[r] == CLASS_ID["word"] and frac < 1:
            covered += 1
            if frac < LEGIBLE_VISIBLE:
                assert inst.attrs["ignore"][row] and inst.attrs["ignore_reason"][row] == "occluded"
    assert covered >= 3, "the thumb should cover some print"
    # no other pixel of the image changed far from the hand (its shadow reaches a little past it)
    ys, xs = np.nonzero(hand)
    far = np.ones(hand.shape, bool)
    far[max(0, ys.min() - 150) : ys.max() + 150, max(0, xs.min() - 150) : xs.max() + 150] = False
    assert np.array_equal(held.image[far], bare.image[far])


def test_a_key_value_a_thumb_cuts_into_is_no_label_at_all() -> None:
    """Part of a total is not the total: when a thumb makes one word of a key-field value illegible, every word of
    that value is ignored (and so left out of the key fields), not just the covered one."""
    bare = render_sample(parse_scene(scene_dict(), "plain", "<test>"), seed=5, index=1)
    spec = GEN.spec_model.model_validate(bare.meta["spec"])
    legible_but_left_out = 0
    for along in np.linspace(0.05, 0.95, 10):
        for side in ("left", "right"):
            thumb = THUMB.model_copy(update={"along": float(along), "side": side, "left": side == "left"})
            inst = render_spec(SCENE, spec.model_copy(update={"hands": (thumb,)}), 5, 1).instances
            runs: dict[tuple[str, int, int], list[int]] = {}
            for r in range(len(inst)):
                cat = str(inst.attrs["category"][r])
                if cat != "other":
                    runs.setdefault(
                        (cat, int(inst.attrs["line"][r]), int(inst.attrs["group"][r])), []
                    ).append(r)
            for rows in runs.values():
                ignored = {bool(inst.attrs["ignore"][r]) for r in rows}
                assert len(ignored) == 1, "a key-field value is labelled whole or not at all"
                if ignored == {True}:
                    legible_but_left_out += sum(
                        inst.attrs["visible_fraction"][r] >= LEGIBLE_VISIBLE for r in rows
                    )
    assert legible_but_left_out > 0, "some thumb should cut into a value and take its legible words with it"


def test_hands_are_in_the_maps_and_the_record():
    s = render_sample(SCENE, seed=4, index=1)
    inst = s.instances
    rows = np.flatnonzero(inst.class_id == CLASS_ID["hand"])
    assert 1 <= len(rows) <= 2 and len(rows) == len(s.meta["spec"]["hands"])
    for r in rows:
        assert inst.layer[r] == 0 and s.mask(int(r)).any()
        # a hand pixel belongs to no other instance on any layer
        for k in range(s.maps.shape[0]):
            others = s.maps[k][s.mask(int(r))]
            assert set(np.unique(others).tolist()) <= {0, int(inst.instance_id[r])}
    files = {"image": "images/x.png", "maps": ["maps/x.layer0.png", "maps/x.layer1.png"]}
    rec = sample_to_record(s, "x", files)
    hands = [i for i in rec["instances"] if i["class"] == "hand"]
    assert len(hands) == len(rows) and all(h["area"] > 0 and h["class_id"] == CLASS_ID["hand"] for h in hands)
    assert "hand" in rec["classes"]


def test_boxes_and_areas_after_hands_are_those_of_the_final_maps():
    """Only the instances near a hand are counted again after it (render._recount): every box and visible
    fraction must still be the one the whole final maps give, with two hands and a stamp on the paper."""
    with_stamp = scene_dict({"p": 1.0, "max": 2})
    with_stamp["params"]["look"]["stamp"] = {"p": 1.0, "max": 1}
    scene = parse_scene(with_stamp, "hands_stamp", "<test>")
    hands_seen = 0
    for index in range(4):
        s = render_sample(scene, seed=5, index=index)
        inst = s.instances
        boxes, areas = layered_boxes_and_areas(s.maps, inst.instance_id, inst.layer)
        assert np.array_equal(inst.boxes, boxes) and (areas > 0).all()
        hands_seen += int((inst.class_id == CLASS_ID["hand"]).sum())
    assert hands_seen >= 4


def test_hands_are_deterministic_and_replayable():
    a = render_sample(SCENE, seed=9, index=3)
    b = render_sample(SCENE, seed=9, index=3)
    assert a.meta["spec"] == b.meta["spec"] and a.meta["spec"]["hands"]
    assert np.array_equal(a.image, b.image) and np.array_equal(a.maps, b.maps)
    spec = GEN.spec_model.model_validate(a.meta["spec"])
    c = render_spec(SCENE, spec, 9, 3)
    assert np.array_equal(a.image, c.image) and np.array_equal(a.maps, c.maps)


def test_no_hands_by_default_leaves_the_spec_unchanged():
    s = render_sample(parse_scene(scene_dict(), "plain", "<test>"), seed=2, index=0)
    assert "hands" not in s.meta["spec"]
    assert CLASS_ID["hand"] not in s.instances.class_id
    assert "visible_fraction" not in s.instances.attrs


@pytest.mark.parametrize(
    ("hands", "where"),
    [
        ({"p": 1.5}, "params.look.hands.p"),
        ({"p": -0.1}, "params.look.hands.p"),
        ({"max": 0}, "params.look.hands.max"),
        ({"max": 9}, "params.look.hands.max"),
        ({"poses": {"choices": {"wave": 1}}}, "params.look.hands.poses"),
        ({"p": 0.5, "colour": "red"}, "params.look.hands"),
    ],
)
def test_bad_hand_knobs_are_refused(hands: dict[str, Any], where: str) -> None:
    with pytest.raises(UserError, match=where.replace(".", r"\.")) as err:
        parse_scene(scene_dict(hands), "bad", "<test>")
    assert err.value.exit_code == 2


def test_bad_hand_knob_exits_2_from_the_command_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "generator: receipt\nimage: {width: 600, height: 1400, format: png}\n"
        "params: {look: {hands: {p: 2}}}\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "simvision", "generate", str(bad), "--out", str(tmp_path / "o"), "-n", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "params.look.hands.p" in proc.stderr + proc.stdout
