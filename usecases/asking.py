"""Questions (SPEC §8): text -> typed query -> answer, the same for Slack and the CLI.

The question is read against the workspace's account index (names, domains,
aliases and the matched Stripe customers' names); a follow-up in a thread is
read as a reply to the previous query.
"""

from __future__ import annotations

from datetime import datetime

from answers import Answer, NoDataError, answer, has_data
from answers.index import account_index
from questions import Query, follow_up, parse
from usecases.backend import Backend
from usecases.errors import NoData


def ask(
    backend: Backend,
    workspace_id: str,
    text: str,
    as_of: datetime,
    previous: Query | None = None,
) -> Answer:
    """Understand ``text`` at ``as_of`` (as a follow-up of ``previous`` when given), answer it.

    Raises :class:`~usecases.errors.NoData` when nothing is synced and the
    question needs data (help and "not understood" answers never do).
    """
    zone = backend.timezone(workspace_id).key
    with backend.db.session() as session:
        index = account_index(session, workspace_id)
        if previous is not None:
            query = follow_up(previous, text, index, as_of, zone)
        else:
            query = parse(text, index, as_of, zone)
        try:
            return answer(session, workspace_id, query, as_of)
        except NoDataError as exc:
            raise NoData(str(exc)) from None


def ensure_data(backend: Backend, workspace_id: str) -> None:
    """Raise :class:`~usecases.errors.NoData` when nothing is synced for the workspace."""
    with backend.db.session() as session:
        if not has_data(session, workspace_id):
            raise NoData("no billing data synced for this workspace yet")
