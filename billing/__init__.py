"""Pure billing domain: money, MRR, payment status, overdue, movements, signals.

Nothing in this package performs I/O or imports SQLAlchemy, Stripe or Slack.
Inputs are the frozen dataclasses of :mod:`billing.models`; "now" is always a
parameter.
"""
