"""Process-wide plumbing shared by every layer: settings, the clock, log redaction."""
