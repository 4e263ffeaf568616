"""Modals: connect Stripe, configure webhooks, brief settings, confirmations, results.

Nothing secret ever goes into a view (no key in ``private_metadata`` or any
text): Slack would echo it back in every later payload.
"""

from __future__ import annotations

from typing import Any

from bot.blocks.common import Block, context, md, option, plain, section
from usecases.connection import WebhookSetup

View = dict[str, Any]

CONNECT = "connect_modal"
WEBHOOKS = "webhooks_modal"
DISCONNECT = "disconnect_modal"
PURGE = "purge_modal"
BRIEF_SETTINGS = "brief_settings_modal"

KEY_BLOCK, KEY_ACTION = "stripe_key", "key_input"
SECRET_BLOCK, SECRET_ACTION = "webhook_secret", "secret_input"
CONFIRM_BLOCK, CONFIRM_ACTION = "confirm", "confirm_input"
CHANNEL_BLOCK, CHANNEL_ACTION = "brief_channel", "channel_input"
DAY_BLOCK, DAY_ACTION = "brief_day", "day_input"
TIME_BLOCK, TIME_ACTION = "brief_time", "time_input"
ZONE_BLOCK, ZONE_ACTION = "brief_zone", "zone_input"

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _modal(
    callback_id: str, title: str, blocks: list[Block], submit: str | None, close: str = "Cancel"
) -> View:
    view: View = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "close": plain(close, 24),
        "blocks": blocks,
    }
    if submit:
        view["submit"] = plain(submit, 24)
    return view


def connect_modal(current_last4: str | None = None) -> View:
    rotating = (
        f"\nA key ending in *…{current_last4}* is stored; a new key replaces it and keeps "
        "all synced data."
        if current_last4
        else ""
    )
    return _modal(
        CONNECT,
        "Connect Stripe",
        [
            section(
                "Paste a Stripe *restricted key* with read access to Products, Prices, "
                "Customers, Subscriptions, Invoices, Events and Coupons "
                "(`rk_live_…` or `rk_test_…`). "
                "Secret keys (`sk_…`) work but give revbot more power than it needs." + rotating
            ),
            {
                "type": "input",
                "block_id": KEY_BLOCK,
                "label": plain("Stripe API key"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": KEY_ACTION,
                    "placeholder": plain("rk_live_…"),
                },
            },
            context(
                "The key is checked with Stripe, stored encrypted, and only its last 4 "
                "characters are ever shown."
            ),
        ],
        "Connect",
    )


def webhooks_modal(setup: WebhookSetup) -> View:
    """The endpoint URL and events to give Stripe, and an input for the signing secret."""
    events = ", ".join(f"`{e}`" for e in setup.event_types)
    host_hint = (
        [
            context(
                "Replace the host with this server's public address "
                "(set `REVBOT_PUBLIC_URL` and the real URL appears here)."
            )
        ]
        if setup.placeholder
        else []
    )
    return _modal(
        WEBHOOKS,
        "Stripe webhooks",
        [
            section(
                "In Stripe: *Developers → Webhooks → Add endpoint* with this URL:\n"
                f"`{setup.url}`\nSelect these events: {events}. "
                "Then paste the endpoint's signing secret below."
            ),
            *host_hint,
            {
                "type": "input",
                "block_id": SECRET_BLOCK,
                "label": plain("Signing secret"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": SECRET_ACTION,
                    "placeholder": plain("whsec_…"),
                },
            },
        ],
        "Save",
    )


def confirm_modal(callback_id: str, title: str, text: str, word: str, submit: str) -> View:
    """A confirmation that needs ``word`` typed, so nobody confirms by accident."""
    return _modal(
        callback_id,
        title,
        [
            section(text),
            {
                "type": "input",
                "block_id": CONFIRM_BLOCK,
                "label": plain(f"Type {word} to confirm"),
                "element": {"type": "plain_text_input", "action_id": CONFIRM_ACTION},
            },
        ],
        submit,
    )


def disconnect_modal() -> View:
    return confirm_modal(
        DISCONNECT,
        "Disconnect Stripe",
        "This deletes the stored Stripe key and stops syncing. Synced data stays, frozen, "
        "until you connect again or purge it.",
        "disconnect",
        "Disconnect",
    )


def purge_modal() -> View:
    return confirm_modal(
        PURGE,
        "Purge billing data",
        "*This deletes all of this workspace's billing data* (Stripe objects, accounts, "
        "figures and signals). It cannot be undone.",
        "purge",
        "Purge",
    )


def brief_settings_modal(
    channel: str | None, weekday: int, at: str, zone: str | None = None
) -> View:
    channel_element: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": CHANNEL_ACTION,
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if channel:
        channel_element["initial_conversation"] = channel
    days = [option(name, str(i)) for i, name in enumerate(WEEKDAYS)]
    return _modal(
        BRIEF_SETTINGS,
        "Monday Brief",
        [
            {
                "type": "input",
                "block_id": CHANNEL_BLOCK,
                "label": plain("Channel"),
                "element": channel_element,
            },
            {
                "type": "input",
                "block_id": DAY_BLOCK,
                "label": plain("Day"),
                "element": {
                    "type": "static_select",
                    "action_id": DAY_ACTION,
                    "options": days,
                    "initial_option": days[weekday % 7],
                },
            },
            {
                "type": "input",
                "block_id": TIME_BLOCK,
                "label": plain("Time (workspace time zone)"),
                "element": {"type": "timepicker", "action_id": TIME_ACTION, "initial_time": at},
            },
            {
                "type": "input",
                "block_id": ZONE_BLOCK,
                "optional": True,
                "label": plain("Time zone"),
                "hint": plain("An IANA zone such as America/New_York or Europe/Paris."),
                "element": {
                    "type": "plain_text_input",
                    "action_id": ZONE_ACTION,
                    "initial_value": zone or "UTC",
                    "max_length": 64,
                },
            },
        ],
        "Save",
    )


def result_modal(title: str, text: str) -> View:
    """The view a submission turns into (``response_action=update``)."""
    return {
        "type": "modal",
        "title": plain(title, 24),
        "close": plain("Done", 24),
        "blocks": [{"type": "section", "text": md(text)}],
    }
