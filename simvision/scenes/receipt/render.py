"""The 2D compositor for receipts: ``render_receipt(spec) -> Sample``, a pure function of the spec.

Steps: lay the document out on paper (shrinking the font until it fits the canvas), rasterise words and codes with
one instance id each, print them onto textured paper, cut the paper edge, and place the paper on a procedural
background with one affine transform that moves image, id maps and quads together. Boxes come from the final maps.
"""

from __future__ import annotations

import cv2
import numpy as np

from simvision.labels import boxes_and_areas
from simvision.render.background import background
from simvision.render.codes import code_bitmap
from simvision.render.compositor import (
    canvas_rect,
    drop_shadow,
    over,
    rotated_extent,
    rotation_about,
    shifted,
    transform_points,
    warp_ids,
    warp_image,
)
from simvision.render.fonts import fonts
from simvision.scenes.receipt.config import MIN_FONT_PX
from simvision.scenes.receipt.doc import Code
from simvision.scenes.receipt.printers import apply_printer
from simvision.scenes.receipt.spec import ReceiptSpec
from simvision.scenes.receipt.typeset import PaperLayout, layout_paper, rasterize
from simvision.types import Instances, Sample

CLASSES: tuple[str, ...] = ("background", "receipt", "word", "barcode", "qrcode")
CLASS_ID = {name: i for i, name in enumerate(CLASSES)}
# Below this thermal print stops being legible at this resolution; longer paper then runs off the frame.
MIN_PROPORTIONAL_PX = 18
PAD = 8  # pixels kept free between the rotated paper and the frame
# The paper's drop shadow: offset (px), blur sigma (px), darkening at its core (0..1), and how far past the paper it
# reaches (offset + 3 sigma, where it is under one grey level).
SHADOW_OFFSET, SHADOW_SIGMA, SHADOW_DEPTH, SHADOW_REACH = (6, 9), 10.0, 0.45, 40


def _code_bitmaps(spec: ReceiptSpec) -> dict[int, np.ndarray]:
    out = {}
    for i, block in enumerate(spec.doc.blocks):
        if isinstance(block, Code):
            module = 2 if block.kind == "barcode" else 3
            out[i] = code_bitmap(block.kind, block.data, module, max(30, spec.font_px * 2))
    return out


def fit_layout(spec: ReceiptSpec) -> PaperLayout:
    """The largest font size <= spec.font_px whose paper fits the canvas (rotated), with no overlapping segments.

    At the smallest size the paper may still be taller than the canvas; it is then cut off by the frame and the
    words that fall outside are dropped (and recorded).
    """
    face = fonts()[spec.font_id]
    codes = _code_bitmaps(spec)
    # Proportional faces lose decimal points to OCR below ~18 px (measured with tesseract); keep them larger.
    floor = MIN_FONT_PX if face.monospace else max(MIN_FONT_PX, min(spec.font_px, MIN_PROPORTIONAL_PX))
    # Try sizes with the cheap sizing pass; place the words once, at the size chosen.
    chosen = None
    px = spec.font_px
    while px >= floor:
        size = layout_paper(spec.doc, face, px, spec.line_spacing, spec.margin_px, codes, place_words=False)
        if size is None:
            px -= 1
            continue
        chosen = px
        w, h = rotated_extent(size.width, size.height, spec.rotation_deg)
        ratio = min((spec.frame[2] - 2 * PAD) / w, (spec.frame[3] - 2 * PAD) / h)
        if ratio >= 1:
            break
        # Paper size grows about linearly with the font size: jump close, then step down.
        nxt = min(px - 1, int(px * ratio))
        px = floor if px > floor > nxt else nxt
    if chosen is None:
        raise ValueError(f"receipt layout {spec.layout} does not fit {spec.width}px at any font size")
    lay = layout_paper(spec.doc, face, chosen, spec.line_spacing, spec.margin_px, codes)
    assert lay is not None  # the sizing pass found no collision at this size
    return lay


