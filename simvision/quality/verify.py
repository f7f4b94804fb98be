"""``simvision verify``: re-derive every label from the stored id maps and check every file against them.

Checks, per sample: files exist and match the manifest's sha256 and the sha256 their record took when they were
written (the record itself matches its seal); image and maps have the recorded size; every id in
the maps is a recorded instance and vice versa; each instance's box, area and RLE equal those re-derived from its
map; the COCO annotation (decoded by pycocotools) and the YOLO row agree with the record.
"""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pycocotools import mask as mask_utils

from simvision.dataset_paths import (
    MAX_FILE_BYTES,
    capped,
    inside,
    read_json,
    record_file,
    record_maps,
    record_path,
)
from simvision.errors import UserError
from simvision.io import read_depth, read_ids, read_rgb, sha256
from simvision.labels import boxes_and_areas
from simvision.record import SEAL, unseal
from simvision.rle import encode_crop


@dataclass
class VerifyReport:
    samples: int = 0
    instances: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_record(out: Path, rec: dict[str, Any], report: VerifyReport) -> None:
    name, h, w = rec["name"], rec["height"], rec["width"]
    img = read_rgb(capped(record_file(out, rec, "image", name), f"{name}: files.image"))
    if img.shape[:2] != (h, w):
        report.problems.append(f"{name}: image is {img.shape[1]}x{img.shape[0]}, record says {w}x{h}")
    maps = [read_ids(capped(p, f"{name}: files.maps")) for p in record_maps(out, rec, name)]
    if "depth" in rec["files"]:
        depth = read_depth(capped(record_file(out, rec, "depth", name), f"{name}: files.depth"))
        if depth.shape != (h, w):
            report.problems.append(
                f"{name}: depth map is {depth.shape[1]}x{depth.shape[0]}, expected {w}x{h}"
            )
        else:
            sky = [i["id"] for i in rec["instances"] if i["class"] == "sky"]
            if sky and np.isfinite(depth[maps[0] == sky[0]]).any():
                report.problems.append(f"{name}: depth map has depth where the labels say sky")
    by_layer: dict[int, list[dict[str, Any]]] = {}
    for inst in rec["instances"]:
        by_layer.setdefault(inst["layer"], []).append(inst)
    for k, m in enumerate(maps):
        if m.shape != (h, w):
            report.problems.append(f"{name}: map layer {k} is {m.shape[1]}x{m.shape[0]}, expected {w}x{h}")
            continue
        insts = by_layer.get(k, [])
        present = set(np.unique(m).tolist()) - {0}
        recorded = {i["id"] for i in insts}
        if present - recorded:
            report.problems.append(f"{name}: layer {k} has unlabeled ids {sorted(present - recorded)[:10]}")
        ids = np.array([i["id"] for i in insts], np.int64)
        boxes, areas = boxes_and_areas(m, ids)
        for inst, box, area in zip(insts, boxes, areas, strict=True):
            where = f"{name}: instance {inst['id']} ({inst['class']})"
            if area == 0:
                report.problems.append(f"{where}: has no pixels in layer {k}")
                continue
            if [int(v) for v in box] != inst["bbox"]:
                report.problems.append(f"{where}: bbox {inst['bbox']} != mask bounds {[int(v) for v in box]}")
            if int(area) != inst["area"]:
                report.problems.append(f"{where}: area {inst['area']} != mask pixels {int(area)}")
            x0, y0, x1, y1 = (int(v) for v in box)
            if encode_crop(m[y0:y1, x0:x1] == inst["id"], x0, y0, h, w) != inst["rle"]:
                report.problems.append(f"{where}: RLE does not match the map")
        report.instances += len(insts)


def coco_image_id(rec: dict[str, Any]) -> int:
    from simvision.writers.coco import image_id

    return image_id(rec)


