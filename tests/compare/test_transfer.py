"""``simvision transfer`` end to end on a tiny budget: one row per ratio, scored by COCOeval on the real val."""

from __future__ import annotations

import json

import pytest

from simvision.compare.transfer import transfer

MAP = {"pedestrian": "person", "auto": "car"}


def test_transfer_writes_its_table(fab, tmp_path):
    pytest.importorskip("torch")
    res = transfer(fab["yolo"], fab["render"], fab["yolo"], tmp_path / "t", [0.0, 0.5], MAP, iterations=4,
                   batch=2, size=(64, 48))  # fmt: skip
    assert [r["ratio"] for r in res["rows"]] == [0.0, 0.5]
    assert [r["train"] for r in res["rows"]] == [{"real": 6, "synthetic": 0}, {"real": 6, "synthetic": 6}]
    for r in res["rows"]:
        assert 0.0 <= r["mAP50-95"] <= r["mAP50"] <= 1.0 and set(r["per_class"]) == {"person", "car"}
    md = (tmp_path / "t" / "transfer.md").read_text()
    assert md.startswith("| synthetic ratio | real | synthetic | mAP50 |") and md.count("\n") == 4
    assert json.loads((tmp_path / "t" / "transfer.json").read_text())["iterations"] == 4
