"""A Stripe-compatible HTTP test server (read endpoints only) used by tests and bench.

``StripeTestServer`` serves a ``StripeWorld`` (one JSON array per resource, the
layout of the shared sample world) with Stripe's list semantics, parameter
checking against stripe-python's declared params, key permissions, injectable
failures, latency and stalls, and a record of every request.
"""

from testkit.stripe_server.server import Failure, Hold, RecordedRequest, StripeTestServer
from testkit.stripe_server.world import StripeWorld

__all__ = ["Failure", "Hold", "RecordedRequest", "StripeTestServer", "StripeWorld"]
