"""Issue 19: dataset-level files are assembled by streaming over the records, so assembly memory is flat in the
dataset size, and the streamed bytes are those the in-memory writers give."""

from __future__ import annotations

import gc
import json
import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from simvision.pipeline import assemble, generate
from simvision.record import dumps
from simvision.scene import Scene, default_scene_dir, load_scene

FORMATS = ("coco", "yolo", "hf")
SPLITS = (("train", 0.5), ("val", 0.5))


@pytest.fixture(scope="module")
def small_scene() -> Scene:
    return load_scene(default_scene_dir() / "street.yaml").with_size("160x96")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, small_scene: Scene) -> Path:
    """Two real samples (one per split) whose records are replicated under new names below."""
    out = tmp_path_factory.mktemp("template") / "ds"
    summary = generate(
        small_scene, out, n=2, seed=1, workers=1, formats=",".join(FORMATS), split="train=0.5,val=0.5"
    )
    assert not summary.failures
    return out


def fabricate(template: Path, out: Path, n: int) -> None:
    """``n`` tiny records named 000000.., hard links to two records cut from the template's samples (three
    instances, no spec): assembly reads each record once, and what it keeps per record is what this measures."""
    (out / "records").mkdir(parents=True)
    sources = []
    for p in sorted((template / "records").glob("*.json")):
        rec = json.loads(p.read_text())
        rec.update(instances=rec["instances"][:3], spec={}, scene_config={})
        sources.append(out / f"{p.stem}.tiny")
        sources[-1].write_bytes(dumps(rec))
    for i in range(n):
        os.link(sources[i % len(sources)], out / "records" / f"{i:06d}.json")
    for p in template.rglob("*"):  # the two samples' files, which every record names
        if p.is_file() and p.parent.name != "records" and "/" in str(p.relative_to(template)):
            (out / p.relative_to(template)).parent.mkdir(parents=True, exist_ok=True)
            os.link(p, out / p.relative_to(template))


def assembly_peak(template: Path, out: Path, scene: Scene, n: int) -> int:
    fabricate(template, out, n)
    gc.collect()
    tracemalloc.start()
    try:
        assert len(assemble(out, scene, 1, n, FORMATS, SPLITS)) == n
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_assembly_memory_is_flat_in_the_dataset_size(template, small_scene, tmp_path):
    assembly_peak(template, tmp_path / "warm", small_scene, 4)  # lazy imports and caches outside the measure
    small = assembly_peak(template, tmp_path / "small", small_scene, 200)
    large = assembly_peak(template, tmp_path / "large", small_scene, 2000)
    # the records of 2000 samples held at once would take ~10x the memory of 200
    assert large <= 1.10 * small, (
        f"peak {large / 2**20:.2f} MB at 2000 samples vs {small / 2**20:.2f} MB at 200"
    )
    coco = json.loads((tmp_path / "large" / "coco.json").read_text())
    assert len(coco["images"]) == 2000
    manifest = json.loads((tmp_path / "large" / "manifest.json").read_text())
    assert manifest["count"] == 2000 and len(manifest["samples"]) == 2000
    assert sum(manifest["splits"].values()) == 2000


def test_streamed_coco_equals_the_in_memory_document(template):
    from simvision.writers.coco import CocoStream, records_to_coco
    from simvision.writers.stream import DatasetMeta, in_memory

    recs: list[dict[str, Any]] = [
        json.loads(p.read_text()) for p in sorted((template / "records").glob("*.json"))
    ]
    info = {"description": "d", "scene": "s", "seed": 1}
    meta = DatasetMeta(("train", "val", "test"), False, info, recs[0]["classes"])
    files = in_memory(CocoStream(meta), recs)
    assert files["coco.json"] == dumps(records_to_coco(recs, info))
    for s in ("train", "val", "test"):  # test: no record, an empty document as before
        part = [r for r in recs if r["split"] == s]
        assert files[f"coco_{s}.json"] == dumps(records_to_coco(part, {**info, "split": s}))


def test_streamed_json_list_equals_one_dump():
    from simvision.writers.stream import JsonList, in_memory

    items = [{"b": [1, {"x": "é"}], "a": None}, {"c": []}, {}]
    files = in_memory(JsonList(lambda r: [("f.json", r)]), items)
    assert files["f.json"] == (json.dumps(items, sort_keys=True, indent=1) + "\n").encode()
