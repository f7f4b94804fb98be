"""Pen on receipts (``params.look.handwriting``): a tip and total written in, marks, signatures.

The written amounts add up (written total = printed total + written tip, in the receipt's locale format), every
handwritten word is a ``handwriting`` instance with its text, its quad and its pixels in the image, the written tip
and total reach CORD and SROIE as key fields, and a receipt is the same receipt whatever the handwriting knobs say.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simvision.errors import UserError
from simvision.fonts import FONT_DIR, covers, fonts, hand_fonts
from simvision.record import sample_to_record
from simvision.rle import decode
from simvision.sample import render_sample, sample_name, sample_spec
from simvision.scene import parse_scene
from simvision.scenes.receipt.config import font_ids
from simvision.scenes.receipt.money import parse_number
from simvision.scenes.receipt.render import CLASS_ID, CLASSES
from simvision.writers.cord import ground_truth
from simvision.writers.sroie import box_file, key_file

HAND = CLASS_ID["handwriting"]
MARKS = {"circle", "underline", "tick", "strike", "signature"}


def scene(handwriting: dict[str, Any] | None = None, **content: Any):
    """A restaurant-bill scene paid by card with no printed tip: every bill is one a tip can be written on."""
    look: dict[str, Any] = {"rotation_deg": {"min": -6, "max": 6}}
    if handwriting is not None:
        look["handwriting"] = handwriting
    data = {
        "generator": "receipt",
        "image": {"width": 640, "height": 1400, "format": "png"},
        "params": {
            "content": {
                "layout": {"choices": {"restaurant": 1}},
                "tip_prob": 0.0,
                "card_prob": 1.0,
                **content,
            },
            "look": look,
        },
    }
    return parse_scene(data, "handwriting_test", "test")


WRITTEN = scene({"p": 1.0, "tip_prob": 1.0, "circle_prob": 1.0, "tick_prob": 1.0, "strike_prob": 1.0})


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), index=st.integers(0, 10_000))
def test_written_total_is_printed_total_plus_written_tip(seed, index):
    spec = sample_spec(WRITTEN, seed, index)
    hw, c = spec.handwriting, spec.content
    assert hw is not None and hw.tip is not None and hw.written_total is not None
    assert hw.tip > 0 and hw.tip == hw.tip.quantize(Decimal("0.01"))
    assert hw.written_total == c.total + hw.tip
    # as written, in the locale's number format
    assert parse_number(hw.tip_text, c.locale) == hw.tip
    assert parse_number(hw.total_text, c.locale) == hw.written_total
    assert covers(hand_fonts()[hw.hand.font_id], hw.tip_text + hw.total_text + hw.signature)
    assert covers(
        fonts()[spec.font_id],
        "".join(s.text for b in spec.doc.blocks if b.kind == "text" for s in b.segments),
    )


@pytest.fixture(scope="module")
def written() -> list[tuple[Any, dict[str, Any]]]:
    out = []
    for i in range(6):
        sample = render_sample(WRITTEN, 3, i)
        rec = json.loads(json.dumps(sample_to_record(sample, sample_name(i), {"image": "x.png"})))
        out.append((sample, rec))
    return out


def test_handwritten_words_have_text_quads_and_pixels_in_the_image(written):
    seen_words, seen_marks = 0, set()
    for sample, _ in written:
        inst = sample.instances
        h, w = sample.image.shape[:2]
        rows = np.flatnonzero(inst.class_id == HAND)
        assert rows.size
        for r in rows:
            assert inst.layer[r] == 2
            mark, text = inst.attrs["mark"][r], inst.text[r]
            assert (mark in MARKS and text == "") or (mark == "" and text), (mark, text)
            seen_words += bool(text)
            seen_marks.add(mark)
            q = inst.quads[r]
            assert (q >= -0.5).all() and (q[:, 0] <= w + 0.5).all() and (q[:, 1] <= h + 0.5).all()
            ys, xs = np.nonzero(sample.maps[2] == inst.instance_id[r])
            assert ys.size > 20  # ink, not a stray pixel
            x0, y0, x1, y1 = inst.boxes[r]
            assert xs.min() >= x0 and xs.max() < x1 and ys.min() >= y0 and ys.max() < y1
            # the pixels lie in the word's quad (a few anti-aliased edge pixels aside)
            inside = [
                cv2.pointPolygonTest(q.astype(np.float32), (float(x) + 0.5, float(y) + 0.5), True) >= -1.5
                for x, y in zip(xs[::7], ys[::7], strict=True)
            ]
            assert np.mean(inside) > 0.97
            # the pen's colour is in the image there: not the paper's
            if text:
                assert sample.image[ys, xs].mean() < 170
        struck = np.flatnonzero(inst.attrs["struck"])
        assert (inst.class_id[struck] == CLASS_ID["word"]).all()  # crossed out: still a printed word
    assert seen_words >= 2 * len(written) and seen_marks == MARKS | {""}


def test_written_tip_and_total_are_cord_key_fields_and_the_sroie_total(written):
    for _, rec in written:
        hw = rec["spec"]["handwriting"]
        gt = ground_truth(rec)["gt_parse"]
        totals = gt["total"]["total_price"]
        assert hw["total_text"] in (totals if isinstance(totals, list) else [totals])
        tips = gt["sub_total"]["service_price"]
        assert hw["tip_text"] in (tips if isinstance(tips, list) else [tips])
        # keyed by the printed label of the blank it was written on
        (line,) = [
            vl
            for vl in ground_truth(rec)["valid_line"]
            if any(w["text"] == hw["total_text"] for w in vl["words"])
        ]
        assert [w["text"] for w in line["words"] if w["is_key"]] == hw["total_label"].split(" ")
        assert json.loads(key_file(rec))["total"] == hw["total_text"]
        assert any(
            text == hw["tip_text"] for text in (ln.split(",", 8)[8] for ln in box_file(rec).splitlines())
        )
        assert rec["key_fields"]["total.total_price"][-1] == hw["total_text"]
        # the record's masks of written words decode to the pixels of layer 2
        for i in rec["instances"]:
            if i["class"] == "handwriting":
                assert decode(i["rle"], rec["height"], rec["width"]).sum() == i["area"]


def test_same_seed_same_pen(written):
    for i, (sample, _) in enumerate(written[:2]):
        again = render_sample(WRITTEN, 3, i)
        assert np.array_equal(again.image, sample.image) and np.array_equal(again.maps, sample.maps)
        assert again.instances.text == sample.instances.text


def test_the_printed_receipt_does_not_depend_on_the_handwriting_knobs():
    never = scene({"p": 0.0})
    for i in range(8):
        a, b = sample_spec(never, 5, i), sample_spec(WRITTEN, 5, i)
        assert a.handwriting is None and b.handwriting is not None
        assert a.content == b.content and a.font_px == b.font_px and a.texture_seed == b.texture_seed
        printed = [blk for blk in b.doc.blocks if blk not in a.doc.blocks]
        assert (
            printed == [] or b.handwriting.tip is not None
        )  # only the Tip / Total / Signature blanks are new
    sample = render_sample(never, 5, 0)
    assert not (sample.instances.class_id == HAND).any() and not sample.maps[2].any()


def test_classes_keep_handwriting_last_of_the_receipt_classes():
    assert CLASSES.index("handwriting") > CLASSES.index("qrcode")


@pytest.mark.parametrize(
    ("knob", "value", "where"),
    [
        ("p", 1.5, "params.look.handwriting.p"),
        ("size", {"min": 0.2, "max": 1.0}, "params.look.handwriting.size"),
        ("pen", {"choices": {"quill": 1}}, "params.look.handwriting.pen"),
        ("font", {"choices": {"courier_prime": 1}}, "params.look.handwriting.font"),
        ("colour", "red", "params.look.handwriting.colour"),
    ],
)
def test_bad_handwriting_knobs_name_the_field(knob, value, where):
    with pytest.raises(UserError, match=where.replace(".", r"\.")):
        scene({knob: value})


def test_shipped_fonts_match_their_manifest_and_carry_their_licence():
    """Every file of every shipped face (print and handwriting) has the manifest's SHA-256 and a licence file; the
    handwriting faces are never offered for print."""
    manifest = json.loads((FONT_DIR / "manifest.json").read_text(encoding="utf-8"))
    hand = {f["id"] for f in manifest["fonts"] if f.get("handwriting")}
    assert hand == set(hand_fonts()) and len(hand) >= 4
    assert not hand & set(fonts()) and not hand & set(font_ids())
    for f in manifest["fonts"]:
        licence = FONT_DIR / f["licence_file"]
        assert licence.stat().st_size > 1000 and licence.name in ("LICENSE", "COPYING"), f["id"]
        for rel, digest in f["sha256"].items():
            assert hashlib.sha256((FONT_DIR / rel).read_bytes()).hexdigest() == digest, rel
        assert {f["regular"], f.get("bold") or f["regular"], f["licence_file"]} <= set(f["sha256"])
