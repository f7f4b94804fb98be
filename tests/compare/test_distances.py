"""Distances and estimates against values computed by hand on tiny cases."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from simvision.compare.boxes import compare_boxes
from simvision.compare.datasets import Box, Item, LabeledSet
from simvision.compare.distances import compare_1d, total_variation
from simvision.compare.diversity import nearest
from simvision.compare.imagestats import jpeg_quality


def test_wasserstein_and_ks_equal_hand_values():
    # a shift by 5 of every value: W1 = 5, the CDFs never overlap: KS = 1
    d = compare_1d([0.0, 1.0, 3.0], [5.0, 6.0, 8.0])
    assert d["wasserstein"] == pytest.approx(5.0)
    assert d["ks"] == pytest.approx(1.0)
    # {0,0,1} vs {0,1,1}: one third of the mass moves by 1; the CDFs differ by 1/3 on [0,1)
    d = compare_1d([0.0, 0.0, 1.0], [0.0, 1.0, 1.0])
    assert d["wasserstein"] == pytest.approx(1 / 3)
    assert d["ks"] == pytest.approx(1 / 3)
    assert d["real"]["median"] == 0.0 and d["synth"]["median"] == 1.0


def test_total_variation_by_hand():
    assert total_variation({"a": 0.5, "b": 0.5}, {"a": 0.5, "b": 0.5}) == 0.0
    assert total_variation({"a": 1.0}, {"b": 1.0}) == 1.0
    assert total_variation({"a": 0.75, "b": 0.25}, {"a": 0.25, "b": 0.75}) == pytest.approx(0.5)


def test_box_statistics_by_hand():
    """Real: one 100x100 image with a 10x10 and a 20x20 person box; synthetic: one 40x40 pedestrian box, mapped."""
    real = LabeledSet("r", "COCO", ("person",), (Item(None, "a", 100, 100, (Box("person", 0, 0, 10, 10),
                                                                          Box("person", 50, 50, 20, 20))),))  # fmt: skip
    synth = LabeledSet("s", "COCO", ("pedestrian", "sky"), (Item(None, "b", 100, 100, (Box("pedestrian", 0, 60, 40, 40),
                                                                                       Box("sky", 0, 0, 100, 50))),))  # fmt: skip
    out = compare_boxes(real, synth, {"pedestrian": "person"})
    assert out["shared_classes"] == ["person"]
    assert out["unmatched_synthetic"] == ["sky"]
    size = out["boxes"]["size"]  # sqrt(area / image area): 0.1 and 0.2 against 0.4
    assert size["wasserstein"] == pytest.approx(0.5 * 0.3 + 0.5 * 0.2)
    assert size["ks"] == pytest.approx(1.0)
    cy = out["boxes"]["cy"]  # centres 0.05 and 0.6 against 0.8
    assert cy["wasserstein"] == pytest.approx(0.5 * 0.75 + 0.5 * 0.2)
    assert out["objects_per_image"]["wasserstein"] == pytest.approx(1.0)  # 2 against 1 (sky unmatched)
    assert out["boxes"]["aspect"]["wasserstein"] == pytest.approx(0.0)  # all square
    assert out["class_tv"] == 0.0


def test_nearest_neighbours_by_hand():
    a = np.array([[0.0, 0.0], [3.0, 4.0], [10.0, 0.0]])
    d, i = nearest(a, a, same=True)
    assert d.tolist() == pytest.approx([5.0, 5.0, math.hypot(7, 4)])
    assert i.tolist() == [1, 0, 1]


@pytest.mark.parametrize("quality", [50, 75, 90, 95])
def test_jpeg_quality_estimate_recovers_the_encoder_setting(quality):
    img = np.random.default_rng(0).integers(0, 255, (32, 32, 3), dtype=np.uint8)
    ok, data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok and jpeg_quality(data.tobytes()) == quality
    ok, png = cv2.imencode(".png", img)
    assert jpeg_quality(png.tobytes()) == 100.0
