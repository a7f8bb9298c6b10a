"""Turn pydantic's validation errors into `Problem`s a person can act on.

Pydantic's own wording ("Input should be a valid integer") names neither the
value found nor, for unknown keys, what was allowed. Each message here says
what was expected and what was found, and is placed at the right mark: the
key for unknown or missing fields, the value otherwise.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from corridor.adapters.yaml_marks import MarkedDocument, join_path
from corridor.errors import Problem


def found(value: Any) -> str:
    """A value as the file would spell it, short."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    return str(value)


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that holds the field at `loc`'s parent, for listing allowed keys."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        inner = _inner_model(arg)
        if inner is not None:
            return inner
    return None


_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "finite_number": "a finite number",
}

_BOUND_WORDS = {
    "greater_than": ">",
    "greater_than_equal": ">=",
    "less_than": "<",
    "less_than_equal": "<=",
}


def describe(error: Any, model: type[BaseModel]) -> str:
    """One sentence: what was expected at this place, and what was found."""
    kind: str = error["type"]
    value = error.get("input")
    ctx: dict[str, Any] = error.get("ctx") or {}
    loc: tuple[str | int, ...] = tuple(error["loc"])
    if kind == "missing":
        return f"missing required field {loc[-1]!r}"
    if kind == "extra_forbidden":
        holder = _model_at(model, loc)
        allowed = ", ".join(holder.model_fields) if holder else ""
        return f"unknown key {loc[-1]!r}" + (f"; expected one of: {allowed}" if allowed else "")
    if kind in _TYPE_WORDS:
        return f"expected {_TYPE_WORDS[kind]}, found {found(value)}"
    if kind in _BOUND_WORDS:
        bound = next(iter(ctx.values()), "?")
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        return f"expected a number {_BOUND_WORDS[kind]} {bound}, found {found(value)}"
    if kind == "enum":
        return f"expected one of {ctx.get('expected', '?')}, found {found(value)}"
    if kind == "string_pattern_mismatch":
        return (
            "expected an id of lowercase letters, digits and '-' (starting with a letter "
            f"or digit), found {found(value)}"
        )
    if kind in ("too_short", "string_too_short"):
        least = ctx.get("min_length", 1)
        what = "characters" if kind == "string_too_short" else "items"
        return f"expected at least {least} {what}, found {found(value)}"
    if kind in ("too_long", "string_too_long"):
        most = ctx.get("max_length", "?")
        what = "characters" if kind == "string_too_long" else "items"
        return f"expected at most {most} {what}, found {found(value)}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return f"{error['msg']}; found {found(value)}"


def problems_from(
    error: ValidationError, model: type[BaseModel], doc: MarkedDocument
) -> list[Problem]:
    """Every pydantic error as a positioned Problem."""
    out: list[Problem] = []
    for item in error.errors():
        loc = tuple(item["loc"])
        path = join_path(loc)
        if item["type"] == "missing":
            parent = join_path(loc[:-1])
            line, column = doc.where(parent)
            out.append(Problem(doc.filename, line, column, path, describe(item, model)))
        else:
            at_key = item["type"] == "extra_forbidden"
            out.append(doc.problem(path, describe(item, model), at_key=at_key))
    return out
