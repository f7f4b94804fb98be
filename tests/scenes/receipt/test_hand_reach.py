"""The hand is modelled only at the grid cells ``_reach`` marks: the image and mask must be byte-identical to
modelling every cell of the hand's grid (the reference), for many sampled hands, poses and scales."""

from __future__ import annotations

import numpy as np
import pytest

from simvision.scenes.receipt import hands


def _canvas(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (700, 520, 3), dtype=np.uint8)
    paper = np.zeros((700, 520), bool)
    paper[60:640, 80:440] = True
    return image, paper


@pytest.mark.parametrize("pose", hands.POSES)
def test_reach_limited_hand_is_byte_identical_to_the_full_rectangle(pose, monkeypatch):
    for seed in range(6):
        rng = np.random.default_rng(100 + seed)
        h = hands.sample_hand(rng, pose)
        px_mm = float(rng.uniform(2.0, 6.0))
        anchor, direction = hands.anchor_on_paper(h, 360 * px_mm / 4.5, 60.0, 640.0)
        anchor = anchor + np.array([80.0, 0.0])
        image, paper = _canvas(seed)
        fast_img = image.copy()
        fast_mask, fast_win = hands.draw_hand(fast_img, paper, h, anchor, direction, px_mm)
        with monkeypatch.context() as m:
            m.setattr(
                hands, "_reach", lambda parts, rot, t, x0, y0, x1, y1, k: np.ones((y1 - y0, x1 - x0), bool)
            )
            ref_img = image.copy()
            ref_mask, ref_win = hands.draw_hand(ref_img, paper, h, anchor, direction, px_mm)
        assert ref_mask.any() or not fast_mask.any()
        assert fast_win == ref_win and np.array_equal(fast_mask, ref_mask)
        assert np.array_equal(fast_img, ref_img)
