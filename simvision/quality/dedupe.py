"""Near-duplicate detection for dataset images: perceptual hashes, spec digests, banded pair search, drop plans.

Measured (phash of the draft decode; every phash has exactly 32 of 64 bits set, so distances are even):

* distinct samples, min / count at small distances: receipt n=150 min 6 (1 pair at 6, 6 at 8 of 11,175);
  n=600 min 4 (7 at 4, 21 at 6 of 179,700); n=1966 min 2 (10 at 2, 89 at 4 of 1.93M pairs); receipt_photo
  n=150 min 6; street n=80 min 8, n=300 min 8. Median distance 28-30 everywhere.
* altered copies (60 per scene, receipt / receipt_photo / street): JPEG re-encode at q80 <= 2, brightness +-3
  <= 2, same pixels stored as PNG <= 2, 1px vertical shift <= 2, 1px horizontal shift <= 4 (at 4 for 2, 3 and
  1 of 60), 1px diagonal shift + q80 + 3 brightness <= 4, 3px shift up to 12.
* draft vs full decode of the same JPEG: <= 4 bits (mean 0.4); 2.3 ms vs 11.6 ms per 600x1400 receipt JPEG,
  1.3 ms vs 3.3 ms per 640x480 street JPEG; PNG is decode-bound, 6.5 ms per 640x480 either way.

``DEFAULT_MAX_DISTANCE = 2``: no distinct pair in the 150/150/80-sample sets within 3 bits (so a 4-bit margin to
their minimum of 6) and none in the 600-receipt set, while every re-encode, +-3 brightness, PNG/JPEG and 1px
vertical-shift copy is flagged; about 1 in 20 horizontally shifted copies (distance 4) is missed. Receipts are
all pale paper on a table, so 64-bit phashes of distinct receipts do meet at scale (5e-6 of pairs within 2 bits
at n=1966): on large receipt sets an ``"image"`` pair is a candidate; ``"spec"`` pairs are exact.

Banding cost grows like (d+1) N^2 / 2^(64/(d+1)) candidates: for 10^6 uniform hashes about 0.6 s at d=2,
9-12 s at d=4 and 200 s at d=6 (one core).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from operator import eq, itemgetter
from typing import Any

import imagehash
import numpy as np
from PIL import Image

HASH_BITS = 64
HASH_HEX = HASH_BITS // 4
MAX_SUPPORTED_DISTANCE = 15
DEFAULT_MAX_DISTANCE = 2
DRAFT_SIZE = (64, 64)
# Upper bound on candidate pairs held in memory at once while scanning one band's buckets.
CANDIDATE_CHUNK = 1 << 22


def draft_factor(size: tuple[int, int]) -> int:
    """The downscale (8, 4, 2 or 1) a JPEG ``draft`` to ``DRAFT_SIZE`` picks for an image of this (w, h)."""
    scale = min(size[0] // DRAFT_SIZE[0], size[1] // DRAFT_SIZE[1])
    return next((f for f in (8, 4, 2) if scale >= f), 1)  # images under 128 px are hashed as they are


def image_phash(data: bytes) -> str:
    """64-bit perceptual hash (imagehash ``phash``, 16 hex chars) of an encoded JPEG or PNG file's bytes.

    phash only looks at a 32x32 resample, so a full-size decode is wasted: JPEGs are decoded DCT-scaled straight
    to luma (``Image.draft``); other formats, where draft does nothing, are box-reduced by the same factor so that
    the same pixels stored as PNG or JPEG hash alike.
    """
    with Image.open(io.BytesIO(data)) as im:
        small = im
        if im.draft("L", DRAFT_SIZE) is None:
            factor = draft_factor(im.size)
            small = im.convert("L").reduce(factor) if factor > 1 else im
        return str(imagehash.phash(small, hash_size=8))


def spec_digest(spec: Mapping[str, Any]) -> str:
    """sha256 hex of the canonical JSON of a sampled scene spec (sorted keys, no spaces, UTF-8 kept)."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hamming(a: str, b: str) -> int:
    """Number of differing bits between two hex hashes."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def hashes_to_uint64(hashes: Sequence[str]) -> np.ndarray:
    """Parse 16-hex-digit hashes into a uint64 array (first hex digit = most significant bits)."""
    if set(map(len, hashes)) - {HASH_HEX}:
        bad = next(h for h in hashes if len(h) != HASH_HEX)
        raise ValueError(f"phash {bad!r}: expected {HASH_HEX} hex digits")
    try:
        raw = bytes.fromhex("".join(hashes))
    except ValueError as err:
        raise ValueError(f"phash: not hex ({err})") from None
    return np.frombuffer(raw, dtype=">u8").astype(np.uint64)


def band_masks(bands: int) -> list[tuple[int, int]]:
    """Split the 64 hash bits into ``bands`` contiguous bands of near-equal width: (shift, mask) per band."""
    widths = [HASH_BITS // bands + (1 if k < HASH_BITS % bands else 0) for k in range(bands)]
    out, shift = [], 0
    for w in widths:
        out.append((shift, (1 << w) - 1))
        shift += w
    return out


def run_pairs(
    sorted_keys: np.ndarray, chunk: int = CANDIDATE_CHUNK
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """All position pairs (i < j) of a sorted key array with ``sorted_keys[i] == sorted_keys[j]``, in chunks.

    Each position pairs with the later positions of its run of equal keys; a chunk holds about ``chunk`` pairs
    (more only when a single position has more partners), so memory stays bounded whatever the bucket sizes.
    """
    n = len(sorted_keys)
    if n < 2:
        return
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    ends = np.r_[starts[1:], n]
    counts = np.repeat(ends, ends - starts) - np.arange(n) - 1
    pos = np.flatnonzero(counts)
    cum = np.cumsum(counts[pos])
    lo = 0
    while lo < len(pos):
        base = cum[lo - 1] if lo else 0
        hi = max(int(np.searchsorted(cum, base + chunk, side="right")), lo + 1)
        p, c = pos[lo:hi], counts[pos[lo:hi]]
        left = np.repeat(p, c)
        right = left + 1 + (np.arange(len(left)) - np.repeat(np.cumsum(c) - c, c))
        yield left, right
        lo = hi


def near_pairs(h: np.ndarray, max_distance: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions (i < j) and distances of all hash pairs within ``max_distance`` bits, without an O(N^2) scan.

    Pigeonhole banding: with the 64 bits cut into ``max_distance + 1`` bands, two hashes that differ in at most
    ``max_distance`` bits agree exactly on at least one band. Candidates share a (band, value) bucket; each is
    verified by an exact popcount and kept only from the first band it agrees on, so each pair comes once.
    """
    masks = band_masks(max_distance + 1)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for k, (shift, mask) in enumerate(masks):
        keys = (h >> np.uint64(shift)) & np.uint64(mask)
        if mask < 2**32:
            keys = keys.astype(np.uint32)  # narrower keys sort faster
        order = np.argsort(keys)
        hs = h[order]
        for left, right in run_pairs(keys[order]):
            z = hs[left] ^ hs[right]
            d = np.bitwise_count(z)
            keep = np.flatnonzero(d <= max_distance)
            z, d, left, right = z[keep], d[keep], left[keep], right[keep]
            first = np.ones(len(z), dtype=bool)
            for s, m in masks[:k]:
                first &= ((z >> np.uint64(s)) & np.uint64(m)) != 0
            i, j = order[left[first]], order[right[first]]
            found.append((np.minimum(i, j), np.maximum(i, j), d[first].astype(np.int64)))
    return concat_pairs(found, 3)


