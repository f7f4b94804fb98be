"""One-document formats (CORD, SROIE) for an image of several documents: one row per document, on its own crop.

A record whose instances carry a ``receipt`` column (a photo of several receipts) becomes, per receipt, a record
of that receipt alone on the image cut to its paper's box (the box of its visible paper pixels, which holds every
visible pixel of its print): its instances shifted into the crop, and the text of the other receipts that shows
inside the crop as ``ignore`` regions (reason ``other_receipt``, outlined by the box of their visible pixels), each
on a line of its own, so that the one-receipt writers give it to their format as the "do not care" region it is
(SROIE ``###``, CORD ``dontcare``) and never as a field of this receipt. A printed line of the receipt that such
text crosses is ignored too (reason ``other_receipt``): any box around it would take in text that is not its own.
Its ``key_fields`` are read from its legible words in the crop (the record's own, less those lines). The crop is the photo's own pixels (PNG, no second
compression).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import cv2
import numpy as np

from simvision.io import PNG_IDS
from simvision.rle import decode

Record = Mapping[str, Any]
DOC = "receipt"  # the instance column naming each instance's document
OTHER = "other_receipt"  # the ignore reason of another document's text inside a crop
LINE_STRIDE = 1_000_000  # other documents' lines are moved this far per document, so no line mixes two
PIECE_GAP = (
    3  # px: pixels of another document's word closer than this are one piece of it (letters of a word)
)


def documents(record: Record) -> list[int] | None:
    """The document numbers of a record of several documents, in order; None for a one-document record."""
    ks = {int(i[DOC]) for i in record["instances"] if DOC in i}
    return sorted(ks) if ks else None


def crop_box(record: Record, k: int) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1), exclusive max: the box of document ``k``'s visible pixels (its paper, its print, anything
    on it)."""
    boxes = np.array([i["bbox"] for i in record["instances"] if i.get(DOC) == k and i["area"] > 0], np.int64)
    return (int(boxes[:, 0].min()), int(boxes[:, 1].min()), int(boxes[:, 2].max()), int(boxes[:, 3].max()))


def crop_name(record: Record, k: int) -> str:
    return f"{record['name']}_r{k}"


def _shift_points(points: Any, x0: int, y0: int, clip: tuple[int, int] | None = None) -> Any:
    if points is None:
        return None
    p = np.asarray(points, np.float64) - (x0, y0)
    if clip is not None:
        p = np.clip(p, 0, clip)
    return np.round(p, 2).tolist()


def _overlaps(bbox: list[int], box: tuple[int, int, int, int]) -> bool:
    return bbox[0] < box[2] and bbox[2] > box[0] and bbox[1] < box[3] and bbox[3] > box[1]


def _shifted(inst: Mapping[str, Any], box: tuple[int, int, int, int], piece: list[int] | None = None) -> dict:
    """``inst`` in crop coordinates. ``piece``: one visible piece of a word another paper covers in part (its pixel
    box in the crop, XYXY exclusive), which then outlines it (the word's quad runs on under that paper); a piece
    of another document's word is moved to a line of its own and ignored."""
    x0, y0, _, _ = box
    row = {k: v for k, v in inst.items() if k not in ("rle", "polygon")}
    if piece is None:
        row["bbox"] = (np.asarray(inst["bbox"], np.int64) - (x0, y0, x0, y0)).tolist()
        row["quad"] = _shift_points(inst.get("quad"), x0, y0)
        if "polygon" in inst:
            row["polygon"] = _shift_points(inst["polygon"], x0, y0)
        if "chars" in inst:
            row["chars"] = [{**c, "quad": _shift_points(c["quad"], x0, y0)} for c in inst["chars"]]
        return row
    row.pop("chars", None)
    a, b, c, d = (float(v) for v in piece)
    row.update(bbox=list(piece), quad=[[a, b], [c, b], [c, d], [a, d]], piece=True)
    return row


def _foreign(row: dict[str, Any]) -> dict[str, Any]:
    """Another document's text in the crop: an ignore region on a line of its own, in no key field."""
    row.update(ignore=True, ignore_reason=OTHER, category="other", group=-1)
    row["line"] = LINE_STRIDE * (1 + int(row[DOC])) + int(row.get("line", 0))
    return row


def _is_text(inst: Mapping[str, Any]) -> bool:
    return (
        bool(inst.get("text")) and inst["class"] in ("word", "handwriting") and inst.get("quad") is not None
    )


