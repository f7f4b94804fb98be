"""Fuzzed scene files through the CLI's validation path (issue 19): a seeded mutator damages the shipped scene files a
few hundred ways; each variant either validates or is refused with a message whose every line names the file and a
field (or the YAML line), quickly and in bounded memory. A few run for real: ``generate -n 1`` then ``verify``."""

from __future__ import annotations

import re
import resource
import time

import yaml

from simvision.errors import UserError
from simvision.scene import load_scene
from tests.e2e.test_hostile_input import one_line, run_cli
from tests.unit.scene_mutator import text_variants, variants

KEY = r'([\w<>-]+|"([^"\\]|\\.)*")'  # a field name, quoted when it is not a plain word
FIELD = rf"{KEY}(\.{KEY})*"
SECONDS = 2.0  # the most one variant may take to validate or be refused
MEMORY_MB = 300  # the most the whole fuzz run may grow this process's peak memory


def _written(tmp_path, i: int, name: str, data: bytes):
    path = tmp_path / f"{i:03d}_{name}.yaml"
    path.write_bytes(data)
    return path


def test_fuzzed_scene_files_validate_or_are_refused_naming_a_field(tmp_path):
    docs = [(n, yaml.safe_dump(d, sort_keys=False).encode()) for n, d in variants(240, seed=2019)]
    cases = docs + text_variants(80, seed=2019)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    valid, slow, bad = [], [], []
    for i, (name, data) in enumerate(cases):
        path = _written(tmp_path, i, name, data)
        start = time.monotonic()
        try:
            scene = load_scene(path)
            valid.append((path, scene))
        except UserError as e:
            named = re.compile(
                rf"^{re.escape(str(path))}: (not valid YAML|not UTF-8|refused: |{FIELD}: value )"
            )
            bad += [f"{path.name}: {line[:300]}" for line in str(e).splitlines() if not named.match(line)]
            bad += [
                f"{path.name}: {len(line)} characters" for line in str(e).splitlines() if len(line) > 1000
            ]
        took = time.monotonic() - start
        if took > SECONDS:
            slow.append(f"{path.name}: {took:.1f} s")
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak) / 1024
    assert not bad, "refusals that name no field:\n" + "\n".join(bad[:20])
    assert not slow, slow
    assert grown < MEMORY_MB, f"peak memory grew by {grown:.0f} MB"
    assert 20 < len(valid) < len(cases) - 100, len(valid)  # both outcomes are exercised


def test_some_fuzzed_scene_files_generate_and_verify(tmp_path):
    """A handful through a real process: valid variants of the 2D scenes make a sample that verifies; a refused one
    exits 2 with one line."""
    picked: dict[str, object] = {}
    refused = None
    # enough variants that each kind has a valid one whatever the number of shipped scene files (they cycle)
    for i, (name, doc) in enumerate(variants(240, seed=7)):
        if len(picked) == 2 and refused is not None:
            break
        path = _written(tmp_path, i, name, yaml.safe_dump(doc, sort_keys=False).encode())
        try:
            scene = load_scene(path)
        except UserError:
            refused = refused or path
            continue
        if scene.generator in ("receipt", "street") and scene.render.engine == "2d":
            picked.setdefault(scene.generator, path)
    assert len(picked) == 2 and refused is not None
    commands = []
    for path in picked.values():
        out = str(tmp_path / f"out_{path.stem}")
        commands += [
            ["generate", str(path), "--out", out, "-n", "1", "-q", "--workers", "1"],
            ["verify", out],
        ]
    commands.append(["generate", str(refused), "--out", str(tmp_path / "refused"), "-n", "1", "-q"])
    *made, no = run_cli(commands)
    for r in made:
        assert r["status"] == 0, (r["argv"], r["stderr"][-2000:])
    assert no["status"] == 2, one_line(no)
    assert not (tmp_path / "refused").exists()
