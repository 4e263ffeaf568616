"""Questions (SPEC §8): text -> typed query -> answer, the same for Slack and the CLI.

The question is read against the workspace's account index (names, domains,
aliases and the matched Stripe customers' names). In a Slack thread it is read
as a reply to the thread's previous question, kept in the database
(:mod:`usecases.threads`) so the follow-up works on any replica.
"""

from __future__ import annotations

from datetime import datetime

from answers import Answer, NoDataError, answer, has_data
from answers.index import account_index
from questions import follow_up, parse
from usecases.backend import Backend
from usecases.errors import FirstSyncRunning, NoData
from usecases.syncing import running

# A Slack thread: (channel id, thread root ts).
ThreadKey = tuple[str, str]


def ask(
    backend: Backend,
    workspace_id: str,
    text: str,
    as_of: datetime,
    thread: ThreadKey | None = None,
) -> Answer:
    """Understand ``text`` at ``as_of`` and answer it; in a ``thread``, as a follow-up of its
    last question.

    Raises :class:`~usecases.errors.NoData` when nothing is synced and the
    question needs data (help and "not understood" answers never do); while the
    first sync runs, :class:`~usecases.errors.FirstSyncRunning` says how far it is. The
    thread's context is saved even then, so a follow-up after "nothing synced
    yet" still carries the question.
    """
    zone = backend.timezone(workspace_id).key
    previous = backend.threads.get(workspace_id, *thread) if thread else None
    with backend.db.session() as session:
        index = account_index(session, workspace_id)
        if previous is not None:
            query = follow_up(previous, text, index, as_of, zone)
        else:
            query = parse(text, index, as_of, zone)
        try:
            produced: Answer | None = answer(session, workspace_id, query, as_of)
        except NoDataError:
            produced = None
    if thread:
        backend.threads.put(workspace_id, *thread, produced.query if produced else query)
    if produced is None:
        raise _no_data(backend, workspace_id)
    return produced


def _no_data(backend: Backend, workspace_id: str) -> NoData:
    """Why there is nothing to answer from: the first sync is still running, or none ran."""
    busy = running(backend, workspace_id)
    if busy is not None:
        return FirstSyncRunning(busy)
    return NoData("no billing data synced for this workspace yet")


def ensure_data(backend: Backend, workspace_id: str) -> None:
    """Raise :class:`~usecases.errors.NoData` when nothing is synced for the workspace."""
    with backend.db.session() as session:
        if not has_data(session, workspace_id):
            raise _no_data(backend, workspace_id)
