"""The shared questions' ``expect`` facts, checked as tests/data/shared/questions/README.md says.

``check(answer_json, spec)`` returns the list of facts that do not hold (empty
when the answer is correct). ``answer_json`` is the ``revbot ask --json``
object: question, intent, as_of, entities, result, text.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any


def walk(value: Any) -> Iterator[Any]:
    """Every value nested under ``value`` (itself included), depth first."""
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def is_money(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) >= {"amount", "currency"}
        and isinstance(value.get("amount"), str)
    )


def money_key(value: dict[str, Any]) -> tuple[Decimal, str]:
    return Decimal(value["amount"]), str(value["currency"]).upper()


def is_account(value: Any) -> bool:
    return isinstance(value, dict) and {"id", "name", "domain"} <= set(value)


def row_account_names(result: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for row in result.get("rows") or []:
        if is_account(row):
            names.add(row["name"])
        elif isinstance(row, dict):
            for value in row.values():
                if is_account(value):
                    names.add(value["name"])
    return names


def all_account_names(result: Any) -> set[str]:
    return {v["name"] for v in walk(result) if is_account(v)}


def _numbers(value: Any) -> Iterator[float]:
    for item in walk(value):
        if isinstance(item, bool):
            continue
        if isinstance(item, (int, float)):
            yield float(item)
        elif isinstance(item, str):
            try:
                yield float(Decimal(item.rstrip("%")))
            except (InvalidOperation, ValueError):
                continue


def _strings(value: Any) -> Iterator[str]:
    for item in walk(value):
        if isinstance(item, str):
            yield item


def _row_for(result: dict[str, Any], name: str) -> dict[str, Any] | None:
    for row in result.get("rows") or []:
        if isinstance(row, dict) and name in {v["name"] for v in walk(row) if is_account(v)}:
            return row
    return None


def _day_numbers(row: Any) -> Iterator[Any]:
    if isinstance(row, dict):
        for key, value in row.items():
            if "day" in key.lower():
                yield value
            yield from _day_numbers(value)
    elif isinstance(row, list):
        for item in row:
            yield from _day_numbers(item)


def _month_holds(result: Any, month: str, expected: list[dict[str, str]]) -> bool:
    """Some object under ``result`` holds ``month`` and every expected Money of it."""
    want = {money_key(m) for m in expected}
    for obj in walk(result):
        if not isinstance(obj, dict) or month not in obj.values():
            continue
        if want <= {money_key(m) for m in walk(obj) if is_money(m)}:
            return True
    return False


def _close_date(value: str | None, expected: str) -> bool:
    if not value:
        return False
    got = date.fromisoformat(value[:10])
    return abs(got - date.fromisoformat(expected)) <= timedelta(days=1)


def check(answer: dict[str, Any], spec: dict[str, Any]) -> list[str]:
    """The failed facts of ``spec`` (a questions.jsonl line) for ``answer``."""
    problems: list[str] = []
    result = answer.get("result") or {}
    entities = answer.get("entities") or {}
    if answer.get("intent") != spec["intent"]:
        problems.append(f"intent {answer.get('intent')!r} != {spec['intent']!r}")
    account = entities.get("account")
    if spec.get("account") is None:
        if account is not None:
            problems.append(f"account should be null, got {account}")
    elif not account or account.get("name") != spec["account"]:
        problems.append(f"account {account} != {spec['account']!r}")
    expect = spec.get("expect") or {}
    if "accounts" in expect:
        got = row_account_names(result)
        allowed = set(expect.get("accounts_allow", []))
        want = set(expect["accounts"])
        if not (want <= got and got - want <= allowed):
            problems.append(f"accounts {sorted(got)} != {sorted(want)}")
    for name in expect.get("accounts_include", []):
        if name not in all_account_names(result):
            problems.append(f"missing account {name}")
    for name in expect.get("accounts_exclude", []):
        if name in all_account_names(result):
            problems.append(f"unexpected account {name}")
    if "money" in expect:
        present = {money_key(m) for m in walk(result) if is_money(m)}
        for money in expect["money"]:
            if money_key(money) not in present:
                problems.append(f"money {money} not in result")
    if "count" in expect:
        counts = {len(result.get("rows") or [])} if "rows" in result else set()
        counts |= {
            v
            for obj in walk(result)
            if isinstance(obj, dict)
            for k, v in obj.items()
            if k in ("count", "total_count") and isinstance(v, int)
        }
        if expect["count"] not in counts:
            problems.append(f"count {expect['count']} not in {counts}")
    for name, days in (expect.get("days_overdue") or {}).items():
        row = _row_for(result, name)
        if row is None or days not in list(_day_numbers(row)):
            problems.append(f"days_overdue {name}={days}")
    strings = list(_strings(result))
    if "date" in expect and not any(s.startswith(expect["date"]) for s in strings):
        problems.append(f"date {expect['date']} not in result")
    if "dates_any" in expect and not any(
        s.startswith(d) for d in expect["dates_any"] for s in strings
    ):
        problems.append(f"none of dates {expect['dates_any']} in result")
    lowered = {s.lower() for s in strings}
    for key in ("status_any", "plan_any"):
        if key in expect and not any(v.lower() in lowered for v in expect[key]):
            problems.append(f"none of {expect[key]} in result")
    if "percent" in expect:
        value, tol = float(expect["percent"]["value"]), float(expect["percent"].get("tol", 0.01))
        if not any(
            abs(n - value) <= tol or abs(n - value / 100) <= tol / 100 for n in _numbers(result)
        ):
            problems.append(f"percent {value} not in result")
    for month, amounts in (expect.get("months") or {}).items():
        if not _month_holds(result, month, amounts):
            problems.append(f"month {month} {amounts} not in result")
    if "period" in expect:
        period = entities.get("period") or {}
        want = expect["period"]
        if not (
            _close_date(period.get("start"), want["start"])
            and _close_date(period.get("end"), want["end"])
        ):
            problems.append(f"period {period} != {want}")
    if "limit" in expect and entities.get("limit") != expect["limit"]:
        problems.append(f"limit {entities.get('limit')} != {expect['limit']}")
    if "filter_number" in expect:
        number = Decimal(str(expect["filter_number"]))
        found = {Decimal(str(n)) for n in _numbers(entities.get("filters") or {})}
        if number not in found and number * 100 not in found:
            problems.append(f"filter number {number} not in filters")
    if "text_any" in expect:
        text = (answer.get("text") or "").lower()
        if not any(t.lower() in text for t in expect["text_any"]):
            problems.append(f"text lacks all of {expect['text_any']}")
    return problems
