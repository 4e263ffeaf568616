"""``/revbot ask QUESTION``: the question is posted in the channel and answered in its thread."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from bot.blocks.common import escape
from bot.listeners.answering import answer_in_thread, clean_question
from bot.listeners.commands.request import CommandRequest


def needs_admin(request: CommandRequest) -> bool:
    return False


def run(request: CommandRequest) -> None:
    question = clean_question(request.args)
    if not question:
        request.tell("Ask me something, e.g. `/revbot ask which accounts are overdue?`")
        return
    try:
        posted = request.client.chat_postMessage(
            channel=request.channel, text=f"<@{request.user}> asked: {escape(question)}"
        )
    except SlackApiError:
        # Not allowed to post here (e.g. a private channel without revbot): use the DM.
        posted = request.client.chat_postMessage(
            channel=request.user, text=f"You asked: {escape(question)}"
        )
    answer_in_thread(
        request.runtime,
        request.client,
        request.team,
        str(posted["channel"]),
        str(posted["ts"]),
        question,
    )
