"""Scene files: load, validate and describe ``scenes/*.yaml``.

A scene file names a generator and says what varies and how much::

    generator: receipt
    description: Shop receipts, flat on a table
    image: {width: 600, height: 1400, format: jpg}
    params: {...}           # validated by the generator's own params model

Every error becomes one :class:`~simvision.errors.UserError` naming the file, the field path, the value and what is
allowed.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, Field, ValidationError

from simvision.augment.policy import AugmentConfig
from simvision.balance import (
    NAME,
    EdgeCase,
    Stratum,
    check_edge_cases,
    check_strata,
    deep_merge,
    edge_cases_of,
    stratum_of,
)
from simvision.distributions import Strict
from simvision.errors import UserError
from simvision.safe_yaml import clip, load_yaml, yaml_error_message


class ImageSettings(Strict):
    """Output image size and encoding."""

    width: int = Field(default=600, ge=32, le=8192)
    height: int = Field(default=1400, ge=32, le=8192)
    format: Literal["jpg", "png"] = "jpg"
    jpeg_quality: int = Field(default=95, ge=50, le=100)


MAX_SCENE_BYTES = 1 << 20  # a scene file is a page of YAML; the shipped ones are under 8 KiB
AUTO_DENOISE_BELOW = 64  # samples per pixel under which an unset ``render.denoise`` turns the denoiser on


class RenderSettings(Strict):
    """Which renderer draws the scene and how (Blender Cycles settings are ignored by the 2D compositor)."""

    engine: Literal["2d", "blender"] = Field(
        default="2d", description="2d compositor, or Blender Cycles (3D scenes)"
    )
    samples: int = Field(default=16, ge=1, le=4096, description="Cycles samples per pixel")
    denoise: bool | None = Field(
        default=None,
        description=f"OpenImageDenoise on the beauty render; unset: on below {AUTO_DENOISE_BELOW} samples",
    )
    device: Literal["auto", "cpu", "cuda", "optix"] = Field(
        default="auto", description="auto: OptiX, else CUDA, else CPU"
    )
    # not part of a dataset's identity (excluded from dumps): the pipeline gives each worker its share of the cores
    threads: int = Field(
        default=0, ge=0, le=1024, exclude=True, description="renderer CPU threads (0: its default)"
    )

    @property
    def denoised(self) -> bool:
        """Whether the beauty render is denoised: as asked, else whenever the sample count is low (a Cycles frame
        at a few dozen samples without a denoiser is grain, at night pure noise)."""
        return self.samples < AUTO_DENOISE_BELOW if self.denoise is None else self.denoise


class SequenceSettings(Strict):
    """A clip per sample index: ``frames`` frames at ``fps`` (scene kinds that animate, see ``SceneKind.animate``)."""

    frames: int = Field(default=8, ge=2, le=10000, description="frames per clip")
    fps: float = Field(default=10.0, gt=0, le=240, description="frames per second")


class SceneFile(Strict):
    """The top level of a scene file; ``params`` is checked by the generator named in ``generator``."""

    generator: str = Field(max_length=200)
    description: str = Field(default="", max_length=10_000)
    image: ImageSettings = Field(default_factory=ImageSettings)
    render: RenderSettings = Field(default_factory=RenderSettings)
    params: dict[str, Any] = Field(default_factory=dict)
    augment: dict[str, Any] | None = Field(default=None, description="degradation stage: preset and effects")
    balance: Annotated[dict[str, Stratum] | None, AfterValidator(check_strata)] = Field(
        default=None,
        max_length=64,
        json_schema_extra={"propertyNames": {"pattern": NAME.pattern}},
        description="target shares: name -> {share, params overrides}; met by index, not by luck",
    )
    edge_cases: Annotated[dict[str, EdgeCase] | None, AfterValidator(check_edge_cases)] = Field(
        default=None,
        max_length=64,
        json_schema_extra={"propertyNames": {"pattern": NAME.pattern}},
        description="rare or hard cases: name -> {rate, params overrides}; tagged in records",
    )
    sequence: SequenceSettings | None = Field(
        default=None, description="clips: {frames, fps}; each sample index is one clip, frames its sub-index"
    )


@dataclass(frozen=True)
class Scene:
    """A validated scene: its name (file stem), generator, image settings and typed params."""

    name: str
    generator: str
    description: str
    image: ImageSettings
    params: BaseModel
    source: str  # the scene file's text, kept so a dataset records exactly what made it
    augment: AugmentConfig | None = None
    render: RenderSettings = RenderSettings()
    balance: dict[str, Stratum] = field(default_factory=dict)
    edge_cases: dict[str, EdgeCase] = field(default_factory=dict)
    raw_params: dict[str, Any] = field(default_factory=dict)  # the file's params, for deep-merging overrides
    sequence: SequenceSettings | None = None  # clips (None: still images)
    #: The scene file's folder: relative paths in ``params`` (a receipt layout template) are read from there.
    base_dir: Path | None = field(default=None, compare=False)
    _variants: dict[Any, BaseModel] = field(default_factory=dict, compare=False, repr=False)

    @property
    def digest(self) -> str:
        """sha256 of the validated, normalised scene (so comments and key order do not matter)."""
        return hashlib.sha256(json.dumps(self.to_json(), sort_keys=True).encode()).hexdigest()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "generator": self.generator,
            "description": self.description,
            "image": self.image.model_dump(mode="json"),
            "render": self.render.model_dump(mode="json"),
            "params": self.params.model_dump(mode="json"),
            "augment": None if self.augment is None else self.augment.model_dump(mode="json"),
            "balance": {k: v.model_dump(mode="json") for k, v in self.balance.items()} or None,
            "edge_cases": {k: v.model_dump(mode="json") for k, v in self.edge_cases.items()} or None,
            # only clips carry the key: still scenes keep their identity (and their datasets' bytes)
            **({"sequence": self.sequence.model_dump(mode="json")} if self.sequence is not None else {}),
        }

    def conditions(self, seed: int, index: int) -> tuple[str | None, list[str]]:
        """The balance stratum (None: the rest) and the edge cases of sample ``index``."""
        stratum = stratum_of(index, {k: v.share for k, v in self.balance.items()}) if self.balance else None
        edges = edge_cases_of(seed, index, {k: v.rate for k, v in self.edge_cases.items()})
        return stratum, edges

    def augment_for(self, edges: list[str] | tuple[str, ...]) -> AugmentConfig | None:
        """The augment section of a sample with ``edges`` on: the scene's, plus the edge cases' effects."""
        extra = [e for name in edges for e in self.edge_cases[name].augment]
        if not extra:
            return self.augment
        base = self.augment or AugmentConfig()
        return AugmentConfig.model_validate(
            {**base.model_dump(), "effects": [*base.model_dump()["effects"], *extra]}
        )

    def params_for(self, stratum: str | None, edges: list[str] | tuple[str, ...]) -> BaseModel:
        """The generator params of a sample in ``stratum`` with ``edges`` on (overrides merged, validated once)."""
        key = (stratum, tuple(edges))
        if key == (None, ()):
            return self.params
        if key not in self._variants:
            self._variants[key] = merged_params(self, stratum, edges)
        return self._variants[key]

    def with_augment(self, preset: str) -> Scene:
        """This scene with its augment section replaced by a preset (``--augment PRESET``)."""
        from simvision.augment.presets import PRESETS

        if preset not in PRESETS:
            raise UserError(f"--augment: value {preset!r} — allowed presets: {sorted(PRESETS)}")
        return replace(self, augment=AugmentConfig(preset=preset))

    def with_renderer(self, engine: str) -> Scene:
        """This scene drawn by another engine (``--renderer``)."""
        from simvision.registry import get_generator

        allowed = get_generator(self.generator).renderers
        if engine not in allowed:
            raise UserError(
                f"--renderer: value {engine!r} — scenes of generator {self.generator!r} allow {list(allowed)}"
            )
        return replace(self, render=self.render.model_copy(update={"engine": engine}))

    def with_size(self, size: str) -> Scene:
        """This scene at another resolution (``--size WxH``)."""
        try:
            w, h = (int(v) for v in size.lower().split("x"))
            image = ImageSettings.model_validate({**self.image.model_dump(), "width": w, "height": h})
        except (ValueError, ValidationError):
            raise UserError(
                f"--size: value {size!r} — must be WIDTHxHEIGHT, each 32..8192, e.g. 640x480"
            ) from None
        return replace(self, image=image)


MAX_SHOWN = 200  # characters of a value echoed in an error message
MAX_PROBLEMS = 10  # problems listed for one file; the rest are counted
_PLAIN_KEY = re.compile(r"[\w-]+")  # a key shown as is in a field path; any other is quoted


def short(value: Any, limit: int = MAX_SHOWN) -> str:
    """``value`` as JSON, cut at ``limit`` characters without serialising more than that (a value may be a
    billion-node alias bomb or a megabyte string)."""
    parts: list[str] = []
    budget = [limit + 1]

    def put(text: str) -> bool:
        parts.append(text[: budget[0]])
        budget[0] -= len(text)
        return budget[0] > 0

    def walk(v: Any, depth: int) -> bool:
        if depth > 8:
            return put("...")
        if isinstance(v, dict):
            if not put("{"):
                return False
            for i, (k, x) in enumerate(v.items()):
                if not (
                    put(", " if i else "") and put(json.dumps(str(k)[:limit]) + ": ") and walk(x, depth + 1)
                ):
                    return False
            return put("}")
        if isinstance(v, list | tuple):
            if not put("["):
                return False
            for i, x in enumerate(v):
                if not (put(", " if i else "") and walk(x, depth + 1)):
                    return False
            return put("]")
        if isinstance(v, str):
            return put(json.dumps(v[:limit]))
        if isinstance(v, bool | None | float) or (isinstance(v, int) and abs(v) < 10**100):
            return put(json.dumps(v))
        # str() of an int past 4300 digits raises: say how big it is instead
        return put(clip(str(v), limit) if not isinstance(v, int) else f"<integer of {v.bit_length()} bits>")

    walk(value, 0)
    return clip("".join(parts), limit)


def format_validation_error(err: ValidationError, where: str, prefix: tuple[str | int, ...] = ()) -> str:
    """One line per problem: ``where: field.path: value V — what is allowed``; joined by newlines. Values and
    messages are cut short, and at most :data:`MAX_PROBLEMS` problems are listed."""
    lines = []
    errors = err.errors(include_url=False, include_context=False)
    for e in errors[:MAX_PROBLEMS]:
        parts = (
            str(p) if _PLAIN_KEY.fullmatch(str(p)) else json.dumps(str(p)[:80]) for p in (*prefix, *e["loc"])
        )
        loc = clip(".".join(p for p in parts if p != "function-after"), MAX_SHOWN)
        value = e.get("input")
        shown = "{...}" if isinstance(value, dict) else short(value)  # a mapping's problem is in the message
        msg = clip(e["msg"].removeprefix("Value error, "), 2 * MAX_SHOWN)
        if e["type"] == "extra_forbidden":
            msg = "unknown field (check the spelling; `simvision schema` lists the allowed fields)"
        elif e["type"] == "missing":
            msg = "required field is missing"
        lines.append(f"{where}: {loc or '<top>'}: value {shown} — {' '.join(msg.split())}")
    if len(errors) > MAX_PROBLEMS:
        lines[-1] += f" (and {len(errors) - MAX_PROBLEMS} more problems)"
    return "\n".join(lines)


def params_context(base_dir: Path | None) -> dict[str, Any]:
    """The pydantic validation context of a generator's params: where relative paths in them are read from."""
    return {"base_dir": base_dir}


