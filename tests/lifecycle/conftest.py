import pytest

from partnerhub.lifecycle import services
from partnerhub.lifecycle.models import Activity, Component


@pytest.fixture
def plan(world):
    """A work plan on the draft: the lead organisation surveys, then the partner's university analyses."""
    p = world.partnership
    lead = p.partners.get(organisation=world.lead_org)
    uni = p.partners.get(organisation=world.partner_org)
    component = services.record_save(
        Component(partnership=p, title="Evidence"), author=world.focal_point, m2m={"leads": [lead]}
    )
    from datetime import date

    survey = services.record_save(
        Activity(
            partnership=p,
            component=component,
            title="Mangrove survey",
            start=date(2027, 1, 1),
            end=date(2027, 1, 31),
        ),
        author=world.focal_point,
        m2m={"responsible": [lead]},
    )
    analysis = services.record_save(
        Activity(
            partnership=p,
            component=component,
            title="Carbon analysis",
            start=date(2027, 2, 1),
            end=date(2027, 2, 28),
        ),
        author=world.focal_point,
        m2m={"responsible": [uni], "depends_on": [survey]},
    )
    return {"component": component, "survey": survey, "analysis": analysis, "lead": lead, "uni": uni}


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    """Each test gets its own upload directory, so that a test sees exactly the files it wrote."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
