"""Full-text search with facets over the registry, on SQLite FTS5 or PostgreSQL (see service.py)."""
