"""Distributions a scene file may use for anything that varies: ranges, weighted choices, probabilities.

Each is a small pydantic model with ``sample(rng)``; all reject unknown keys so a typo in a scene file is an error
that names the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

T = TypeVar("T")


class Strict(BaseModel):
    """Base for every scene-file model: unknown keys are errors, and types are not coerced (``"3"`` is not a
    number, ``true`` is not 1), so the JSON Schema's types are the validator's types."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


#: The widest any range may be; fields narrow it with :func:`within`. Past int64 or float precision nothing a
#: generator draws means anything, and inf/NaN would only fail every sample.
INT_LIMIT = 10**9
FLOAT_LIMIT = 1e9
BoundedInt = Annotated[int, Field(ge=-INT_LIMIT, le=INT_LIMIT)]
BoundedFloat = Annotated[float, Field(ge=-FLOAT_LIMIT, le=FLOAT_LIMIT, allow_inf_nan=False)]
Weight = Annotated[float, Field(ge=0, le=FLOAT_LIMIT, allow_inf_nan=False)]


class IntRange(Strict):
    """Uniform integer in ``[min, max]`` (both inclusive)."""

    min: BoundedInt
    max: BoundedInt

    @model_validator(mode="after")
    def _ordered(self) -> IntRange:
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) must be >= min ({self.min})")
        return self

    def sample(self, rng: np.random.Generator) -> int:
        return int(rng.integers(self.min, self.max + 1))


class FloatRange(Strict):
    """Uniform float in ``[min, max]``."""

    min: BoundedFloat
    max: BoundedFloat

    @model_validator(mode="after")
    def _ordered(self) -> FloatRange:
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) must be >= min ({self.min})")
        return self

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.uniform(self.min, self.max))


class Choice(Strict, Generic[T]):
    """Weighted choice: ``{choices: {a: 2, b: 1}}``; weights need not sum to 1 but must be >= 0 with a positive sum."""

    # "not every weight 0" is the schema's form of "a positive sum" (weights are >= 0)
    choices: dict[str, Weight] = Field(
        min_length=1, max_length=1000, json_schema_extra={"not": {"additionalProperties": {"const": 0}}}
    )

    @model_validator(mode="after")
    def _weights(self) -> Choice:
        if sum(self.choices.values()) <= 0:
            raise ValueError("at least one weight must be > 0")
        return self

    def sample(self, rng: np.random.Generator) -> str:
        keys = list(self.choices)
        w = np.array([self.choices[k] for k in keys], dtype=np.float64)
        return keys[int(rng.choice(len(keys), p=w / w.sum()))]


Probability = float  # validated where used with Field(ge=0, le=1)


def coin(rng: np.random.Generator, p: float) -> bool:
    """Bernoulli draw; always consumes exactly one number so later draws do not shift with ``p``."""
    return bool(rng.random() < p)


class _Checked:
    """An annotation whose ``check(value)`` runs after pydantic's own validation of the field."""

    def check(self, value: Any) -> Any:
        raise NotImplementedError

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))


class ChoiceOf(_Checked):
    """Annotation of a :class:`Choice` field whose keys must come from ``allowed`` (a tuple, or a function giving
    one, for sets known only at run time such as the shipped fonts). The keys are listed as an enum in the JSON
    Schema, so an editor flags a typo before a run starts."""

    def __init__(self, allowed: tuple[str, ...] | Callable[[], tuple[str, ...]]) -> None:
        self._allowed = allowed

    @property
    def allowed(self) -> tuple[str, ...]:
        return self._allowed() if callable(self._allowed) else self._allowed

    def check(self, value: Choice | None) -> Choice | None:
        if value is None:  # an optional choice left out: the generator's default
            return value
        allowed = self.allowed
        bad = sorted(set(value.choices) - set(allowed))
        if bad:
            raise ValueError(f"unknown choice(s) {bad}; allowed: {list(allowed)}")
        return value

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        keys = {"propertyNames": {"enum": list(self.allowed)}}
        return {"allOf": [handler(schema)], "properties": {"choices": keys}}


class Within(_Checked):
    """Annotation of a range field (:class:`IntRange` / :class:`FloatRange`) whose ends must lie in ``lo..hi``;
    the JSON Schema carries the same bounds as ``minimum``/``maximum`` of ``min`` and ``max``."""

    def __init__(self, lo: float, hi: float) -> None:
        self.lo, self.hi = lo, hi

    def check(self, value: IntRange | FloatRange) -> IntRange | FloatRange:
        for end in ("min", "max"):
            v = getattr(value, end)
            if not self.lo <= v <= self.hi:
                raise ValueError(f"{end} {v} is outside the allowed range {self.lo}..{self.hi}")
        return value

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        end = {"minimum": self.lo, "maximum": self.hi}
        return {"allOf": [handler(schema)], "properties": {"min": end, "max": end}}


def within(lo: float, hi: float) -> Within:
    """The annotation for a range field whose ends must lie in ``lo..hi``."""
    return Within(lo, hi)


def choice_of(allowed: tuple[str, ...] | Callable[[], tuple[str, ...]]) -> ChoiceOf:
    """The annotation for a :class:`Choice` field whose keys must come from ``allowed``."""
    return ChoiceOf(allowed)
