"""What Slack requires, from Slack's documentation: the bot scopes of each Web API method,
event and app feature revbot may use. The manifest test holds the code against this table.

Sources (one page per method, event and scope):
- methods: https://docs.slack.dev/reference/methods/<method> ("Scopes: Bot token")
- events: https://docs.slack.dev/reference/events/<event> ("Required scopes")
- scopes: https://docs.slack.dev/reference/scopes/<scope>; chat:write.public
  ("Send messages to channels your Slack app isn't a member of ... your app must also
  request chat:write") is what lets revbot post to an alerts or brief channel an admin picked
  without inviting the bot first.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Needs:
    """Scopes for one use: ``all_of`` are required; ``also`` are accepted when the use exists
    (Slack lists one scope per conversation type, e.g. conversations.history)."""

    all_of: frozenset[str]
    also: frozenset[str] = field(default_factory=frozenset)
    doc: str = ""


def _needs(*scopes: str, also: tuple[str, ...] = (), doc: str) -> Needs:
    return Needs(frozenset(scopes), frozenset(also), doc)


DOCS = "https://docs.slack.dev/reference/"

# slack_sdk WebClient method name -> what its Web API method(s) need with a bot token.
METHODS: dict[str, Needs] = {
    "auth_test": _needs(doc=DOCS + "methods/auth.test"),
    "oauth_v2_access": _needs(doc=DOCS + "methods/oauth.v2.access"),
    "chat_postMessage": _needs(
        "chat:write", "chat:write.public", doc=DOCS + "methods/chat.postMessage"
    ),
    "chat_update": _needs("chat:write", doc=DOCS + "methods/chat.update"),
    "chat_postEphemeral": _needs("chat:write", doc=DOCS + "methods/chat.postEphemeral"),
    "views_open": _needs(doc=DOCS + "methods/views.open"),
    "views_update": _needs(doc=DOCS + "methods/views.update"),
    "views_push": _needs(doc=DOCS + "methods/views.push"),
    "views_publish": _needs(doc=DOCS + "methods/views.publish"),
    "users_info": _needs("users:read", doc=DOCS + "methods/users.info"),
    # files_upload_v2 calls files.getUploadURLExternal then files.completeUploadExternal.
    "files_upload_v2": _needs("files:write", doc=DOCS + "methods/files.getUploadURLExternal"),
    "files_getUploadURLExternal": _needs(
        "files:write", doc=DOCS + "methods/files.getUploadURLExternal"
    ),
    "files_completeUploadExternal": _needs(
        "files:write", doc=DOCS + "methods/files.completeUploadExternal"
    ),
    "conversations_info": _needs(
        "channels:read",
        also=("groups:read", "im:read", "mpim:read"),
        doc=DOCS + "methods/conversations.info",
    ),
    # Reading a channel's messages (e.g. the brief's metadata): public channels need
    # channels:history; private ones groups:history; DMs im:history; group DMs mpim:history.
    "conversations_history": _needs(
        "channels:history",
        also=("groups:history", "im:history", "mpim:history"),
        doc=DOCS + "methods/conversations.history",
    ),
    "conversations_open": _needs(
        "im:write", also=("mpim:write",), doc=DOCS + "methods/conversations.open"
    ),
    "conversations_join": _needs("channels:join", doc=DOCS + "methods/conversations.join"),
    "team_info": _needs("team:read", doc=DOCS + "methods/team.info"),
}

# Bolt calls these itself (token check at start, OAuth install); they need no scope.
FRAMEWORK_METHODS = ("auth_test", "oauth_v2_access")

EVENTS: dict[str, Needs] = {
    "app_mention": _needs("app_mentions:read", doc=DOCS + "events/app_mention"),
    "message.im": _needs("im:history", doc=DOCS + "events/message.im"),
    "app_home_opened": _needs(doc=DOCS + "events/app_home_opened"),
    "app_uninstalled": _needs(doc=DOCS + "events/app_uninstalled"),
    "tokens_revoked": _needs(doc=DOCS + "events/tokens_revoked"),
}

# A slash command needs the commands scope (https://docs.slack.dev/reference/scopes/commands).
SLASH_COMMAND = _needs("commands", doc=DOCS + "scopes/commands")
