"""The whole schema: every table module imported, so ``metadata`` holds every table.

Table classes live with their owners (:mod:`storage.models`, the answer facts in
:mod:`storage.fact_models`, thread contexts in :mod:`storage.thread_context`). What
needs all of them at once — Alembic's comparison, the purge, test fixtures that
empty every table — reads :data:`metadata` here rather than ``Base.metadata``,
which only knows the modules imported so far.
"""

from __future__ import annotations

from storage import fact_models, models, thread_context
from storage.base import Base

# Importing a table module registers its tables on Base.metadata.
TABLE_MODULES = (models, fact_models, thread_context)
metadata = Base.metadata
