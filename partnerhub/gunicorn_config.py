"""gunicorn settings of `partnerhub serve` (`-c python:partnerhub.gunicorn_config`)."""

import threading


def post_worker_init(worker) -> threading.Thread:
    """On PostgreSQL, each web process counts its searches' facets from columns it keeps in memory
    (registry/search/columns.py), built from every search document the first time they are needed: ~25 s
    at a million partnerships with two workers starting together. A new worker builds them at once, in the
    background, rather than inside somebody's first search (which waits for them if it comes sooner)."""
    from partnerhub.registry.search.columns import warm_process_columns

    thread = threading.Thread(target=warm_process_columns, name="warm-columns", daemon=True)
    thread.start()
    return thread
