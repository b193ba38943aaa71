"""The Help Desk sections as JSON documents (storage keeps one per site and section; sync sends
them as they are), and back.

`to_json(value)` turns a section value (a dataclass, or a tuple of them) into JSON types:
enums as their values, dates as ISO text, tuples as lists. `from_json(type, data)` reverses it,
checking every type on the way: a document written by a newer client may carry keys we do not
know (ignored) and lack keys we added later (their defaults apply); a wrong type is a
ValueError naming the path, never a half-read value. `strict=True` (a document a user wrote,
as `preflight helpdesk set` reads it) refuses unknown keys too, naming them and the known ones.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import types
from datetime import date
from enum import Enum
from typing import Any, TypeVar, Union, cast, get_args, get_origin, get_type_hints

T = TypeVar("T")


def to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [to_json(v) for v in value]
    return value


def from_json(tp: type[T] | Any, data: Any, path: str = "$", *, strict: bool = False) -> T:
    """`strict`: keys the type does not have are refused (a file a user wrote, where an unknown
    key is a typo), rather than ignored (a document from a newer client)."""
    return cast(T, _read(tp, data, path, strict))


def _read(tp: Any, data: Any, path: str, strict: bool = False) -> Any:
    origin = get_origin(tp)
    if origin is Union or origin is types.UnionType:
        options = get_args(tp)
        if data is None and type(None) in options:
            return None
        real = [o for o in options if o is not type(None)]
        if len(real) != 1:
            raise TypeError(f"{path}: unions other than X | None are not supported")
        return _read(real[0], data, path, strict)
    if origin is tuple:
        item_type = get_args(tp)[0]
        if not isinstance(data, list):
            raise ValueError(f"{path}: expected a list, got {type(data).__name__}")
        return tuple(_read(item_type, d, f"{path}[{i}]", strict) for i, d in enumerate(data))
    cls = origin or tp
    if dataclasses.is_dataclass(cls) and isinstance(cls, type):
        return _read_dataclass(cls, tp, data, path, strict)
    if isinstance(cls, type) and issubclass(cls, Enum):
        try:
            return cls(data)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in cls)
            raise ValueError(f"{path}: {data!r} is not one of {allowed}") from None
    if cls is date:
        if not isinstance(data, str):
            raise ValueError(f"{path}: expected an ISO date, got {data!r}")
        try:
            return date.fromisoformat(data)
        except ValueError:
            raise ValueError(f"{path}: {data!r} is not an ISO date (YYYY-MM-DD)") from None
    if cls is bool and isinstance(data, bool):
        return data
    if cls is int and isinstance(data, int) and not isinstance(data, bool):
        return data
    if cls is str and isinstance(data, str):
        return data
    raise ValueError(f"{path}: expected {getattr(cls, '__name__', cls)}, got {data!r}")


def _read_dataclass(cls: type, tp: Any, data: Any, path: str, strict: bool) -> Any:
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected an object, got {type(data).__name__}")
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = [key for key in data if key not in names]
    if strict and unknown:
        raise ValueError(f"{path}.{unknown[0]}: unknown field; known: {', '.join(names)}")
    hints = get_type_hints(cls)
    params = getattr(cls, "__parameters__", ())
    bound = dict(zip(params, get_args(tp), strict=False))
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            field_type = _substitute(hints[f.name], bound)
            values[f.name] = _read(field_type, data[f.name], f"{path}.{f.name}", strict)
    try:
        return cls(**values)
    except TypeError as exc:  # a required field is missing
        raise ValueError(f"{path}: {exc}") from None


def _substitute(tp: Any, bound: dict[Any, Any]) -> Any:
    """`tp` with the type variables of a generic dataclass (Section[T]) replaced."""
    if isinstance(tp, TypeVar):
        return bound.get(tp, Any)
    args = get_args(tp)
    if not args or not bound:
        return tp
    new = tuple(a if a is Ellipsis else _substitute(a, bound) for a in args)
    origin = get_origin(tp)
    if origin is Union or origin is types.UnionType:
        return functools.reduce(operator.or_, new)
    return origin[new] if origin is tuple else tp.__origin__[new]