def parse_scene(data: Any, name: str, where: str, source: str = "", base_dir: Path | None = None) -> Scene:
    """Validate already-parsed YAML data into a :class:`Scene`; relative paths in ``params`` are read from
    ``base_dir`` (the scene file's folder; None: the working directory)."""
    from simvision.registry import generator_names, get_generator, is_known

    if not isinstance(data, dict):
        raise UserError(f"{where}: <top>: value {type(data).__name__} — a scene file must be a YAML mapping")
    try:
        top = SceneFile.model_validate(data)
    except ValidationError as err:
        raise UserError(format_validation_error(err, where)) from None
    if not is_known(top.generator):
        raise UserError(
            f"{where}: generator: value {top.generator!r} — must be one of {generator_names()} "
            "or an installed package.module:NAME"
        )
    try:
        gen = get_generator(top.generator)
    except UserError as e:
        raise UserError(f"{where}: {e}") from None
    try:
        params = gen.params_model.model_validate(top.params, context=params_context(base_dir))
    except ValidationError as err:
        raise UserError(format_validation_error(err, where, ("params",))) from None
    augment = None
    if top.augment is not None:
        try:
            augment = AugmentConfig.model_validate(top.augment)
        except ValidationError as err:
            raise UserError(format_validation_error(err, where, ("augment",))) from None
    if top.render.engine not in gen.renderers:
        raise UserError(
            f"{where}: render.engine: value {top.render.engine!r} — generator {top.generator!r} allows {list(gen.renderers)}"
        )
    scene = Scene(
        name,
        top.generator,
        top.description,
        top.image,
        params,
        source,
        augment,
        top.render,
        top.balance or {},
        top.edge_cases or {},
        dict(top.params),
        base_dir=base_dir,
    )
    _check_variants(scene, where)
    if top.sequence is not None:
        if gen.animate is None:
            raise UserError(
                f"{where}: sequence: value {top.sequence.model_dump()} — generator {top.generator!r} has no motion"
            )
        if augment is not None or any(e.augment for e in scene.edge_cases.values()):
            raise UserError(f"{where}: augment: clips are not augmented yet; remove the augment section")
        if top.render.engine != "2d":
            raise UserError(
                f"{where}: render.engine: value {top.render.engine!r} — clips render with 2d only yet"
            )
        scene = replace(scene, sequence=top.sequence)
    return scene


