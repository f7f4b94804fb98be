"""Near-duplicate detection: phash of real rendered receipts, spec digests, banded search vs brute force, drop plans."""

from __future__ import annotations

import hashlib
import io
import itertools

import imagehash
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from simvision.io import encode_image
from simvision.quality.dedupe import (
    DEFAULT_MAX_DISTANCE,
    drop_plan,
    find_duplicates,
    hamming,
    image_phash,
    run_pairs,
    spec_digest,
)
from simvision.sample import render_sample
from simvision.scene import Scene, default_scene_dir, load_scene

SEED = 11
N_DISTINCT = 10


@pytest.fixture(scope="module")
def receipt() -> Scene:
    return load_scene(default_scene_dir() / "receipt.yaml")


@pytest.fixture(scope="module")
def rendered(receipt: Scene) -> list[tuple[np.ndarray, dict]]:
    """(RGB image, sampled spec) of the first ``N_DISTINCT`` receipts of seed ``SEED`` that render."""
    out = []
    for index in itertools.count():
        try:
            sample = render_sample(receipt, SEED, index)
        except ValueError:
            continue
        out.append((sample.image, sample.meta["spec"]))
        if len(out) == N_DISTINCT:
            return out
    raise AssertionError("unreachable")


def jpeg(rgb: np.ndarray, quality: int = 95) -> bytes:
    return encode_image(rgb, "jpg", quality)


def full_decode_phash(data: bytes) -> str:
    with Image.open(io.BytesIO(data)) as im:
        return str(imagehash.phash(im, hash_size=8))


def brute_force(items: list[tuple[int, str, str]], max_distance: int) -> list[dict]:
    """The O(N^2) definition of ``find_duplicates``."""
    pairs = []
    for (ia, ha, sa), (ib, hb, sb) in itertools.combinations(items, 2):
        d = hamming(ha, hb)
        if sa == sb or d <= max_distance:
            a, b = min(ia, ib), max(ia, ib)
            pairs.append({"a": a, "b": b, "distance": d, "reason": "spec" if sa == sb else "image"})
    return sorted(pairs, key=lambda p: (p["a"], p["b"]))


def clustered_hashes(rng: np.random.Generator, n: int, max_distance: int) -> list[str]:
    """Random 64-bit hashes, about half of them copies of earlier ones with up to ``max_distance + 2`` bits flipped."""
    out: list[int] = []
    for k in range(n):
        if k and rng.random() < 0.5:
            h = out[int(rng.integers(k))]
            for bit in rng.choice(64, size=int(rng.integers(max_distance + 3)), replace=False):
                h ^= 1 << int(bit)
        else:
            h = int(rng.integers(0, 2**64, dtype=np.uint64))
        out.append(h)
    return [f"{h:016x}" for h in out]


def test_phash_is_16_hex_and_draft_decode_matches_full_decode(
    rendered: list[tuple[np.ndarray, dict]],
) -> None:
    for rgb, _ in rendered:
        data = jpeg(rgb)
        h = image_phash(data)
        assert len(h) == 16 and int(h, 16) >= 0
        assert hamming(h, full_decode_phash(data)) <= 4
        assert hamming(h, image_phash(encode_image(rgb, "png"))) <= DEFAULT_MAX_DISTANCE


def test_exact_and_altered_copies_are_flagged_as_image(rendered: list[tuple[np.ndarray, dict]]) -> None:
    items = [(i, image_phash(jpeg(rgb)), spec_digest(spec)) for i, (rgb, spec) in enumerate(rendered)]
    brighter = np.clip(rendered[2][0].astype(np.int16) + 3, 0, 255).astype(np.uint8)
    copies = {
        100: jpeg(rendered[0][0]),
        101: jpeg(rendered[1][0], quality=80),
        102: jpeg(brighter),
        103: encode_image(rendered[3][0], "png"),
    }
    items += [(k, image_phash(data), spec_digest({"copy": k})) for k, data in copies.items()]
    pairs = find_duplicates(items)
    assert [(p["a"], p["b"], p["reason"]) for p in pairs] == [
        (0, 100, "image"),
        (1, 101, "image"),
        (2, 102, "image"),
        (3, 103, "image"),
    ]
    assert pairs[0]["distance"] == 0
    assert all(p["distance"] <= DEFAULT_MAX_DISTANCE for p in pairs)
    assert drop_plan(pairs) == {100: 0, 101: 1, 102: 2, 103: 3}


def test_distinct_receipts_are_not_flagged(rendered: list[tuple[np.ndarray, dict]]) -> None:
    items = [(i, image_phash(jpeg(rgb)), spec_digest(spec)) for i, (rgb, spec) in enumerate(rendered)]
    assert len({it[2] for it in items}) == len(items)
    assert find_duplicates(items) == []


def test_same_spec_is_flagged_as_spec_whatever_the_images(
    receipt: Scene, rendered: list[tuple[np.ndarray, dict]]
) -> None:
    again = render_sample(receipt, SEED, 0)
    first_spec = rendered[0][1]
    assert spec_digest(again.meta["spec"]) == spec_digest(first_spec)
    far = f"{int(image_phash(jpeg(rendered[0][0])), 16) ^ 0xFFFF_FFFF:016x}"  # 32 bits away
    items = [
        (5, image_phash(jpeg(again.image)), spec_digest(again.meta["spec"])),
        (2, image_phash(jpeg(rendered[0][0])), spec_digest(first_spec)),
        (9, far, spec_digest(first_spec)),
    ]
    assert find_duplicates(items) == [
        {"a": 2, "b": 5, "distance": 0, "reason": "spec"},
        {"a": 2, "b": 9, "distance": 32, "reason": "spec"},
        {"a": 5, "b": 9, "distance": 32, "reason": "spec"},
    ]


