"""The typed query as JSON: a JSON schema, and (de)serialisation derived from the types.

``Query`` and its parts are plain frozen dataclasses and enums, so pydantic's
``TypeAdapter`` derives both the schema and the conversions from them; nothing
here lists a field by hand. ``dump_query(q)`` / ``load_query(data)`` round-trip
(``load_query(dump_query(q)) == q``); ``query_schema()`` is the JSON schema of a
typed query. The intent is not part of the data: it is derived from measure,
subject and shape (questions/query.py).

The same machinery serves any other such type (``schema_of``, ``dump``, ``load``):
questions/reading.py uses it for the part of the typed query an outside reader (an
LLM) fills, with ``strict_schema`` making the schema one a structured-output API
enforces exactly (every key required, no other key allowed).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter

from questions.query import Query


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def schema_of(kind: Any) -> dict[str, Any]:
    """The JSON schema of the dataclass (or other type) ``kind``."""
    schema: dict[str, Any] = _adapter(kind).json_schema()
    return schema


def dump(kind: Any, value: Any) -> dict[str, Any]:
    """``value`` of type ``kind`` as JSON-ready data (dates ISO, decimals as strings)."""
    data: dict[str, Any] = _adapter(kind).dump_python(value, mode="json")
    return data


def load(kind: Any, data: Any) -> Any:
    """A value of type ``kind`` from JSON data; raises ``pydantic.ValidationError``."""
    return _adapter(kind).validate_python(data)


def query_schema() -> dict[str, Any]:
    """The JSON schema of a typed query."""
    return schema_of(Query)


def dump_query(query: Query) -> dict[str, Any]:
    """``query`` as JSON-ready data (dates as ISO strings, decimals as strings)."""
    return dump(Query, query)


def load_query(data: Any) -> Query:
    """A typed query from JSON data; raises ``pydantic.ValidationError`` when invalid."""
    query: Query = load(Query, data)
    return query


def strict_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with every object closed and every property required, defaults dropped
    (what OpenAI-compatible structured outputs accept in strict mode)."""

    def close(node: Any) -> Any:
        if isinstance(node, list):
            return [close(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {key: close(value) for key, value in node.items() if key != "default"}
        if "properties" in node:
            out["required"] = list(node["properties"])
            out["additionalProperties"] = False
        return out

    closed: dict[str, Any] = close(schema)
    return closed


def same_keys(data: Any, dumped: Any) -> bool:
    """Whether JSON ``data`` has exactly the object keys of ``dumped`` (a value loaded
    from it, dumped back): no key missing, none the type does not have."""
    if isinstance(data, dict) and isinstance(dumped, dict):
        return set(data) == set(dumped) and all(same_keys(data[k], dumped[k]) for k in data)
    if isinstance(data, list) and isinstance(dumped, list):
        return len(data) == len(dumped) and all(map(same_keys, data, dumped))
    return not isinstance(data, dict | list)
