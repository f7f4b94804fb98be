"""CORD-v2's own rules on the ground truth written for receipts of every receipt scene file and every locale.

From CORD's README (github.com/clovaai/cord, "Json Hierarchy") and the CORD-v2 files on the Hugging Face hub:
``meta.split`` is 'train', 'dev' or 'test'; ``valid_line[].words[].is_key`` flags the text used as a key (the
printed "TOTAL" before the total's value, in the value's line with the same category) and ``gt_parse`` is built from
the other words; ``roi`` holds the four corners (x1..y4) of the receipt region. The donut test runs donut's own
``json2token`` / ``token2json`` / ``JSONParseEvaluator`` (``make tools-donut``) on every ``gt_parse``.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from simvision.scenes.receipt.labels import labels_for
from simvision.writers.cord import dataset_files, ground_truth

ROOT = Path(__file__).resolve().parents[2]
DONUT_PYTHON = ROOT / ".venv-tools" / "donut" / "bin" / "python"


def donut_python() -> Path:
    """The donut tool venv's python; skips without it (``make tools-donut``), fails under CI."""
    if not DONUT_PYTHON.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must have the donut tool venv (make tools-donut) to check CORD's gt_parse")
        pytest.skip("no donut tool venv (make tools-donut)")
    return DONUT_PYTHON


def _leaves(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


@pytest.mark.parametrize(
    ("split", "cord"), [(None, "train"), ("train", "train"), ("val", "dev"), ("test", "test")]
)
def test_meta_split_is_a_cord_split_name(receipt_records, split, cord):
    rec = {**receipt_records[0], "split": split}
    assert ground_truth(rec)["meta"]["split"] == cord
    files = dataset_files([rec])  # the folder keeps the dataset's own split name, as every other writer does
    (path,) = files
    assert path == f"cord/{split or 'train'}/metadata.jsonl"
    assert json.loads(json.loads(files[path])["ground_truth"])["meta"]["split"] == cord


def test_is_key_marks_the_printed_labels_and_gt_parse_holds_the_rest(receipt_records):
    totals = keyed_lines = 0
    for rec in receipt_records:
        gt = ground_truth(rec)
        printed = Counter(
            (w["line"], w["text"], w["category"])
            for w in rec["instances"]
            if w["class"] == "word" or (w["class"] == "handwriting" and w["text"])  # a written tip/total
        )
        values = []
        for vl in gt["valid_line"]:
            keys = [w for w in vl["words"] if w["is_key"] == 1]
            vals = [w for w in vl["words"] if w["is_key"] == 0]
            assert vals and {w["is_key"] for w in vl["words"]} <= {0, 1}
            assert len({w["row_id"] for w in vl["words"]}) == 1
            # a key is an unlabeled printed word of the value's row, printed before the value
            for w in keys:
                assert printed[(w["row_id"], w["text"], "other")] >= 1, (rec["name"], vl)
            left = min(v["quad"]["x1"] for v in vals)
            assert all(w["quad"]["x2"] <= left + 2 for w in keys), (rec["name"], vl)
            if vl["category"] == "menu.nm":
                assert not keys
            for w in vals:
                assert printed[(w["row_id"], w["text"], vl["category"])] >= 1
            values.append(" ".join(w["text"] for w in vals))
            keyed_lines += bool(keys)
            # one receipt of a photo of several whose row another paper reaches: a label word under it is dropped
            # or ignored, and what is left of the label is still its key
            row_hidden = "crop" in rec and any(
                w.get("ignore") or w.get("visible_fraction", 1) < 1
                for w in rec["instances"]
                if w["line"] == vals[0]["row_id"] and w.get("text")
            )
            if vl["category"] == "total.total_price" and not row_hidden:
                label = " ".join(w["text"] for w in keys).casefold()
                assert any(label.startswith(t.casefold()) for t in labels_for(rec["spec"]["locale"]).total), (
                    rec["name"],
                    label,
                )
                totals += 1
        # CORD builds gt_parse from the words that are not keys
        assert Counter(_leaves(gt["gt_parse"])) == Counter(values), rec["name"]
    # a receipt of a photo of several may have its total under another one: only whole receipts must show theirs
    whole = sum("crop" not in r for r in receipt_records)
    assert totals >= whole - 3 and keyed_lines >= 4 * len(receipt_records)


def test_roi_is_the_receipt_quad_around_every_word(receipt_records):
    for rec in receipt_records:
        roi = ground_truth(rec)["roi"]
        assert set(roi) == {"x1", "y1", "x2", "y2", "x3", "y3", "x4", "y4"}
        assert all(isinstance(v, int) for v in roi.values())
        quad = np.float32([[roi[f"x{i}"], roi[f"y{i}"]] for i in range(1, 5)])
        (paper,) = (i for i in rec["instances"] if i["class"] == "receipt")
        assert np.abs(quad - np.float32(paper["quad"])).max() <= 0.5
        assert cv2.contourArea(quad) > 0
        for vl in ground_truth(rec)["valid_line"]:
            for w in vl["words"]:
                q = w["quad"]
                centre = (float(q["x1"] + q["x3"]) / 2, float(q["y1"] + q["y3"]) / 2)
                assert cv2.pointPolygonTest(quad, centre, False) >= 0, (rec["name"], w["text"])


def test_gt_parse_survives_donuts_own_token_round_trip_and_scores_perfect(receipt_records):
    """donut's CORD pipeline: json2token (training target) -> token2json -> JSONParseEvaluator against the GT."""
    python = donut_python()
    gts = [ground_truth(rec)["gt_parse"] for rec in receipt_records]
    script = Path(__file__).with_name("donut_roundtrip.py")
    run = subprocess.run(
        [str(python), str(script)],
        input=json.dumps(gts),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    results = json.loads(run.stdout)
    assert len(results) == len(gts)
    for gt, res in zip(gts, results, strict=True):
        assert res["back"] == gt
        assert res["acc"] == 1.0 and res["f1"] == 1.0
