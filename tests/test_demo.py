"""The demo data: `make demo` may be run again on the same database (people do), and adds nothing then."""

from io import StringIO

from django.core.management import call_command

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
