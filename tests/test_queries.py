"""Bad values in query strings get an answer, never a server error: every query parameter of every GET
endpoint of the API (from its OpenAPI schema) and the filters of the site's list pages, each given a NUL
character, an integer no column holds, 3,000 characters and a negative number, on the demo data.
(A NUL failed the typeaheads and a screening filter on PostgreSQL; a huge goal number the indicators
filter on SQLite.)"""

from io import StringIO

import yaml
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from .conftest import api_as
from .registry.test_api import EXAMPLES  # values of the parameters some endpoints require

BAD = ["a\x00b", "99999999999999999999999", "x" * 3000, "-1"]
PAGES = ["/partnerships/", "/organisations/", "/insights/", "/matching/", "/forum/", "/secretariat/follow-up/",
         "/partnerships/suggest/", "/organisations/options/", "/secretariat/goal-review/", "/secretariat/diligence/"]  # fmt: skip
PAGE_PARAMETERS = ["q", "goal", "target", "country", "region", "group", "organisation", "organisation_type",
                   "category", "stage", "status", "sort", "cursor", "page", "kind", "type", "by", "segment"]  # fmt: skip


def test_bad_query_values_are_answered_without_a_server_error(reference_data):
    call_command("load_demo", stdout=StringIO())
    secretariat = User.objects.get(username="secretariat")
    api = api_as(secretariat)
    api.raise_request_exception = False
    schema = yaml.safe_load(api.get("/api/schema/").content)
    errors, sent = [], 0
    for path, operations in schema["paths"].items():
        if "get" not in operations or "{" in path:
            continue
        for parameter in (p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"):
            for bad in BAD:
                response = api.get(path, {**EXAMPLES, parameter: bad})
                sent += 1
                if response.status_code >= 500:
                    errors.append((path, parameter, bad[:12], response.status_code))
    web = Client(raise_request_exception=False)
    web.force_login(secretariat)
    for page in PAGES:
        for parameter in PAGE_PARAMETERS:
            for bad in BAD:
                response = web.get(page, {parameter: bad})
                sent += 1
                if response.status_code >= 500:
                    errors.append((page, parameter, bad[:12], response.status_code))
    nul = api.get("/api/v1/partnerships/", {"q": "a\x00b"})
    assert nul.status_code == 400 and nul.json() == {"q": ["Null characters are not allowed."]}
    assert sent > 800
    assert errors == []
