"""Receipt records for the receipt-format tests: one receipt per (receipt scene file, locale that file allows)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from simvision.record import sample_to_record
from simvision.sample import render_sample, sample_name
from simvision.scene import default_scene_dir, parse_scene
from simvision.scenes.receipt.config import DEFAULT_LOCALES, LOCALES

RECEIPT_SCENES = [p for p in sorted(default_scene_dir().glob("*.yaml")) if "receipt" in p.stem]


@pytest.fixture(scope="session")
def receipt_records() -> list[dict[str, Any]]:
    """Records (as read back from their JSON files) of one receipt per (receipt scene file, allowed locale)."""
    out = []
    for path in RECEIPT_SCENES:
        data = yaml.safe_load(path.read_text())
        allowed = data["params"].get("content", {}).get("locale", {}).get("choices") or dict.fromkeys(
            DEFAULT_LOCALES, 1
        )
        for k, locale in enumerate(sorted(allowed)):
            data["params"].setdefault("content", {})["locale"] = {"choices": {locale: 1}}
            scene = parse_scene(data, path.stem, str(path))
            sample = render_sample(scene, 40, k)
            rec = sample_to_record(sample, sample_name(k), {"image": f"images/{sample_name(k)}.jpg"})
            out.append(json.loads(json.dumps(rec)))
    assert {r["spec"]["locale"] for r in out} == set(LOCALES)
    assert {r["scene"] for r in out} == {p.stem for p in RECEIPT_SCENES}
    return out
