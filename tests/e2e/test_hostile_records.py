"""Records and manifests are input: crafted ones must not make merge, verify, report, replay or the loaders read
or write outside their dataset, inject markup into the report page, or crash with a traceback (issue 19: 8-10)."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from simvision.dataset_paths import MAX_FILE_BYTES, inside
from simvision.errors import UserError
from simvision.scene import default_scene_dir, load_scene


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two small receipts (the smallest render of a shipped scene), written once; each test edits a copy."""
    from simvision.pipeline import generate

    out = tmp_path_factory.mktemp("hostile") / "clean"
    scene = load_scene(default_scene_dir() / "receipt.yaml").with_size("120x280")
    summary = generate(scene, out, n=2, seed=3, workers=1, formats=("coco", "yolo"))
    assert not summary.failures, summary.failures
    return out


@pytest.fixture()
def ds(clean: Path, tmp_path: Path) -> Path:
    """A copy of the clean dataset, two folders down, so ``../`` paths land in this test's own tmp_path."""
    out = tmp_path / "a" / "ds"
    shutil.copytree(clean, out)
    return out


def _record(ds: Path, name: str = "000000") -> dict[str, Any]:
    return json.loads((ds / "records" / f"{name}.json").read_text())


def _write_record(ds: Path, rec: dict[str, Any], name: str = "000000") -> Path:
    path = ds / "records" / f"{name}.json"
    path.write_text(json.dumps(rec))
    return path


# --- the helper -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rel", ["../x.png", "a/../../x.png", "/etc/passwd", "", "a\\..\\..\\x", "a\x00b", 7])
def test_inside_refuses_every_way_out(tmp_path: Path, rel: object):
    with pytest.raises(UserError, match="files.image"):
        inside(tmp_path, rel, "files.image")


def test_inside_refuses_a_symlink_out(tmp_path: Path):
    (tmp_path / "ds").mkdir()
    (tmp_path / "secret.png").write_bytes(b"x")
    (tmp_path / "ds" / "link.png").symlink_to(tmp_path / "secret.png")
    assert inside(tmp_path / "ds", "images/000000.jpg", "f") == tmp_path / "ds" / "images" / "000000.jpg"
    with pytest.raises(UserError, match="outside the dataset"):
        inside(tmp_path / "ds", "link.png", "f")


# --- merge (defect 8) -------------------------------------------------------------------------------------------


def _add_manifest_entry(ds: Path, rel: str, data: bytes) -> None:
    manifest = json.loads((ds / "manifest.json").read_text())
    manifest["samples"][0]["sha256"][rel] = hashlib.sha256(data).hexdigest()
    (ds / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize("escape", ["../../outside/evil.txt", "images/../../../outside/evil.txt", "absolute"])
def test_merge_writes_nothing_outside_out(ds: Path, tmp_path: Path, escape: str):
    from simvision.merge import merge

    payload = b"written by a crafted manifest\n"
    # the source, where the crafted entry points from the shard (tmp_path/outside/evil.txt) ...
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "evil.txt").write_bytes(payload)
    out = tmp_path / "m" / "n" / "merged"
    # ... and the target it would reach from --out: tmp_path/m/outside/evil.txt
    rel = str(tmp_path / "m" / "outside" / "evil.txt") if escape == "absolute" else escape
    if escape == "absolute":
        (tmp_path / "m" / "outside").mkdir(parents=True)
        (tmp_path / "m" / "outside" / "evil.txt").write_bytes(payload)
    _add_manifest_entry(ds, rel, payload)
    with pytest.raises(UserError, match=r"sha256"):
        merge(out, [ds])
    assert not (tmp_path / "m" / "outside" / "evil.txt").exists() or escape == "absolute"
    assert not out.exists() or not any(out.rglob("*.jpg"))  # refused before anything was copied


