"""Presentation: the Slack Bolt app, the question engine, Block Kit, charts and the CLI."""
