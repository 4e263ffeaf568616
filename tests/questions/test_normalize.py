"""Clean-up of question text: Slack markup, unicode, controls, hostile input."""

from __future__ import annotations

import time

import pytest

from questions.normalize import MAX_CHARS, clean, normalize


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("<@U0BOT> overdue?", "overdue?"),
        ("<@U0BOT|revbot> help", "help"),
        ("<!here> who is late", "who is late"),
        ("<mailto:ap@acme.com|ap@acme.com> status", "ap@acme.com status"),
        ("<mailto:ap@acme.com> status", "ap@acme.com status"),
        ("<http://acme.com|acme.com> summary", "acme.com summary"),
        ("<https://www.acme.com/billing> summary", "www.acme.com summary"),
        ("<#C123|finance> mrr", "finance mrr"),
        ("Maple &amp; Co", "Maple & Co"),
        (":wave: hi :smile::skin-tone-2:", "hi"),
        ("*bold* _italic_ ~strike~", "bold italic strike"),
        ("“quoted” ‘single’ — dash", "\"quoted\" 'single' - dash"),
        ("tab\there\nnew line", "tab here new line"),
        ("zero\u200bwidth\u0000null\x07bell", "zerowidthnullbell"),
        ("ｆｕｌｌ ｗｉｄｔｈ", "full width"),
        ("   many    spaces   ", "many spaces"),
        ("ratio 3:1 at 10:30", "ratio 3:1 at 10:30"),
    ],
)
def test_clean(raw: str, cleaned: str) -> None:
    assert clean(raw) == cleaned


def test_folded_is_case_and_accent_free_and_aligned() -> None:
    norm = normalize("Crédit RIVIÈRE straße")
    assert norm.folded == "credit riviere strasse"
    start = norm.folded.index("riviere")
    assert norm.original_span(start, start + len("riviere")) == "RIVIÈRE"


def test_hostile_input_is_truncated_quickly() -> None:
    start = time.perf_counter()
    norm = normalize("overdue " * 5000 + "\x00" * 1000 + "<" * 3000)
    assert len(norm.original) <= MAX_CHARS
    assert (time.perf_counter() - start) < 0.5


def test_none_like_and_empty() -> None:
    assert normalize("").folded == ""
    assert normalize("\x00\x01").folded == ""


def test_time_word_slips_are_fixed_only_beside_their_partner() -> None:
    slip = normalize("Churn lst mnth")
    assert slip.folded == "churn last month"
    assert slip.original_span(6, len(slip.folded)) == "lst mnth"  # still shown as typed
    assert normalize("renewals nxt 30 days").folded == "renewals next 30 days"
    assert normalize("NXT invoices").folded == "nxt invoices"  # no time word beside it
    assert normalize("invoices on net 30 days").folded == "invoices on net 30 days"
