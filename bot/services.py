"""The one place where the Slack listeners reach the rest of revbot.

Listeners never import sync/, storage/ query modules or the answer layer
directly: they call :class:`Services`, so wiring (and swapping in test
doubles) happens here. Each method is a thin adapter over another package's
function; where that function is not written yet the adapter says so with a
TODO and fails with a clear, user-facing :class:`ServiceError`.

Every message a ``ServiceError`` carries may be shown in Slack: it never holds
a secret (keys are reduced to their last four characters before any text is
built).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from billing.money import Money
from bot.threads import ThreadContexts
from core.clock import now as clock_now
from core.settings import Settings
from storage.db import Database
from storage.secrets import SecretBox, load_or_create_key_file
from storage.workspaces import audit, ensure_workspace
from sync.service import SyncOutcome

log = logging.getLogger(__name__)

# A Slack thread: (channel id, thread root ts).
ThreadKey = tuple[str, str]

# (step number 1..6, step name, done, total) — the backfill's progress callback.
Progress = Callable[[int, str, int, "int | None"], None]

STEP_NAMES = ("Products", "Prices", "Customers", "Subscriptions", "Invoices", "Account billing")


NO_DATA = (
    "No billing data is synced yet — an admin can connect Stripe with `/revbot connect`, "
    "then run `/revbot resync`."
)


class ServiceError(Exception):
    """A failure to show the user as is (short, clear, secret-free)."""


class SyncBusy(ServiceError):
    """A sync already holds the workspace's lease."""


@dataclass(frozen=True)
class KeyCheck:
    """A Stripe key that passed validation (never the key itself)."""

    mode: str
    kind: str
    last4: str
    account_name: str | None = None
    warning: str | None = None


@dataclass(frozen=True)
class SyncSummary:
    records: dict[str, int] = field(default_factory=dict)
    matching: dict[str, int] = field(default_factory=dict)
    duration_ms: int | None = None


@dataclass(frozen=True)
class Answer:
    """What the answer layer returns for a question (``answers.answer``)."""

    query: Any
    result: dict[str, Any]
    text: str
    blocks: list[dict[str, Any]]

    @property
    def intent(self) -> str:
        return str(getattr(self.query, "intent", self.result.get("intent", "unknown")))


@dataclass(frozen=True)
class ReviewRow:
    """A Stripe customer waiting for an admin's decision in ``/revbot match``."""

    customer_id: str
    name: str | None
    email: str | None
    outcome: str  # unmatched | ambiguous
    reason: str
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountChoice:
    id: str
    name: str


@dataclass(frozen=True)
class Headline:
    """The App Home's headline figures, per currency."""

    mrr: list[Money]
    arr: list[Money]
    overdue: list[Money]
    arr_at_risk: list[Money] | None  # None: not available