def test_merge_refuses_a_record_naming_a_file_outside(ds: Path, tmp_path: Path):
    from simvision.merge import merge

    rec = _record(ds)
    rec["files"]["image"] = "../../outside.jpg"
    data = json.dumps(rec).encode()
    _write_record(ds, rec)
    manifest = json.loads((ds / "manifest.json").read_text())
    manifest["samples"][0]["sha256"]["records/000000.json"] = hashlib.sha256(data).hexdigest()
    (ds / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(UserError, match="files.image"):
        merge(tmp_path / "merged", [ds])


# --- verify, loaders, report read only inside (defect 8) --------------------------------------------------------


def _point_image_outside(ds: Path, tmp_path: Path) -> None:
    """Record 0's image moved out of the dataset and named by a ../ path (same bytes: only the path is wrong)."""
    rec = _record(ds)
    outside = tmp_path / "stolen.jpg"
    shutil.copyfile(ds / rec["files"]["image"], outside)
    rec["files"]["image"] = "../../stolen.jpg"
    assert (ds / rec["files"]["image"]).resolve() == outside  # paths in a record are relative to the dataset
    _write_record(ds, rec)


def test_verify_reports_a_path_outside_and_does_not_read_it(ds: Path, tmp_path: Path):
    from simvision.quality.verify import verify

    _point_image_outside(ds, tmp_path)
    report = verify(ds)
    assert any("files.image" in p for p in report.problems), report.problems


def test_verify_reports_a_manifest_path_outside(ds: Path, tmp_path: Path):
    from simvision.quality.verify import verify

    secret = tmp_path / "a" / "secret.txt"
    secret.write_bytes(b"s")
    _add_manifest_entry(ds, "../secret.txt", b"s")
    report = verify(ds)
    assert any("../secret.txt" in p for p in report.problems), report.problems


def test_loader_refuses_a_path_outside(ds: Path, tmp_path: Path):
    from simvision.loaders import SimvisionDataset

    _point_image_outside(ds, tmp_path)
    data = SimvisionDataset(ds)
    assert len(data[1]["boxes"])  # the untouched sample loads
    with pytest.raises(UserError, match="files.image"):
        data[0]


def test_loader_refuses_a_crafted_sample_name(ds: Path):
    from simvision.loaders import SimvisionDataset

    manifest = json.loads((ds / "manifest.json").read_text())
    manifest["samples"][0]["name"] = "../../../etc/passwd"
    (ds / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(UserError, match="name"):
        SimvisionDataset(ds)


def test_report_refuses_a_path_outside(ds: Path, tmp_path: Path):
    from simvision.quality.report import write_report

    _point_image_outside(ds, tmp_path)
    with pytest.raises(UserError, match="files.image"):
        write_report(ds, gallery=2)


# --- report escapes what it shows (defect 9) --------------------------------------------------------------------

NASTY = ["<script>alert(1)</script>", '"><svg onload=alert(2)>', "' onerror='alert(3)", "&lt;b&gt;"]
# sample names are file names too (records/<name>.json): markup and quotes, no '/'
NAMES = ['"><svg onload=alert(4)>', "' onmouseover='alert(5)"]


def test_report_page_escapes_every_value_from_a_file(ds: Path):
    """Every field the page shows from records or the run file, set to markup and quote-breaking strings: the page
    holds none of them raw, and the gallery's alt attribute stays one attribute."""
    from simvision.quality.report import write_report

    run = json.loads((ds / "dataset.json").read_text())
    run["identity"]["scene"]["description"] = NASTY[0]
    (ds / "dataset.json").write_text(json.dumps(run))
    for old, name in zip(["000000", "000001"], NAMES, strict=True):
        rec = _record(ds, old)
        rec["name"] = name
        rec["tags"] = [NASTY[0], NASTY[2]]
        rec["split"] = NASTY[1]
        rec["tags"].append(NASTY[3])
        for inst in rec["instances"]:
            if inst.get("text") is not None:
                inst["text"] = NASTY[0]
        rec["key_fields"] = {NASTY[1]: NASTY[0]}
        (ds / "records" / f"{old}.json").unlink()
        _write_record(ds, rec, name)
    html_path, numbers = write_report(ds, gallery=2)
    page = html_path.read_text()
    assert len(numbers["gallery"]) == 2
    for bad in (*NASTY, *NAMES, "<script", "<svg", "onerror='", "onmouseover='"):
        assert bad not in page, (bad, page[max(0, page.find(bad) - 200) : page.find(bad) + 200])
    assert page.count("<figure><img alt=") == 2
    # each alt attribute ends where its src begins: no quote broke out of it
    for alt in page.split("<figure><img alt=")[1:]:
        value = alt.split(" src=", 1)[0]
        assert value.startswith('"') and value.endswith('"') and '"' not in value[1:-1], value


# --- replay validates the record (defect 10) --------------------------------------------------------------------


def _replay_cli(
    path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    from simvision import cli

    monkeypatch.setattr(sys, "argv", ["simvision", "replay", str(path)])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    return int(exit_.value.code or 0), capsys.readouterr().err


def _set(rec: dict[str, Any], dotted: str, value: Any) -> None:
    *head, last = dotted.split(".")
    for k in head:
        rec = rec[int(k)] if isinstance(rec, list) else rec[k]
    key: Any = int(last) if isinstance(rec, list) else last
    if value is _DELETE:
        del rec[key]
    else:
        rec[key] = value


_DELETE = object()
BAD_FIELDS = [
    ("seed", "7"),
    ("index", -1),
    ("name", 12),
    ("generator", "os:system"),
    ("files", _DELETE),
    ("files.maps", "maps/000000.layer0.png"),
    ("files.image", "/dev/zero"),
    ("files.image", "../../../../../../dev/zero"),
    ("files.maps.0", "../../x.png"),
    ("render.augment", [{"effect": "no_such_effect", "params": {}}]),
    ("render.augment", [{"effect": "shadow"}]),
    ("spec", ["not", "an", "object"]),
    ("spec.width", 5000),
    ("spec.font_px", "huge"),
    ("instances", {"a": 1}),
    ("scene_config.image.width", 10**6),
]


@pytest.mark.parametrize(
    ("field", "value"), BAD_FIELDS, ids=[f"{f}-{k}" for k, (f, _) in enumerate(BAD_FIELDS)]
)
def test_replay_of_a_bad_field_exits_2_naming_it(ds, field, value, monkeypatch, capsys):
    rec = _record(ds)
    _set(rec, field, value)
    code, err = _replay_cli(_write_record(ds, rec), monkeypatch, capsys)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, err
    assert len(lines) == 1 and "Traceback" not in err, err
    assert field.split(".")[0] in lines[0], lines[0]


def test_replay_refuses_a_device_and_an_oversized_file_before_reading(ds, monkeypatch, capsys):
    rec = _record(ds)
    (ds / "images" / "zero.jpg").symlink_to("/dev/zero")
    rec["files"]["image"] = "images/zero.jpg"  # a link out of the dataset, to a device
    code, err = _replay_cli(_write_record(ds, rec), monkeypatch, capsys)
    assert code == 2 and "files.image" in err, err
    with (ds / "images" / "big.jpg").open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    rec["files"]["image"] = "images/big.jpg"
    code, err = _replay_cli(_write_record(ds, rec), monkeypatch, capsys)
    assert code == 2 and "files.image" in err and "bytes" in err, err
    fifo = ds / "maps" / "fifo.png"
    import os

    os.mkfifo(fifo)  # reading it would block forever
    rec["files"]["image"] = rec["files"]["maps"][0]
    rec["files"]["maps"] = ["maps/fifo.png"]
    code, err = _replay_cli(_write_record(ds, rec), monkeypatch, capsys)
    assert code == 2 and "files.maps" in err, err


def test_replay_of_the_record_itself_as_a_device(monkeypatch, capsys):
    code, err = _replay_cli(Path("/dev/zero"), monkeypatch, capsys)
    assert code == 2 and "regular file" in err, err


def test_replay_of_an_untouched_record_still_matches(ds):
    from simvision.replay import replay

    assert replay(ds / "records" / "000001.json").identical


def test_report_names_an_unknown_edge_case(ds: Path):
    from simvision.quality.report import write_report

    rec = _record(ds)
    rec["edge_cases"] = ["<b>not_in_the_scene"]
    _write_record(ds, rec)
    with pytest.raises(UserError, match="edge_cases"):
        write_report(ds, gallery=1)
