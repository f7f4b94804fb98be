"""Dewarping ground truth and character/line quads, through every geometric effect (real renders, no mocks).

A receipt bent by wrinkle, fold, curl and a torn edge, then looked at by a tilted camera through a distorting lens:
its backward map must send each word's pixels back into that word's flat quad, the page corners to the page's
corners, and every character quad must stay inside its word's outline.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from simvision.augment.policy import sample_plan
from simvision.record import sample_to_record
from simvision.rng import rng_for, scene_key
from simvision.sample import render_sample, render_spec, sample_spec
from simvision.scene import parse_scene

BENT = [
    {"name": "wrinkle", "p": 1.0},
    {"name": "fold", "p": 1.0},
    {"name": "curl", "p": 1.0},
    {"name": "torn_edge", "p": 1.0},
    {"name": "camera", "p": 1.0, "tilt_deg": {"min": 8, "max": 12}, "yaw_deg": {"min": 4, "max": 8}},
    {"name": "lens", "p": 1.0, "k": {"min": 0.1, "max": 0.15}},
]


def _scene(effects: list[dict] | None, name: str = "dewarp_test"):
    data = {
        "generator": "receipt",
        "image": {"width": 360, "height": 640, "format": "png"},
        "params": {"look": {"font_px": {"min": 14, "max": 16}, "rotation_deg": {"min": -4, "max": 4}}},
    }
    if effects is not None:
        data["augment"] = {"effects": effects, "min_visible": 0.3}
    return parse_scene(data, name, "<test>")


@pytest.fixture(scope="module")
def bent():
    scene = _scene(BENT)
    return [(scene, i, render_sample(scene, 5, i)) for i in range(2)]


def _flat_word_quads(scene, index):
    """Instance id -> the word's quad on the flat page, from the clean render of the same spec."""
    clean = render_spec(scene, sample_spec(scene, 5, index), 5, index, None)
    inv = cv2.invertAffineTransform(clean.page.to_canvas)
    inst = clean.instances
    return {
        int(i): q @ inv[:, :2].T + inv[:, 2]
        for i, c, q in zip(inst.instance_id, inst.class_id, inst.quads, strict=True)
        if clean.classes[c] == "word"
    }


def test_map_sends_every_word_pixel_back_into_its_flat_quad(bent) -> None:
    for scene, index, s in bent:
        assert [p["effect"] for p in s.meta["augment"]] == [e["name"] for e in BENT]
        flat = _flat_word_quads(scene, index)
        back = s.page.backward
        inst = s.instances
        checked = 0
        for r in range(len(inst)):
            if s.classes[inst.class_id[r]] != "word":
                continue
            ys, xs = np.nonzero(s.mask(r))
            pts = back[ys, xs]
            pts = pts[np.isfinite(pts).all(1)]  # a word pixel at the page's very rim may sample off it
            assert len(pts) >= 0.95 * len(xs)
            q = flat[int(inst.instance_id[r])]
            # the map holds pixel-index positions (a pixel's centre is at index + 0.5 on the quad's pixel edges);
            # ids move by nearest neighbour and the map by bilinear sampling, so allow 1 px
            centres = pts + 0.5
            lo, hi = q.min(0) - 1.0, q.max(0) + 1.0
            pts = centres
            assert (pts >= lo).all() and (pts <= hi).all(), (inst.text[r], pts.min(0), pts.max(0), lo, hi)
            checked += 1
        assert checked > 20


def test_page_corners_map_to_the_flat_corners() -> None:
    # no tear (it takes corners away) and no curl: at a curled corner the paper's pixels end a few px short of the
    # corner point (the curl draws pixels by a sampled map, moves points by its exact one), so no page pixel is
    # next to it to check; the grid test below covers curled edges
    scene = _scene([e for e in BENT if e["name"] not in ("torn_edge", "curl")], "dewarp_corners")
    found = 0
    for index in range(2):
        spec = sample_spec(scene, 5, index).model_copy(update={"torn_top": False, "torn_bottom": False})
        plan = sample_plan(
            rng_for(5, index, "augment", scene=scene_key(scene.name)), scene.augment, (640, 360)
        )
        s = render_spec(scene, spec, 5, index, plan)
        inst = s.instances
        (row,) = [r for r in range(len(inst)) if s.classes[inst.class_id[r]] == "receipt"]
        corners = inst.quads[row]  # the receipt's corner quad in the image (pixel edges)
        w, h = s.page.size
        page = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        for c, want in zip(corners, page, strict=True):
            x, y = int(np.floor(c[0])), int(np.floor(c[1]))
            if not (3 <= x < s.image.shape[1] - 3 and 3 <= y < s.image.shape[0] - 3):
                continue  # this corner is outside the frame
            near = s.page.backward[y - 3 : y + 4, x - 3 : x + 4].reshape(-1, 2) + 0.5  # centres on page edges
            near = near[np.isfinite(near).all(1)]
            assert len(near), "no page pixel next to a page corner"
            # the page is where its id is, moved by nearest neighbour at every step: its outermost pixel row may
            # fall off at the rim, so the page pixel nearest the corner is within 2 px of it (not 0.5)
            assert np.abs(near - want).max(1).min() < 2.0, (near, want)
            found += 1
    assert found >= 3  # a zoomed camera or a long page leaves some corners out of the frame


