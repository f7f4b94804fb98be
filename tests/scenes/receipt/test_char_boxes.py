"""Character boxes of receipt words: one per character, inside its word's quad, holding that glyph's ink."""

from __future__ import annotations

import numpy as np

from simvision.registry import get_generator
from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scenes.receipt.render import fit_layout
from simvision.scenes.receipt.typeset import INK_THRESHOLD, PlacedRun, _draw_run, char_boxes, rasterize

GEN = get_generator("receipt")


def test_char_boxes_hold_their_glyphs_ink_and_lie_in_their_word(receipt_scene) -> None:
    fonts = set()
    for i in range(8):
        spec = GEN.sample(rng_for(31, i, "scene"), receipt_scene.params, scene_canvas(receipt_scene))
        lay = fit_layout(spec)
        chars = char_boxes(lay)
        _, _, _, quads = rasterize(lay, first_id=2, chars=chars)
        assert len(chars) == len(lay.words)
        for word, boxes, quad in zip(lay.words, chars, quads, strict=False):
            assert boxes.shape == (len(word.text), 4)
            lo, hi = quad.min(0), quad.max(0)
            assert (boxes[:, :2] >= lo - 1e-4).all() and (boxes[:, 2:] <= hi + 1e-4).all(), word.text
        # each glyph's ink, found independently: what drawing one more character of the run adds
        words = iter(chars)
        for run in lay.runs:
            boxes = np.concatenate(
                [b for b in (next(words) for _ in run.text.split(" "))] or [np.zeros((0, 4))]
            )
            owner = [k for k, ch in enumerate(run.text) if ch != " "]  # run character -> its row in ``boxes``
            before = np.zeros((lay.height, lay.width), np.uint8)
            for n, k in enumerate(owner):
                after = np.zeros_like(before)
                _draw_run(after, PlacedRun(run.text[: k + 1], run.x, run.baseline, run.font))
                ys, xs = np.nonzero((after >= INK_THRESHOLD) & (after > before))
                x0, y0, x1, y1 = boxes[n]
                assert ((xs >= x0 - 1e-4) & (xs + 1 <= x1 + 1e-4)).all(), (run.text, k)
                assert ((ys >= y0 - 1e-4) & (ys + 1 <= y1 + 1e-4)).all(), (run.text, k)
                before = after
        fonts.add(spec.font_id)
    assert len(fonts) >= 3
