"""What a receipt sample is (conditions, numbers, tags), and what a scene file asks for, for records and reports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simvision.scenekind import SceneStats, shares
from simvision.scenes.receipt.config import ReceiptParams

SMALL_TEXT_PX = 12  # a receipt whose median word is less tall than this has small text
#: augmentation effects that make the lighting of the photo unusual (hard shadows, specular glare)
LIGHTING_EFFECTS = frozenset({"shadow", "glare"})


def conditions(spec: Mapping[str, Any]) -> dict[str, str]:
    c = spec["content"]
    return {
        "locale": spec["locale"],
        "layout": spec["layout"],
        "background": spec["background"],
        "code": c["code_kind"],
        "payment": c["payment"]["method"],
        "missing_field": c.get("missing") or "none",
        "handwriting": "yes" if spec.get("handwriting") else "no",
    }


def expected(p: ReceiptParams) -> dict[str, dict[str, float]]:
    c = p.content
    missing = {k: c.missing_field_prob * v for k, v in shares(c.missing_fields.choices).items()}
    return {
        "locale": shares(c.locale.choices),
        "layout": shares(c.layout.choices),
        "background": shares(p.look.background.choices),
        "code": shares(c.code.choices),
        "payment": {"card": c.card_prob, "cash": 1 - c.card_prob},
        "missing_field": {"none": 1 - c.missing_field_prob, **missing},
        "handwriting": {"yes": p.look.handwriting.p, "no": 1 - p.look.handwriting.p},
    }


def numeric(spec: Mapping[str, Any]) -> dict[str, float]:
    return {
        "items": len(spec["content"]["items"]),
        "font_px": spec["font_px"],
        "rotation_deg": spec["rotation_deg"],
        "ink": spec["ink"],
    }


def ranges(p: ReceiptParams) -> dict[str, tuple[float, float]]:
    c, look = p.content, p.look
    return {
        "items": (min(c.items.min, c.supermarket_items.min), max(c.items.max, c.supermarket_items.max)),
        "font_px": (look.font_px.min, look.font_px.max),
        "rotation_deg": (look.rotation_deg.min, look.rotation_deg.max),
        "ink": (look.ink.min, look.ink.max),
    }


def tags(record: Mapping[str, Any]) -> list[str]:
    """Conditions worth filtering on, measured from the spec, the augmentation plan and the labels."""
    out = set()
    missing = record["spec"]["content"].get("missing")
    if missing:
        out.add("missing_field")
        out.add(f"missing:{missing}")
    effects = {step["effect"] for step in record["render"].get("augment") or []}
    if effects & LIGHTING_EFFECTS:
        out.add("unusual_lighting")
    words = [i for i in record["instances"] if i["class"] == "word" and i["area"] > 0]
    heights = sorted(i["bbox"][3] - i["bbox"][1] for i in words)
    if heights and heights[len(heights) // 2] < SMALL_TEXT_PX:
        out.add("small_text")
    if any(i.get("truncated") for i in words):
        out.add("truncated")
    if any(i.get("visible_fraction", 1.0) < 0.5 for i in words):
        out.add("heavy_occlusion")
    classes = {i["class"] for i in record["instances"]}
    if "hand" in classes:
        out.add("hand")
    if "stamp" in classes:
        out.add("stamp")
    if record["render"].get("dropped"):
        out.add("dropped_labels")
    return sorted(out)


STATS = SceneStats(conditions=conditions, expected=expected, numeric=numeric, ranges=ranges, tags=tags)
