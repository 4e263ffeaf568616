"""What revbot does, once, for every front end: the use-case layer.

The ``revbot`` CLI (``bot/cli``) and the Slack listeners (``bot/listeners``) parse
their input, call one function here and render what it returns; neither talks to
``storage``, ``sync``, ``answers`` or ``briefs`` itself. Every function takes a
:class:`~usecases.backend.Backend` (settings, database, clock, secret box) first.

- :mod:`usecases.connection` — connect a Stripe key, disconnect, purge, webhook setup;
- :mod:`usecases.syncing` — backfill or catch up (from Stripe or a folder export);
- :mod:`usecases.asking` — understand and answer a question;
- :mod:`usecases.accounts` — the client list, customer matching and the account figures;
- :mod:`usecases.fx` — reporting currency and exchange rates;
- :mod:`usecases.briefing` — the Monday Brief preview and its schedule;
- :mod:`usecases.workspace` — alerts channel, revbot admins, Slack uninstall;
- :mod:`usecases.overview` — the connection card and the headline figures.

Admin actions are recorded by :func:`usecases.audit.record` and nowhere else. Failures a
person should read are :class:`~usecases.errors.UseCaseError` subclasses; their text never
holds a secret, and each front end words them for its own surface where it must.
"""