def _check_coco(
    out: Path, records: list[dict[str, Any]], report: VerifyReport, name: str = "coco.json"
) -> None:
    """Every record is in ``name`` with its exact labels, and ``name`` holds no other image."""
    from pycocotools.coco import COCO

    coco = COCO()
    coco.dataset = json.loads((out / name).read_text(encoding="utf-8"))
    with contextlib.redirect_stdout(io.StringIO()):  # pycocotools prints progress
        coco.createIndex()
    cat_ids = set(coco.getCatIds())
    if 0 in cat_ids:
        report.problems.append(f"{name}: category id 0 is used (reserved for background)")
    extra = set(coco.imgs) - {coco_image_id(r) for r in records}
    if extra:
        report.problems.append(f"{name}: holds images {sorted(extra)[:10]} that do not belong in it")
    for rec in records:
        image_id = coco_image_id(rec)
        if image_id not in coco.imgs:
            report.problems.append(f"{name}: image {rec['name']} (id {image_id}) missing")
            continue
        if coco.imgs[image_id]["file_name"] != rec["files"]["image"]:
            report.problems.append(f"{name}: image {image_id} file_name differs from the record")
        anns = coco.loadAnns(coco.getAnnIds(imgIds=[image_id]))
        by_inst = {a["instance_id"]: a for a in anns}
        if len(anns) != len(rec["instances"]):
            report.problems.append(
                f"{name}: {rec['name']} has {len(anns)} annotations, record {len(rec['instances'])}"
            )
        for inst in rec["instances"]:
            a = by_inst.get(inst["id"])
            where = f"{name}: {rec['name']} instance {inst['id']}"
            if a is None:
                report.problems.append(f"{where}: missing")
                continue
            if a["iscrowd"] != int(bool(inst.get("ignore"))):
                report.problems.append(
                    f"{where}: iscrowd {a['iscrowd']} but record ignore={inst.get('ignore')}"
                )
            if a["category_id"] not in cat_ids:
                report.problems.append(f"{where}: category {a['category_id']} not in categories")
            rle = coco.annToRLE(a)
            area = int(mask_utils.area(rle))
            bbox = [int(round(v)) for v in mask_utils.toBbox(rle)]
            if area != a["area"] or area != inst["area"]:
                report.problems.append(f"{where}: area {a['area']} != decoded mask pixels {area}")
            if bbox != [int(v) for v in a["bbox"]]:
                report.problems.append(f"{where}: bbox {a['bbox']} != decoded mask bounds {bbox}")
            x0, y0, x1, y1 = inst["bbox"]
            if bbox != [x0, y0, x1 - x0, y1 - y0]:
                report.problems.append(f"{where}: bbox differs from the record")


def _check_yolo(out: Path, rec: dict[str, Any], report: VerifyReport, seg: bool = False) -> None:
    """Detect rows (``seg`` false) are boxes equal to the record's; segment rows are polygons of >= 3 distinct
    points whose bounds are the record's box (Ultralytics reads a row of 2 points, 4 numbers, as a box)."""
    path = capped(record_file(out, rec, "yolo", rec["name"]), f"{rec['name']}: files.yolo")
    rows = [r.split() for r in path.read_text(encoding="ascii").splitlines()]
    labeled = [i for i in rec["instances"] if not i.get("ignore")]  # YOLO has no ignore region: no row
    if len(rows) != len(labeled):
        report.problems.append(f"{path.name}: {len(rows)} rows, record has {len(labeled)} labeled instances")
        return
    w, h = rec["width"], rec["height"]
    tol = 1e-5 * max(w, h) + 1e-6
    for row, inst in zip(rows, labeled, strict=True):
        cls = int(row[0])
        vals = np.array([float(v) for v in row[1:]])
        if cls != inst["class_id"] - 1:
            report.problems.append(f"{path.name}: class {cls} != record class {inst['class_id'] - 1}")
        if len(vals) == 4 and not seg:
            cx, cy, bw, bh = vals
            got = [(cx - bw / 2) * w, (cy - bh / 2) * h, (cx + bw / 2) * w, (cy + bh / 2) * h]
            if np.abs(np.array(got) - np.array(inst["bbox"])).max() > tol:
                report.problems.append(
                    f"{path.name}: box {np.round(got, 2).tolist()} != record {inst['bbox']}"
                )
        elif len(vals) < 6 or len(vals) % 2:
            report.problems.append(f"{path.name}: malformed row for instance {inst['id']}")
        elif not np.all((vals >= 0) & (vals <= 1)):
            report.problems.append(f"{path.name}: polygon outside [0,1] for instance {inst['id']}")
        else:
            pts = vals.reshape(-1, 2) * (w, h)
            if len(np.unique(np.round(pts, 3), axis=0)) < 3:
                report.problems.append(
                    f"{path.name}: polygon of instance {inst['id']} has < 3 distinct points"
                )
            got = [*pts.min(axis=0), *pts.max(axis=0)]
            if np.abs(np.array(got) - np.array(inst["bbox"])).max() > tol:
                report.problems.append(
                    f"{path.name}: polygon bounds {np.round(got, 2).tolist()} != record box {inst['bbox']}"
                )


