"""The per-sample record: a JSON document holding everything known about one sample.

``sample_to_record`` is pure; the record holds the scene name, seed, index, the whole sampled spec, every label
(box, exact RLE mask, area, quad, text, attributes) and the names of the files written beside it. Dataset-level files
(COCO, YOLO ``data.yaml``, manifest) are assembled from records alone.

The record is a sample's commit marker, written last: ``sha256`` holds the digest of every other file of the sample,
taken from the bytes as they were written, and ``seal`` the digest of the record itself (its canonical JSON without
``seal``). A resumed run and ``verify`` trust a sample only as far as these vouch for it.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import metadata
from typing import Any

import numpy as np

from simvision.augment.carry import CHAR_QUADS, LINE_QUAD
from simvision.rle import encode_crop, encode_layer
from simvision.types import Sample

RECORD_VERSION = 1
_VERSIONED = ("simvision", "numpy", "opencv-python-headless", "pillow", "pycocotools", "faker", "scipy")


@cache
def versions() -> dict[str, str]:
    """Versions of the packages whose output bytes a dataset depends on (read once per process)."""
    out = {}
    for name in _VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _jsonable(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v


def _column(values: np.ndarray) -> list[Any]:
    """An attribute column as JSON-ready Python values (numeric arrays convert in one call)."""
    return [_jsonable(v) for v in values.tolist()] if values.dtype == object else values.tolist()


def _rounded_array(points: np.ndarray) -> list[Any]:
    """``points`` (any shape) as nested lists of ``round(x, 2)``. Float32 values take one numpy pass with the same
    result: x * 100 is exact in float64 for a float32 x, ``rint`` rounds that exact value half to even as ``round``
    does, and the division gives the double nearest to the rounded decimal, as ``round`` returns it."""
    if points.dtype == np.float32:
        return (np.rint(points.astype(np.float64) * 100) / 100).tolist()
    if points.ndim == 1:
        return [round(x, 2) for x in points.tolist()]
    return [_rounded_array(p) for p in points]


def _rounded_rows(column: np.ndarray) -> list[Any]:
    """:func:`_rounded_array` of each array of an object column (None stays None), the float32 (K,4,2) arrays
    rounded in one pass."""
    arrays = [a for a in column if a is not None]
    if not arrays or any(a.dtype != np.float32 or a.shape[1:] != (4, 2) for a in arrays):
        return [None if a is None else _rounded_array(a) for a in column]
    flat = iter(_rounded_array(np.concatenate(arrays)))
    return [None if a is None else [next(flat) for _ in range(len(a))] for a in column]


def _rles_and_areas(sample: Sample) -> dict[tuple[int, int], tuple[str, int]]:
    """(layer, id) -> (compressed RLE, area) of every instance, from one scan of each layer's id map."""
    inst = sample.instances
    h, w = sample.image.shape[:2]
    out = {}
    for k in np.unique(inst.layer).tolist():
        rows = inst.layer == k
        # boxes are the exact bounds of the map pixels, so their union holds every pixel of the layer's instances
        boxes = inst.boxes[rows].astype(np.int64)
        (x0, y0), (x1, y1) = boxes[:, :2].min(axis=0), boxes[:, 2:].max(axis=0)
        found = encode_layer(sample.maps[k][y0:y1, x0:x1], inst.instance_id[rows], int(x0), int(y0), h, w)
        out.update({(k, i): v for i, v in found.items()})
    return out


def instance_rows(sample: Sample) -> list[dict[str, Any]]:
    """One dict per instance: id, class, layer, box (XYXY, exclusive max), area, RLE, quad, text, attributes, and
    ``ignore`` (bool) with its ``ignore_reason`` (``too_faint``, ``illegible``; None when not ignored): the instance
    is exactly labeled but not a fair target (writers emit it as their format's ignore region); ``chars`` (text
    instances with character geometry) one ``{char, quad}`` per character of ``text``."""
    inst = sample.instances
    h, w = sample.image.shape[:2]
    rles = _rles_and_areas(sample)
    no_pixels = (encode_crop(np.zeros((0, 0), bool), 0, 0, h, w), 0)
    has_quad = (~np.isnan(inst.quads).any(axis=(1, 2))).tolist()
    chars = inst.attrs.get(CHAR_QUADS)
    char_quads = _rounded_rows(chars) if chars is not None else None
    attrs = {k: _column(v) for k, v in sorted(inst.attrs.items()) if k not in (CHAR_QUADS, LINE_QUAD)}
    rows = []
    columns = zip(
        inst.instance_id.tolist(),
        inst.class_id.tolist(),
        inst.layer.tolist(),
        inst.boxes.astype(np.int64).tolist(),
        _rounded_array(inst.quads),
        has_quad,
        inst.text,
        strict=True,
    )
    for r, (iid, cls, layer, box, quad, quad_ok, text) in enumerate(columns):
        rle, area = rles.get((layer, iid), no_pixels)
        row = {
            "id": iid,
            "class_id": cls,
            "class": sample.classes[cls],
            "layer": layer,
            "bbox": box,
            "area": area,
            "rle": rle,
            "quad": quad if quad_ok else None,
            "text": text,
        }
        row.update({k: v[r] for k, v in attrs.items()})
        # one flag every writer reads (COCO iscrowd, YOLO row left out, KITTI DontCare ...), never re-derived
        row["ignore"] = bool(row.get("ignore", False))
        row["ignore_reason"] = row.get("ignore_reason") if row["ignore"] else None
        if char_quads is not None and char_quads[r] is not None:
            row["chars"] = [{"char": c, "quad": q} for c, q in zip(text, char_quads[r], strict=True)]
        if inst.polygons is not None and inst.polygons[r] is not None:
            row["polygon"] = _rounded_array(inst.polygons[r])
        rows.append(row)
    return rows


