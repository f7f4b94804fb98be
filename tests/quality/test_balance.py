"""Balance strata and edge cases: met by index within one sample for every prefix, validated like the rest."""

from __future__ import annotations

import json
import math
from collections import Counter

import numpy as np
import pytest

from simvision.balance import edge_case_on, stratum_index, stratum_of
from simvision.errors import UserError
from simvision.pipeline import generate
from simvision.scene import load_scene, parse_scene


@pytest.mark.parametrize("case", range(40))
def test_every_prefix_is_within_one_sample_of_the_shares(case):
    g = np.random.default_rng([7, case])
    k = int(g.integers(2, 7))
    shares = g.dirichlet(np.full(k, g.uniform(0.2, 3.0)))
    if case % 4 == 0:  # round shares, as scene files write them
        shares = np.round(shares, 2)
        shares[-1] = 1 - shares[:-1].sum()
        if (shares <= 0).any():
            return
    counts = np.zeros(k)
    for n in range(1, 3001):
        counts[stratum_index(n - 1, list(shares))] += 1
        assert np.abs(counts - n * shares).max() < 1.0, (n, shares, counts)


def test_edge_cases_are_within_one_sample_and_differ_by_seed():
    for rate in (0.013, 0.1, 0.37, 0.9):
        for seed in (0, 1, 99):
            on = [edge_case_on(seed, i, "tiny", rate) for i in range(5000)]
            for n in (1, 10, 77, 1000, 5000):
                assert abs(sum(on[:n]) - n * rate) <= 1.0
    a = [i for i in range(300) if edge_case_on(0, i, "tiny", 0.1)]
    b = [i for i in range(300) if edge_case_on(1, i, "tiny", 0.1)]
    assert a != b


def test_strata_do_not_depend_on_the_dataset_size():
    shares = {"a": 0.1, "b": 0.25}
    first = [stratum_of(i, shares) for i in range(100)]
    _ = [stratum_of(i, shares) for i in range(20000)]
    assert [stratum_of(i, shares) for i in range(100)] == first


def _street(extra: dict) -> dict:
    data = {"generator": "street", "image": {"width": 160, "height": 120}}
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("section", "needle"),
    [
        ({"balance": {"a": {"share": 0.7}, "b": {"share": 0.4}}}, "balance: value {...} — shares sum to 1.1"),
        ({"balance": {"Bad Name": {"share": 0.1}}}, "must match"),
        ({"balance": {"a": {"share": 0}}}, "balance.a.share: value 0"),
        (
            {"balance": {"a": {"share": 0.1, "params": {"weather": {"kind": {"choices": {"hail": 1}}}}}}},
            "balance.a.params.weather.kind: value {...} — unknown choice(s) ['hail']",
        ),
        ({"edge_cases": {"tiny": {"rate": 1.5}}}, "edge_cases.tiny.rate: value 1.5"),
        (
            {"edge_cases": {"tiny": {"rate": 0.1, "params": {"camera": {"focal": 3}}}}},
            "edge_cases.tiny.params.camera.focal",
        ),
    ],
)
def test_bad_balance_sections_name_the_field(section, needle):
    with pytest.raises(UserError) as e:
        parse_scene(_street(section), "s", "s.yaml")
    assert needle in str(e.value)


def test_a_street_dataset_meets_its_targets_and_tags_its_edge_cases(tmp_path):
    scene = load_scene("scenes/street.yaml").with_size("96x72")
    n = 30
    generate(scene, tmp_path, n=n, seed=3, workers=2, formats=("coco",))
    recs = [json.loads(p.read_text()) for p in sorted((tmp_path / "records").glob("*.json"))]
    strata = Counter(r["stratum"] for r in recs)
    for name, s in scene.balance.items():
        assert abs(strata[name] - s.share * n) <= 1
    for r in recs:
        if r["stratum"] == "night_rain_animal":
            spec = r["spec"]
            assert spec["weather"]["kind"] == "rain" and spec["sun"]["elevation_deg"] < -6
            assert any("animal_on_road" in o["tags"] for o in spec["objects"])
            assert {"rain", "night", "animal_on_road"} <= set(r["tags"])
        if "tiny_objects" in r["edge_cases"]:
            assert r["spec"]["camera"]["focal_mm"] <= 15
            assert "tiny_objects" in r["tags"]
    for name, e in scene.edge_cases.items():
        got = sum(name in r["edge_cases"] for r in recs)
        assert abs(got - e.rate * n) <= 1 and got == math.floor(got)


def test_edge_case_effects_are_validated_and_camera_effects_refused():
    base = {"generator": "receipt"}
    with pytest.raises(UserError) as e:
        parse_scene(
            {**base, "edge_cases": {"tilt": {"rate": 0.1, "augment": [{"name": "camera"}]}}}, "r", "r.yaml"
        )
    assert "edge_cases.tilt.augment.0.name: value 'camera' — camera effects cannot be added" in str(e.value)
    with pytest.raises(UserError) as e:
        parse_scene(
            {**base, "edge_cases": {"dark": {"rate": 0.1, "augment": [{"name": "shadow", "p": 2}]}}},
            "r",
            "r.yaml",
        )
    assert "edge_cases.dark.augment" in str(e.value) and "value 2" in str(e.value)


def test_a_receipt_edge_case_with_added_effects_is_tagged_and_replays(tmp_path):
    from simvision.replay import replay

    scene = load_scene("scenes/receipt.yaml")
    hits = [i for i in range(40) if "unusual_lighting" in scene.conditions(0, i)[1]]
    n = hits[0] + 1
    generate(scene, tmp_path, n=n, seed=0, workers=2, formats=("coco",))
    rec = json.loads((tmp_path / f"records/{hits[0]:06d}.json").read_text())
    assert rec["edge_cases"] == ["unusual_lighting"] and "unusual_lighting" in rec["tags"]
    assert "shadow" in [s["effect"] for s in rec["render"]["augment"]]
    assert replay(tmp_path / f"records/{hits[0]:06d}.json").identical
    others = [json.loads(p.read_text()) for p in sorted((tmp_path / "records").glob("*.json"))][: hits[0]]
    assert all(
        r["render"].get("augment") is None for r in others if not r["edge_cases"]
    )  # receipt.yaml has none