def test_char_quads_stay_inside_their_word_outline_after_every_warp(bent) -> None:
    for _, _, s in bent:
        inst = s.instances
        chars = inst.attrs["char_quads"]
        n = 0
        for r in range(len(inst)):
            if chars[r] is None:
                continue
            assert chars[r].shape == (len(inst.text[r]), 4, 2)
            outline = inst.polygons[r].astype(np.float32).reshape(-1, 1, 2)
            for pt in chars[r].reshape(-1, 2):
                assert cv2.pointPolygonTest(outline, (float(pt[0]), float(pt[1])), True) >= -1.0
                n += 1
        assert n > 100


def test_record_lines_and_chars(bent) -> None:
    _, _, s = bent[0]
    rec = sample_to_record(s, "000000", {"image": "x", "maps": []})
    words = {o["id"]: o for o in rec["instances"] if o["class"] == "word"}
    assert rec["lines"]
    for line in rec["lines"]:
        assert line["text"] == " ".join(words[i]["text"] for i in line["word_ids"])
        assert len(line["quad"]) == 4
    for o in words.values():
        assert "".join(c["char"] for c in o["chars"]) == o["text"]


def test_unaugmented_map_is_the_identity_on_the_page() -> None:
    s = render_sample(_scene(None, "dewarp_flat"), 5, 0)
    back, m = s.page.backward, s.page.to_canvas
    ys, xs = np.nonzero(np.isfinite(back[..., 0]))
    assert len(xs) > 0.2 * back[..., 0].size
    fwd = back[ys, xs] @ m[:, :2].T + m[:, 2]  # page position -> canvas pixel: the pixel itself
    assert np.abs(fwd - np.stack([xs, ys], 1)).max() < 1e-3
    paper = s.maps[0] == 1
    assert (np.isfinite(back[..., 0]) == paper).mean() > 0.999  # NaN exactly off the paper (but its rim)


def test_map_is_deterministic(bent) -> None:
    scene, index, s = bent[1]
    again = render_sample(scene, 5, index)
    assert np.array_equal(again.page.backward, s.page.backward, equal_nan=True)


def test_grid_and_map_agree_and_grid_corners_are_the_page_corners(bent) -> None:
    """Two derivations of one geometry: the grid (page points moved forward, as labels are) and the map (image
    pixels taken back through each step's backward map) must agree where the page shows."""
    for _, _, s in bent:
        grid, page_pts = s.page.grid, s.page.grid_points()
        inst = s.instances
        (row,) = [r for r in range(len(inst)) if s.classes[inst.class_id[r]] == "receipt"]
        corners = grid[[0, 0, -1, -1], [0, -1, -1, 0]]
        assert np.abs(corners - inst.quads[row]).max() < 1e-3  # the same points as the page's quad corners
        h, w = s.image.shape[:2]
        img = grid.reshape(-1, 2) - 0.5  # pixel edges -> pixel index
        x, y = np.floor(img[:, 0]).astype(int), np.floor(img[:, 1]).astype(int)
        inside = (x >= 0) & (y >= 0) & (x < w - 1) & (y < h - 1)  # the page's own rim included
        back = s.page.backward
        quad = np.stack([back[y[inside] + dy, x[inside] + dx] for dy in (0, 1) for dx in (0, 1)])  # (4, K, 2)
        ok = np.isfinite(quad).all(axis=(0, 2))  # all four neighbours on the page
        fx, fy = (img[inside, 0] - x[inside])[ok, None], (img[inside, 1] - y[inside])[ok, None]
        q = quad[:, ok]
        got = q[0] * (1 - fx) * (1 - fy) + q[1] * fx * (1 - fy) + q[2] * (1 - fx) * fy + q[3] * fx * fy + 0.5
        want = page_pts.reshape(-1, 2)[inside][ok]
        assert ok.sum() > 500
        err = np.abs(got - want).max(1)
        assert np.percentile(err, 99) < 0.5 and err.max() < 1.0, (np.percentile(err, 99), err.max())
