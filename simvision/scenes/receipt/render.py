"""The 2D compositor for receipts: ``render_receipt(spec) -> Sample``, a pure function of the spec.

Steps: lay the document out on paper (shrinking the font until it fits the canvas), rasterise words and codes with
one instance id each, print them onto textured paper, cut the paper edge, and place the paper on a procedural
background with one affine transform that moves image, id maps and quads together. Boxes come from the final maps.
"""

from __future__ import annotations

import cv2
import numpy as np

from simvision.fonts import fonts
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
from simvision.scenes.receipt.config import MIN_FONT_PX
from simvision.scenes.receipt.doc import Code
from simvision.scenes.receipt.hands import LEGIBLE_VISIBLE, PAPER_MM, anchor_on_paper, draw_hand
from simvision.scenes.receipt.key_fields import rest_of_values
from simvision.scenes.receipt.pen import HandInk, draw_handwriting
from simvision.scenes.receipt.printers import apply_printer
from simvision.scenes.receipt.spec import ReceiptSpec
from simvision.scenes.receipt.stamps import INK_MIN, INKS, draw_stamp, ink_paper, stamped_words
from simvision.scenes.receipt.typeset import PaperLayout, PlacedWord, char_boxes, layout_paper, rasterize
from simvision.types import Instances, Page, Sample

