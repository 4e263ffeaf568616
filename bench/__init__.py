"""Benchmarks (SPEC §13): run as modules, e.g. ``python -m bench.questions``."""