def spec_pairs(digests: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Positions (i < j) of all pairs of items with the same spec digest.

    Buckets by Python's string hash (fast, vectorisable) and confirms each candidate by comparing the strings.
    """
    keys = np.fromiter(map(hash, digests), dtype=np.int64, count=len(digests))
    order = np.argsort(keys)
    found = []
    for left, right in run_pairs(keys[order]):
        i, j = order[left], order[right]
        same = np.fromiter(map(eq, map(digests.__getitem__, i), map(digests.__getitem__, j)), bool, len(i))
        found.append((np.minimum(i[same], j[same]), np.maximum(i[same], j[same])))
    return concat_pairs(found, 2)


def concat_pairs(found: list[tuple[np.ndarray, ...]], width: int) -> tuple[np.ndarray, ...]:
    """Concatenate chunks of equal-length int arrays column-wise (``width`` empty int64 arrays when none)."""
    if not found:
        return tuple(np.zeros(0, dtype=np.int64) for _ in range(width))
    return tuple(np.concatenate([f[c] for f in found]) for c in range(width))


def find_duplicates(
    items: Sequence[tuple[int, str, str]], max_distance: int = DEFAULT_MAX_DISTANCE
) -> list[dict[str, Any]]:
    """Duplicate pairs among ``(sample index, phash hex, spec digest)`` items, sorted by (a, b), with a < b.

    Items with the same spec digest pair with reason ``"spec"`` whatever their images; other items pair with
    reason ``"image"`` when their phashes differ in at most ``max_distance`` (0..15) bits. ``distance`` is the
    Hamming distance of the two phashes either way.
    """
    if not 0 <= max_distance <= MAX_SUPPORTED_DISTANCE:
        raise ValueError(f"max_distance: {max_distance} — must lie in 0..{MAX_SUPPORTED_DISTANCE}")
    index = np.fromiter(map(itemgetter(0), items), dtype=np.int64, count=len(items))
    hashes, digests = list(map(itemgetter(1), items)), list(map(itemgetter(2), items))
    ranked = np.sort(index)
    if np.any(ranked[1:] == ranked[:-1]):
        raise ValueError("find_duplicates: sample indices must be unique")
    h = hashes_to_uint64(hashes)
    si, sj = spec_pairs(digests)
    ii, ij, idist = near_pairs(h, max_distance)
    n = max(len(items), 1)
    spec_keys = si * n + sj
    image_only = ~np.isin(ii * n + ij, spec_keys)
    pi = np.r_[si, ii[image_only]]
    pj = np.r_[sj, ij[image_only]]
    dist = np.r_[np.bitwise_count(h[si] ^ h[sj]).astype(np.int64), idist[image_only]]
    is_spec = np.r_[np.ones(len(si), dtype=bool), np.zeros(int(image_only.sum()), dtype=bool)]
    a = np.minimum(index[pi], index[pj])
    b = np.maximum(index[pi], index[pj])
    order = np.lexsort((b, a))
    return [
        {
            "a": int(a[k]),
            "b": int(b[k]),
            "distance": int(dist[k]),
            "reason": "spec" if is_spec[k] else "image",
        }
        for k in order
    ]


def drop_plan(pairs: Sequence[Mapping[str, Any]]) -> dict[int, int]:
    """Indices to drop, each mapped to the index kept in its place: the lowest index of its connected component.

    Pairs join their indices (union-find, the lower root always wins, so a component's root is its minimum);
    the result is sorted by dropped index.
    """
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for p in pairs:
        ra, rb = find(int(p["a"])), find(int(p["b"]))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    plan = {x: find(x) for x in sorted(parent)}
    return {x: keep for x, keep in plan.items() if x != keep}