def _module(name: str) -> Any:
    """Import one of the other packages' modules, or None while it is not written."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        raise


def last4(secret: str) -> str:
    return secret.strip()[-4:]


class Services:
    """Settings, database, clock and secret box, plus the adapters listeners call."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        clock: Callable[[], datetime] = clock_now,
        box: SecretBox | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self.clock = clock
        self._box = box
        self.threads = ThreadContexts(db, timedelta(days=settings.thread_context_days))

    # -- basics -------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock()

    def box(self) -> SecretBox:
        if self._box is None:
            key = self.settings.encryption_key
            raw = key.get_secret_value() if key else load_or_create_key_file(self.settings.data_dir)
            self._box = SecretBox(raw)
        return self._box

    def audit(self, workspace_id: str, actor: str, action: str, detail: dict[str, Any]) -> None:
        """Record an admin action; ``detail`` must never hold a secret."""
        with self.db.session() as session:
            ensure_workspace(session, workspace_id, self.now())
            audit(session, workspace_id, actor, action, self.now(), detail)

    def timezone(self, workspace_id: str) -> ZoneInfo:
        from storage.workspaces import get_workspace

        with self.db.session() as session:
            workspace = get_workspace(session, workspace_id)
            name = workspace.timezone if workspace else "UTC"
        try:
            return ZoneInfo(name)
        except (KeyError, ValueError):
            return ZoneInfo("UTC")

    # -- Stripe connection --------------------------------------------------

    def connect(self, workspace_id: str, key: str, actor: str) -> KeyCheck:
        """Validate ``key`` against Stripe, then store it encrypted (SPEC §4)."""
        from storage.connections import ConnectionIdentity, save_connection
        from sync.errors import KeyFormatError, StripeSyncError
        from sync.validate import validate_key

        key = key.strip()
        try:
            checked = validate_key(key, self.settings)
        except (KeyFormatError, StripeSyncError) as exc:
            raise ServiceError(_safe_text(str(exc.user_message), key)) from None
        identity = ConnectionIdentity(
            mode=checked.mode,
            key_kind=checked.key_kind,
            stripe_account_id=checked.account_id,
            stripe_account_name=checked.account_name,
        )
        with self.db.session() as session:
            ensure_workspace(session, workspace_id, self.now())
            save_connection(session, workspace_id, key, identity, self.box(), self.now())
            audit(
                session,
                workspace_id,
                actor,
                "stripe.connect",
                self.now(),
                {"key_last4": last4(key), "mode": checked.mode, "key_kind": checked.key_kind},
            )
        return KeyCheck(
            mode=checked.mode,
            kind=checked.key_kind,
            last4=last4(key),
            account_name=checked.account_name,
            warning=" ".join(checked.warnings) or None,
        )

    def resync(
        self, workspace_id: str, *, full: bool, actor: str, progress: Progress
    ) -> SyncSummary:
        """Catch up from events (or backfill when needed) with progress.

        ``full`` forces the six-step backfill; SyncBusy when a sync is running.
        """
        from storage.connections import decrypt_key, get_connection
        from storage.leases import SyncAlreadyRunning
        from sync.backfill import SyncFailed
        from sync.client import StripeReadClient
        from sync.errors import StripeSyncError
        from sync.service import sync_workspace

        with self.db.session() as session:
            connection = get_connection(session, workspace_id)
            key = decrypt_key(connection, self.box()) if connection is not None else None
        if key is None:
            raise ServiceError("Stripe is not connected — an admin can run `/revbot connect`.")
        self.audit(workspace_id, actor, "stripe.resync", {"full": full})
        client = StripeReadClient.for_key(key, self.settings)
        del key
        try:
            outcome = sync_workspace(
                self.db,
                workspace_id,
                client,
                self.settings,
                self.now(),
                full=full,
                progress=progress,
            )
        except SyncAlreadyRunning as exc:
            raise SyncBusy(_capital(exc.message(self.timezone(workspace_id).key)) + ".") from None
        except SyncFailed as exc:
            text = exc.report.error_text or "Sync failed"
            raise ServiceError(f"{text}. `/revbot status` shows the details.") from None
        except StripeSyncError as exc:
            raise ServiceError(f"{exc.user_message}. `/revbot status` shows the details.") from None
        return self.sync_summary(workspace_id, outcome)

    def sync_summary(self, workspace_id: str, outcome: SyncOutcome) -> SyncSummary:
        """Counts after a sync; a catch-up reports the stored totals."""
        if outcome.backfill is not None:
            report = outcome.backfill
            return SyncSummary(
                records=dict(report.record_counts),
                matching=dict(report.match_counts),
                duration_ms=report.duration_ms,
            )
        from storage.status import connection_card

        with self.db.session() as session:
            card = connection_card(session, workspace_id, self.now())
        return SyncSummary(records=dict(card.records), matching=dict(card.matching))

    def disconnect(self, workspace_id: str, actor: str) -> None:
        from storage.connections import disconnect

        with self.db.session() as session:
            if not disconnect(session, workspace_id, self.now()):
                raise ServiceError("Stripe is not connected, so there is nothing to disconnect.")
            audit(session, workspace_id, actor, "stripe.disconnect", self.now(), {})

    def purge(self, workspace_id: str, actor: str) -> None:
        """Delete the workspace's billing data (keeps settings, admins, audit log)."""
        from storage.purge import purge_billing_data

        with self.db.session() as session:
            purge_billing_data(session, workspace_id)
            audit(session, workspace_id, actor, "stripe.purge", self.now(), {})

    def set_webhook_secret(self, workspace_id: str, secret: str, actor: str) -> None:
        """Store the webhook endpoint's signing secret, encrypted.

        TODO(wiring): use a storage.connections function once one exists.
        """
        from storage.connections import get_connection

        with self.db.session() as session:
            connection = get_connection(session, workspace_id)
            if connection is None or connection.status == "disconnected":
                raise ServiceError(
                    "Connect Stripe first (`/revbot connect`), then set up webhooks."
                )
            connection.webhook_secret_encrypted = self.box().encrypt(secret.strip())
            connection.updated_at = self.now()
            audit(
                session,
                workspace_id,
                actor,
                "stripe.webhook_secret",
                self.now(),
                {"secret_last4": last4(secret)},
            )

    def webhook_path(self, workspace_id: str) -> str:
        with self.db.session() as session:
            workspace = ensure_workspace(session, workspace_id, self.now())
            return f"/stripe/webhooks/{workspace.public_id}"

    def webhook_url(self, workspace_id: str) -> str:
        """The endpoint URL to give Stripe, on ``REVBOT_PUBLIC_URL`` (a placeholder without)."""
        from bot.webhooks import endpoint_url

        return endpoint_url(self.settings.public_url, self.webhook_path(workspace_id))

    # -- accounts and matching ---------------------------------------------

    def review_rows(self, workspace_id: str) -> list[ReviewRow]:
        """Unmatched, ambiguous and skipped customers, from the stored matching outcome."""
        from storage.accounts import review_list

        with self.db.session() as session:
            items = review_list(session, workspace_id)
        return [
            ReviewRow(
                customer_id=item.customer_id,
                name=item.name,
                email=item.email,
                outcome=item.outcome,
                reason=item.reason,
                candidates=tuple(str(c.get("name") or c.get("id")) for c in item.candidates),
            )
            for item in items
        ]

    def account_choices(self, workspace_id: str) -> list[AccountChoice]:
        from storage.accounts import list_accounts

        with self.db.session() as session:
            accounts = list_accounts(session, workspace_id)
        return sorted(
            (AccountChoice(id=a.id, name=a.name) for a in accounts),
            key=lambda c: (c.name.casefold(), c.id),
        )

    def map_customer(self, workspace_id: str, customer_id: str, account_id: str, actor: str) -> str:
        """Record an admin's manual mapping, re-match and refresh figures; the account's name."""
        from storage.accounts import MappingError, get_account
        from sync.account_billing import refresh_account_billing
        from sync.accounts import map_customer

        with self.db.session() as session:
            account = get_account(session, workspace_id, account_id)
            if account is None:
                raise ServiceError("That account no longer exists — run `/revbot match` again.")
            try:
                map_customer(
                    session,
                    workspace_id,
                    customer_id,
                    account_id,
                    actor=actor,
                    now=self.now(),
                    metadata_key=self.settings.match_metadata_key,
                )
            except MappingError as exc:
                raise ServiceError(f"Can't map that customer: {exc}") from None
            refresh_account_billing(session, workspace_id, self.now())
            audit(
                session,
                workspace_id,
                actor,
                "match.map",
                self.now(),
                {"customer_id": customer_id, "account_id": account_id},
            )
            return account.name

    # -- questions ----------------------------------------------------------

    def answer(
        self, workspace_id: str, text: str, as_of: date, thread: ThreadKey | None = None
    ) -> Answer:
        """Understand ``text`` and answer it; in a thread, as a follow-up of its last question.

        The thread's context is saved even when there is no data to answer from
        yet, so a follow-up after "nothing synced yet" still carries the question.
        """
        from answers import NoDataError
        from answers import answer as answer_query
        from questions import follow_up, index_for, parse

        tz = self.timezone(workspace_id).key
        moment = self.now()
        previous = self.threads.get(workspace_id, *thread) if thread else None
        with self.db.session() as session:
            index = index_for(_account_refs(session, workspace_id))
            if previous is not None:
                query = follow_up(previous, text, index, as_of, tz)
            else:
                query = parse(text, index, as_of, tz)
            try:
                produced = answer_query(session, workspace_id, query, moment)
            except NoDataError:
                produced = None
        if thread:
            self.threads.put(workspace_id, *thread, produced.query if produced else query)
        if produced is None:
            raise ServiceError(NO_DATA)
        return Answer(
            query=produced.query,
            result=dict(produced.result),
            text=str(produced.text),
            blocks=list(produced.blocks),
        )

    def headline(self, workspace_id: str) -> Headline:
        """MRR, ARR, overdue and ARR at risk, shared with ``revbot status`` and the demo."""
        from bot.headlines import headlines

        with self.db.session() as session:
            found = headlines(session, workspace_id, self.now())
        return Headline(
            mrr=found.mrr, arr=found.arr, overdue=found.overdue, arr_at_risk=found.arr_at_risk
        )

    def next_brief_at(self, workspace_id: str) -> datetime | None:
        """The next Monday Brief time (workspace zone), or None when no channel is set."""
        from storage.workspaces import get_workspace

        with self.db.session() as session:
            workspace = get_workspace(session, workspace_id)
            if workspace is None or not workspace.brief_channel:
                return None
            weekday, at, zone = workspace.brief_weekday, workspace.brief_time, workspace.timezone
        try:
            tz = ZoneInfo(zone)
        except (KeyError, ValueError):
            tz = ZoneInfo("UTC")
        hour, minute = (int(p) for p in at.split(":"))
        local = self.now().astimezone(tz)
        candidate = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        candidate += timedelta(days=(weekday - local.weekday()) % 7)
        if candidate <= local:
            candidate += timedelta(days=7)
        return candidate

    def brief_preview(self, workspace_id: str) -> tuple[str, list[dict[str, Any]]]:
        briefs = _module("briefs.preview")
        if briefs is None or not hasattr(briefs, "render_preview"):
            # TODO(wiring): the briefs package's preview renderer.
            raise ServiceError("The Monday Brief preview is not available in this build yet.")
        text, blocks = briefs.render_preview(self.db, workspace_id, self.now())
        return str(text), list(blocks)

    def set_alerts_channel(self, workspace_id: str, channel_id: str, actor: str) -> None:
        with self.db.session() as session:
            ensure_workspace(session, workspace_id, self.now()).alerts_channel = channel_id
            audit(
                session, workspace_id, actor, "alerts.channel", self.now(), {"channel": channel_id}
            )

    def set_brief_settings(
        self,
        workspace_id: str,
        channel_id: str,
        weekday: int,
        at: str,
        actor: str,
        zone: str | None = None,
    ) -> None:
        """Save the brief's channel, day and time, and its time zone when given."""
        with self.db.session() as session:
            workspace = ensure_workspace(session, workspace_id, self.now())
            workspace.brief_channel, workspace.brief_weekday, workspace.brief_time = (
                channel_id,
                weekday,
                at,
            )
            if zone:
                workspace.timezone = zone
            audit(
                session,
                workspace_id,
                actor,
                "brief.settings",
                self.now(),
                {"channel": channel_id, "weekday": weekday, "time": at, "timezone": zone},
            )


def _account_refs(session: Any, workspace_id: str) -> tuple[Any, ...]:
    from questions import AccountRef
    from storage.accounts import list_accounts

    return tuple(
        AccountRef(id=a.id, name=a.name, domain=a.domain, aliases=tuple(a.aliases or ()))
        for a in list_accounts(session, workspace_id)
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _safe_text(text: str, key: str) -> str:
    """A validator message with the key (if it slipped in) cut to its last four."""
    from core.redaction import redact

    text = text or "Stripe key validation failed."
    if key and key in text:
        text = text.replace(key, f"…{last4(key)}")
    return redact(text)