def merged_params(
    scene: Scene, stratum: str | None, edges: list[str] | tuple[str, ...], where: str = "scene"
) -> BaseModel:
    """Validate the scene's params with a stratum's and some edge cases' overrides laid over them."""
    from simvision.registry import get_generator

    data, prefix = scene.raw_params, ()
    if stratum is not None:
        data, prefix = deep_merge(data, scene.balance[stratum].params), ("balance", stratum, "params")
    for e in edges:
        data, prefix = deep_merge(data, scene.edge_cases[e].params), ("edge_cases", e, "params")
    try:
        return get_generator(scene.generator).params_model.model_validate(
            data, context=params_context(scene.base_dir)
        )
    except ValidationError as err:
        raise UserError(format_validation_error(err, where, prefix)) from None


def _check_edge_augment(scene: Scene, where: str) -> None:
    """Edge-case effects must be valid entries and must not move the camera (that would change the canvas)."""
    from simvision.augment.effects import EFFECTS

    for name, e in scene.edge_cases.items():
        prefix = ("edge_cases", name, "augment")
        try:
            AugmentConfig.model_validate({"effects": e.augment})
        except ValidationError as err:
            raise UserError(format_validation_error(err, where, prefix)) from None
        for k, entry in enumerate(e.augment):
            if EFFECTS[entry["name"]].group == "camera":
                raise UserError(
                    f"{where}: {'.'.join(prefix)}.{k}.name: value {entry['name']!r} — camera effects cannot be "
                    "added by an edge case (they change the rendered canvas); put them in the augment section"
                )


