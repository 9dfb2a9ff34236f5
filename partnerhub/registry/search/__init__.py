"""Full-text search with facets over the registry: Tantivy (embedded, with SQLite) or PostgreSQL (see service.py)."""
