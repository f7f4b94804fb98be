"""Read a labelled image set of any common layout into one plain form, for ``compare`` and ``mix``.

Layouts: a COCO JSON (images in ``--images``, default the JSON's folder), an Ultralytics YOLO ``data.yaml``, a KITTI
object folder (``image_2/`` + ``label_2/``, also under ``training/``), a Cityscapes folder (``leftImg8bit/`` +
``gtFine/`` polygons), a simvision dataset (its records; the kind's background classes left out), or a plain folder
of images (no labels: image statistics only). Boxes are XYWH pixels. Nothing is read from the images here but
their size (from the header); a set with no images is a :class:`UserError`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from PIL import Image

from simvision.errors import UserError

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"})
# Cityscapes labels that are objects with a box of their own (the "thing" classes of its label table).
CITYSCAPES_THINGS = (
    "person", "rider", "car", "truck", "bus", "caravan", "trailer", "train", "motorcycle", "bicycle",
)  # fmt: skip


@dataclass(frozen=True)
class Box:
    cls: str
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Item:
    """One image: its file, size and boxes; ``name`` is its path relative to the set's root (unique in the set)."""

    path: Path
    name: str
    width: int
    height: int
    boxes: tuple[Box, ...] = ()


@dataclass(frozen=True)
class LabeledSet:
    """A set as read: ``layout`` says from what; ``labelled`` is False for a plain image folder; ``splits`` holds
    the other splits a YOLO ``data.yaml`` names (absolute paths, left untouched by ``mix``)."""

    source: str
    layout: str
    classes: tuple[str, ...]
    items: tuple[Item, ...]
    labelled: bool = True
    generator: str | None = None
    splits: dict[str, list[str]] = field(default_factory=dict)


def _size(path: Path) -> tuple[int, int]:
    try:
        with Image.open(path) as im:
            return im.size
    except (OSError, ValueError) as e:
        raise UserError(f"image: value '{path}' — cannot be read ({e})") from e


def _images_below(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())


def _nonempty(s: LabeledSet) -> LabeledSet:
    if not s.items:
        raise UserError(f"{s.layout} set: value '{s.source}' — holds no images")
    return s


