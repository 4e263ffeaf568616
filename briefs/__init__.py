"""The Monday Brief (SPEC §10): assembly, scheduling and templates.

- :mod:`briefs.service` reads a workspace's figures through the answer layer;
- :mod:`briefs.assemble` turns them into a :class:`~briefs.models.Brief` (pure);
- :mod:`briefs.render` renders it with the Jinja2 templates in ``templates/``;
- :mod:`briefs.preview` backs ``/revbot brief preview``;
- :mod:`briefs.scheduled` sends it weekly, exactly once, from ``revbot serve``.
"""
