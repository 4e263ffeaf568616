"""The ``revbot`` command line (SPEC §10b)."""