def text_lines(sample: Sample) -> list[dict[str, Any]]:
    """The printed lines of the instances that carry a ``line_quad`` (grouped by their ``line`` attribute), in
    order of first appearance: ``text`` the line's labeled words joined by single spaces, ``quad`` the whole printed
    line (clockwise from top-left, moved by every warp as word quads are), ``word_ids`` the words' instance ids."""
    inst = sample.instances
    quads, line_no = inst.attrs.get(LINE_QUAD), inst.attrs.get("line")
    if quads is None or line_no is None:
        return []
    lines: dict[int, dict[str, Any]] = {}
    for r in np.flatnonzero(~np.isnan(quads).any(axis=(1, 2))).tolist():
        line = lines.setdefault(
            int(line_no[r]), {"quad": _rounded_array(quads[r]), "words": [], "word_ids": []}
        )
        line["words"].append(inst.text[r])
        line["word_ids"].append(int(inst.instance_id[r]))
    return [{"text": " ".join(v.pop("words")), "line": k, **v} for k, v in lines.items()]


def sample_to_record(
    sample: Sample, name: str, files: dict[str, Any], split: str | None = None
) -> dict[str, Any]:
    """The full record of one sample. ``files`` names the image and map files (relative to the dataset root);
    ``split`` is its dataset split (None: no splits). ``tags`` come from the generator's stats."""
    from simvision.registry import get_generator

    h, w = sample.image.shape[:2]
    meta = dict(sample.meta)
    record = {
        "record_version": RECORD_VERSION,
        "name": name,
        "scene": meta.pop("scene"),
        "generator": meta.pop("generator"),
        "seed": meta.pop("seed"),
        "index": meta.pop("index"),
        "width": w,
        "height": h,
        "files": files,
        "classes": list(sample.classes),
        "instances": instance_rows(sample),
        **({"lines": lines} if (lines := text_lines(sample)) else {}),
        "spec": meta.pop("spec"),
        "split": split,
        "stratum": meta.pop("stratum", None),
        "edge_cases": list(meta.pop("edge_cases", [])),
        "key_fields": {},  # named text fields for key information extraction; filled by kinds that have them
        "render": meta,
        "versions": versions(),
    }
    kind = get_generator(record["generator"])
    record.update(kind.record_extras(sample))
    stats = kind.stats
    record["tags"] = sorted(set(record["edge_cases"]) | set(stats.tags(record) if stats else []))
    return record


def dumps(obj: Any) -> bytes:
    """Canonical JSON bytes (sorted keys, fixed separators, UTF-8, trailing newline): byte-stable across runs."""
    return (json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


SEAL = "seal"


def sealed(record: dict[str, Any]) -> bytes:
    """The record's bytes with its ``seal``: the sha256 of its canonical JSON without the seal.

    Each top-level item is encoded once: the canonical JSON of an object with string keys is its items' encodings
    in key order, so the body's bytes (hashed) and the sealed bytes (written) are joined from the same pieces."""
    body = {k: v for k, v in record.items() if k != SEAL}
    if not all(isinstance(k, str) for k in body):
        return dumps({**body, SEAL: hashlib.sha256(dumps(body)).hexdigest()})
    items = {k: _encode(k) + ":" + _encode(v) for k, v in body.items()}
    seal = hashlib.sha256(
        ("{" + ",".join(items[k] for k in sorted(items)) + "}\n").encode("utf-8")
    ).hexdigest()
    items[SEAL] = _encode(SEAL) + ":" + _encode(seal)
    return ("{" + ",".join(items[k] for k in sorted(items)) + "}\n").encode("utf-8")


def _encode(obj: Any) -> str:
    """``obj`` as :func:`dumps` encodes it, without the newline."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def unseal(data: bytes) -> tuple[dict[str, Any] | None, str]:
    """``(record, "")`` when ``data`` is a record whose seal matches it, else ``(None, why)`` (unreadable, no seal:
    written by an older version, or changed since it was written)."""
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        return None, f"record is unreadable ({type(err).__name__})"
    if not isinstance(record, dict):
        return None, "record is not a JSON object"
    seal = record.get(SEAL)
    if seal is None:
        return None, "record holds no hashes (written by an older version)"
    body = {k: v for k, v in record.items() if k != SEAL}
    if hashlib.sha256(dumps(body)).hexdigest() != seal:
        return None, "record does not match its seal (changed since it was written)"
    return record, ""