def test_spec_digest_is_canonical_json_sha256() -> None:
    spec = {"b": [1, 2.5, None], "a": {"z": "Café", "y": True}}
    expected = '{"a":{"y":true,"z":"Café"},"b":[1,2.5,null]}'
    assert spec_digest(spec) == hashlib.sha256(expected.encode("utf-8")).hexdigest()
    assert spec_digest(dict(reversed(list(spec.items())))) == spec_digest(spec)
    assert spec_digest({**spec, "b": [1, 2.5]}) != spec_digest(spec)


@pytest.mark.parametrize("max_distance", [0, 1, 2, 4, 7, 15])
def test_banding_equals_brute_force_on_thousands_of_hashes(max_distance: int) -> None:
    rng = np.random.default_rng(1000 + max_distance)
    n = 3000
    hashes = clustered_hashes(rng, n, max_distance)
    digests = [spec_digest({"s": int(s)}) for s in rng.integers(0, 2 * n, size=n)]  # some shared specs
    indices = rng.permutation(10 * n)[:n].tolist()  # arbitrary, unsorted sample indices
    items = list(zip(indices, hashes, digests, strict=True))
    h = np.array([int(x, 16) for x in hashes], dtype=np.uint64)
    d = np.bitwise_count(h[:, None] ^ h[None, :])
    close = np.argwhere(np.triu(d <= max_distance, 1))
    expected = brute_force_fast(indices, h, digests, max_distance, close)
    got = find_duplicates(items, max_distance)
    assert got == expected
    assert sum(p["reason"] == "image" for p in got) > 50 and any(p["reason"] == "spec" for p in got)


def brute_force_fast(
    indices: list[int], h: np.ndarray, digests: list[str], max_distance: int, close: np.ndarray
) -> list[dict]:
    """``brute_force`` for thousands of items: close pairs from a full distance matrix, spec pairs by grouping."""
    by_digest: dict[str, list[int]] = {}
    for pos, dg in enumerate(digests):
        by_digest.setdefault(dg, []).append(pos)
    spec = {(i, j) for group in by_digest.values() for i, j in itertools.combinations(group, 2)}
    pairs = {}
    for i, j in [*spec, *map(tuple, close.tolist())]:
        a, b = min(indices[i], indices[j]), max(indices[i], indices[j])
        dist = int(np.bitwise_count(h[i] ^ h[j]))
        pairs[(a, b)] = {"a": a, "b": b, "distance": dist, "reason": "spec" if (i, j) in spec else "image"}
    return [pairs[k] for k in sorted(pairs)]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 60), st.integers(0, 15))
def test_banding_equals_brute_force_small(seed: int, n: int, max_distance: int) -> None:
    rng = np.random.default_rng(seed)
    hashes = clustered_hashes(rng, n, max_distance)
    digests = [f"spec{int(s)}" for s in rng.integers(0, 3 * n + 1, size=n)]
    items = list(zip(range(n), hashes, digests, strict=True))
    assert find_duplicates(items, max_distance) == brute_force(items, max_distance)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 5), max_size=40), st.integers(1, 10))
def test_run_pairs_in_small_chunks_lists_each_equal_pair_once(keys: list[int], chunk: int) -> None:
    sk = np.sort(np.array(keys, dtype=np.int64))
    got = [(int(i), int(j)) for left, right in run_pairs(sk, chunk) for i, j in zip(left, right, strict=True)]
    expected = [(i, j) for i, j in itertools.combinations(range(len(sk)), 2) if sk[i] == sk[j]]
    assert sorted(got) == expected


@pytest.mark.parametrize("bad", [-1, 16])
def test_max_distance_out_of_range_is_rejected(bad: int) -> None:
    with pytest.raises(ValueError, match="max_distance"):
        find_duplicates([], bad)


def test_malformed_hashes_and_repeated_indices_are_rejected() -> None:
    with pytest.raises(ValueError, match="hex digits"):
        find_duplicates([(0, "abc", "s")])
    with pytest.raises(ValueError, match="not hex"):
        find_duplicates([(0, "g" * 16, "s")])
    with pytest.raises(ValueError, match="unique"):
        find_duplicates([(0, "0" * 16, "s"), (0, "1" * 16, "t")])


def test_empty_and_single_inputs() -> None:
    assert find_duplicates([]) == []
    assert find_duplicates([(4, "0" * 16, "s")]) == []
    assert drop_plan([]) == {}


def test_drop_plan_keeps_the_lowest_index_of_a_chain() -> None:
    pairs = [
        {"a": 3, "b": 7, "distance": 1, "reason": "image"},
        {"a": 7, "b": 9, "distance": 2, "reason": "image"},
        {"a": 1, "b": 5, "distance": 0, "reason": "spec"},
        {"a": 8, "b": 12, "distance": 0, "reason": "image"},
        {"a": 2, "b": 12, "distance": 0, "reason": "image"},
    ]
    plan = drop_plan(pairs)
    assert plan == {5: 1, 7: 3, 8: 2, 9: 3, 12: 2}
    assert list(plan) == sorted(plan)
    assert drop_plan(list(reversed(pairs))) == plan