def _check_variants(scene: Scene, where: str) -> None:
    """Every stratum, every edge case, and every stratum with each edge case must give valid params."""
    _check_edge_augment(scene, where)
    strata: list[str | None] = [None, *scene.balance]
    for s in strata:
        for e in [None, *scene.edge_cases]:
            if s is not None or e is not None:
                merged_params(scene, s, [] if e is None else [e], where)


def scene_from_json(sc: dict[str, Any], where: str, source: str = "") -> Scene:
    """The scene a dataset's identity (``Scene.to_json``) describes, validated again."""
    keys = (
        "generator",
        "description",
        "image",
        "render",
        "params",
        "augment",
        "balance",
        "edge_cases",
        "sequence",
    )
    return parse_scene({k: sc[k] for k in keys if sc.get(k) is not None}, sc["name"], where, source)


def load_scene(path: str | Path) -> Scene:
    """Read and validate a scene file. Raises :class:`UserError` on a missing file, bad YAML or bad fields."""
    p = Path(path)
    try:
        if not p.is_file():
            raise UserError(f"{p}: scene file not found (expected a .yaml file, e.g. scenes/receipt.yaml)")
        if p.suffix not in (".yaml", ".yml"):
            raise UserError(f"{p}: value {clip(repr(p.suffix), 40)} — scene files must end in .yaml or .yml")
        if p.stat().st_size > MAX_SCENE_BYTES:
            raise UserError(
                f"{p}: {p.stat().st_size} bytes — scene files must be at most {MAX_SCENE_BYTES} bytes"
            )
        raw = p.read_bytes()
    except OSError as e:  # a symlink loop, a folder without read permission, ...
        raise UserError(f"{p}: cannot read the scene file: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise UserError(
            f"{p}: not UTF-8 text: byte 0x{raw[e.start]:02x} at line {line} (save it as UTF-8)"
        ) from None
    try:
        data = load_yaml(text)
    except yaml.YAMLError as err:
        raise yaml_error_message(str(p), err) from None
    return parse_scene(data, p.stem, str(p), text, base_dir=p.absolute().parent)


