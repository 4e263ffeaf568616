"""Stripe's expansion rules, derived from stripe-python's own type annotations.

stripe-python (pinned to the API version revbot sends) annotates every field
Stripe returns as an id unless expanded as ``ExpandableField["X"]`` — at run
time ``Union[str, X]``. ``schema`` reads those annotations class by class
(nested classes, embedded resources such as an item's ``price``, ``ListObject``
lists), so the test server knows, without a hand-kept list, which fields to
collapse to ids and which paths ``expand[]`` may name.

Two rules the annotations cannot carry are Stripe's documented ones:
*includable* fields ("This field is not included by default. To include it in
the response, expand the … field": price and plan ``tiers``, a customer's
``sources``/``subscriptions``/``tax_ids``…) and the 4-level depth limit.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any, ForwardRef, Union

from stripe._list_object import ListObject
from stripe._object_classes import OBJECT_CLASSES
from stripe._stripe_object import StripeObject

Obj = dict[str, Any]

MAX_DEPTH = 4
# Stripe's API reference marks these "not included by default … expand the field".
INCLUDABLE: dict[str, frozenset[str]] = {
    "price": frozenset({"tiers", "currency_options"}),
    "plan": frozenset({"tiers"}),
    "customer": frozenset(
        {"sources", "subscriptions", "tax_ids", "cash_balance", "invoice_credit_balance"}
    ),
}


class ExpandError(ValueError):
    """An ``expand[]`` path Stripe refuses; ``code`` as Stripe sends it (or None)."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Field:
    """One annotated field: ``expandable`` (an id unless expanded, into ``targets``),
    ``object`` (always embedded, of class ``targets[0]``) or ``list`` (a ``ListObject``
    whose ``data`` holds ``targets[0]``); ``many`` for a plain JSON array of them."""

    kind: str
    targets: tuple[type[StripeObject], ...]
    many: bool = False


# -- classes by name -----------------------------------------------------------------
@cache
def _class_named(name: str) -> type[StripeObject] | None:
    """A resource class from a forward reference ("Coupon" -> stripe._coupon.Coupon)."""
    for module, class_name in OBJECT_CLASSES.values():
        if class_name == name:
            found = getattr(import_module(module), class_name)
            return found if isinstance(found, type) else None
    return None


def class_of(object_name: str) -> type[StripeObject] | None:
    """The class of a Stripe ``object`` value ("subscription", "line_item", …)."""
    entry = OBJECT_CLASSES.get(object_name)
    if entry is None:
        return None
    found = getattr(import_module(entry[0]), entry[1])
    return found if isinstance(found, type) else None


def object_name(cls: type[StripeObject]) -> str | None:
    return getattr(cls, "OBJECT_NAME", None)


def _resolve(ref: Any) -> type[StripeObject] | None:
    if isinstance(ref, ForwardRef):
        return _class_named(ref.__forward_arg__)
    if isinstance(ref, str):
        return _class_named(ref)
    if isinstance(ref, type) and issubclass(ref, StripeObject):
        return ref
    return None


# -- one annotation -> a Field -----------------------------------------------------------
def _classify(annotation: Any) -> Field | None:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if str in rest:
            targets = tuple(t for t in (_resolve(a) for a in rest if a is not str) if t)
            return Field("expandable", targets) if targets else None
        if len(rest) == 1:
            return _classify(rest[0])
        return None
    if origin in (list, typing.List):  # noqa: UP006 - stripe-python annotates with List
        inner = _classify(args[0]) if args else None
        return Field(inner.kind, inner.targets, many=True) if inner else None
    if isinstance(origin, type) and issubclass(origin, ListObject):
        element = _resolve(args[0]) if args else None
        return Field("list", (element,)) if element else None
    target = _resolve(annotation)
    if target is not None and not _untyped(target):
        return Field("object", (target,))
    return None


def _untyped(cls: type) -> bool:
    """``UntypedStripeObject`` (metadata, hashes of anything) has no fields of its own."""
    return cls.__name__ == "UntypedStripeObject"


@cache
def schema(cls: type[StripeObject]) -> dict[str, Field]:
    """Every field of ``cls`` that holds an id or a Stripe object, by name."""
    out: dict[str, Field] = {}
    for name, annotation in getattr(cls, "__annotations__", {}).items():
        field = _classify(annotation)
        if field is not None:
            out[name] = field
    return out


@cache
def interesting(cls: type[StripeObject]) -> dict[str, Field]:
    """The fields rendering must visit: expandable ones, and objects or lists whose
    class holds such fields (or includable ones) at some depth; everything else is
    copied as stored."""
    marked = _marked_closure(cls)
    return {
        name: field
        for name, field in schema(cls).items()
        if field.kind == "expandable" or field.targets[0] in marked
    }


