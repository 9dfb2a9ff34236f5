"""Partnership Hub: the registry, workspace and accountability platform for SDG partnerships."""
