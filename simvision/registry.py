"""Where scene kinds come from: the built-in ones, installed plugins, and ``module:NAME`` in a scene file.

* built-in kinds are listed in ``_BUILTIN`` (imported on first use);
* an installed package registers more under the entry-point group ``simvision.generators`` (name -> object path of
  a :class:`~simvision.scenekind.SceneKind`); ``simvision scenes`` lists them;
* a scene file may name ``generator: package.module:NAME``: the module is imported and ``NAME`` must be a
  ``SceneKind``.

Trust model: loading a scene file never runs code from the file itself. It can only make simvision *import an
installed module by name* (as ``python -c "import package.module"`` would), so a scene file is as trusted as the
packages installed in the environment that reads it. Entry points are read from installed distributions only.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from functools import cache
from importlib.metadata import entry_points

from simvision.errors import UserError
from simvision.scenekind import SceneKind, SceneStats, shares

__all__ = ["SceneKind", "SceneStats", "shares", "generator_names", "get_generator", "GROUP"]

GROUP = "simvision.generators"
_BUILTIN: dict[str, str] = {
    "receipt": "simvision.scenes.receipt.generator:GENERATOR",
    "street": "simvision.scenes.street.generator:GENERATOR",
}


def _load_object(path: str, what: str) -> object:
    """``package.module:NAME`` -> the object; UserError naming ``what`` when it cannot be imported."""
    module, _, attr = path.partition(":")
    if not module or not attr or not all(p.isidentifier() for p in [*module.split("."), attr]):
        raise UserError(f"{what}: value {path!r} — expected package.module:NAME")
    try:
        mod = importlib.import_module(module)
    except ImportError as e:
        raise UserError(
            f"{what}: value {path!r} — cannot import {module!r} ({e}); is it installed?"
        ) from None
    if not hasattr(mod, attr):
        raise UserError(f"{what}: value {path!r} — module {module!r} has no {attr!r}")
    return getattr(mod, attr)


def _as_kind(obj: object, path: str, what: str) -> SceneKind:
    if not isinstance(obj, SceneKind):
        raise UserError(f"{what}: value {path!r} — is a {type(obj).__name__}, not a simvision SceneKind")
    return obj


@cache
def _plugins() -> dict[str, str]:
    """Entry-point name -> object path, from installed distributions (read once per process)."""
    return {ep.name: ep.value for ep in entry_points(group=GROUP) if ep.name not in _BUILTIN}


def generator_names() -> list[str]:
    """Every registered kind: built-in and installed plugins (``module:NAME`` kinds are not listed)."""
    return sorted({*_BUILTIN, *_plugins()})


def loadable_kinds() -> tuple[list[SceneKind], dict[str, str]]:
    """Every registered kind that loads, and ``{name: error}`` for installed plugins that do not (a broken or
    half-removed package must not take the built-in kinds down with it)."""
    kinds, broken = [], {}
    for name in generator_names():
        try:
            kinds.append(get_generator(name))
        except UserError as e:
            broken[name] = str(e)
    return kinds, broken


def is_known(name: str) -> bool:
    return name in _BUILTIN or name in _plugins() or ":" in name


@cache
def get_generator(name: str) -> SceneKind:
    """The kind registered as ``name``, or the object ``name`` points at when it reads ``package.module:NAME``."""
    if name in _BUILTIN:
        path, source = _BUILTIN[name], "builtin"
    elif name in _plugins():
        path, source = _plugins()[name], f"entry point {GROUP}:{name}"
    elif ":" in name:
        path, source = name, name
    else:
        raise UserError(
            f"generator: value {name!r} — must be one of {generator_names()} or an installed package.module:NAME"
        )
    kind = _as_kind(_load_object(path, "generator"), path, "generator")
    if kind.name != name and ":" not in name:
        raise UserError(f"generator: value {name!r} — entry point loads a kind named {kind.name!r}")
    return kind if kind.source == source else replace(kind, source=source)
