"""The question engine's answering half: typed query -> result, text and Block Kit (SPEC §8).

``answer(session, workspace_id, query, as_of)`` reads precomputed facts and
stored figures only (never the whole ledger), so it stays fast at 10k accounts.
"""

from answers.dispatch import NoDataError, answer, has_data
from answers.model import Answer

__all__ = ["Answer", "NoDataError", "answer", "has_data"]
