"""Every output format, registered in one place: what it writes per sample and per dataset, and for which kinds.

A :class:`Writer` is a pair of pure converters over records (``entry(record, image bytes)`` for one sample,
``dataset(ctx)`` for the whole dataset), each returning ``{relative path: bytes}``; the pipeline does the IO.
A dataset-level writer should rather give ``stream(meta)``, a :class:`~simvision.writers.stream.DatasetStream` fed
one record at a time, so assembling a dataset takes the same memory at any size; a writer with ``dataset`` only
is still served (its records are gathered in memory first).
Generic writers serve every scene kind; a kind-specific writer serves the kinds that list it in their
``formats``. Installed packages add writers under the entry-point group ``simvision.writers`` (name -> object path
of a ``Writer``). ``--format`` help, the README's format table and the contract test all read this registry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import Any

from simvision.scenekind import SceneKind
from simvision.writers.stream import Chunks, Concat, DatasetMeta, DatasetStream, JsonList, in_memory

GROUP = "simvision.writers"
BROKEN: dict[str, str] = {}  # writer plugins that did not load: name -> why (shown by `simvision formats`)
Record = Mapping[str, Any]


@dataclass(frozen=True)
class DatasetContext:
    """What dataset-level files are made from: the records kept in the dataset (index order, near-duplicates
    left out), the split names asked for (empty: no splits), whether near-duplicates were searched (so samples
    may be left out and image lists are needed), COCO-style ``info`` (description, scene, seed) and the classes."""

    records: list[Record]
    splits: tuple[str, ...]
    deduped: bool
    info: Mapping[str, Any]
    classes: list[str]

    @property
    def meta(self) -> DatasetMeta:
        return DatasetMeta(self.splits, self.deduped, self.info, self.classes)


@dataclass(frozen=True)
class Writer:
    """``entry`` / ``dataset`` may be None (nothing at that level). ``files`` is the README's description of what
    it writes. ``record_key``: its one per-sample file is named in ``record["files"][record_key]`` (else in
    ``files.extra``). ``excludes``: formats that cannot be asked for together with this one. ``stream``: the
    streaming form of ``dataset`` (when given, ``dataset`` may be left None: it is derived). ``arrays(sample,
    record)``: per-sample files made from arrays no record holds (a dense map), ``{path: bytes}``; the pipeline
    calls it with the rendered :class:`~simvision.types.Sample` and lists the files in ``files.extra``."""

    name: str
    files: str
    generic: bool = True
    entry: Callable[[Record, bytes], dict[str, bytes]] | None = None
    dataset: Callable[[DatasetContext], dict[str, bytes]] | None = None
    record_key: str | None = None
    excludes: frozenset[str] = frozenset()
    stream: Callable[[DatasetMeta], DatasetStream] | None = None
    arrays: Callable[[Any, Record], dict[str, bytes]] | None = None

    def __post_init__(self) -> None:
        if self.dataset is None and self.stream is not None:
            stream = self.stream
            object.__setattr__(self, "dataset", lambda ctx: in_memory(stream(ctx.meta), ctx.records))

    def supports(self, kind: SceneKind) -> bool:
        return self.generic or self.name in kind.formats


def image_sets(
    folder: str, names: Callable[[Record], list[str]] | None = None
) -> Callable[[DatasetMeta], DatasetStream]:
    """``<folder>/<split>.txt``: the sample names of each split, one per line (KITTI's ImageSets convention);
    ``names(record)``: a record's names in the format, when it gives more than one (default: its name)."""

    def chunks(r: Record) -> Chunks:
        if r.get("split"):
            listed = names(r) if names is not None else [r["name"]]
            yield f"{folder}/{r['split']}.txt", "".join(n + "\n" for n in listed).encode("ascii")

    return lambda meta: Concat(chunks)


# --- the built-in converters, bound to the writer contract -------------------------------------------------------
def _coco_stream(meta: DatasetMeta) -> DatasetStream:
    from simvision.writers.coco import CocoStream

    return CocoStream(meta)


def _yolo_entry(rows: Callable[[Record], str]) -> Callable[[Record, bytes], dict[str, bytes]]:
    """``labels/<split>/<name>.txt`` beside ``images/<split>/`` (no split: ``labels/<name>.txt``)."""

    def entry(record: Record, image: bytes) -> dict[str, bytes]:
        sub = f"{record['split']}/" if record.get("split") else ""
        return {f"labels/{sub}{record['name']}.txt": rows(record).encode("ascii")}

    return entry


def _yolo_stream(meta: DatasetMeta) -> DatasetStream:
    from simvision.writers.yolo import data_yaml, image_list_line

    lists = list(meta.splits) if (meta.splits or meta.deduped) else None
    yaml_file = {"data.yaml": data_yaml(meta.classes, lists)}
    if lists is None:
        return Concat(lambda r: (), literal=yaml_file)

    def chunks(r: Record) -> Chunks:
        if not meta.splits:
            yield "all.txt", image_list_line(r)
        elif r["split"] in meta.splits:
            yield f"{r['split']}.txt", image_list_line(r)

    return Concat(chunks, always=[f"{s}.txt" for s in meta.splits] or ["all.txt"], literal=yaml_file)


def _hf_stream(meta: DatasetMeta) -> DatasetStream:
    from simvision.loaders import hf_rows

    # One metadata.jsonl per image folder: with --split the images lie in images/<split>/, which imagefolder reads
    # as its splits, and it ignores a metadata file above the split folders.
    def chunks(r: Record) -> Chunks:
        (row,) = hf_rows([r])
        path = f"{r['files']['image'].rpartition('/')[0]}/metadata.jsonl"
        yield path, (json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")

    return Concat(chunks)


def _cord_entry(record: Record, image: bytes) -> dict[str, bytes]:
    from simvision.writers import cord

    return cord.entry_files(record, image)


def _cord_stream(meta: DatasetMeta) -> DatasetStream:
    from simvision.writers import cord

    return Concat(lambda r: [cord.metadata_line(r)])


def _sroie_entry(record: Record, image: bytes) -> dict[str, bytes]:
    from simvision.writers import sroie

    return sroie.entry_files(record, image)


def _sroie_names(record: Record) -> list[str]:
    from simvision.writers import sroie

    return sroie.names(record)


def _kitti_entry(record: Record, image: bytes) -> dict[str, bytes]:
    from simvision.writers import kitti

    return kitti.entry_files(record)


def _cityscapes_entry(record: Record, image: bytes) -> dict[str, bytes]:
    from simvision.writers import cityscapes

    return cityscapes.entry_files(record, image)


def _bdd_stream(meta: DatasetMeta) -> DatasetStream:
    from simvision.writers import bdd100k

    return JsonList(lambda r: [(bdd100k.frame_path(r), bdd100k.frame(r))])


def _mot_entry(record: Record, image: bytes) -> dict[str, bytes]:
    from simvision.writers import mot

    return mot.mot_entry(record, image)


def _mot_dataset(ctx: DatasetContext) -> dict[str, bytes]:
    from simvision.writers import mot

    return mot.mot_dataset(ctx.records)


def _kitti_tracking_dataset(ctx: DatasetContext) -> dict[str, bytes]:
    from simvision.writers import mot

    return mot.kitti_tracking_dataset(ctx.records)


def _bdd_mot_entry(record: Record, image: bytes) -> dict[str, bytes]:
    from simvision.writers import bdd100k_mot

    return bdd100k_mot.entry(record, image)


def _bdd_mot_stream(meta: DatasetMeta) -> DatasetStream:
    from simvision.writers import bdd100k_mot

    return JsonList(bdd100k_mot.items)


def _dewarp_arrays(sample: Any, record: Record) -> dict[str, bytes]:
    from simvision.writers import dewarp

    return dewarp.files(sample, record)


def _detect_rows(record: Record) -> str:
    from simvision.writers.yolo import detect_rows

    return detect_rows(record)


def _segment_rows(record: Record) -> str:
    from simvision.writers.yolo import segment_rows

    return segment_rows(record)


BUILTIN: tuple[Writer, ...] = (
    Writer("coco", "`coco.json`: exact RLE, area = pixel count, bbox from the mask, supercategory = generator, "
           "`ignore` -> `iscrowd: 1`; with --split also `coco_<split>.json`", stream=_coco_stream),
    Writer("yolo", "`labels/<name>.txt` (`class cx cy w h`) + `data.yaml`; with --split `images/<split>/` and "
           "`labels/<split>/` (one Ultralytics label cache per split) listed in `<split>.txt`", entry=_yolo_entry(_detect_rows),
           stream=_yolo_stream, record_key="yolo", excludes=frozenset({"yolo-seg"})),
    Writer("yolo-seg", "`labels/<name>.txt`: one polygon per instance along the outer edges of its mask's pixels "
           "(pieces joined by zero-width bridges), + `data.yaml`",
           entry=_yolo_entry(_segment_rows), stream=_yolo_stream, record_key="yolo",
           excludes=frozenset({"yolo"})),
    Writer("record", "`records/<name>.json` only (records are always written)"),
    Writer("hf", "`images/metadata.jsonl` (with --split one per `images/<split>/`) for HuggingFace `imagefolder` "
           "(objects: bbox, category, area, text)",
           stream=_hf_stream),
    Writer("cord", "`cord/<split>/metadata.jsonl` (HuggingFace CORD-v2 layout: `file_name` + `ground_truth` JSON "
           "string with `gt_parse`, word-level `valid_line` with `is_key` on printed labels, `meta` whose `split` is "
           "CORD's name (`val` → `dev`), `roi` = the receipt's quad) beside copies of the images; a photo of several "
           "receipts: one row per receipt on its crop `<name>_r<k>.png`, the others' text in `dontcare`",
           generic=False, entry=_cord_entry, stream=_cord_stream),
    Writer("sroie", "`sroie/box/<name>.txt` (`x1,y1,...,x4,y4,text` per segment: consecutive words of a line, cut "
           "at column gaps), `sroie/key/<name>.txt` (company, date, address, total; multi-line values joined by one "
           "space), `sroie/ImageSets/<split>.txt`; a photo of several receipts: one sample per receipt on its crop "
           "`sroie/img/<name>_r<k>.png`, the others' text `###`", generic=False, entry=_sroie_entry,
           stream=image_sets("sroie/ImageSets", _sroie_names)),
    Writer("kitti", "`kitti/label_2/<name>.txt` (15 columns; occlusion 0/1/2 from visible fraction >= 0.9 / >= 0.5 "
           "/ below; `ignore` -> DontCare; 3D boxes in the level camera frame, exact), `kitti/calib/<name>.txt` "
           "(camera pitch and roll in `P2`, `R0_rect` identity; after a camera augmentation the warped image's camera; "
           "lens distortion: 2D-only rows), `kitti/ImageSets/<split>.txt`",
           generic=False, entry=_kitti_entry, stream=image_sets("kitti/ImageSets")),
    Writer("cityscapes", "Cityscapes' own layout, read by cityscapesScripts' evaluators and "
           "`torchvision.datasets.Cityscapes`: `cityscapes/leftImg8bit/<split>/simvision/simvision_<seq>_000000_"
           "leftImg8bit.png` (the image as PNG) and `cityscapes/gtFine/<split>/simvision/simvision_<seq>_000000_"
           "gtFine_{labelIds,labelTrainIds,instanceIds,color}.png` (city `simvision`, `<seq>` = sample index, 6 "
           "digits; Cityscapes ids, animal and distractors = `dynamic`, street furniture = `static`; instanceIds = id x 1000 + k; no polygons.json: the maps are "
           "exact)", generic=False, entry=_cityscapes_entry),
    Writer("bdd100k", "`bdd100k/labels/det_<split>.json` (`det_simvision.json` without --split; frames with "
           "weather/timeofday/scene, box2d inclusive as Scalabel reads it, occluded/truncated, traffic light colour; "
           "BDD100K's detection classes only: animals are left out)", generic=False, stream=_bdd_stream),
    Writer("mot", "MOTChallenge per clip: `mot/SIMVISION-<clip>/gt/gt.txt` (`frame,id,x,y,w,h,conf,class,visibility`, "
           "1-based; track id = instance id, stable over the clip; conf 0 = ignore), `seqinfo.ini`, frames in "
           "`img1/`, `mot/seqmaps/SIMVISION-all.txt` (TrackEval); road users only, MOT16 class ids",
           generic=False, entry=_mot_entry, dataset=_mot_dataset),
    Writer("kitti_tracking", "`kitti_tracking/label_02/<clip>.txt` (`frame track_id` + KITTI's 15 object columns, "
           "3D boxes in each frame's level camera frame; DontCare track -1), `kitti_tracking/calib/<clip>.txt`",
           generic=False, dataset=_kitti_tracking_dataset),
    Writer("bdd100k_mot", "BDD100K MOT (`box_track`) per clip: `bdd100k/labels/box_track_20/<split>/simvision-"
           "<clip>.json` (frames with `name`, `videoName`, `frameIndex`, labels with track `id` as a string, "
           "`box2d` inclusive, `occluded`/`truncated`/`crowd`; `crowd` = ignore), frames copied to "
           "`bdd100k/images/track/<split>/simvision-<clip>/`; BDD100K's 8 tracking classes only",
           generic=False, entry=_bdd_mot_entry, stream=_bdd_mot_stream),
    Writer("dewarp", "document-dewarping ground truth as Doc3D/UVDoc give it, composed from every geometric step "
           "(not fitted): `dewarp/<name>.map.npy` (float32 HxWx2: for every image pixel its x,y on the flat page in "
           "page pixels, `cv2.remap` convention; NaN off the page), `dewarp/<name>.grid.npy` (float32 gh x gw x 2: "
           "where a regular page grid, <= 8 px apart, lies in the image, as UVDoc's grid2d), `dewarp/<name>.flat.png` "
           "(the page printed flat, RGBA), `dewarp/<name>.json` (page size, the page's corner quad in the image)",
           generic=False, arrays=_dewarp_arrays),
)  # fmt: skip


@cache
def writers() -> dict[str, Writer]:
    """Every writer by name: the built-in ones in their fixed order, then installed plugins' (sorted)."""
    out = {w.name: w for w in BUILTIN}
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        if ep.name in out:
            continue
        try:
            w = ep.load()
        except (ImportError, AttributeError) as e:  # a broken or half-removed plugin: the rest keep working
            BROKEN[ep.name] = f"entry point {GROUP}:{ep.name} ({ep.value}) cannot be loaded: {e}"
            continue
        if not isinstance(w, Writer) or w.name != ep.name:
            BROKEN[ep.name] = f"entry point {GROUP}:{ep.name} ({ep.value}) is not a Writer named {ep.name!r}"
            continue
        out[w.name] = w
    return out


def format_names() -> tuple[str, ...]:
    return tuple(writers())


def formats_of(kind: SceneKind, generic: bool = True) -> tuple[str, ...]:
    """The formats that serve ``kind``, in registry order (only its kind-specific ones with ``generic=False``)."""
    return tuple(n for n, w in writers().items() if w.supports(kind) and (generic or not w.generic))


def format_help() -> str:
    """``coco, yolo, ..., cord (receipt), ...``: every format, kind-specific ones with their kinds."""
    return ", ".join(w.name if w.generic else f"{w.name} ({kinds_of(w)})" for w in writers().values())


def kinds_of(writer: Writer) -> str:
    """``all`` for a generic writer, else the registered kinds that list it (for help and the README)."""
    if writer.generic:
        return "all"
    from simvision.registry import loadable_kinds

    return ", ".join(k.name for k in loadable_kinds()[0] if writer.name in k.formats) or "(none)"


def markdown_table() -> str:
    """The README's format table, made from the registry."""
    rows = [f"| `{w.name}` | {kinds_of(w)} | {w.files} |" for w in writers().values()]
    return "\n".join(["| format | for | files |", "|---|---|---|", *rows]) + "\n"


def entry_files(
    record: Record, image: bytes, formats: tuple[str, ...]
) -> tuple[dict[str, bytes], dict[str, str]]:
    """Per-sample files of the requested formats, ``{path: bytes}``, and the record keys that name some of them
    (``{"yolo": "labels/000000.txt"}``)."""
    files: dict[str, bytes] = {}
    keyed: dict[str, str] = {}
    for name in formats:
        w = writers()[name]
        if w.entry is None:
            continue
        made = w.entry(record, image)
        if w.record_key is not None:
            (path,) = made
            keyed[w.record_key] = path
        files.update(made)
    return files, keyed


def wants_arrays(formats: tuple[str, ...]) -> bool:
    """Whether some requested format makes files from the sample's arrays (so the renderer must keep them)."""
    return any(writers()[name].arrays is not None for name in formats)


def array_files(sample: Any, record: Record, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Per-sample files the requested formats make from the sample's arrays (:attr:`Writer.arrays`)."""
    out: dict[str, bytes] = {}
    for name in formats:
        w = writers()[name]
        if w.arrays is not None:
            out.update(w.arrays(sample, record))
    return out


def dataset_files(ctx: DatasetContext, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Dataset-level files of the requested formats; each honours the records' splits."""
    out: dict[str, bytes] = {}
    for name in formats:
        w = writers()[name]
        if w.dataset is not None:
            out.update(w.dataset(ctx))
    return out