def _written_record(
    out: Path, path: Path, name: str, digests: dict[str, str | None], report: VerifyReport
) -> dict[str, Any] | None:
    """The record, checked against its seal, and every file it names against the sha256 it recorded when the file
    was written (records of older versions hold neither: only the manifest vouches for them). None: unreadable."""
    data = path.read_bytes()
    rec, why = unseal(data)
    if rec is None:
        try:
            rec = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            report.problems.append(f"{name}: {why}")
            return None
        if SEAL in rec:
            report.problems.append(f"{name}: {why}")
    for rel, digest in sorted((rec.get("sha256") or {}).items()):
        if rel in digests and digests[rel] is None:
            continue  # reported missing above
        if rel not in digests:
            p = inside(out, rel, f"{name}: sha256")
            digests[rel] = sha256(capped(p, f"{name}: {rel}")) if p.is_file() else None
        got = digests[rel]
        if got is None:
            report.problems.append(f"{name}: {rel} is missing")
        elif got != digest:
            report.problems.append(f"{name}: {rel} does not match the sha256 recorded when it was written")
    return rec


def verify(out: str | Path) -> VerifyReport:
    """Check a dataset folder; the report lists every problem found (empty = consistent)."""
    out = Path(out)
    manifest_path = out / "manifest.json"
    if not manifest_path.is_file():
        raise UserError(
            f"{out}: value '{out}' — not a simvision dataset (no manifest.json); run `simvision generate`"
        )
    manifest = read_json(manifest_path, str(manifest_path), MAX_FILE_BYTES)
    report = VerifyReport()
    records = []
    for entry in manifest["samples"]:
        digests: dict[str, str | None] = {}  # each file hashed once for both checks
        try:  # a path that leaves the dataset, or a device or oversized file, is a problem, never read
            for rel, digest in entry["sha256"].items():
                p = inside(out, rel, f"manifest.json: {entry['name']}: sha256")
                digests[rel] = sha256(capped(p, f"{entry['name']}: {rel}")) if p.is_file() else None
                if digests[rel] is None:
                    report.problems.append(f"{entry['name']}: {rel} is missing")
                elif digests[rel] != digest:
                    report.problems.append(
                        f"{entry['name']}: {rel} does not match its sha256 in manifest.json"
                    )
            rec_path = record_path(out, entry["name"], "manifest.json: samples[].name")
            if not rec_path.is_file():
                continue
            rec = _written_record(out, capped(rec_path, str(rec_path)), entry["name"], digests, report)
        except UserError as err:
            report.problems.append(f"{entry.get('name')}: cannot be checked: {err}")
            continue
        if rec is None:
            continue
        records.append(rec)
        report.samples += 1
        try:
            _check_record(out, rec, report)
            if "yolo" in rec["files"]:
                _check_yolo(out, rec, report, seg="yolo-seg" in manifest.get("formats", []))
        except (FileNotFoundError, ValueError, KeyError, UserError) as err:
            report.problems.append(f"{entry['name']}: cannot be checked: {err!r}")
    if any("video_id" in r for r in records):  # clips: flow, tracks and velocities
        from simvision.quality.verify_clips import check_clips

        try:
            check_clips(out, records, report.problems)
        except (FileNotFoundError, ValueError, KeyError) as err:
            report.problems.append(f"clips cannot be checked: {err!r}")
    excluded = {e["index"] for e in manifest.get("excluded", [])}  # near-duplicates dropped by --dedupe
    kept = [r for r in records if r["index"] not in excluded]
    if "coco" in manifest["formats"]:
        parts = {"coco.json": kept}
        for s in manifest.get("splits", {}):
            parts[f"coco_{s}.json"] = [r for r in kept if r.get("split") == s]
        for name, recs in parts.items():
            try:  # split names come from the manifest
                inside(out, name, "manifest.json: splits")
            except UserError as err:
                report.problems.append(f"{name}: cannot be checked: {err}")
                continue
            if (out / name).is_file():
                _check_coco(out, recs, report, name)
            else:
                report.problems.append(f"{name} is missing")
    return report
