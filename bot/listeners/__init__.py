"""Slack listeners: commands, events, actions and views, each with ``register(app)``.

``register_all`` also installs a middleware that hands every listener the
:class:`bot.listeners.runtime.Runtime` (the use-case backend, thread memory, home viewers)
through ``context["revbot"]``.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.listeners import actions, commands, events, views
from bot.listeners.runtime import Runtime


def register_all(app: App, runtime: Runtime) -> None:
    @app.middleware
    def _inject_runtime(context: Any, next: Any) -> None:
        context["revbot"] = runtime
        next()

    commands.register(app)
    events.register(app)
    actions.register(app)
    views.register(app)
