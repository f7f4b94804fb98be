import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simvision.labels import boxes_and_areas, order_quad_clockwise
from simvision.rng import rng_for


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 12))
def test_boxes_and_areas_equal_brute_force(seed, k):
    rng = np.random.default_rng(seed)
    m = rng.integers(0, k + 1, size=(rng.integers(1, 30), rng.integers(1, 30))).astype(np.int32)
    ids = np.arange(1, k + 2)  # includes one id that may be absent
    boxes, areas = boxes_and_areas(m, ids)
    for i, box, area in zip(ids, boxes, areas, strict=True):
        ys, xs = np.nonzero(m == i)
        assert area == len(ys)
        want = [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1] if len(ys) else [0, 0, 0, 0]
        assert box.tolist() == want


def test_order_quad_clockwise_from_top_left():
    pts = np.array([[10, 20], [0, 0], [0, 20], [10, 0]], np.float32)
    assert order_quad_clockwise(pts).tolist() == [[0, 0], [10, 0], [10, 20], [0, 20]]


def test_rng_streams_are_independent_and_reproducible():
    a = rng_for(7, 3, "scene").random(4)
    assert np.array_equal(a, rng_for(7, 3, "scene").random(4))
    assert not np.array_equal(a, rng_for(7, 3, "augment").random(4))
    assert not np.array_equal(a, rng_for(7, 4, "scene").random(4))
    assert not np.array_equal(a, rng_for(8, 3, "scene").random(4))
