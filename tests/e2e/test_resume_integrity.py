"""Issue 19: a rerun trusts a finished sample only as far as its record vouches for it (hashes taken when the
files were written), repairs what is missing or damaged and says so; ``verify`` checks those hashes; a rerun with
a smaller ``-n`` is refused; dataset files are durable (fsync) before a sample is committed."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from simvision.errors import UserError
from simvision.pipeline import generate
from simvision.quality.verify import verify
from simvision.scene import Scene, default_scene_dir, load_scene
from tests.e2e.test_cli import sv, tree

SCENE = default_scene_dir() / "street.yaml"
SIZE = "160x96"  # exactness and resume do not depend on resolution; small frames keep the test quick
ARGS = ["--seed", "5", "--workers", "1", "--format", "coco,yolo", "--size", SIZE, "-q"]


def make(out: Path, n: int) -> subprocess.CompletedProcess:
    return sv("generate", str(SCENE), "--out", str(out), "-n", str(n), *ARGS)


def small_scene() -> Scene:
    return load_scene(SCENE).with_size(SIZE)


def image_of(out: Path, name: str) -> str:
    return json.loads((out / "records" / f"{name}.json").read_text())["files"]["image"]


def flip(path: Path) -> None:
    """One bit in the middle of the file: a JPEG still decodes (a few pixels change), so no label check sees it."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path_factory.mktemp("pristine") / "ds"
    r = make(out, 4)
    assert r.returncode == 0, r.stderr
    return out, tree(out)


def copy_of(pristine: tuple[Path, dict[str, bytes]], dest: Path) -> Path:
    src, files = pristine
    for rel, data in files.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_bytes(data)
    return dest


def test_damaged_samples_are_regenerated_named_and_counted(pristine, tmp_path):
    out = copy_of(pristine, tmp_path / "ds")
    rec = json.loads((out / "records/000002.json").read_text())
    img = image_of(out, "000000")
    flip(out / img)  # a flipped byte: the old rerun hashed it into the manifest
    (out / "records/000001.json").write_bytes((out / "records/000001.json").read_bytes()[:100])  # truncated
    (out / rec["files"]["maps"][0]).unlink()  # a deleted map
    (out / "labels/000003.txt").unlink()  # a deleted label
    r = make(out, 4)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    for name in ("000000", "000001", "000002", "000003"):
        assert f"repaired {name}:" in r.stderr, r.stderr
    assert f"{img} does not match" in r.stderr and "record is unreadable" in r.stderr
    assert f"{rec['files']['maps'][0]} is missing" in r.stderr and "labels/000003.txt is missing" in r.stderr
    assert "4 repaired" in r.stderr
    assert tree(out) == pristine[1], "the repaired dataset equals the undamaged one byte for byte"
    assert verify(out).ok


def test_a_record_edited_in_place_is_not_trusted(pristine, tmp_path):
    out = copy_of(pristine, tmp_path / "ds")
    path = out / "records/000001.json"
    rec = json.loads(path.read_text())
    rec["instances"][0]["bbox"][0] += 1  # still valid JSON, now a wrong label
    path.write_text(json.dumps(rec))
    summary = generate(small_scene(), out, n=4, seed=5, workers=1, formats="coco,yolo")
    assert [(r.name, r.why) for r in summary.repaired] == [
        ("000001", "record does not match its seal (changed since it was written)")
    ]
    assert tree(out) == pristine[1]


def test_verify_fails_on_a_file_unlike_its_bytes_when_written(pristine, tmp_path):
    """Even when the manifest was made from the damaged file (as the old rerun made it), the record's hash taken
    at write time still catches it."""
    out = copy_of(pristine, tmp_path / "ds")
    img = image_of(out, "000002")
    flip(out / img)
    manifest = json.loads((out / "manifest.json").read_text())
    entry = manifest["samples"][2]
    entry["sha256"][img] = hashlib.sha256((out / img).read_bytes()).hexdigest()
    (out / "manifest.json").write_text(json.dumps(manifest))
    report = verify(out)
    assert any(
        f"{img} does not match the sha256 recorded when it was written" in p for p in report.problems
    ), report.problems


def test_manifest_hashes_are_those_recorded_at_write_time(pristine, tmp_path):
    """A rerun after damage that is not repaired (assembly alone, as merge runs it) vouches for nothing new."""
    from simvision.pipeline import assemble

    out = copy_of(pristine, tmp_path / "ds")
    flip(out / image_of(out, "000003"))
    assemble(out, small_scene(), 5, 4, ("coco", "yolo"))
    assert not verify(out).ok


def test_a_smaller_n_is_refused_and_changes_nothing(pristine, tmp_path):
    out = copy_of(pristine, tmp_path / "ds")
    r = make(out, 2)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert "-n: value 2" in r.stderr and "2 sample(s) at index 2 or above" in r.stderr and "-n 4" in r.stderr
    assert tree(out) == pristine[1]
    with pytest.raises(UserError):
        generate(small_scene(), out, n=3, seed=5, workers=1, formats="coco,yolo")


def test_a_sample_is_fsynced_before_its_record_commits_it(tmp_path, monkeypatch):
    """Every file of a sample and its folder are fsynced before the record is renamed into place."""
    import simvision.io as sio

    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: str | Path, dst: str | Path) -> None:
        events.append(("rename", str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(sio.os, "fsync", fsync)
    monkeypatch.setattr(sio.os, "replace", replace)
    from simvision.sample import render_sample, write_entry

    scene = small_scene()
    write_entry(tmp_path, render_sample(scene, 5, 0), "000000", scene, ("coco", "yolo"))
    commit = events.index(("rename", str(tmp_path / "records/000000.json")))
    before = events[:commit]
    for rel in (image_of(tmp_path, "000000"), "maps/000000.layer0.png", "labels/000000.txt"):
        synced = [i for i, e in enumerate(before) if e[0] == "fsync" and e[1].startswith(str(tmp_path / rel))]
        renamed = before.index(("rename", str(tmp_path / rel)))
        assert synced and synced[0] < renamed, f"{rel} not fsynced before its rename"
    for folder in ("images", "maps", "labels"):
        assert ("fsync", str(tmp_path / folder)) in before, f"{folder}/ not fsynced before the commit"
    assert ("fsync", str(tmp_path / "records")) in events[commit:]
