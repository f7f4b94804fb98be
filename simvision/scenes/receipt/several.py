"""Several receipts in one photo (``params.receipts`` above 1): each its own paper, content and placement.

Sampling: the photo's frame is cut into as many vertical strips as it holds receipts, neighbours reaching into each
other by ``params.overlap`` of a strip's width; each receipt is drawn whole (its own child RNG) and fitted into its
strip, in a random one of them. Rendering: the receipts are laid on the table in spec order, each over the photo so
far, so a later paper (and a hand on it) hides what it covers of the earlier ones. Its id maps take over exactly
the pixels its paper and hands cover: an earlier receipt's word loses those pixels and nothing else, its
``visible_fraction`` says how much of it is left, a word left below the legible share is ``ignore``d
(``occluded``, and with it the rest of its key-field value: a total half hidden is no total), and one left with no
pixel is dropped (``meta.dropped``, as a word under a hand is). Every instance
names its paper in the ``receipt`` column (0 = the first, lowest one); key fields are read per receipt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from simvision.canvas import Canvas
from simvision.labels import layered_boxes_and_areas
from simvision.rng import child_seed
from simvision.scenes.receipt.config import ReceiptParams
from simvision.scenes.receipt.hands import LEGIBLE_VISIBLE
from simvision.scenes.receipt.key_fields import rest_of_values
from simvision.scenes.receipt.render import CLASS_ID, render_receipt
from simvision.scenes.receipt.spec import ReceiptSpec
from simvision.types import Instances, Sample

Slot = tuple[int, int, int, int]
#: Instance columns only some receipts have, and what a receipt without one means by it.
OPTIONAL_COLUMNS: dict[str, tuple[object, type | str]] = {
    "ink": (None, object),
    "visible_fraction": (1.0, np.float32),
    "ignore": (False, bool),
    "ignore_reason": (None, object),
}
ALWAYS = ("visible_fraction", "ignore", "ignore_reason")  # columns every photo of several receipts has
RECEIPT = "receipt"  # the instance column naming each instance's paper


#: The formats a photo of several receipts is refused for, and why. The dewarp format maps every image pixel to
#: one flat page, and a page under another has no such map. (CORD and SROIE, one-receipt benchmarks, give one row
#: per receipt on its own crop instead: see :mod:`simvision.writers.crops`.)
REFUSED = {"dewarp": "the dewarp format maps each image to one flat page"}


def refused_formats(params: ReceiptParams) -> dict[str, str]:
    """The formats ``params`` rule out, each with why: with ``receipts`` above 1, the one-page formats."""
    if not params.several:
        return {}
    allowed = "params.receipts: {min: 1, max: 1}"
    return {
        f: f"{why}, and params.receipts (max {params.receipts.max}) puts several receipts in a photo; use "
        f"coco, yolo, cord or sroie (one row per receipt on its crop), or {allowed}"
        for f, why in REFUSED.items()
    }


def strips(frame: Slot, n: int, overlap: float) -> list[Slot]:
    """``n`` strips of ``frame`` (x0, y0, w, h) side by side, full height, each reaching ``overlap`` of its width
    into its neighbour's, together spanning the frame."""
    fx, fy, fw, fh = frame
    w = fw / (n - (n - 1) * overlap)
    return [(int(round(fx + k * w * (1 - overlap))), fy, int(w), fh) for k in range(n)]


def sample_several(
    rng: np.random.Generator,
    params: ReceiptParams,
    canvas: Canvas,
    sample_one: Callable[[np.random.Generator, ReceiptParams, Canvas, Slot], ReceiptSpec],
) -> ReceiptSpec:
    """The first receipt's spec, holding the rest in ``others`` (every one with its strip in ``slot``)."""
    n = params.receipts.sample(rng)
    places = strips(canvas.frame, n, params.overlap.sample(rng))
    order = rng.permutation(n).tolist()  # which strip each receipt, in laying order, takes
    seeds = [child_seed(rng) for _ in range(n)]  # each receipt draws from its own stream
    specs = [
        sample_one(np.random.default_rng(s), params, canvas, places[k])
        for s, k in zip(seeds, order, strict=True)
    ]
    return specs[0].model_copy(update={"others": tuple(specs[1:])})


def papers(spec: ReceiptSpec) -> tuple[ReceiptSpec, ...]:
    """Every receipt of the photo as its own spec, in laying order (the first, lowest, one first)."""
    return (spec.model_copy(update={"others": ()}), *spec.others)


