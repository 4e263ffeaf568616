"""Failed payments: one row per invoice with a failed attempt in the period (SPEC §7b)."""

from __future__ import annotations

from billing.failed_payments import failed_payments, failure_count
from billing.models import Event
from billing.periods import Period
from tests.billing.book import Book, at
from tests.billing.build import invoice


def ledger_with(*invoices):
    b = Book()
    b.account("Acme")
    for inv in invoices:
        b.invoice(inv)
    return b.done()


def failed(id, status="open", attempts=1, **extra):
    base = dict(customer="cus_acme", attempted=True, attempt_count=attempts, amount_due=9000)
    base.update(extra)
    return invoice(id, status=status, created=at(3, 1), finalized_at=at(3, 1, 11), **base)


MARCH = Period(at(3, 1, 0), at(4, 1, 0))


def test_open_invoice_with_failed_attempt_is_listed():
    (row,) = failed_payments(ledger_with(failed("in_1", attempts=2)), MARCH)
    assert (row.invoice_id, row.failed_attempts, row.status) == ("in_1", 2, "open")
    assert row.first_failed_at == at(3, 1, 11)
    assert row.amount.amount == 9000


def test_recovered_invoice_still_listed_without_the_paying_attempt():
    inv = failed("in_1", status="paid", attempts=2, paid_at=at(3, 4))
    (row,) = failed_payments(ledger_with(inv), MARCH)
    assert row.failed_attempts == 1 and row.recovered


def test_paid_first_time_or_send_invoice_is_not_a_failure():
    paid = failed("in_p", status="paid", attempts=1, paid_at=at(3, 1, 11))
    manual = failed("in_m", collection_method="send_invoice")
    voided_after_paying = failed("in_v", status="void", paid_at=at(3, 1, 11))
    assert failure_count(paid) == failure_count(manual) == failure_count(voided_after_paying) == 0
    assert failed_payments(ledger_with(paid, manual, voided_after_paying), MARCH) == []


def test_outside_the_period_is_left_out_but_retry_events_bring_it_in():
    inv = failed("in_1", attempts=2)
    april = Period(at(4, 1, 0), at(5, 1, 0))
    assert failed_payments(ledger_with(inv), april) == []
    retry = Event("evt", "invoice.payment_failed", at(4, 2), "in_1", "invoice")
    (row,) = failed_payments(ledger_with(inv), april, [retry])
    assert row.first_failed_at == at(3, 1, 11) and row.last_failed_at == at(4, 2)


def test_unassigned_customer_is_left_out():
    inv = failed("in_1", customer="cus_nobody")
    assert failed_payments(ledger_with(inv), MARCH) == []
