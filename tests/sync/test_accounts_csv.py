"""Client list CSV parsing: tolerant headers, normalised values, errors by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.accounts_csv import AccountRow, load_accounts_csv, normalise_domain, parse_accounts_csv
from tests.support.world import WORLD


def test_parses_the_sample_world_list() -> None:
    parsed = load_accounts_csv(WORLD / "accounts.csv")
    assert parsed.ok
    assert len(parsed.rows) == 60
    blue = parsed.rows[0]
    assert blue == AccountRow(
        line=2,
        name="Blue Harbor Capital",
        domain="blueharborcap.com",
        external_id="CL-0102",
        aliases=("Blue Harbor",),
        owner="Aisha Bello",
    )
    by_name = {r.name: r for r in parsed.rows}
    assert by_name["Soylent Foods"].aliases == ("Soylent", "Soylent Co")
    assert by_name["Smith, Jones & Partners LLP"].domain == "smithjonespartners.co.uk"
    assert by_name["Silverline Auto"].external_id is None
    # Two accounts share globex.com: allowed, with a warning.
    assert any("globex.com" in w for w in parsed.warnings)


def test_tolerates_bom_header_case_spacing_unknown_columns_and_blank_lines() -> None:
    text = (
        "\ufeff Name ,DOMAIN, External ID ,Notes,Aliases,owner\r\n"
        "\r\n"
        "  Acme   Inc ,  https://www.Acme.com/about , CL-1 ,vip,"
        " acme  inc ; ACME Corp;; acme corp; Acme ,  Ann \r\n"
        ",,,,,\r\n"
        "Beta,beta.io,,,,\r\n"
    )
    parsed = parse_accounts_csv(text)
    assert parsed.ok, parsed.errors
    assert parsed.rows == (
        AccountRow(3, "Acme Inc", "acme.com", "CL-1", ("ACME Corp", "Acme"), "Ann"),
        AccountRow(5, "Beta", "beta.io", None, (), None),
    )


def test_optional_columns_may_be_absent_and_domain_blank() -> None:
    parsed = parse_accounts_csv("name,domain\nAcme,\nBeta,beta.io\n")
    assert parsed.ok
    assert [(r.name, r.domain, r.external_id) for r in parsed.rows] == [
        ("Acme", None, None),
        ("Beta", "beta.io", None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("acme.com", "acme.com"),
        ("ACME.COM.", "acme.com"),
        ("https://www.acme.com/path?q=1", "acme.com"),
        ("http://acme.com:8080", "acme.com"),
        ("billing@acme.com", "acme.com"),
        ("eu.acme.co.uk", "eu.acme.co.uk"),
        ("studio-nordlicht.de", "studio-nordlicht.de"),
        ("café.fr", "xn--caf-dma.fr"),
        ("acme", None),
        ("acme .com", None),
        ("-acme.com", None),
        ("acme..com", None),
        ("1.2.3.4", None),
        ("", None),
    ],
)
def test_domain_normalisation(text: str, expected: str | None) -> None:
    assert normalise_domain(text) == expected


def test_every_bad_line_is_reported_and_nothing_imports() -> None:
    text = "\n".join(
        [
            "name,domain,external_id,aliases,owner",  # line 1
            "Acme,acme.com,CL-1,,",  # 2
            "Beta,beta.io,CL-2,,",  # 3
            "ACME ,acme2.com,,,",  # 4 duplicate name (case/spacing)
            ",nameless.com,,,",  # 5 missing name
            "Gamma,gamma,,,",  # 6 invalid domain
            "Delta,delta.com,cl-2,,",  # 7 duplicate external_id (case)
            "Smith, Jones LLP,smithjones.com,,,",  # 8 unquoted comma -> too many fields
            "Fine,fine.com,,,",  # 9 good
            '"Multi',  # 10 quoted newline: one record on lines 10-11
            'line",,,,',  # 11
            "Epsilon,epsilon.com,,,",  # 12 good; line numbers stay physical
            ",bad,,,",  # 13 two problems on one line
        ]
    )
    parsed = parse_accounts_csv(text)
    assert not parsed.ok
    assert parsed.rows == ()
    assert list(parsed.errors) == [
        "line 4: duplicate name 'ACME' (also on line 2)",
        "line 5: missing name",
        "line 6: invalid domain 'gamma'",
        "line 7: duplicate external_id 'cl-2' (also on line 3)",
        "line 8: 6 fields but the header has 5 (quote values that contain commas)",
        "line 13: missing name",
        "line 13: invalid domain 'bad'",
    ]


def test_header_problems() -> None:
    assert parse_accounts_csv("").errors[0].startswith("the file is empty")
    assert parse_accounts_csv("\n\n").errors[0].startswith("the file is empty")
    missing = parse_accounts_csv("company,website\nAcme,acme.com\n").errors
    assert missing[0].startswith("line 1: missing column 'name', 'domain'")
    assert parse_accounts_csv("name,domain\n").errors == (
        "no accounts in the file (only a header row)",
    )
    assert "appears twice" in parse_accounts_csv("name,domain,Name\nA,a.com,B\n").errors[0]


def test_too_long_values_are_errors() -> None:
    parsed = parse_accounts_csv(f"name,domain,owner\n{'x' * 301},x.com,{'o' * 201}\n")
    assert parsed.errors == (
        "line 2: name longer than 300 characters",
        "line 2: owner longer than 200 characters",
    )


def test_load_rejects_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes("name,domain\nCaf\xe9,cafe.fr\n".encode("latin-1"))
    parsed = load_accounts_csv(path)
    assert not parsed.ok
    assert parsed.errors[0].startswith("the file is not UTF-8 text")


def test_load_reads_bom_file(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes("name,domain\r\nCafé Lumière,cafelumiere.fr\r\n".encode("utf-8-sig"))
    parsed = load_accounts_csv(path)
    assert parsed.ok
    assert parsed.rows[0].name == "Café Lumière"


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            "Ac\x00me Inc,acme.com",
            "line 3: name contains a control character (U+0000 at position 3)",
        ),
        (
            "Acme\x07 Inc,acme.com",
            "line 3: name contains a control character (U+0007 at position 5)",
        ),
        (
            "Acme,acme.com\x1b[2J",
            "line 3: domain contains a control character (U+001B at position 9)",
        ),
        ("Acme,acme.com,\x7f42", "line 3: external_id contains a control character (U+007F"),
        ("Acme,acme.com,,\u0085x", "line 3: aliases contains a control character (U+0085"),
        ("\u202eemca,acme.com", "line 3: name contains a control character (U+202E at position 1)"),
        ("Acme,acme.com,,,Ann\u2066", "line 3: owner contains a control character (U+2066"),
    ],
)
def test_control_characters_are_refused_with_the_line(row: str, error: str) -> None:
    text = "name,domain,external_id,aliases,owner\nGood Co,good.com,,,\n" + row + "\n"
    parsed = parse_accounts_csv(text)
    assert not parsed.ok and parsed.rows == ()
    [message] = parsed.errors
    assert message.startswith(error), message


def test_every_row_with_a_control_character_is_reported() -> None:
    text = "name,domain\nA\x00,a.com\nB,b.com\nC\x01,c.com\n"
    assert [e.split(":")[0] for e in parse_accounts_csv(text).errors] == ["line 2", "line 4"]


def test_tabs_and_line_breaks_in_a_quoted_cell_are_whitespace() -> None:
    parsed = parse_accounts_csv('name,domain\n"Acme\t\r\nInc",acme.com\n')
    assert parsed.ok
    assert parsed.rows[0].name == "Acme Inc"


def test_control_characters_in_an_ignored_column_are_not_imported_or_refused() -> None:
    parsed = parse_accounts_csv("name,domain,notes\nAcme,acme.com,\x00\n")
    assert parsed.ok and parsed.rows[0].name == "Acme"
