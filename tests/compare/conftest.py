"""Fabricated image sets for the compare and mix tests: fast (no rendering) and with known distributions.

``photo`` images: a smooth gradient, a few boxes of colour, sensor-like noise, a slight blur, saved as JPEG q85.
``render`` images: the same layout flat-shaded, darker, with no noise, saved as PNG. Boxes are drawn from
per-style distributions, so label statistics differ between styles too.
"""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
import yaml

W, H = 64, 48


def fabricate(
    style: str, seed: int, index: int
) -> tuple[np.ndarray, list[tuple[str, float, float, float, float]]]:
    """One image (BGR uint8) and its boxes (class, x, y, w, h in pixels)."""
    rng = np.random.default_rng([seed, index, 0 if style == "photo" else 1])
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    base = 150 if style == "photo" else 60
    img = np.stack([base + 40 * yy / H, base + 30 * xx / W, np.full_like(xx, base)], -1)
    boxes = []
    for _ in range(int(rng.integers(2, 5) if style == "photo" else rng.integers(4, 8))):
        cls = "person" if rng.random() < 0.5 else "car"
        scale = 0.3 if style == "photo" else 0.15
        w = max(3.0, float(rng.uniform(0.5, 1.5) * scale * W * (0.5 if cls == "person" else 1.0)))
        h = max(3.0, float(rng.uniform(0.5, 1.5) * scale * H * (1.5 if cls == "person" else 0.7)))
        x, y = float(rng.uniform(0, W - w)), float(rng.uniform(0, H - h))
        img[int(y) : int(y + h), int(x) : int(x + w)] = rng.uniform(20, 235, 3)
        boxes.append((cls, round(x, 2), round(y, 2), round(w, 2), round(h, 2)))
    if style == "photo":
        img = cv2.GaussianBlur(img, (0, 0), 0.7) + rng.normal(0, 5, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8), boxes


def write_coco(root: Path, style: str, n: int, seed: int, names: dict[str, str] | None = None) -> Path:
    """A COCO set of ``n`` fabricated images under ``root/images``; ``names`` renames classes (car -> auto)."""
    names = names or {}
    (root / "images").mkdir(parents=True, exist_ok=True)
    cats = sorted({names.get(c, c) for c in ("person", "car")})
    doc: dict = {
        "images": [],
        "annotations": [],
        "categories": [{"id": k + 1, "name": c} for k, c in enumerate(cats)],
    }
    for i in range(n):
        img, boxes = fabricate(style, seed, i)
        ext = ".jpg" if style == "photo" else ".png"
        params = [cv2.IMWRITE_JPEG_QUALITY, 85] if ext == ".jpg" else []
        cv2.imwrite(str(root / "images" / f"{i:04d}{ext}"), img, params)
        doc["images"].append({"id": i + 1, "file_name": f"images/{i:04d}{ext}", "width": W, "height": H})
        for c, x, y, w, h in boxes:
            doc["annotations"].append(
                {
                    "id": len(doc["annotations"]) + 1,
                    "image_id": i + 1,
                    "category_id": cats.index(names.get(c, c)) + 1,
                    "bbox": [x, y, w, h],
                    "area": w * h,
                    "iscrowd": 0,
                }  # fmt: skip
            )
    path = root / "coco.json"
    path.write_text(json.dumps(doc))
    return path


def write_yolo(root: Path, style: str, n_train: int, n_val: int, seed: int) -> Path:
    """A YOLO set (images/{train,val}, labels/{train,val}, data.yaml), classes person and car."""
    classes = ["person", "car"]
    for split, n, off in (("train", n_train, 0), ("val", n_val, 1000)):
        (root / "images" / split).mkdir(parents=True, exist_ok=True)
        (root / "labels" / split).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            img, boxes = fabricate(style, seed, off + i)
            cv2.imwrite(str(root / "images" / split / f"{i:04d}.jpg"), img, [cv2.IMWRITE_JPEG_QUALITY, 85])
            lines = [
                f"{classes.index(c)} {(x + w / 2) / W:.6f} {(y + h / 2) / H:.6f} {w / W:.6f} {h / H:.6f}"
                for c, x, y, w, h in boxes
            ]
            (root / "labels" / split / f"{i:04d}.txt").write_text("".join(f"{ln}\n" for ln in lines))
    path = root / "data.yaml"
    path.write_text(
        yaml.safe_dump({"train": "images/train", "val": "images/val", "names": dict(enumerate(classes))})
    )
    return path


@pytest.fixture(scope="session")
def fab(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("fab")
    return {
        "photo_a": write_coco(tmp / "photo_a", "photo", 24, seed=1),
        "photo_b": write_coco(tmp / "photo_b", "photo", 24, seed=2),
        "render": write_coco(
            tmp / "render", "render", 24, seed=3, names={"person": "pedestrian", "car": "auto"}
        ),
        "yolo": write_yolo(tmp / "yolo", "photo", 6, 2, seed=4),
    }
