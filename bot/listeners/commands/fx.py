"""``/revbot fx [set CUR RATE | reporting CUR]``: reporting currency and exchange rates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from bot.listeners.commands.request import CommandRequest
from bot.services import ServiceError
from storage import fx as fx_store
from storage.workspaces import audit

USAGE = "Usage: `/revbot fx`, `/revbot fx set EUR 1.08` or `/revbot fx reporting USD`."


def needs_admin(request: CommandRequest) -> bool:
    return bool(request.args.strip())


def _currency(code: str) -> str:
    if len(code) != 3 or not code.isalpha():
        raise ServiceError(f"Expected a 3-letter currency code, got “{code[:10]}”. {USAGE}")
    return code.upper()


def run(request: CommandRequest) -> None:
    words = request.args.split()
    if not words:
        _show(request)
    elif words[0].lower() == "set" and len(words) == 3:
        _set(request, _currency(words[1]), words[2])
    elif words[0].lower() == "reporting" and len(words) == 2:
        code = _currency(words[1])
        services = request.services
        with services.db.session() as session:
            fx_store.set_reporting_currency(session, request.team, code, services.now())
            audit(
                session,
                request.team,
                request.user,
                "fx.reporting",
                services.now(),
                {"currency": code},
            )
        request.tell(f"Reporting currency: {code}.")
    else:
        request.tell(USAGE)


def _show(request: CommandRequest) -> None:
    services = request.services
    with services.db.session() as session:
        reporting = fx_store.reporting_currency(session, request.team)
        rates = [
            (r.currency, r.rate, r.effective_date)
            for r in fx_store.list_rates(session, request.team)
        ]
    if not rates:
        request.tell(f"Reporting currency {reporting}; no exchange rates set. {USAGE}")
        return
    lines = [f"• 1 {c} = {rate} {reporting} (from {day})" for c, rate, day in rates]
    request.tell(f"Reporting currency {reporting}:\n" + "\n".join(lines))


def _set(request: CommandRequest, code: str, raw: str) -> None:
    try:
        rate = Decimal(raw)
    except InvalidOperation:
        rate = Decimal(0)
    if not rate.is_finite() or rate <= 0:
        raise ServiceError(f"The rate must be a positive number. {USAGE}")
    services = request.services
    with services.db.session() as session:
        reporting = fx_store.reporting_currency(session, request.team)
        if code == reporting:
            raise ServiceError(f"{code} is the reporting currency; its rate is always 1.")
        fx_store.set_rate(session, request.team, code, rate, services.now().date(), services.now())
        audit(
            session,
            request.team,
            request.user,
            "fx.set",
            services.now(),
            {"currency": code, "rate": str(rate)},
        )
    request.tell(f"1 {code} = {rate} {reporting} from today.")