def load_coco(path: Path, images: Path | None = None) -> LabeledSet:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        cats = {int(c["id"]): str(c["name"]) for c in doc["categories"]}
        imgs = doc["images"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise UserError(f"COCO JSON: value '{path}' — not a COCO detection file ({e})") from e
    root = images if images is not None else path.parent
    boxes: dict[int, list[Box]] = {int(i["id"]): [] for i in imgs}
    for a in doc.get("annotations", []):
        if a.get("iscrowd") or int(a["image_id"]) not in boxes:
            continue  # crowd regions are not one object's box
        x, y, w, h = (float(v) for v in a["bbox"])
        boxes[int(a["image_id"])].append(Box(cats[int(a["category_id"])], x, y, w, h))
    items = []
    for i in sorted(imgs, key=lambda i: str(i["file_name"])):
        p = root / str(i["file_name"])
        if not p.is_file():
            raise UserError(f"COCO image: value '{p}' — no such file (give the image folder with --images)")
        items.append(
            Item(p, str(i["file_name"]), int(i["width"]), int(i["height"]), tuple(boxes[int(i["id"])]))
        )
    classes = tuple(cats[k] for k in sorted(cats))
    return _nonempty(LabeledSet(str(path), "COCO", classes, tuple(items)))


def _yolo_entries(base: Path, entry: str | Sequence[str] | None) -> list[Path]:
    """Image files of one data.yaml split entry: a folder, an image list (.txt) or a list of either."""
    if entry is None:
        return []
    out: list[Path] = []
    for e in [entry] if isinstance(entry, str) else entry:
        p = Path(e) if Path(e).is_absolute() else base / e
        if p.is_dir():
            out += _images_below(p)
        elif p.suffix == ".txt" and p.is_file():
            for line in p.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    q = Path(line.strip())
                    out.append(q if q.is_absolute() else (p.parent / q))
        else:
            raise UserError(f"data.yaml split: value '{p}' — no such folder or image list")
    return out


def _yolo_label(image: Path) -> Path:
    """Ultralytics' rule: the last ``images`` folder of the path becomes ``labels``, the suffix ``.txt``."""
    parts = list(image.parts)
    for k in range(len(parts) - 2, -1, -1):
        if parts[k] == "images":
            parts[k] = "labels"
            break
    return Path(*parts).with_suffix(".txt")


def yolo_split(path: Path, split: str) -> tuple[dict, Path, list[Path]]:
    """(data.yaml, its root, the split's image files)."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc["names"]  # noqa: B018 - a data.yaml must name its classes
    except (OSError, yaml.YAMLError, KeyError, TypeError) as e:
        raise UserError(f"data.yaml: value '{path}' — not a YOLO dataset file ({e})") from e
    root = Path(doc.get("path") or ".")
    root = root if root.is_absolute() else path.parent / root
    return doc, root, _yolo_entries(root, doc.get(split))


def load_yolo(path: Path, splits: Sequence[str] = ("train",)) -> LabeledSet:
    doc, root, _ = yolo_split(path, "train")
    names = doc["names"]
    classes = (
        tuple(str(names[k]) for k in sorted(names)) if isinstance(names, dict) else tuple(map(str, names))
    )
    files: list[Path] = []
    for s in splits:
        files += yolo_split(path, s)[2]
    items = []
    for p in sorted(dict.fromkeys(files)):
        w, h = _size(p)
        label = _yolo_label(p)
        boxes = []
        if label.is_file():
            for line in label.read_text(encoding="utf-8").splitlines():
                v = line.split()
                if len(v) < 5:
                    continue
                cid = int(v[0])
                if not 0 <= cid < len(classes):
                    raise UserError(f"YOLO label: value '{label}' — class {cid} not in data.yaml's names")
                if len(v) == 5:
                    cx, cy, bw, bh = (float(t) for t in v[1:5])
                else:  # a segment row: its box is the polygon's bounds (what Ultralytics derives)
                    xs, ys = [float(t) for t in v[1::2]], [float(t) for t in v[2::2]]
                    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
                    bw, bh = max(xs) - min(xs), max(ys) - min(ys)
                boxes.append(Box(classes[cid], (cx - bw / 2) * w, (cy - bh / 2) * h, bw * w, bh * h))
        items.append(Item(p, _rel(p, root), w, h, tuple(boxes)))
    # val/test as data.yaml names them, made absolute: mix points at them and never rewrites them
    kept = {
        s: [str((root / e).resolve()) for e in ([doc[s]] if isinstance(doc[s], str) else doc[s])]
        for s in ("val", "test")
        if doc.get(s) and s not in splits
    }
    return _nonempty(LabeledSet(str(path), "YOLO", classes, tuple(items), splits=kept))


def _rel(p: Path, root: Path) -> str:
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def load_kitti(root: Path) -> LabeledSet:
    base = root / "training" if (root / "training" / "image_2").is_dir() else root
    items, classes = [], set()
    for p in _images_below(base / "image_2"):
        w, h = _size(p)
        label = base / "label_2" / f"{p.stem}.txt"
        boxes = []
        if label.is_file():
            for line in label.read_text(encoding="utf-8").splitlines():
                v = line.split()
                if len(v) >= 8 and v[0] != "DontCare":
                    x1, y1, x2, y2 = (float(t) for t in v[4:8])
                    boxes.append(Box(v[0], x1, y1, x2 - x1, y2 - y1))
                    classes.add(v[0])
        items.append(Item(p, _rel(p, base), w, h, tuple(boxes)))
    return _nonempty(LabeledSet(str(root), "KITTI", tuple(sorted(classes)), tuple(items)))


def load_cityscapes(root: Path) -> LabeledSet:
    items, classes = [], set()
    for p in _images_below(root / "leftImg8bit"):
        rel = p.relative_to(root / "leftImg8bit")
        poly = (root / "gtFine" / rel).with_name(p.name.replace("_leftImg8bit.png", "_gtFine_polygons.json"))
        w, h = _size(p)
        boxes = []
        if poly.is_file():
            for o in json.loads(poly.read_text(encoding="utf-8")).get("objects", []):
                label = str(o.get("label", ""))
                if label in CITYSCAPES_THINGS and o.get("polygon"):
                    xs = [float(q[0]) for q in o["polygon"]]
                    ys = [float(q[1]) for q in o["polygon"]]
                    boxes.append(Box(label, min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
                    classes.add(label)
        items.append(Item(p, rel.as_posix(), w, h, tuple(boxes)))
    return _nonempty(LabeledSet(str(root), "Cityscapes", tuple(sorted(classes)), tuple(items)))


def load_simvision(root: Path) -> LabeledSet:
    """A simvision dataset from its records: background (stuff) classes and ignore regions left out, as are
    samples dropped by --dedupe."""
    from simvision.registry import get_generator

    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    excluded = {e["index"] for e in manifest.get("excluded", [])}
    generator = str(manifest.get("generator", ""))
    stuff = get_generator(generator).stuff if generator else frozenset()
    items = []
    for s in manifest["samples"]:
        if s["index"] in excluded:
            continue
        r = json.loads((root / "records" / f"{s['name']}.json").read_text(encoding="utf-8"))
        boxes = tuple(
            Box(
                i["class"],
                i["bbox"][0],
                i["bbox"][1],
                i["bbox"][2] - i["bbox"][0],
                i["bbox"][3] - i["bbox"][1],
            )
            for i in r["instances"]
            if i["class"] not in stuff and not i.get("ignore")
        )
        img = root / r["files"]["image"]
        items.append(Item(img, r["files"]["image"], int(r["width"]), int(r["height"]), boxes))
    classes = tuple(c for c in manifest["classes"][1:] if c not in stuff)
    return _nonempty(LabeledSet(str(root), "simvision", classes, tuple(items), generator=generator or None))


def load_images(root: Path) -> LabeledSet:
    items = [Item(p, _rel(p, root), *_size(p)) for p in _images_below(root)]
    return _nonempty(LabeledSet(str(root), "image folder", (), tuple(items), labelled=False))


def load_set(path: Path, images: Path | None = None, splits: Sequence[str] = ("train",)) -> LabeledSet:
    """Read ``path`` by its layout (see the module docstring)."""
    if path.is_file() and path.suffix.lower() == ".json":
        return load_coco(path, images)
    if path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
        return load_yolo(path, splits)
    if not path.is_dir():
        raise UserError(
            f"dataset: value '{path}' — no such file or folder (COCO .json, data.yaml or a folder)"
        )
    if (path / "manifest.json").is_file() and (path / "records").is_dir():
        return load_simvision(path)
    if (path / "image_2").is_dir() or (path / "training" / "image_2").is_dir():
        return load_kitti(path)
    if (path / "leftImg8bit").is_dir():
        return load_cityscapes(path)
    return load_images(path)


def parse_map(pairs: Iterable[str], map_file: Path | None = None) -> dict[str, str]:
    """``real=synthetic`` pairs (and a file of them: YAML/JSON mapping, or one pair a line) as synthetic -> real."""
    text: list[str] = list(pairs)
    if map_file is not None:
        try:
            doc = yaml.safe_load(map_file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as e:
            raise UserError(f"--map-file: value '{map_file}' — cannot be read ({e})") from e
        if isinstance(doc, dict):
            text += [f"{k}={v}" for k, v in doc.items()]
        elif isinstance(doc, str):
            text += [t for t in doc.split() if t]
        else:
            raise UserError(
                f"--map-file: value '{map_file}' — give a mapping real: synthetic, or real=synthetic lines"
            )
    out: dict[str, str] = {}
    for t in text:
        real, sep, synth = t.partition("=")
        if not sep or not real.strip() or not synth.strip():
            raise UserError(f"--map: value {t!r} — write REAL=SYNTHETIC, e.g. person=pedestrian")
        out[synth.strip()] = real.strip()
    return out


def check_map(mapping: dict[str, str], real: LabeledSet, synth: LabeledSet) -> None:
    """Exit 2 on a class the sets do not have (a typo would otherwise silently drop every box of it)."""
    for s, r in sorted(mapping.items()):
        if synth.labelled and s not in synth.classes:
            raise UserError(
                f"--map: value '{r}={s}' — synthetic class '{s}' is not one of {list(synth.classes)}"
            )
        if real.labelled and r not in real.classes:
            raise UserError(f"--map: value '{r}={s}' — real class '{r}' is not one of {list(real.classes)}")


def mapped_class(name: str, mapping: dict[str, str], real_classes: Sequence[str]) -> str | None:
    """A synthetic class's real name: the mapping's, else its own if the real set has it, else None (dropped)."""
    if name in mapping:
        return mapping[name]
    return name if name in real_classes else None
