"""Paths read from a manifest or a record, resolved inside their dataset; files read with a size cap.

Records and manifests are input: a copied, edited or crafted one may name ``../../x``, an absolute path or a
symlink out of the dataset, or a device such as ``/dev/zero``. Every command that follows a path found in a file
(merge, replay, verify, report, the loaders) goes through :func:`inside`, and reads through :func:`read_capped`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from simvision.errors import UserError

# The largest file a dataset entry may hold: a 8192x8192 RGB PNG at no compression is 192 MiB.
MAX_FILE_BYTES = 256 * 2**20
# A record (its spec, instances and RLEs) stays far below this.
MAX_JSON_BYTES = 64 * 2**20


def inside(root: Path, rel: object, field: str) -> Path:
    """``root / rel``, refused (:class:`UserError` naming ``field``) unless ``rel`` is a relative POSIX path
    that stays inside ``root`` once every ``..`` and symlink is resolved."""
    if not isinstance(rel, str) or not rel or "\x00" in rel or "\\" in rel:
        raise UserError(f"{field}: value {rel!r} — must be a relative path inside the dataset {root}")
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts:
        raise UserError(f"{field}: value {rel!r} — must be a relative path inside the dataset {root}")
    base = root.resolve()
    path = (base / pure).resolve()  # follows symlinks: a link out of the dataset is refused too
    if not path.is_relative_to(base):
        raise UserError(f"{field}: value {rel!r} — resolves to {path}, outside the dataset {root}")
    return root / pure


def record_path(root: Path, name: object, field: str) -> Path:
    """``<root>/records/<name>.json`` for a sample name read from a file (one path component, no dots)."""
    if not isinstance(name, str) or not name or "/" in name or name.startswith("."):
        raise UserError(f"{field}: value {name!r} — a sample name is one file name, e.g. 000012")
    return inside(root, f"records/{name}.json", field)


def capped(path: Path, field: str, cap: int = MAX_FILE_BYTES) -> Path:
    """``path`` if it is a regular file of at most ``cap`` bytes, checked before anything reads it.
    Missing: :class:`FileNotFoundError` (callers report a missing file as they did); a device, fifo or folder, or
    a larger file: :class:`UserError` naming ``field``."""
    if not path.exists():
        raise FileNotFoundError(path)
    if not path.is_file():  # devices and fifos stat as size 0: refuse them by kind
        raise UserError(f"{field}: value '{path}' — not a regular file")
    size = path.stat().st_size
    if size > cap:
        raise UserError(
            f"{field}: value '{path}' — {size} bytes, more than the {cap} a dataset file may hold"
        )
    return path


def read_capped(path: Path, field: str, cap: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of :func:`capped` ``path``; the read stops past the cap should the file grow meanwhile."""
    with capped(path, field, cap).open("rb") as f:
        data = f.read(cap + 1)
    if len(data) > cap:
        raise UserError(f"{field}: value '{path}' — more than the {cap} bytes a dataset file may hold")
    return data


def read_json(path: Path, field: str, cap: int = MAX_JSON_BYTES) -> object:
    """A JSON file read with ``cap`` (a record's by default; a manifest may pass :data:`MAX_FILE_BYTES`); bad JSON
    is a :class:`UserError` naming it."""
    try:
        return json.loads(read_capped(path, field, cap))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise UserError(f"{field}: value '{path}' — not valid JSON ({err})") from None


def record_file(root: Path, rec: dict, key: str, where: str) -> Path:
    """The file ``rec["files"][key]`` of a record, inside ``root`` (field named ``<where>: files.<key>``)."""
    files = rec.get("files")
    if not isinstance(files, dict) or key not in files:
        raise UserError(f"{where}: files.{key}: value missing — the record names no {key} file")
    return inside(root, files[key], f"{where}: files.{key}")


def record_maps(root: Path, rec: dict, where: str) -> list[Path]:
    """The id-map files of a record, each inside ``root``."""
    maps = (rec.get("files") or {}).get("maps") if isinstance(rec.get("files"), dict) else None
    if not isinstance(maps, list):
        raise UserError(f"{where}: files.maps: value {maps!r} — a list of paths expected")
    return [inside(root, p, f"{where}: files.maps[{k}]") for k, p in enumerate(maps)]


def check_record_files(root: Path, rec: object, where: str) -> None:
    """Refuse a record any of whose file paths (image, maps, depth, per-format files, extras) leaves ``root``."""
    files = rec.get("files") if isinstance(rec, dict) else None
    if not isinstance(files, dict):
        raise UserError(f"{where}: files: value {files!r} — an object of paths expected")
    for key, value in files.items():
        # a path, a list of paths (maps, extras) or an object of named paths (a clip frame's flow files)
        items = (
            value.items()
            if isinstance(value, dict)
            else enumerate(value)
            if isinstance(value, list)
            else None
        )
        if items is None:
            inside(root, value, f"{where}: files.{key}")
            continue
        for k, rel in items:
            inside(
                root,
                rel,
                f"{where}: files.{key}[{k!r}]" if isinstance(k, str) else f"{where}: files.{key}[{k}]",
            )


def read_manifest(root: Path, classes: Sequence[str] | None = None) -> tuple[dict, list[str]]:
    """A dataset's ``manifest.json`` and its class names, refusing a manifest that is not an object and any of
    ``classes`` (a loader's filter) the dataset does not have."""
    manifest = read_json(root / "manifest.json", str(root / "manifest.json"), MAX_FILE_BYTES)
    if not isinstance(manifest, dict):
        raise UserError(f"{root / 'manifest.json'}: value — a manifest object expected")
    class_names: list[str] = manifest["classes"]
    bad = sorted(set(classes or ()) - set(class_names))
    if bad:
        raise UserError(f"classes: value {bad} — this dataset has {class_names[1:]}")
    return manifest, class_names
