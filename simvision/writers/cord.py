"""CORD-v2 in the HuggingFace layout from receipt records: ``cord/<split>/metadata.jsonl`` (``file_name`` +
``ground_truth``, a JSON string with ``gt_parse``, word-level ``valid_line`` and ``meta``) beside the images.

Only CORD's own categories go in (``menu.*``, ``sub_total.*``, ``total.*``, spelled as CORD spells them);
simvision's ``store.*`` / ``payment.*`` fields have no CORD name and stay in the record. As in CORD, a key that
occurs once holds a string, a repeated one a list, and ``menu`` is a list of items (a dict when there is one).
Each image goes to its record's split folder (``--split``; ``train`` without one), as CORD ships train/dev/test;
``meta.split`` names the split as CORD does: ``val``/``validation`` become ``dev`` (other names pass unchanged).

As CORD annotates them, the label printed before a value on its line ("TOTAL", "Cash", "incl. VAT 7%") sits in
that value's ``valid_line`` with ``is_key`` 1, and stays out of ``gt_parse`` (CORD builds ``gt_parse`` from the
words with ``is_key`` 0). On item lines (those with a ``menu.nm``) nothing is a key: a quantity's "x" or an
article number is not a label. ``roi`` is the receipt paper's quad (x1,y1 top-left, clockwise), as CORD gives it. Words the record marks ``ignore`` (illegible after degradation) are in neither
``gt_parse`` nor ``valid_line``; their quads are listed in ``dontcare``.
Handwritten words (class ``handwriting`` with text: a tip and total written in by pen) are words like printed ones:
a written tip is ``sub_total.service_price`` and a written total ``total.total_price``, keyed by the printed label
of the blank they were written on. Pen marks (circles, ticks, strike-throughs, signatures: no text) are left out.
A photo of several receipts gives one row per receipt, on the receipt's own crop (``<name>_r<k>.png``, see
:mod:`~simvision.writers.crops`; ``meta.receipt`` says which): the other receipts' text inside it is ``dontcare``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from simvision.splits import split_name
from simvision.writers.crops import crop_png, crops, documents

CORD_GROUPS = ("menu", "sub_total", "total")
Word = Mapping[str, Any]
#: simvision split names CORD spells otherwise (CORD-v2's ``meta.split`` is train, dev or test)
CORD_SPLIT = {"val": "dev", "validation": "dev"}


def _is_text(inst: Word) -> bool:
    """A printed word, or a handwritten one (pen marks, which have no text, are not words)."""
    return inst["class"] == "word" or (inst["class"] == "handwriting" and bool(inst.get("text")))


def _is_cord(cat: str) -> bool:
    return cat.split(".")[0] in CORD_GROUPS


def _runs(record: Mapping[str, Any]) -> list[tuple[str, int, int, list[Word], list[Word]]]:
    """(category, line, group, key words, value words) of every run of CORD-labeled words, in print order.

    A run's key words are the unlabeled words printed before it on its line and after the previous run (none on
    item lines).
    """
    lines: dict[int, list[Word]] = {}
    for inst in record["instances"]:
        if _is_text(inst) and not inst.get("ignore"):
            lines.setdefault(inst["line"], []).append(inst)
    runs: dict[tuple[str, int, int], tuple[list[Word], list[Word]]] = {}
    for line, words in lines.items():
        item_line = any(w.get("category") == "menu.nm" for w in words)
        pending: list[Word] = []
        for w in sorted(words, key=_reading_x):
            cat = w.get("category", "other")
            if not _is_cord(cat):
                pending.append(w)
                continue
            keys, values = runs.setdefault((cat, line, w["group"]), ([], []))
            if not item_line and not values:
                keys.extend(pending)
            pending = []
            values.append(w)
    return [
        (c, ln, g, ks, vs)
        for (c, ln, g), (ks, vs) in sorted(runs.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]


def _reading_x(w: Word) -> float:
    """Position along the printed line (its quad's top edge direction; bbox left edge without a quad)."""
    if w.get("quad") is None:
        return float(w["bbox"][0])
    (x1, y1), (x2, y2) = w["quad"][0], w["quad"][1]
    dx, dy = x2 - x1, y2 - y1
    norm = max((dx * dx + dy * dy) ** 0.5, 1e-9)
    return (x1 * dx + y1 * dy) / norm


def _quad(q: Any) -> dict[str, int]:
    (x1, y1), (x2, y2), (x3, y3), (x4, y4) = q
    quad = {"x1": x1, "y1": y1, "x2": x2, "y2": y2, "x3": x3, "y3": y3, "x4": x4, "y4": y4}
    return {k: int(round(v)) for k, v in quad.items()}


def _add(d: dict[str, Any], key: str, value: str) -> None:
    if key in d:
        d[key] = [*d[key], value] if isinstance(d[key], list) else [d[key], value]
    else:
        d[key] = value


def gt_parse(record: Mapping[str, Any]) -> dict[str, Any]:
    menu: dict[int, dict[str, Any]] = {}
    out: dict[str, Any] = {}
    for cat, line, group, _, words in _runs(record):
        head, key = cat.split(".", 1)
        text = " ".join(w["text"] for w in words)
        if head == "menu":
            _add(menu.setdefault(group if group >= 0 else 10_000 + line, {}), key, text)
        else:
            _add(out.setdefault(head, {}), key, text)
    items = [menu[k] for k in sorted(menu)]
    if items:
        out["menu"] = items if len(items) > 1 else items[0]
    return out


def _quad(points: list[list[float]]) -> dict[str, int]:
    (x1, y1), (x2, y2), (x3, y3), (x4, y4) = points
    quad = {"x1": x1, "y1": y1, "x2": x2, "y2": y2, "x3": x3, "y3": y3, "x4": x4, "y4": y4}
    return {k: int(round(v)) for k, v in quad.items()}


def dontcare(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The quads of illegible words (``ignore``): printed, but not a label a model can be asked to read."""
    return [
        {"quad": _quad(i["quad"])}
        for i in record["instances"]
        if i.get("ignore") and _is_text(i) and i["quad"] is not None
    ]


def valid_line(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    lines = []
    for cat, line, group, keys, values in _runs(record):
        ws = [
            {"quad": _quad(w["quad"]), "is_key": is_key, "row_id": line, "text": w["text"]}
            for is_key, run in ((1, keys), (0, values))
            for w in run
            if w.get("quad") is not None
        ]
        lines.append(
            {"words": ws, "category": cat, "group_id": group if group >= 0 else line, "sub_group_id": 0}
        )
    return lines


def roi(record: Mapping[str, Any]) -> dict[str, int]:
    """The receipt paper's quad; empty (CORD: the whole image) when the record has none."""
    for inst in record["instances"]:
        if inst["class"] == "receipt" and inst.get("quad") is not None:
            return _quad(inst["quad"])
    return {}


def cord_split(split: str | None) -> str:
    name = split_name(split)
    return CORD_SPLIT.get(name, name)


def ground_truth(record: Mapping[str, Any]) -> dict[str, Any]:
    meta = {"version": "simvision", "split": cord_split(record.get("split")), "image_id": record["index"],
            "image_size": {"width": record["width"], "height": record["height"]}}  # fmt: skip
    if "crop" in record:  # one receipt of a photo of several: which one
        meta["receipt"] = record["crop"]["receipt"]
    return {"gt_parse": gt_parse(record), "valid_line": valid_line(record), "meta": meta, "roi": roi(record),
            "repeating_symbol": [], "dontcare": dontcare(record)}  # fmt: skip


def image_path(record: Mapping[str, Any]) -> str:
    return f"cord/{split_name(record.get('split'))}/{record['files']['image'].split('/')[-1]}"


def entry_files(record: Mapping[str, Any], image: bytes) -> dict[str, bytes]:
    """The image beside its ground truth; for a photo of several receipts, each receipt's crop (PNG)."""
    if documents(record) is None:
        return {image_path(record): image}
    return {image_path(c): crop_png(image, c["crop"]["box"]) for c in crops(record)}


def metadata_line(record: Mapping[str, Any]) -> tuple[str, bytes]:
    """The record's line of ``cord/<split>/metadata.jsonl``: ``(path, bytes)``; a photo of several receipts gives
    one line per receipt, each on its crop (CORD holds one receipt per image)."""
    rows = [
        json.dumps(
            {
                "file_name": image_path(r).split("/")[-1],
                "ground_truth": json.dumps(ground_truth(r), ensure_ascii=False),
            },
            ensure_ascii=False,
        )
        for r in crops(record)
    ]
    return f"cord/{split_name(record.get('split'))}/metadata.jsonl", "".join(r + "\n" for r in rows).encode()


def dataset_files(records: Iterable[Mapping[str, Any]]) -> dict[str, bytes]:
    """``cord/<split>/metadata.jsonl`` of every split the records fall in."""
    out: dict[str, bytes] = {}
    for r in records:
        path, line = metadata_line(r)
        out[path] = out.get(path, b"") + line
    return out
