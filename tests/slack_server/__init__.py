"""A local Slack Web API server for tests."""

from tests.slack_server.server import Call, SlackServer

__all__ = ["Call", "SlackServer"]
