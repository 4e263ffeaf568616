"""``/revbot fx [set CUR RATE | reporting CUR]``: reporting currency and exchange rates."""

from __future__ import annotations

from bot.listeners.commands.request import CommandRequest
from usecases import fx

USAGE = "Usage: `/revbot fx`, `/revbot fx set EUR 1.08` or `/revbot fx reporting USD`."


def needs_admin(request: CommandRequest) -> bool:
    return bool(request.args.strip())


def run(request: CommandRequest) -> None:
    words = request.args.split()
    try:
        if not words:
            _show(request)
        elif words[0].lower() == "set" and len(words) == 3:
            code, rate = fx.currency_code(words[1]), fx.positive_rate(words[2])
            reporting, _day = fx.set_rate(
                request.backend, request.team, code, rate, None, request.user
            )
            request.tell(f"1 {code} = {rate} {reporting} from today.")
        elif words[0].lower() == "reporting" and len(words) == 2:
            code = fx.currency_code(words[1])
            fx.set_reporting_currency(request.backend, request.team, code, request.user)
            request.tell(f"Reporting currency: {code}.")
        else:
            request.tell(USAGE)
    except fx.FxInputError as exc:
        text = str(exc)
        request.tell(f"{text[:1].upper()}{text[1:]}. {USAGE}")


def _show(request: CommandRequest) -> None:
    found = fx.rates(request.backend, request.team)
    reporting = found.reporting_currency
    if not found.rates:
        request.tell(f"Reporting currency {reporting}; no exchange rates set. {USAGE}")
        return
    lines = [
        f"• 1 {r.currency} = {r.rate} {reporting} (from {r.effective_date})" for r in found.rates
    ]
    request.tell(f"Reporting currency {reporting}:\n" + "\n".join(lines))