CLASSES: tuple[str, ...] = (
    "background",
    "receipt",
    "word",
    "barcode",
    "qrcode",
    "hand",
    "stamp",
    "handwriting",
)
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
        area = spec.slot or spec.frame  # several receipts in one photo: this one's strip
        ratio = min((area[2] - 2 * PAD) / w, (area[3] - 2 * PAD) / h)
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
    spec: ReceiptSpec, lay: PaperLayout, cov: np.ndarray, rng: np.random.Generator, pen: HandInk | None
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
    if pen is not None and spec.handwriting is not None:
        # pen ink over the print: colour = under x (1 - h) + pen colour x h, none where torn off
        h = cv2.bitwise_and(pen.cov, shape)
        under = cv2.bitwise_not(h)
        chans = [
            cv2.add(cv2.multiply(c, under, scale=1 / 255.0), cv2.convertScaleAbs(h, alpha=v / 255.0))
            for c, v in zip(chans, spec.handwriting.hand.pen_rgb, strict=True)
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
    shape: np.ndarray,
    ids_text: np.ndarray,
    text_ids: list[int],
    ids_pen: np.ndarray,
    pen_ids: list[int],
    m: np.ndarray,
    size: tuple[int, int],
    stamps: tuple[np.ndarray, list[int]] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The (L,H,W) int32 maps (layer 0: the paper as instance 1; layer 1: words and codes; layer 2: handwriting;
    layer 3, with ``stamps`` (their paper id map and ids): the stamps), and the boxes (canvas XYXY) and areas of the
    paper, ``text_ids``, ``pen_ids`` and the stamps' ids, in that order, taken from the maps."""
    x0, y0, x1, y1 = canvas_rect(m, shape.shape[1], shape.shape[0], size, grow=2)
    roi_m, roi = shifted(m, x0, y0), (x1 - x0, y1 - y0)
    paper = warp_ids(shape, roi_m, roi)  # 0 or 255, as the shape
    inked = bool(ids_pen.any())  # no pen ink (most receipts): its warp is all zeros
    pen = warp_ids(ids_pen, roi_m, roi) if inked else np.zeros((roi[1], roi[0]), ids_pen.dtype)
    layers = [warp_ids(ids_text, roi_m, roi), pen]
    owners = [text_ids, pen_ids]
    if stamps is not None:
        layers.append(warp_ids(stamps[0], roi_m, roi))
        owners.append(stamps[1])
    maps = np.zeros((1 + len(layers), size[1], size[0]), np.int32)
    maps[0, y0:y1, x0:x1] = paper != 0
    # Labels from the small-typed warped maps (no other pixel of the canvas is labeled).
    px, py, pw, ph = cv2.boundingRect(paper)
    boxes, areas = [np.float32([[px, py, px + pw, py + ph]])], [np.int64([cv2.countNonZero(paper)])]
    for k, (ids_map, ids) in enumerate(zip(layers, owners, strict=True), start=1):
        maps[k, y0:y1, x0:x1] = ids_map
        b, a = boxes_and_areas(ids_map, ids)
        boxes.append(b)
        areas.append(a)
    return maps, np.concatenate(boxes) + np.float32([x0, y0, x0, y0]), np.concatenate(areas)


def _visible_rows(m: np.ndarray, lay: PaperLayout, frame: tuple[int, int, int, int]) -> tuple[float, float]:
    """The paper rows (v0, v1) that fall inside the output frame (a long slip runs off it)."""
    fx, fy, fw, fh = frame
    inv = cv2.invertAffineTransform(m)
    ys = transform_points(inv, np.float32([[fx, fy], [fx + fw, fy], [fx + fw, fy + fh], [fx, fy + fh]]))[:, 1]
    v0, v1 = max(0.0, float(ys.min())), min(float(lay.height), float(ys.max()))
    return (v0, v1) if v1 > v0 else (0.0, float(lay.height))


def _lay_hands(
    spec: ReceiptSpec, image: np.ndarray, maps: np.ndarray, lay: PaperLayout, m: np.ndarray, first_id: int
) -> tuple[list[int], list[bool], list[tuple[int, int, int, int]]]:
    """Draw ``spec.hands`` over the paper (image and maps in place): every pixel a hand covers leaves the paper and
    the print (all layers) and joins the hand, on layer 0. Returns the hands' ids and whether each runs past the
    output frame, and the box (canvas XYXY) of each one's pixels."""
    v0, v1 = _visible_rows(m, lay, spec.frame)
    px_mm = lay.width / PAPER_MM
    paper = maps[0] != 0
    fx, fy, fw, fh = spec.frame
    ids, truncated, boxes = [], [], []
    for k, h in enumerate(spec.hands):
        p, ang = anchor_on_paper(h, lay.width, v0, v1)
        anchor = transform_points(m, p[None])[0].astype(np.float64)
        vec = m[:, :2] @ np.array([np.cos(ang), np.sin(ang)])
        hand, (rows, cols) = draw_hand(image, paper, h, anchor, float(np.arctan2(vec[1], vec[0])), px_mm)
        under = maps[:, rows, cols]  # a view: the window the hand changed
        np.copyto(under, 0, where=hand)
        np.copyto(under[0], first_id + k, where=hand)
        # past the output frame: a hand pixel outside the frame's inner rows and columns
        inner = hand[
            max(fy + 1 - rows.start, 0) : max(fy + fh - 1 - rows.start, 0),
            max(fx + 1 - cols.start, 0) : max(fx + fw - 1 - cols.start, 0),
        ]
        ids.append(first_id + k)
        truncated.append(bool(hand.sum() > inner.sum()))
        bx, by, bw, bh = (
            cv2.boundingRect(hand.view(np.uint8)) if hand.size else (0, 0, 0, 0)
        )  # its pixels' box
        boxes.append((cols.start + bx, rows.start + by, cols.start + bx + bw, rows.start + by + bh))
    return ids, truncated, boxes


def _recount(
    maps: np.ndarray,
    ids: np.ndarray,
    layer: np.ndarray,
    boxes: np.ndarray,
    areas: np.ndarray,
    hands: list[tuple[int, int, int, int]],
) -> tuple[np.ndarray, np.ndarray]:
    """Boxes and areas of ``ids`` after the hands took pixels and added their own (the last rows of ``ids``, one
    per box of ``hands``: the canvas XYXY box of each hand's pixels): as ``layered_boxes_and_areas`` over the whole
    maps, counted again only for the instances whose box meets a hand's, in each layer within the union of their
    boxes (an instance's pixels lie in its box; one whose box misses every hand's kept every pixel)."""
    n_old = len(boxes)
    win = np.float32(hands).reshape(-1, 4)
    boxes = np.concatenate([boxes, win])
    areas = np.r_[areas, np.zeros(len(hands), np.int64)]
    meets = np.zeros(len(ids), bool)
    for x0, y0, x1, y1 in win:
        meets |= (boxes[:, 0] < x1) & (boxes[:, 2] > x0) & (boxes[:, 1] < y1) & (boxes[:, 3] > y0)
    meets &= (areas > 0) | (np.arange(len(ids)) >= n_old)
    for k in np.unique(layer[meets]):
        rows = np.flatnonzero(meets & (layer == k))
        x0, y0 = boxes[rows, :2].min(0).astype(int)
        x1, y1 = boxes[rows, 2:].max(0).astype(int)
        b, a = boxes_and_areas(maps[k, y0:y1, x0:x1], ids[rows])
        boxes[rows] = np.where((a > 0)[:, None], b + np.float32([x0, y0, x0, y0]), 0.0)
        areas[rows] = a
    return boxes, areas


def _ink_stamps(
    spec: ReceiptSpec,
    paper_rgba: np.ndarray,
    shape: np.ndarray,
    cov: np.ndarray,
    lay: PaperLayout,
    m: np.ndarray,
    first_id: int,
) -> tuple[list[int], np.ndarray, np.ndarray]:
    """Ink ``spec.stamps`` into the paper (``paper_rgba`` in place, paper coordinates). Returns their ids, their
    outlines (S,4,2) in paper pixels and their uint16 id map (a later stamp over an earlier one wins)."""
    v0, v1 = _visible_rows(m, lay, spec.frame)
    px_mm = lay.width / PAPER_MM
    id_map = np.zeros(shape.shape, np.uint16)
    ids, quads = [], []
    for k, st in enumerate(spec.stamps):
        ink, quad, win = draw_stamp(st, lay.width, lay.height, v0, v1, px_mm)
        ink *= shape[win] != 0
        ink_paper(paper_rgba[win], ink, INKS[st.ink], None if st.over_print else cov[win])
        id_map[win][ink >= INK_MIN] = first_id + k
        ids.append(first_id + k)
        quads.append(quad)
    return ids, np.stack(quads), id_map


def render_receipt(spec: ReceiptSpec, under: np.ndarray | None = None) -> Sample:
    """Render one receipt: image, id layers (paper and hands; words and codes; handwriting; stamps, when there
    are any), instances and meta. ``under``: the photo so far (earlier receipts on their table) to lay this paper
    over instead of a fresh background; the id maps and labels are this receipt's alone either way."""
    rng = np.random.default_rng(spec.texture_seed)
    lay = fit_layout(spec)
    chars = char_boxes(lay)
    printer_rng = np.random.default_rng([spec.texture_seed, 1])  # its own stream: thermal prints draw nothing
    cov, ids_text, text_ids, text_quads = rasterize(
        lay,
        2,
        None
        if spec.printer == "thermal"
        else lambda c: apply_printer(c, spec.printer, lay.font_px, printer_rng),
        chars=chars,
    )
    first_pen = 2 + len(text_ids)
    pen = draw_handwriting(lay, spec.doc, spec.handwriting, first_pen) if spec.handwriting else None
    paper_rgba, shape = _paper(spec, lay, cov, rng, pen)
    # Print that falls on a torn-off edge is gone with the paper.
    ids_text[shape == 0] = 0
    ids_pen = pen.ids if pen is not None else np.zeros_like(ids_text)
    ids_pen[shape == 0] = 0
    n_pen = len(pen.text) if pen is not None else 0
    pen_ids = list(range(first_pen, first_pen + n_pen))

    W, H = spec.width, spec.height
    fx, fy, fw, fh = spec.frame
    sx, sy, sw, sh = (
        spec.slot or spec.frame
    )  # the paper is placed within the output frame (or its strip of it)
    rw, rh = rotated_extent(lay.width, lay.height, spec.rotation_deg)
    slack_x, slack_y = max(0.0, sw - rw), max(0.0, sh - rh)
    cx, cy = lay.width / 2, lay.height / 2
    tx = sx + (rw - lay.width) / 2 + spec.place[0] * slack_x + min(0.0, sw - rw) / 2
    ty = sy + (rh - lay.height) / 2 + spec.place[1] * slack_y + min(0.0, sh - rh) / 2
    m = rotation_about(cx, cy, spec.rotation_deg, tx, ty)

    stamp_ids: list[int] = []
    if spec.stamps:
        stamp_ids, stamp_quads, stamp_map = _ink_stamps(
            spec, paper_rgba, shape, cov, lay, m, first_pen + n_pen
        )
    image = background(spec.background, H, W, rng) if under is None else under.copy()
    backdrop = image.copy()  # the bare table: what a curled or torn edge reveals
    _lay_paper(image, paper_rgba, m)
    # the stamps' own layer: they overlap the print and the pen by design
    stamps = (stamp_map, stamp_ids) if stamp_ids else None
    maps, boxes, areas = _id_maps(shape, ids_text, text_ids, ids_pen, pen_ids, m, (W, H), stamps)
    n_text = 1 + len(text_ids) + n_pen  # the rows before the stamps
    ids = np.array([1, *text_ids, *pen_ids, *stamp_ids], np.int32)
    layer = np.array([0] + [1] * len(text_ids) + [2] * n_pen + [3] * len(stamp_ids), np.int32)
    stamped = np.zeros(len(ids), bool)
    if stamp_ids:  # words whose letters stamp strokes cross are no fair OCR target (see stamps.py)
        words = np.flatnonzero(layer == 1)
        stamped[words] = stamped_words(maps[3], boxes[words])
    hand_ids: list[int] = []
    clear = areas
    if spec.hands:
        hand_ids, hand_cut, hand_boxes = _lay_hands(spec, image, maps, lay, m, int(ids.max()) + 1)
        ids, layer = np.r_[ids, hand_ids].astype(np.int32), np.r_[layer, [0] * len(hand_ids)].astype(np.int32)
        boxes, areas = _recount(maps, ids, layer, boxes, areas, hand_boxes)

    rows_words = list(lay.words)
    n_words, n_codes = len(rows_words), len(lay.codes)
    n_stamps, n_hands = len(stamp_ids), len(hand_ids)
    class_id = np.array(
        [
            CLASS_ID["receipt"],
            *([CLASS_ID["word"]] * n_words),
            *(CLASS_ID[c.kind] for c in lay.codes),
            *([CLASS_ID["handwriting"]] * n_pen),
            *([CLASS_ID["stamp"]] * n_stamps),
            *([CLASS_ID["hand"]] * n_hands),
        ],
        np.int32,
    )
    paper_quad = np.float32([[0, 0], [lay.width, 0], [lay.width, lay.height], [0, lay.height]])
    pen_quads = (
        np.float32(pen.quads).reshape(-1, 4, 2) if pen is not None else np.zeros((0, 4, 2), np.float32)
    )
    paper_quads = [paper_quad[None], text_quads, pen_quads, *([stamp_quads] if n_stamps else [])]
    quads = transform_points(m, np.concatenate(paper_quads))
    # the instance runs past the frame edge: only part of it is in the image
    truncated = ((quads < (fx, fy)) | (quads > (fx + fw, fy + fh))).any(axis=(1, 2))
    if n_hands:  # a hand has no quad: its outline is its mask
        quads = np.concatenate([quads, np.full((n_hands, 4, 2), np.nan, np.float32)])
        truncated = np.r_[truncated, hand_cut]
    after = n_stamps + n_hands  # rows after the handwriting
    struck = pen.struck_words if pen is not None else set()
    text = (
        "",
        *(w.text for w in rows_words),
        *(c.data for c in lay.codes),
        *(pen.text if pen else []),
        *(st.text for st in spec.stamps),
        *([""] * n_hands),
    )
    attrs = {
        "line": np.array(
            [
                -1,
                *(w.line for w in rows_words),
                *([-1] * n_codes),
                *(pen.line if pen else []),
                *([-1] * after),
            ],
            np.int32,
        ),
        "group": np.array(
            [-1, *(w.group for w in rows_words), *([-1] * (n_codes + n_pen + after))], np.int32
        ),
        "category": np.array(
            [
                "other",
                *(w.category for w in rows_words),
                *(["other"] * n_codes),
                *(pen.category if pen else []),
                *(["other"] * after),
            ],
            dtype=object,
        ),
        # a printed word crossed out by pen (it stays a word: the print is still there to read)
        "struck": np.array(
            [False, *(i in struck for i in range(n_words)), *([False] * (n_codes + n_pen + after))], bool
        ),
        # what a pen mark is (circle, underline, tick, strike, signature); "" for words, written or printed
        "mark": np.array(
            ["", *([""] * (n_words + n_codes)), *(pen.mark if pen else []), *([""] * after)], dtype=object
        ),
        "truncated": truncated,
        **_text_geometry(m, rows_words, chars, text_quads[:n_words], n_codes + n_pen + after),
    }
    if n_stamps:
        attrs["ink"] = np.array([None] * (n_text) + [st.ink for st in spec.stamps] + [None] * n_hands, object)
    hidden = np.zeros(len(ids), bool)
    ignore = np.r_[stamped, np.zeros(n_hands, bool)] & (class_id == CLASS_ID["word"])
    reason = np.where(ignore, "stamped", None).astype(object)
    if n_hands:
        # what the hands left of each instance's clean pixels; a word they cut into is no fair OCR target
        n = len(clear)
        visible = np.r_[areas[:n] / np.maximum(clear, 1), np.ones(n_hands)].astype(np.float32)
        hidden[:n] = (clear > 0) & (areas[:n] == 0)
        cut = (class_id == CLASS_ID["word"]) & (visible < LEGIBLE_VISIBLE)
        cut |= rest_of_values(attrs, cut)  # the rest of a total a thumb cuts into is no total either
        attrs["visible_fraction"] = visible.round(4)
        reason[cut] = "occluded"  # the hand's reason first: letters that cannot be seen at all
        ignore |= cut
    if n_stamps or n_hands:
        attrs["ignore"] = ignore
        attrs["ignore_reason"] = reason
    inst = Instances(ids, class_id, layer, boxes, quads, text, attrs)
    keep = areas > 0
    reason = "no visible pixels (outside frame or torn edge)"
    if spec.printer != "thermal":  # a dead head column can take all of a one-stroke word ("1", ":")
        reason = "no visible pixels (outside frame, torn edge, or not printed: " + spec.printer + ")"
    dropped = [
        {
            "instance_id": int(i),
            "text": t,
            "reason": "hidden under a hand" if hid else reason,
        }
        for i, t, k, hid in zip(inst.instance_id, inst.text, keep, hidden, strict=True)
        if not k
    ]
    inst = inst[keep]
    meta = {
        "font_px_used": lay.font_px,
        "paper_size": [lay.width, lay.height],
        "dropped": dropped,
    }
    page = Page(image=paper_rgba, to_canvas=m)  # alpha is 0 or 255: premultiplied colour is straight colour
    return Sample(
        image=image, maps=maps, instances=inst, classes=CLASSES, meta=meta, backdrop=backdrop, page=page
    )


def _boxes_to_quads(boxes: np.ndarray) -> np.ndarray:
    """(K,4) XYXY boxes as (K,4,2) quads clockwise from top-left."""
    x0, y0, x1, y1 = boxes.T
    return np.stack([x0, y0, x1, y0, x1, y1, x0, y1], axis=1).reshape(-1, 4, 2).astype(np.float32)


def _text_geometry(
    m: np.ndarray, words: list[PlacedWord], chars: list[np.ndarray], word_quads: np.ndarray, n_codes: int
) -> dict[str, np.ndarray]:
    """The ``char_quads`` and ``line_quad`` instance columns (rows: paper, words, codes) in canvas coordinates:
    each word's character quads, and the box of its printed line (the union of the line's word quads)."""
    char_col = np.empty(1 + len(words) + n_codes, object)
    if chars:  # one transform for all characters (each point's arithmetic as alone)
        counts = [len(c) for c in chars]
        moved = transform_points(m, _boxes_to_quads(np.concatenate(chars)))
        char_col[1 : 1 + len(words)] = np.split(moved, np.cumsum(counts)[:-1])
    line_quad = np.full((len(char_col), 4, 2), np.nan, np.float32)
    if words:  # each line's box: the union of its word quads' boxes
        _, line = np.unique([w.line for w in words], return_inverse=True)
        lo = np.full((line.max() + 1, 2), np.inf, word_quads.dtype)
        hi = np.full((line.max() + 1, 2), -np.inf, word_quads.dtype)
        np.minimum.at(lo, line, word_quads.min(axis=1))
        np.maximum.at(hi, line, word_quads.max(axis=1))
        moved_lines = transform_points(m, _boxes_to_quads(np.concatenate([lo, hi], axis=1)))
        line_quad[1 : 1 + len(words)] = moved_lines[line]
    return {"char_quads": char_col, "line_quad": line_quad}
