"""SROIE (ICDAR 2019) files from receipt records: ``sroie/box/<name>.txt`` with one text segment per line
(``x1,y1,x2,y2,x3,y3,x4,y4,text``: the smallest rotated rectangle around the segment's word quads, clockwise from
top-left) and ``sroie/key/<name>.txt`` (JSON: company, date, address, total, as printed on the receipt).

A segment is cut as SROIE's annotators cut text: a run of consecutive words of one printed line, broken only
where the line has a gap wider than :data:`GAP_PITCHES` characters (between columns). Key-field categories play
no part, so a label and its value one space apart ("DATE: 07/02/2026") share a box, and a box never spans a word
that is not in its text. The key file's values are printed text too: a field printed over several lines (the
address) is its lines joined by one space, punctuation as printed, so every value is a substring of the box texts
read in order (SROIE task 3 scores exact string matches). A handwritten word (a tip or total written in by pen) is a
segment of its own; where a total was written in, the key file's total is that written total (what was paid). Words the record marks ``ignore`` (illegible after degradation) form segments of their own,
transcribed ``###`` (the ICDAR "do not care" region); the key file holds only legible values.
A photo of several receipts gives one SROIE sample per receipt (``<name>_r<k>``), on the receipt's own crop
(``sroie/img/<name>_r<k>.png``, see :mod:`~simvision.writers.crops`): the other receipts' text inside it is ``###``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import cv2
import numpy as np

from simvision.labels import order_quad_clockwise
from simvision.writers.crops import crop_png, crops

DONT_CARE = (
    "###"  # ICDAR's transcription of an illegible region: its evaluation neither rewards nor penalises it
)
KEYS = {"company": "store.name", "date": "store.date", "address": "store.addr", "total": "total.total_price"}
#: A gap wider than this many character pitches ends a segment. Words of one printed string are one space apart
#: and a label flowed before its value one column apart (1 pitch in a monospace face); table columns are further.
GAP_PITCHES = 2.5

Word = Mapping[str, Any]


def _runs(words: Sequence[Word]) -> list[list[Word]]:
    """The words of one printed line cut into SROIE segments, in reading order."""
    quads = np.array(
        [w["quad"] for w in words], np.float64
    )  # (N, 4, 2) advance boxes, clockwise from top-left
    along = (quads[:, 1] - quads[:, 0]) + (quads[:, 2] - quads[:, 3])
    u = along.sum(axis=0)
    # the line's direction (rotation, perspective and curling included)
    u /= max(float(np.linalg.norm(u)), 1e-9)
    start = (quads[:, [0, 3]] @ u).mean(axis=1)
    end = (quads[:, [1, 2]] @ u).mean(axis=1)
    order = np.argsort((start + end) / 2, kind="stable")
    # A monospace face's pitch is a word's advance over its characters: the same for every word of the line.
    pitch = float(np.median([(end[i] - start[i]) / max(len(words[i]["text"]), 1) for i in order]))
    runs: list[list[Word]] = [[words[order[0]]]]
    for prev, cur in zip(order, order[1:], strict=False):
        legibility_changes = bool(words[prev].get("ignore")) != bool(words[cur].get("ignore"))
        if start[cur] - end[prev] > GAP_PITCHES * pitch or legibility_changes:
            runs.append([])
        runs[-1].append(words[cur])
    return runs


def segments(record: Mapping[str, Any]) -> list[tuple[np.ndarray, str]]:
    """(quad (4, 2) float32 clockwise from top-left, text) of every segment, line by line in print order."""
    lines: dict[int, list[Word]] = {}
    hand: dict[int, list[Word]] = {}  # handwritten words: each its own segment, after the print of its line
    for inst in record["instances"]:
        if inst["class"] == "word" and inst["quad"] is not None:
            lines.setdefault(inst["line"], []).append(inst)
        elif inst["class"] == "handwriting" and inst.get("text") and inst["quad"] is not None:
            hand.setdefault(inst["line"], []).append(inst)
    out = []
    for line in sorted(lines.keys() | hand.keys()):
        for words in _runs(lines[line]) if line in lines else []:
            pts = np.array([p for w in words for p in w["quad"]], np.float32)
            quad = order_quad_clockwise(cv2.boxPoints(cv2.minAreaRect(pts)))
            illegible = bool(words[0].get("ignore"))  # a run is all legible or all not
            out.append((quad, DONT_CARE if illegible else " ".join(w["text"] for w in words)))
        for w in hand.get(line, []):
            quad = order_quad_clockwise(np.array(w["quad"], np.float32))
            out.append((quad, DONT_CARE if w.get("ignore") else w["text"]))
    return out


def box_file(record: Mapping[str, Any]) -> str:
    lines = []
    for quad, text in segments(record):
        coords = ",".join(str(int(round(v))) for v in quad.ravel())
        lines.append(f"{coords},{text}")
    return "".join(line + "\n" for line in lines)


def key_file(record: Mapping[str, Any]) -> str:
    kf = record["key_fields"]
    doc = {key: " ".join(kf.get(cat, [])) for key, cat in KEYS.items()}
    written = [
        i["text"]
        for i in record["instances"]
        if i["class"] == "handwriting" and i.get("category") == KEYS["total"] and not i.get("ignore")
    ]
    if written:  # a total written in by pen (printed total + a written tip) is what was paid
        doc["total"] = written[-1]
    return json.dumps(doc, ensure_ascii=False, indent=4) + "\n"


def entry_files(record: Mapping[str, Any], image: bytes = b"") -> dict[str, bytes]:
    """The box and key files; for a photo of several receipts, those of each receipt on its crop, and the crop
    (``sroie/img/<name>_r<k>.png``)."""
    out = {}
    for r in crops(record):
        name = r["name"]
        if "crop" in r:
            out[f"sroie/img/{name}.png"] = crop_png(image, r["crop"]["box"])
        out[f"sroie/box/{name}.txt"] = box_file(r).encode("utf-8")
        out[f"sroie/key/{name}.txt"] = key_file(r).encode("utf-8")
    return out


def names(record: Mapping[str, Any]) -> list[str]:
    """The SROIE sample names of a record: its own, or one per receipt of a photo of several."""
    return [r["name"] for r in crops(record)]
