"""SROIE (ICDAR 2019) files from receipt records: ``sroie/box/<name>.txt`` with one text segment per line
(``x1,y1,x2,y2,x3,y3,x4,y4,text``: the smallest rotated rectangle around the segment's word quads, clockwise from
top-left) and ``sroie/key/<name>.txt`` (JSON: company, date, address, total, as printed on the receipt).

A segment is a run of words on one printed line with the same key-field group (a shop name, an item's name, a
price), as SROIE annotates them. Words the record marks ``ignore`` (illegible after degradation) form their own
segments, transcribed ``###`` (the ICDAR "do not care" region); the key file holds only legible values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import cv2
import numpy as np

from simvision.labels import order_quad_clockwise

DONT_CARE = (
    "###"  # ICDAR's transcription of an illegible region: its evaluation neither rewards nor penalises it
)
KEYS = {"company": "store.name", "date": "store.date", "address": "store.addr", "total": "total.total_price"}


def segments(record: Mapping[str, Any]) -> list[tuple[np.ndarray, str]]:
    runs: dict[tuple[int, int, str], list[Mapping[str, Any]]] = {}
    for inst in record["instances"]:
        if inst["class"] == "word" and inst["quad"] is not None:
            key = (inst["line"], inst["group"], inst.get("category", "other"), bool(inst.get("ignore")))
            runs.setdefault(key, []).append(inst)
    out = []
    for key in sorted(runs, key=lambda k: (k[0], min(w["bbox"][0] for w in runs[k]))):
        words = sorted(runs[key], key=lambda w: w["bbox"][0])
        pts = np.array([p for w in words for p in w["quad"]], np.float32)
        quad = order_quad_clockwise(cv2.boxPoints(cv2.minAreaRect(pts)))
        out.append((quad, DONT_CARE if key[3] else " ".join(w["text"] for w in words)))
    return out


def box_file(record: Mapping[str, Any]) -> str:
    lines = []
    for quad, text in segments(record):
        coords = ",".join(str(int(round(v))) for v in quad.ravel())
        lines.append(f"{coords},{text}")
    return "".join(line + "\n" for line in lines)


def key_file(record: Mapping[str, Any]) -> str:
    kf = record["key_fields"]
    doc = {key: (", " if key == "address" else " ").join(kf.get(cat, [])) for key, cat in KEYS.items()}
    return json.dumps(doc, ensure_ascii=False, indent=4) + "\n"


def entry_files(record: Mapping[str, Any]) -> dict[str, bytes]:
    name = record["name"]
    return {
        f"sroie/box/{name}.txt": box_file(record).encode("utf-8"),
        f"sroie/key/{name}.txt": key_file(record).encode("utf-8"),
    }
