"""The building blocks of every data model: the strict base model and the field types
(counts, percentages, years, months, non-blank text and citations).

Kept apart from ``model`` so that the models of each kind of file can live in modules of their
own (``model``, ``parent``) on the same base."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("不能为空")
    return value


# Bounds are declared with Field so that the generated JSON Schema carries them too.
Count = Annotated[int, Field(ge=0, le=10**9)]  # no count in a city's programme nears a billion
Percent = Annotated[int | float, Field(ge=0, le=100)]
Year = Annotated[int, Field(ge=1900, le=2100)]
Month = Annotated[int, Field(ge=1, le=12)]
Text = Annotated[str, AfterValidator(_non_blank)]
Source = Annotated[str, AfterValidator(_non_blank)]


class Strict(BaseModel):
    """Base of every model: unknown keys are refused, values are not coerced."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
