"""Single-workspace mode answers its own team only (issue 13 item 5).

With one bot token (Socket Mode, or HTTP with ``SLACK_BOT_TOKEN``), Bolt's
single-team authorization hands that token to every request, whatever team
the request names: a signed request from another workspace would be answered
from that workspace's data and posted with this workspace's token. The token's
team is read from ``auth.test`` when the app starts, and :class:`OnlyTeam`
runs before Bolt's authorization (``before_authorize``), so a request naming
any other team is refused and logged before any listener or authorization runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt.error import BoltError
from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

REFUSED = "This revbot serves another Slack workspace."


def token_team(client: WebClient) -> str:
    """The team of the client's token (``auth.test``); fails at start like Bolt does."""
    try:
        identity = client.auth_test()
    except SlackApiError as exc:
        raise BoltError(f"SLACK_BOT_TOKEN: auth.test failed ({exc.response.get('error')})") from exc
    team = identity.get("team_id")
    if not team:
        raise BoltError("SLACK_BOT_TOKEN: auth.test named no team")
    return str(team)


def request_team(body: dict[str, Any], context: Any) -> str | None:
    """The team a request names, read as the listeners read it (``team_of``)."""
    team = context.get("team_id") if context is not None else None
    team = team or body.get("team_id")
    if not team and isinstance(body.get("team"), dict):
        team = body["team"].get("id")
    if not team and isinstance(body.get("user"), dict):
        team = body["user"].get("team_id")
    return str(team) if team else None


class OnlyTeam(Middleware):
    """Refuses (403, one log line) a request whose team is not ``team_id``."""

    def __init__(self, team_id: str) -> None:
        self.team_id = team_id

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        team = request_team(req.body, req.context)
        if team is None or team == self.team_id:  # no team: url_verification, ssl_check
            return next()
        log.warning(
            "refused a Slack request for team %s: this revbot serves team %s only "
            "(single-workspace mode)",
            team,
            self.team_id,
        )
        return BoltResponse(status=403, body=REFUSED)