def scene_schema() -> dict[str, Any]:
    """JSON Schema of scene files: the top level, plus each generator's ``params`` under ``$defs``."""
    from simvision.registry import loadable_kinds

    schema = SceneFile.model_json_schema()
    schema["title"] = "simvision scene file"
    variants = []
    kinds = loadable_kinds()[0]
    for kind in kinds:
        name = kind.name
        sub = kind.params_model.model_json_schema(ref_template="#/$defs/{model}")
        defs = sub.pop("$defs", {})
        schema.setdefault("$defs", {}).update(defs)
        key = f"{name}_params"
        schema["$defs"][key] = sub
        variants.append(
            {
                "if": {"properties": {"generator": {"const": name}}},
                "then": {"properties": {"params": {"$ref": f"#/$defs/{key}"}}},
            }
        )
    aug = AugmentConfig.model_json_schema(ref_template="#/$defs/{model}")
    schema["$defs"].update(aug.pop("$defs", {}))
    schema["$defs"]["AugmentConfig"] = aug
    schema["properties"]["augment"] = {"anyOf": [{"$ref": "#/$defs/AugmentConfig"}, {"type": "null"}]}
    generator = schema["properties"]["generator"]
    generator.pop("type", None)
    generator["anyOf"] = [
        {"type": "string", "enum": [k.name for k in kinds]},
        {
            "type": "string",
            "pattern": r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$",
            "description": "installed package.module:NAME",
        },
    ]
    schema["allOf"] = variants
    return schema


def all_scene_files() -> list[Path]:
    """The shipped scene files, then every registered plugin kind's own example scene files."""
    from simvision.registry import loadable_kinds

    files = sorted(default_scene_dir().glob("*.yaml"))
    for kind in loadable_kinds()[0]:
        files += sorted(Path(p) for p in kind.scene_files)
    return files


def default_scene_dir() -> Path:
    """The shipped scene files: package data (``simvision/scene_files/``, linked as ``scenes/`` in a checkout), so
    an installed wheel has them too."""
    return Path(__file__).resolve().parent / "scene_files"
