"""The typed query as JSON: (de)serialisation and JSON Schema, derived from the type itself.

Everything here comes from :class:`questions.query.Query` through pydantic's
``TypeAdapter``, so the query type can grow or change shape without this module
changing: a thread's stored context and the LLM reader's schema follow it.
A stored value that no longer fits the type (written by an older version)
reads as "no context" rather than failing.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from questions.query import Query


@cache
def query_adapter() -> TypeAdapter[Query]:
    return TypeAdapter(Query)


def query_to_json(query: Query) -> dict[str, Any]:
    """``query`` as a JSON-compatible dict (dates as ISO strings, decimals as strings)."""
    data = query_adapter().dump_python(query, mode="json")
    if not isinstance(data, dict):
        raise TypeError(f"a query serialises to an object, not {type(data).__name__}")
    return data


def query_from_json(data: Any) -> Query:
    """A query back from :func:`query_to_json`'s output; ``ValidationError`` if it does not fit."""
    return query_adapter().validate_python(data)


def stored_query(data: Any) -> Query | None:
    """A stored query, or None when it no longer fits the current type."""
    if data is None:
        return None
    try:
        return query_from_json(data)
    except ValidationError:
        return None


def query_json_schema() -> dict[str, Any]:
    """The JSON Schema of a query (pydantic's validation-mode schema, with ``$defs``)."""
    return query_adapter().json_schema(mode="validation")
