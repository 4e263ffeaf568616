"""Acceptance tests: the revbot CLI end to end against the Stripe test server."""