def _torn_edge(rng: np.random.Generator, width: int, depth: int) -> np.ndarray:
    """Per-column tear depth in pixels (0..depth): a jagged, serrated cut as from a printer's tear bar."""
    teeth = rng.uniform(0.3, 1.0, size=width // 6 + 2)
    zig = np.interp(np.arange(width), np.arange(0, (width // 6 + 2) * 6, 6), teeth)
    return np.round(zig * depth).astype(int)


def _paper(
    spec: ReceiptSpec, lay: PaperLayout, cov: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(paper with print as premultiplied RGBA uint8, uint8 paper shape mask) in paper coordinates.

    The alpha channel is the paper's shape; colour is premultiplied (zero where the edge was torn off), so the
    linear warp blends the cut edge correctly and the compositor needs no separate alpha warp.
    """
    h, w = lay.height, lay.width
    shape = np.full((h, w), 255, np.uint8)
    depth = max(3, spec.margin_px // 3)
    rows = np.arange(h)[:, None]
    if spec.torn_top:
        shape[rows < _torn_edge(rng, w, depth)[None, :]] = 0
    if spec.torn_bottom:
        shape[rows >= h - _torn_edge(rng, w, depth)[None, :]] = 0

    def soft(cell: int, lo: float) -> np.ndarray:
        """uint8 field of slow random variation between lo*255 and 255."""
        grid = rng.random((h // cell + 2, w // cell + 2), dtype=np.float32) * (1 - lo) + lo
        return cv2.resize(cv2.convertScaleAbs(grid, alpha=255.0), (w, h), interpolation=cv2.INTER_LINEAR)

    grain, fade = soft(8, 0.96), soft(40, 0.88)
    # print alpha = coverage x darkness x a slow fade (thermal heads print unevenly), none where torn off
    a = cv2.bitwise_and(cv2.multiply(cov, fade, scale=spec.ink / 255.0), shape)
    # paper showing through the print: grain x (1 - a), none where torn off
    bare = cv2.multiply(cv2.bitwise_and(grain, shape), cv2.bitwise_not(a), scale=1 / 255.0)
    # each colour channel is bare x paper colour + a x ink colour (one rounding); alpha is the shape
    chans = [
        cv2.addWeighted(bare, p / 255.0, a, i / 255.0, 0.0)
        for p, i in zip(spec.paper_rgb, spec.ink_rgb, strict=True)
    ]
    return cv2.merge([*chans, shape]), shape


def _lay_paper(image: np.ndarray, paper_rgba: np.ndarray, m: np.ndarray) -> None:
    """Warp the paper onto ``image`` (in place) with its soft drop shadow, touching only the pixels near it."""
    h, w = paper_rgba.shape[:2]
    x0, y0, x1, y1 = canvas_rect(m, w, h, (image.shape[1], image.shape[0]), SHADOW_REACH)
    roi_m, roi = shifted(m, x0, y0), (x1 - x0, y1 - y0)
    fg = warp_image(paper_rgba, roi_m, roi)
    # the shadow of the paper's outline (its torn teeth are far finer than the blur)
    outline = transform_points(roi_m, np.float32([[0, 0], [w, 0], [w, h], [0, h]]))
    lit = drop_shadow(outline, roi, SHADOW_OFFSET, SHADOW_SIGMA, SHADOW_DEPTH)
    image[y0:y1, x0:x1] = over(fg, image[y0:y1, x0:x1], lit)


def _id_maps(
    shape: np.ndarray, ids_text: np.ndarray, text_ids: list[int], m: np.ndarray, size: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The (L,H,W) int32 maps (layer 0: the paper as instance 1; layer 1: words and codes), and the boxes (canvas
    XYXY) and areas of the paper and of ``text_ids``, in that order, taken from the maps."""
    x0, y0, x1, y1 = canvas_rect(m, shape.shape[1], shape.shape[0], size, grow=2)
    roi_m, roi = shifted(m, x0, y0), (x1 - x0, y1 - y0)
    paper = warp_ids(shape, roi_m, roi)  # 0 or 255, as the shape
    text = warp_ids(ids_text, roi_m, roi)
    maps = np.zeros((2, size[1], size[0]), np.int32)
    maps[0, y0:y1, x0:x1] = paper != 0
    maps[1, y0:y1, x0:x1] = text
    # Labels from the small-typed warped maps (no other pixel of the canvas is labeled).
    px, py, pw, ph = cv2.boundingRect(paper)
    boxes, areas = boxes_and_areas(text, text_ids)
    boxes = np.concatenate([np.float32([[px, py, px + pw, py + ph]]), boxes]) + np.float32([x0, y0, x0, y0])
    return maps, boxes, np.r_[cv2.countNonZero(paper), areas]


def render_receipt(spec: ReceiptSpec) -> Sample:
    """Render one receipt: image, two id layers (paper; words and codes), instances and meta."""
    rng = np.random.default_rng(spec.texture_seed)
    lay = fit_layout(spec)
    printer_rng = np.random.default_rng([spec.texture_seed, 1])  # its own stream: thermal prints draw nothing
    cov, ids_text, text_ids, text_quads = rasterize(
        lay,
        2,
        None
        if spec.printer == "thermal"
        else lambda c: apply_printer(c, spec.printer, lay.font_px, printer_rng),
    )
    paper_rgba, shape = _paper(spec, lay, cov, rng)
    # Print that falls on a torn-off edge is gone with the paper.
    ids_text[shape == 0] = 0

    W, H = spec.width, spec.height
    fx, fy, fw, fh = spec.frame  # the paper is placed within the output frame
    rw, rh = rotated_extent(lay.width, lay.height, spec.rotation_deg)
    slack_x, slack_y = max(0.0, fw - rw), max(0.0, fh - rh)
    cx, cy = lay.width / 2, lay.height / 2
    tx = fx + (rw - lay.width) / 2 + spec.place[0] * slack_x + min(0.0, fw - rw) / 2
    ty = fy + (rh - lay.height) / 2 + spec.place[1] * slack_y + min(0.0, fh - rh) / 2
    m = rotation_about(cx, cy, spec.rotation_deg, tx, ty)

    image = background(spec.background, H, W, rng)
    backdrop = image.copy()  # the bare table: what a curled or torn edge reveals
    _lay_paper(image, paper_rgba, m)
    maps, boxes, areas = _id_maps(shape, ids_text, text_ids, m, (W, H))

    rows_words = list(lay.words)
    n_words, n_codes = len(rows_words), len(lay.codes)
    inst_id = np.array([1, *text_ids], np.int32)
    class_id = np.array(
        [CLASS_ID["receipt"], *([CLASS_ID["word"]] * n_words), *(CLASS_ID[c.kind] for c in lay.codes)],
        np.int32,
    )
    layer = np.array([0] + [1] * (n_words + n_codes), np.int32)
    paper_quad = np.float32([[0, 0], [lay.width, 0], [lay.width, lay.height], [0, lay.height]])
    quads = transform_points(m, np.concatenate([paper_quad[None], text_quads]))
    text = ("", *(w.text for w in rows_words), *(c.data for c in lay.codes))
    attrs = {
        "line": np.array([-1, *(w.line for w in rows_words), *([-1] * n_codes)], np.int32),
        "group": np.array([-1, *(w.group for w in rows_words), *([-1] * n_codes)], np.int32),
        "category": np.array(
            ["other", *(w.category for w in rows_words), *(["other"] * n_codes)], dtype=object
        ),
        # the instance runs past the frame edge: only part of it is in the image
        "truncated": ((quads < (fx, fy)) | (quads > (fx + fw, fy + fh))).any(axis=(1, 2)),
    }
    inst = Instances(inst_id, class_id, layer, boxes, quads, text, attrs)
    keep = areas > 0
    reason = "no visible pixels (outside frame or torn edge)"
    if spec.printer != "thermal":  # a dead head column can take all of a one-stroke word ("1", ":")
        reason = "no visible pixels (outside frame, torn edge, or not printed: " + spec.printer + ")"
    dropped = [
        {"instance_id": int(i), "text": t, "reason": reason}
        for i, t, k in zip(inst.instance_id, inst.text, keep, strict=True)
        if not k
    ]
    inst = inst[keep]
    meta = {
        "font_px_used": lay.font_px,
        "paper_size": [lay.width, lay.height],
        "dropped": dropped,
    }
    return Sample(image=image, maps=maps, instances=inst, classes=CLASSES, meta=meta, backdrop=backdrop)