def render_photo(spec: ReceiptSpec) -> Sample:
    """Render a receipt photo: one receipt as :func:`render_receipt` does, several laid over each other."""
    if spec.slot is None:
        return render_receipt(spec)
    parts: list[Sample] = []
    for one in papers(spec):
        parts.append(render_receipt(one, parts[-1].image if parts else None))
    return merge(parts)


def _columns(parts: list[Instances]) -> dict[str, np.ndarray]:
    """The parts' instance columns stacked (a column some parts lack takes its :data:`OPTIONAL_COLUMNS` value)."""
    keys = sorted(set().union(*(p.attrs for p in parts), ALWAYS))
    out = {}
    for key in keys:
        cols = []
        for p in parts:
            if key in p.attrs:
                cols.append(p.attrs[key])
            else:
                value, dtype = OPTIONAL_COLUMNS[key]
                cols.append(np.full(len(p), value, dtype))
        out[key] = np.concatenate(cols)
    return out


def merge(parts: list[Sample]) -> Sample:
    """One sample of receipts rendered in laying order (each over the image of the ones before): the later paper's
    ids take over every pixel it covers, on every layer; labels are taken again from the merged maps."""
    h, w = parts[0].image.shape[:2]
    maps = np.zeros((max(p.maps.shape[0] for p in parts), h, w), np.int32)
    shifted, dropped, offset = [], [], 0
    for k, p in enumerate(parts):
        cover = p.maps[0] != 0  # this paper and the hands on it: everything under them is hidden
        maps[:, cover] = 0
        for layer, ids in enumerate(p.maps):
            on = ids != 0
            maps[layer][on] = ids[on] + offset
        inst = p.instances
        shifted.append(replace(inst, instance_id=(inst.instance_id + offset).astype(np.int32)))
        dropped += [{**d, "instance_id": d["instance_id"] + offset, RECEIPT: k} for d in p.meta["dropped"]]
        offset += max(
            int(inst.instance_id.max(initial=0)), *(int(d["instance_id"]) for d in p.meta["dropped"]), 0
        )
    attrs = _columns(shifted)
    own = np.concatenate([layered_boxes_and_areas(p.maps, p.instances.instance_id, p.instances.layer)[1]
                          for p in parts])  # fmt: skip
    ids = np.concatenate([i.instance_id for i in shifted])
    layer = np.concatenate([i.layer for i in shifted])
    class_id = np.concatenate([i.class_id for i in shifted])
    text = tuple(t for i in shifted for t in i.text)
    boxes, areas = layered_boxes_and_areas(maps, ids, layer)
    attrs[RECEIPT] = np.concatenate([np.full(len(i), k, np.int32) for k, i in enumerate(shifted)])
    visible = attrs["visible_fraction"].astype(np.float64) * areas / np.maximum(own, 1)
    attrs["visible_fraction"] = visible.round(4).astype(np.float32)
    readable = (class_id == CLASS_ID["word"]) | (
        (class_id == CLASS_ID["handwriting"]) & np.array([bool(t) for t in text])
    )
    cut = readable & (visible < LEGIBLE_VISIBLE) & ~attrs["ignore"]
    cut |= rest_of_values(attrs, cut) & ~attrs["ignore"]
    attrs["ignore"] = attrs["ignore"] | cut
    attrs["ignore_reason"] = np.where(cut, "occluded", attrs["ignore_reason"]).astype(object)
    quads = np.concatenate([i.quads for i in shifted])
    inst = Instances(ids, class_id, layer, boxes, quads, text, attrs)
    hidden = areas == 0
    dropped += [
        {
            "instance_id": int(ids[r]),
            "text": text[r],
            "reason": "hidden under a later receipt",
            RECEIPT: int(k),
        }
        for r, k in zip(np.flatnonzero(hidden).tolist(), attrs[RECEIPT][hidden].tolist(), strict=True)
    ]
    meta = {
        "dropped": dropped,
        "receipts": [
            {"font_px_used": p.meta["font_px_used"], "paper_size": p.meta["paper_size"]} for p in parts
        ],
    }
    return Sample(
        image=parts[-1].image,
        maps=maps,
        instances=inst[~hidden],
        classes=parts[0].classes,
        meta=meta,
        backdrop=parts[0].backdrop,
        page=None,  # several pages: no one flat page to dewarp to (the dewarp format is refused)
    )
