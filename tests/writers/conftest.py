"""Receipt records for the receipt-format tests: one receipt per (receipt scene file, locale that file allows); a
photo of several receipts gives each receipt's crop record (what the CORD and SROIE writers write per receipt)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
import yaml

from simvision.record import sample_to_record
from simvision.rle import decode, encode_crop
from simvision.sample import render_sample, sample_name
from simvision.scene import default_scene_dir, parse_scene
from simvision.scenes.receipt.config import DEFAULT_LOCALES, LOCALES
from simvision.writers.crops import crops

RECEIPT_SCENES = [p for p in sorted(default_scene_dir().glob("*.yaml")) if "receipt" in p.stem]


def with_crop_masks(crop: dict[str, Any], full: dict[str, Any]) -> dict[str, Any]:
    """A crop record (one receipt of a photo of several, as the CORD and SROIE writers see it) with each instance's
    mask cut to the crop (the writers need none; the rules checked here measure against them)."""
    if "crop" not in crop:
        return crop
    x0, y0, x1, y1 = crop["crop"]["box"]
    masks = {(i["layer"], i["id"]): i["rle"] for i in full["instances"]}
    for inst in crop["instances"]:
        m = decode(masks[inst["layer"], inst["id"]], full["height"], full["width"])[y0:y1, x0:x1]
        if inst.get("piece"):  # one visible piece of a word another paper cuts: its pixels in its box
            bx0, by0, bx1, by1 = inst["bbox"]
            m = m & np.pad(
                np.ones((by1 - by0, bx1 - bx0), bool), ((by0, m.shape[0] - by1), (bx0, m.shape[1] - bx1))
            )
        inst["rle"], inst["area"] = encode_crop(m, 0, 0, y1 - y0, x1 - x0), int(m.sum())
    return crop


@pytest.fixture(scope="session")
def receipt_records() -> list[dict[str, Any]]:
    """Records (as read back from their JSON files) of one receipt per (receipt scene file, allowed locale); for
    receipt_multi each receipt of the photo on its crop."""
    out = []
    for path in RECEIPT_SCENES:
        data = yaml.safe_load(path.read_text())
        allowed = data["params"].get("content", {}).get("locale", {}).get("choices") or dict.fromkeys(
            DEFAULT_LOCALES, 1
        )
        for k, locale in enumerate(sorted(allowed)):
            data["params"].setdefault("content", {})["locale"] = {"choices": {locale: 1}}
            scene = parse_scene(data, path.stem, str(path), base_dir=path.parent)
            sample = render_sample(scene, 40, k)
            rec = sample_to_record(sample, sample_name(k), {"image": f"images/{sample_name(k)}.jpg"})
            out += [with_crop_masks(c, rec) for c in crops(json.loads(json.dumps(rec)))]
    assert {r["spec"]["locale"] for r in out} == set(LOCALES)
    assert {r["scene"] for r in out} == {p.stem for p in RECEIPT_SCENES}
    return out
