"""Background work of due diligence (run by `partnerhub worker`)."""

from django_tasks import task


@task()
def screen_all() -> int:
    """Screen every organisation against the current sanctions list; returns the new possible matches."""
    from .services import screen_everyone

    return screen_everyone()


@task()
def screen_organisations(spans: list[list[int]]) -> int:
    """Screen the organisations in these spans of ids (`[[first, last], …]`: those an import created);
    returns the new possible matches."""
    from .services import screen_everyone

    return screen_everyone(spans=spans)
