"""Rubber stamps on receipts (``params.look.stamp``): translucent ink on its own layer; the print under it keeps
its instances and pixels, and a word crossed by dark stamp strokes is marked ``ignore`` (``stamped``)."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import pytest

from simvision.errors import UserError
from simvision.record import sample_to_record
from simvision.registry import get_generator
from simvision.sample import render_sample, render_spec
from simvision.scene import parse_scene
from simvision.scenes.receipt.render import CLASS_ID, CLASSES
from simvision.scenes.receipt.stamps import StampSpec

GEN = get_generator("receipt")


def scene_dict(stamp: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "generator": "receipt",
        "image": {"width": 600, "height": 1400, "format": "png"},
        "params": {"look": {} if stamp is None else {"stamp": stamp}},
    }


PLAIN = parse_scene(scene_dict(), "plain", "<test>")
STAMPED = parse_scene(scene_dict({"p": 1.0, "max": 2}), "stamped", "<test>")
PAID = StampSpec(
    shape="rect",
    lines=("PAID", "12.03.2024"),
    font_id="liberation_sans",
    ink="blue",
    center=(0.5, 0.45),
    rotation_deg=-12.0,
    size_mm=52.0,
    density=0.85,
    pressure_deg=30.0,
    pressure_drop=0.3,
    gaps=0.1,
    over_print=True,
    texture_seed=5,
)


def test_stamp_class_is_appended_and_not_text():
    assert CLASSES.index("stamp") > CLASSES.index("qrcode")
    assert "stamp" not in GEN.text_classes


@pytest.mark.parametrize("over", [True, False])
def test_print_under_a_stamp_keeps_its_instances_and_pixels(over: bool):
    bare = render_sample(PLAIN, seed=1, index=2)
    spec = GEN.spec_model.model_validate(bare.meta["spec"])
    stamp = PAID.model_copy(update={"over_print": over})
    s = render_spec(STAMPED, spec.model_copy(update={"stamps": (stamp,)}), 1, 2)
    assert s.maps.shape[0] == bare.maps.shape[0] + 1  # the stamps' own layer, after paper, print and pen
    assert np.array_equal(s.maps[:-1], bare.maps)  # paper, words, codes and pen: not one pixel moved
    assert np.array_equal(s.instances.instance_id[: len(bare.instances)], bare.instances.instance_id)
    (row,) = np.flatnonzero(s.instances.class_id == CLASS_ID["stamp"])
    assert s.instances.layer[row] == s.maps.shape[0] - 1 and s.instances.text[row] == "PAID 12.03.2024"
    mask = s.mask(int(row))
    assert mask.sum() > 500
    # the ink changed the image only inside the stamp's outline
    inside = np.zeros(mask.shape, np.uint8)
    cv2.fillConvexPoly(inside, np.round(s.instances.quads[row]).astype(np.int32), 1)
    inside = cv2.dilate(inside, np.ones((5, 5), np.uint8)).astype(bool)
    changed = (s.image != bare.image).any(axis=2)
    assert changed.any() and not (changed & ~inside).any()
    # words crossed by stamp strokes are kept but marked; only words the stamp touches are
    words = np.flatnonzero(s.instances.class_id == CLASS_ID["word"])
    reasons = s.instances.attrs["ignore_reason"]
    marked = [r for r in words if reasons[r] == "stamped"]
    assert marked, "a 52 mm stamp in the middle of a receipt crosses some words"
    boxes = s.instances.boxes.astype(int)
    inked = [r for r in words if mask[boxes[r, 1] : boxes[r, 3], boxes[r, 0] : boxes[r, 2]].any()]
    assert (
        marked == inked
    )  # exactly the words whose box holds stamp ink (tesseract reads under a quarter of them)
    assert all(bool(s.instances.attrs["ignore"][r]) for r in marked)
    # the record keeps the stamp's text and every word under it
    files = {"image": "images/x.png", "maps": [f"maps/x.layer{k}.png" for k in range(3)]}
    rec = sample_to_record(s, "x", files)
    stamps = [i for i in rec["instances"] if i["class"] == "stamp"]
    assert [i["text"] for i in stamps] == ["PAID 12.03.2024"] and stamps[0]["ink"] == "blue"
    assert sum(i["class"] == "word" for i in rec["instances"]) == len(words)


def test_stamps_are_deterministic_and_replayable():
    a = render_sample(STAMPED, seed=2, index=5)
    b = render_sample(STAMPED, seed=2, index=5)
    assert a.meta["spec"]["stamps"] and a.meta["spec"] == b.meta["spec"]
    assert np.array_equal(a.image, b.image) and np.array_equal(a.maps, b.maps)
    c = render_spec(STAMPED, GEN.spec_model.model_validate(a.meta["spec"]), 2, 5)
    assert np.array_equal(a.image, c.image) and np.array_equal(a.maps, c.maps)
    texts = [t for t, k in zip(a.instances.text, a.instances.class_id, strict=True) if k == CLASS_ID["stamp"]]
    assert texts == [" ".join(st["lines"]) for st in a.meta["spec"]["stamps"]][: len(texts)]


@pytest.mark.parametrize(
    ("stamp", "where"),
    [
        ({"p": 2}, "params.look.stamp.p"),
        ({"p": -1}, "params.look.stamp.p"),
        ({"max": 0}, "params.look.stamp.max"),
        ({"max": 4}, "params.look.stamp.max"),
        ({"p": 0.5, "ink": "green"}, "params.look.stamp"),
    ],
)
def test_bad_stamp_knobs_are_refused(stamp: dict[str, Any], where: str) -> None:
    with pytest.raises(UserError, match=where.replace(".", r"\.")) as err:
        parse_scene(scene_dict(stamp), "bad", "<test>")
    assert err.value.exit_code == 2
