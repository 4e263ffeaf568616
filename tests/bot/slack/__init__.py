"""Tests of the Slack app through Bolt's real request path."""
