"""The animated preview of a clip dataset: each frame with its boxes, track ids and forward-flow arrows, as a GIF.

Arrows sample the forward flow (``flow/<name>.fw.flo``) on a grid, drawn where the status says the pixel is visible
in the next frame, scaled to one frame's displacement; moving objects' boxes carry their track id and speed.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image

from simvision.io import atomic_write, read_ids, read_rgb
from simvision.quality.preview import CLASS_COLOURS, draw_labels
from simvision.registry import get_generator
from simvision.world.flow import decode_flo

GRID = 16  # pixels between flow arrows
SCALE = 640  # frames are drawn this wide at most


def draw_frame(out: Path, rec: dict[str, Any]) -> np.ndarray:
    img = draw_labels(read_rgb(out / rec["files"]["image"]), rec)
    kind = get_generator(rec["generator"])
    for inst in rec["instances"]:
        if inst["class"] in kind.stuff or not inst.get("moving"):
            continue
        x0, y0 = inst["bbox"][:2]
        col = CLASS_COLOURS[inst["class_id"] % len(CLASS_COLOURS)]
        label = f"{inst['track_id']} {inst['speed']:.0f}m/s"
        cv2.putText(img, label, (x0, max(8, y0 - 2)), cv2.FONT_HERSHEY_PLAIN, 0.7, col, 1, cv2.LINE_AA)
    flow_files = rec["files"].get("flow", {})
    if "forward" in flow_files:
        flow = decode_flo((out / flow_files["forward"]).read_bytes())
        status = read_ids(out / flow_files["forward_status"])
        h, w = status.shape
        for y in range(GRID // 2, h, GRID):
            for x in range(GRID // 2, w, GRID):
                if status[y, x] != 0:
                    continue
                dx, dy = (float(v) for v in flow[y, x])
                end = (round(x + dx), round(y + dy))
                cv2.arrowedLine(img, (x, y), end, (255, 255, 255), 1, cv2.LINE_AA, tipLength=0.3)
    if img.shape[1] > SCALE:
        img = cv2.resize(
            img, (SCALE, round(img.shape[0] * SCALE / img.shape[1])), interpolation=cv2.INTER_AREA
        )
    return img


def clip_gif(out: Path, clip: str) -> bytes:
    """The GIF of clip ``clip`` (its marker's name), at the clip's frame rate, looping."""
    marker = json.loads((out / "clips" / f"{clip}.json").read_text(encoding="utf-8"))
    frames = []
    for name in marker["frames"]:
        rec = json.loads((out / "records" / f"{name}.json").read_text(encoding="utf-8"))
        frames.append(Image.fromarray(draw_frame(out, rec)))
    buf = io.BytesIO()
    ms = round(1000 / marker["fps"])
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=ms, loop=0)
    return buf.getvalue()


def write_clip_previews(out: Path, target_dir: Path, count: int = 4) -> list[Path]:
    """``<target_dir>/preview_<clip>.gif`` for the first ``count`` finished clips of ``out``."""
    paths = []
    for marker in sorted((out / "clips").glob("*.json"))[:count]:
        path = target_dir / f"preview_{marker.stem}.gif"
        atomic_write(path, clip_gif(out, marker.stem))
        paths.append(path)
    return paths
