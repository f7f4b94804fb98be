"""Plugins: a kind registered through an entry point of an installed distribution is found and renders; a scene
file may name ``package.module:NAME``; generic modules never import a scene kind."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import simvision
import simvision.scene
from simvision.errors import UserError
from simvision.registry import generator_names, get_generator
from simvision.scene import parse_scene

ROOT = Path(simvision.__file__).resolve().parent

THROWAWAY_KIND = """
import numpy as np
from pydantic import BaseModel, ConfigDict

from simvision.labels import boxes_and_areas
from simvision.scenekind import SceneKind
from simvision.types import Instances, Sample


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dots: int = 3


class Spec(BaseModel):
    width: int
    height: int
    centres: list[tuple[int, int]]


def sample(rng, p, canvas):
    return Spec(width=canvas.width, height=canvas.height,
                centres=[(int(rng.integers(8, canvas.width - 8)), int(rng.integers(8, canvas.height - 8)))
                         for _ in range(p.dots)])


def render(spec, settings):
    ids = np.zeros((spec.height, spec.width), np.int32)
    for k, (x, y) in enumerate(spec.centres, 1):
        ids[y - 4 : y + 4, x - 4 : x + 4] = k
    present = np.unique(ids[ids > 0]).astype(np.int32)
    boxes, _ = boxes_and_areas(ids, present)
    img = np.where(ids[..., None] > 0, 200, 30).astype(np.uint8).repeat(3, axis=2)
    n = len(present)
    inst = Instances(present, np.ones(n, np.int32), np.zeros(n, np.int32), boxes,
                     np.full((n, 4, 2), np.nan, np.float32), ("",) * n)
    return Sample(image=img, maps=ids[None], instances=inst, classes=("background", "dot"), meta={})


KIND = SceneKind(name="dots", description="squares on black (test plugin)", classes=("background", "dot"),
                 params_model=Params, spec_model=Spec, sample=sample, render=render)
"""


def _install_throwaway(site: Path) -> None:
    """What ``pip install`` leaves behind for a distribution with one entry point: the module and a dist-info."""
    (site / "throwaway_dots.py").write_text(textwrap.dedent(THROWAWAY_KIND))
    info = site / "throwaway_dots-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: throwaway-dots\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[simvision.generators]\ndots = throwaway_dots:KIND\n")
    (info / "RECORD").write_text("")


def test_entry_point_kind_is_found_and_renders(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    _install_throwaway(site)
    scene = tmp_path / "dots.yaml"
    scene.write_text("generator: dots\nimage: {width: 64, height: 48, format: png}\nparams: {dots: 4}\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    listed = subprocess.run(
        [sys.executable, "-m", "simvision", "scenes"], env=env, capture_output=True, text=True
    )
    assert listed.returncode == 0, listed.stderr
    assert "dots" in listed.stdout and "entry point" in listed.stdout
    out = tmp_path / "ds"
    run = subprocess.run(
        [sys.executable, "-m", "simvision", "generate", str(scene), "--out", str(out), "-n", "3", "--workers", "1",
         "--quiet", "--format", "coco,yolo"], env=env, capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 0, run.stderr
    coco = json.loads((out / "coco.json").read_text())
    assert len(coco["images"]) == 3 and len(coco["annotations"]) >= 3 * 3  # squares may overlap
    assert all(a["area"] <= 64 for a in coco["annotations"])
    check = subprocess.run(
        [sys.executable, "-m", "simvision", "verify", str(out)], env=env, capture_output=True
    )
    assert check.returncode == 0, check.stdout


def test_module_path_generator_in_a_scene_file(tmp_path, monkeypatch):
    (tmp_path / "mod_dots.py").write_text(textwrap.dedent(THROWAWAY_KIND))
    monkeypatch.syspath_prepend(str(tmp_path))
    scene = parse_scene({"generator": "mod_dots:KIND", "image": {"width": 64, "height": 48}}, "d", "d.yaml")
    s = simvision.render_sample(scene, seed=1, index=0)
    assert s.image.shape == (48, 64, 3) and len(s.instances) >= 1


@pytest.mark.parametrize(
    "value, says",
    [("nosuchmodule_xyz:KIND", "cannot import"), ("json:KIND", "has no 'KIND'"), ("json:dumps", "not a simvision"),
     ("not a path", "must be one of")],
)  # fmt: skip
def test_bad_generator_names_the_field_and_value(value, says):
    with pytest.raises(UserError) as e:
        parse_scene({"generator": value}, "x", "x.yaml")
    assert "generator" in str(e.value) and value in str(e.value) and says in str(e.value)


def test_example_plugin_is_registered():
    """examples/shelf is installed with the project (make install) and so runs through the contract test."""
    assert "shelf" in generator_names()
    kind = get_generator("shelf")
    assert kind.source.startswith("entry point") and kind.scene_files and kind.scene_files[0].is_file()


GENERIC = ["pipeline.py", "sample.py", "record.py", "cli.py", "scene.py", "registry.py", "scenekind.py",
           "merge.py", "replay.py", "runner.py", "ray_backend.py", "loaders.py", "labels.py", "types.py",
           "quality", "writers/registry.py", "writers/coco.py", "writers/yolo.py", "augment", "render", "world"]  # fmt: skip


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_generic_modules_import_no_scene_kind():
    """Generic code asks the SceneKind contract, and renderers draw the shared World: neither imports a kind's
    package (strings in the built-in registry table are not imports)."""
    files = [
        p for g in GENERIC for p in ([ROOT / g] if g.endswith(".py") else sorted((ROOT / g).rglob("*.py")))
    ]
    assert len(files) > 25
    bad = {
        str(p.relative_to(ROOT)): m for p in files for m in _imports(p) if m.startswith("simvision.scenes")
    }
    assert not bad, bad


def test_the_world_model_imports_no_renderer_and_bpy_stays_in_the_blender_renderer():
    """Dependencies point one way: scene kinds -> world -> renderers view the world. The world package (assets
    included) never imports a renderer, and only simvision/render/blender imports bpy."""
    world = {
        str(p.relative_to(ROOT)): m
        for p in sorted((ROOT / "world").rglob("*.py"))
        for m in _imports(p)
        if m.startswith("simvision.render")
    }
    assert not world, world
    blender = ROOT / "render" / "blender"
    bpy_users = {
        str(p.relative_to(ROOT))
        for p in sorted(ROOT.rglob("*.py"))
        if blender not in p.parents and any(m == "bpy" or m.startswith("bpy.") for m in _imports(p))
    }
    assert not bpy_users, bpy_users


def test_a_renderer_that_breaks_the_canvas_contract_is_named(tmp_path, monkeypatch):
    """A kind whose renderer draws the wrong size fails loudly, naming the kind and renderer, before anything is
    written from it."""
    bad = THROWAWAY_KIND.replace("ids = np.zeros((spec.height, spec.width), np.int32)",
                                 "ids = np.zeros((spec.height, spec.width + 1), np.int32)")  # fmt: skip
    (tmp_path / "bad_dots.py").write_text(textwrap.dedent(bad))
    monkeypatch.syspath_prepend(str(tmp_path))
    scene = parse_scene({"generator": "bad_dots:KIND", "image": {"width": 64, "height": 48}}, "d", "d.yaml")
    with pytest.raises(
        RuntimeError, match=r"scene kind 'dots', renderer '2d' broke the canvas contract.*image"
    ):
        simvision.render_sample(scene, seed=1, index=0)


THROWAWAY_WRITER = """
from simvision.writers.registry import Writer


