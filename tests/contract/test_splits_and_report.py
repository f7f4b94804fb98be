"""Contract over every shipped scene: every writer honours --split, and the report's numbers equal counts made
independently from the records."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import yaml
from pycocotools.coco import COCO

from simvision.quality.verify import verify
from simvision.splits import parse_splits, split_of
from simvision.writers.cityscapes import frame_name
from simvision.writers.crops import crops
from tests.conftest import SPLIT


def _records(ds: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((ds / "records").glob("*.json"))]


def cityscapes_name(name: str) -> str:
    """The Cityscapes stem of a sample name: ``000003`` (a still) or ``000003_0002`` (frame 2 of clip 3)."""
    index, _, frame = name.partition("_")
    return frame_name(int(index), int(frame or 0))


def _by_split(ds: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {s: set() for s, _ in parse_splits(SPLIT)}
    for r in _records(ds):
        out[r["split"]].add(r["name"])
    return out


def test_split_is_a_function_of_seed_and_index(split_dataset):
    for r in _records(split_dataset):
        assert r["split"] == split_of(5, r["index"], parse_splits(SPLIT))


def test_coco_and_yolo_honour_splits(split_dataset):
    ds = split_dataset
    by_split = _by_split(ds)
    everything = COCO(str(ds / "coco.json"))
    seen: set[int] = set()
    for s, names in by_split.items():
        coco = COCO(str(ds / f"coco_{s}.json"))
        files = {Path(img["file_name"]).stem for img in coco.dataset["images"]}
        assert files == names
        for img_id in coco.getImgIds():
            assert len(coco.getAnnIds(imgIds=[img_id])) == len(everything.getAnnIds(imgIds=[img_id]))
        seen |= set(coco.getImgIds())
    assert seen == set(everything.getImgIds())  # the split files partition the dataset
    doc = yaml.safe_load((ds / "data.yaml").read_text())
    assert (doc["train"], doc["val"], doc["test"]) == ("train.txt", "val.txt", "test.txt")
    for s, names in by_split.items():
        lines = (ds / f"{s}.txt").read_text().splitlines()
        assert {Path(line).stem for line in lines} == names
        assert all(line.startswith("./images/") and (ds / line).is_file() for line in lines)


def _row_names(ds: Path) -> dict[str, set[str]]:
    """The names of each split's rows in the one-receipt formats: a photo of several receipts has one per receipt."""
    out: dict[str, set[str]] = {s: set() for s, _ in parse_splits(SPLIT)}
    for r in _records(ds):
        out[r["split"]] |= {c["name"] for c in crops(r)}
    return out


def test_dataset_formats_honour_splits(split_dataset, scene):
    ds = split_dataset
    by_split = _by_split(ds)
    rows_by_split = _row_names(ds)
    formats = json.loads((ds / "manifest.json").read_text())["formats"]
    for s, names in by_split.items():
        if "cord" in formats:
            rows_names = rows_by_split[s]  # CORD and SROIE rows: one per receipt
            rows = (
                (ds / f"cord/{s}/metadata.jsonl").read_text().splitlines() if rows_names else []
            )  # CORD: one folder per split
            assert {Path(json.loads(r)["file_name"]).stem for r in rows} == rows_names
            cord_split = {"val": "dev"}.get(s, s)  # CORD names its validation split "dev"
            assert all(json.loads(json.loads(r)["ground_truth"])["meta"]["split"] == cord_split for r in rows)
            images = {p.stem for p in (ds / f"cord/{s}").glob("*") if p.suffix in (".jpg", ".png")}
            assert images == rows_names
            sets = ds / f"sroie/ImageSets/{s}.txt"
            assert (set(sets.read_text().split()) if rows_names else set()) == rows_names
        if "cityscapes" in formats:
            gt = ds / "cityscapes/gtFine" / s / "simvision"
            assert {p.name.split("_gtFine")[0] for p in gt.glob("*_labelIds.png")} == {
                cityscapes_name(n) for n in names
            }
            frames = json.loads((ds / f"bdd100k/labels/det_{s}.json").read_text()) if names else []
            assert {Path(f["name"]).stem for f in frames} == names
            sets = ds / f"kitti/ImageSets/{s}.txt"
            assert (set(sets.read_text().split()) if names else set()) == names
    from simvision.loaders import SimvisionDataset

    for s, names in by_split.items():
        if names:
            assert {r.name for r in SimvisionDataset(ds, split=s).records} == {f"{n}.json" for n in names}
    for s, names in by_split.items():  # hf: one metadata.jsonl per images/<split>/ (imagefolder's splits)
        meta = ds / "images" / s / "metadata.jsonl"
        rows = [json.loads(r) for r in meta.read_text().splitlines()] if names else []
        assert {Path(r["file_name"]).stem for r in rows} == names and {r["split"] for r in rows} <= {s}
        assert all((meta.parent / r["file_name"]).is_file() for r in rows)
    report = verify(ds)
    assert report.ok, report.problems[:5]


def test_report_numbers_equal_independent_counts(split_dataset):
    ds = split_dataset
    rep = json.loads((ds / "report/report.json").read_text())
    recs = _records(ds)
    assert rep["samples"] == len(recs)
    assert rep["instances"] == sum(len(r["instances"]) for r in recs)
    for cls, c in rep["classes"].items():
        assert c["instances"] == sum(i["class"] == cls for r in recs for i in r["instances"])
        assert c["images"] == sum(any(i["class"] == cls for i in r["instances"]) for r in recs)
    assert rep["splits"] == dict(Counter(r["split"] for r in recs))
    assert rep["balance"]["tags"] == dict(Counter(t for r in recs for t in r["tags"]))
    skip = set(rep["boxes_exclude"])
    boxes = [i for r in recs for i in r["instances"] if i["class"] not in skip and i["area"] > 0]
    assert rep["boxes"]["count"] == len(boxes) == sum(map(sum, rep["boxes"]["centre_heatmap"]))
    small = sum((i["bbox"][2] - i["bbox"][0]) * (i["bbox"][3] - i["bbox"][1]) < 32**2 for i in boxes)
    assert rep["boxes"]["small_medium_large"]["small"] == small
    for cond, c in rep["conditions"].items():
        assert sum(c["observed"].values()) == len(recs)
        assert abs(sum(c["expected_share"].values()) - 1) < 1e-4, cond
    for k, x in rep[
        "numeric"
    ].items():  # sampled values lie in the ranges the scene file (and its edge cases) ask
        assert x["asked"][0] - 1e-6 <= x["min"] <= x["max"] <= x["asked"][1] + 1e-6, k
    if rep["text"]:
        words = [i for r in recs for i in r["instances"] if i.get("text")]
        assert rep["text"]["total_words"] == len(words)
        assert rep["text"]["total_chars"] == sum(len(i["text"]) for i in words)
        # key fields per receipt: a record of several receipts holds a list of them, one per receipt
        kfs = [r["key_fields"] for r in recs]
        docs = [d for kf in kfs for d in (kf if isinstance(kf, list) else [kf])]
        for k, x in rep["text"]["key_fields"].items():
            assert x["present"] == sum(k in d for d in docs)
            assert x["missing"] == len(docs) - x["present"]
    assert rep["verification"]["ok"] and rep["verification"]["samples"] == len(recs)
    assert rep["duplicates"]["pairs"] == []
    html = (ds / "report/index.html").read_text()
    assert "http://" not in html and "https://" not in html  # self-contained: nothing to fetch
    assert html.count("<img") >= 3 + len(rep["gallery"])
