"""Block Kit builders: small functions returning plain dicts, within Slack's limits."""