def entry(record, image):
    rows = [f"{i['class']} {i['area']}" for i in record["instances"]]
    return {f"areas/{record['name']}.txt": "".join(r + "\\n" for r in rows).encode("ascii")}


def dataset(ctx):
    return {"areas/count.txt": f"{len(ctx.records)}\\n".encode("ascii")}


WRITER = Writer("areas", "`areas/<name>.txt`: class and pixel count per instance", entry=entry, dataset=dataset)
"""


def test_entry_point_writer_is_listed_and_writes(tmp_path):
    """A writer registered by an installed package's entry point is in `simvision formats` and writes its files
    for any kind (a generic writer), listed in the manifest like the built-in ones."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "throwaway_areas.py").write_text(textwrap.dedent(THROWAWAY_WRITER))
    info = site / "throwaway_areas-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: throwaway-areas\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[simvision.writers]\nareas = throwaway_areas:WRITER\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    listed = subprocess.run(
        [sys.executable, "-m", "simvision", "formats"], env=env, capture_output=True, text=True
    )
    assert listed.returncode == 0 and "areas" in listed.stdout, listed.stderr
    out = tmp_path / "ds"
    scene = simvision.scene.default_scene_dir() / "receipt.yaml"
    run = subprocess.run(
        [sys.executable, "-m", "simvision", "generate", str(scene), "--out", str(out), "-n", "2", "--workers", "1",
         "--quiet", "--format", "coco,areas", "--size", "300x700"], env=env, capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert (out / "areas" / "count.txt").read_text() == "2\n"
    coco = json.loads((out / "coco.json").read_text())
    lines = (out / "areas" / "000000.txt").read_text().splitlines()
    assert len(lines) == sum(a["image_id"] == coco["images"][0]["id"] for a in coco["annotations"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert "areas/000000.txt" in manifest["samples"][0]["sha256"]


def test_a_broken_plugin_does_not_take_the_builtin_kinds_down(tmp_path):
    """An entry point whose module is gone (a half-removed package) is listed as broken; every other command and
    kind keeps working."""
    site = tmp_path / "site"
    info = site / "gone_plugin-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gone-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[simvision.generators]\ngone = gone_plugin_module:KIND\n[simvision.writers]\ngonew = gone_plugin_module:W\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    listed = subprocess.run(
        [sys.executable, "-m", "simvision", "scenes"], env=env, capture_output=True, text=True
    )
    assert listed.returncode == 0, listed.stderr
    assert "broken plugin" in listed.stdout and "receipt" in listed.stdout
    fmts = subprocess.run(
        [sys.executable, "-m", "simvision", "formats"], env=env, capture_output=True, text=True
    )
    assert fmts.returncode == 0 and "kitti" in fmts.stdout, fmts.stderr
