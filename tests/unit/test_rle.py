import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from pycocotools import mask as mask_utils

from simvision.rle import decode, encode_crop


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 40), st.integers(1, 40), st.floats(0, 1), st.integers(0, 2**32 - 1))
def test_crop_rle_equals_pycocotools_full_mask(h, w, density, seed):
    m = np.random.default_rng(seed).random((h, w)) < density
    ys, xs = np.nonzero(m)
    y0, y1, x0, x1 = (ys.min(), ys.max() + 1, xs.min(), xs.max() + 1) if len(ys) else (0, 0, 0, 0)
    ref = mask_utils.encode(np.asfortranarray(m.astype(np.uint8)))["counts"].decode()
    got = encode_crop(m[y0:y1, x0:x1], int(x0), int(y0), h, w)
    assert got == ref
    assert np.array_equal(decode(got, h, w), m)