def _crossed_lines(rows: list[dict[str, Any]]) -> set[int]:
    """The printed lines of the crop's own document that another document's visible text crosses (its pixel box
    meets the line's rotated rectangle): a box around such a line would take in text that is not its own."""
    foreign = [np.array(r["quad"], np.float32) for r in rows if r.get("ignore_reason") == OTHER]
    if not foreign:
        return set()
    lines: dict[int, list[Any]] = {}
    for r in rows:
        if r.get("ignore_reason") != OTHER and _is_text(r):
            lines.setdefault(int(r["line"]), []).extend(r["quad"])
    crossed = set()
    for line, pts in lines.items():
        rect = cv2.boxPoints(cv2.minAreaRect(np.array(pts, np.float32))).astype(np.float32)
        if any(cv2.intersectConvexConvex(rect, f)[0] > 0 for f in foreign):
            crossed.add(line)
    return crossed


def _key_fields(rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Key fields of the crop's rows as the receipt kind reads them off an image: per category, the texts of its
    (line, group) runs of legible words, in print order."""
    runs: dict[tuple[str, int, int], list[str]] = {}
    for r in rows:
        cat = r.get("category", "other")
        if cat != "other" and not r.get("ignore"):
            runs.setdefault((cat, int(r["line"]), int(r["group"])), []).append(r["text"])
    out: dict[str, list[str]] = {}
    for (cat, _, _), words in sorted(runs.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        out.setdefault(cat, []).append(" ".join(words))
    return out


def _pieces(inst: Mapping[str, Any], record: Record, box: tuple[int, int, int, int]) -> list[list[int]]:
    """The pixel boxes (crop coordinates, XYXY exclusive) of the pieces of another document's word that show in the
    crop: a word this document's paper cuts in two shows as two pieces, and one box around both would cover the
    print between them."""
    x0, y0, x1, y1 = box
    mask = decode(inst["rle"], record["height"], record["width"])[y0:y1, x0:x1].astype(np.uint8)
    if not mask.any():
        return []
    joined = cv2.dilate(mask, np.ones((2 * PIECE_GAP + 1, 2 * PIECE_GAP + 1), np.uint8))
    n, labels = cv2.connectedComponents(joined, connectivity=8)
    out = []
    for c in range(1, n):
        ys, xs = np.nonzero((labels == c) & (mask != 0))
        if len(xs):
            out.append([int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1])
    return out


def crop_record(record: Record, k: int) -> dict[str, Any]:
    """The record of document ``k`` alone on its crop (see the module docstring)."""
    box = crop_box(record, k)
    x0, y0, x1, y1 = box
    rows = []
    for inst in record["instances"]:
        if inst.get(DOC) == k and not (_is_text(inst) and inst.get("ignore_reason") == "occluded"):
            rows.append(_shifted(inst, box))
        elif (
            inst.get(DOC) == k
        ):  # its visible pieces: the rest of its quad may lie under another paper's text
            rows += [_shifted(inst, box, piece) for piece in _pieces(inst, record, box)]
        elif _is_text(inst) and inst["area"] > 0 and _overlaps(inst["bbox"], box):
            rows += [_foreign(_shifted(inst, box, piece)) for piece in _pieces(inst, record, box)]
    crossed = _crossed_lines(rows)
    for r in rows:
        if (
            r.get("ignore_reason") != OTHER
            and _is_text(r)
            and int(r["line"]) in crossed
            and not r.get("ignore")
        ):
            r.update(ignore=True, ignore_reason=OTHER)
    name = crop_name(record, k)
    return {
        **record,
        "name": name,
        "width": x1 - x0,
        "height": y1 - y0,
        "instances": rows,
        "key_fields": _key_fields(rows),
        "spec": _own_spec(record.get("spec"), k),
        "files": {**record["files"], "image": f"images/{name}.png"},
        "crop": {"of": record["name"], DOC: k, "box": list(box)},
    }


def _own_spec(spec: Any, k: int) -> Any:
    """Document ``k``'s own spec: a photo's spec is its first document's, holding the later ones in ``others``."""
    if not isinstance(spec, Mapping) or "others" not in spec:
        return spec
    return {key: v for key, v in spec.items() if key != "others"} if k == 0 else spec["others"][k - 1]


def crops(record: Record) -> list[dict[str, Any]]:
    """The crop records of a record of several documents (one per document); the record itself otherwise."""
    ks = documents(record)
    return [dict(record)] if ks is None else [crop_record(record, k) for k in ks]


def crop_png(image: bytes, box: tuple[int, int, int, int]) -> bytes:
    """The pixels of ``box`` (x0, y0, x1, y1) of an encoded image, as PNG."""
    full = cv2.imdecode(np.frombuffer(image, np.uint8), cv2.IMREAD_UNCHANGED)
    x0, y0, x1, y1 = box
    ok, buf = cv2.imencode(".png", np.ascontiguousarray(full[y0:y1, x0:x1]), PNG_IDS[:2])
    if not ok:
        raise RuntimeError(f"could not encode the crop {box}")
    return buf.tobytes()
