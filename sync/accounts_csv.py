"""Parse a client list CSV (``revbot accounts import FILE.csv``, SPEC §6, §10b).

Format: a header row, then one account per row. Columns ``name`` and
``domain`` are required in the header, ``external_id``, ``aliases``
(separated by ``;``) and ``owner`` are optional; unknown columns are ignored.
Header names tolerate case, surrounding spaces, a UTF-8 BOM and ``-``/space
for ``_`` ("External ID").

Values:
- a cell holding a control character (NUL, escape, a bidirectional override,
  …) is an error naming its line and column; tab and line breaks inside a
  quoted cell are whitespace.
- ``name`` is required on every row; names must be unique (ignoring case and
  spacing, the way matching compares them).
- ``domain`` may be blank (the account then matches by external_id or name).
  It is normalised: lower case, ``https://``, ``www.``, a port or a path are
  dropped, and an email address (``billing@acme.com``) gives its domain, since
  that is plainly what was meant. Anything that is still not a host name with
  a dot (``acme``) is an error. Two rows may share a domain: customers on it
  become ambiguous (a warning, not an error).
- ``external_id`` must be unique (ignoring case) when present.
- ``aliases``: ``;``-separated, blanks and repeats dropped.

A file with any error imports nothing: :func:`parse_accounts_csv` reports every
bad line ("line 7: missing name") and the caller refuses the import.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sync.matching_keys import is_valid_domain, name_key

REQUIRED_COLUMNS = ("name", "domain")
KNOWN_COLUMNS = ("name", "domain", "external_id", "aliases", "owner")
_HEADER_SYNONYMS = {"alias": "aliases", "externalid": "external_id"}
# Control characters refused in a cell: C0 and C1 controls and DEL (a NUL in a name is
# garbage PostgreSQL refuses outright), and the bidirectional overrides and isolates that
# make a name display as something else. Tab and line breaks are whitespace (collapsed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAX_LENGTHS = {"name": 300, "domain": 255, "external_id": 200, "owner": 200}


@dataclass(frozen=True)
class AccountRow:
    """One valid row of the client list."""

    line: int
    name: str
    domain: str | None = None
    external_id: str | None = None
    aliases: tuple[str, ...] = ()
    owner: str | None = None


@dataclass(frozen=True)
class AccountsCsv:
    """The parse result: rows to import, or the errors that forbid the import."""

    rows: tuple[AccountRow, ...] = ()
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _State:
    rows: list[AccountRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    names: dict[str, tuple[int, str]] = field(default_factory=dict)
    external_ids: dict[str, tuple[int, str]] = field(default_factory=dict)
    domains: dict[str, int] = field(default_factory=dict)


def load_accounts_csv(path: str | Path) -> AccountsCsv:
    """Read and parse a client list file (UTF-8, with or without BOM)."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return AccountsCsv(errors=(f"the file is not UTF-8 text (byte {exc.start})",))
    return parse_accounts_csv(text)


