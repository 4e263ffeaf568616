"""Tests of the Monday Brief (briefs/)."""
