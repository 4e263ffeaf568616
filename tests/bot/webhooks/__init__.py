"""Stripe webhook receiver, worker, signals and alerts."""