def parse_accounts_csv(text: str) -> AccountsCsv:
    """Parse the CSV text; every problem is reported with its line number."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    state = _State()
    try:
        header = _read_header(reader)
        if header is None:
            return AccountsCsv(errors=(_header_help("the file is empty"),))
        columns, header_errors = _map_header(header)
        if header_errors:
            return AccountsCsv(errors=tuple(header_errors))
        last_line = reader.line_num
        for cells in reader:
            line = last_line + 1
            last_line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            _read_row(state, line, cells, columns, len(header))
    except csv.Error as exc:
        state.errors.append(f"line {reader.line_num}: unreadable CSV ({exc})")
    if not state.rows and not state.errors:
        state.errors.append("no accounts in the file (only a header row)")
    if state.errors:
        return AccountsCsv(errors=tuple(state.errors), warnings=tuple(state.warnings))
    return AccountsCsv(rows=tuple(state.rows), warnings=tuple(state.warnings))


def _header_help(problem: str) -> str:
    return f"{problem}: expected a header row with columns {', '.join(KNOWN_COLUMNS)}"


def _read_header(reader: Iterable[list[str]]) -> list[str] | None:
    for cells in reader:
        if any(cell.strip() for cell in cells):
            return cells
    return None


def _column_name(cell: str) -> str:
    key = cell.strip().lower().replace("-", "_").replace(" ", "_")
    return _HEADER_SYNONYMS.get(key.replace("_", ""), key)


def _map_header(header: list[str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    errors: list[str] = []
    for index, cell in enumerate(header):
        name = _column_name(cell)
        if name not in KNOWN_COLUMNS:
            continue  # unknown columns are ignored
        if name in columns:
            errors.append(f"line 1: column '{name}' appears twice")
        columns[name] = index
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        errors.append(_header_help(f"line 1: missing column {', '.join(repr(c) for c in missing)}"))
    return columns, errors


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    if index is None or index >= len(cells):
        return ""
    return " ".join(cells[index].split())  # trimmed, inner whitespace collapsed


def _control_characters(cells: list[str], columns: dict[str, int], line: int) -> list[str]:
    """One error per imported cell holding a control character (ignored columns aside)."""
    errors = []
    for name, index in sorted(columns.items(), key=lambda item: item[1]):
        found = _CONTROL.search(cells[index]) if index < len(cells) else None
        if found is not None:
            errors.append(
                f"line {line}: {name} contains a control character "
                f"(U+{ord(found.group()):04X} at position {found.start() + 1})"
            )
    return errors


def _read_row(
    state: _State, line: int, cells: list[str], columns: dict[str, int], width: int
) -> None:
    errors_before = len(state.errors)
    if len(cells) > width:
        state.errors.append(
            f"line {line}: {len(cells)} fields but the header has {width}"
            " (quote values that contain commas)"
        )
        return
    controls = _control_characters(cells, columns, line)
    if controls:  # refused, not cleaned: the file is not what the user thinks it is
        state.errors.extend(controls)
        return
    name = _cell(cells, columns, "name")
    domain_text = _cell(cells, columns, "domain")
    external_id = _cell(cells, columns, "external_id") or None
    owner = _cell(cells, columns, "owner") or None
    aliases = _aliases(_cell(cells, columns, "aliases"), name)
    if not name:
        state.errors.append(f"line {line}: missing name")
    domain = normalise_domain(domain_text) if domain_text else None
    if domain_text and domain is None:
        state.errors.append(f"line {line}: invalid domain '{domain_text}'")
    for column, value in (("name", name), ("domain", domain), ("external_id", external_id)):
        if value and len(value) > MAX_LENGTHS[column]:
            state.errors.append(
                f"line {line}: {column} longer than {MAX_LENGTHS[column]} characters"
            )
    if owner and len(owner) > MAX_LENGTHS["owner"]:
        state.errors.append(f"line {line}: owner longer than {MAX_LENGTHS['owner']} characters")
    _check_unique(state, line, name, external_id)
    if len(state.errors) > errors_before:
        return
    if domain is not None:
        if domain in state.domains:
            state.warnings.append(
                f"line {line}: domain {domain} is also on line {state.domains[domain]}"
                " (its customers will be ambiguous)"
            )
        else:
            state.domains[domain] = line
    state.rows.append(
        AccountRow(
            line=line,
            name=name,
            domain=domain,
            external_id=external_id,
            aliases=aliases,
            owner=owner,
        )
    )


def _check_unique(state: _State, line: int, name: str, external_id: str | None) -> None:
    if name:
        key = name_key(name)
        if key in state.names:
            first_line = state.names[key][0]
            state.errors.append(f"line {line}: duplicate name '{name}' (also on line {first_line})")
        else:
            state.names[key] = (line, name)
    if external_id:
        key = external_id.casefold()
        if key in state.external_ids:
            first_line = state.external_ids[key][0]
            state.errors.append(
                f"line {line}: duplicate external_id '{external_id}' (also on line {first_line})"
            )
        else:
            state.external_ids[key] = (line, external_id)


def _aliases(text: str, name: str) -> tuple[str, ...]:
    seen = {name_key(name)}
    out: list[str] = []
    for part in text.split(";"):
        alias = " ".join(part.split())
        key = name_key(alias)
        if key and key not in seen:
            seen.add(key)
            out.append(alias)
    return tuple(out)


def normalise_domain(text: str) -> str | None:
    """``https://www.Acme.com/about`` -> ``acme.com``; None when not a domain."""
    value = text.strip().lower()
    if "@" in value:
        value = value.rsplit("@", 1)[1]
    for prefix in ("https://", "http://", "//"):
        value = value.removeprefix(prefix)
    for stop in "/?#":
        value = value.split(stop, 1)[0]
    value = value.split(":", 1)[0].rstrip(".").removeprefix("www.")
    if value and not value.isascii():
        try:
            value = value.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return value if is_valid_domain(value) else None
