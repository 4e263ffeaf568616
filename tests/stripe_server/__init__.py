"""Tests of the Stripe test server (testkit/stripe_server), its pytest fixtures and helpers."""
