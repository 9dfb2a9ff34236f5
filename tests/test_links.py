"""Every kind of page reachable by links, as each demo role: no server error and no broken link.

From the home page and the pages of each role's menu, the test follows every link and htmx fragment of
the pages it reads (GET only, through Django's test client), on the demo data, up to a few URLs per kind
of page (ids replaced by N; a query string makes another kind). A link must lead to a page the person may
see, or redirect to one: a 5xx, 403 or 404 reached by following the interface is a bug. (It found the
workspace's baseline page and the checklist's history failing, and a Workspace tab leading visitors to
a 404.)
"""

import re
from collections import Counter
from collections.abc import Callable
from io import StringIO
from urllib.parse import urljoin, urlsplit

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

LINK = re.compile(r'(?:href|hx-get)="([^"#]+)"')
NOT_FOLLOWED = ("/accounts/logout/", "/admin/", "/api/schema/", "/i18n/", "/static/", "/media/")
PER_KIND = 6
START = ["/", "/partnerships/mine/", "/partnerships/review/", "/secretariat/follow-up/", "/accounts/profile/"]


def _kind(url: str) -> str:
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path) + ("?" if parts.query else "")


def _internal(base: str, href: str) -> str | None:
    parts = urlsplit(urljoin(base, href.replace("&amp;", "&")))
    if parts.netloc not in ("", "testserver") or parts.path.startswith(NOT_FOLLOWED):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(
    client: Client,
    start: list[str],
    *,
    per_kind_most: int = PER_KIND,
    visit: Callable[[str, str], None] | None = None,
) -> tuple[int, list[tuple[int, str, str]]]:
    """(pages read, [(status, url, the page that linked to it)] of every failure). `visit(url, html)` is
    called with every HTML page read."""
    per_kind: Counter[str] = Counter()
    queued = set(start)
    queue = [(url, "(start)") for url in start]
    failures, read = [], 0
    while queue:
        url, referrer = queue.pop(0)
        response = client.get(url)
        read += 1
        if response.status_code >= 400:
            failures.append((response.status_code, url, referrer))
            continue
        found = []
        if response.status_code in (301, 302):
            found = [response["Location"]]
        elif "html" in response.get("Content-Type", "") and not response.streaming:
            html = response.content.decode()
            found = LINK.findall(html)
            if visit:
                visit(url, html)
        for href in found:
            target = _internal(url, href)
            if target and target not in queued and per_kind[_kind(target)] < per_kind_most:
                per_kind[_kind(target)] += 1
                queued.add(target)
                queue.append((target, url))
    return read, failures


def test_every_link_each_role_sees_leads_somewhere(reference_data):
    """One test, so the demo is loaded once, then read as a visitor and as each demo role."""
    call_command("load_demo", stdout=StringIO())
    broken = []
    for username in (None, "member", "contributor", "focal", "secretariat"):
        client = Client(raise_request_exception=False)
        start = ["/"]
        if username:
            client.force_login(User.objects.get(username=username))
            start = START
        read, failures = crawl(client, start)
        assert read > 150, username  # the crawl did go round the site
        # A person's own start pages may refuse them (the review queue is the secretariat's); links may not.
        broken += [(username, *f) for f in failures if f[2] != "(start)" or f[0] >= 500]
    assert broken == []
