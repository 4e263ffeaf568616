"""Questions (SPEC §8): text -> typed query -> answer, the same for Slack and the CLI.

The question is read against the workspace's account index (names, domains,
aliases and the matched Stripe customers' names). In a Slack thread it is read
as a reply to the thread's previous question, kept in the database
(:mod:`usecases.threads`) so the follow-up works on any replica.

When the optional LLM reader is configured and the rules cannot read a question
confidently (questions/reading.py ``rules_unsure``), the LLM's reading is answered
instead, if it passes every check (usecases/reading.py); otherwise, and whenever
answering it fails, the rules' reading is. The figures come from revbot's data
either way; ``Answer.reader`` says whose reading was answered.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy.orm import Session

from answers import Answer, NoDataError, answer, has_data
from answers.index import account_index
from questions import Query, follow_up, parse
from questions.accounts import AccountIndex
from questions.reading import rules_unsure
from usecases.backend import Backend
from usecases.errors import FirstSyncRunning, NoData
from usecases.reading import second_reading
from usecases.syncing import running

log = logging.getLogger(__name__)

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
    # Outside any database session: the LLM may take seconds.
    read = _llm_reading(backend, text, query, previous, index)
    produced = _answered(backend, workspace_id, read, query, as_of)
    if thread:
        kept = produced.query if produced else (read or query)
        backend.threads.put(workspace_id, *thread, kept)
    if produced is None:
        raise _no_data(backend, workspace_id)
    return produced


def _llm_reading(
    backend: Backend, text: str, query: Query, previous: Query | None, index: AccountIndex
) -> Query | None:
    """The LLM's reading, when one is configured and the rules are unsure."""
    if backend.reader is None or not rules_unsure(query):
        return None
    today: date = query.as_of
    send_names = backend.settings.llm_send_names
    return second_reading(backend.reader, text, today, previous, index, send_names)


def _answered(
    backend: Backend, workspace_id: str, read: Query | None, query: Query, as_of: datetime
) -> Answer | None:
    """The answer to the LLM's reading (if any, and if it can be answered), else to the
    rules'; None when nothing is synced."""
    with backend.db.session() as session:
        try:
            if read is not None and (produced := _llm_answer(session, workspace_id, read, as_of)):
                return produced
            return answer(session, workspace_id, query, as_of)
        except NoDataError:
            return None


def _llm_answer(session: Session, workspace_id: str, read: Query, as_of: datetime) -> Answer | None:
    """The answer to the LLM's reading; None when the answer layer cannot take it."""
    try:
        produced = answer(session, workspace_id, read, as_of)
    except NoDataError:
        raise
    except Exception as exc:  # a combination no rules reading makes: answer the rules'
        log.warning("LLM reading not answerable (%s); using the rules'", type(exc).__name__)
        session.rollback()
        return None
    produced.reader = "llm"
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
