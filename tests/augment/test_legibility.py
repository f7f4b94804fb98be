"""Words faded past legibility are marked ``ignore`` (reason ``illegible``) and every writer treats them as its
ignore region; words left legible have ink contrast >= MIN_CONTRAST in the final image."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from typing import Any

import cv2
import numpy as np
import pytest

import simvision
from simvision.augment.legibility import INK_PERCENTILE, MIN_CONTRAST
from simvision.record import sample_to_record
from simvision.registry import get_generator
from simvision.sample import render_spec
from simvision.scenes.receipt.key_fields import key_fields
from simvision.types import Sample
from simvision.writers import cord, sroie, yolo
from simvision.writers.coco import record_annotations

FADES = (0.2, 0.5, 0.8, 0.95)


def fade_plan(strength: float) -> list[dict[str, Any]]:
    params = {"strength": strength, "spread": 0.3, "scale": 150.0, "ramp": 0.1, "ramp_angle": 30.0, "seed": 5}
    return [{"effect": "thermal_fade", "params": params}]


@pytest.fixture(scope="module")
def faded() -> dict[float, Sample]:
    """One receipt (seed 3, index 0 of scenes/receipt.yaml) through thermal_fade at each strength of FADES."""
    scene = simvision.load_scene("scenes/receipt.yaml")
    spec = simvision.render_sample(scene, 3, 0).meta["spec"]
    spec = get_generator(scene.generator).spec_model.model_validate(spec)
    return {f: render_spec(scene, spec, 3, 0, fade_plan(f)) for f in FADES}


def words(s: Sample) -> np.ndarray:
    return np.flatnonzero(s.instances.class_id == s.classes.index("word"))


def contrast(s: Sample, r: int) -> float:
    """Paper grey around word row ``r`` minus its darkest ink, measured here from the image and maps alone."""
    g = cv2.cvtColor(s.image, cv2.COLOR_RGB2GRAY).astype(np.float32)
    x0, y0, x1, y1 = (int(v) for v in s.instances.boxes[r])
    pad = max(2, (y1 - y0) // 2)
    win = np.s_[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
    ink = (s.maps[1:] != 0).any(axis=0)[win]
    glyph = s.maps[s.instances.layer[r]][win] == s.instances.instance_id[r]
    return float(np.median(g[win][~ink]) - np.percentile(g[win][glyph], INK_PERCENTILE))


def test_share_marked_illegible_rises_with_fade(faded):
    shares = []
    for f in FADES:
        s = faded[f]
        rows = words(s)
        ignore = s.instances.attrs["ignore"][rows].astype(bool)
        assert {s.instances.attrs["ignore_reason"][r] for r in rows[ignore]} <= {"illegible"}
        shares.append(float(ignore.mean()))
    assert shares == sorted(shares), shares
    assert shares[0] <= 0.05 and shares[-1] >= 0.2, shares  # light fading leaves nearly every word legible


def test_legible_words_have_contrast(faded):
    for f in FADES:
        s = faded[f]
        for r in words(s):
            c = contrast(s, r)
            assert bool(s.instances.attrs["ignore"][r]) == (c < MIN_CONTRAST), (f, s.instances.text[r], c)


def test_writers_treat_illegible_words_as_ignore_regions(faded):
    s = faded[0.95]
    rec = sample_to_record(s, "000000", {"image": "images/000000.jpg", "maps": []})
    bad = [i for i in rec["instances"] if i["ignore"]]
    assert bad and all(i["ignore_reason"] == "illegible" and i["class"] == "word" for i in bad)
    anns = {a["instance_id"]: a for a in record_annotations(rec, 1, 1)}
    assert all(anns[i["id"]]["iscrowd"] == int(i["ignore"]) for i in rec["instances"])
    assert len(yolo.detect_rows(rec).splitlines()) == len(rec["instances"]) - len(bad)
    segments = sroie.segments(rec)
    assert sum(text == sroie.DONT_CARE for _, text in segments) >= 1
    gt = cord.ground_truth(rec)
    kept = {(w["quad"]["x1"], w["quad"]["y1"], w["text"]) for line in gt["valid_line"] for w in line["words"]}
    for i in bad:
        q = cord._quad(i["quad"])
        assert (q["x1"], q["y1"], i["text"]) not in kept
        assert {"quad": q} in gt["dontcare"]
    legible = s.instances[~s.instances.attrs["ignore"].astype(bool)]
    assert rec["key_fields"] == key_fields(legible)


def _fold(t: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode().casefold())


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract (apt: tesseract-ocr) not installed")
def test_tesseract_reads_legible_words_more_often(faded):
    """tesseract (psm 7, one word at native size) reads words marked legible far more often than illegible ones."""
    read: dict[bool, list[bool]] = {True: [], False: []}
    for f in FADES[2:]:
        s = faded[f]
        for r in words(s):
            text = s.instances.text[r]
            if len(re.sub(r"[^0-9A-Za-z]", "", text)) < 3:
                continue
            x0, y0, x1, y1 = (int(v) for v in s.instances.boxes[r])
            crop = cv2.copyMakeBorder(
                s.image[max(0, y0 - 3) : y1 + 3, max(0, x0 - 4) : x1 + 4],
                10,
                10,
                10,
                10,
                cv2.BORDER_REPLICATE,
            )
            png = cv2.imencode(".png", cv2.cvtColor(crop, cv2.COLOR_RGB2BGR))[1].tobytes()
            run = subprocess.run(
                ["tesseract", "stdin", "stdout", "--psm", "7"], input=png, capture_output=True
            )
            read[bool(s.instances.attrs["ignore"][r])].append(_fold(run.stdout.decode()) == _fold(text))
    assert len(read[True]) >= 10
    assert np.mean(read[False]) >= np.mean(read[True]) + 0.3, {k: np.mean(v) for k, v in read.items()}
