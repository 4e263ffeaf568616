"""Stripe side of revbot: read-only client, backfill, events, webhooks, matching.

Everything that talks to Stripe (or reads Stripe-shaped files) lives here and
normalises objects into :mod:`billing.models` before handing them to storage.
"""
