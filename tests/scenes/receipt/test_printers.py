"""Printers (``look.printer``): each changes the print where it should, and a word's mask stays its inked pixels."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from pydantic import ValidationError

from simvision.sample import render_spec, sample_spec
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.receipt.config import ReceiptParams
from simvision.scenes.receipt.generator import CARBON_INKS
from simvision.scenes.receipt.printers import PRINTERS, apply_printer
from simvision.scenes.receipt.render import fit_layout
from simvision.scenes.receipt.typeset import INK_THRESHOLD, rasterize

SCENE = load_scene(default_scene_dir() / "receipt.yaml")


def spec_of(index: int, printer: str = "thermal"):
    spec = sample_spec(SCENE, 3, index)
    return spec.model_copy(update={"printer": printer})


def paper(spec, printer: str):
    """(coverage, ids, quads) of the spec's paper printed by ``printer``."""
    lay = fit_layout(spec)
    rng = np.random.default_rng([spec.texture_seed, 1])
    hook = None if printer == "thermal" else (lambda c: apply_printer(c, printer, lay.font_px, rng))
    cov, ids, _, quads = rasterize(lay, 2, hook)
    n_words = len(lay.words)
    code = np.zeros(cov.shape, bool)
    for c in lay.codes:
        h, w = c.bitmap.shape
        code[c.y : c.y + h, c.x : c.x + w] = True
    return cov, ids, quads[:n_words], code, n_words


@pytest.mark.parametrize("printer", PRINTERS)
def test_masks_are_exactly_the_inked_pixels(printer: str) -> None:
    for index in range(2):
        cov, ids, _, code, _ = paper(spec_of(index), printer)
        ink = cov >= INK_THRESHOLD
        assert np.array_equal((ids > 0) & ~code, ink & ~code), printer


@pytest.mark.parametrize("printer", PRINTERS[1:])
def test_each_printer_changes_the_print(printer: str) -> None:
    spec = spec_of(0)
    base, base_ids, base_quads, code, n = paper(spec, "thermal")
    cov, ids, quads, _, _ = paper(spec, printer)
    text = ~code
    assert (cov[text] != base[text]).any()
    img_a = render_spec(SCENE, spec, 3, 0).image
    img_b = render_spec(SCENE, spec.model_copy(update={"printer": printer}), 3, 0).image
    assert (img_a != img_b).any()
    ink, base_ink = cov >= INK_THRESHOLD, base >= INK_THRESHOLD
    if printer == "head_fault":
        dead = np.flatnonzero((cov == 0).all(axis=0) & base_ink.any(axis=0))
        assert 1 <= len(dead) <= 8, "1-4 dead columns, 1-2 px wide, through printed lines"
        assert not ink[:, dead].any() and (ink <= base_ink).all()
        # words the streaks cross keep their boxes but lose those pixels
        assert np.array_equal(quads, base_quads)
        hit = set(np.unique(base_ids[:, dead])) - {0}
        assert hit and all((ids == i).sum() < (base_ids == i).sum() for i in hit)
    elif printer == "dot_matrix":
        assert (ink & text).sum() != (base_ink & text).sum()
    elif printer == "carbon":
        haze = (cov > 0) & (cov < INK_THRESHOLD) & (cv2.dilate(base, np.ones((9, 9), np.uint8)) == 0) & text
        assert haze.any() and not (ids[haze] > 0).any(), "a faint carbon haze, never a mask"
    elif printer == "inkjet":
        assert (cov >= base).all() and ink.sum() > base_ink.sum(), "ink bleeds past the strokes"


def test_carbon_copies_take_a_carbon_tint_and_defaults_stay_thermal() -> None:
    params = ReceiptParams.model_validate({"look": {"printer": {"choices": {"carbon": 1}}}})
    from simvision.sample import scene_canvas
    from simvision.scenes.receipt.generator import sample_spec as receipt_spec

    spec = receipt_spec(np.random.default_rng(1), params, scene_canvas(SCENE))
    assert spec.printer == "carbon" and spec.ink_rgb in CARBON_INKS
    default = sample_spec(SCENE, 3, 0)
    assert default.printer == "thermal" and "printer" not in default.model_dump()


def test_unknown_printer_is_refused_with_the_allowed_names() -> None:
    with pytest.raises(ValidationError) as err:
        ReceiptParams.model_validate({"look": {"printer": {"choices": {"laser": 1}}}})
    assert "laser" in str(err.value) and "dot_matrix" in str(err.value)
    with pytest.raises(ValueError, match="unknown printer"):
        apply_printer(np.zeros((4, 4), np.uint8), "laser", 20, np.random.default_rng(0))


@pytest.mark.parametrize("px", [20, 27, 45])
def test_dot_matrix_strikes_dots_on_a_pin_grid(px: int) -> None:
    """A solid block prints as rows of round dots, one row per pin (pitch px/9), lighter between the rows."""
    cov = np.zeros((120, 200), np.uint8)
    cov[20:80, 20:180] = 255
    out = apply_printer(cov, "dot_matrix", px, np.random.default_rng(0))
    pitch = px / 9
    profile = out[:, 40:160].mean(axis=1)  # across the block: the dot rows
    peaks = [y for y in range(1, 119) if profile[y] > profile[y - 1] and profile[y] >= profile[y + 1]]
    assert abs(len(peaks) - 60 / pitch) <= 1.5, (peaks, pitch)
    assert np.allclose(np.diff(peaks), pitch, atol=1.0)
    assert profile[20:80].min() < 0.75 * profile[20:80].max(), "lighter print between the rows of dots"
    assert out[:15].max() == 0 and out[:, :15].max() == 0, "no dots where nothing was printed"
