"""The report page renders in headless Chromium without console errors; injected duplicates are found and
--dedupe leaves them out of every dataset file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pycocotools.coco import COCO

from simvision.io import sha256_bytes
from simvision.pipeline import generate
from simvision.quality.dedupe import image_phash
from simvision.quality.report import write_report
from simvision.quality.verify import verify
from simvision.record import sealed
from simvision.scene import load_scene

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def street(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("street_report")
    scene = load_scene("scenes/street.yaml").with_size("128x96")
    generate(scene, out, n=8, seed=2, workers=2, formats=("coco", "yolo"), split="train=0.75,val=0.25")
    return out


def _inject_duplicate(ds: Path, src: int, dst: int) -> None:
    """Make sample ``dst``'s image a byte copy of ``src``'s, as a generator that repeats itself would: the record
    vouches for the copy (its write-time hash and seal), else a resume would rightly redo the sample."""
    a, b = (json.loads((ds / f"records/{i:06d}.json").read_text()) for i in (src, dst))
    data = (ds / a["files"]["image"]).read_bytes()
    (ds / b["files"]["image"]).write_bytes(data)
    b["phash"] = image_phash(data)
    b["sha256"][b["files"]["image"]] = sha256_bytes(data)
    (ds / f"records/{dst:06d}.json").write_bytes(sealed(b))


def test_report_page_renders_in_headless_chromium(street, tmp_path):
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have chromium (.ci/run installs it) to check the report page")
        pytest.skip("no chromium on this machine")
    playwright = pytest.importorskip("playwright.sync_api")
    html, numbers = write_report(street, gallery=4)
    errors: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],  # fmt: skip
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on(
            "request",
            lambda r: errors.append(f"fetched {r.url}") if not r.url.startswith(("file:", "data:")) else None,
        )
        page.goto(html.resolve().as_uri())
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        loaded = page.evaluate(
            "Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length"
        )
        total = page.evaluate("document.images.length")
        headings = page.evaluate("Array.from(document.querySelectorAll('h2')).map(h => h.textContent)")
        browser.close()
    assert errors == []
    assert total == loaded and total >= 10
    assert len(numbers["gallery"]) == 4
    for h in ("Verification", "Classes", "Balance and edge cases", "Splits", "Near-duplicates", "Gallery"):
        assert any(x.startswith(h) for x in headings), h
    assert shot.stat().st_size > 50_000  # a full page, not a blank one


def test_injected_duplicate_is_flagged_and_dedupe_drops_it(street, tmp_path):
    ds = tmp_path / "ds"
    shutil.copytree(street, ds)
    _inject_duplicate(ds, 1, 5)
    _, numbers = write_report(ds, gallery=0)
    pairs = [(p["a"], p["b"]) for p in numbers["duplicates"]["pairs"]]
    assert pairs == [(1, 5)]
    # resume with --dedupe: nothing to render, the dataset files are assembled without the duplicate
    cmd = [sys.executable, "-m", "simvision", "generate", "scenes/street.yaml", "--size", "128x96", "--out", str(ds),
           "-n", "8", "--seed", "2", "--format", "coco,yolo", "--split", "train=0.75,val=0.25", "--dedupe", "-q"]  # fmt: skip
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=Path(__file__).parents[2])
    assert res.returncode == 0, res.stderr
    dups = json.loads((ds / "duplicates.json").read_text())
    assert dups["excluded"] == [{"index": 5, "duplicate_of": 1}]
    manifest = json.loads((ds / "manifest.json").read_text())
    assert manifest["excluded"] == dups["excluded"] and len(manifest["samples"]) == 8
    assert 6 not in COCO(str(ds / "coco.json")).getImgIds()  # image id = index + 1
    assert len(COCO(str(ds / "coco.json")).getImgIds()) == 7
    listed = [line for s in ("train", "val") for line in (ds / f"{s}.txt").read_text().splitlines()]
    dropped = json.loads((ds / "records/000005.json").read_text())["files"]["image"]
    assert f"./{dropped}" not in listed and len(listed) == 7
    assert yaml.safe_load((ds / "data.yaml").read_text())["train"] == "train.txt"
    assert verify(ds).ok
    # the same command again gives the same bytes (reproducible)
    before = (ds / "manifest.json").read_bytes()
    subprocess.run(cmd, check=True, capture_output=True, cwd=Path(__file__).parents[2])
    assert (ds / "manifest.json").read_bytes() == before


def test_report_refuses_a_folder_that_is_not_a_dataset(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "simvision", "report", str(tmp_path)], capture_output=True, text=True
    )
    assert res.returncode == 2 and "not a simvision dataset" in res.stderr
    assert not (tmp_path / "report").exists()


@pytest.mark.parametrize("bad", ["train=0.8,val=0.1", "train=0.5,train=0.5", "Train=1", "train=x"])
def test_bad_split_exits_2_and_writes_nothing(tmp_path, bad):
    out = tmp_path / "o"
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "simvision",
            "generate",
            "scenes/receipt.yaml",
            "--out",
            str(out),
            "-n",
            "2",
            "--split",
            bad,
            "-q",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    assert res.returncode == 2 and "--split: value" in res.stderr
    assert not out.exists()