@cache
def _marked_closure(cls: type[StripeObject]) -> frozenset[type]:
    """The classes embedded (at any depth) in ``cls`` that hold an expandable or
    includable field somewhere below them: a fixpoint over the embedding graph."""
    reachable: list[type[StripeObject]] = []
    queue = [cls]
    while queue:
        current = queue.pop()
        if current in reachable:
            continue
        reachable.append(current)
        queue += [f.targets[0] for f in schema(current).values() if f.kind != "expandable"]
    marked = {
        c
        for c in reachable
        if INCLUDABLE.get(object_name(c) or "")
        or any(f.kind == "expandable" for f in schema(c).values())
    }
    changed = True
    while changed:
        changed = False
        for c in reachable:
            if c not in marked and any(
                f.kind != "expandable" and f.targets[0] in marked for f in schema(c).values()
            ):
                marked.add(c)
                changed = True
    return frozenset(marked)


def warm_rules(object_types: Iterable[str]) -> None:
    """Derive (and cache) the rules of these object types and everything they embed."""
    for type_ in object_types:
        cls = class_of(type_)
        if cls is not None:
            interesting(cls)
            for embedded in _marked_closure(cls):
                interesting(embedded)


# -- expand[] paths ----------------------------------------------------------------------
def check_expand(cls: type[StripeObject], paths: Iterable[str], *, is_list: bool) -> None:
    """Raise ``ExpandError`` as Stripe does for a path it refuses (too deep, unknown)."""
    for path in paths:
        segments = path.split(".")
        if len(segments) > MAX_DEPTH:
            raise ExpandError(
                "You cannot expand more than 4 levels of a property. Property: " + path,
                "property_expansion_max_depth",
            )
        if is_list:
            if segments[0] != "data" or len(segments) < 2:
                raise ExpandError(f"This property cannot be expanded ({segments[0]}).")
            segments = segments[1:]
        _walk(cls, segments)


def _walk(cls: type[StripeObject], segments: list[str]) -> None:
    current, in_list = cls, False
    for n, segment in enumerate(segments):
        last = n == len(segments) - 1
        if in_list:
            if segment != "data" or last:
                raise ExpandError(f"This property cannot be expanded ({segment}).")
            in_list = False
            continue
        if last and segment in INCLUDABLE.get(object_name(current) or "", ()):
            return
        field = schema(current).get(segment)
        if field is None:
            raise ExpandError(f"This property cannot be expanded ({segment}).")
        if field.kind == "expandable":
            current = field.targets[0]
            continue
        if last:
            raise ExpandError(f"This property cannot be expanded ({segment}).")
        current, in_list = field.targets[0], field.kind == "list"


def prefixes(paths: Iterable[str]) -> frozenset[str]:
    """Every path an ``expand[]`` list asks for: a deeper path expands its parents too."""
    out: set[str] = set()
    for path in paths:
        segments = path.split(".")
        out.update(".".join(segments[: n + 1]) for n in range(len(segments)))
    return frozenset(out)


# -- rendering ---------------------------------------------------------------------------
Resolver = Callable[[tuple[type[StripeObject], ...], str], Obj | None]


@dataclass(frozen=True)
class Rendering:
    """What one response asks for: the expanded paths, and how to find an object by id."""

    wanted: frozenset[str]
    resolve: Resolver

    def render(self, obj: Obj, cls: type[StripeObject], prefix: str = "") -> Obj:
        """``obj`` as Stripe returns it: ids unless expanded, includable fields only when
        expanded; stored objects are never changed (changed parts are copied)."""
        out: Obj | None = None
        for name, field in interesting(cls).items():
            if name not in obj or obj[name] is None:
                continue
            value = obj[name]
            new = self._field(value, field, f"{prefix}{name}")
            if new is not value:
                out = out if out is not None else dict(obj)
                out[name] = new
        for name in INCLUDABLE.get(object_name(cls) or "", ()):
            if name in obj and f"{prefix}{name}" not in self.wanted:
                out = out if out is not None else dict(obj)
                del out[name]
        return out if out is not None else obj

    def _field(self, value: Any, field: Field, path: str) -> Any:
        if field.many:
            if not isinstance(value, list):
                return value
            single = Field(field.kind, field.targets)
            items = [self._field(v, single, path) for v in value]
            return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
        if field.kind == "expandable":
            return self._expandable(value, field.targets, path)
        if not isinstance(value, dict):
            return value
        if field.kind == "list":
            data = value.get("data")
            if not isinstance(data, list):
                return value
            element = field.targets[0]
            rendered = [
                self.render(v, element, f"{path}.data.") if isinstance(v, dict) else v for v in data
            ]
            return {**value, "data": rendered}
        return self.render(value, field.targets[0], f"{path}.")

    def _expandable(self, value: Any, targets: tuple[type[StripeObject], ...], path: str) -> Any:
        if path not in self.wanted:
            return value.get("id") if isinstance(value, dict) else value
        found = value if isinstance(value, dict) else self.resolve(targets, str(value))
        if found is None:
            return value
        cls = class_of(str(found.get("object") or "")) or targets[0]
        return self.render(found, cls, f"{path}.")


def collapse(obj: Obj, resolve: Resolver | None = None) -> Obj:
    """An object with nothing expanded (what an event payload carries)."""
    cls = class_of(str(obj.get("object") or ""))
    if cls is None:
        return obj
    return Rendering(frozenset(), resolve or (lambda _t, _i: None)).render(obj, cls)
