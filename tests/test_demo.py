"""The demo data: `make demo` may be run again on the same database (people do), and adds nothing then."""

import re
from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from partnerhub.matching.models import Need, Offer, Pitch
from partnerhub.registry.models import Organisation, Partnership
from partnerhub.reporting.models import Compliance, ComplianceStatus, Report


def _state() -> dict:
    return {
        "partnerships": Partnership.objects.count(),
        "organisations": Organisation.objects.count(),
        "reports": Report.objects.count(),
        "delisted": Compliance.objects.filter(status=ComplianceStatus.DELISTED).count(),
        "listings": Need.objects.count() + Offer.objects.count() + Pitch.objects.count(),
    }


def test_loading_the_demo_twice_succeeds_and_adds_nothing(reference_data):
    call_command("load_demo", stdout=StringIO())
    first = _state()
    assert first["partnerships"] > 30 and first["reports"] and first["delisted"] == 1 and first["listings"]
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _state() == first
    assert "0 partnerships added" in out.getvalue()


# A number the browser reads (SVG geometry, CSS lengths) written with the locale's decimal comma is no
# number: in French or Spanish every bar, chart and wheel fell apart.
COMMA_NUMBER = re.compile(
    r'\b(?:x|y|x1|x2|y1|y2|cx|cy|r|width|height|stroke-width|fill-opacity)="-?\d+,\d+"'
    r"|(?:inline-size|--shade):\s*-?\d+,\d+"
)


def test_charts_keep_machine_numbers_in_languages_with_a_decimal_comma(reference_data):
    call_command("load_demo", stdout=StringIO())
    polio = Partnership.objects.get(title="Pulse Polio Immunization Programme")
    client = Client()
    client.force_login(polio.focal_points.first() or User.objects.get(username="secretariat"))
    pages = ["/insights/", "/insights/goals/3/", f"/partnerships/{polio.pk}/workspace/",
             f"/partnerships/{polio.pk}/workspace/workplan/", f"/partnerships/{polio.pk}/workspace/health/"]  # fmt: skip
    for lang in ("fr", "es", "ru"):
        client.cookies["django_language"] = lang
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200, path
            html = response.content.decode()
            assert not COMMA_NUMBER.findall(html), (lang, path, COMMA_NUMBER.findall(html)[:3])
        goal = client.get("/insights/goals/3/").content.decode()
        assert "inline-size: 100.0%" in goal
        gantt = client.get(f"/partnerships/{polio.pk}/workspace/workplan/").content.decode()
        assert re.search(r'<rect x="\d+\.\d"', gantt)
