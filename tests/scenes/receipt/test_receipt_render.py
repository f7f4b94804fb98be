"""Receipt-specific label truths: every ink pixel is labeled, codes decode to their labels, key fields add up."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from simvision.registry import get_generator
from simvision.rng import rng_for
from simvision.sample import render_sample, render_spec, scene_canvas
from simvision.scenes.receipt.content import check_arithmetic
from simvision.scenes.receipt.key_fields import key_fields
from simvision.scenes.receipt.money import parse_money
from simvision.scenes.receipt.render import fit_layout
from simvision.scenes.receipt.typeset import INK_THRESHOLD, rasterize

GEN = get_generator("receipt")


def specs(scene, n, seed=21):
    return [GEN.sample(rng_for(seed, i, "scene"), scene.params, scene_canvas(scene)) for i in range(n)]


def test_every_ink_pixel_belongs_to_exactly_one_word(receipt_scene):
    seen_fonts = set()
    for spec in specs(receipt_scene, 24):
        lay = fit_layout(spec)
        cov, ids, assigned, quads = rasterize(lay, first_id=2)
        ink = cov >= INK_THRESHOLD
        assert (ids[ink] > 0).all(), f"{int((ids[ink] == 0).sum())} ink pixels unlabeled ({spec.font_id})"
        assert set(np.unique(ids[ids > 0]).tolist()) <= set(assigned)
        assert len(quads) == len(assigned)
        seen_fonts.add(spec.font_id)
    assert len(seen_fonts) >= 4


def test_codes_decode_to_their_labels(receipt_scene):
    """An independent decoder (zxing-cpp) reads every barcode and QR code as its label's text."""
    import zxingcpp

    checked = {"qrcode": 0, "barcode": 0}
    for i, spec in enumerate(specs(receipt_scene, 40)):
        if min(checked.values()) >= 3:
            break
        s = render_spec(receipt_scene, spec, 21, i)
        for r in range(len(s.instances)):
            kind = s.classes[s.instances.class_id[r]]
            if kind not in checked or s.instances.attrs["truncated"][r]:
                continue
            x0, y0, x1, y1 = s.instances.boxes[r].astype(int)
            white = (255, 255, 255)  # a quiet zone around the code
            crop = cv2.copyMakeBorder(s.image[y0:y1, x0:x1], 16, 16, 16, 16, cv2.BORDER_CONSTANT, value=white)
            texts = [res.text for res in zxingcpp.read_barcodes(cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY))]
            assert texts == [s.instances.text[r]], (
                f"{kind} decodes to {texts}, label says {s.instances.text[r]!r}"
            )
            checked[kind] += 1
    assert min(checked.values()) >= 3, checked


@pytest.mark.parametrize("index", range(12))
def test_printed_total_is_the_receipt_total(receipt_scene, index):
    """The words labeled total.total_price read as the content's total, which satisfies the arithmetic."""
    s = render_sample(receipt_scene, seed=4, index=index)
    c = GEN.spec_model.model_validate(s.meta["spec"]).content
    assert check_arithmetic(c) == []
    rows = [r for r in range(len(s.instances)) if s.instances.attrs["category"][r] == "total.total_price"]
    if not rows or s.instances.attrs["truncated"][rows].any():
        pytest.skip("total is off-frame in this sample")
    fields = key_fields(s.instances)
    assert parse_money(fields["total.total_price"][-1], c.locale) == c.total
    names = fields.get("menu.nm", [])
    assert len(names) <= len(c.items)
    assert all(any(item.name.startswith(n) or n in item.name.upper() for item in c.items) for n in names)
