"""The typed query as JSON: a JSON schema, and (de)serialisation derived from the types.

``Query`` and its parts are plain frozen dataclasses and enums, so pydantic's
``TypeAdapter`` derives both the schema and the conversions from them; nothing
here lists a field by hand. ``dump_query(q)`` / ``load_query(data)`` round-trip
(``load_query(dump_query(q)) == q``); ``query_schema()`` is the JSON schema a
reader other than the rules (an LLM) fills. The intent is not part of the data:
it is derived from measure, subject and shape (questions/query.py).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter

from questions.query import Query


@cache
def _adapter() -> TypeAdapter[Query]:
    return TypeAdapter(Query)


def query_schema() -> dict[str, Any]:
    """The JSON schema of a typed query."""
    return _adapter().json_schema()


def dump_query(query: Query) -> dict[str, Any]:
    """``query`` as JSON-ready data (dates as ISO strings, decimals as strings)."""
    data: dict[str, Any] = _adapter().dump_python(query, mode="json")
    return data


def load_query(data: Any) -> Query:
    """A typed query from JSON data; raises ``pydantic.ValidationError`` when invalid."""
    return _adapter().validate_python(data)
